// Issuing licences (L-05 … L-07, L-12): one transaction takes the serial and number, finds or
// creates the holder, signs the canonical encoding with the department's seal for the type, and
// writes the licence, its ISSUE event and the audit event together.
import "server-only";
import { randomInt } from "node:crypto";
import { db, withTx, Prisma, type Db, type Tx } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { appendAudit } from "@/lib/audit/log";
import { auditActorOf, type Actor } from "@/lib/auth/session";
import { requirePermission } from "@/lib/auth/permissions";
import { AGGREGATION_SYNC_WORKING_DAYS, holderCodeType, type AggregationMode } from "@/lib/catalog/dictionaries";
import { faceFieldList, faceSchema, type FaceData, type FaceFieldDef } from "@/lib/catalog/face-fields";
import { formatNumber, NumberRuleError, parseNumberRule } from "@/lib/catalog/number-rule";
import { shanghaiYmd, validityEndDate, validityRuleSchema, ymdString, type ValidityRule } from "@/lib/catalog/validity";
import { endOfShanghaiDay, shanghaiDate } from "@/lib/calendar/working-days";
import { calendar, type Calendar } from "@/lib/calendar";
import { sm3Hex } from "@/lib/crypto/sm3";
import { canonicalLicence, type CanonicalLicence } from "@/lib/licenses/canonical";
import { numberScope, serialScope, serialText, takeCounter } from "@/lib/licenses/counters";
import { buildIdentifier } from "@/lib/licenses/identifier";
import { holderCodeProblem, normaliseHolderCode } from "@/lib/licenses/holder-code";
import { holderCodeHash, upsertHolderTx, type HolderInput } from "@/lib/licenses/holders";
import { shanghaiInstant, type IssueInput } from "@/lib/licenses/schema";
import { signedColumns, signerFor, signLicences, type LicenceSigner } from "@/lib/licenses/signing";
import type { Licence } from "@/lib/generated/prisma/client";

/** Statuses in which a licence is "live" for the one-live-licence rule. */
export const LIVE_STATUSES = ["VALID", "SUSPENDED"] as const;

/** Everything fixed for one type, issuer and moment: loaded once per issue or per bulk chunk. */
export type IssueContext = {
  type: { id: string; typeCode: string; name: string };
  version: { id: string; number: number; holderCategories: string[]; holderCodeTypes: string[]; matters: { name: string; code: string }[]; allowMultiple: boolean; numberRule: string; faceLayout: string; sealIds: string[] };
  fields: FaceFieldDef[];
  validity: ValidityRule;
  dept: { id: string; path: string; name: string; uscc: string; areaCode: string };
  signer: LicenceSigner;
};

/**
 * Loads the released version of a type for issuing by `deptId`, refusing what L-02 and L-05 refuse:
 * a type not released or retired, a department that is not on the type's issuance list.
 */
