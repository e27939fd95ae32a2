"use server";
// Issuing a licence (L-05 … L-07) and finding an existing holder by code (P-02).
import { revalidatePath } from "next/cache";
import { action } from "@/lib/action";
import { requirePermission } from "@/lib/auth/permissions";
import { issueInput, holderLookupInput } from "@/lib/licenses/schema";
import { issueLicence } from "@/lib/licenses/service";
import { findHolder } from "@/lib/licenses/holders";
import { holderCodeProblem } from "@/lib/licenses/holder-code";

export const issueAction = action({ permission: "licence.issue", schema: issueInput }, async (actor, input) => {
  const r = await issueLicence(actor, input);
  revalidatePath("/licenses");
  return r;
});

/** The holder already known under this code, shown masked, so the operator does not retype the name. */
export const lookupHolderAction = action({ permission: "licence.issue", schema: holderLookupInput }, async (actor, input) => {
  requirePermission(actor, "licence.issue", { id: actor.departmentId, path: actor.departmentPath });
  if (holderCodeProblem(input.codeType, input.code)) return null;
  const h = await findHolder(input.codeType, input.code);
  return h ? { name: h.name, category: h.category, codeMasked: h.codeMasked, contactMasked: h.contactMasked } : null;
});
