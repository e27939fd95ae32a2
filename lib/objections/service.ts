// Objections (O-01 … O-06): raised by a using department (licence.use) or by a holder on the
// public page; marked (异议标注) and resolved by the issuing department within the deadlines
// stored at receipt; routed through the provincial management department when cross-region.
//
// Transition table (every one a conditional update on id + status + rev, with its ObjectionEvent
// and audit event in the same transaction, so of two people acting at once exactly one wins):
//   SUBMITTED ─mark (licence.issue; not while AT_PROVINCE)──────────────▶ MARKED    openObjections + 1
//   MARKED    ─resolve UPHELD | REJECTED (licence.issue)─────────────────▶ RESOLVED  openObjections − 1
//   MARKED    ─correct (licence.issue; a 变更 in the same transaction)────▶ RESOLVED  (CORRECTED) − 1
//   SUBMITTED ─resolve UPHELD | REJECTED, only once the licence is no longer in force
//             (revoked, cancelled, annulled: it is never marked 异议中 then)─▶ RESOLVED
//   SUBMITTED | MARKED ─withdraw (the applicant)─────────────────────────▶ WITHDRAWN (− 1 if MARKED)
//   SUBMITTED | MARKED ─follow (a 变更 / 延续 / 更正 of the licence, lifecycle.ts)─▶ the same status
//             on the new version, the 异议中 count with it (follow.ts); ─transfer (L-11)─▶ the
//             successor department (lib/licenses/transfer.ts)
// Lock order, everywhere (common.ts): the Licence row, then the Objection row, then the audit chain.
//   routeStage (O-06): AT_PROVINCE ─forward (objection.route)─▶ AT_ISSUER ─resolve─▶ RETURNING
//                      ─return (objection.route)─▶ RETURNED
// Resolving before marking is refused while the licence is in force: the page offers 标注 first, so
// every resolved objection about a licence in force was shown as 异议中 for a while, as O-02 intends.
import "server-only";
import { randomInt, timingSafeEqual } from "node:crypto";
import { db, withTx, type Db, type Tx } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { appendAudit, type AuditActor } from "@/lib/audit/log";
import { auditActorOf, type Actor } from "@/lib/auth/session";
import { can, requirePermission } from "@/lib/auth/permissions";
import { addWorkingDays } from "@/lib/calendar";
import { shanghaiDate } from "@/lib/calendar/working-days";
import { faceFieldList, maskValue, type FaceFieldDef } from "@/lib/catalog/face-fields";
import { decryptPersonal, encryptPersonal, personalIndex } from "@/lib/crypto/personal-data";
import { takeCounter } from "@/lib/licenses/counters";
import { holderCodeHash } from "@/lib/licenses/holders";
import { HOLDER_CODE_MAX, maskContact, maskHolderCode, normaliseHolderCode } from "@/lib/licenses/holder-code";
import { changeLicence, hiddenFaceKeys } from "@/lib/licenses/lifecycle";
import { changeInput } from "@/lib/licenses/lifecycle-schema";
import { notify, type NewNotification } from "@/lib/notifications";
import { enforce, enforceUncounted, hit, refused, type RateLimitRule } from "@/lib/security/rate-limit";
import { checkUploads, sniff, type CheckedUpload } from "@/lib/uploads";
import { cut } from "@/lib/text";
import type { Objection } from "@/lib/generated/prisma/client";
import { objectionDays } from "@/lib/objections/settings";
import { conflictOnLock, crossRegion, eventActor, holderApplicantName, licenceEnded, licenceStatusLabel, lockLicence, objectionLink, provincialManagement, usersWith } from "@/lib/objections/common";
import {
  contactKind,
  correctInput,
  deptObjectionInput,
  EVIDENCE_LIMITS,
  forwardInput,
  holderObjectionInput,
  holderWithdrawInput,
  LOOKUP_ALPHABET,
  markInput,
  OUTCOME_LABELS,
  resolveInput,
  returnInput,
  withdrawInput,
  type CorrectInput,
  type DeptObjectionInput,
  type ForwardInput,
  type HolderObjectionInput,
  type HolderWithdrawInput,
  type MarkInput,
  type ObjectionOutcome,
  type ResolveInput,
  type ReturnInput,
  type WithdrawInput,
} from "@/lib/objections/schema";
import type { z } from "zod";

/**
 * The public form: 5 objections created per IP in 10 minutes (SECURITY.md "Rate limits"). Counted
 * in the transaction that creates the objection, so a refused submission (a wrong file, a wrong
 * holder code) does not use up a try; checked, not counted, before anything else.
 */
export const OBJECTION_SUBMIT_LIMIT: RateLimitRule = { bucket: "objection", limit: 5, windowSeconds: 600 };
/**
 * Requests to the public submit route per IP in 10 minutes, counted by the route before it reads
 * the body (up to 25 MB): generous, for a service hall behind one address and for mistakes.
 */
export const OBJECTION_REQUEST_LIMIT: RateLimitRule = { bucket: "objection-request", limit: 30, windowSeconds: 600 };
/** The public lookup and the holder's withdrawal: number + lookup code guesses per IP. */
export const OBJECTION_LOOKUP_LIMIT: RateLimitRule = { bucket: "objection-lookup", limit: 20, windowSeconds: 600 };

const NOT_FOUND = "异议不存在或不在您的管辖范围内";
const LICENCE_NOT_FOUND = "证照不存在或不在您的管辖范围内";
const HOLDER_MISMATCH = "证照标识或持证主体代码不正确";
const LOOKUP_MISMATCH = "异议编号或查询码不正确";
export const ANOTHER = "该异议刚被他人处理，请刷新页面查看最新状态后再操作";
const CONTACT = "objection-contact";
const LOOKUP = "objection-lookup";

export type PublicMeta = { ip: string | null; userAgent?: string | null };

