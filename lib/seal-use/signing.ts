// Server-side signing of approved documents (S-12) and the permanent use record (S-11).
// Sign-and-record (SECURITY.md "Reliability"): (1) one transaction takes one use from the approved
// count with a conditional UPDATE and reserves a signature row; (2) outside any transaction the
// PDF is stamped and signed through the key store (no key leaves it); (3) one transaction stores
// the sealed PDF, the SES_Signature, the use record and the audit event. If (2) or (3) fails the
// use is given back; a sweeper gives back reservations a crash left behind.
import "server-only";
import { db, withTx, type Tx } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { appendAudit } from "@/lib/audit/log";
import { auditActorOf, type Actor } from "@/lib/auth/session";
import { can, requirePermission } from "@/lib/auth/permissions";
import { verifyPassword } from "@/lib/auth/passwords";
import { sm3Hex } from "@/lib/crypto/sm3";
import { signDocument } from "@/lib/crypto/ses";
import { markLinkRead, notify } from "@/lib/notifications";
import { embedSignature, stampSeal } from "@/lib/pdf/sealed-pdf";
import { approvedAnApprovalStep } from "@/lib/seal-use/service";
import { requestNumber, SEAL_USE_STATUS_LABELS } from "@/lib/seal-use/labels";
import { SEAL_STATUS_LABELS } from "@/lib/seals/kinds";
import { RATE_LIMITS, enforce } from "@/lib/security/rate-limit";
import type { SignInput } from "@/lib/seal-use/schema";

/** A reservation older than this was left by a crash: the sweeper gives its use back. */
export const RESERVATION_TIMEOUT_MS = 10 * 60_000;

export type SignRefusal = { ok: false; reason: string };

/** Why the actor may not sign this request now, or null when they may (the page shows the reason). */
export async function signBlock(
  tx: Pick<Tx, "sealUseAssignee">,
  actor: Actor,
  req: {
    id: string;
    status: string;
    round: number;
    count: number;
    usedCount: number;
    validUntil: Date;
    applicantId: string;
    seal: { status: string; validStart: Date | null; validEnd: Date | null; useMode: string; holderDept: { id: string; path: string }; custodians: { userId: string }[]; protectionHash: string | null };
  },
  now: Date,
): Promise<string | null> {
  if (req.status === "USED") return `批准的用印数（${req.count} 次）已全部用完`;
  if (req.status !== "APPROVED" && req.status !== "PARTLY_USED") return `申请状态为「${SEAL_USE_STATUS_LABELS[req.status as keyof typeof SEAL_USE_STATUS_LABELS]}」，只有已批准的申请可以盖章`;
  if (req.validUntil < now) return "申请已超过有效期，不能盖章";
  if (req.usedCount >= req.count) return `已用完批准的用印数（${req.count} 次）`;
  const seal = req.seal;
  if (seal.status !== "ACTIVE") return `印章状态为「${SEAL_STATUS_LABELS[seal.status as keyof typeof SEAL_STATUS_LABELS]}」，不能签章`;
  if (!seal.validStart || !seal.validEnd || now < seal.validStart || now > seal.validEnd) return "印章不在有效期内，不能签章";
  const custodian = seal.custodians.some((c) => c.userId === actor.userId) && can(actor, "seal.custody", seal.holderDept);
  if (seal.useMode === "CENTRALISED") {
    if (!custodian) return "集中用印：只有该印章的保管人可以盖章";
  } else {
    if (!custodian && actor.userId !== req.applicantId) return "分散用印：只有申请人或印章保管人可以盖章";
    if (!seal.protectionHash) return "该印章未设置保护口令，不能分散用印";
  }
  if (await approvedAnApprovalStep(tx, req.id, req.round, actor.userId)) return "您在本申请中担任了审批人，不能再盖章（审批与用印分离）";
  return null;
}

async function refuse(actor: Actor, requestId: string, documentId: string | null, reason: string): Promise<never> {
  await withTx((tx) => appendAudit(tx, auditActorOf(actor), { action: "seal_use.sign_refused", reason, documentId }, { type: "SealUseRequest", id: requestId }));
  throw new AppError("CONFLICT", reason);
}

