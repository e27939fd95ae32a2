// Seal-use requests (S-10, S-11): draft → pending (step by step) → approved → partly used → used;
// rejected (the applicant may revise and resubmit as a new round), withdrawn, expired. Each
// transition is one conditional UPDATE in a transaction with its history event and audit event.
// Decisions on a step are serialised by locking the step row, so two approvers acting at once on
// an any-one step give exactly one transition, and the last two of an all-approve step cannot
// both think the other is still pending.
import "server-only";
import { PDFDocument } from "pdf-lib";
import { db, withTx, type Tx } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { appendAudit, type AuditActor } from "@/lib/audit/log";
import { diff } from "@/lib/audit/events";
import { auditActorOf, type Actor } from "@/lib/auth/session";
import { can, requirePermission } from "@/lib/auth/permissions";
import type { CheckedUpload } from "@/lib/uploads";
import { markLinkRead, notify, type NewNotification } from "@/lib/notifications";
import { endOfShanghaiDay, shanghaiDate } from "@/lib/calendar/working-days";
import { addWorkingDays } from "@/lib/calendar";
import { effectiveFlow, mayApprove, principalOf, USER_FOR_CHECK } from "@/lib/seal-use/flows";
import { requestNumber, SEAL_USE_STATUS_LABELS } from "@/lib/seal-use/labels";
import { DOCUMENT_MAX_FILES, type RequestFields, type RequestUpdateInput } from "@/lib/seal-use/schema";
import type { SealUseStatus } from "@/lib/generated/prisma/enums";

/** Reminder after this many working days pending on one step. */
export const REMIND_AFTER_WORKING_DAYS = 1;

type Transition = { from: readonly SealUseStatus[]; to: SealUseStatus; label: string };
/** The request state machine: from → to, and the name recorded in the history. */
export const REQUEST_TRANSITIONS = {
  submit: { from: ["DRAFT", "REJECTED"], to: "PENDING", label: "提交审批" },
  approve: { from: ["PENDING"], to: "APPROVED", label: "审批通过" },
  reject: { from: ["PENDING"], to: "REJECTED", label: "审批驳回" },
  withdraw: { from: ["DRAFT", "PENDING", "REJECTED", "APPROVED"], to: "WITHDRAWN", label: "撤回" },
  expire: { from: ["DRAFT", "PENDING", "REJECTED", "APPROVED", "PARTLY_USED"], to: "EXPIRED", label: "过期" },
} as const satisfies Record<string, Transition>;
type RequestAction = keyof typeof REQUEST_TRANSITIONS;

const ANOTHER = "该申请已被他人处理，请刷新后查看";
const link = (id: string) => `/seal-use/${id}`;

type Req = { id: string; status: SealUseStatus; version: number; round: number };

async function transition(tx: Tx, actor: AuditActor, req: Req, action: RequestAction, data: Record<string, unknown>, comment: string | null) {
  const t: Transition = REQUEST_TRANSITIONS[action];
  if (!t.from.includes(req.status)) throw new AppError("CONFLICT", `申请当前状态为「${SEAL_USE_STATUS_LABELS[req.status]}」，不能${t.label}`);
  const r = await tx.sealUseRequest.updateMany({ where: { id: req.id, status: req.status, version: req.version }, data: { ...data, status: t.to, version: { increment: 1 } } });
  if (r.count !== 1) throw new AppError("CONFLICT", ANOTHER);
  const round = typeof data.round === "number" ? data.round : req.round;
  await tx.sealUseEvent.create({ data: { requestId: req.id, round, action, actorId: actor.id, actorName: actor.name, comment } });
  await appendAudit(tx, actor, { action: "seal_use.transition", transition: action, from: req.status, to: t.to, round, comment }, { type: "SealUseRequest", id: req.id });
}

/** Pages and counts a PDF; refuses encrypted or unreadable files (they could not be signed). */
export async function pdfPages(doc: CheckedUpload): Promise<number> {
  try {
    const pdf = await PDFDocument.load(doc.data, { updateMetadata: false });
    return pdf.getPageCount();
  } catch (e) {
    const encrypted = e instanceof Error && /encrypt/i.test(e.message);
    throw new AppError("INVALID_INPUT", `文件 ${doc.filename} ${encrypted ? "已加密" : "无法解析"}，不能用于签章`, { documents: `文件 ${doc.filename} ${encrypted ? "已加密，请上传未加密的 PDF" : "不是有效的 PDF"}` });
  }
}