export async function loadIssueContext(tx: Db | Tx, deptId: string, typeId: string, now: Date): Promise<IssueContext> {
  const type = await tx.licenceType.findUnique({ where: { id: typeId }, select: { id: true, typeCode: true, name: true, releasedVersion: true, retiredAt: true } });
  if (!type) throw new AppError("NOT_FOUND", "证照类型不存在", { typeId: "证照类型不存在" });
  if (!type.releasedVersion || type.retiredAt) throw new AppError("CONFLICT", `「${type.name}」没有已发布的版本，不能签发`, { typeId: "只能签发已发布的证照类型" });
  const version = await tx.licenceTypeVersion.findUniqueOrThrow({ where: { typeId_number: { typeId, number: type.releasedVersion } } });
  if (version.status !== "RELEASED") throw new AppError("CONFLICT", `「${type.name}」没有已发布的版本，不能签发`, { typeId: "只能签发已发布的证照类型" });
  const dept = await tx.department.findUniqueOrThrow({ where: { id: deptId }, select: { id: true, path: true, name: true, uscc: true, areaCode: true, status: true } });
  const entry = await tx.issuanceListEntry.findUnique({ where: { deptId_typeId: { deptId, typeId } } });
  const today = shanghaiDate(now);
  const listed =
    !!entry && entry.status === "ACTIVE" && version.issuingDeptIds.includes(deptId) && ymdOf(entry.validFrom) <= today && (!entry.validTo || today <= ymdOf(entry.validTo));
  if (!listed) throw new AppError("CONFLICT", `「${type.name}」不在本部门的发证清单上（或清单条目已停用、未生效），不能签发`, { typeId: "不在本部门的发证清单上" });
  const signer = await signerFor(tx, version.sealIds, deptId, now);
  return {
    type: { id: type.id, typeCode: type.typeCode, name: version.name },
    version: {
      id: version.id,
      number: version.number,
      holderCategories: version.holderCategories,
      holderCodeTypes: version.holderCodeTypes,
      matters: (version.matters as { name: string; code: string }[] | null) ?? [],
      allowMultiple: version.allowMultiple,
      numberRule: version.numberRule,
      faceLayout: version.faceLayout,
      sealIds: version.sealIds,
    },
    fields: faceFieldList.parse(version.faceFields),
    validity: validityRuleSchema.parse(version.validity),
    dept: { id: dept.id, path: dept.path, name: dept.name, uscc: dept.uscc, areaCode: dept.areaCode },
    signer,
  };
}

function ymdOf(d: Date): string {
  return d.toISOString().slice(0, 10);
}

/** Field errors of the holder against the type version (P-02), keyed like the form ("holder.code"). */
export function holderProblems(ctx: Pick<IssueContext, "version">, h: HolderInput, prefix = "holder."): Record<string, string> {
  const errors: Record<string, string> = {};
  if (!ctx.version.holderCategories.includes(h.category)) errors[`${prefix}category`] = "该证照类型不向此类持证主体签发";
  if (!ctx.version.holderCodeTypes.includes(h.codeType)) errors[`${prefix}codeType`] = `该证照类型不接受「${holderCodeType(h.codeType)?.label ?? h.codeType}」`;
  const p = holderCodeProblem(h.codeType, h.code);
  if (p) errors[`${prefix}code`] = p;
  return errors;
}

// A type version's field list is one object for as long as its context lives: building its zod
// schema once per list rather than once per licence matters to a 100,000-row import (0.7 → 0.05 ms).
const faceSchemas = new WeakMap<readonly FaceFieldDef[], ReturnType<typeof faceSchema>>();

/** The face validated by the type's own schema; errors keyed "face.<key>". */
export function parseFace(fields: readonly FaceFieldDef[], face: unknown): { ok: true; face: FaceData } | { ok: false; errors: Record<string, string> } {
  let schema = faceSchemas.get(fields);
  if (!schema) {
    schema = faceSchema(fields);
    faceSchemas.set(fields, schema);
  }
  const r = schema.safeParse(face ?? {});
  if (r.success) return { ok: true, face: r.data };
  const errors: Record<string, string> = {};
  for (const i of r.error.issues) errors[`face.${i.path.join(".")}`] ??= i.message;
  return { ok: false, errors };
}

export type SyncTiming = { syncMode: AggregationMode; businessCompletedAt: Date; syncedAt: Date; syncDueAt: Date; syncDelayDays: number };

/**
 * L-05 timeliness: online licences are due at once (the same day), offline within 1 working day,
 * bulk within 5; after an emergency (L-12) the deadline is 3 working days after recovery if later.
 * `cal`: the holiday table's calendar (`await calendar(tx)`, O-04).
 */
