// The seal lifecycle (S-01 … S-09): applied → under review → rejected | produced → (filed) active
// → renewed | replaced | cancelled. Each transition is one conditional UPDATE (status and version)
// in a transaction with its timeline event and audit event, so two reviewers acting at once give
// exactly one transition and a clear message to the other.
import "server-only";
import { withTx, db, type Tx } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { appendAudit, type AuditActor } from "@/lib/audit/log";
import { auditActorOf, type Actor } from "@/lib/auth/session";
import { requirePermission, type Permission } from "@/lib/auth/permissions";
import { hashPassword, verifyPassword } from "@/lib/auth/passwords";
import type { CheckedUpload } from "@/lib/uploads";
import { sm3Hex } from "@/lib/crypto/sm3";
import { CANCEL_REASONS, REPLACE_REASONS, SEAL_STATUS_LABELS, renewalWindowOpens, type CancelReason, type ReplaceReason } from "@/lib/seals/kinds";
import type { SealApplyInput } from "@/lib/seals/schema";
import { produceSealMaterial } from "@/lib/seals/production";
import { ensurePlatformCa } from "@/lib/crypto/ca";
import type { SealStatus } from "@/lib/generated/prisma/enums";

const FILING_HOURS = 24; // S-05: production data filed within 24 hours

type Transition = { from: readonly SealStatus[]; to: SealStatus; permission: Permission; label: string };
/** The transition table: from → to, who may, and the name recorded on the timeline. */
export const SEAL_TRANSITIONS = {
  startReview: { from: ["APPLIED"], to: "UNDER_REVIEW", permission: "seal.make", label: "受理审核" },
  reject: { from: ["UNDER_REVIEW"], to: "REJECTED", permission: "seal.make", label: "驳回申请" },
  produce: { from: ["UNDER_REVIEW"], to: "PRODUCED", permission: "seal.make", label: "制作印章" },
  file: { from: ["PRODUCED"], to: "ACTIVE", permission: "seal.make", label: "备案完成" },
  renew: { from: ["ACTIVE"], to: "ACTIVE", permission: "seal.make", label: "延期（更新证书）" },
  replace: { from: ["ACTIVE", "PRODUCED"], to: "CANCELLED", permission: "seal.make", label: "更换（原章注销）" },
  cancel: { from: ["ACTIVE", "PRODUCED"], to: "CANCELLED", permission: "seal.make", label: "注销" },
} as const satisfies Record<string, Transition>;
export type SealAction = keyof typeof SEAL_TRANSITIONS;

async function loadInScope(tx: Tx, actor: Actor, perm: Permission, sealId: string) {
  const seal = await tx.seal.findUnique({ where: { id: sealId }, include: { holderDept: true } });
  if (!seal) throw new AppError("NOT_FOUND", "印章不存在或不在您的管辖范围内");
  requirePermission(actor, perm, seal.holderDept);
  return seal;
}

/** Applies one transition conditionally; the loser of a race gets a conflict naming the state. */
async function transition(
  tx: Tx,
  actor: AuditActor,
  seal: { id: string; status: SealStatus; version: number },
  action: SealAction,
  data: Record<string, unknown>,
  reason: string | null,
  detail: Record<string, string | number | boolean | null> = {},
) {
  const t: Transition = SEAL_TRANSITIONS[action];
  if (!t.from.includes(seal.status))
    throw new AppError("CONFLICT", `印章当前状态为「${SEAL_STATUS_LABELS[seal.status]}」，不能${t.label}`);
  const r = await tx.seal.updateMany({
    where: { id: seal.id, status: seal.status, version: seal.version },
    data: { ...data, status: t.to, version: { increment: 1 } },
  });
  if (r.count !== 1) {
    const now = await tx.seal.findUnique({ where: { id: seal.id }, select: { status: true } });
    throw new AppError("CONFLICT", `该印章已被他人处理（当前状态：${now ? SEAL_STATUS_LABELS[now.status] : "未知"}），请刷新`);
  }
  await tx.sealEvent.create({ data: { sealId: seal.id, action, fromStatus: seal.status, toStatus: t.to, actorId: actor.id, actorName: actor.name, reason } });
  await appendAudit(tx, actor, { action: "seal.transition", transition: action, from: seal.status, to: t.to, reason, ...detail }, { type: "Seal", id: seal.id });
}

