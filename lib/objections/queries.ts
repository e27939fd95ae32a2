// Reads for the objection pages (O-01 … O-06) and the supervision figures: every read goes
// through the reader's scope (objectionScope), returns DTOs with holder codes, contacts and
// sensitive face values masked, and computes "overdue" from the stored deadlines only (O-05).
import "server-only";
import { db, type Prisma } from "@/lib/db";
import { AppError } from "@/lib/errors";
import type { Actor } from "@/lib/auth/session";
import { can, departmentWhere, hasPermission, requirePermission } from "@/lib/auth/permissions";
import { calendar } from "@/lib/calendar";
import { shanghaiDate, startOfShanghaiDay, endOfShanghaiDay } from "@/lib/calendar/working-days";
import { faceFieldList, type FaceFieldDef } from "@/lib/catalog/face-fields";
import { maskHolderCode, maskPersonName } from "@/lib/licenses/holder-code";
import { holderCodeHash } from "@/lib/licenses/holders";
import { changeFormData, type ChangeFormData } from "@/lib/licenses/detail";
import { CHANGE_FROM, LICENCE_STATUS_LABELS } from "@/lib/licenses/lifecycle-schema";
import { emptyTally, tallyObjection, type ObjectionTally } from "@/lib/objections/tally";
import { halfTimeState, type HalfTimeState } from "@/lib/objections/half-time";
import type { Calendar } from "@/lib/calendar/calendar";
import { deadlineState, holderApplicantName, licenceEnded, objectionScope, regionName, type DeadlineState } from "@/lib/objections/common";
import { holderCodeLike, lookupMatches, mayObjectAsDept, objectionHiddenKeys, refuseReplacedForHolder, shownExpected, shownValue, type StoredField } from "@/lib/objections/service";
import { uploadDownloadName, type DownloadName } from "@/lib/http/download";
import {
  ESCALATION_KIND_LABELS,
  lookupInput,
  OBJECTION_EVENT_LABELS,
  OBJECTION_STATUS_LABELS,
  OUTCOME_LABELS,
  ROUTE_STAGE_LABELS,
  SOURCE_LABELS,
  type ObjectionFilter,
  type ObjectionOutcome,
  type ObjectionSource,
  type ObjectionStatus,
  type RouteStage,
} from "@/lib/objections/schema";

const NOT_FOUND = "异议不存在或不在您的管辖范围内";
const DAY_MS = 86_400_000;

function scopeOrRefuse(actor: Actor): Prisma.ObjectionWhereInput {
  const s = objectionScope(actor);
  if (!s) throw new AppError("FORBIDDEN", "您没有查看异议的权限");
  return s;
}

/** A holder's or an applicant's name as internal pages show it: a natural person's masked (张**). */
function shownName(name: string, person: boolean): string {
  return person ? maskPersonName(name) : name;
}

// ---------------------------------------------------------------------------------------------
// The queue

export type ObjectionRow = {
  id: string;
  number: string;
  status: ObjectionStatus;
  statusLabel: string;
  outcome: ObjectionOutcome | null;
  outcomeLabel: string | null;
  routeStage: RouteStage | null;
  routeStageLabel: string | null;
  source: ObjectionSource;
  licence: { id: string; identifier: string; name: string; holderName: string };
  issuerDept: { id: string; name: string };
  applicant: { name: string; deptName: string | null; label: string };
  fields: string[];
  receivedAt: string;
  markDueAt: string;
  resolveDueAt: string;
  markedAt: string | null;
  resolvedAt: string | null;
  calendarCovered: boolean;
} & DeadlineState &
  HalfTimeState;

const ROW_INCLUDE = {
  licence: { select: { id: true, identifier: true, name: true, holderName: true, holder: { select: { category: true } } } },
  issuerDept: { select: { id: true, name: true } },
  applicantDept: { select: { id: true, name: true } },
} as const;

type RowSource = Prisma.ObjectionGetPayload<{ include: typeof ROW_INCLUDE }>;

