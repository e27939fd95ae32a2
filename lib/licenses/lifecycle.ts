// The licence lifecycle (L-08): status transitions, pledge, change (变更) and renewal (延续).
// Every transition is a conditional update (id, status in `from`, rev as the page saw it) in one
// transaction with its LicenceEvent and its audit event, so of two operators acting at once one
// wins and the other is told so; final statuses are also kept final by the trigger `licence_guard`.
// Change and renewal issue a NEW licence (version + 1, same serial, new identifier) through the
// issuing machinery of service.ts; the predecessor is annulled in the same transaction, before the
// successor is inserted, because the one-live index would otherwise refuse the successor. The
// predecessor's open objections move to the successor in that transaction too (O-02,
// lib/objections/follow.ts).
import "server-only";
import { db, withTx, type Db, type Tx } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { appendAudit } from "@/lib/audit/log";
import { auditActorOf, type Actor } from "@/lib/auth/session";
import { requirePermission } from "@/lib/auth/permissions";
import { shanghaiDate } from "@/lib/calendar/working-days";
import type { FaceData, FaceFieldDef } from "@/lib/catalog/face-fields";
import { canonicalLicence } from "@/lib/licenses/canonical";
import { holderCode, holderCodeHash, type HolderInput } from "@/lib/licenses/holders";
import { shanghaiInstant } from "@/lib/licenses/schema";
import { calendar } from "@/lib/calendar";
import { holderProblems, insertPrepared, isOneLiveViolation, loadIssueContext, parseFace, prepareLicences, signPrepared, syncTiming, validityStartProblem } from "@/lib/licenses/service";
import {
  CHANGE_FROM,
  LICENCE_STATUS_LABELS,
  PLEDGE_FROM,
  reasonLabel,
  RENEW_FROM,
  renewalBlock,
  TRANSITIONS,
  transitionAllowed,
  type ChangeInput,
  type LicenceStatusName,
  type PledgeInput,
  type ReleasePledgeInput,
  type RenewInput,
  type TransitionInput,
} from "@/lib/licenses/lifecycle-schema";
import type { Licence } from "@/lib/generated/prisma/client";
import { followSuccessor, lockOpenObjections } from "@/lib/objections/follow";

export const ANOTHER = "该证照刚被他人处理，请刷新页面查看最新状态后再操作";
const NOT_FOUND = "证照不存在或不在您的管辖范围内";

type ScopedLicence = Licence & { issuerDept: { id: string; path: string; name: string } };

/** The licence, if `actor` is an issuer operator of its current issuing department; else "not found". */
export async function loadLicenceForIssuer(tx: Db | Tx, actor: Actor, id: string): Promise<ScopedLicence> {
  const l = await tx.licence.findUnique({ where: { id }, include: { issuerDept: { select: { id: true, path: true, name: true } } } });
  if (!l) throw new AppError("NOT_FOUND", NOT_FOUND);
  requirePermission(actor, "licence.issue", l.issuerDept);
  return l;
}

function statusLabel(s: string): string {
  return LICENCE_STATUS_LABELS[s as LicenceStatusName] ?? s;
}

function refuseStatus(l: { status: string }, what: string): never {
  throw new AppError("CONFLICT", `证照当前状态为「${statusLabel(l.status)}」，不能${what}`);
}

function checkRev(l: { rev: number }, rev: number) {
  if (l.rev !== rev) throw new AppError("CONFLICT", ANOTHER);
}

const ymd = (d: Date) => d.toISOString().slice(0, 10);

function eventActor(actor: Actor, at: Date) {
  return { actorId: actor.userId, actorName: auditActorOf(actor).name.slice(0, 50), deptId: actor.departmentId, at };
}

// ---------------------------------------------------------------------------------------------
// Status transitions

