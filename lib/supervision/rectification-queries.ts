// Reading rectification orders (V-02): the list with its filters and the overdue flag computed from
// the stored due date, the detail with its responses, attachments and history, and the response
// attachments for the download route. Who reads what: supervisors (supervision.read) the orders to
// departments in their scope; a department's responders (rectification.respond) its own orders.
import "server-only";
import { db, type Prisma } from "@/lib/db";
import type { Actor } from "@/lib/auth/session";
import { can, departmentScope, hasPermission } from "@/lib/auth/permissions";
import { AppError } from "@/lib/errors";
import { DAY_MS, startOfShanghaiDay } from "@/lib/calendar/working-days";
import { orderAbilities, type StoredEvidence } from "@/lib/supervision/rectification";
import {
  CATEGORY_LABELS,
  daysOverdue,
  OPEN_FOR_RESPONSE,
  RECTIFICATION_EVENT_LABELS,
  RECTIFICATION_STATUS_LABELS,
  type OrderFilter,
  type RectificationCategory,
  type RectificationStatus,
} from "@/lib/supervision/rectification-schema";

/** May `actor` read rectification orders at all (pages, the route)? */
export function mayReadOrders(actor: Actor): boolean {
  return hasPermission(actor, "supervision.read") || hasPermission(actor, "rectification.respond");
}

/** The orders `actor` may read, as a where; null: none at all. */
export function orderScope(actor: Actor): Prisma.RectificationOrderWhereInput | null {
  const parts: Prisma.RectificationOrderWhereInput[] = [];
  if (hasPermission(actor, "supervision.read")) {
    const s = departmentScope(actor, "supervision.read");
    if (!s) return {};
    if (s.ids.length) parts.push({ deptId: { in: s.ids } });
    for (const p of s.paths) parts.push({ dept: { is: { path: { startsWith: p } } } });
  }
  if (hasPermission(actor, "rectification.respond")) parts.push({ deptId: actor.departmentId });
  if (!parts.length) return null;
  return { OR: parts };
}

function scopeOrRefuse(actor: Actor): Prisma.RectificationOrderWhereInput {
  const s = orderScope(actor);
  if (!s) throw new AppError("FORBIDDEN", "没有查看整改通知的权限");
  return s;
}

/** The stored deadline says whether an order is overdue now. */
export function overdueWhere(now: Date): Prisma.RectificationOrderWhereInput {
  return { status: { in: [...OPEN_FOR_RESPONSE] }, dueAt: { lt: now } };
}

export type OrderRow = {
  id: string;
  number: string;
  dept: { id: string; name: string };
  category: RectificationCategory;
  categoryLabel: string;
  title: string;
  status: RectificationStatus;
  statusLabel: string;
  round: number;
  issuedAt: string;
  dueAt: string;
  dueDays: number;
  calendarCovered: boolean;
  overdueDays: number;
};

function filterWhere(f: OrderFilter, now: Date): Prisma.RectificationOrderWhereInput[] {
  const and: Prisma.RectificationOrderWhereInput[] = [];
  if (f.status) and.push({ status: f.status });
  if (f.category) and.push({ category: f.category });
  if (f.deptId) and.push({ deptId: f.deptId });
  if (f.number) and.push({ number: { startsWith: f.number } });
  if (f.overdue) and.push(overdueWhere(now));
  if (f.from) and.push({ issuedAt: { gte: startOfShanghaiDay(f.from) } });
  if (f.to) and.push({ issuedAt: { lt: new Date(startOfShanghaiDay(f.to).getTime() + DAY_MS) } });
  return and;
}

export async function listOrders(actor: Actor, f: OrderFilter, now = new Date()): Promise<{ rows: OrderRow[]; total: number; page: number; pageSize: number }> {
  const where: Prisma.RectificationOrderWhereInput = { AND: [scopeOrRefuse(actor), ...filterWhere(f, now)] };
  const total = await db().rectificationOrder.count({ where });
  const rows = await db().rectificationOrder.findMany({
    where,
    orderBy: [{ issuedAt: "desc" }, { id: "asc" }],
    skip: (f.page - 1) * f.pageSize,
    take: f.pageSize,
    include: { dept: { select: { id: true, name: true } } },
  });
  return { total, page: f.page, pageSize: f.pageSize, rows: rows.map((o) => toRow(o, now)) };
}

function toRow(o: Prisma.RectificationOrderGetPayload<{ include: { dept: { select: { id: true; name: true } } } }>, now: Date): OrderRow {
  const status = o.status as RectificationStatus;
  return {
    id: o.id,
    number: o.number,
    dept: o.dept,
    category: o.category as RectificationCategory,
    categoryLabel: CATEGORY_LABELS[o.category as RectificationCategory] ?? o.category,
    title: o.title,
    status,
    statusLabel: RECTIFICATION_STATUS_LABELS[status] ?? status,
    round: o.round,
    issuedAt: o.issuedAt.toISOString(),
    dueAt: o.dueAt.toISOString(),
    dueDays: o.dueDays,
    calendarCovered: o.calendarCovered,
    overdueDays: OPEN_FOR_RESPONSE.includes(status) ? daysOverdue(o.dueAt, now) : 0,
  };
}

