// 应急 (L-12): when issuing cannot happen in time (system outage, disaster), the department records
// the incident; after recovery the licences are completed within 3 working days and point to it.
import "server-only";
import type { z } from "zod";
import { db, withTx } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { appendAudit } from "@/lib/audit/log";
import { auditActorOf, type Actor } from "@/lib/auth/session";
import { requirePermission } from "@/lib/auth/permissions";
import { addWorkingDays } from "@/lib/calendar";
import { shanghaiInstant } from "@/lib/licenses/schema";
import { incidentCreateInput, incidentRecoverInput } from "@/lib/licenses/incident-schema";
export { incidentCreateInput, incidentRecoverInput };

/** Working days after recovery within which the licences must be completed (XA-L Art.10, SC-L Art.24). */
export const INCIDENT_COMPLETE_WORKING_DAYS = 3;

function own(actor: Actor) {
  requirePermission(actor, "licence.issue", { id: actor.departmentId, path: actor.departmentPath });
}

export async function createIncident(actor: Actor, input: z.infer<typeof incidentCreateInput>) {
  own(actor);
  return withTx(async (tx) => {
    const row = await tx.emergencyIncident.create({
      data: { deptId: actor.departmentId, title: input.title, description: input.description, startedAt: shanghaiInstant(input.startedAt), createdById: actor.userId },
    });
    await appendAudit(tx, auditActorOf(actor), { action: "licence.incident", change: "CREATE", title: row.title, startedAt: row.startedAt.toISOString() }, { type: "EmergencyIncident", id: row.id });
    return { id: row.id };
  });
}

/** Records recovery; the completion deadline is 3 working days after it (stored on the row). */
export async function recoverIncident(actor: Actor, input: z.infer<typeof incidentRecoverInput>) {
  own(actor);
  return withTx(async (tx) => {
    const cur = await tx.emergencyIncident.findUnique({ where: { id: input.id } });
    if (!cur || cur.deptId !== actor.departmentId) throw new AppError("NOT_FOUND", "应急事件不存在");
    const endedAt = shanghaiInstant(input.endedAt);
    if (endedAt < cur.startedAt) throw new AppError("INVALID_INPUT", "恢复时间不能早于开始时间", { endedAt: "恢复时间不能早于开始时间" });
    const { due } = await addWorkingDays(endedAt, INCIDENT_COMPLETE_WORKING_DAYS, tx);
    const n = await tx.emergencyIncident.updateMany({ where: { id: input.id, rev: input.rev, endedAt: null }, data: { endedAt, completeDueAt: due, rev: { increment: 1 } } });
    if (n.count === 0) throw new AppError("CONFLICT", "该事件已登记恢复，或已被他人修改，请刷新");
    await appendAudit(tx, auditActorOf(actor), { action: "licence.incident", change: "RECOVER", title: cur.title, endedAt: endedAt.toISOString(), completeDueAt: due.toISOString() }, { type: "EmergencyIncident", id: input.id });
    return { completeDueAt: due.toISOString() };
  });
}

/** The department's incidents with the licences completed after recovery, on time or late. */
export async function listIncidents(actor: Actor) {
  own(actor);
  const rows = await db().emergencyIncident.findMany({ where: { deptId: actor.departmentId }, orderBy: { startedAt: "desc" }, take: 100 });
  const counts = rows.length
    ? await db().$queryRaw<{ incidentId: string; total: bigint; late: bigint }[]>`
        SELECT l."incidentId", count(*) AS total, count(*) FILTER (WHERE l."syncedAt" > i."completeDueAt") AS late
          FROM "Licence" l JOIN "EmergencyIncident" i ON i.id = l."incidentId"
         WHERE l."incidentId" = ANY(${rows.map((r) => r.id)}::uuid[])
         GROUP BY l."incidentId"`
    : [];
  return rows.map((r) => {
    const c = counts.find((x) => x.incidentId === r.id);
    return {
      id: r.id,
      rev: r.rev,
      title: r.title,
      description: r.description,
      startedAt: r.startedAt.toISOString(),
      endedAt: r.endedAt?.toISOString() ?? null,
      completeDueAt: r.completeDueAt?.toISOString() ?? null,
      licences: Number(c?.total ?? 0),
      late: Number(c?.late ?? 0),
    };
  });
}
