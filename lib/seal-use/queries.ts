// Reads for the seal-use pages: requests in scope, the approval queue, a request's detail with
// what the viewer may do, use records (S-11) and their export, and the invariant supervision
// watches: no use record without a fully approved request.
import "server-only";
import { SEAL_KIND_LABELS } from "@/lib/seals/kinds";
import { db, withTx, Prisma } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { can, departmentWhere, departmentWhereAny, hasPermission, type Permission } from "@/lib/auth/permissions";
import type { Actor } from "@/lib/auth/session";
import { sortKey, type Paged } from "@/lib/pagination";
import { endOfShanghaiDay, nextDate, startOfShanghaiDay } from "@/lib/calendar/working-days";
import { requestNumber } from "@/lib/seal-use/labels";
import { signBlock } from "@/lib/seal-use/signing";
import { mayApprove, USER_FOR_CHECK } from "@/lib/seal-use/flows";
import type { RecordFilter, RequestFilter } from "@/lib/seal-use/schema";

/** Who may look at seal use at all (each within their department scope). */
export const SEAL_USE_VIEW_PERMISSIONS = ["seal.apply", "seal.approve", "seal.custody", "supervision.read"] as const satisfies readonly Permission[];
const VIEW_PERMS: readonly Permission[] = SEAL_USE_VIEW_PERMISSIONS;

/** Departments whose seal use the actor may see, as a Prisma filter on Department (null: none). */
function deptScope(actor: Actor) {
  return departmentWhereAny(actor, VIEW_PERMS);
}

function requireView(actor: Actor) {
  const s = deptScope(actor);
  if (!s) throw new AppError("FORBIDDEN", "您没有查看用印信息的权限");
  return s;
}

function canView(actor: Actor, dept: { id: string; path: string }) {
  return VIEW_PERMS.some((p) => can(actor, p, dept));
}

export type RequestRow = {
  id: string;
  number: string;
  sealName: string;
  deptName: string;
  applicantName: string;
  reason: string;
  count: number;
  usedCount: number;
  validUntil: string;
  status: string;
  currentStep: string | null;
  createdAt: string;
};

const SORTS = ["createdAt", "validUntil", "status"] as const;

export async function listRequests(actor: Actor, f: RequestFilter): Promise<Paged<RequestRow>> {
  const scope = requireView(actor);
  // a chosen department narrows the scope to its subtree (outside the scope: nothing matches)
  const chosen = f.dept ? await db().department.findUnique({ where: { id: f.dept }, select: { path: true } }) : null;
  const day = (from?: string, to?: string) =>
    from || to ? { ...(from ? { gte: startOfShanghaiDay(from) } : { not: null }), ...(to ? { lt: startOfShanghaiDay(nextDate(to)) } : {}) } : undefined;
  const submittedAt = day(f.submittedFrom, f.submittedTo);
  const approvedAt = day(f.approvedFrom, f.approvedTo);
  const where: Prisma.SealUseRequestWhereInput = {
    holderDept: f.dept ? { AND: [scope, { path: { startsWith: chosen?.path ?? "/none/" } }] } : scope,
    ...(submittedAt ? { submittedAt } : {}),
    ...(approvedAt ? { approvedAt } : {}),
    ...(f.status ? { status: f.status } : {}),
    ...(f.mine ? { applicantId: actor.userId } : {}),
    ...(f.q ? { OR: [{ reason: { contains: f.q } }, { seal: { name: { contains: f.q } } }, { applicantName: { contains: f.q } }] } : {}),
  };
  const key = sortKey(f.sort, SORTS, "createdAt");
  const [total, rows] = await Promise.all([
    db().sealUseRequest.count({ where }),
    db().sealUseRequest.findMany({
      where,
      orderBy: [{ [key]: f.sort ? f.dir : "desc" }, { id: "asc" }],
      skip: (f.page - 1) * f.pageSize,
      take: f.pageSize,
      include: { seal: { select: { name: true } }, holderDept: { select: { name: true } }, steps: { where: { status: "ACTIVE" }, select: { name: true, round: true } } },
    }),
  ]);
  return {
    total,
    page: f.page,
    pageSize: f.pageSize,
    rows: rows.map((r) => ({
      id: r.id,
      number: requestNumber(r.seq, r.createdAt),
      sealName: r.seal.name,
      deptName: r.holderDept.name,
      applicantName: r.applicantName,
      reason: r.reason,
      count: r.count,
      usedCount: r.usedCount,
      validUntil: r.validUntil.toISOString(),
      status: r.status,
      currentStep: r.steps.find((s) => s.round === r.round)?.name ?? null,
      createdAt: r.createdAt.toISOString(),
    })),
  };
}