async function loadSealForUse(tx: Tx, actor: Actor, sealId: string) {
  const seal = await tx.seal.findUnique({ where: { id: sealId }, include: { holderDept: { select: { id: true, path: true, name: true } } } });
  if (!seal) throw new AppError("NOT_FOUND", "印章不存在或不在您的管辖范围内", { sealId: "印章不存在" });
  requirePermission(actor, "seal.apply", seal.holderDept);
  return seal;
}

function checkValidUntil(validUntil: string, seal: { status: string; validEnd: Date | null }, now: Date) {
  if (seal.status !== "ACTIVE") throw new AppError("CONFLICT", "只能为已启用的印章申请用印", { sealId: "该印章未启用或已注销" });
  const until = endOfShanghaiDay(validUntil);
  if (validUntil < shanghaiDate(now)) throw new AppError("INVALID_INPUT", "有效期不能早于今天", { validUntil: "有效期不能早于今天" });
  if (seal.validEnd && until > seal.validEnd) throw new AppError("INVALID_INPUT", "有效期超过了印章的有效期", { validUntil: `不能晚于印章有效期（${shanghaiDate(seal.validEnd)}）` });
  return until;
}

async function addDocuments(tx: Tx, actor: Actor, requestId: string, docs: CheckedUpload[]) {
  for (const d of docs) {
    const pages = await pdfPages(d);
    await tx.sealUseDocument.create({ data: { requestId, filename: d.filename, size: d.size, sm3: d.sm3, pages, data: d.data, uploadedById: actor.userId } });
  }
}

export async function createRequest(actor: Actor, input: RequestFields, docs: CheckedUpload[], now = new Date()) {
  // scope first (nothing about a file is said to someone out of scope), then the PDFs before
  // the transaction: a bad file should not hold locks
  await withTx((tx) => loadSealForUse(tx, actor, input.sealId));
  for (const d of docs) await pdfPages(d);
  const out = await withTx(async (tx) => {
    const seal = await loadSealForUse(tx, actor, input.sealId);
    const validUntil = checkValidUntil(input.validUntil, seal, now);
    const a = auditActorOf(actor);
    const req = await tx.sealUseRequest.create({
      data: {
        sealId: seal.id,
        holderDeptId: seal.holderDeptId,
        applicantId: actor.userId,
        applicantName: a.name,
        reason: input.reason,
        remarks: input.remarks || null,
        count: input.count,
        validUntil,
        status: "DRAFT",
      },
    });
    await addDocuments(tx, actor, req.id, docs);
    const number = requestNumber(req.seq, req.createdAt);
    await tx.sealUseEvent.create({ data: { requestId: req.id, round: 0, action: "create", actorId: actor.userId, actorName: a.name, comment: null } });
    await appendAudit(tx, a, { action: "seal_use.create", number, sealId: seal.id, count: input.count, documents: docs.map((d) => `${d.filename} ${d.sm3}`) }, { type: "SealUseRequest", id: req.id });
    const notes = input.submit ? await submitInTx(tx, actor, req.id, now) : [];
    return { id: req.id, number, notes };
  });
  await notify(out.notes);
  return { id: out.id, number: out.number };
}

