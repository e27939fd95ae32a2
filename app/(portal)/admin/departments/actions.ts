"use server";
import { revalidatePath } from "next/cache";
import { action } from "@/lib/action";
import { departmentCreateSchema, departmentMoveSchema, departmentStatusSchema, departmentUpdateSchema } from "@/lib/departments/schema";
import { createDepartment, moveDepartment, setDepartmentStatus, updateDepartment } from "@/lib/departments/service";

const done = <T,>(r: T) => {
  revalidatePath("/admin/departments");
  return r;
};

export const createDepartmentAction = action({ permission: "dept.manage", schema: departmentCreateSchema }, async (a, i) => done(await createDepartment(a, i)));
export const updateDepartmentAction = action({ permission: "dept.manage", schema: departmentUpdateSchema }, async (a, i) => done(await updateDepartment(a, i)));
export const moveDepartmentAction = action({ permission: "dept.manage", schema: departmentMoveSchema }, async (a, i) => done(await moveDepartment(a, i)));
export const setDepartmentStatusAction = action({ permission: "dept.manage", schema: departmentStatusSchema }, async (a, i) => done(await setDepartmentStatus(a, i)));