export type QueueRow = { requestId: string; stepId: string; number: string; sealName: string; applicantName: string; reason: string; step: string; kind: string; count: number; waitingSince: string; overdue: boolean };

/** "Pending on me": steps where the actor still has to decide. */
export async function approvalQueue(actor: Actor, now = new Date()): Promise<QueueRow[]> {
  if (!hasPermission(actor, "seal.approve") && !hasPermission(actor, "seal.custody")) throw new AppError("FORBIDDEN", "您没有审批用印的权限");
  const mine = await db().sealUseAssignee.findMany({
    where: { userId: actor.userId, decision: "PENDING", step: { status: "ACTIVE", request: { status: "PENDING" } } },
    include: { step: { include: { request: { include: { seal: { select: { name: true } } } } } } },
    orderBy: { createdAt: "asc" },
    take: 500,
  });
  return mine
    .filter((a) => a.step.request.status === "PENDING")
    .map((a) => ({
      requestId: a.requestId,
      stepId: a.stepId,
      number: requestNumber(a.step.request.seq, a.step.request.createdAt),
      sealName: a.step.request.seal.name,
      applicantName: a.step.request.applicantName,
      reason: a.step.request.reason,
      step: a.step.name,
      kind: a.step.kind,
      count: a.step.request.count,
      waitingSince: (a.step.activatedAt ?? a.createdAt).toISOString(),
      overdue: !!a.step.remindAt && a.step.remindAt < now,
    }));
}

export type ToSignRow = { requestId: string; number: string; sealName: string; applicantName: string; reason: string; count: number; usedCount: number; validUntil: string };

/** Approved requests waiting for the actor, as custodian of the seal, to apply it. */
export async function signQueue(actor: Actor, now = new Date()): Promise<ToSignRow[]> {
  if (!hasPermission(actor, "seal.custody")) return [];
  const rows = await db().sealUseRequest.findMany({
    where: { status: { in: ["APPROVED", "PARTLY_USED"] }, validUntil: { gte: now }, seal: { custodians: { some: { userId: actor.userId } } }, holderDept: departmentWhere(actor, "seal.custody") },
    include: { seal: { select: { name: true } } },
    orderBy: { approvedAt: "asc" },
    take: 200,
  });
  return rows.map((r) => ({ requestId: r.id, number: requestNumber(r.seq, r.createdAt), sealName: r.seal.name, applicantName: r.applicantName, reason: r.reason, count: r.count, usedCount: r.usedCount, validUntil: r.validUntil.toISOString() }));
}

