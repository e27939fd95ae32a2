// Rectification orders (责令限期整改, V-02): a supervisor (supervision.manage over the department)
// issues an order with its category, evidence and a due date in working days (stored, never
// recomputed); the department's responders (rectification.respond, own department) answer with
// measures and attachments; the supervisor accepts and closes, or returns it for another round.
//
// Transition table (each a conditional update on id + status + rev: of two people acting at once
// exactly one wins; each with its RectificationEvent and audit event in the same transaction, and
// a notification to the other side):
//   ─issue (supervision.manage)────────────────────────▶ ISSUED    round 1
//   ISSUED | RETURNED ─respond (rectification.respond)─▶ RESPONDED one response per round
//   RESPONDED ─close (supervision.manage, a note)──────▶ CLOSED
//   RESPONDED ─return (supervision.manage, a reason)───▶ RETURNED  round + 1, dueAt kept or extended
// Overdue: ISSUED or RETURNED and now > the stored dueAt.
import "server-only";
import { db, withTx, type Db, type Tx } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { appendAudit } from "@/lib/audit/log";
import { auditActorOf, type Actor } from "@/lib/auth/session";
import { can, hasPermission, requirePermission } from "@/lib/auth/permissions";
import { addWorkingDays } from "@/lib/calendar";
import { shanghaiDate } from "@/lib/calendar/working-days";
import { takeCounter } from "@/lib/licenses/counters";
import { notify } from "@/lib/notifications";
import { cut } from "@/lib/text";
import { requestNumber } from "@/lib/seal-use/labels";
import { conflictOnLock, eventActor, usersWith } from "@/lib/objections/common";
import type { RectificationOrder } from "@/lib/generated/prisma/client";
import { checkAttachments, type CheckedAttachment } from "@/lib/supervision/rectification-files";
import {
  CATEGORY_LABELS,
  closeInput,
  issueOrderInput,
  RECTIFICATION_STATUS_LABELS,
  respondInput,
  returnOrderInput,
  type CloseInput,
  type EvidenceItem,
  type IssueOrderFormInput,
  type RectificationStatus,
  type RespondInput,
  type ReturnOrderFormInput,
} from "@/lib/supervision/rectification-schema";
import type { z } from "zod";

export const ORDER_NOT_FOUND = "整改通知不存在或不在您的管辖范围内";
export const ANOTHER = "该整改通知刚被他人处理，请刷新页面查看最新状态后再操作";

export const orderLink = (id: string) => `/supervision/orders/${id}`;

/** The stored evidence: what was linked, with a label for the page. */
export type StoredEvidence = { kind: EvidenceItem["kind"]; id: string; label: string };

function parse<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const r = schema.safeParse(input);
  if (r.success) return r.data;
  const fieldErrors: Record<string, string> = {};
  for (const i of r.error.issues) fieldErrors[i.path.join(".") || "_form"] ??= i.message;
  throw new AppError("INVALID_INPUT", "请按提示修改后再提交", fieldErrors);
}

function orderTx<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
  return conflictOnLock(withTx(fn));
}

/** ZG + Shanghai yyyymmdd + a 4-digit daily sequence, taken outside the main transaction (a rollback leaves a gap). */
async function newOrderNumber(now: Date): Promise<string> {
  const day = shanghaiDate(now).replaceAll("-", "");
  const seq = await takeCounter(db(), `rectification:${day}`);
  if (seq > 9_999n) throw new AppError("CONFLICT", "今日整改通知编号已用完，请明日再下达");
  return `ZG${day}${seq.toString().padStart(4, "0")}`;
}

const isUuid = (s: string) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(s);

/** 用印申请编号 YY + year + sequence → where clause (the number is not stored; the sequence is unique). */
function sealUseWhere(ref: string): { id: string } | { seq: bigint; year: number } | null {
  if (isUuid(ref)) return { id: ref.toLowerCase() };
  const m = /^YY(\d{4})(\d{6,})$/.exec(ref.toUpperCase());
  return m ? { year: Number(m[1]), seq: BigInt(m[2]) } : null;
}

type Resolved = { id: string; label: string } | { error: string };

