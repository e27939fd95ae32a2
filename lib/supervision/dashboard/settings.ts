// The ranking's weights and the stale-list period (V-01), kept by supervisors with
// supervision.manage at the provincial level (province scope), audited.
import "server-only";
import { withTx } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { appendAudit } from "@/lib/audit/log";
import { auditActorOf, type Actor } from "@/lib/auth/session";
import { departmentScope, requirePermission } from "@/lib/auth/permissions";
import { supervisionSettingInput, type SupervisionSettingInput } from "@/lib/supervision/dashboard/schema";

/** Only a province-wide supervisor changes the province's formula. */
export function mayChangeSettings(actor: Actor): boolean {
  try {
    requirePermission(actor, "supervision.manage");
  } catch {
    return false;
  }
  return departmentScope(actor, "supervision.manage") === undefined;
}

export async function updateSupervisionSettings(actor: Actor, raw: SupervisionSettingInput) {
  requirePermission(actor, "supervision.manage");
  if (!mayChangeSettings(actor)) throw new AppError("FORBIDDEN", "只有省级监督人员可以修改排名公式和清单更新期限");
  const input = supervisionSettingInput.parse(raw);
  return withTx(async (tx) => {
    const before = await tx.supervisionSetting.upsert({ where: { id: 1 }, create: { id: 1 }, update: {} });
    const after = await tx.supervisionSetting.update({ where: { id: 1 }, data: { ...input, updatedById: actor.userId, updatedAt: new Date() } });
    await appendAudit(
      tx,
      auditActorOf(actor),
      {
        action: "supervision.settings",
        from: `${before.weightTimeliness}/${before.weightCompleteness}/${before.weightObjections}, ${before.listStaleDays} 天`,
        to: `${after.weightTimeliness}/${after.weightCompleteness}/${after.weightObjections}, ${after.listStaleDays} 天`,
      },
      { type: "SupervisionSetting", id: "1" },
    );
    return after;
  });
}