export function syncTiming(mode: AggregationMode, businessCompletedAt: Date, syncedAt: Date, incidentDueAt: Date | null, cal: Calendar): SyncTiming {
  const n = AGGREGATION_SYNC_WORKING_DAYS[mode];
  let due = n === 0 ? endOfShanghaiDay(shanghaiDate(businessCompletedAt)) : cal.addWorkingDays(businessCompletedAt, n).due;
  if (incidentDueAt && incidentDueAt > due) due = incidentDueAt;
  return { syncMode: mode, businessCompletedAt, syncedAt, syncDueAt: due, syncDelayDays: cal.workingDaysBetween(businessCompletedAt, syncedAt) };
}

const VERIFY_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ";
/** 8-character verification code printed on the licence (no 0/O/1/I). */
export function newVerifyCode(): string {
  let s = "";
  for (let i = 0; i < 8; i++) s += VERIFY_ALPHABET[randomInt(VERIFY_ALPHABET.length)];
  return s;
}

export type NewLicence = {
  holder: HolderInput;
  face: FaceData;
  matter: { code: string; name: string } | null;
  validFrom: string;
  /** the last day of validity when it is not computed from the type's rule (a change keeps the old one); null = permanent */
  validTo?: string | null;
  timing: SyncTiming;
  issuedAt: Date;
  /** a number from the paper licence (bulk conversion), else one is made from the type's rule */
  licenceNumber?: string;
  /** change and renewal: the predecessor's serial, version + 1 and identifier */
  successorOf?: { id: string; serial: string; version: number; identifier: string; origin: "CHANGE" | "RENEW"; originalIssuerDeptId: string };
  incidentId?: string | null;
  importId?: string | null;
  origin?: "ISSUE" | "BULK" | "CHANGE" | "RENEW";
};

export type PreparedLicence = { data: Omit<Prisma.LicenceUncheckedCreateInput, "holderId"> & { holderId?: string }; canonical: Buffer; holder: HolderInput };

/**
 * Numbers, identifiers and canonical encodings for `items`, in order, with one counter update per
 * scope (a bulk chunk takes its serials as a range). Counters are taken in their own statements,
 * outside any transaction, so no lock is held while signing; a failed issue leaves a gap in the
 * sequence, as database sequences do. Nothing else is written here.
 */