/** 暂扣 / 恢复 / 吊销 / 注销 / 撤销(废止), by the transition table of lifecycle-schema.ts. */
export async function transitionLicence(actor: Actor, input: TransitionInput, now = new Date()): Promise<{ id: string; status: LicenceStatusName }> {
  requirePermission(actor, "licence.issue");
  const t = TRANSITIONS[input.transition];
  return withTx(async (tx) => {
    const l = await loadLicenceForIssuer(tx, actor, input.licenceId);
    checkRev(l, input.rev);
    if (!transitionAllowed(input.transition, l.status)) refuseStatus(l, t.label);
    const r = await tx.licence.updateMany({
      where: { id: l.id, status: { in: [...t.from] }, rev: input.rev },
      data: { status: t.to, statusReason: input.reasonCode, statusChangedAt: now, rev: { increment: 1 } },
    });
    if (r.count !== 1) throw new AppError("CONFLICT", ANOTHER);
    await tx.licenceEvent.create({
      data: { licenceId: l.id, kind: t.kind, fromStatus: l.status, toStatus: t.to, reasonCode: input.reasonCode, reasonText: input.reasonText, ...eventActor(actor, now) },
    });
    await appendAudit(
      tx,
      auditActorOf(actor),
      { action: "licence.transition", transition: input.transition, identifier: l.identifier, from: l.status, to: t.to, reason: reasonLabel(input.reasonCode), text: input.reasonText },
      { type: "Licence", id: l.id },
    );
    return { id: l.id, status: t.to };
  });
}

// ---------------------------------------------------------------------------------------------
// Pledge (质押)

export async function pledgeLicence(actor: Actor, input: PledgeInput, now = new Date()): Promise<{ restrictionId: string }> {
  requirePermission(actor, "licence.issue");
  return withTx(async (tx) => {
    const l = await loadLicenceForIssuer(tx, actor, input.licenceId);
    if (l.restricted && l.rev === input.rev) throw new AppError("CONFLICT", "该证照正在质押中，请先解除原质押");
    checkRev(l, input.rev);
    if (!PLEDGE_FROM.includes(l.status)) refuseStatus(l, "质押");
    const errors: Record<string, string> = {};
    if (input.endsOn < shanghaiDate(now)) errors.endsOn = "结束日期已过";
    if (input.startsOn < ymd(l.validFrom)) errors.startsOn = `不能早于证照有效期起始日（${ymd(l.validFrom)}）`;
    if (l.validTo && input.endsOn > ymd(l.validTo)) errors.endsOn = `不能晚于证照有效期截止日（${ymd(l.validTo)}）`;
    if (Object.keys(errors).length) throw new AppError("INVALID_INPUT", "质押期限不正确", errors);
    const r = await tx.licence.updateMany({ where: { id: l.id, status: { in: [...PLEDGE_FROM] }, restricted: false, rev: input.rev }, data: { restricted: true, rev: { increment: 1 } } });
    if (r.count !== 1) throw new AppError("CONFLICT", ANOTHER);
    const rs = await tx.licenceRestriction.create({
      data: { licenceId: l.id, kind: "PLEDGE", pledgee: input.pledgee, startsOn: new Date(`${input.startsOn}T00:00:00Z`), endsOn: new Date(`${input.endsOn}T00:00:00Z`), note: input.note || null, createdById: actor.userId },
    });
    await tx.licenceEvent.create({
      data: { licenceId: l.id, kind: "PLEDGE", reasonText: input.note || null, data: { restrictionId: rs.id, pledgee: input.pledgee, startsOn: input.startsOn, endsOn: input.endsOn }, ...eventActor(actor, now) },
    });
    await appendAudit(
      tx,
      auditActorOf(actor),
      { action: "licence.restriction", change: "ADD", identifier: l.identifier, pledgee: input.pledgee, startsOn: input.startsOn, endsOn: input.endsOn },
      { type: "Licence", id: l.id },
    );
    return { restrictionId: rs.id };
  });
}

