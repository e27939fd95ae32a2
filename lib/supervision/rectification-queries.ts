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
import { deadlineState } from "@/lib/objections/common";
import { OBJECTION_STATUS_LABELS, type ObjectionStatus } from "@/lib/objections/schema";
import { LICENCE_STATUS_LABELS } from "@/lib/licenses/lifecycle-schema";
import { requestNumber, SEAL_USE_STATUS_LABELS } from "@/lib/seal-use/labels";
import { SPOT_CHECK_STATUS_LABELS, type SpotCheckStatus } from "@/lib/supervision/spot-checks-schema";
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

/** An evidence row's current state, read when the order page is shown (never stored). */
export type EvidenceState = {
  label: string;
  tone: "ok" | "warn" | "danger" | "info" | "";
  /** whole days past the row's own deadline (an open objection, an open order); 0 when not overdue */
  overdueDays: number;
  /** e.g. "标注超期 3 天，办结超期 1 天" (the title of the overdue badge) */
  hint: string | null;
};

/** An evidence row as the order page shows it: the record named once, its state, the stored label only where it adds something. */
export type EvidenceView = StoredEvidence & {
  href: string | null;
  /** "异议 YY…", "证照 <number>（<type>）", "用印申请 YY…", "抽查 CC…", "整改通知 ZG…", "链接 …" */
  text: string;
  /** the link's title attribute (a licence's identifier, a link's address) */
  title: string | null;
  /** what the stored label says beyond the record's name (a finding, a reason, the issuer's note) */
  note: string | null;
  /** null for a link; "记录不存在" when the row is gone */
  state: EvidenceState | null;
};

const OPEN_OBJECTION: readonly string[] = ["SUBMITTED", "MARKED"];
const isUuidText = (s: string) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(s);
const overdueDaysOf = (leftMs: number | null) => (leftMs !== null && leftMs < 0 ? Math.ceil(-leftMs / DAY_MS) : 0);
/** What a stored label may say that adds nothing next to the record's name and state. */
const NOTHING_MORE = new Set(["超期", "异议", "证照", "电子证照", "用印申请", "抽查", "整改通知", "链接"]);

