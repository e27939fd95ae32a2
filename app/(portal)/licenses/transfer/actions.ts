"use server";
// 部门撤并 (L-11): the system administrator's transfer, and the successor issuer's re-seal.
// The services re-check the department scope (both departments for a transfer; the actor's own
// department for a re-seal).
import { revalidatePath } from "next/cache";
import { action } from "@/lib/action";
import { resealInput, transferInput } from "@/lib/licenses/lifecycle-schema";
import { resealLicences, transferLicences } from "@/lib/licenses/transfer";

export const transferAction = action({ permission: "dept.manage", schema: transferInput }, async (a, i) => {
  const r = await transferLicences(a, i);
  revalidatePath("/licenses/transfer");
  revalidatePath("/licenses");
  return r;
});

/** 重新签章: the given licences, or (an empty list) all of the department's that need it. */
export const resealAction = action({ permission: "licence.issue", schema: resealInput }, async (a, i) => {
  const r = await resealLicences(a, i);
  revalidatePath("/licenses/transfer");
  for (const id of i.licenceIds) revalidatePath(`/licenses/${id}`);
  return r;
});