export async function releasePledge(actor: Actor, input: ReleasePledgeInput, now = new Date()): Promise<{ id: string }> {
  requirePermission(actor, "licence.issue");
  return withTx(async (tx) => {
    const l = await loadLicenceForIssuer(tx, actor, input.licenceId);
    const rs = await tx.licenceRestriction.findFirst({ where: { id: input.restrictionId, licenceId: l.id } });
    if (!rs) throw new AppError("NOT_FOUND", "质押记录不存在");
    if (rs.releasedAt) throw new AppError("CONFLICT", "该质押已解除");
    checkRev(l, input.rev);
    const others = await tx.licenceRestriction.count({ where: { licenceId: l.id, releasedAt: null, id: { not: rs.id } } });
    const r = await tx.licence.updateMany({ where: { id: l.id, rev: input.rev }, data: { restricted: others > 0, rev: { increment: 1 } } });
    if (r.count !== 1) throw new AppError("CONFLICT", ANOTHER);
    const released = await tx.licenceRestriction.updateMany({ where: { id: rs.id, releasedAt: null }, data: { releasedAt: now, releasedById: actor.userId } });
    if (released.count !== 1) throw new AppError("CONFLICT", ANOTHER);
    await tx.licenceEvent.create({
      data: { licenceId: l.id, kind: "RELEASE_PLEDGE", reasonText: input.reasonText, data: { restrictionId: rs.id, pledgee: rs.pledgee }, ...eventActor(actor, now) },
    });
    await appendAudit(tx, auditActorOf(actor), { action: "licence.restriction", change: "RELEASE", identifier: l.identifier, pledgee: rs.pledgee, text: input.reasonText }, { type: "Licence", id: l.id });
    return { id: l.id };
  });
}

// ---------------------------------------------------------------------------------------------
// Change (变更) and renewal (延续)


/**
 * Face keys whose values never go to a page: the sensitive fields, citizen ID numbers, and any field
 * holding the holder's own code (P-02: holder codes are shown masked only). The change form leaves them blank
 * and a blank one keeps its stored value.
 */
export function hiddenFaceKeys(fields: readonly FaceFieldDef[], face: Record<string, unknown>, codeHash: string): Set<string> {
  const out = new Set<string>();
  for (const f of fields) {
    const v = face[f.key];
    if (f.sensitive) out.add(f.key);
    // citizen ID numbers always; and any value that is the holder's own code, whatever the field's type
    // (a TEXT field such as 社会信用代码（身份证号码） holds a USCC or an ID number)
    else if (f.type === "CITIZEN_ID") out.add(f.key);
    else if (typeof v === "string" && v.trim().length >= 4 && v.trim().length <= 40 && holderCodeHash(v.trim()) === codeHash) out.add(f.key);
  }
  return out;
}

function isBlank(v: unknown): boolean {
  if (v === undefined || v === null) return true;
  if (typeof v === "string") return v.trim() === "";
  if (typeof v === "object" && !Array.isArray(v)) return Object.values(v as Record<string, unknown>).every(isBlank);
  return false;
}

type SuccessorPlan = {
  kind: "CHANGE" | "RENEW";
  rev: number;
  reasonText: string;
  businessCompletedAt: string;
  face: (l: Licence, fields: readonly FaceFieldDef[]) => unknown;
  holderName: (l: Licence) => string;
  validFrom: (l: Licence, now: Date) => string;
  /** runs in the successor's transaction, after it is written (an objection's correction, O-03): a throw undoes the change */
  within?: (tx: Tx, successor: Licence) => Promise<void>;
};