/** Counts one request to the public submit route for the caller's address; RATE_LIMITED past the limit. */
export async function enforceRequestLimit(meta: PublicMeta, now = new Date()): Promise<void> {
  await enforce(OBJECTION_REQUEST_LIMIT, meta.ip ?? "unknown", publicActor(meta), now);
}
type When = { now?: Date };
type HolderOpts = When & {
  /** not a public caller (the demo seed): the submission limit does not apply */
  skipRateLimit?: boolean;
};
type Evidence = File[] | CheckedUpload[];

function parse<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const r = schema.safeParse(input);
  if (r.success) return r.data;
  const fieldErrors: Record<string, string> = {};
  for (const i of r.error.issues) fieldErrors[i.path.join(".") || "_form"] ??= i.message;
  throw new AppError("INVALID_INPUT", "请按提示修改后再提交", fieldErrors);
}

function publicActor(meta: PublicMeta, name = "匿名访客"): AuditActor {
  return { id: null, name, role: "-", dept: "-", ip: meta.ip, userAgent: meta.userAgent?.slice(0, 500) ?? null };
}

// ---------------------------------------------------------------------------------------------
// Submission (O-01)

/** The evidence files: ≤ 5, ≤ 5 MiB each, PDF/JPEG/PNG by magic bytes (checked again if already checked). */
async function checkEvidence(evidence: Evidence): Promise<CheckedUpload[]> {
  const opts = { allowed: EVIDENCE_LIMITS.allowed, maxBytes: EVIDENCE_LIMITS.maxBytes, maxFiles: EVIDENCE_LIMITS.maxFiles, field: "evidence" };
  if (evidence.every((f): f is File => typeof File !== "undefined" && f instanceof File)) return checkUploads(evidence, opts);
  const checked = evidence;
  if (checked.length > opts.maxFiles) throw new AppError("INVALID_INPUT", `最多上传 ${opts.maxFiles} 个文件`, { evidence: `最多上传 ${opts.maxFiles} 个文件` });
  for (const c of checked) {
    const kind = sniff(c.data);
    if (c.data.length > opts.maxBytes) throw new AppError("INVALID_INPUT", `文件 ${c.filename} 超过 5 MB`, { evidence: `文件 ${c.filename} 超过大小限制` });
    if (!kind || !opts.allowed.includes(kind)) throw new AppError("INVALID_INPUT", `文件 ${c.filename} 不是允许的类型（PDF、JPEG、PNG）`, { evidence: `文件 ${c.filename} 的内容不是允许的类型（PDF、JPEG、PNG）` });
  }
  return checked;
}

type LicenceForObjection = {
  id: string;
  identifier: string;
  name: string;
  status: string;
  statusReason: string | null;
  typeId: string;
  holderId: string;
  holderCodeHash: string;
  holder: { category: string };
  face: unknown;
  issuerDept: { id: string; name: string; path: string; areaCode: string };
  typeVersion: { faceFields: unknown };
};

const LICENCE_SELECT = {
  id: true,
  identifier: true,
  name: true,
  status: true,
  statusReason: true,
  typeId: true,
  holderId: true,
  holderCodeHash: true,
  holder: { select: { category: true } },
  face: true,
  issuerDept: { select: { id: true, name: true, path: true, areaCode: true } },
  typeVersion: { select: { faceFields: true } },
} as const;

function refuseAnnulled(l: { status: string }) {
  if (l.status === "ANNULLED") throw new AppError("CONFLICT", "该证照已撤销/废止或已由新版本替代，请对现行有效的证照提出异议");
}

const REPLACED_WORDS: Record<string, string> = { CHANGED: "变更", RENEWED: "延续" };

/** The identifier of the newest version a licence was replaced by (following 变更 / 延续), or null. */
async function newestVersionOf(licenceId: string): Promise<string | null> {
  let cur = licenceId;
  let identifier: string | null = null;
  // a chain of versions; bounded all the same
  for (let i = 0; i < 100; i++) {
    const next = await db().licence.findFirst({ where: { predecessorId: cur }, orderBy: [{ version: "desc" }, { id: "asc" }], select: { id: true, identifier: true } });
    if (!next) break;
    cur = next.id;
    identifier = next.identifier;
  }
  return identifier;
}

/**
 * For a holder who has shown the licence's holder code only (never before: an identifier alone
 * reveals nothing): an annulled licence refused, naming the current version when it was replaced
 * by a 变更 or 延续 (the verification page of an old version links to the form).
 */
export async function refuseReplacedForHolder(l: { id: string; status: string; statusReason: string | null }): Promise<void> {
  if (l.status !== "ANNULLED") return;
  const word = l.statusReason ? REPLACED_WORDS[l.statusReason] : undefined;
  const current = word ? await newestVersionOf(l.id) : null;
  if (!word || !current) refuseAnnulled(l);
  const message = `该证照已${word}为新版本，请对现行版本提出异议：${current}`;
  throw new AppError("CONFLICT", message, { identifier: message });
}

/** A face value as pages may show it: sensitive values, citizen ID numbers and the holder's own code masked. */
export function shownValue(f: FaceFieldDef, raw: unknown, hidden: boolean): string {
  if (f.type === "IMAGE") return raw ? "（图片）" : "";
  if (hidden && !f.sensitive && f.type !== "CITIZEN_ID") return typeof raw === "string" || typeof raw === "number" ? maskHolderCode(String(raw)) : "";
  return maskValue(f.type === "CITIZEN_ID" ? { ...f, sensitive: true } : f, raw) ?? "";
}

/**
 * The field's value is (or, typed by an applicant, may be) a holder's code: a USCC or citizen ID
 * field, or any value whose keyed hash is the holder's code hash (P-02: masked wherever shown).
 */
export function holderCodeLike(f: Pick<FaceFieldDef, "type"> | undefined, value: unknown, codeHash: string): boolean {
  if (f && (f.type === "USCC" || f.type === "CITIZEN_ID")) return true;
  if (typeof value !== "string") return false;
  const c = normaliseHolderCode(value);
  return c.length >= 4 && c.length <= HOLDER_CODE_MAX && holderCodeHash(c) === codeHash;
}