/** A licence by id, identifier, or number (of the department's licences; the newest version when a number has several). */
async function resolveLicence(tx: Db | Tx, deptId: string, ref: string): Promise<Resolved> {
  const notOurs = { error: "该证照不存在或不是被责令整改的部门签发的" };
  const select = { id: true, name: true, identifier: true, licenceNumber: true, issuerDeptId: true, typeId: true, version: true } as const;
  const one = isUuid(ref) ? await tx.licence.findUnique({ where: { id: ref.toLowerCase() }, select }) : await tx.licence.findUnique({ where: { identifier: ref }, select });
  if (one) return one.issuerDeptId === deptId ? { id: one.id, label: `${one.name} ${one.identifier}` } : notOurs;
  if (isUuid(ref)) return notOurs;
  const byNumber = await tx.licence.findMany({ where: { licenceNumber: ref, issuerDeptId: deptId }, select, orderBy: [{ version: "desc" }, { id: "asc" }], take: 50 });
  if (!byNumber.length) return notOurs;
  if (new Set(byNumber.map((l) => l.typeId)).size > 1) return { error: "该证照编号对应多种证照，请填写证照标识（1.2.156…）" };
  const l = byNumber[0];
  return { id: l.id, label: `${l.name} ${l.identifier}` };
}

async function resolveEvidence(tx: Db | Tx, deptId: string, e: EvidenceItem): Promise<Resolved> {
  const ref = e.id.trim();
  const byIdOrNumber = (number: string) => (isUuid(ref) ? { id: ref.toLowerCase() } : { number });
  if (e.kind === "OBJECTION") {
    const o = await tx.objection.findUnique({ where: byIdOrNumber(ref.toUpperCase()), select: { id: true, number: true, issuerDeptId: true, applicantDeptId: true } });
    if (!o || (o.issuerDeptId !== deptId && o.applicantDeptId !== deptId)) return { error: "该异议不存在或不属于被责令整改的部门" };
    return { id: o.id, label: `异议 ${o.number}` };
  }
  if (e.kind === "LICENCE") return resolveLicence(tx, deptId, ref);
  if (e.kind === "SEAL_USE") {
    const w = sealUseWhere(ref);
    const r = !w ? null : "id" in w ? await tx.sealUseRequest.findUnique({ where: { id: w.id }, select: { id: true, seq: true, createdAt: true, holderDeptId: true, reason: true } }) : await tx.sealUseRequest.findUnique({ where: { seq: w.seq }, select: { id: true, seq: true, createdAt: true, holderDeptId: true, reason: true } });
    if (!r || r.holderDeptId !== deptId || (w && "year" in w && r.createdAt.getUTCFullYear() !== w.year)) return { error: "该用印申请不存在或不属于被责令整改的部门" };
    return { id: r.id, label: `用印申请 ${requestNumber(r.seq, r.createdAt)}：${r.reason}` };
  }
  if (e.kind === "SPOT_CHECK") {
    const c = await tx.spotCheck.findUnique({ where: byIdOrNumber(ref.toUpperCase()), select: { id: true, number: true, deptIds: true } });
    if (!c || !c.deptIds.includes(deptId)) return { error: "该抽查不存在或未抽查被责令整改的部门" };
    return { id: c.id, label: `抽查 ${c.number}` };
  }
  if (e.kind === "ORDER") {
    const o = await tx.rectificationOrder.findUnique({ where: byIdOrNumber(ref.toUpperCase()), select: { id: true, number: true, deptId: true } });
    if (!o || o.deptId !== deptId) return { error: "该整改通知不存在或不属于被责令整改的部门" };
    return { id: o.id, label: `整改通知 ${o.number}` };
  }
  return { id: ref, label: ref };
}

/**
 * Each evidence row is given as users see it (an objection's, seal-use request's, spot check's or
 * order's number, a licence's identifier or number; an internal id from a link or the picker also
 * works) and must resolve to a row that belongs to the department: an objection about its
 * licences or raised by it, a licence it issued, a use request of its seals, a spot check that
 * sampled it, an earlier order to it. A link is kept as given. The stored evidence holds the
 * resolved id, so the order page links to the row.
 */
async function checkEvidence(tx: Db | Tx, deptId: string, items: EvidenceItem[]): Promise<StoredEvidence[]> {
  const errors: Record<string, string> = {};
  const out: StoredEvidence[] = [];
  const seen = new Set<string>();
  for (const [i, e] of items.entries()) {
    const r = await resolveEvidence(tx, deptId, e);
    if ("error" in r) errors[`evidence.${i}.id`] = r.error;
    else if (seen.has(`${e.kind}:${r.id}`)) errors[`evidence.${i}.id`] = "依据重复";
    else {
      seen.add(`${e.kind}:${r.id}`);
      out.push({ kind: e.kind, id: r.id, label: cut(e.label || r.label, 200) });
    }
  }
  if (Object.keys(errors).length) throw new AppError("INVALID_INPUT", "依据中有不存在或不属于该部门的记录", errors);
  return out;
}