/** Everything the request page shows, and what the viewer may do there. */
export async function requestDetail(actor: Actor, id: string, now = new Date()) {
  const r = await db().sealUseRequest.findUnique({
    where: { id },
    include: {
      seal: { include: { holderDept: { select: { id: true, path: true, name: true } }, custodians: { select: { userId: true } } } },
      documents: { select: { id: true, filename: true, size: true, sm3: true, pages: true, createdAt: true, removedAt: true }, orderBy: { createdAt: "asc" } },
      steps: { include: { assignees: { orderBy: { createdAt: "asc" } } }, orderBy: [{ round: "desc" }, { index: "asc" }] },
      events: { orderBy: { at: "asc" } },
      signatures: { where: { status: "DONE" }, select: { id: true, documentId: true, signerName: true, createdAt: true, completedAt: true, riding: true, signedSm3: true, sealedSm3: true, position: true }, orderBy: { completedAt: "asc" } },
    },
  });
  const assignee = r && (await db().sealUseAssignee.count({ where: { requestId: id, userId: actor.userId } })) > 0;
  if (!r || (!canView(actor, r.seal.holderDept) && !assignee)) throw new AppError("NOT_FOUND", "申请不存在或不在您的管辖范围内");

  const activeStep = r.steps.find((s) => s.round === r.round && s.status === "ACTIVE") ?? null;
  const myPart = activeStep?.assignees.find((a) => a.userId === actor.userId && a.decision === "PENDING") ?? null;
  const isApplicant = r.applicantId === actor.userId;
  const signReason = await withTx((tx) => signBlock(tx, actor, r, now));
  const rejected = r.steps.filter((s) => s.round === r.round && s.status === "REJECTED").flatMap((s) => s.assignees.filter((a) => a.decision === "REJECTED"))[0];
  const mayUseSignPage = r.seal.custodians.some((c) => c.userId === actor.userId) || (r.seal.useMode === "DISTRIBUTED" && isApplicant);
  return {
    request: {
      id: r.id,
      number: requestNumber(r.seq, r.createdAt),
      status: r.status,
      reason: r.reason,
      remarks: r.remarks,
      count: r.count,
      usedCount: r.usedCount,
      validUntil: r.validUntil.toISOString(),
      round: r.round,
      version: r.version,
      applicantName: r.applicantName,
      createdAt: r.createdAt.toISOString(),
      submittedAt: r.submittedAt?.toISOString() ?? null,
      approvedAt: r.approvedAt?.toISOString() ?? null,
    },
    seal: {
      id: r.seal.id,
      name: r.seal.name,
      esId: r.seal.esId,
      useMode: r.seal.useMode,
      deptName: r.seal.holderDept.name,
      widthMm: r.seal.pictureWidthMm,
      heightMm: r.seal.pictureHeightMm,
    },
    rejection: rejected ? { by: rejected.userName, at: rejected.decidedAt?.toISOString() ?? null, comment: rejected.comment ?? "" } : null,
    documents: r.documents.map((d) => ({ ...d, createdAt: d.createdAt.toISOString(), removedAt: d.removedAt?.toISOString() ?? null })),
    rounds: [...new Set(r.steps.map((s) => s.round))].map((round) => ({
      round,
      steps: r.steps
        .filter((s) => s.round === round)
        .map((s) => ({
          id: s.id,
          index: s.index,
          name: s.name,
          kind: s.kind,
          mode: s.mode,
          status: s.status,
          activatedAt: s.activatedAt?.toISOString() ?? null,
          finishedAt: s.finishedAt?.toISOString() ?? null,
          assignees: s.assignees.map((a) => ({ id: a.id, userId: a.userId, userName: a.userName, origin: a.origin, decision: a.decision, comment: a.comment, decidedAt: a.decidedAt?.toISOString() ?? null })),
        })),
    })),
    events: r.events.map((e) => ({ id: e.id.toString(), round: e.round, action: e.action, actorName: e.actorName, comment: e.comment, at: e.at.toISOString() })),
    // signedAt: the signing time in the signature and the use record (the reservation's instant)
    signatures: r.signatures.map(({ createdAt, ...s }) => ({ ...s, signedAt: createdAt.toISOString(), completedAt: s.completedAt?.toISOString() ?? null, position: s.position as { page: number; x: number; y: number } })),
    can: {
      edit: isApplicant && (r.status === "DRAFT" || r.status === "REJECTED"),
      submit: isApplicant && r.status === "DRAFT",
      withdraw: isApplicant && r.usedCount === 0 && ["DRAFT", "PENDING", "REJECTED", "APPROVED"].includes(r.status),
      decide: myPart ? { stepId: activeStep!.id, stepName: activeStep!.name, kind: activeStep!.kind } : null,
      sign: mayUseSignPage ? { allowed: signReason === null, reason: signReason, needsPassword: r.seal.useMode === "DISTRIBUTED" } : null,
    },
  };
}
export type RequestDetail = Awaited<ReturnType<typeof requestDetail>>;

/** A request document's bytes, for preview, if the actor may see the request. */
export async function documentFile(actor: Actor, documentId: string) {
  const d = await db().sealUseDocument.findUnique({ where: { id: documentId }, include: { request: { include: { holderDept: { select: { id: true, path: true } } } } } });
  if (!d) throw new AppError("NOT_FOUND", "文件不存在");
  const assignee = (await db().sealUseAssignee.count({ where: { requestId: d.requestId, userId: actor.userId } })) > 0;
  if (!canView(actor, d.request.holderDept) && !assignee) throw new AppError("NOT_FOUND", "文件不存在");
  return { filename: d.filename, data: d.data };
}

/** A sealed PDF or its SES_Signature, for download by those in scope (S-13 archive). */
export async function signatureFile(actor: Actor, signatureId: string) {
  const s = await db().sealUseSignature.findUnique({ where: { id: signatureId }, include: { request: { include: { holderDept: { select: { id: true, path: true } } } } } });
  if (!s || s.status !== "DONE" || !s.sealedPdf || !s.signatureDer) throw new AppError("NOT_FOUND", "签章文件不存在");
  if (!canView(actor, s.request.holderDept)) throw new AppError("NOT_FOUND", "签章文件不存在");
  const doc = await db().sealUseDocument.findUniqueOrThrow({ where: { id: s.documentId }, select: { filename: true } });
  return { requestId: s.requestId, filename: doc.filename.replace(/\.pdf$/i, ""), pdf: s.sealedPdf, der: s.signatureDer };
}

// ---- use records -------------------------------------------------------------------------------