async function issueSuccessor(actor: Actor, licenceId: string, plan: SuccessorPlan, now: Date): Promise<{ id: string; identifier: string }> {
  requirePermission(actor, "licence.issue");
  const what = plan.kind === "CHANGE" ? "变更" : "延续";
  const from = plan.kind === "CHANGE" ? CHANGE_FROM : RENEW_FROM;
  const l = await loadLicenceForIssuer(db(), actor, licenceId);
  checkRev(l, plan.rev);
  if (!from.includes(l.status)) refuseStatus(l, what);
  if (l.restricted) throw new AppError("CONFLICT", `质押中的证照不能${what}，请先解除质押`);
  const bca = shanghaiInstant(plan.businessCompletedAt);
  if (bca.getTime() > now.getTime() + 5 * 60_000) throw new AppError("INVALID_INPUT", "业务办结时间不能晚于现在", { businessCompletedAt: "业务办结时间不能晚于现在" });

  // the current released version of the type, the department's issuance list and its seal
  const ctx = await loadIssueContext(db(), l.issuerDeptId, l.typeId, now);
  const face = parseFace(ctx.fields, plan.face(l, ctx.fields));
  if (!face.ok) {
    if (plan.kind === "RENEW") throw new AppError("CONFLICT", `原证照的照面信息不符合「${ctx.type.name}」现行版本的要求（${Object.values(face.errors)[0]}），请办理变更`);
    throw new AppError("INVALID_INPUT", "请按提示修改后再提交", face.errors);
  }
  const h = await db().holder.findUniqueOrThrow({ where: { id: l.holderId }, select: { category: true } });
  const holder: HolderInput = { category: h.category, codeType: l.holderCodeType, code: await holderCode(l.holderId), name: plan.holderName(l), contact: null };
  const hp = holderProblems(ctx, holder);
  if (Object.keys(hp).length) throw new AppError("CONFLICT", `持证主体不符合「${ctx.type.name}」现行版本的要求：${Object.values(hp).join("；")}`);
  // a new start date is checked as at issue: never a successor that has already expired (nor one
  // starting more than a year ahead); the same start date keeps the licence's own end date
  const validFrom = plan.validFrom(l, now);
  if (validFrom !== ymd(l.validFrom)) {
    const problem = validityStartProblem(ctx.validity, validFrom, now);
    if (problem) throw new AppError("INVALID_INPUT", problem, { validFrom: problem });
  }

  const prepared = await prepareLicences(
    ctx,
    [
      {
        holder,
        face: face.face,
        matter: l.matterCode ? { code: l.matterCode, name: l.matterName ?? "" } : null,
        validFrom,
        // 许可证编号不变: a change or renewal keeps the printed number; the identifier's version moves on
        licenceNumber: l.licenceNumber,
        // a change that keeps the start date keeps the end date too, even if the type's rule changed since
        validTo: plan.kind === "CHANGE" && validFrom === ymd(l.validFrom) ? (l.validTo ? ymd(l.validTo) : null) : undefined,
        timing: syncTiming("ONLINE", bca, now, null, await calendar()),
        issuedAt: now,
        origin: plan.kind,
        successorOf: { id: l.id, serial: l.serial, version: l.version, identifier: l.identifier, origin: plan.kind, originalIssuerDeptId: l.originalIssuerDeptId },
      },
    ],
    actor.userId,
  );
  await signPrepared(ctx, prepared, now);
  try {
    const row = await withTx(async (tx) => {
      const r = await tx.licence.updateMany({
        where: { id: l.id, status: { in: [...from] }, restricted: false, rev: plan.rev },
        data: { status: "ANNULLED", statusReason: plan.kind === "CHANGE" ? "CHANGED" : "RENEWED", statusChangedAt: now, rev: { increment: 1 } },
      });
      if (r.count !== 1) throw new AppError("CONFLICT", ANOTHER);
      // the licence row is locked; its open objections next, before the audit chain (the lock
      // order of every objection transition, lib/objections/common.ts)
      await lockOpenObjections(tx, l.id);
      const [row] = await insertPrepared(tx, prepared, { ...eventActor(actor, now), data: { predecessor: l.identifier, reasonText: plan.reasonText, sealId: ctx.signer.sealId } });
      await tx.licenceEvent.create({
        data: {
          licenceId: l.id,
          kind: "ANNUL",
          fromStatus: l.status,
          toStatus: "ANNULLED",
          reasonCode: plan.kind === "CHANGE" ? "CHANGED" : "RENEWED",
          reasonText: plan.reasonText,
          data: { successorId: row.id, successor: row.identifier },
          ...eventActor(actor, now),
        },
      });
      await appendAudit(
        tx,
        auditActorOf(actor),
        { action: "licence.successor", kind: plan.kind, identifier: row.identifier, predecessor: l.identifier, number: row.licenceNumber, text: plan.reasonText, seal: ctx.signer.sealName, canonicalSm3: row.canonicalSm3 },
        { type: "Licence", id: row.id },
      );
      if (plan.within) await plan.within(tx, row);
      // O-02: the objections still open on the old version (a correction has just resolved its
      // own) follow the licence to the new one, with the 异议中 count
      await followSuccessor(tx, { id: l.id, identifier: l.identifier }, { id: row.id, identifier: row.identifier, version: row.version }, plan.kind, actor, now);
      return row;
    });
    return { id: row.id, identifier: row.identifier };
  } catch (e) {
    if (isOneLiveViolation(e)) throw new AppError("CONFLICT", `该持证主体已有另一张有效的「${ctx.type.name}」，不能${what}`);
    throw e;
  }
}