export async function prepareLicences(ctx: IssueContext, items: NewLicence[], actorId: string | null): Promise<PreparedLicence[]> {
  const tx = db();
  const out: PreparedLicence[] = [];
  // serials: fresh ones per year of issue; a successor keeps its predecessor's serial
  const freshByYear = new Map<number, number>();
  for (const it of items) if (!it.successorOf) freshByYear.set(shanghaiYmd(it.issuedAt).y, (freshByYear.get(shanghaiYmd(it.issuedAt).y) ?? 0) + 1);
  const nextSerial = new Map<number, bigint>();
  for (const [year, n] of freshByYear) nextSerial.set(year, await takeCounter(tx, serialScope(ctx.type.typeCode, ctx.dept.uscc, year), n));
  // numbers: grouped by the fixed part of the rule
  const rule = parseNumberRule(ctx.version.numberRule);
  if (!rule.ok) throw new AppError("CONFLICT", `证照类型的编号规则有误：${rule.error}`);
  const numberCtx = (it: NewLicence, seq: number) => ({ area: ctx.dept.areaCode, date: it.issuedAt, seq, typeCode: ctx.type.typeCode });
  // the fixed part: the rule with its sequence shown as "#" (a rule with {year} restarts each year)
  const fixedTokens = rule.tokens.map((t) => (t.kind === "seq" ? { kind: "literal" as const, text: `#${t.width}` } : t));
  const fixedOf = (it: NewLicence) => formatNumber(fixedTokens, numberCtx(it, 1));
  const needNumber = new Map<string, number>();
  for (const it of items) if (!it.licenceNumber) needNumber.set(fixedOf(it), (needNumber.get(fixedOf(it)) ?? 0) + 1);
  const nextNumber = new Map<string, bigint>();
  for (const [fixed, n] of needNumber) nextNumber.set(fixed, await takeCounter(tx, numberScope(ctx.type.id, fixed), n));

  for (const it of items) {
    const codeHash = holderCodeHash(it.holder.code);
    let serial: string, version: number;
    if (it.successorOf) {
      serial = it.successorOf.serial;
      version = it.successorOf.version + 1;
      if (version > 999) throw new AppError("CONFLICT", "证照版本号已达 999，不能再变更或延续");
    } else {
      const year = shanghaiYmd(it.issuedAt).y;
      const v = nextSerial.get(year)!;
      nextSerial.set(year, v + 1n);
      serial = serialText(year, v);
      version = 1;
    }
    let licenceNumber = it.licenceNumber;
    if (!licenceNumber) {
      const fixed = fixedOf(it);
      const v = nextNumber.get(fixed)!;
      nextNumber.set(fixed, v + 1n);
      try {
        licenceNumber = formatNumber(rule.tokens, numberCtx(it, Number(v)));
      } catch (e) {
        if (e instanceof NumberRuleError) throw new AppError("CONFLICT", `不能生成证照编号：${e.message}`);
        throw e;
      }
    }
    const identifier = buildIdentifier({ typeCode: ctx.type.typeCode, issuerCode: ctx.dept.uscc, serial, version });
    const validTo = it.validTo !== undefined ? it.validTo : validityEndDate(ctx.validity, new Date(`${it.validFrom}T12:00:00+08:00`));
    if (validTo !== null && validTo < it.validFrom) throw new AppError("INVALID_INPUT", "有效期截止日期不能早于起始日期", { validFrom: "有效期起始日期晚于截止日期" });
    const code = normaliseHolderCode(it.holder.code);
    const c: CanonicalLicence = {
      identifier,
      number: licenceNumber,
      name: ctx.type.name,
      typeCode: ctx.type.typeCode,
      typeVersion: ctx.version.number,
      version,
      issuer: { name: ctx.dept.name, code: ctx.dept.uscc },
      areaCode: ctx.dept.areaCode,
      holder: { name: it.holder.name, codeType: it.holder.codeType, code },
      matter: it.matter,
      issuedAt: it.issuedAt,
      validFrom: it.validFrom,
      validTo,
      face: it.face,
      predecessor: it.successorOf?.identifier ?? null,
    };
    const canonical = canonicalLicence(c);
    out.push({
      canonical,
      holder: it.holder,
      data: {
        identifier,
        licenceNumber,
        serial,
        version,
        typeId: ctx.type.id,
        typeVersionId: ctx.version.id,
        typeCode: ctx.type.typeCode,
        name: ctx.type.name,
        issuerDeptId: ctx.dept.id,
        originalIssuerDeptId: it.successorOf?.originalIssuerDeptId ?? ctx.dept.id,
        issuerCode: ctx.dept.uscc,
        issuerName: ctx.dept.name,
        areaCode: ctx.dept.areaCode,
        holderCodeType: it.holder.codeType,
        holderCodeHash: codeHash,
        holderName: it.holder.name,
        matterCode: it.matter?.code ?? null,
        matterName: it.matter?.name ?? null,
        face: it.face,
        status: "VALID",
        exclusive: !ctx.version.allowMultiple,
        issuedAt: it.issuedAt,
        validFrom: new Date(`${it.validFrom}T00:00:00Z`),
        validTo: validTo ? new Date(`${validTo}T00:00:00Z`) : null,
        businessCompletedAt: it.timing.businessCompletedAt,
        syncMode: it.timing.syncMode,
        syncedAt: it.timing.syncedAt,
        syncDelayDays: it.timing.syncDelayDays,
        syncDueAt: it.timing.syncDueAt,
        incidentId: it.incidentId ?? null,
        importId: it.importId ?? null,
        predecessorId: it.successorOf?.id ?? null,
        origin: it.origin ?? (it.successorOf ? it.successorOf.origin : "ISSUE"),
        sealId: ctx.signer.sealId,
        canonicalSm3: sm3Hex(canonical),
        verifyCode: newVerifyCode(),
        createdById: actorId,
      },
    });
  }
  return out;
}