/**
 * Face keys whose current values objection pages mask: the licence's hidden keys (sensitive
 * fields, citizen IDs, the holder's own code) and every USCC field (a misprinted code is a code).
 */
export function objectionHiddenKeys(defs: readonly FaceFieldDef[], face: Record<string, unknown>, codeHash: string): Set<string> {
  const out = hiddenFaceKeys(defs, face, codeHash);
  for (const f of defs) if (f.type === "USCC") out.add(f.key);
  return out;
}

/** What the applicant typed, as pages may show it: masked like a holder code when it is one. */
export function shownExpected(f: Pick<StoredField, "expected" | "hidden" | "expectedEnc">, def: Pick<FaceFieldDef, "type"> | undefined, codeHash: string): string {
  return f.hidden || f.expectedEnc || holderCodeLike(def, f.expected, codeHash) ? maskHolderCode(f.expected) : f.expected;
}

/**
 * A field in question as stored on the objection. `current` is the value at submission as pages
 * may show it; `expected` is what the applicant asks for, masked when it is (or may be) a holder's
 * code, the typed value then kept only SM4-encrypted in `expectedEnc` (never sent to a page: the
 * issuer types the corrected code).
 */
export type StoredField = { key: string; label: string; current: string; expected: string; hidden: boolean; expectedEnc?: string };

const EXPECTED = "objection-expected";

/** The chosen fields must be the licence's face fields; the current value is copied as pages may show it. */
function fieldsInQuestion(l: LicenceForObjection, chosen: { key: string; expected: string }[]): StoredField[] {
  const defs: FaceFieldDef[] = faceFieldList.safeParse(l.typeVersion.faceFields).data ?? [];
  const face = (l.face ?? {}) as Record<string, unknown>;
  const hidden = objectionHiddenKeys(defs, face, l.holderCodeHash);
  const errors: Record<string, string> = {};
  const out: StoredField[] = [];
  chosen.forEach((c, i) => {
    const f = defs.find((d) => d.key === c.key);
    if (!f) {
      errors[`fields.${i}.key`] = "该证照没有这个字段";
      return;
    }
    const h = hidden.has(f.key);
    const current = cut(shownValue(f, face[f.key], h), 500);
    if (h || holderCodeLike(f, c.expected, l.holderCodeHash))
      out.push({ key: f.key, label: f.label, current, expected: maskHolderCode(c.expected), hidden: true, expectedEnc: Buffer.from(encryptPersonal(c.expected, EXPECTED)).toString("base64") });
    else out.push({ key: f.key, label: f.label, current, expected: c.expected, hidden: false });
  });
  if (Object.keys(errors).length) throw new AppError("INVALID_INPUT", "请从该证照的照面字段中选择", errors);
  return out;
}

/** YY + Shanghai yyyymmdd + a 6-digit daily sequence, taken outside the main transaction (a rollback leaves a gap). */
async function newNumber(now: Date): Promise<string> {
  const day = shanghaiDate(now).replaceAll("-", "");
  const seq = await takeCounter(db(), `objection:${day}`);
  if (seq > 999_999n) throw new AppError("CONFLICT", "今日异议编号已用完，请明日再提交");
  return `YY${day}${seq.toString().padStart(6, "0")}`;
}

function newLookupCode(): string {
  let s = "";
  for (let i = 0; i < 8; i++) s += LOOKUP_ALPHABET[randomInt(LOOKUP_ALPHABET.length)];
  return s;
}

/** Keyed SM3 (HMAC-SM3) of the lookup code, bound to its number: only this is stored. */
function lookupHash(number: string, code: string): string {
  return personalIndex(`${number}:${code}`, LOOKUP);
}

function sameHash(a: string | null, b: string): boolean {
  if (!a || a.length !== b.length) return false;
  return timingSafeEqual(Buffer.from(a), Buffer.from(b));
}

type NewObjection = {
  licence: LicenceForObjection;
  source: "HOLDER" | "DEPT";
  applicant: { deptId: string | null; userId: string | null; name: string; contact: string | null };
  fields: StoredField[];
  description: string;
  evidence: CheckedUpload[];
  routed: boolean;
  now: Date;
  lookup: string | null;
};