function toRow(o: RowSource, now: Date, cal: Calendar): ObjectionRow {
  const person = o.licence.holder.category === "NATURAL_PERSON";
  const applicantName = o.source === "HOLDER" ? holderApplicantName(o.applicantName, o.licence.holder.category) : o.applicantName;
  const fields = Array.isArray(o.fields) ? (o.fields as unknown as StoredField[]).map((f) => f.label) : [];
  return {
    id: o.id,
    number: o.number,
    status: o.status as ObjectionStatus,
    statusLabel: OBJECTION_STATUS_LABELS[o.status as ObjectionStatus] ?? o.status,
    outcome: (o.outcome as ObjectionOutcome | null) ?? null,
    outcomeLabel: o.outcome ? (OUTCOME_LABELS[o.outcome as ObjectionOutcome] ?? o.outcome) : null,
    routeStage: (o.routeStage as RouteStage | null) ?? null,
    routeStageLabel: o.routeStage ? (ROUTE_STAGE_LABELS[o.routeStage as RouteStage] ?? o.routeStage) : null,
    source: o.source as ObjectionSource,
    licence: { id: o.licence.id, identifier: o.licence.identifier, name: o.licence.name, holderName: shownName(o.licence.holderName, person) },
    issuerDept: { id: o.issuerDept.id, name: o.issuerDept.name },
    applicant: { name: applicantName, deptName: o.applicantDept?.name ?? null, label: o.applicantDept ? `${o.applicantDept.name} ${applicantName}` : `${SOURCE_LABELS.HOLDER} ${applicantName}` },
    fields,
    receivedAt: o.receivedAt.toISOString(),
    markDueAt: o.markDueAt.toISOString(),
    resolveDueAt: o.resolveDueAt.toISOString(),
    markedAt: o.markedAt?.toISOString() ?? null,
    resolvedAt: o.resolvedAt?.toISOString() ?? null,
    calendarCovered: o.calendarCovered,
    ...deadlineState(o, now),
    ...halfTimeState(cal, o, now),
  };
}

/** O-05: a deadline passed and not met. */
export function overdueWhere(now: Date): Prisma.ObjectionWhereInput {
  return { OR: [{ status: "SUBMITTED", markDueAt: { lt: now } }, { status: { in: ["SUBMITTED", "MARKED"] }, resolveDueAt: { lt: now } }] };
}

/** A deadline falling today (Asia/Shanghai) and not met yet. */
function dueTodayWhere(now: Date): Prisma.ObjectionWhereInput {
  const today = shanghaiDate(now);
  const range = { gte: startOfShanghaiDay(today), lte: endOfShanghaiDay(today) };
  return { OR: [{ status: "SUBMITTED", markDueAt: range }, { status: { in: ["SUBMITTED", "MARKED"] }, resolveDueAt: range }] };
}

/**
 * Objections that missed their marking or resolution deadline, as the supervision figures count
 * them (lib/supervision/dashboard/refresh.ts): done after the deadline, or still not done when the
 * deadline passed while the objection waited (until now, or until it was withdrawn).
 */
export function lateWhere(kind: "mark" | "resolve", now: Date): Prisma.ObjectionWhereInput {
  const F = db().objection.fields;
  if (kind === "mark")
    return {
      OR: [
        { markedAt: { gt: F.markDueAt } },
        { markedAt: null, status: { not: "RESOLVED" }, OR: [{ withdrawnAt: null, markDueAt: { lt: now } }, { withdrawnAt: { gt: F.markDueAt } }] },
      ],
    };
  return {
    OR: [
      { resolvedAt: { gt: F.resolveDueAt } },
      { resolvedAt: null, OR: [{ withdrawnAt: null, resolveDueAt: { lt: now } }, { withdrawnAt: { gt: F.resolveDueAt } }] },
    ],
  };
}

