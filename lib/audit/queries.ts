import "server-only";
import { z } from "zod";
import { db } from "@/lib/db";
import { requirePermission } from "@/lib/auth/permissions";
import type { Actor } from "@/lib/auth/session";
import { pageQuery } from "@/lib/pagination";

export const auditFilter = pageQuery.extend({
  action: z.string().max(60).regex(/^[a-z_.]*$/).optional().catch(undefined),
  actor: z.string().trim().max(100).optional().catch(undefined),
  target: z.string().trim().max(100).optional().catch(undefined),
  from: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).optional().catch(undefined),
  to: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).optional().catch(undefined),
});
export type AuditFilter = z.infer<typeof auditFilter>;

export async function listAuditEvents(actor: Actor, f: AuditFilter) {
  requirePermission(actor, "audit.read");
  const where = {
    ...(f.action ? { action: f.action } : {}),
    ...(f.actor ? { actorName: { contains: f.actor } } : {}),
    ...(f.target ? { OR: [{ targetId: { contains: f.target } }, { targetType: { contains: f.target } }] } : {}),
    ...(f.from || f.to
      ? { time: { ...(f.from ? { gte: new Date(`${f.from}T00:00:00+08:00`) } : {}), ...(f.to ? { lt: new Date(new Date(`${f.to}T00:00:00+08:00`).getTime() + 86_400_000) } : {}) } }
      : {}),
  };
  const [total, rows] = await Promise.all([
    db().auditEvent.count({ where }),
    db().auditEvent.findMany({ where, orderBy: [{ seq: "desc" }], skip: (f.page - 1) * f.pageSize, take: f.pageSize }),
  ]);
  return {
    total,
    page: f.page,
    pageSize: f.pageSize,
    rows: rows.map((r) => ({
      seq: r.seq.toString(),
      time: r.time.toISOString(),
      actorName: r.actorName,
      actorRole: r.actorRole,
      actorDept: r.actorDept,
      ip: r.ip ?? "",
      action: r.action,
      targetType: r.targetType,
      targetId: r.targetId ?? "",
      detail: JSON.stringify(r.detail),
      hash: r.hash,
    })),
  };
}