/** Writes the objection with the deadlines of its region, its evidence, events, audit and notifications. */
async function createObjection(n: NewObjection, audit: AuditActor, actor: Actor | null, first?: (tx: Tx) => Promise<void>): Promise<{ id: string; number: string }> {
  const number = await newNumber(n.now);
  const issuer = n.licence.issuerDept;
  return withTx(async (tx) => {
    // the rate limit counted only for an objection that is created (undone with a rollback)
    if (first) await first(tx);
    // the licence as it is now: a 变更 committing meanwhile (which moves the open objections to
    // its new version) is waited for, so a new objection is never left behind on the old one
    const [live] = await tx.$queryRaw<{ status: string }[]>`SELECT "status"::text AS "status" FROM "Licence" WHERE "id" = ${n.licence.id}::uuid FOR SHARE`;
    refuseAnnulled(live);
    const days = await objectionDays(tx, issuer.areaCode);
    // one after the other: a transaction is one connection
    const mark = await addWorkingDays(n.now, days.markDays, tx);
    const resolve = await addWorkingDays(n.now, days.resolveDays, tx);
    const province = n.routed ? await provincialManagement(tx, issuer) : null;
    const routeStage = province ? "AT_PROVINCE" : null;
    const o = await tx.objection.create({
      data: {
        number,
        licenceId: n.licence.id,
        issuerDeptId: issuer.id,
        source: n.source,
        applicantDeptId: n.applicant.deptId,
        applicantUserId: n.applicant.userId,
        applicantName: cut(n.applicant.name, 100),
        contactEnc: n.applicant.contact ? encryptPersonal(n.applicant.contact, CONTACT) : null,
        contactMasked: n.applicant.contact ? cut(maskContact(n.applicant.contact), 40) : null,
        lookupHash: n.lookup ? lookupHash(number, n.lookup) : null,
        fields: n.fields,
        description: n.description,
        status: "SUBMITTED",
        routeStage,
        regionCode: days.regionCode,
        receivedAt: n.now,
        markDueAt: mark.due,
        resolveDueAt: resolve.due,
        calendarCovered: mark.covered && resolve.covered,
      },
    });
    if (n.evidence.length)
      await tx.objectionEvidence.createMany({
        data: n.evidence.map((e) => ({ objectionId: o.id, fileName: cut(e.filename, 200), mime: e.mime, size: e.size, sm3: e.sm3, data: e.data })),
      });
    const who = eventActor(actor, n.now, n.source === "HOLDER" ? holderActorName(n.applicant.name, n.licence.holder.category) : n.applicant.name);
    await tx.objectionEvent.create({
      data: { objectionId: o.id, kind: "SUBMIT", toStatus: "SUBMITTED", note: null, data: { fields: n.fields.map((f) => f.key), evidence: n.evidence.length, regionCode: days.regionCode, markDays: days.markDays, resolveDays: days.resolveDays }, ...who },
    });
    if (province)
      await tx.objectionEvent.create({
        data: { objectionId: o.id, kind: "ROUTE", note: `跨区域异议，转「${province.name}」`, data: { stage: "AT_PROVINCE", toDeptId: province.id, toDept: province.name }, ...who },
      });
    await appendAudit(
      tx,
      audit,
      { action: "objection.submit", number, identifier: n.licence.identifier, source: n.source, fields: n.fields.length, evidence: n.evidence.length, routed: !!province, markDueAt: mark.due.toISOString(), resolveDueAt: resolve.due.toISOString() },
      { type: "Objection", id: o.id },
    );
    const title = `新异议：${n.licence.name} ${number}`;
    const body = `${n.fields.map((f) => f.label).join("、")}：${cut(n.description, 200)}`;
    const recipients = province ? await usersWith(tx, province.id, "objection.route") : await usersWith(tx, issuer.id, "licence.issue");
    await notify(
      recipients.map((u) => ({
        userId: u.id,
        kind: province ? "objection.route" : "objection.new",
        title: province ? `待转办跨区域异议：${number}` : title,
        body: cut(body, 1000),
        link: objectionLink(o.id),
        dedupeKey: `objection:${o.id}:submit:${u.id}`,
      })),
      tx,
    );
    return { id: o.id, number };
  });
}

async function loadLicence(where: { id: string } | { identifier: string }): Promise<LicenceForObjection | null> {
  return db().licence.findUnique({ where, select: LICENCE_SELECT });
}

/** A using department's objection (licence.use; the type on the department's use list; not the issuer itself). */
export async function submitByDept(actor: Actor, rawInput: DeptObjectionInput, evidence: Evidence = [], opts: When = {}): Promise<{ id: string; number: string }> {
  requirePermission(actor, "licence.use");
  const input = parse(deptObjectionInput, rawInput);
  const now = opts.now ?? new Date();
  const l = await loadLicence({ id: input.licenceId });
  if (!l) throw new AppError("NOT_FOUND", LICENCE_NOT_FOUND);
  if (l.issuerDept.id === actor.departmentId) throw new AppError("CONFLICT", "发证部门不能对本部门签发的证照提出异议，如有错误请直接办理变更");
  refuseAnnulled(l);
  await requireOnUseList(actor.departmentId, l, now);
  const fields = fieldsInQuestion(l, input.fields);
  const files = await checkEvidence(evidence);
  const dept = await db().department.findUniqueOrThrow({ where: { id: actor.departmentId }, select: { areaCode: true } });
  return createObjection(
    {
      licence: l,
      source: "DEPT",
      applicant: { deptId: actor.departmentId, userId: actor.userId, name: actor.name, contact: null },
      fields,
      description: input.description,
      evidence: files,
      routed: crossRegion(dept.areaCode, l.issuerDept.areaCode),
      now,
      lookup: null,
    },
    auditActorOf(actor),
    actor,
  );
}

/** U-01: a using department raises objections about the types on its use list (any matter, in force today). */
async function requireOnUseList(deptId: string, l: { typeId: string; name: string }, now: Date) {
  const today = new Date(`${shanghaiDate(now)}T00:00:00Z`);
  const entry = await db().useListEntry.findFirst({
    where: { deptId, typeId: l.typeId, status: "ACTIVE", validFrom: { lte: today }, OR: [{ validTo: null }, { validTo: { gte: today } }] },
    select: { id: true },
  });
  if (!entry) throw new AppError("FORBIDDEN", `本部门的用证清单中没有「${l.name}」，不能对其提出异议`);
}

/** Whether a using department may raise an objection about a licence (the licence page's button). */
export async function mayObjectAsDept(actor: Actor, l: { typeId: string; name: string; issuerDeptId: string; status: string }, now = new Date()): Promise<{ ok: true } | { ok: false; reason: string }> {
  if (!can(actor, "licence.use")) return { ok: false, reason: "没有用证权限" };
  if (l.issuerDeptId === actor.departmentId) return { ok: false, reason: "发证部门不能对本部门签发的证照提出异议" };
  if (l.status === "ANNULLED") return { ok: false, reason: "该证照已撤销/废止或已由新版本替代" };
  try {
    await requireOnUseList(actor.departmentId, l, now);
    return { ok: true };
  } catch (e) {
    if (e instanceof AppError) return { ok: false, reason: e.userMessage };
    throw e;
  }
}

/**
 * A holder's objection on the public page: the holder code must match the licence (the same
 * answer whether the identifier or the code is wrong); rate-limited per IP. Returns the number
 * and the lookup code, which is shown once and stored only as a keyed hash.
 */