export type RecordRow = {
  id: string;
  at: string;
  sealName: string;
  esId: string;
  deptName: string;
  requestId: string;
  requestNumber: string;
  reason: string;
  approvals: { step: string; user: string; decision: string; at: string | null; comment: string | null }[];
  countUsed: number;
  usedTotal: number;
  remaining: number;
  documentName: string;
  documentSm3: string;
  /** SM3 of the signed bytes (the stamped PDF, what the SES_Signature covers) */
  signedSm3: string;
  /** SM3 of the archived sealed PDF as downloaded (signed bytes + the embedded signature) */
  sealedSm3: string;
  operatorName: string;
  signatureId: string;
};

async function recordWhere(actor: Actor, f: RecordFilter): Promise<Prisma.SealUseRecordWhereInput> {
  const scope = requireView(actor);
  const depts = await db().department.findMany({ where: f.deptId ? { AND: [scope, { path: { startsWith: (await db().department.findUnique({ where: { id: f.deptId }, select: { path: true } }))?.path ?? "/none/" } }] } : scope, select: { id: true } });
  return {
    holderDeptId: { in: depts.map((d) => d.id) },
    ...(f.sealId ? { sealId: f.sealId } : {}),
    ...(f.from || f.to ? { at: { ...(f.from ? { gte: new Date(endOfShanghaiDay(f.from).getTime() + 1 - 86_400_000) } : {}), ...(f.to ? { lte: endOfShanghaiDay(f.to) } : {}) } } : {}),
    ...(f.q ? { OR: [{ reason: { contains: f.q } }, { documentName: { contains: f.q } }, { requestNumber: { contains: f.q } }, { operatorName: { contains: f.q } }, { sealName: { contains: f.q } }] } : {}),
  };
}

async function recordRows(where: Prisma.SealUseRecordWhereInput, skip: number, take: number): Promise<RecordRow[]> {
  const rows = await db().sealUseRecord.findMany({ where, orderBy: [{ at: "desc" }, { id: "desc" }], skip, take });
  const depts = new Map((await db().department.findMany({ where: { id: { in: [...new Set(rows.map((r) => r.holderDeptId))] } }, select: { id: true, name: true } })).map((d) => [d.id, d.name]));
  return rows.map((r) => ({
    id: r.id.toString(),
    at: r.at.toISOString(),
    sealName: r.sealName,
    esId: r.esId,
    deptName: depts.get(r.holderDeptId) ?? "",
    requestId: r.requestId,
    requestNumber: r.requestNumber,
    reason: r.reason,
    approvals: r.approvals as RecordRow["approvals"],
    countUsed: r.countUsed,
    usedTotal: r.usedTotal,
    remaining: r.remaining,
    documentName: r.documentName,
    documentSm3: r.documentSm3,
    signedSm3: r.signedSm3,
    sealedSm3: r.sealedSm3,
    operatorName: r.operatorName,
    signatureId: r.signatureId,
  }));
}

export async function listRecords(actor: Actor, f: RecordFilter): Promise<Paged<RecordRow>> {
  const where = await recordWhere(actor, f);
  const [total, rows] = await Promise.all([db().sealUseRecord.count({ where }), recordRows(where, (f.page - 1) * f.pageSize, f.pageSize)]);
  return { total, page: f.page, pageSize: f.pageSize, rows };
}

export const EXPORT_MAX_ROWS = 50_000;

/** All records matching the filter, for the XLSX export (capped; the page says so). */
export async function recordsForExport(actor: Actor, f: RecordFilter): Promise<{ rows: RecordRow[]; truncated: boolean }> {
  const where = await recordWhere(actor, f);
  const rows = await recordRows(where, 0, EXPORT_MAX_ROWS + 1);
  return { rows: rows.slice(0, EXPORT_MAX_ROWS), truncated: rows.length > EXPORT_MAX_ROWS };
}

/** Seals the actor may filter records by. */
export async function recordSealOptions(actor: Actor) {
  const scope = requireView(actor);
  return db().seal.findMany({ where: { holderDept: scope, esId: { not: null } }, select: { id: true, name: true, esId: true }, orderBy: { createdAt: "asc" }, take: 500 });
}

// ---- the invariant supervision watches ---------------------------------------------------------

/**
 * Use records (and completed signatures) without a fully approved request: must be none. A record
 * counts as approved when its request has an approval time no later than the record, and every
 * step of the request's round is approved. Used by supervision and by tests.
 */