export async function applySeal(actor: Actor, input: SealApplyInput, materials: CheckedUpload[]) {
  return withTx(async (tx) => {
    const dept = await tx.department.findUnique({ where: { id: input.holderDeptId } });
    if (!dept) throw new AppError("NOT_FOUND", "部门不存在");
    requirePermission(actor, "seal.apply", dept);
    if (dept.status !== "ACTIVE") throw new AppError("CONFLICT", "持有部门已停用", { holderDeptId: "持有部门已停用" });
    const seal = await tx.seal.create({
      data: {
        name: input.name,
        kind: input.kind,
        businessType: input.kind === "BUSINESS" ? input.businessType : null,
        positionType: input.kind === "POSITION" ? input.positionType : null,
        holderDeptId: dept.id,
        holderPersonName: input.holderPersonName || null,
        useMode: input.useMode,
        physicalRef: input.physicalRef,
        applicantId: actor.userId,
        applyReason: input.applyReason,
        status: "APPLIED",
        materials: { create: materials.map((m) => ({ purpose: "APPLY", filename: m.filename, mime: m.mime, size: m.size, sm3: m.sm3, data: m.data, uploadedById: actor.userId })) },
      },
    });
    const a = auditActorOf(actor);
    await tx.sealEvent.create({ data: { sealId: seal.id, action: "apply", toStatus: "APPLIED", actorId: a.id, actorName: a.name, reason: input.applyReason } });
    await appendAudit(tx, a, { action: "seal.apply", name: seal.name, kind: seal.kind, materials: materials.map((m) => m.sm3) }, { type: "Seal", id: seal.id });
    return { id: seal.id };
  });
}

export async function startReview(actor: Actor, sealId: string) {
  return withTx(async (tx) => {
    const s = await loadInScope(tx, actor, "seal.make", sealId);
    await transition(tx, auditActorOf(actor), s, "startReview", { reviewerId: actor.userId }, null);
    return { id: s.id };
  });
}

export async function rejectSeal(actor: Actor, sealId: string, reason: string) {
  return withTx(async (tx) => {
    const s = await loadInScope(tx, actor, "seal.make", sealId);
    await transition(tx, auditActorOf(actor), s, "reject", { rejectReason: reason, reviewerId: actor.userId }, reason);
    return { id: s.id };
  });
}

async function nextEsId(tx: Tx, areaCode: string): Promise<string> {
  const rows = await tx.$queryRaw<{ last: number }[]>`
    INSERT INTO "SealSequence" ("areaCode", "last") VALUES (${areaCode}, 1)
    ON CONFLICT ("areaCode") DO UPDATE SET "last" = "SealSequence"."last" + 1
    RETURNING "last"`;
  return `${areaCode}${String(rows[0].last).padStart(8, "0")}`;
}

/**
 * Produces the seal (S-04): key pair in the key store, certificate from the platform CA, standard
 * picture, SESeal signed by the maker. The crypto runs before the transaction; the state change,
 * the filing record and the audit event commit together, and the loser of a race gets a conflict
 * (its freshly made key is disabled, never used).
 */