export async function submitByHolder(rawInput: HolderObjectionInput, evidence: Evidence, meta: PublicMeta, opts: HolderOpts = {}): Promise<{ number: string; lookupCode: string }> {
  const now = opts.now ?? new Date();
  const limited = !opts.skipRateLimit;
  const who = meta.ip ?? "unknown";
  // checked first, counted only once the objection is created (in its transaction)
  if (limited) await enforceUncounted(OBJECTION_SUBMIT_LIMIT, who, publicActor(meta), now);
  const input = parse(holderObjectionInput, rawInput);
  const l = await loadLicence({ identifier: input.identifier });
  if (!l || !sameHash(l.holderCodeHash, holderCodeHash(input.holderCode))) throw new AppError("INVALID_INPUT", HOLDER_MISMATCH, { holderCode: HOLDER_MISMATCH });
  await refuseReplacedForHolder(l);
  const fields = fieldsInQuestion(l, input.fields);
  const files = await checkEvidence(evidence);
  const lookup = newLookupCode();
  const contact = input.contact.replace(/\s+/g, "");
  const actorName = holderActorName(input.applicantName, l.holder.category);
  const count = async (tx: Tx) => {
    const r = await hit(OBJECTION_SUBMIT_LIMIT, who, now, tx);
    if (!r.allowed) throw new AppError("RATE_LIMITED", "rate limited");
  };
  try {
    const { number } = await createObjection(
      { licence: l, source: "HOLDER", applicant: { deptId: null, userId: null, name: input.applicantName, contact }, fields, description: input.description, evidence: files, routed: false, now, lookup },
      publicActor(meta, actorName),
      null,
      limited ? count : undefined,
    );
    return { number, lookupCode: lookup };
  } catch (e) {
    // another submission from the address took the last try meanwhile: nothing was written
    if (limited && e instanceof AppError && e.code === "RATE_LIMITED") await refused(OBJECTION_SUBMIT_LIMIT, who, publicActor(meta), now);
    throw e;
  }
}

/** The holder as the timeline and the audit trail name them: 持证主体 and the applicant's name, a natural person's masked. */
function holderActorName(applicantName: string, holderCategory: string): string {
  return `持证主体 ${holderApplicantName(applicantName, holderCategory)}`;
}

// ---------------------------------------------------------------------------------------------
// Transitions

type Loaded = Objection & {
  issuerDept: { id: string; path: string; name: string; areaCode: string };
  applicantDept: { id: string; path: string; name: string } | null;
  licence: { id: string; identifier: string; name: string; holderId: string; rev: number; holderName: string };
};

async function load(tx: Db | Tx, id: string): Promise<Loaded | null> {
  // one query at a time: Prisma fetches included relations in parallel, which a transaction's
  // single connection can only queue (node-postgres deprecates that)
  const o = await tx.objection.findUnique({ where: { id } });
  if (!o) return null;
  const issuerDept = await tx.department.findUniqueOrThrow({ where: { id: o.issuerDeptId }, select: { id: true, path: true, name: true, areaCode: true } });
  const applicantDept = o.applicantDeptId ? await tx.department.findUnique({ where: { id: o.applicantDeptId }, select: { id: true, path: true, name: true } }) : null;
  const licence = await tx.licence.findUniqueOrThrow({ where: { id: o.licenceId }, select: { id: true, identifier: true, name: true, holderId: true, rev: true, holderName: true } });
  return { ...o, issuerDept, applicantDept, licence };
}

/** The objection, if `actor` is an issuer operator of its issuing department; else "not found". */
async function loadForIssuer(tx: Db | Tx, actor: Actor, id: string): Promise<Loaded> {
  requirePermission(actor, "licence.issue");
  const o = await load(tx, id);
  if (!o) throw new AppError("NOT_FOUND", NOT_FOUND);
  requirePermission(actor, "licence.issue", o.issuerDept);
  return o;
}

/** The province's router: objection.route over the issuing department, at the provincial level. */
async function loadForRouter(tx: Db | Tx, actor: Actor, id: string): Promise<Loaded> {
  requirePermission(actor, "objection.route");
  const o = await load(tx, id);
  if (!o || !o.routeStage) throw new AppError("NOT_FOUND", NOT_FOUND);
  requirePermission(actor, "objection.route", o.issuerDept);
  if (actor.departmentLevel !== "PROVINCE") throw new AppError("FORBIDDEN", "跨区域异议由省级管理部门转办");
  return o;
}

/** Why `o` (as read) cannot take this step, in words for the loser of a race. */
function stateMessage(o: Objection, wanted: string): string {
  if (o.status === "WITHDRAWN") return "申请方已撤回该异议";
  if (o.status === "RESOLVED") return "该异议已办结";
  if (wanted === "mark" && o.status === "MARKED") return "该异议已被其他人标注";
  if (wanted === "mark" && o.routeStage === "AT_PROVINCE") return "该异议尚在省级管理部门转办中，转办后由发证部门标注";
  if ((wanted === "resolve" || wanted === "correct") && o.status === "SUBMITTED") return "请先进行异议标注，再办结";
  return ANOTHER;
}

function checkRev(o: Objection, rev: number, wanted: string) {
  if (o.rev !== rev) throw new AppError("CONFLICT", stateMessage(o, wanted));
}

/** After a lost conditional update: the row as it is now says why. */
async function lostRace(tx: Tx, id: string, wanted: string): Promise<never> {
  const now = await tx.objection.findUniqueOrThrow({ where: { id } });
  throw new AppError("CONFLICT", stateMessage(now, wanted));
}

async function audit(tx: Tx, a: AuditActor, o: Objection, transition: string, from: string, to: string, extra: Record<string, string | number | boolean | null> = {}) {
  await appendAudit(tx, a, { action: "objection.transition", number: o.number, transition, from, to, ...extra }, { type: "Objection", id: o.id });
}

/** A transition's transaction; a lost lock (deadlock, serialization failure) is a conflict, not a 500. */
function objectionTx<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
  return conflictOnLock(withTx(fn));
}

function endedMessage(status: string): string {
  return `证照${licenceStatusLabel(status)}，不再有效，不能标注“异议中”；请直接以「数据无误」或「不予采纳」办结`;
}

async function decrementOpen(tx: Tx, licenceId: string) {
  await tx.licence.updateMany({ where: { id: licenceId, openObjections: { gt: 0 } }, data: { openObjections: { decrement: 1 } } });
}