/** The stored label without the parts the shown name already says; null when nothing is left. */
function noteOf(stored: string, drop: string[]): string | null {
  let s = stored;
  for (const t of drop.filter(Boolean).sort((a, b) => b.length - a.length)) s = s.split(t).join(" ");
  s = s
    .replace(/\s+/g, " ")
    .replace(/^[\s：:，,、；;（()）-]+|[\s：:，,、；;（(-]+$/g, "")
    .trim();
  return !s || NOTHING_MORE.has(s) ? null : s;
}

/**
 * Each evidence row with the record's current state (O-05 deadlines for an objection, the licence's
 * status, …) and the number of evidence objections still open (SUBMITTED or MARKED), for the
 * order page and its 验收办结 dialog. One query per kind.
 */
export async function evidenceViews(list: StoredEvidence[], now: Date): Promise<{ items: EvidenceView[]; openObjections: number }> {
  const idsOf = (k: StoredEvidence["kind"]) => [...new Set(list.filter((e) => e.kind === k && isUuidText(e.id)).map((e) => e.id))];
  const [objections, licences, sealUses, checks, orders] = await Promise.all([
    db().objection.findMany({ where: { id: { in: idsOf("OBJECTION") } }, select: { id: true, number: true, status: true, markDueAt: true, resolveDueAt: true } }),
    db().licence.findMany({ where: { id: { in: idsOf("LICENCE") } }, select: { id: true, name: true, identifier: true, licenceNumber: true, status: true, type: { select: { name: true } } } }),
    db().sealUseRequest.findMany({ where: { id: { in: idsOf("SEAL_USE") } }, select: { id: true, seq: true, createdAt: true, status: true } }),
    db().spotCheck.findMany({ where: { id: { in: idsOf("SPOT_CHECK") } }, select: { id: true, number: true, status: true } }),
    db().rectificationOrder.findMany({ where: { id: { in: idsOf("ORDER") } }, select: { id: true, number: true, status: true, dueAt: true } }),
  ]);
  const by = <T extends { id: string }>(rows: T[]) => new Map(rows.map((r) => [r.id, r]));
  const [objById, licById, sealById, checkById, orderById] = [by(objections), by(licences), by(sealUses), by(checks), by(orders)];
  const gone: EvidenceState = { label: "记录不存在", tone: "", overdueDays: 0, hint: null };
  const plain = (label: string, tone: EvidenceState["tone"] = ""): EvidenceState => ({ label, tone, overdueDays: 0, hint: null });
  let openObjections = 0;

  const items = list.map((e): EvidenceView => {
    const base = { ...e, href: evidenceHref(e), title: null as string | null };
    const missing = (kindWord: string): EvidenceView => ({ ...base, text: noteOf(e.label, []) ?? `${kindWord} ${e.id}`, note: null, state: gone });
    if (e.kind === "OBJECTION") {
      const o = objById.get(e.id);
      if (!o) return missing("异议");
      const status = o.status as ObjectionStatus;
      const open = OPEN_OBJECTION.includes(status);
      if (open) openObjections += 1;
      const d = deadlineState(o, now);
      const mark = d.overdue.mark ? overdueDaysOf(d.markLeftMs) : 0;
      const resolve = d.overdue.resolve ? overdueDaysOf(d.resolveLeftMs) : 0;
      const hint = [mark && `标注超期 ${mark} 天`, resolve && `办结超期 ${resolve} 天`].filter(Boolean).join("，") || null;
      const overdueDays = Math.max(mark, resolve);
      const tone: EvidenceState["tone"] = overdueDays > 0 ? "danger" : open ? "warn" : status === "RESOLVED" ? "ok" : "";
      const text = `异议 ${o.number}`;
      return { ...base, text, note: noteOf(e.label, [text, o.number]), state: { label: OBJECTION_STATUS_LABELS[status] ?? o.status, tone, overdueDays, hint } };
    }
    if (e.kind === "LICENCE") {
      const l = licById.get(e.id);
      if (!l) return missing("证照");
      const status = l.status;
      const text = `证照 ${l.licenceNumber}（${l.type.name}）`;
      const tone: EvidenceState["tone"] = status === "VALID" ? "ok" : status === "SUSPENDED" ? "warn" : "danger";
      return { ...base, text, title: l.identifier, note: noteOf(e.label, [`${l.name} ${l.identifier}`, l.identifier, text]), state: plain(LICENCE_STATUS_LABELS[status] ?? l.status, tone) };
    }
    if (e.kind === "SEAL_USE") {
      const r = sealById.get(e.id);
      if (!r) return missing("用印申请");
      const num = requestNumber(r.seq, r.createdAt);
      const text = `用印申请 ${num}`;
      return { ...base, text, note: noteOf(e.label, [text, num]), state: plain(SEAL_USE_STATUS_LABELS[r.status] ?? r.status) };
    }
    if (e.kind === "SPOT_CHECK") {
      const c = checkById.get(e.id);
      if (!c) return missing("抽查");
      const text = `抽查 ${c.number}`;
      return { ...base, text, note: noteOf(e.label, [text, c.number]), state: plain(SPOT_CHECK_STATUS_LABELS[c.status as SpotCheckStatus] ?? c.status, c.status === "DONE" ? "ok" : "info") };
    }
    if (e.kind === "ORDER") {
      const o = orderById.get(e.id);
      if (!o) return missing("整改通知");
      const status = o.status as RectificationStatus;
      const overdueDays = OPEN_FOR_RESPONSE.includes(status) ? daysOverdue(o.dueAt, now) : 0;
      const tone: EvidenceState["tone"] = overdueDays > 0 ? "danger" : status === "CLOSED" ? "ok" : status === "RESPONDED" ? "info" : "warn";
      const text = `整改通知 ${o.number}`;
      return { ...base, text, note: noteOf(e.label, [text, o.number]), state: { label: RECTIFICATION_STATUS_LABELS[status] ?? o.status, tone, overdueDays, hint: overdueDays ? `整改超期 ${overdueDays} 天` : null } };
    }
    // a link: kept as given
    return { ...base, text: `链接 ${e.label || e.id}`, title: e.label && e.label !== e.id ? e.id : null, note: null, state: null };
  });
  return { items, openObjections };
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
  const evidence = await evidenceViews(Array.isArray(o.evidence) ? (o.evidence as unknown as StoredEvidence[]) : [], now);
  return {
    ...toRow({ ...o, dept: { id: o.dept.id, name: o.dept.name } }, now),
    description: o.description,
    evidence: evidence.items,
    /** evidence objections still SUBMITTED or MARKED: a warning in the 验收办结 dialog, not a block */
    openObjections: evidence.openObjections,
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