export async function produceSeal(actor: Actor, input: { sealId: string; validYears: number; protectionPassword: string }, at?: Date) {
  const s = await withTx((tx) => loadInScope(tx, actor, "seal.make", input.sealId));
  await ensurePlatformCa(); // made at first setup; here too, so a seal never predates its root
  const now = at ?? new Date();
  if (s.status !== "UNDER_REVIEW") throw new AppError("CONFLICT", `印章当前状态为「${SEAL_STATUS_LABELS[s.status]}」，不能制作`);
  if (s.useMode === "DISTRIBUTED" && !input.protectionPassword)
    throw new AppError("INVALID_INPUT", "分散式印章须设置保护口令", { protectionPassword: "分散式印章须设置保护口令" });
  const esId = await withTx((tx) => nextEsId(tx, s.holderDept.areaCode));
  const validStart = now;
  const validEnd = new Date(now.getTime());
  validEnd.setFullYear(validEnd.getFullYear() + input.validYears);
  const made = await produceSealMaterial({ seal: s, esId, validStart, validEnd, makerDeptId: actor.departmentId, now });
  const protectionHash = input.protectionPassword ? await hashPassword(input.protectionPassword) : null;
  try {
    return await withTx(async (tx) => {
      const fresh = await loadInScope(tx, actor, "seal.make", s.id);
      await transition(
        tx,
        auditActorOf(actor),
        fresh,
        "produce",
        {
          esId,
          reviewerId: actor.userId,
          keyId: made.keyId,
          certificateId: made.certificateId,
          sealDer: made.sealDer,
          pictureSvg: made.pictureSvg,
          picturePng: made.picturePng,
          pictureSm3: made.pictureSm3,
          pictureWidthMm: made.widthMm,
          pictureHeightMm: made.heightMm,
          validStart,
          validEnd,
          producedAt: now,
          fileDueAt: new Date(now.getTime() + FILING_HOURS * 3_600_000),
          protectionHash,
          protectionSetAt: protectionHash ? now : null,
        },
        null,
        { esId, certificateSerial: made.serial, sealSm3: sm3Hex(made.sealDer) },
      );
      await tx.sealFiling.create({ data: { sealId: s.id, status: "PENDING", nextTryAt: now } });
      return { id: s.id, esId };
    });
  } catch (e) {
    await made.discard();
    throw e;
  }
}

export async function cancelSeal(actor: Actor, input: { sealId: string; reason: CancelReason; text: string }) {
  return withTx(async (tx) => {
    const s = await loadInScope(tx, actor, "seal.make", input.sealId);
    const reason = `${CANCEL_REASONS[input.reason]}${input.text ? `：${input.text}` : ""}`;
    await transition(tx, auditActorOf(actor), s, "cancel", { cancelledAt: new Date(), cancelReason: input.reason, cancelReasonText: input.text || null }, reason);
    return { id: s.id };
  });
}

/** Replacement (S-07): the old seal is cancelled and a new one, same holder and kind, is produced. */
export async function replaceSeal(actor: Actor, input: { sealId: string; reason: ReplaceReason; text: string; protectionPassword: string }, now = new Date()) {
  const old = await withTx((tx) => loadInScope(tx, actor, "seal.make", input.sealId));
  if (!SEAL_TRANSITIONS.replace.from.includes(old.status as "ACTIVE")) throw new AppError("CONFLICT", `印章当前状态为「${SEAL_STATUS_LABELS[old.status]}」，不能更换`);
  // refuse what production would refuse before the old seal is cancelled
  if (old.useMode === "DISTRIBUTED" && !input.protectionPassword)
    throw new AppError("INVALID_INPUT", "分散式印章须为新印章设置保护口令", { protectionPassword: "分散式印章须为新印章设置保护口令" });
  const reason = `${REPLACE_REASONS[input.reason]}${input.text ? `：${input.text}` : ""}`;
  const successor = await withTx(async (tx) => {
    const fresh = await loadInScope(tx, actor, "seal.make", old.id);
    await transition(tx, auditActorOf(actor), fresh, "replace", { cancelledAt: now, cancelReason: input.reason, cancelReasonText: input.text || null }, reason);
    const n = await tx.seal.create({
      data: {
        name: old.name, kind: old.kind, businessType: old.businessType, positionType: old.positionType, holderDeptId: old.holderDeptId,
        holderPersonName: old.holderPersonName, useMode: old.useMode, physicalRef: old.physicalRef, administratorId: old.administratorId,
        applicantId: old.applicantId, applyReason: `更换：${reason}`, status: "UNDER_REVIEW", reviewerId: actor.userId, predecessorId: old.id,
      },
    });
    const custodians = await tx.sealCustodian.findMany({ where: { sealId: old.id } });
    if (custodians.length) await tx.sealCustodian.createMany({ data: custodians.map((c) => ({ sealId: n.id, userId: c.userId })) });
    const a = auditActorOf(actor);
    await tx.sealEvent.create({ data: { sealId: n.id, action: "replaceOf", toStatus: "UNDER_REVIEW", actorId: a.id, actorName: a.name, reason: `更换原印章 ${old.esId ?? old.id}` } });
    await appendAudit(tx, a, { action: "seal.apply", name: n.name, kind: n.kind, materials: [] }, { type: "Seal", id: n.id });
    return n;
  });
  const validYears = old.validStart && old.validEnd ? Math.max(1, Math.round((old.validEnd.getTime() - old.validStart.getTime()) / (365.25 * 86_400_000))) : 2;
  return produceSeal(actor, { sealId: successor.id, validYears, protectionPassword: input.protectionPassword }, now);
}