type When = { now?: Date };

/** 下达整改通知 (V-02): supervision.manage over the target department. */
export async function issueOrder(actor: Actor, rawInput: IssueOrderFormInput, opts: When = {}): Promise<{ id: string; number: string }> {
  requirePermission(actor, "supervision.manage");
  const input = parse(issueOrderInput, rawInput);
  const now = opts.now ?? new Date();
  const dept = await db().department.findUnique({ where: { id: input.deptId }, select: { id: true, path: true, name: true, status: true } });
  if (!dept) throw new AppError("NOT_FOUND", "部门不存在或不在您的管辖范围内", { deptId: "部门不存在或不在您的管辖范围内" });
  requirePermission(actor, "supervision.manage", dept);
  if (dept.status !== "ACTIVE") throw new AppError("CONFLICT", "该部门已停用，不能下达整改通知", { deptId: "该部门已停用" });
  if (dept.id === actor.departmentId) throw new AppError("CONFLICT", "不能对本部门下达整改通知", { deptId: "不能对本部门下达整改通知" });
  const evidence = await checkEvidence(db(), dept.id, input.evidence);
  const number = await newOrderNumber(now);
  return orderTx(async (tx) => {
    const due = await addWorkingDays(now, input.dueDays, tx);
    const o = await tx.rectificationOrder.create({
      data: {
        number,
        deptId: dept.id,
        issuerDeptId: actor.departmentId,
        category: input.category,
        title: input.title,
        description: input.description,
        evidence,
        dueDays: input.dueDays,
        issuedAt: now,
        dueAt: due.due,
        calendarCovered: due.covered,
        status: "ISSUED",
        round: 1,
        createdById: actor.userId,
      },
    });
    await tx.rectificationEvent.create({
      data: { orderId: o.id, kind: "ISSUE", fromStatus: null, toStatus: "ISSUED", note: `整改期限 ${input.dueDays} 个工作日，至 ${shanghaiDate(due.due)}`, ...eventActor(actor, now) },
    });
    await appendAudit(
      tx,
      auditActorOf(actor),
      { action: "rectification.issue", number, deptId: dept.id, category: input.category, dept: dept.name, dueDays: input.dueDays, dueAt: due.due.toISOString(), evidence: evidence.length, calendarCovered: due.covered },
      { type: "RectificationOrder", id: o.id },
    );
    const users = await usersWith(tx, dept.id, "rectification.respond");
    await notify(
      users.map((u) => ({
        userId: u.id,
        kind: "rectification.issue",
        title: `责令限期整改：${number}`,
        body: cut(`${CATEGORY_LABELS[input.category]}：${input.title}。请于 ${shanghaiDate(due.due)} 前反馈整改情况。`, 1000),
        link: orderLink(o.id),
        dedupeKey: `rectification:${o.id}:issue:${u.id}`,
      })),
      tx,
    );
    return { id: o.id, number };
  });
}

type Loaded = RectificationOrder & { dept: { id: string; path: string; name: string } };

async function load(tx: Db | Tx, id: string): Promise<Loaded | null> {
  const o = await tx.rectificationOrder.findUnique({ where: { id } });
  if (!o) return null;
  const dept = await tx.department.findUniqueOrThrow({ where: { id: o.deptId }, select: { id: true, path: true, name: true } });
  return { ...o, dept };
}

/** The order, if `actor` supervises its department; else "not found". */
async function loadForSupervisor(tx: Db | Tx, actor: Actor, id: string): Promise<Loaded> {
  requirePermission(actor, "supervision.manage");
  const o = await load(tx, id);
  if (!o) throw new AppError("NOT_FOUND", ORDER_NOT_FOUND);
  requirePermission(actor, "supervision.manage", o.dept);
  return o;
}

/** The order, if `actor` is a responder of the department it is addressed to; else "not found". */
async function loadForResponder(tx: Db | Tx, actor: Actor, id: string): Promise<Loaded> {
  requirePermission(actor, "rectification.respond");
  const o = await load(tx, id);
  if (!o || o.deptId !== actor.departmentId) throw new AppError("NOT_FOUND", ORDER_NOT_FOUND);
  requirePermission(actor, "rectification.respond", o.dept);
  return o;
}