/** 异议标注 (O-02): from then until resolution the licence shows 异议中 (Licence.openObjections > 0). */
export async function markObjection(actor: Actor, rawInput: MarkInput, now = new Date()): Promise<void> {
  const input = parse(markInput, rawInput);
  await objectionTx(async (tx) => {
    const o = await loadForIssuer(tx, actor, input.id);
    if (o.status !== "SUBMITTED" || o.routeStage === "AT_PROVINCE") throw new AppError("CONFLICT", stateMessage(o, "mark"));
    checkRev(o, input.rev, "mark");
    const status = await lockLicence(tx, o.licenceId);
    // a licence no longer in force is not shown 异议中 (its open objections are resolved without marking)
    if (licenceEnded(status)) throw new AppError("CONFLICT", endedMessage(status));
    const r = await tx.objection.updateMany({
      where: { id: o.id, licenceId: o.licenceId, status: "SUBMITTED", rev: input.rev, OR: [{ routeStage: null }, { routeStage: "AT_ISSUER" }] },
      data: { status: "MARKED", markedAt: now, markedById: actor.userId, markNote: input.note || null, rev: { increment: 1 } },
    });
    if (r.count !== 1) await lostRace(tx, o.id, "mark");
    await tx.licence.update({ where: { id: o.licenceId }, data: { openObjections: { increment: 1 } } });
    await tx.objectionEvent.create({ data: { objectionId: o.id, kind: "MARK", fromStatus: "SUBMITTED", toStatus: "MARKED", note: input.note || null, data: { late: now > o.markDueAt }, ...eventActor(actor, now) } });
    await audit(tx, auditActorOf(actor), o, "mark", "SUBMITTED", "MARKED", { identifier: o.licence.identifier, late: now > o.markDueAt, note: input.note || null });
  });
}

/** What the applicant is told once the objection is resolved (O-03). */
async function informApplicant(tx: Tx, o: Loaded, outcome: ObjectionOutcome, reason: string, corrected: { identifier: string } | null, viaProvince: boolean) {
  const result = `${OUTCOME_LABELS[outcome]}${corrected ? `，新版本证照标识 ${corrected.identifier}` : ""}`;
  const message = `您对「${o.licence.name}」（${o.licence.identifier}）提出的异议 ${o.number} 已办结：${result}。${reason}`;
  if (o.source === "HOLDER") {
    // a record for the SMS / e-mail gateway; the public lookup shows the same result
    const contact = o.contactEnc ? decryptPersonal(o.contactEnc, CONTACT) : null;
    await tx.holderNotification.createMany({
      data: [{ holderId: o.licence.holderId, licenceId: o.licenceId, kind: cut(`OBJ:${o.number}`, 20), channel: (contact && contactKind(contact)) || "SMS", contactMasked: o.contactMasked, message: cut(message, 500) }],
      skipDuplicates: true,
    });
    return;
  }
  if (viaProvince) {
    const province = await provincialManagement(tx, o.issuerDept);
    const users = province ? await usersWith(tx, province.id, "objection.route") : [];
    await notify(
      users.map((u) => ({ userId: u.id, kind: "objection.return", title: `待反馈：跨区域异议 ${o.number} 已办结`, body: cut(`${o.issuerDept.name}：${result}。${reason}`, 1000), link: objectionLink(o.id), dedupeKey: `objection:${o.id}:returning:${u.id}` })),
      tx,
    );
    return;
  }
  if (o.applicantUserId)
    await notify([{ userId: o.applicantUserId, kind: "objection.result", title: `异议已办结：${o.number}`, body: cut(message, 1000), link: objectionLink(o.id), dedupeKey: `objection:${o.id}:result:${o.applicantUserId}` }], tx);
}

/** 办结 without a change (O-03): UPHELD (the data is right) or REJECTED, with the reason. */
export async function resolveObjection(actor: Actor, rawInput: ResolveInput, now = new Date()): Promise<void> {
  const input = parse(resolveInput, rawInput);
  await objectionTx(async (tx) => {
    const o = await loadForIssuer(tx, actor, input.id);
    if (o.status !== "MARKED" && o.status !== "SUBMITTED") throw new AppError("CONFLICT", stateMessage(o, "resolve"));
    checkRev(o, input.rev, "resolve");
    const status = await lockLicence(tx, o.licenceId);
    // unmarked: only about a licence no longer in force (never marked then), once it is with the issuer
    if (o.status === "SUBMITTED" && (!licenceEnded(status) || o.routeStage === "AT_PROVINCE")) throw new AppError("CONFLICT", stateMessage(o, "resolve"));
    const from = o.status;
    const viaProvince = o.routeStage === "AT_ISSUER";
    const r = await tx.objection.updateMany({
      where: { id: o.id, licenceId: o.licenceId, status: from, rev: input.rev },
      data: { status: "RESOLVED", outcome: input.outcome, resolvedAt: now, resolvedById: actor.userId, resolution: input.reason, ...(viaProvince ? { routeStage: "RETURNING" } : {}), rev: { increment: 1 } },
    });
    if (r.count !== 1) await lostRace(tx, o.id, "resolve");
    if (from === "MARKED") await decrementOpen(tx, o.licenceId);
    await tx.objectionEvent.create({
      data: { objectionId: o.id, kind: "RESOLVE", fromStatus: from, toStatus: "RESOLVED", note: input.reason, data: { outcome: input.outcome, late: now > o.resolveDueAt, ...(viaProvince ? { stage: "RETURNING" } : {}) }, ...eventActor(actor, now) },
    });
    await audit(tx, auditActorOf(actor), o, "resolve", from, "RESOLVED", { outcome: input.outcome, identifier: o.licence.identifier, late: now > o.resolveDueAt });
    await informApplicant(tx, o, input.outcome, input.reason, null, viaProvince);
  });
}

/** Local Shanghai "YYYY-MM-DDTHH:mm" of an instant (the change form's 业务办结时间). */
function shanghaiLocal(at: Date): string {
  return new Date(at.getTime() + 8 * 3600_000).toISOString().slice(0, 16);
}