/** The applicant edits a draft, or revises a rejected request (and may resubmit it as a new round). */
export async function updateRequest(actor: Actor, input: RequestUpdateInput, docs: CheckedUpload[], now = new Date()) {
  await withTx((tx) => loadRequest(tx, actor, input.requestId, "seal.apply"));
  for (const d of docs) await pdfPages(d);
  const out = await withTx(async (tx) => {
    const req = await tx.sealUseRequest.findUnique({ where: { id: input.requestId }, include: { seal: { include: { holderDept: true } }, documents: { where: { removedAt: null } } } });
    if (!req) throw new AppError("NOT_FOUND", "申请不存在或不在您的管辖范围内");
    requirePermission(actor, "seal.apply", req.seal.holderDept);
    if (req.applicantId !== actor.userId) throw new AppError("FORBIDDEN", "只有申请人可以修改申请");
    if (req.status !== "DRAFT" && req.status !== "REJECTED") throw new AppError("CONFLICT", `申请当前状态为「${SEAL_USE_STATUS_LABELS[req.status]}」，不能修改`);
    if (req.version !== input.baseVersion) throw new AppError("CONFLICT", ANOTHER);
    const validUntil = checkValidUntil(input.validUntil, req.seal, now);
    const keep = new Set(input.keepDocumentIds);
    const removed = req.documents.filter((d) => !keep.has(d.id));
    if (req.documents.length - removed.length + docs.length > DOCUMENT_MAX_FILES)
      throw new AppError("INVALID_INPUT", `最多 ${DOCUMENT_MAX_FILES} 个文件`, { documents: `最多 ${DOCUMENT_MAX_FILES} 个文件` });
    const changes = diff(
      { reason: req.reason, count: req.count, validUntil: req.validUntil, remarks: req.remarks },
      { reason: input.reason, count: input.count, validUntil, remarks: input.remarks || null },
    );
    const r = await tx.sealUseRequest.updateMany({
      where: { id: req.id, status: req.status, version: req.version },
      data: { reason: input.reason, count: input.count, validUntil, remarks: input.remarks || null, version: { increment: 1 } },
    });
    if (r.count !== 1) throw new AppError("CONFLICT", ANOTHER);
    if (removed.length) await tx.sealUseDocument.updateMany({ where: { id: { in: removed.map((d) => d.id) } }, data: { removedAt: now } });
    await addDocuments(tx, actor, req.id, docs);
    const a = auditActorOf(actor);
    await tx.sealUseEvent.create({ data: { requestId: req.id, round: req.round, action: "update", actorId: actor.userId, actorName: a.name, comment: null } });
    await appendAudit(tx, a, { action: "seal_use.update", changes, added: docs.map((d) => `${d.filename} ${d.sm3}`), removed: removed.map((d) => `${d.filename} ${d.sm3}`) }, { type: "SealUseRequest", id: req.id });
    const notes = input.submit ? await submitInTx(tx, actor, req.id, now) : [];
    return { id: req.id, notes };
  });
  await notify(out.notes);
  return { id: out.id };
}

export async function submitRequest(actor: Actor, requestId: string, now = new Date()) {
  const notes = await withTx((tx) => submitInTx(tx, actor, requestId, now));
  await notify(notes);
  return { id: requestId };
}

/**
 * Starts a round: copies the seal's current flow version into steps (role approvers resolved to
 * the people holding the role now), adds the custodian's confirmation as the last step when the
 * seal is used centrally, and activates the first step. The applicant is never an approver.
 */