function stateMessage(status: string, wanted: "respond" | "close" | "return"): string {
  if (status === "CLOSED") return "该整改通知已办结";
  if (wanted === "respond") return status === "RESPONDED" ? "已反馈整改情况，正在等待验收" : ANOTHER;
  return status === "RESPONDED" ? ANOTHER : `该整改通知${RECTIFICATION_STATUS_LABELS[status as RectificationStatus] ?? status}，尚未反馈整改情况`;
}

async function lostRace(tx: Tx, id: string, wanted: "respond" | "close" | "return"): Promise<never> {
  const now = await tx.rectificationOrder.findUniqueOrThrow({ where: { id }, select: { status: true } });
  throw new AppError("CONFLICT", stateMessage(now.status, wanted));
}

async function audit(tx: Tx, actor: Actor, o: RectificationOrder, transition: string, from: string, to: string, extra: Record<string, string | number | boolean | null> = {}) {
  await appendAudit(tx, auditActorOf(actor), { action: "rectification.transition", number: o.number, transition, from, to, ...extra }, { type: "RectificationOrder", id: o.id });
}

type Files = File[] | CheckedAttachment[];

async function attachmentsOf(files: Files): Promise<CheckedAttachment[]> {
  if (files.every((f): f is File => typeof File !== "undefined" && f instanceof File)) return checkAttachments(files);
  // already checked by the action: checked again, from the bytes
  const again = (files).map((c) => new File([Buffer.from(c.data)], c.filename));
  return checkAttachments(again);
}

/** 反馈整改情况 (V-02): a responder of the department, while ISSUED or RETURNED; one response per round. */
export async function respondOrder(actor: Actor, rawInput: RespondInput, files: Files = [], opts: When = {}): Promise<{ responseId: string }> {
  const input = parse(respondInput, rawInput);
  const now = opts.now ?? new Date();
  const o0 = await loadForResponder(db(), actor, input.id);
  if (o0.status !== "ISSUED" && o0.status !== "RETURNED") throw new AppError("CONFLICT", stateMessage(o0.status, "respond"));
  const attachments = await attachmentsOf(files);
  return orderTx(async (tx) => {
    const o = await loadForResponder(tx, actor, input.id);
    if (o.status !== "ISSUED" && o.status !== "RETURNED") throw new AppError("CONFLICT", stateMessage(o.status, "respond"));
    if (o.rev !== input.rev) throw new AppError("CONFLICT", ANOTHER);
    const r = await tx.rectificationOrder.updateMany({ where: { id: o.id, status: o.status, rev: input.rev }, data: { status: "RESPONDED", respondedAt: now, rev: { increment: 1 } } });
    if (r.count !== 1) await lostRace(tx, o.id, "respond");
    const resp = await tx.rectificationResponse.create({ data: { orderId: o.id, round: o.round, measures: input.measures, responderId: actor.userId, responderName: cut(actor.name, 100), createdAt: now } });
    if (attachments.length)
      await tx.rectificationAttachment.createMany({ data: attachments.map((a) => ({ responseId: resp.id, fileName: cut(a.filename, 200), mime: a.mime, size: a.size, sm3: a.sm3, data: a.data })) });
    const late = now > o.dueAt;
    await tx.rectificationEvent.create({ data: { orderId: o.id, kind: "RESPOND", fromStatus: o.status, toStatus: "RESPONDED", note: cut(`第 ${o.round} 轮反馈${late ? "（超期）" : ""}：${input.measures}`, 2000), ...eventActor(actor, now) } });
    await audit(tx, actor, o, "respond", o.status, "RESPONDED", { round: o.round, attachments: attachments.length, late });
    await notify(
      [
        {
          userId: o.createdById,
          kind: "rectification.respond",
          title: `整改情况待验收：${o.number}`,
          body: cut(`${o.dept.name} 已反馈第 ${o.round} 轮整改情况：${input.measures}`, 1000),
          link: orderLink(o.id),
          dedupeKey: `rectification:${o.id}:respond:${o.round}:${o.createdById}`,
        },
      ],
      tx,
    );
    return { responseId: resp.id };
  });
}

