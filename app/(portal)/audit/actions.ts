"use server";
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { action } from "@/lib/action";
import { withTx } from "@/lib/db";
import { appendAudit, verifyAuditChain } from "@/lib/audit/log";
import { auditActorOf } from "@/lib/auth/session";

export const verifyChainAction = action({ permission: "audit.verify", schema: z.object({}) }, async (a) => {
  // Verify first, then record the verification, so the count excludes this event.
  const r = await verifyAuditChain();
  const firstBroken = r.firstBroken?.toString() ?? null;
  await withTx((tx) => appendAudit(tx, auditActorOf(a), { action: "audit.verify", ok: r.ok, checked: r.checked, firstBroken }, { type: "AuditEvent" }));
  revalidatePath("/audit");
  return { ok: r.ok, checked: r.checked, firstBroken, reason: r.reason };
});