export async function unapprovedUse(): Promise<{ records: number; signatures: number; sample: string[] }> {
  const rows = await db().$queryRaw<{ kind: string; id: string }[]>`
    SELECT 'record' AS kind, r."id"::text AS id FROM "SealUseRecord" r JOIN "SealUseRequest" q ON q."id" = r."requestId"
    WHERE q."approvedAt" IS NULL OR q."approvedAt" > r."at"
       OR NOT EXISTS (SELECT 1 FROM "SealUseStep" s WHERE s."requestId" = q."id" AND s."round" = q."round")
       OR EXISTS (SELECT 1 FROM "SealUseStep" s WHERE s."requestId" = q."id" AND s."round" = q."round" AND s."status" <> 'APPROVED')
    UNION ALL
    SELECT 'signature', g."id"::text FROM "SealUseSignature" g
    WHERE g."status" = 'DONE' AND NOT EXISTS (SELECT 1 FROM "SealUseRecord" r WHERE r."signatureId" = g."id")
    LIMIT 1000`;
  return { records: rows.filter((r) => r.kind === "record").length, signatures: rows.filter((r) => r.kind === "signature").length, sample: rows.slice(0, 20).map((r) => `${r.kind}:${r.id}`) };
}

/** Active seals the actor may request to use, with whether a flow governs them. */
export async function sealsForRequest(actor: Actor) {
  if (!hasPermission(actor, "seal.apply")) throw new AppError("FORBIDDEN", "您没有申请用印的权限");
  const seals = await db().seal.findMany({
    where: { status: "ACTIVE", holderDept: departmentWhere(actor, "seal.apply") },
    select: { id: true, name: true, esId: true, kind: true, useMode: true, validEnd: true, holderDeptId: true, holderDept: { select: { name: true } } },
    orderBy: [{ holderDeptId: "asc" }, { createdAt: "asc" }],
  });
  const keys = seals.flatMap((s) => [`seal:${s.id}`, `dept:${s.holderDeptId}:${s.kind}`]);
  const flows = new Set((await db().approvalFlow.findMany({ where: { scopeKey: { in: keys } }, select: { scopeKey: true } })).map((f) => f.scopeKey));
  return seals.map((s) => ({
    id: s.id,
    // the kind tells two seals of one name apart (a 法定名称章 and a 合同专用章 both named after the
    // department); the department only when the name is not already it
    label: `${s.name}（${[SEAL_KIND_LABELS[s.kind], s.esId, s.holderDept.name === s.name ? null : s.holderDept.name].filter(Boolean).join("，")}）`,
    useMode: s.useMode,
    validEnd: s.validEnd?.toISOString() ?? null,
    hasFlow: flows.has(`seal:${s.id}`) || flows.has(`dept:${s.holderDeptId}:${s.kind}`),
  }));
}

/** People the actor could transfer the active step to, or add as approvers (in scope, not the applicant, not already on the step). */
export async function stepCandidates(actor: Actor, requestId: string) {
  const r = await db().sealUseRequest.findUnique({ where: { id: requestId }, include: { holderDept: { select: { id: true, path: true } }, steps: { where: { status: "ACTIVE" }, include: { assignees: { select: { userId: true } } } } } });
  if (!r || !hasPermission(actor, "seal.approve")) return [];
  const step = r.steps.find((s) => s.round === r.round);
  if (!step || step.kind !== "APPROVAL") return [];
  // not the applicant, not already on this step, not on another step of this round (one person, one step)
  const others = await db().sealUseAssignee.findMany({ where: { requestId, decision: { notIn: ["TRANSFERRED", "SKIPPED"] }, step: { round: r.round } }, select: { userId: true } });
  const taken = new Set([r.applicantId, ...step.assignees.map((a) => a.userId), ...others.map((a) => a.userId)]);
  const users = await db().user.findMany({
    where: { status: "ACTIVE", roles: { some: { role: "SEAL_APPROVER" } }, id: { notIn: [...taken] } },
    select: { ...USER_FOR_CHECK, username: true, department: { select: { path: true, name: true } } },
    orderBy: { username: "asc" },
    take: 500,
  });
  return users.filter((u) => mayApprove(u, r.holderDept)).map((u) => ({ id: u.id, label: `${u.name}（${u.username}，${u.department.name}）` }));
}

/** The applicant's own requests that need their attention or are under way (home page). */
export async function myOpenRequests(actor: Actor): Promise<{ rejected: number; pending: number }> {
  const rows = await db().sealUseRequest.groupBy({ by: ["status"], where: { applicantId: actor.userId, status: { in: ["REJECTED", "PENDING"] } }, _count: { _all: true } });
  const n = (s: string) => rows.find((r) => r.status === s)?._count._all ?? 0;
  return { rejected: n("REJECTED"), pending: n("PENDING") };
}