/** Renewal (S-06): from 30 days before the end of validity; new key and certificate, same picture. */
export async function renewSeal(actor: Actor, input: { sealId: string; validYears: number }, now = new Date(), as: "seal.make" | "seal.apply" = "seal.make") {
  // The holder may renew its own seal in the window (S-06); the seal-making unit may for any in its region.
  const perm = as;
  const s = await withTx((tx) => loadInScope(tx, actor, perm, input.sealId));
  if (s.status !== "ACTIVE" || !s.validEnd) throw new AppError("CONFLICT", "只有有效的印章可以延期");
  if (now < renewalWindowOpens(s.validEnd)) throw new AppError("CONFLICT", `有效期截止前 30 天内方可延期（${renewalWindowOpens(s.validEnd).toISOString().slice(0, 10)} 起）`);
  const validStart = now;
  const validEnd = new Date(Math.max(now.getTime(), s.validEnd.getTime()));
  validEnd.setFullYear(validEnd.getFullYear() + input.validYears);
  // the seal-making unit that made the seal signs the renewed structure with its maker certificate
  const makerDeptId = perm === "seal.make" ? actor.departmentId : await originalMakerDept(s.id, actor.departmentId);
  const made = await produceSealMaterial({ seal: s, esId: s.esId!, validStart, validEnd, makerDeptId, now, keepPicture: { svg: s.pictureSvg, png: s.picturePng!, sm3: s.pictureSm3!, widthMm: s.pictureWidthMm!, heightMm: s.pictureHeightMm! } });
  try {
    return await withTx(async (tx) => {
      const fresh = await loadInScope(tx, actor, perm, s.id);
      await transition(tx, auditActorOf(actor), fresh, "renew", { keyId: made.keyId, certificateId: made.certificateId, sealDer: made.sealDer, validStart, validEnd }, null, {
        certificateSerial: made.serial,
        previousKeyId: s.keyId,
        validEnd: validEnd.toISOString(),
      });
      return { id: s.id, validEnd };
    });
  } catch (e) {
    await made.discard();
    throw e;
  }
}

/** S-08: the holder changes the protection password knowing the current one. */
export async function changeProtectionPassword(actor: Actor, input: { sealId: string; current: string; next: string }) {
  const s = await withTx((tx) => loadInScope(tx, actor, "seal.apply", input.sealId));
  if (s.status !== "ACTIVE" && s.status !== "PRODUCED") throw new AppError("CONFLICT", `印章当前状态为「${SEAL_STATUS_LABELS[s.status]}」，不能修改保护口令`);
  if (!s.protectionHash) throw new AppError("CONFLICT", "该印章未设置保护口令（集中式印章由平台托管）");
  if (!(await verifyPassword(s.protectionHash, input.current))) throw new AppError("INVALID_INPUT", "当前保护口令不正确", { current: "当前保护口令不正确" });
  const hash = await hashPassword(input.next);
  return withTx(async (tx) => {
    const r = await tx.seal.updateMany({ where: { id: s.id, protectionHash: s.protectionHash }, data: { protectionHash: hash, protectionSetAt: new Date(), version: { increment: 1 } } });
    if (r.count !== 1) throw new AppError("CONFLICT", "口令已被他人修改，请刷新");
    const a = auditActorOf(actor);
    await tx.sealEvent.create({ data: { sealId: s.id, action: "protectionChange", actorId: a.id, actorName: a.name } });
    await appendAudit(tx, a, { action: "seal.protection", change: "CHANGE" }, { type: "Seal", id: s.id });
    return { id: s.id };
  });
}