async function submitInTx(tx: Tx, actor: Actor, requestId: string, now: Date): Promise<NewNotification[]> {
  const req = await tx.sealUseRequest.findUnique({
    where: { id: requestId },
    include: { seal: { include: { holderDept: true, custodians: true } }, documents: { where: { removedAt: null }, select: { id: true } } },
  });
  if (!req) throw new AppError("NOT_FOUND", "申请不存在或不在您的管辖范围内");
  requirePermission(actor, "seal.apply", req.seal.holderDept);
  if (req.applicantId !== actor.userId) throw new AppError("FORBIDDEN", "只有申请人可以提交申请");
  if (!req.documents.length) throw new AppError("INVALID_INPUT", "请上传需要用印的文件", { documents: "请至少上传一个 PDF 文件" });
  if (req.seal.status !== "ACTIVE") throw new AppError("CONFLICT", "印章未启用或已注销，不能提交用印申请");
  if (req.validUntil < now) throw new AppError("INVALID_INPUT", "有效期已过，请修改有效期", { validUntil: "有效期已过" });
  const flow = await effectiveFlow(tx, req.seal);
  if (!flow) throw new AppError("CONFLICT", "该印章尚未配置用印审批流程，请先由印章管理员在「用印审批流程」中设置");

  type Planned = { name: string; kind: "APPROVAL" | "CUSTODIAN"; mode: "ANY" | "ALL"; users: { id: string; name: string }[] };
  const planned: Planned[] = [];
  const placed = new Set<string>(); // one person approves at most one step of a round
  for (const [i, s] of flow.steps.entries()) {
    const ids = new Set<string>();
    const users = new Map<string, { id: string; name: string }>();
    for (const a of s.approvers) {
      const found =
        a.type === "USER"
          ? await tx.user.findMany({ where: { id: a.userId }, select: { ...USER_FOR_CHECK, username: true } })
          : await tx.user.findMany({ where: { departmentId: a.departmentId, status: "ACTIVE", roles: { some: { role: a.role } } }, select: { ...USER_FOR_CHECK, username: true } });
      for (const u of found) {
        if (u.id === req.applicantId || ids.has(u.id) || placed.has(u.id) || !mayApprove(u, req.seal.holderDept)) continue;
        ids.add(u.id);
        users.set(u.id, { id: u.id, name: `${u.name}(${u.username})` });
      }
    }
    if (!users.size) throw new AppError("CONFLICT", `审批环节「${s.name}」（第 ${i + 1} 步）没有可以审批的人员（申请人本人不能审批，同一人只审批一个环节），请联系印章管理员调整流程`);
    for (const id of ids) placed.add(id);
    planned.push({ name: s.name, kind: "APPROVAL", mode: s.mode, users: [...users.values()] });
  }
  if (req.seal.useMode === "CENTRALISED") {
    const custodians = await tx.user.findMany({ where: { id: { in: req.seal.custodians.map((c) => c.userId) }, status: "ACTIVE" }, select: { ...USER_FOR_CHECK, username: true } });
    const ok = custodians.filter((u) => u.id !== req.applicantId && can(principalOf(u), "seal.custody", req.seal.holderDept));
    if (!ok.length) throw new AppError("CONFLICT", "该印章没有可确认用印的保管人（申请人本人不能确认），请先设置保管人");
    planned.push({ name: "保管人确认", kind: "CUSTODIAN", mode: "ANY", users: ok.map((u) => ({ id: u.id, name: `${u.name}(${u.username})` })) });
  }

  const round = req.status === "DRAFT" ? 1 : req.round + 1;
  // the conditional transition first: a second submit racing this one stops here with a conflict
  await transition(tx, auditActorOf(actor), req, "submit", { round, flowVersionId: flow.version.id, currentStep: 0, submittedAt: now, approvedAt: null }, `流程「${flow.flow.name}」第 ${flow.version.number} 版`);
  const remindAt = (await addWorkingDays(now, REMIND_AFTER_WORKING_DAYS, tx)).due;
  const stepIds: string[] = [];
  for (const [index, p] of planned.entries()) {
    const step = await tx.sealUseStep.create({
      data: { requestId: req.id, round, index, name: p.name, kind: p.kind, mode: p.mode, status: index === 0 ? "ACTIVE" : "WAITING", activatedAt: index === 0 ? now : null, remindAt: index === 0 ? remindAt : null },
    });
    stepIds.push(step.id);
    await tx.sealUseAssignee.createMany({ data: p.users.map((u) => ({ stepId: step.id, requestId: req.id, userId: u.id, userName: u.name, origin: "FLOW" })) });
  }
  const number = requestNumber(req.seq, req.createdAt);
  return planned[0].users.map((u) => ({
    userId: u.id,
    kind: "seal_use.pending",
    title: `待审批：用印申请 ${number}`,
    body: `${req.applicantName} 申请使用「${req.seal.name}」：${req.reason}`,
    link: link(req.id),
    dedupeKey: `seal-use:${stepIds[0]}:${u.id}`,
  }));
}

type LockedStep = { id: string; requestId: string; round: number; index: number; name: string; kind: "APPROVAL" | "CUSTODIAN"; mode: "ANY" | "ALL"; status: string };

/** Loads a step with its row locked (every decision on one step runs one at a time). */
async function lockStep(tx: Tx, stepId: string, requestId: string): Promise<LockedStep> {
  const rows = await tx.$queryRaw<LockedStep[]>`SELECT "id", "requestId", "round", "index", "name", "kind"::text AS "kind", "mode"::text AS "mode", "status"::text AS "status" FROM "SealUseStep" WHERE "id" = ${stepId}::uuid AND "requestId" = ${requestId}::uuid FOR UPDATE`;
  if (!rows.length) throw new AppError("NOT_FOUND", "审批环节不存在");
  return rows[0];
}

/** The request, its seal and department, checked against the actor's scope for `perm`. */
async function loadRequest(tx: Tx, actor: Actor, requestId: string, perm: "seal.approve" | "seal.custody" | "seal.apply") {
  const req = await tx.sealUseRequest.findUnique({ where: { id: requestId }, include: { seal: { include: { holderDept: true, custodians: true } } } });
  if (!req) throw new AppError("NOT_FOUND", "申请不存在或不在您的管辖范围内");
  requirePermission(actor, perm, req.seal.holderDept);
  return req;
}