export function filterWhere(f: ObjectionFilter, now: Date): Prisma.ObjectionWhereInput[] {
  const and: Prisma.ObjectionWhereInput[] = [];
  if (f.status) and.push({ status: f.status });
  if (f.stage) and.push({ routeStage: f.stage });
  if (f.source) and.push({ source: f.source });
  if (f.deptId) and.push({ OR: [{ issuerDeptId: f.deptId }, { applicantDeptId: f.deptId }] });
  if (f.issuer) and.push({ issuerDeptId: f.issuer });
  // a department's path lists its ancestors and itself: /root/…/id/
  if (f.region) and.push({ issuerDept: { is: { path: { contains: `/${f.region}/` } } } });
  if (f.number) and.push({ number: { startsWith: f.number } });
  if (f.identifier) and.push({ licence: { is: { identifier: { startsWith: f.identifier } } } });
  if (f.from) and.push({ receivedAt: { gte: startOfShanghaiDay(f.from) } });
  if (f.to) and.push({ receivedAt: { lt: new Date(startOfShanghaiDay(f.to).getTime() + DAY_MS) } });
  if (f.overdue) and.push(overdueWhere(now));
  if (f.late) and.push(lateWhere(f.late, now));
  if (f.dueToday) and.push(dueTodayWhere(now));
  return and;
}

/** The objection queue: what the actor's scope covers, newest first. */
export async function listObjections(actor: Actor, f: ObjectionFilter, now = new Date()): Promise<{ total: number; page: number; pageSize: number; rows: ObjectionRow[] }> {
  const where: Prisma.ObjectionWhereInput = { AND: [scopeOrRefuse(actor), ...filterWhere(f, now)] };
  const [total, rows, cal] = await Promise.all([
    db().objection.count({ where }),
    db().objection.findMany({ where, include: ROW_INCLUDE, orderBy: [{ receivedAt: "desc" }, { id: "asc" }], skip: (f.page - 1) * f.pageSize, take: f.pageSize }),
    calendar(),
  ]);
  return { total, page: f.page, pageSize: f.pageSize, rows: rows.map((o) => toRow(o, now, cal)) };
}

/** The departments the queue's department filter offers (issuing and applicant sides in scope). */
export async function objectionDeptOptions(actor: Actor): Promise<{ id: string; name: string }[]> {
  const scope = scopeOrRefuse(actor);
  const rows = await db().objection.findMany({ where: scope, distinct: ["issuerDeptId"], select: { issuerDept: { select: { id: true, name: true } } }, take: 500 });
  return rows.map((r) => r.issuerDept).sort((a, b) => a.name.localeCompare(b.name, "zh-CN"));
}

// ---------------------------------------------------------------------------------------------
// The detail page

export type ObjectionDetail = {
  id: string;
  rev: number;
  number: string;
  status: ObjectionStatus;
  statusLabel: string;
  outcome: ObjectionOutcome | null;
  outcomeLabel: string | null;
  routeStage: RouteStage | null;
  routeStageLabel: string | null;
  source: ObjectionSource;
  sourceLabel: string;
  applicant: { name: string; deptName: string | null; contactMasked: string | null };
  licence: { id: string; identifier: string; name: string; version: number; status: string; statusLabel: string; holderName: string; underObjection: boolean };
  issuerDept: { id: string; name: string };
  /** the region whose deadline settings applied (a city 510100 or the province 510000) */
  regionCode: string;
  /** that region as pages name it (成都市, 四川省); null when no department has the code */
  regionName: string | null;
  receivedAt: string;
  markDueAt: string;
  resolveDueAt: string;
  calendarCovered: boolean;
  markedAt: string | null;
  markedBy: string | null;
  markNote: string | null;
  resolvedAt: string | null;
  resolvedBy: string | null;
  resolution: string | null;
  correctedLicence: { id: string; identifier: string; version: number } | null;
  withdrawnAt: string | null;
  description: string;
  /** the fields in question: the value at submission, the licence's value now, what the applicant expects */
  fields: { key: string; label: string; submitted: string; current: string; expected: string }[];
  evidence: { id: string; fileName: string; mime: string; size: number; sm3: string; createdAt: string }[];
  events: { id: string; kind: string; label: string; fromStatus: string | null; toStatus: string | null; actorName: string; deptName: string; note: string; at: string }[];
  escalations: { kind: "MARK" | "RESOLVE"; label: string; dueAt: string; toDept: string | null; createdAt: string }[];
  can: { canMark: boolean; canResolve: boolean; canCorrect: boolean; canForward: boolean; canReturn: boolean; canWithdraw: boolean };
  /** why 更正 is not offered although the objection is marked (the licence cannot be changed now) */
  correctionBlocked: string | null;
  /** the change form's data (the type's face fields, the licence's current face) when canCorrect */
  correction: ChangeFormData | null;
} & DeadlineState &
  HalfTimeState;