/** Longest a validity may start after the day of issue. */
export const MAX_START_AHEAD_DAYS = 366;

/**
 * Why a validity starting on `validFrom` cannot be issued at `now`: already ended at issue (a
 * licence is never issued expired), or starting more than a year ahead. Null when it can.
 */
export function validityStartProblem(rule: ValidityRule, validFrom: string, now: Date): string | null {
  const today = shanghaiDate(now);
  const end = validityEndDate(rule, new Date(`${validFrom}T12:00:00+08:00`));
  if (end !== null && end < today) return `按此起始日期，有效期已于 ${end} 届满，不能签发已过期的证照`;
  if (Date.parse(`${validFrom}T00:00:00Z`) - Date.parse(`${today}T00:00:00Z`) > MAX_START_AHEAD_DAYS * 86_400_000) return `有效期起始日期不能晚于签发日 ${MAX_START_AHEAD_DAYS} 日以上`;
  return null;
}

/** Signs prepared licences (one worker-pool call) and fills in the signature. */
export async function signPrepared(ctx: IssueContext, prepared: PreparedLicence[], time: Date): Promise<void> {
  const { signedAt, values } = await signLicences(
    ctx.signer,
    prepared.map((p) => ({ identifier: p.data.identifier, canonical: p.canonical })),
    time,
  );
  prepared.forEach((p, i) => Object.assign(p.data, signedColumns(ctx.signer, signedAt, values[i])));
}

/** Creates (or finds) the holders and writes the licences and their ISSUE events, in the caller's transaction. */
export async function insertPrepared(tx: Tx, prepared: PreparedLicence[], event: { actorId: string | null; actorName: string; deptId: string | null; at: Date; data?: Prisma.InputJsonValue }): Promise<Licence[]> {
  const rows: Licence[] = [];
  for (const p of prepared) {
    const h = await upsertHolderTx(tx, p.holder);
    const row = await tx.licence.create({ data: { ...p.data, holderId: h.id } });
    rows.push(row);
  }
  await tx.licenceEvent.createMany({
    data: rows.map((r) => ({ licenceId: r.id, kind: r.origin === "BULK" ? "BULK" : r.origin === "ISSUE" ? "ISSUE" : r.origin, toStatus: "VALID" as const, actorId: event.actorId, actorName: event.actorName, deptId: event.deptId, at: event.at, data: event.data })),
  });
  return rows;
}

/** The one-live-licence rule (L-06) as the page says it, before the unique index has to. */
export async function liveLicenceOf(tx: Db | Tx, typeId: string, codeType: string, codeHash: string, exceptId?: string) {
  return tx.licence.findFirst({
    where: { typeId, holderCodeType: codeType, holderCodeHash: codeHash, exclusive: true, status: { in: [...LIVE_STATUSES] }, ...(exceptId ? { id: { not: exceptId } } : {}) },
    select: { id: true, identifier: true, licenceNumber: true },
  });
}

/** A unique violation, from a Prisma query (P2002) or a raw statement (P2010 carrying SQLSTATE 23505). */
export function isUniqueViolationError(e: unknown): e is Prisma.PrismaClientKnownRequestError {
  if (!(e instanceof Prisma.PrismaClientKnownRequestError)) return false;
  if (e.code === "P2002") return true;
  const cause = (e.meta as { driverAdapterError?: { cause?: { originalCode?: string } } } | undefined)?.driverAdapterError?.cause;
  return e.code === "P2010" && cause?.originalCode === "23505";
}

export function isOneLiveViolation(e: unknown): boolean {
  return isUniqueViolationError(e) && JSON.stringify(e.meta ?? {}).includes("one_live");
}