/** S-08: only the seal-making unit resets it, against uploaded proof. */
export async function resetProtectionPassword(actor: Actor, input: { sealId: string; next: string }, proof: CheckedUpload[]) {
  if (proof.length === 0) throw new AppError("INVALID_INPUT", "重置保护口令须上传证明材料", { proof: "请上传证明材料" });
  const hash = await hashPassword(input.next);
  return withTx(async (tx) => {
    const s = await loadInScope(tx, actor, "seal.make", input.sealId);
    if (s.useMode !== "DISTRIBUTED") throw new AppError("CONFLICT", "集中式印章没有保护口令");
    if (s.status !== "ACTIVE" && s.status !== "PRODUCED") throw new AppError("CONFLICT", `印章当前状态为「${SEAL_STATUS_LABELS[s.status]}」，不能重置保护口令`);
    const r = await tx.seal.updateMany({ where: { id: s.id, version: s.version }, data: { protectionHash: hash, protectionSetAt: new Date(), version: { increment: 1 } } });
    if (r.count !== 1) throw new AppError("CONFLICT", "印章已被他人修改，请刷新");
    await tx.sealMaterial.createMany({ data: proof.map((m) => ({ sealId: s.id, purpose: "RESET", filename: m.filename, mime: m.mime, size: m.size, sm3: m.sm3, data: m.data, uploadedById: actor.userId })) });
    const a = auditActorOf(actor);
    await tx.sealEvent.create({ data: { sealId: s.id, action: "protectionReset", actorId: a.id, actorName: a.name, reason: `证明材料 ${proof.map((p) => p.filename).join("、")}` } });
    await appendAudit(tx, a, { action: "seal.protection", change: "RESET" }, { type: "Seal", id: s.id });
    return { id: s.id };
  });
}

/** Whether a seal may sign now (S-07): active, filed, within validity. Later issues sign through this. */
export async function signableSeal(sealId: string, now = new Date()) {
  const s = await db().seal.findUnique({ where: { id: sealId } });
  if (!s) return { ok: false as const, reason: "印章不存在" };
  if (s.status !== "ACTIVE") return { ok: false as const, reason: `印章状态为「${SEAL_STATUS_LABELS[s.status]}」，不能签章` };
  if (!s.validStart || !s.validEnd || now < s.validStart || now > s.validEnd) return { ok: false as const, reason: "印章不在有效期内，不能签章" };
  return { ok: true as const, seal: s };
}

/**
 * P-03 / S-09: the holder department names the seal's administrator and custodians (保管人).
 * Custodians must be active users of the holder department holding the custodian role; the
 * administrator an active user of the holder department.
 */
export async function setCustodians(actor: Actor, input: { sealId: string; administratorId: string | null; custodianIds: string[] }) {
  return withTx(async (tx) => {
    const s = await loadInScope(tx, actor, "seal.apply", input.sealId);
    if (s.status === "CANCELLED" || s.status === "REJECTED") throw new AppError("CONFLICT", `印章当前状态为「${SEAL_STATUS_LABELS[s.status]}」，不能调整保管人`);
    const ids = [...new Set(input.custodianIds)];
    const people = await tx.user.findMany({
      where: { id: { in: [...ids, ...(input.administratorId ? [input.administratorId] : [])] }, departmentId: s.holderDeptId, status: "ACTIVE" },
      include: { roles: true },
    });
    const byId = new Map(people.map((p) => [p.id, p]));
    for (const id of ids) {
      const p = byId.get(id);
      if (!p || !p.roles.some((r) => r.role === "SEAL_CUSTODIAN"))
        throw new AppError("INVALID_INPUT", "保管人须为持有部门中具有印章保管人角色的在职用户", { custodianIds: "所选保管人不符合要求" });
    }
    if (input.administratorId && !byId.has(input.administratorId))
      throw new AppError("INVALID_INPUT", "印章管理员须为持有部门的在职用户", { administratorId: "所选管理员不符合要求" });
    const before = (await tx.sealCustodian.findMany({ where: { sealId: s.id } })).map((c) => c.userId).sort();
    await tx.sealCustodian.deleteMany({ where: { sealId: s.id, userId: { notIn: ids } } });
    for (const id of ids) await tx.sealCustodian.upsert({ where: { sealId_userId: { sealId: s.id, userId: id } }, create: { sealId: s.id, userId: id }, update: {} });
    const r = await tx.seal.updateMany({ where: { id: s.id, version: s.version }, data: { administratorId: input.administratorId, version: { increment: 1 } } });
    if (r.count !== 1) throw new AppError("CONFLICT", "印章已被他人修改，请刷新");
    const a = auditActorOf(actor);
    const names = ids.map((id) => byId.get(id)!.name).join("、") || "无";
    await tx.sealEvent.create({ data: { sealId: s.id, action: "custodians", actorId: a.id, actorName: a.name, reason: `管理员：${input.administratorId ? byId.get(input.administratorId)!.name : "未指定"}；保管人：${names}` } });
    await appendAudit(tx, a, { action: "seal.custodians", administratorId: input.administratorId, custodians: ids, previous: before }, { type: "Seal", id: s.id });
    return { id: s.id };
  });
}