function eventNote(kind: string, note: string | null, data: unknown): string {
  const d = (data && typeof data === "object" ? data : {}) as Record<string, unknown>;
  const s = (k: string) => (typeof d[k] === "string" ? (d[k]) : "");
  const parts: string[] = [];
  if (kind === "RESOLVE" || kind === "CORRECT") {
    const o = s("outcome") as ObjectionOutcome;
    if (o) parts.push(OUTCOME_LABELS[o] ?? o);
    if (s("successor")) parts.push(`新版本 ${s("successor")}`);
  }
  if (kind === "FORWARD" && s("toDept")) parts.push(`转至「${s("toDept")}」`);
  if (kind === "RETURN" && s("toDept")) parts.push(`反馈至「${s("toDept")}」`);
  if (kind === "ESCALATE" && s("kind")) parts.push(ESCALATION_KIND_LABELS[s("kind") as "MARK" | "RESOLVE"] ?? s("kind"));
  if (d.late === true) parts.push("已超期");
  if (note) parts.push(note);
  return parts.join("；");
}

export async function objectionDetail(actor: Actor, id: string, now = new Date()): Promise<ObjectionDetail> {
  const scope = scopeOrRefuse(actor);
  const o = await db().objection.findFirst({
    where: { AND: [{ id }, scope] },
    include: {
      licence: {
        select: {
          id: true,
          identifier: true,
          name: true,
          version: true,
          status: true,
          restricted: true,
          openObjections: true,
          holderName: true,
          holderCodeHash: true,
          face: true,
          holder: { select: { category: true } },
          typeVersion: { select: { faceFields: true } },
        },
      },
      issuerDept: { select: { id: true, name: true, path: true } },
      applicantDept: { select: { id: true, name: true, path: true } },
      correctedLicence: { select: { id: true, identifier: true, version: true } },
      evidence: { select: { id: true, fileName: true, mime: true, size: true, sm3: true, createdAt: true }, orderBy: [{ createdAt: "asc" }, { id: "asc" }] },
      events: { orderBy: [{ at: "asc" }, { id: "asc" }] },
      escalations: { orderBy: [{ dueAt: "asc" }, { kind: "asc" }, { id: "asc" }] },
    },
  });
  if (!o) throw new AppError("NOT_FOUND", NOT_FOUND);
  const l = o.licence;
  const person = l.holder.category === "NATURAL_PERSON";
  const defs: FaceFieldDef[] = faceFieldList.safeParse(l.typeVersion.faceFields).data ?? [];
  const face = (l.face ?? {}) as Record<string, unknown>;
  const hidden = objectionHiddenKeys(defs, face, l.holderCodeHash);
  const stored = (Array.isArray(o.fields) ? o.fields : []) as unknown as StoredField[];

  const userIds = [o.markedById, o.resolvedById].filter((x): x is string => !!x);
  const users = new Map((await db().user.findMany({ where: { id: { in: userIds } }, select: { id: true, name: true, username: true } })).map((u) => [u.id, `${u.name}(${u.username})`]));
  const deptIds = [...new Set([...o.events.map((e) => e.deptId), ...o.escalations.map((e) => e.toDeptId)].filter((x): x is string => !!x))];
  const depts = new Map((await db().department.findMany({ where: { id: { in: deptIds } }, select: { id: true, name: true } })).map((d) => [d.id, d.name]));

  const issuer = can(actor, "licence.issue", o.issuerDept);
  const router = can(actor, "objection.route", o.issuerDept) && actor.departmentLevel === "PROVINCE" && o.routeStage !== null;
  // a licence no longer in force is never marked 异议中: its submitted objections are resolved directly
  const ended = licenceEnded(l.status);
  const canMark = issuer && o.status === "SUBMITTED" && o.routeStage !== "AT_PROVINCE" && !ended;
  const canResolve = issuer && (o.status === "MARKED" || (o.status === "SUBMITTED" && o.routeStage !== "AT_PROVINCE" && ended));
  let correctionBlocked: string | null = null;
  if (canResolve) {
    if (!CHANGE_FROM.includes(l.status)) correctionBlocked = `证照当前状态为「${LICENCE_STATUS_LABELS[l.status] ?? l.status}」，不能变更，只能以「数据无误」或「不予采纳」办结`;
    else if (l.restricted) correctionBlocked = "证照质押中，不能变更，请先解除质押";
  }
  let correction: ChangeFormData | null = null;
  if (canResolve && o.status === "MARKED" && !correctionBlocked) {
    try {
      correction = await changeFormData(actor, l.id);
    } catch (e) {
      if (!(e instanceof AppError)) throw e;
      correctionBlocked = e.userMessage;
    }
  }
  const canWithdraw = o.source === "DEPT" && !!o.applicantDept && can(actor, "licence.use", o.applicantDept) && (o.status === "SUBMITTED" || o.status === "MARKED");
  const applicantName = o.source === "HOLDER" ? holderApplicantName(o.applicantName, l.holder.category) : o.applicantName;
  // the holder's own steps (submission, withdrawal) are named by today's rule, whatever an older row stored
  const holderStep = (e: { kind: string; actorId: string | null }) => o.source === "HOLDER" && e.actorId === null && (e.kind === "SUBMIT" || e.kind === "WITHDRAW");

  return {
    id: o.id,
    rev: o.rev,
    number: o.number,
    status: o.status as ObjectionStatus,
    statusLabel: OBJECTION_STATUS_LABELS[o.status as ObjectionStatus] ?? o.status,
    outcome: (o.outcome as ObjectionOutcome | null) ?? null,
    outcomeLabel: o.outcome ? (OUTCOME_LABELS[o.outcome as ObjectionOutcome] ?? o.outcome) : null,
    routeStage: (o.routeStage as RouteStage | null) ?? null,
    routeStageLabel: o.routeStage ? (ROUTE_STAGE_LABELS[o.routeStage as RouteStage] ?? o.routeStage) : null,
    source: o.source as ObjectionSource,
    sourceLabel: SOURCE_LABELS[o.source as ObjectionSource] ?? o.source,
    applicant: { name: applicantName, deptName: o.applicantDept?.name ?? null, contactMasked: o.contactMasked },
    licence: {
      id: l.id,
      identifier: l.identifier,
      name: l.name,
      version: l.version,
      status: l.status,
      statusLabel: LICENCE_STATUS_LABELS[l.status] ?? l.status,
      holderName: shownName(l.holderName, person),
      underObjection: l.openObjections > 0,
    },
    issuerDept: { id: o.issuerDept.id, name: o.issuerDept.name },
    regionCode: o.regionCode,
    regionName: await regionName(db(), o.regionCode, o.issuerDept),
    receivedAt: o.receivedAt.toISOString(),
    markDueAt: o.markDueAt.toISOString(),
    resolveDueAt: o.resolveDueAt.toISOString(),
    calendarCovered: o.calendarCovered,
    markedAt: o.markedAt?.toISOString() ?? null,
    markedBy: o.markedById ? (users.get(o.markedById) ?? null) : null,
    markNote: o.markNote,
    resolvedAt: o.resolvedAt?.toISOString() ?? null,
    resolvedBy: o.resolvedById ? (users.get(o.resolvedById) ?? null) : null,
    resolution: o.resolution,
    correctedLicence: o.correctedLicence,
    withdrawnAt: o.withdrawnAt?.toISOString() ?? null,
    description: o.description,
    fields: stored.map((f) => {
      const def = defs.find((d) => d.key === f.key);
      return {
        key: f.key,
        label: f.label,
        // stored as pages may show it; a code stored in clear by an older version is masked here
        submitted: !f.current.includes("*") && holderCodeLike(def, f.current, l.holderCodeHash) ? maskHolderCode(f.current) : f.current,
        current: def ? shownValue(def, face[def.key], hidden.has(def.key)) : "",
        // what the applicant typed is masked when it is (or may be) a holder's code, or the field is hidden (P-02)
        expected: shownExpected(f, def, l.holderCodeHash),
        // the typed code itself (expectedEnc) never leaves the server
      };
    }),
    evidence: o.evidence.map((e) => ({ id: e.id, fileName: e.fileName, mime: e.mime, size: e.size, sm3: e.sm3, createdAt: e.createdAt.toISOString() })),
    events: o.events.map((e) => ({
      id: e.id.toString(),
      kind: e.kind,
      label: OBJECTION_EVENT_LABELS[e.kind] ?? e.kind,
      fromStatus: e.fromStatus,
      toStatus: e.toStatus,
      actorName: holderStep(e) ? `持证主体 ${applicantName}` : e.actorName,
      deptName: e.deptId ? (depts.get(e.deptId) ?? "") : "",
      note: eventNote(e.kind, e.note, e.data),
      at: e.at.toISOString(),
    })),
    escalations: o.escalations.map((e) => ({
      kind: e.kind as "MARK" | "RESOLVE",
      label: ESCALATION_KIND_LABELS[e.kind as "MARK" | "RESOLVE"] ?? e.kind,
      dueAt: e.dueAt.toISOString(),
      toDept: e.toDeptId ? (depts.get(e.toDeptId) ?? null) : null,
      createdAt: e.createdAt.toISOString(),
    })),
    can: {
      canMark,
      canResolve,
      canCorrect: canResolve && correction !== null,
      canForward: router && o.status === "SUBMITTED" && o.routeStage === "AT_PROVINCE",
      canReturn: router && o.status === "RESOLVED" && o.routeStage === "RETURNING",
      canWithdraw,
    },
    correctionBlocked,
    correction,
    ...deadlineState(o, now),
    ...halfTimeState(await calendar(), o, now),
  };
}