/**
 * 更正 (O-03): a change (变更) of the licence through the licences service (new version, re-signed,
 * the predecessor annulled) and, in the same transaction, the objection resolved as CORRECTED and
 * linked to the new version; if the objection was taken by someone else meanwhile, the change is
 * undone with it. Returns the new licence.
 */
export async function correctObjection(actor: Actor, rawInput: CorrectInput, now = new Date()): Promise<{ licenceId: string }> {
  const input = parse(correctInput, rawInput);
  const o = await loadForIssuer(db(), actor, input.id);
  if (o.status !== "MARKED") throw new AppError("CONFLICT", stateMessage(o, "correct"));
  checkRev(o, input.rev, "correct");
  const change = parse(changeInput, {
    licenceId: o.licenceId,
    rev: o.licence.rev,
    businessCompletedAt: shanghaiLocal(now),
    validFrom: "",
    holderName: input.holderName || o.licence.holderName,
    face: input.face,
    reasonText: input.changeReason || `根据异议 ${o.number} 更正`,
  });
  const viaProvince = o.routeStage === "AT_ISSUER";
  // the licence row (annulled) and this objection (with the licence's other open ones) are locked
  // by the change before its audit event, so this runs in the lock order of every transition
  const corrected = changeLicence(actor, change, now, async (tx, row) => {
    const before = await tx.licence.findUniqueOrThrow({ where: { id: o.licenceId }, select: { face: true } });
    refuseUnchanged(o, before.face, row.face);
    const r = await tx.objection.updateMany({
      where: { id: o.id, licenceId: o.licenceId, status: "MARKED", rev: input.rev },
      data: {
        status: "RESOLVED",
        outcome: "CORRECTED",
        resolvedAt: now,
        resolvedById: actor.userId,
        resolution: input.reason,
        correctedLicenceId: row.id,
        ...(viaProvince ? { routeStage: "RETURNING" } : {}),
        rev: { increment: 1 },
      },
    });
    if (r.count !== 1) await lostRace(tx, o.id, "correct");
    await decrementOpen(tx, o.licenceId);
    await tx.objectionEvent.create({
      data: {
        objectionId: o.id,
        kind: "CORRECT",
        fromStatus: "MARKED",
        toStatus: "RESOLVED",
        note: input.reason,
        data: { outcome: "CORRECTED", successorId: row.id, successor: row.identifier, version: row.version, late: now > o.resolveDueAt, ...(viaProvince ? { stage: "RETURNING" } : {}) },
        ...eventActor(actor, now),
      },
    });
    await audit(tx, auditActorOf(actor), o, "correct", "MARKED", "RESOLVED", { outcome: "CORRECTED", identifier: o.licence.identifier, successor: row.identifier, late: now > o.resolveDueAt });
    await informApplicant(tx, o, "CORRECTED", input.reason, { identifier: row.identifier }, viaProvince);
  });
  const successor = await conflictOnLock(corrected);
  return { licenceId: successor.id };
}

export const UNCHANGED = "更正后的内容与原证照相同，请修改异议所涉字段，或选择「数据无误」办结";

/** A face value compared as the signed face holds it: trimmed text, objects by key. */
function sameFaceValue(a: unknown, b: unknown): boolean {
  const norm = (v: unknown): unknown => {
    if (v === undefined || v === null) return "";
    if (typeof v === "string") return v.trim();
    if (typeof v === "number" || typeof v === "boolean") return String(v);
    if (Array.isArray(v)) return v.map(norm);
    if (typeof v === "object") return Object.fromEntries(Object.keys(v).sort().map((k) => [k, norm((v as Record<string, unknown>)[k])]));
    return v;
  };
  return JSON.stringify(norm(a)) === JSON.stringify(norm(b));
}

/** 已更正 needs at least one field in question to change (else it is 数据无误 or 不予采纳). */
function refuseUnchanged(o: Objection, before: unknown, after: unknown) {
  const keys = (Array.isArray(o.fields) ? (o.fields as unknown as StoredField[]) : []).map((f) => f.key);
  const b = (before ?? {}) as Record<string, unknown>;
  const a = (after ?? {}) as Record<string, unknown>;
  if (!keys.length || keys.some((k) => !sameFaceValue(b[k], a[k]))) return;
  throw new AppError("INVALID_INPUT", UNCHANGED, Object.fromEntries(keys.map((k) => [`face.${k}`, "与原证照相同，请填写更正后的内容"])));
}

/** 转办 (O-06): the provincial management department hands a cross-region objection to the issuer. */
export async function forwardObjection(actor: Actor, rawInput: ForwardInput, now = new Date()): Promise<void> {
  const input = parse(forwardInput, rawInput);
  await objectionTx(async (tx) => {
    const o = await loadForRouter(tx, actor, input.id);
    if (o.status !== "SUBMITTED" || o.routeStage !== "AT_PROVINCE") throw new AppError("CONFLICT", o.status === "SUBMITTED" ? "该异议已转办" : stateMessage(o, "forward"));
    if (o.rev !== input.rev) throw new AppError("CONFLICT", ANOTHER);
    const r = await tx.objection.updateMany({ where: { id: o.id, status: "SUBMITTED", routeStage: "AT_PROVINCE", rev: input.rev }, data: { routeStage: "AT_ISSUER", rev: { increment: 1 } } });
    if (r.count !== 1) await lostRace(tx, o.id, "forward");
    await tx.objectionEvent.create({
      data: { objectionId: o.id, kind: "FORWARD", note: input.note || null, data: { from: "AT_PROVINCE", stage: "AT_ISSUER", toDeptId: o.issuerDeptId, toDept: o.issuerDept.name }, ...eventActor(actor, now) },
    });
    await appendAudit(tx, auditActorOf(actor), { action: "objection.route", number: o.number, stage: "AT_ISSUER", toDept: o.issuerDept.name, note: input.note || null }, { type: "Objection", id: o.id });
    const users = await usersWith(tx, o.issuerDeptId, "licence.issue");
    await notify(
      users.map((u) => ({ userId: u.id, kind: "objection.new", title: `省级转办异议：${o.licence.name} ${o.number}`, body: cut(`${o.applicantDept?.name ?? o.applicantName} 提出：${o.description}`, 1000), link: objectionLink(o.id), dedupeKey: `objection:${o.id}:forward:${u.id}` })),
      tx,
    );
  });
}