/** Whether the actor may act on this step now: active account, role and scope, and separation. */
async function checkActor(tx: Tx, actor: Actor, req: Awaited<ReturnType<typeof loadRequest>>, step: LockedStep) {
  if (actor.userId === req.applicantId) throw new AppError("FORBIDDEN", "不能审批自己提交的申请");
  const me = await tx.user.findUnique({ where: { id: actor.userId }, select: USER_FOR_CHECK });
  if (!me || me.status !== "ACTIVE") throw new AppError("FORBIDDEN", "账户已停用");
  if (step.kind === "APPROVAL") {
    if (!mayApprove(me, req.seal.holderDept)) throw new AppError("FORBIDDEN", "您已不是该印章范围内的用印审批人");
  } else {
    if (!req.seal.custodians.some((c) => c.userId === actor.userId) || !can(principalOf(me), "seal.custody", req.seal.holderDept))
      throw new AppError("FORBIDDEN", "您不是该印章的保管人");
    if (await approvedAnApprovalStep(tx, req.id, step.round, actor.userId))
      throw new AppError("FORBIDDEN", "您已在本申请中作为审批人同意，不能再作为保管人确认或盖章（审批与用印分离）");
  }
}

export async function approvedAnApprovalStep(tx: Pick<Tx, "sealUseAssignee">, requestId: string, round: number, userId: string): Promise<boolean> {
  return (await tx.sealUseAssignee.count({ where: { requestId, userId, decision: "APPROVED", step: { round, kind: "APPROVAL" } } })) > 0;
}

function stepDone(mode: "ANY" | "ALL", assignees: { origin: string; decision: string }[]): boolean {
  const live = assignees.filter((a) => a.decision !== "TRANSFERRED" && a.decision !== "SKIPPED");
  const added = live.filter((a) => a.origin === "ADDED");
  const others = live.filter((a) => a.origin !== "ADDED");
  if (!added.every((a) => a.decision === "APPROVED")) return false;
  return mode === "ALL" ? others.every((a) => a.decision === "APPROVED") : others.some((a) => a.decision === "APPROVED");
}

/** The permission that acts on each kind of step. */
const STEP_PERMISSION = { APPROVAL: "seal.approve", CUSTODIAN: "seal.custody" } as const;

/**
 * The active step the actor is about to act on, checked in this order: the request is in the
 * actor's scope under `as` (else "not found"), the step is of the kind `as` acts on, it is the
 * active step, and the actor is one of its pending approvers.
 */
async function activeStepFor(tx: Tx, actor: Actor, requestId: string, stepId: string, as: "seal.approve" | "seal.custody") {
  // lock first, so the request read below is what the previous decision on this step committed
  const step = await lockStep(tx, stepId, requestId);
  const req = await loadRequest(tx, actor, requestId, as);
  if (STEP_PERMISSION[step.kind] !== as) throw new AppError("FORBIDDEN", step.kind === "CUSTODIAN" ? "该环节须由印章保管人确认" : "该环节须由用印审批人审批");
  if (req.status !== "PENDING" || step.round !== req.round || step.index !== req.currentStep || step.status !== "ACTIVE")
    throw new AppError("CONFLICT", `该环节已不在审批中（申请状态：${SEAL_USE_STATUS_LABELS[req.status]}），请刷新`);
  await checkActor(tx, actor, req, step);
  const mine = await tx.sealUseAssignee.findUnique({ where: { stepId_userId: { stepId, userId: actor.userId } } });
  if (!mine) throw new AppError("FORBIDDEN", "您不是该环节的审批人");
  if (mine.decision !== "PENDING") throw new AppError("CONFLICT", "您已处理过该环节");
  return { step, req, mine };
}