const EVIDENCE_EXT: Record<string, string[]> = { "application/pdf": ["pdf"], "image/png": ["png"], "image/jpeg": ["jpg", "jpeg"] };

/**
 * An evidence file's download names: `ascii` (filename=, generated: evidence-<id>.<ext>) and
 * `encoded` (filename*=UTF-8'', RFC 5987) of the uploader's name cleaned: no path, no control or
 * quoting characters, at most 120 characters, and an extension of the file's checked type.
 */
export function evidenceDownloadName(id: string, mime: string, fileName: string): DownloadName {
  return uploadDownloadName("evidence", id, EVIDENCE_EXT[mime] ?? ["bin"], fileName);
}

/** An evidence file, for the download route: only for readers of its objection. */
export async function evidenceFile(actor: Actor, id: string): Promise<{ body: Buffer; type: string; fileName: string }> {
  const scope = scopeOrRefuse(actor);
  const e = /^[0-9a-f-]{36}$/i.test(id) ? await db().objectionEvidence.findUnique({ where: { id }, select: { objectionId: true, fileName: true, mime: true, data: true } }) : null;
  if (!e) throw new AppError("NOT_FOUND", "文件不存在或不在您的管辖范围内");
  const visible = await db().objection.count({ where: { AND: [{ id: e.objectionId }, scope] } });
  if (!visible) throw new AppError("NOT_FOUND", "文件不存在或不在您的管辖范围内");
  return { body: Buffer.from(e.data), type: e.mime, fileName: e.fileName };
}