/** Signs one document of an approved request; returns the signature id. */
export async function signRequestDocument(
  actor: Actor,
  input: SignInput,
  now = new Date(),
  /** the permission the caller signs under: custodians (centralised) or applicants (distributed) */
  as: "seal.custody" | "seal.apply" = "seal.custody",
): Promise<{ signatureId: string; usedCount: number; remaining: number }> {
  await enforce(RATE_LIMITS.signing, actor.userId, auditActorOf(actor), now);
  // (1) checks, and one use taken from the count with a conditional update
  const pre = await db().sealUseRequest.findUnique({ where: { id: input.requestId }, include: { seal: { include: { holderDept: true, custodians: true } } } });
  if (!pre) throw new AppError("NOT_FOUND", "申请不存在或不在您的管辖范围内");
  requirePermission(actor, as, pre.seal.holderDept);
  const block = await withTx((tx) => signBlock(tx, actor, pre, now));
  if (block) await refuse(actor, pre.id, input.documentId, block);
  if (pre.seal.useMode === "DISTRIBUTED" && !(await verifyPassword(pre.seal.protectionHash!, input.protectionPassword)))
    await refuse(actor, pre.id, input.documentId, "印章保护口令不正确");

  const reserved = await withTx(async (tx) => {
    const req = await tx.sealUseRequest.findUniqueOrThrow({ where: { id: input.requestId }, include: { seal: { include: { holderDept: true, custodians: true } } } });
    const again = await signBlock(tx, actor, req, now);
    if (again) throw new AppError("CONFLICT", again);
    const doc = await tx.sealUseDocument.findFirst({ where: { id: input.documentId, requestId: req.id, removedAt: null }, select: { id: true, pages: true } });
    if (!doc) throw new AppError("NOT_FOUND", "文件不属于该申请", { documentId: "文件不属于该申请" });
    if (input.position.page > doc.pages) throw new AppError("INVALID_INPUT", `页码超出范围（共 ${doc.pages} 页）`, { "position.page": `共 ${doc.pages} 页` });
    const taken = await tx.$queryRaw<{ usedCount: number; count: number }[]>`
      UPDATE "SealUseRequest" SET
        "usedCount" = "usedCount" + 1,
        "status" = (CASE WHEN "usedCount" + 1 = "count" THEN 'USED' ELSE 'PARTLY_USED' END)::"SealUseStatus",
        "closedAt" = CASE WHEN "usedCount" + 1 = "count" THEN ${now} ELSE "closedAt" END,
        "version" = "version" + 1,
        "updatedAt" = ${now}
      WHERE "id" = ${req.id}::uuid AND "status" IN ('APPROVED', 'PARTLY_USED') AND "usedCount" < "count" AND "validUntil" >= ${now}
      RETURNING "usedCount", "count"`;
    if (taken.length !== 1) throw new AppError("CONFLICT", "批准的用印数已用完或申请已变化，请刷新");
    const sig = await tx.sealUseSignature.create({
      data: { requestId: req.id, documentId: doc.id, sealId: req.sealId, signerId: actor.userId, signerName: auditActorOf(actor).name, status: "RESERVED", position: input.position, riding: input.riding, createdAt: now },
    });
    return { signatureId: sig.id, usedCount: taken[0].usedCount, count: taken[0].count };
  });

  // (2) stamp and sign outside any transaction
  let sealed: { stamped: Uint8Array; der: Uint8Array; pdf: Uint8Array; docSm3: string; docName: string };
  try {
    const seal = await db().seal.findUniqueOrThrow({ where: { id: pre.sealId } });
    const cert = await db().certificate.findUniqueOrThrow({ where: { id: seal.certificateId! }, select: { der: true } });
    const doc = await db().sealUseDocument.findUniqueOrThrow({ where: { id: input.documentId }, select: { data: true, sm3: true, filename: true } });
    if (!seal.picturePng || !seal.pictureWidthMm || !seal.pictureHeightMm || !seal.sealDer || !seal.keyId) throw new AppError("CONFLICT", "印章缺少印模或签章数据");
    const stamped = await stampSeal({ pdf: doc.data, picturePng: seal.picturePng, widthMm: seal.pictureWidthMm, heightMm: seal.pictureHeightMm, position: input.position, riding: input.riding });
    const der = await signDocument({ sealDer: seal.sealDer, signerKeyId: seal.keyId, signerCertDer: cert.der, document: stamped, propertyInfo: `certseal:seal-use:${reserved.signatureId}`, time: now });
    const pdf = embedSignature(stamped, der, `${reserved.signatureId}.sig`);
    sealed = { stamped, der, pdf, docSm3: doc.sm3, docName: doc.filename };
  } catch (e) {
    await release(reserved.signatureId, e instanceof AppError ? e.userMessage : "签章失败");
    throw e instanceof AppError ? e : new AppError("INTERNAL", "签章失败，已退回本次用印数，请重试");
  }

  // (3) the sealed document, use record and audit event commit together
  try {
    await withTx(async (tx) => {
      const req = await tx.sealUseRequest.findUniqueOrThrow({ where: { id: input.requestId }, include: { seal: true } });
      const done = await tx.sealUseSignature.updateMany({
        where: { id: reserved.signatureId, status: "RESERVED" },
        data: { status: "DONE", signedSm3: sm3Hex(sealed.stamped), signatureDer: new Uint8Array(sealed.der), sealedPdf: new Uint8Array(sealed.pdf), sealedSm3: sm3Hex(sealed.pdf), completedAt: new Date() },
      });
      if (done.count !== 1) throw new AppError("CONFLICT", "签章已超时被撤销，请重试");
      const approvals = await tx.sealUseAssignee.findMany({
        where: { requestId: req.id, step: { round: req.round }, decision: { in: ["APPROVED", "REJECTED", "TRANSFERRED"] } },
        include: { step: { select: { index: true, name: true } } },
        orderBy: [{ step: { index: "asc" } }, { decidedAt: "asc" }],
      });
      const a = auditActorOf(actor);
      await tx.sealUseRecord.create({
        data: {
          at: now,
          sealId: req.sealId,
          sealName: req.seal.name,
          esId: req.seal.esId ?? "",
          holderDeptId: req.holderDeptId,
          requestId: req.id,
          requestNumber: requestNumber(req.seq, req.createdAt),
          reason: req.reason,
          approvals: approvals.map((x) => ({ step: x.step.name, user: x.userName, decision: x.decision, at: x.decidedAt?.toISOString() ?? null, comment: x.comment })),
          countUsed: 1,
          usedTotal: reserved.usedCount,
          remaining: reserved.count - reserved.usedCount,
          documentName: sealed.docName,
          documentSm3: sealed.docSm3,
          signedSm3: sm3Hex(sealed.stamped),
          sealedSm3: sm3Hex(sealed.pdf),
          operatorId: actor.userId,
          operatorName: a.name,
          signatureId: reserved.signatureId,
        },
      });
      // one signing time everywhere: the one in the signature, the use record and the history
      await tx.sealUseEvent.create({ data: { at: now, requestId: req.id, round: req.round, action: "sign", actorId: actor.userId, actorName: a.name, comment: `${sealed.docName}（第 ${reserved.usedCount}/${reserved.count} 次${input.riding ? "，含骑缝章" : ""}）` } });
      await appendAudit(
        tx,
        a,
        { action: "seal_use.sign", signatureId: reserved.signatureId, documentSm3: sealed.docSm3, signedSm3: sm3Hex(sealed.stamped), usedTotal: reserved.usedCount, remaining: reserved.count - reserved.usedCount, riding: input.riding },
        { type: "SealUseRequest", id: req.id },
      );
    });
  } catch (e) {
    await release(reserved.signatureId, e instanceof AppError ? e.userMessage : "保存签章结果失败");
    throw e instanceof AppError ? e : new AppError("INTERNAL", "保存签章结果失败，已退回本次用印数，请重试");
  }
  await notify([
    {
      userId: pre.applicantId,
      kind: "seal_use.signed",
      title: `已盖章：用印申请 ${requestNumber(pre.seq, pre.createdAt)}`,
      body: `${sealed.docName} 已加盖「${pre.seal.name}」（已用 ${reserved.usedCount}/${reserved.count} 次）`,
      link: `/seal-use/${pre.id}`,
      dedupeKey: `seal-use-signed:${reserved.signatureId}`,
    },
  ]);
  await markLinkRead(actor.userId, `/seal-use/${pre.id}`);
  return { signatureId: reserved.signatureId, usedCount: reserved.usedCount, remaining: reserved.count - reserved.usedCount };
}