/**
 * 变更: a new version with the new face (hidden fields left blank keep their values: the page
 * never receives them), the holder's new name, and the old validity unless a new start is given.
 */
export async function changeLicence(actor: Actor, input: ChangeInput, now = new Date(), within?: SuccessorPlan["within"]) {
  return issueSuccessor(
    actor,
    input.licenceId,
    {
      kind: "CHANGE",
      rev: input.rev,
      reasonText: input.reasonText,
      businessCompletedAt: input.businessCompletedAt,
      face: (l, fields) => {
        const old = (l.face ?? {}) as FaceData;
        const merged: Record<string, unknown> = { ...input.face };
        const hidden = hiddenFaceKeys(fields, old, l.holderCodeHash);
        for (const f of fields) if (hidden.has(f.key) && isBlank(merged[f.key])) merged[f.key] = old[f.key];
        return merged;
      },
      holderName: () => input.holderName,
      validFrom: (l) => input.validFrom || ymd(l.validFrom),
      within,
    },
    now,
  );
}

/**
 * 延续: the same face and the same licence number; allowed from RENEWAL_WINDOW_DAYS before the end
 * of validity (or after it). The new validity counts from the renewal decision (today), as the
 * food-licence rules have it (《食品经营许可和备案管理办法》: 许可证编号不变, 有效期自作出延续许可决定之日起计算),
 * so the holder is never without a licence in force.
 */
export async function renewLicence(actor: Actor, input: RenewInput, now = new Date()) {
  return issueSuccessor(
    actor,
    input.licenceId,
    {
      kind: "RENEW",
      rev: input.rev,
      reasonText: input.reasonText,
      businessCompletedAt: input.businessCompletedAt,
      face: (l) => l.face,
      holderName: (l) => l.holderName,
      validFrom: (l, at) => {
        const today = shanghaiDate(at);
        const block = renewalBlock(l.validTo ? ymd(l.validTo) : null, today);
        if (block) throw new AppError("CONFLICT", block);
        return today;
      },
    },
    now,
  );
}

// ---------------------------------------------------------------------------------------------
// The canonical bytes of a stored licence

/**
 * Rebuilds the signed canonical encoding (canonical.ts) from a stored licence: the issuer is the
 * department whose code the licence carries, the holder code is decrypted. Callers compare its
 * SM3 with `canonicalSm3` before trusting it (a renamed issuer gives different bytes).
 */
export async function canonicalOf(row: Licence, tx: Db | Tx = db()): Promise<Buffer> {
  const [version, predecessor, code] = await Promise.all([
    tx.licenceTypeVersion.findUniqueOrThrow({ where: { id: row.typeVersionId }, select: { number: true } }),
    row.predecessorId ? tx.licence.findUnique({ where: { id: row.predecessorId }, select: { identifier: true } }) : null,
    holderCode(row.holderId, tx),
  ]);
  return canonicalLicence({
    identifier: row.identifier,
    number: row.licenceNumber,
    name: row.name,
    typeCode: row.typeCode,
    typeVersion: version.number,
    version: row.version,
    issuer: { name: row.issuerName, code: row.issuerCode },
    areaCode: row.areaCode,
    holder: { name: row.holderName, codeType: row.holderCodeType, code },
    matter: row.matterCode ? { code: row.matterCode, name: row.matterName ?? "" } : null,
    issuedAt: row.issuedAt,
    validFrom: ymd(row.validFrom),
    validTo: row.validTo ? ymd(row.validTo) : null,
    face: (row.face ?? {}) as Record<string, unknown>,
    predecessor: predecessor?.identifier ?? null,
  });
}