/** The open objections of a licence that `actor` may read (the licence page's 异议中 links). */
export async function openObjectionsOf(actor: Actor, licenceId: string): Promise<{ id: string; number: string; status: ObjectionStatus }[]> {
  const scope = objectionScope(actor);
  if (!scope) return [];
  const rows = await db().objection.findMany({
    where: { AND: [{ licenceId, status: { in: ["SUBMITTED", "MARKED"] } }, scope] },
    select: { id: true, number: true, status: true },
    orderBy: [{ receivedAt: "asc" }, { id: "asc" }],
    take: 50,
  });
  return rows.map((r) => ({ id: r.id, number: r.number, status: r.status as ObjectionStatus }));
}

/**
 * The licence page's 提出异议 form (licence.use): the face fields to choose from with their values
 * as the page may show them, or why the department may not raise one.
 */
export async function deptObjectionForm(
  actor: Actor,
  licenceId: string,
): Promise<{ allowed: true; licence: { id: string; identifier: string; name: string }; fields: { key: string; label: string; current: string }[] } | { allowed: false; reason: string }> {
  requirePermission(actor, "licence.use");
  const l = await db().licence.findUnique({
    where: { id: licenceId },
    select: { id: true, identifier: true, name: true, typeId: true, status: true, issuerDeptId: true, face: true, holderCodeHash: true, typeVersion: { select: { faceFields: true } } },
  });
  if (!l) throw new AppError("NOT_FOUND", "证照不存在或不在您的管辖范围内");
  const may = await mayObjectAsDept(actor, l);
  if (!may.ok) return { allowed: false, reason: may.reason };
  const defs: FaceFieldDef[] = faceFieldList.safeParse(l.typeVersion.faceFields).data ?? [];
  const face = (l.face ?? {}) as Record<string, unknown>;
  const hidden = objectionHiddenKeys(defs, face, l.holderCodeHash);
  return {
    allowed: true,
    licence: { id: l.id, identifier: l.identifier, name: l.name },
    fields: defs.map((f) => ({ key: f.key, label: f.label, current: shownValue(f, face[f.key], hidden.has(f.key)) })),
  };
}