/** Approve or reject the actor's part of the active step. */
export async function decide(
  actor: Actor,
  input: { requestId: string; stepId: string; decision: "APPROVED" | "REJECTED"; comment: string },
  now = new Date(),
  as: "seal.approve" | "seal.custody" = "seal.approve",
) {
  const notes = await withTx(async (tx) => {
    const { step, req, mine } = await activeStepFor(tx, actor, input.requestId, input.stepId, as);
    const a = auditActorOf(actor);
    const comment = input.comment || null;
    await tx.sealUseAssignee.update({ where: { id: mine.id }, data: { decision: input.decision, comment, decidedAt: now } });
    await tx.sealUseEvent.create({ data: { requestId: req.id, round: req.round, action: input.decision === "APPROVED" ? "approve_step" : "reject_step", actorId: actor.userId, actorName: a.name, comment: `【${step.name}】${comment ?? (input.decision === "APPROVED" ? "同意" : "")}` } });
    await appendAudit(tx, a, { action: "seal_use.decision", stepId: step.id, step: step.name, decision: input.decision, comment }, { type: "SealUseRequest", id: req.id });
    const number = requestNumber(req.seq, req.createdAt);
    const toApplicant = (title: string, body: string, key: string): NewNotification => ({ userId: req.applicantId, kind: "seal_use.result", title, body, link: link(req.id), dedupeKey: `seal-use:${req.id}:${req.round}:${key}` });

    if (input.decision === "REJECTED") {
      await tx.sealUseStep.update({ where: { id: step.id }, data: { status: "REJECTED", finishedAt: now } });
      await tx.sealUseAssignee.updateMany({ where: { requestId: req.id, decision: "PENDING" }, data: { decision: "SKIPPED" } });
      await tx.sealUseStep.updateMany({ where: { requestId: req.id, round: req.round, status: "WAITING" }, data: { status: "CANCELLED" } });
      await transition(tx, a, req, "reject", { currentStep: null }, comment);
      return [toApplicant(`用印申请 ${number} 被驳回`, `${a.name} 在「${step.name}」驳回：${(comment ?? "").replace(/[。.！!]+$/, "")}。您可以修改后重新提交。`, "rejected")];
    }

    const assignees = await tx.sealUseAssignee.findMany({ where: { stepId: step.id }, select: { origin: true, decision: true } });
    if (!stepDone(step.mode, assignees)) return [];
    await tx.sealUseStep.update({ where: { id: step.id }, data: { status: "APPROVED", finishedAt: now } });
    await tx.sealUseAssignee.updateMany({ where: { stepId: step.id, decision: "PENDING" }, data: { decision: "SKIPPED" } });
    const next = await tx.sealUseStep.findUnique({ where: { requestId_round_index: { requestId: req.id, round: req.round, index: step.index + 1 } }, include: { assignees: true } });
    if (next) {
      await tx.sealUseStep.update({ where: { id: next.id }, data: { status: "ACTIVE", activatedAt: now, remindAt: (await addWorkingDays(now, REMIND_AFTER_WORKING_DAYS, tx)).due } });
      const r = await tx.sealUseRequest.updateMany({ where: { id: req.id, status: "PENDING", currentStep: step.index, version: req.version }, data: { currentStep: next.index, version: { increment: 1 } } });
      if (r.count !== 1) throw new AppError("CONFLICT", ANOTHER);
      return next.assignees.map((u) => ({
        userId: u.userId,
        kind: "seal_use.pending",
        title: next.kind === "CUSTODIAN" ? `待确认用印：${number}` : `待审批：用印申请 ${number}`,
        body: `${req.applicantName} 申请使用「${req.seal.name}」：${req.reason}`,
        link: link(req.id),
        dedupeKey: `seal-use:${next.id}:${u.userId}`,
      }));
    }
    await transition(tx, a, req, "approve", { currentStep: null, approvedAt: now }, null);
    const custodianNotes: NewNotification[] = req.seal.useMode === "CENTRALISED"
      ? req.seal.custodians.map((c) => ({ userId: c.userId, kind: "seal_use.approved", title: `可盖章：用印申请 ${number}`, body: `「${req.seal.name}」用印 ${req.count} 次已批准：${req.reason}`, link: link(req.id), dedupeKey: `seal-use:${req.id}:${req.round}:sign:${c.userId}` }))
      : [];
    return [toApplicant(`用印申请 ${number} 已批准`, `「${req.seal.name}」用印 ${req.count} 次已全部审批通过。`, "approved"), ...custodianNotes];
  });
  await notify(notes);
  await markLinkRead(actor.userId, link(input.requestId));
  return { id: input.requestId };
}

/** Whether `userId` already has a part in another step of this round (one person, one step). */
async function inAnotherStep(tx: Tx, requestId: string, round: number, stepId: string, userId: string): Promise<boolean> {
  return (await tx.sealUseAssignee.count({ where: { requestId, userId, stepId: { not: stepId }, decision: { notIn: ["TRANSFERRED", "SKIPPED"] }, step: { round } } })) > 0;
}