export async function emergencyDueAt(tx: Db | Tx, incidentId: string | null | undefined, deptId: string): Promise<Date | null> {
  if (!incidentId) return null;
  const inc = await tx.emergencyIncident.findUnique({ where: { id: incidentId }, select: { deptId: true, completeDueAt: true, endedAt: true } });
  if (!inc || inc.deptId !== deptId) throw new AppError("INVALID_INPUT", "应急事件不存在", { incidentId: "请选择本部门的应急事件" });
  if (!inc.endedAt) throw new AppError("CONFLICT", "应急事件尚未恢复，恢复后再补办", { incidentId: "应急事件尚未登记恢复时间" });
  return inc.completeDueAt;
}

/**
 * 签发 (L-05 … L-07): validate, take the serial and number, sign outside any transaction, then
 * write the holder, the licence, its ISSUE event and the audit event in one transaction.
 */
export async function issueLicence(actor: Actor, input: IssueInput, now = new Date()): Promise<{ id: string; identifier: string }> {
  requirePermission(actor, "licence.issue", { id: actor.departmentId, path: actor.departmentPath });
  const ctx = await loadIssueContext(db(), actor.departmentId, input.typeId, now);
  const errors = holderProblems(ctx, input.holder);
  const face = parseFace(ctx.fields, input.face);
  if (!face.ok) Object.assign(errors, face.errors);
  const matter = input.matterCode ? ctx.version.matters.find((m) => m.code === input.matterCode) : null;
  if (input.matterCode && !matter) errors.matterCode = "请选择该证照类型的关联事项";
  if (Object.keys(errors).length) throw new AppError("INVALID_INPUT", "请按提示修改后再签发", errors);
  const codeHash = holderCodeHash(input.holder.code);
  const oneLive = async (r: Db | Tx) => {
    if (ctx.version.allowMultiple) return;
    const live = await liveLicenceOf(r, ctx.type.id, input.holder.codeType, codeHash);
    if (live) throw new AppError("CONFLICT", `该持证主体已有有效的「${ctx.type.name}」（${live.licenceNumber}），请办理变更或延续，或先注销原证`, { "holder.code": "该持证主体已持有此类有效证照" });
  };
  await oneLive(db());
  const businessCompletedAt = shanghaiInstant(input.businessCompletedAt);
  const validFrom = input.validFrom || shanghaiDate(businessCompletedAt);
  const validityProblem = validityStartProblem(ctx.validity, validFrom, now);
  if (validityProblem) throw new AppError("INVALID_INPUT", validityProblem, { validFrom: validityProblem });
  const incidentDue = await emergencyDueAt(db(), input.incidentId || null, ctx.dept.id);
  const prepared = await prepareLicences(
    ctx,
    [{ holder: input.holder, face: face.ok ? face.face : {}, matter: matter ? { code: matter.code, name: matter.name } : null, validFrom, timing: syncTiming(input.syncMode, businessCompletedAt, now, incidentDue, await calendar()), issuedAt: now, incidentId: input.incidentId || null }],
    actor.userId,
  );
  await signPrepared(ctx, prepared, now);
  try {
    const row = await withTx(async (tx) => {
      await oneLive(tx);
      const [row] = await insertPrepared(tx, prepared, { actorId: actor.userId, actorName: auditActorOf(actor).name, deptId: actor.departmentId, at: now, data: { syncMode: input.syncMode, sealId: ctx.signer.sealId } });
      await appendAudit(
        tx,
        auditActorOf(actor),
        { action: "licence.issue", identifier: row.identifier, number: row.licenceNumber, type: ctx.type.name, holder: row.holderName, syncMode: input.syncMode, seal: ctx.signer.sealName, canonicalSm3: row.canonicalSm3 },
        { type: "Licence", id: row.id },
      );
      return row;
    });
    return { id: row.id, identifier: row.identifier };
  } catch (e) {
    if (isOneLiveViolation(e)) throw new AppError("CONFLICT", "该持证主体已有此类有效证照（同时签发的另一份已先完成）", { "holder.code": "该持证主体已持有此类有效证照" });
    throw e;
  }
}

export { ymdString };