/**
 * The public form's field choice: the labels of the licence's face fields (never a value), only
 * for an identifier and holder code that match; null otherwise (rate-limited by the caller). For a
 * matching code on a licence no longer valid, CONFLICT: replaced by a new version, naming it.
 */
export async function publicObjectionFields(identifier: string, holderCode: string): Promise<{ name: string; fields: { key: string; label: string }[] } | null> {
  const id = identifier.trim();
  if (!id || id.length > 100 || !holderCode.trim() || holderCode.length > 40) return null;
  const l = await db().licence.findUnique({ where: { identifier: id }, select: { id: true, name: true, status: true, statusReason: true, holderCodeHash: true, typeVersion: { select: { faceFields: true } } } });
  if (!l || l.holderCodeHash !== holderCodeHash(holderCode)) return null;
  // the code matches: an old version names the current one (CONFLICT), as the submission does
  await refuseReplacedForHolder(l);
  const defs: FaceFieldDef[] = faceFieldList.safeParse(l.typeVersion.faceFields).data ?? [];
  return { name: l.name, fields: defs.map((f) => ({ key: f.key, label: f.label })) };
}

// ---------------------------------------------------------------------------------------------
// The holder's public lookup

export type PublicObjection = {
  number: string;
  status: ObjectionStatus;
  statusLabel: string;
  outcome: ObjectionOutcome | null;
  outcomeLabel: string | null;
  resolution: string | null;
  receivedAt: string;
  markDueAt: string;
  resolveDueAt: string;
  markedAt: string | null;
  resolvedAt: string | null;
  withdrawnAt: string | null;
  /** the applicant as they gave it, a natural person's name masked */
  applicantName: string;
  fields: string[];
  licence: { name: string; identifier: string; underObjection: boolean };
  correctedIdentifier: string | null;
  canWithdraw: boolean;
};

/** The holder's lookup by number + lookup code; null when either is wrong (rate-limited by the caller). */
export async function publicLookup(number: string, lookupCode: string): Promise<PublicObjection | null> {
  const parsed = lookupInput.safeParse({ number, lookupCode });
  if (!parsed.success) return null;
  const o = await db().objection.findUnique({
    where: { number: parsed.data.number },
    include: { licence: { select: { name: true, identifier: true, openObjections: true, holder: { select: { category: true } } } }, correctedLicence: { select: { identifier: true } } },
  });
  if (!o || o.source !== "HOLDER" || !lookupMatches(parsed.data.number, parsed.data.lookupCode, o.lookupHash)) return null;
  const status = o.status as ObjectionStatus;
  return {
    number: o.number,
    status,
    statusLabel: OBJECTION_STATUS_LABELS[status] ?? o.status,
    outcome: (o.outcome as ObjectionOutcome | null) ?? null,
    outcomeLabel: o.outcome ? (OUTCOME_LABELS[o.outcome as ObjectionOutcome] ?? o.outcome) : null,
    resolution: o.resolution,
    receivedAt: o.receivedAt.toISOString(),
    markDueAt: o.markDueAt.toISOString(),
    resolveDueAt: o.resolveDueAt.toISOString(),
    markedAt: o.markedAt?.toISOString() ?? null,
    resolvedAt: o.resolvedAt?.toISOString() ?? null,
    withdrawnAt: o.withdrawnAt?.toISOString() ?? null,
    applicantName: holderApplicantName(o.applicantName, o.licence.holder.category),
    fields: (Array.isArray(o.fields) ? (o.fields as unknown as StoredField[]) : []).map((f) => f.label),
    licence: { name: o.licence.name, identifier: o.licence.identifier, underObjection: o.licence.openObjections > 0 },
    correctedIdentifier: o.correctedLicence?.identifier ?? null,
    canWithdraw: status === "SUBMITTED" || status === "MARKED",
  };
}