async function eligibleFor(tx: Tx, req: Awaited<ReturnType<typeof loadRequest>>, step: LockedStep, userId: string) {
  const u = await tx.user.findUnique({ where: { id: userId }, select: { ...USER_FOR_CHECK, username: true } });
  if (!u || u.id === req.applicantId) return null;
  // a transfer or an added approver must not let one person approve two levels
  if (await inAnotherStep(tx, req.id, step.round, step.id, u.id)) return null;
  if (step.kind === "APPROVAL") return mayApprove(u, req.seal.holderDept) ? u : null;
  const isCustodian = req.seal.custodians.some((c) => c.userId === u.id) && u.status === "ACTIVE" && can(principalOf(u), "seal.custody", req.seal.holderDept);
  return isCustodian && !(await approvedAnApprovalStep(tx, req.id, step.round, u.id)) ? u : null;
}

/** 转办: the actor hands their part of the step to another eligible person. */
export async function transferStep(actor: Actor, input: { requestId: string; stepId: string; toUserId: string; comment: string }, now = new Date()) {
  const notes = await withTx(async (tx) => {
    const { step, req, mine } = await activeStepFor(tx, actor, input.requestId, input.stepId, "seal.approve");
    const to = await eligibleFor(tx, req, step, input.toUserId);
    if (!to) throw new AppError("INVALID_INPUT", "转办对象不能处理该环节", { toUserId: "该人员不能处理该环节：不是本印章范围内有效的审批人、是申请人本人，或已在本申请的其他环节中" });
    if (await tx.sealUseAssignee.findUnique({ where: { stepId_userId: { stepId: step.id, userId: to.id } } }))
      throw new AppError("INVALID_INPUT", "该人员已在本环节中", { toUserId: "该人员已在本环节中" });
    const a = auditActorOf(actor);
    await tx.sealUseAssignee.update({ where: { id: mine.id }, data: { decision: "TRANSFERRED", comment: `转办给 ${to.name}：${input.comment}`, decidedAt: now } });
    await tx.sealUseAssignee.create({ data: { stepId: step.id, requestId: req.id, userId: to.id, userName: `${to.name}(${to.username})`, origin: "TRANSFER", addedById: actor.userId } });
    await tx.sealUseEvent.create({ data: { requestId: req.id, round: req.round, action: "transfer", actorId: actor.userId, actorName: a.name, comment: `【${step.name}】转办给 ${to.name}：${input.comment}` } });
    await appendAudit(tx, a, { action: "seal_use.transfer", stepId: step.id, step: step.name, toUserId: to.id, comment: input.comment }, { type: "SealUseRequest", id: req.id });
    const number = requestNumber(req.seq, req.createdAt);
    return [{ userId: to.id, kind: "seal_use.pending", title: `转办待审批：用印申请 ${number}`, body: `${a.name} 将「${step.name}」转办给您：${input.comment}`, link: link(req.id), dedupeKey: `seal-use:${step.id}:${to.id}` }];
  });
  await notify(notes);
  await markLinkRead(actor.userId, link(input.requestId));
  return { id: input.requestId };
}

/** 加签: the actor adds another approver to the step; an added approver must also approve. */
export async function addApprover(actor: Actor, input: { requestId: string; stepId: string; userId: string; comment: string }) {
  const notes = await withTx(async (tx) => {
    const { step, req } = await activeStepFor(tx, actor, input.requestId, input.stepId, "seal.approve");
    if (step.kind !== "APPROVAL") throw new AppError("CONFLICT", "保管人确认环节不能加签");
    const u = await eligibleFor(tx, req, step, input.userId);
    if (!u) throw new AppError("INVALID_INPUT", "加签人不能处理该环节", { userId: "该人员不能处理该环节：不是本印章范围内有效的审批人、是申请人本人，或已在本申请的其他环节中" });
    if (await tx.sealUseAssignee.findUnique({ where: { stepId_userId: { stepId: step.id, userId: u.id } } }))
      throw new AppError("INVALID_INPUT", "该人员已在本环节中", { userId: "该人员已在本环节中" });
    const a = auditActorOf(actor);
    await tx.sealUseAssignee.create({ data: { stepId: step.id, requestId: req.id, userId: u.id, userName: `${u.name}(${u.username})`, origin: "ADDED", addedById: actor.userId } });
    await tx.sealUseEvent.create({ data: { requestId: req.id, round: req.round, action: "add_approver", actorId: actor.userId, actorName: a.name, comment: `【${step.name}】加签 ${u.name}：${input.comment}` } });
    await appendAudit(tx, a, { action: "seal_use.add_approver", stepId: step.id, step: step.name, userId: u.id, comment: input.comment }, { type: "SealUseRequest", id: req.id });
    const number = requestNumber(req.seq, req.createdAt);
    return [{ userId: u.id, kind: "seal_use.pending", title: `加签待审批：用印申请 ${number}`, body: `${a.name} 请您会同审批「${step.name}」：${input.comment}`, link: link(req.id), dedupeKey: `seal-use:${step.id}:${u.id}` }];
  });
  await notify(notes);
  await markLinkRead(actor.userId, link(input.requestId));
  return { id: input.requestId };
}

