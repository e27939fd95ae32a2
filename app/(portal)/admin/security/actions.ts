"use server";
import { revalidatePath } from "next/cache";
import { action } from "@/lib/action";
import { policySchema } from "@/lib/users/schema";
import { updatePolicy } from "@/lib/users/service";

export const updatePolicyAction = action({ permission: "security.policy", schema: policySchema }, async (a, i) => {
  const r = await updatePolicy(a, i);
  revalidatePath("/admin/security");
  return r;
});