// ---------------------------------------------------------------------------------------------
// Figures for supervision (issue 8)

export type ObjectionFigure = {
  deptId: string;
  deptName: string;
  received: number;
  /** objections whose marking deadline has come (marked, or past due unmarked) */
  markCounted: number;
  markedOnTime: number;
  markedOnTimePct: number | null;
  /** objections whose resolution deadline has come (resolved, or past due unresolved) */
  resolveCounted: number;
  resolvedOnTime: number;
  resolvedOnTimePct: number | null;
  resolved: number;
  overdueNow: number;
  avgWorkingDaysToResolve: number | null;
};

const pct = (n: number, d: number) => (d === 0 ? null : Math.round((n / d) * 1000) / 10);

/**
 * Per issuing department, for objections received in [from, to): received; marked on time (of
 * those marked or whose marking deadline passed unmarked, withdrawals before the deadline not
 * counted); resolved on time (likewise); overdue now (of those received in the period); average
 * working days from receipt to resolution (one decimal). Departments: `deptIds` if given, else
 * every issuing department in the supervisor's scope and any other that received an objection.
 */
export async function objectionFigures(actor: Actor, q: { from: Date; to: Date; deptIds?: string[] }, now = new Date()): Promise<ObjectionFigure[]> {
  requirePermission(actor, "supervision.read");
  const inScope = departmentWhere(actor, "supervision.read");
  const objections = await db().objection.findMany({
    where: { receivedAt: { gte: q.from, lt: q.to }, issuerDept: { is: inScope }, ...(q.deptIds ? { issuerDeptId: { in: q.deptIds } } : {}) },
    select: { issuerDeptId: true, status: true, receivedAt: true, markDueAt: true, resolveDueAt: true, markedAt: true, resolvedAt: true, withdrawnAt: true },
  });
  const depts = await db().department.findMany({
    where: {
      AND: [
        inScope,
        q.deptIds ? { id: { in: q.deptIds } } : { OR: [{ isIssuing: true, status: "ACTIVE" }, { id: { in: [...new Set(objections.map((o) => o.issuerDeptId))] } }] },
      ],
    },
    select: { id: true, name: true },
  });
  const cal = await calendar();
  const out = new Map<string, { deptId: string; deptName: string; t: ObjectionTally }>();
  for (const d of depts) out.set(d.id, { deptId: d.id, deptName: d.name, t: emptyTally() });
  for (const o of objections) {
    const f = out.get(o.issuerDeptId);
    if (f) tallyObjection(f.t, o, cal, now);
  }
  return [...out.values()]
    .map(({ deptId, deptName, t }) => ({
      deptId,
      deptName,
      received: t.received,
      markCounted: t.markCounted,
      markedOnTime: t.markedOnTime,
      markedOnTimePct: pct(t.markedOnTime, t.markCounted),
      resolveCounted: t.resolveCounted,
      resolvedOnTime: t.resolvedOnTime,
      resolvedOnTimePct: pct(t.resolvedOnTime, t.resolveCounted),
      resolved: t.resolved,
      overdueNow: t.overdueNow,
      avgWorkingDaysToResolve: t.resolved ? Math.round((t.resolveDays / t.resolved) * 10) / 10 : null,
    }))
    .sort((a, b) => b.received - a.received || a.deptName.localeCompare(b.deptName, "zh-CN") || (a.deptId < b.deptId ? -1 : 1));
}

/** Whether `actor` may open the queue at all (the nav entry and the page guard). */
export function mayReadObjections(actor: Actor): boolean {
  return objectionScope(actor) !== null && (["licence.issue", "licence.use", "objection.route", "supervision.read"] as const).some((p) => hasPermission(actor, p));
}