/** Departments for the list's filter: those with orders the reader may see. */
export async function orderDeptOptions(actor: Actor): Promise<{ id: string; name: string }[]> {
  const scope = orderScope(actor);
  if (!scope) return [];
  return db().department.findMany({ where: { rectificationOrders: { some: scope } }, select: { id: true, name: true }, orderBy: { name: "asc" }, take: 500 });
}

/** The overdue orders `actor` may publish a notice about (supervision.manage over their department). */
export async function overdueOrdersForNotice(actor: Actor, now = new Date()): Promise<OrderRow[]> {
  if (!hasPermission(actor, "supervision.manage")) return [];
  const s = departmentScope(actor, "supervision.manage");
  const scope: Prisma.RectificationOrderWhereInput = !s ? {} : { OR: [{ deptId: { in: s.ids } }, ...s.paths.map((p) => ({ dept: { is: { path: { startsWith: p } } } }))] };
  const rows = await db().rectificationOrder.findMany({
    where: { AND: [scope, overdueWhere(now)] },
    orderBy: [{ dueAt: "asc" }, { id: "asc" }],
    take: 500,
    include: { dept: { select: { id: true, name: true } } },
  });
  return rows.map((o) => toRow(o, now));
}

export type OrderDetail = NonNullable<Awaited<ReturnType<typeof orderDetail>>>;

/** The evidence's page link, for the ones that are rows of this system. */
export function evidenceHref(e: StoredEvidence): string | null {
  if (e.kind === "OBJECTION") return `/objections/${e.id}`;
  if (e.kind === "LICENCE") return `/licenses/${e.id}`;
  if (e.kind === "ORDER") return `/supervision/orders/${e.id}`;
  if (e.kind === "SEAL_USE") return `/seal-use/${e.id}`;
  if (e.kind === "SPOT_CHECK") return `/supervision/spot-checks/${e.id}`;
  return e.id.startsWith("/") || e.id.startsWith("https://") ? e.id : null;
}

export async function orderDetail(actor: Actor, id: string, now = new Date()) {
  const scope = scopeOrRefuse(actor);
  if (!/^[0-9a-f-]{36}$/i.test(id)) return null;
  const o = await db().rectificationOrder.findFirst({
    where: { AND: [{ id }, scope] },
    include: { dept: { select: { id: true, name: true, path: true } }, issuerDept: { select: { id: true, name: true } } },
  });
  if (!o) return null;
  const responses = await db().rectificationResponse.findMany({
    where: { orderId: o.id },
    orderBy: { round: "asc" },
    select: { id: true, round: true, measures: true, responderName: true, createdAt: true },
  });
  const files = await db().rectificationAttachment.findMany({
    where: { responseId: { in: responses.map((r) => r.id) } },
    orderBy: { createdAt: "asc" },
    select: { id: true, responseId: true, fileName: true, mime: true, size: true, sm3: true },
  });
  const events = await db().rectificationEvent.findMany({ where: { orderId: o.id }, orderBy: { id: "asc" } });
  const creator = await db().user.findUnique({ where: { id: o.createdById }, select: { name: true } });
  const status = o.status as RectificationStatus;
  const evidence = (Array.isArray(o.evidence) ? (o.evidence as unknown as StoredEvidence[]) : []).map((e) => ({ ...e, href: evidenceHref(e) }));
  return {
    ...toRow({ ...o, dept: { id: o.dept.id, name: o.dept.name } }, now),
    description: o.description,
    evidence,
    issuerDept: o.issuerDept,
    issuedBy: creator?.name ?? "",
    rev: o.rev,
    respondedAt: o.respondedAt?.toISOString() ?? null,
    closedAt: o.closedAt?.toISOString() ?? null,
    closeNote: o.closeNote,
    responses: responses.map((r) => ({
      ...r,
      createdAt: r.createdAt.toISOString(),
      attachments: files.filter((f) => f.responseId === r.id).map((f) => ({ id: f.id, fileName: f.fileName, mime: f.mime, size: f.size, sm3: f.sm3 })),
    })),
    events: events.map((e) => ({
      id: String(e.id),
      kind: e.kind,
      label: RECTIFICATION_EVENT_LABELS[e.kind] ?? e.kind,
      from: e.fromStatus,
      to: e.toStatus,
      actorName: e.actorName,
      note: e.note,
      at: e.at.toISOString(),
    })),
    can: orderAbilities(actor, { status, deptId: o.deptId, dept: o.dept }),
  };
}

/**
 * A response attachment for the download route: for the department's responders and for the
 * supervisors whose scope covers the department; anyone else gets "not found".
 */
export async function attachmentFile(actor: Actor, id: string): Promise<{ body: Buffer; type: string; fileName: string }> {
  const gone = () => new AppError("NOT_FOUND", "文件不存在或不在您的管辖范围内");
  if (!/^[0-9a-f-]{36}$/i.test(id)) throw gone();
  const a = await db().rectificationAttachment.findUnique({ where: { id }, select: { fileName: true, mime: true, data: true, response: { select: { order: { select: { deptId: true, dept: { select: { id: true, path: true } } } } } } } });
  if (!a) throw gone();
  const o = a.response.order;
  const ok = can(actor, "supervision.read", o.dept) || (hasPermission(actor, "rectification.respond") && o.deptId === actor.departmentId);
  if (!ok) throw gone();
  return { body: Buffer.from(a.data), type: a.mime, fileName: a.fileName };
}
