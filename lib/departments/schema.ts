import "@/lib/validation/zod-zh";
import { z } from "zod";
import { isAreaCode, isValidUscc } from "@/lib/validation/codes";

const staff = z.object({
  name: z.string().trim().min(1, "请填写姓名").max(50, "姓名过长"),
  duty: z.string().trim().min(1, "请填写职责").max(100, "职责过长"),
  phone: z.string().trim().max(30, "电话过长").regex(/^[0-9+\-() ]*$/, "电话只能包含数字和 - + ( )"),
});

const fields = {
  name: z.string().trim().min(2, "名称至少 2 个字").max(100, "名称不超过 100 个字"),
  uscc: z
    .string()
    .trim()
    .toUpperCase()
    .regex(/^[0-9A-HJ-NPQRTUWXY]{18}$/, "统一社会信用代码为 18 位数字或大写字母（不含 I、O、S、V、Z）")
    .refine(isValidUscc, "统一社会信用代码校验位不正确"),
  areaCode: z.string().trim().refine(isAreaCode, "行政区划代码为 6 位数字"),
  level: z.enum(["PROVINCE", "CITY", "COUNTY"], { message: "请选择层级" }),
  kind: z.enum(["AGENCY", "INSTITUTION", "OTHER"], { message: "请选择类别" }),
  isIssuing: z.boolean(),
  isUsing: z.boolean(),
  isManagement: z.boolean(),
  isSealMaking: z.boolean(),
  sortOrder: z.number({ message: "请输入数字" }).int("请输入整数").min(0, "不能小于 0").max(9999, "不能大于 9999"),
  staff: z.array(staff).max(20, "最多 20 名专人"),
};

export const departmentCreateSchema = z.object({ parentId: z.string().uuid("请选择上级部门").nullable(), ...fields });
export const departmentUpdateSchema = z.object({ id: z.string().uuid(), ...fields });
export const departmentMoveSchema = z.object({ id: z.string().uuid(), parentId: z.string().uuid("请选择新的上级部门") });
export const departmentStatusSchema = z.object({ id: z.string().uuid(), status: z.enum(["ACTIVE", "DISABLED"]) });

export type DepartmentCreateInput = z.infer<typeof departmentCreateSchema>;
export type DepartmentUpdateInput = z.infer<typeof departmentUpdateSchema>;