/** People of the holder department who may be named (for the picker). */
export async function custodianCandidates(actor: Actor, sealId: string) {
  return withTx(async (tx) => {
    const s = await loadInScope(tx, actor, "seal.apply", sealId);
    const users = await tx.user.findMany({ where: { departmentId: s.holderDeptId, status: "ACTIVE" }, include: { roles: true }, orderBy: [{ username: "asc" }] });
    return users.map((u) => ({ id: u.id, label: `${u.name}（${u.username}）`, custodian: u.roles.some((r) => r.role === "SEAL_CUSTODIAN") }));
  });
}

/**
 * S-03: before production, the seal-making unit may replace the generated picture with the filed
 * imprint (a PNG scan of the physical seal's 印模), stored with its SM3; production then puts it
 * in the SESeal as a PNG picture of the given size.
 */
export async function uploadImprint(actor: Actor, input: { sealId: string; widthMm: number; heightMm: number }, file: CheckedUpload) {
  if (file.mime !== "image/png") throw new AppError("INVALID_INPUT", "备案印模须为 PNG 图片", { imprint: "备案印模须为 PNG 图片" });
  return withTx(async (tx) => {
    const s = await loadInScope(tx, actor, "seal.make", input.sealId);
    if (s.status !== "UNDER_REVIEW") throw new AppError("CONFLICT", `印章当前状态为「${SEAL_STATUS_LABELS[s.status]}」，只有审核中的申请可以上传备案印模`);
    const r = await tx.seal.updateMany({
      where: { id: s.id, status: "UNDER_REVIEW", version: s.version },
      data: { pictureSvg: null, picturePng: file.data, pictureSm3: file.sm3, pictureWidthMm: input.widthMm, pictureHeightMm: input.heightMm, version: { increment: 1 } },
    });
    if (r.count !== 1) throw new AppError("CONFLICT", "该申请已被他人处理，请刷新");
    await tx.sealMaterial.create({ data: { sealId: s.id, purpose: "IMPRINT", filename: file.filename, mime: file.mime, size: file.size, sm3: file.sm3, data: file.data, uploadedById: actor.userId } });
    const a = auditActorOf(actor);
    await tx.sealEvent.create({ data: { sealId: s.id, action: "imprint", actorId: a.id, actorName: a.name, reason: `备案印模 ${file.filename}（${input.widthMm}×${input.heightMm} mm，SM3 ${file.sm3.slice(0, 16)}…）` } });
    await appendAudit(tx, a, { action: "seal.imprint", sm3: file.sm3, widthMm: input.widthMm, heightMm: input.heightMm }, { type: "Seal", id: s.id });
    return { id: s.id };
  });
}

/** The department of the reviewer who produced the seal (its maker certificate signs renewals). */
async function originalMakerDept(sealId: string, fallback: string): Promise<string> {
  const ev = await db().sealEvent.findFirst({ where: { sealId, action: "produce" }, orderBy: { at: "asc" }, select: { actorId: true } });
  if (!ev?.actorId) return fallback;
  const u = await db().user.findUnique({ where: { id: ev.actorId }, select: { departmentId: true } });
  return u?.departmentId ?? fallback;
}