/** In-app notification to the responders of the order's department (once per key). */
export async function tellDepartment(tx: Tx, o: Pick<Loaded, "id" | "deptId">, kind: string, title: string, body: string, key: string) {
  const users = await usersWith(tx, o.deptId, "rectification.respond");
  await notify(users.map((u) => ({ userId: u.id, kind, title, body: cut(body, 1000), link: orderLink(o.id), dedupeKey: `rectification:${o.id}:${key}:${u.id}` })), tx);
}

/** 验收办结 (V-02): RESPONDED → CLOSED with the supervisor's note. */
export async function closeOrder(actor: Actor, rawInput: CloseInput, opts: When = {}): Promise<void> {
  const input = parse(closeInput, rawInput);
  const now = opts.now ?? new Date();
  await orderTx(async (tx) => {
    const o = await loadForSupervisor(tx, actor, input.id);
    if (o.status !== "RESPONDED") throw new AppError("CONFLICT", stateMessage(o.status, "close"));
    if (o.rev !== input.rev) throw new AppError("CONFLICT", ANOTHER);
    const r = await tx.rectificationOrder.updateMany({
      where: { id: o.id, status: "RESPONDED", rev: input.rev },
      data: { status: "CLOSED", closedAt: now, closedById: actor.userId, closeNote: input.note, rev: { increment: 1 } },
    });
    if (r.count !== 1) await lostRace(tx, o.id, "close");
    await tx.rectificationEvent.create({ data: { orderId: o.id, kind: "CLOSE", fromStatus: "RESPONDED", toStatus: "CLOSED", note: input.note, ...eventActor(actor, now) } });
    await audit(tx, actor, o, "close", "RESPONDED", "CLOSED", { round: o.round, note: cut(input.note, 500) });
    await tellDepartment(tx, o, "rectification.close", `整改已验收办结：${o.number}`, `${o.title}：${input.note}`, "close");
  });
}

/** 退回 (V-02): RESPONDED → RETURNED, round + 1; the due date kept, or extended by N working days. */
export async function returnOrder(actor: Actor, rawInput: ReturnOrderFormInput, opts: When = {}): Promise<{ dueAt: Date }> {
  const input = parse(returnOrderInput, rawInput);
  const now = opts.now ?? new Date();
  return orderTx(async (tx) => {
    const o = await loadForSupervisor(tx, actor, input.id);
    if (o.status !== "RESPONDED") throw new AppError("CONFLICT", stateMessage(o.status, "return"));
    if (o.rev !== input.rev) throw new AppError("CONFLICT", ANOTHER);
    const ext = input.extendDays > 0 ? await addWorkingDays(o.dueAt, input.extendDays, tx) : null;
    const dueAt = ext ? ext.due : o.dueAt;
    const r = await tx.rectificationOrder.updateMany({
      where: { id: o.id, status: "RESPONDED", rev: input.rev },
      data: { status: "RETURNED", round: { increment: 1 }, dueAt, ...(ext ? { calendarCovered: o.calendarCovered && ext.covered } : {}), rev: { increment: 1 } },
    });
    if (r.count !== 1) await lostRace(tx, o.id, "return");
    const reasonText = input.reason.replace(/[。；;.,，\s]+$/u, "");
    const extText = ext ? `；整改期限延长 ${input.extendDays} 个工作日，至 ${shanghaiDate(dueAt)}` : `；整改期限不变（${shanghaiDate(dueAt)}）`;
    await tx.rectificationEvent.create({ data: { orderId: o.id, kind: "RETURN", fromStatus: "RESPONDED", toStatus: "RETURNED", note: cut(`${reasonText}${extText}`, 2000), ...eventActor(actor, now) } });
    await audit(tx, actor, o, "return", "RESPONDED", "RETURNED", { round: o.round + 1, extendDays: input.extendDays, dueAt: dueAt.toISOString(), previousDueAt: o.dueAt.toISOString() });
    await tellDepartment(tx, o, "rectification.return", `整改情况被退回：${o.number}`, `${reasonText}${extText}`, `return:${o.round}`);
    return { dueAt };
  });
}

/** What `actor` may do to an order now (the detail page's buttons; every action checks again). */
export function orderAbilities(actor: Actor, o: { status: string; deptId: string; dept: { id: string; path: string } }) {
  const supervises = can(actor, "supervision.manage", o.dept);
  const responds = hasPermission(actor, "rectification.respond") && o.deptId === actor.departmentId;
  return {
    canRespond: responds && (o.status === "ISSUED" || o.status === "RETURNED"),
    canClose: supervises && o.status === "RESPONDED",
    canReturn: supervises && o.status === "RESPONDED",
  };
}