/** The applicant withdraws a request not yet used. */
export async function withdrawRequest(actor: Actor, input: { requestId: string; comment: string }, now = new Date()) {
  return withTx(async (tx) => {
    const req = await loadRequest(tx, actor, input.requestId, "seal.apply");
    if (req.applicantId !== actor.userId) throw new AppError("FORBIDDEN", "只有申请人可以撤回申请");
    if (req.usedCount > 0) throw new AppError("CONFLICT", "已用印的申请不能撤回");
    await closeSteps(tx, req.id, req.round, now);
    await transition(tx, auditActorOf(actor), req, "withdraw", { currentStep: null, closedAt: now }, input.comment || null);
    return { id: req.id };
  });
}

async function closeSteps(tx: Tx, requestId: string, round: number, now: Date) {
  await tx.sealUseStep.updateMany({ where: { requestId, round, status: { in: ["ACTIVE", "WAITING"] } }, data: { status: "CANCELLED", finishedAt: now } });
  await tx.sealUseAssignee.updateMany({ where: { requestId, decision: "PENDING" }, data: { decision: "SKIPPED" } });
}

const SYSTEM: AuditActor = { id: null, name: "system", role: "-", dept: "-", ip: null, userAgent: null };

/** Job: requests past their valid-until date expire (whatever remains unused is lost). */
export async function expireDueRequests(now = new Date()): Promise<number> {
  const due = await db().sealUseRequest.findMany({ where: { status: { in: [...REQUEST_TRANSITIONS.expire.from] }, validUntil: { lt: now } }, select: { id: true }, take: 500 });
  let n = 0;
  for (const { id } of due) {
    try {
      const note = await withTx(async (tx) => {
        const req = await tx.sealUseRequest.findUniqueOrThrow({ where: { id }, include: { seal: { select: { name: true } } } });
        if (req.validUntil >= now || !(REQUEST_TRANSITIONS.expire.from as readonly string[]).includes(req.status)) return null;
        await closeSteps(tx, req.id, req.round, now);
        await transition(tx, SYSTEM, req, "expire", { currentStep: null, closedAt: now }, `有效期至 ${shanghaiDate(req.validUntil)}`);
        const number = requestNumber(req.seq, req.createdAt);
        return { userId: req.applicantId, kind: "seal_use.expired", title: `用印申请 ${number} 已过期`, body: `「${req.seal.name}」的用印申请已超过有效期（已用 ${req.usedCount}/${req.count} 次）。`, link: link(req.id), dedupeKey: `seal-use:${req.id}:expired` };
      });
      if (note) {
        await notify([note]);
        n++;
      }
    } catch (e) {
      if (!(e instanceof AppError && e.code === "CONFLICT")) throw e;
    }
  }
  return n;
}

/** Job: a reminder to whoever still has to act on a step pending for a working day. */
export async function sendApprovalReminders(now = new Date()): Promise<number> {
  const steps = await db().sealUseStep.findMany({
    where: { status: "ACTIVE", remindAt: { lt: now }, remindedAt: null, request: { status: "PENDING" } },
    include: { assignees: { where: { decision: "PENDING" } }, request: { include: { seal: { select: { name: true } } } } },
    take: 500,
  });
  let sent = 0;
  for (const s of steps) {
    const number = requestNumber(s.request.seq, s.request.createdAt);
    sent += await notify(
      s.assignees.map((a) => ({
        userId: a.userId,
        kind: "seal_use.reminder",
        title: `催办：用印申请 ${number} 已等待超过 1 个工作日`,
        body: `「${s.name}」环节待您处理：${s.request.applicantName} 申请使用「${s.request.seal.name}」。`,
        link: link(s.requestId),
        dedupeKey: `seal-use-remind:${s.id}:${a.userId}`,
      })),
    );
    await db().sealUseStep.updateMany({ where: { id: s.id, remindedAt: null }, data: { remindedAt: now } });
  }
  return sent;
}