/** Gives a reserved use back (signing failed or was interrupted). Idempotent. */
export async function release(signatureId: string, error: string): Promise<boolean> {
  return withTx(async (tx) => {
    const r = await tx.sealUseSignature.updateMany({ where: { id: signatureId, status: "RESERVED" }, data: { status: "FAILED", error: error.slice(0, 500), completedAt: new Date() } });
    if (r.count !== 1) return false;
    const sig = await tx.sealUseSignature.findUniqueOrThrow({ where: { id: signatureId }, select: { requestId: true, request: { select: { round: true } } } });
    await tx.$executeRaw`
      UPDATE "SealUseRequest" SET
        "usedCount" = "usedCount" - 1,
        "status" = (CASE WHEN "status" IN ('USED', 'PARTLY_USED') THEN (CASE WHEN "usedCount" - 1 = 0 THEN 'APPROVED' ELSE 'PARTLY_USED' END) ELSE "status"::text END)::"SealUseStatus",
        "closedAt" = CASE WHEN "status" = 'USED' THEN NULL ELSE "closedAt" END,
        "version" = "version" + 1,
        "updatedAt" = now()
      WHERE "id" = ${sig.requestId}::uuid AND "usedCount" > 0`;
    await tx.sealUseEvent.create({ data: { requestId: sig.requestId, round: sig.request.round, action: "sign_failed", actorId: null, actorName: "system", comment: `签章未完成，已退回 1 次用印数：${error}`.slice(0, 500) } });
    return true;
  });
}

/** Job: reservations left by a crash give their use back. */
export async function releaseStaleReservations(now = new Date()): Promise<number> {
  const stale = await db().sealUseSignature.findMany({ where: { status: "RESERVED", createdAt: { lt: new Date(now.getTime() - RESERVATION_TIMEOUT_MS) } }, select: { id: true }, take: 200 });
  let n = 0;
  for (const s of stale) if (await release(s.id, "签章中断（超时）")) n++;
  return n;
}
