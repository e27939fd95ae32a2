"use server";
import { revalidatePath } from "next/cache";
import { action } from "@/lib/action";
import { roleGrantSchema, roleRevokeSchema } from "@/lib/users/schema";
import { grantRole, revokeRole } from "@/lib/users/service";

export const grantRoleAction = action({ permission: "role.grant", schema: roleGrantSchema }, async (a, i) => {
  const r = await grantRole(a, i);
  revalidatePath("/admin/roles");
  return r;
});
export const revokeRoleAction = action({ permission: "role.grant", schema: roleRevokeSchema }, async (a, i) => {
  const r = await revokeRole(a, i);
  revalidatePath("/admin/roles");
  return r;
});
