import "server-only";
import { t } from "@/lib/i18n/zh-CN";
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

/**
 * The actor's roles as the page shows them: in Chinese. Logouts before 2026-12-02 recorded the role
 * codes (SYSTEM_ADMIN,SEAL_APPROVER); the chain keeps them as written, the page names them.
 */
function roleText(stored: string): string {
  if (!/^[A-Z_]+(,[A-Z_]+)*$/.test(stored)) return stored;
  const names = t.roles as Record<string, string>;
  return stored
    .split(",")
    .map((code) => names[code] ?? code)
    .join("、");
}

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
      actorRole: roleText(r.actorRole),
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