/** 反馈 (O-06): the provincial management department returns the issuer's result to the applicant. */
export async function returnObjection(actor: Actor, rawInput: ReturnInput, now = new Date()): Promise<void> {
  const input = parse(returnInput, rawInput);
  await objectionTx(async (tx) => {
    const o = await loadForRouter(tx, actor, input.id);
    if (o.status !== "RESOLVED" || o.routeStage !== "RETURNING") throw new AppError("CONFLICT", o.routeStage === "RETURNED" ? "该异议的结果已反馈" : "该异议尚未办结，不能反馈");
    if (o.rev !== input.rev) throw new AppError("CONFLICT", ANOTHER);
    const r = await tx.objection.updateMany({ where: { id: o.id, status: "RESOLVED", routeStage: "RETURNING", rev: input.rev }, data: { routeStage: "RETURNED", rev: { increment: 1 } } });
    if (r.count !== 1) await lostRace(tx, o.id, "return");
    await tx.objectionEvent.create({
      data: { objectionId: o.id, kind: "RETURN", note: input.note || null, data: { from: "RETURNING", stage: "RETURNED", toDeptId: o.applicantDeptId, toDept: o.applicantDept?.name ?? null }, ...eventActor(actor, now) },
    });
    await appendAudit(tx, auditActorOf(actor), { action: "objection.route", number: o.number, stage: "RETURNED", toDept: o.applicantDept?.name ?? null, note: input.note || null }, { type: "Objection", id: o.id });
    const corrected = o.correctedLicenceId ? await tx.licence.findUnique({ where: { id: o.correctedLicenceId }, select: { identifier: true } }) : null;
    await informApplicant(tx, o, o.outcome as ObjectionOutcome, `${o.resolution ?? ""}${input.note ? `（省级管理部门：${input.note}）` : ""}`, corrected, false);
  });
}

async function withdrawIn(tx: Tx, o: Loaded, rev: number, who: ReturnType<typeof eventActor>, a: AuditActor, now: Date) {
  if (o.status !== "SUBMITTED" && o.status !== "MARKED") throw new AppError("CONFLICT", o.status === "WITHDRAWN" ? "该异议已撤回" : "该异议已办结，不能撤回");
  if (o.rev !== rev) throw new AppError("CONFLICT", ANOTHER);
  await lockLicence(tx, o.licenceId);
  const r = await tx.objection.updateMany({ where: { id: o.id, licenceId: o.licenceId, status: o.status, rev }, data: { status: "WITHDRAWN", withdrawnAt: now, rev: { increment: 1 } } });
  if (r.count !== 1) await lostRace(tx, o.id, "withdraw");
  if (o.status === "MARKED") await decrementOpen(tx, o.licenceId);
  await tx.objectionEvent.create({ data: { objectionId: o.id, kind: "WITHDRAW", fromStatus: o.status, toStatus: "WITHDRAWN", ...who } });
  await audit(tx, a, o, "withdraw", o.status, "WITHDRAWN", { identifier: o.licence.identifier });
  // whoever holds it now stops working on it
  const holderDept = o.routeStage === "AT_PROVINCE" ? await provincialManagement(tx, o.issuerDept) : null;
  const users = holderDept ? await usersWith(tx, holderDept.id, "objection.route") : await usersWith(tx, o.issuerDeptId, "licence.issue");
  const notes: NewNotification[] = users.map((u) => ({ userId: u.id, kind: "objection.withdrawn", title: `异议已撤回：${o.number}`, body: `申请方撤回了对「${o.licence.name}」（${o.licence.identifier}）的异议。`, link: objectionLink(o.id), dedupeKey: `objection:${o.id}:withdrawn:${u.id}` }));
  await notify(notes, tx);
}

/** 撤回 by an operator of the applicant department, before resolution. */
export async function withdrawByDept(actor: Actor, rawInput: WithdrawInput, now = new Date()): Promise<void> {
  requirePermission(actor, "licence.use");
  const input = parse(withdrawInput, rawInput);
  await objectionTx(async (tx) => {
    const o = await load(tx, input.id);
    if (!o || o.source !== "DEPT" || !o.applicantDept) throw new AppError("NOT_FOUND", NOT_FOUND);
    requirePermission(actor, "licence.use", o.applicantDept);
    await withdrawIn(tx, o, input.rev, eventActor(actor, now), auditActorOf(actor), now);
  });
}

/** 撤回 by the holder with the number and the lookup code (rate-limited per IP). */
export async function withdrawByHolder(rawInput: HolderWithdrawInput, meta: PublicMeta, now = new Date()): Promise<void> {
  await enforce(OBJECTION_LOOKUP_LIMIT, meta.ip ?? "unknown", publicActor(meta), now);
  const input = parse(holderWithdrawInput, rawInput);
  await objectionTx(async (tx) => {
    const o = await tx.objection.findUnique({ where: { number: input.number }, select: { id: true, source: true, lookupHash: true, rev: true } });
    if (!o || o.source !== "HOLDER" || !sameHash(o.lookupHash, lookupHash(input.number, input.lookupCode))) throw new AppError("NOT_FOUND", LOOKUP_MISMATCH);
    const full = (await load(tx, o.id))!;
    const holder = await tx.holder.findUniqueOrThrow({ where: { id: full.licence.holderId }, select: { category: true } });
    const name = holderActorName(full.applicantName, holder.category);
    await withdrawIn(tx, full, full.rev, eventActor(null, now, name), publicActor(meta, name), now);
  });
}

/** Checks a public lookup against the stored keyed hash (used by queries.ts). */
export function lookupMatches(number: string, code: string, stored: string | null): boolean {
  return sameHash(stored, lookupHash(number, code));
}
