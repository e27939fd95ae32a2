// Spot checks (V-03, 随机抽查): a supervisor draws N licences (or seal uses) per department with a
// recorded seed, checks each against the source, records PASS / FAIL with findings, and closes the
// check with figures per department. The sample is reproducible: recomputing it from the stored
// seed, kind, departments, N, periodFrom and asOf gives the stored items (reproduceSpotCheck).
//
// Transitions (conditional updates; audit in the same transaction):
//   create (supervision.manage, every department in scope) ─▶ OPEN with its items
//   item: unrecorded | recorded ─record (rev of the item; check OPEN, locked FOR SHARE)─▶ recorded
//   OPEN ─close (rev of the check; all recorded, or a summary saying why not)─▶ DONE
// A record and a close at once: the close's UPDATE waits for the record's FOR SHARE lock, then
// counts the items as committed; a record after the close finds DONE and is refused.
import "server-only";
import { randomBytes } from "node:crypto";
import { db, Prisma, withTx, type Tx } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { appendAudit } from "@/lib/audit/log";
import { auditActorOf, type Actor } from "@/lib/auth/session";
import { can, departmentScope, hasPermission, requirePermission, type Permission } from "@/lib/auth/permissions";
import { shanghaiDate, startOfShanghaiDay } from "@/lib/calendar/working-days";
import { takeCounter } from "@/lib/licenses/counters";
import { maskPersonName } from "@/lib/licenses/holder-code";
import { LICENCE_STATUS_LABELS } from "@/lib/licenses/lifecycle-schema";
import { cut } from "@/lib/text";
import { compareSamples, SEED_BYTES, SmallestKeys, type Sampled } from "@/lib/supervision/spot-checks-sample";
import {
  closeSpotCheckInput,
  createSpotCheckInput,
  recordItemInput,
  type SpotCheckFilter,
  type SpotCheckKind,
  type SpotResult,
} from "@/lib/supervision/spot-checks-schema";
import type { z } from "zod";

const NOT_FOUND = "抽查不存在或不在您的监督范围内";
const ITEM_NOT_FOUND = "抽查项不存在或不在您的监督范围内";
const DEPT_NOT_FOUND = "部门不存在或不在您的监督范围内";
export const ITEM_CONFLICT = "该抽查项刚被他人记录，请刷新页面查看最新结果后再操作";
const CHECK_CONFLICT = "该抽查刚被他人处理，请刷新页面后重试";
const CLOSED = "该抽查已完成，不能再记录结果";
/** Candidate ids read per query while sampling. */
const PAGE = 5000;

function parse<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const r = schema.safeParse(input);
  if (r.success) return r.data;
  const fieldErrors: Record<string, string> = {};
  for (const i of r.error.issues) fieldErrors[i.path.join(".") || "_form"] ??= i.message;
  throw new AppError("INVALID_INPUT", "请按提示修改后再提交", fieldErrors);
}

type DeptRef = { id: string; name: string; path: string };

/** May `actor` use `perm` on every one of the departments? (a check is read and acted on as a whole) */
function coversAll(actor: Actor, perm: Permission, depts: readonly DeptRef[]): boolean {
  return depts.every((d) => can(actor, perm, d));
}

async function deptsOf(ids: readonly string[], tx: Tx | ReturnType<typeof db> = db()): Promise<DeptRef[]> {
  const rows = await tx.department.findMany({ where: { id: { in: [...ids] } }, select: { id: true, name: true, path: true } });
  const byId = new Map(rows.map((r) => [r.id, r]));
  return ids.map((id) => byId.get(id)).filter((d): d is DeptRef => !!d);
}

// ---------------------------------------------------------------------------------------------
// Sampling

export type SampleParams = { kind: SpotCheckKind; deptId: string; perDept: number; seed: string; periodFrom: Date | null; asOf: Date };

/**
 * The sample of one department, streamed: candidate ids are read in pages of 5,000 in id order
 * (keyset), each hashed into a bounded top-N, so memory stays O(N). PostgreSQL has no SM3, so the
 * keys are computed here; at ~1 µs per SM3 this is fine up to ~100,000 candidates per department
 * (a tenth of a second or so); beyond that, a precomputed key column would be the next step.
 * Candidates: LICENCE — licences of which the department is the responsible issuer (issuerDeptId),
 * issued in [periodFrom, asOf] and written by asOf (a converted licence may carry an earlier issue
 * time, so a row inserted later is never a candidate); SEAL_USE — the completed signatures
 * (SealUseRecord, one per signature) with seals held by the department, made in [periodFrom, asOf].
 */
export async function sampleDepartment(p: SampleParams): Promise<Sampled[]> {
  const top = new SmallestKeys(p.seed, p.perDept);
  let after: string | null = null;
  for (;;) {
    let ids: string[];
    if (p.kind === "LICENCE") {
      const rows: { id: string }[] = await db().licence.findMany({
        where: {
          issuerDeptId: p.deptId,
          issuedAt: { lte: p.asOf, ...(p.periodFrom ? { gte: p.periodFrom } : {}) },
          createdAt: { lte: p.asOf },
          ...(after ? { id: { gt: after } } : {}),
        },
        select: { id: true },
        orderBy: { id: "asc" },
        take: PAGE,
      });
      ids = rows.map((r) => r.id);
    } else {
      const rows: { signatureId: string }[] = await db().sealUseRecord.findMany({
        where: {
          holderDeptId: p.deptId,
          at: { lte: p.asOf, ...(p.periodFrom ? { gte: p.periodFrom } : {}) },
          ...(after ? { signatureId: { gt: after } } : {}),
        },
        select: { signatureId: true },
        orderBy: { signatureId: "asc" },
        take: PAGE,
      });
      ids = rows.map((r) => r.signatureId);
    }
    for (const id of ids) top.add(id);
    if (ids.length < PAGE) break;
    after = ids[ids.length - 1];
  }
  return top.result();
}

/** CC + Shanghai yyyymmdd + a 3-digit daily sequence (taken outside the transaction: a rollback leaves a gap). */
async function newNumber(now: Date): Promise<string> {
  const day = shanghaiDate(now).replaceAll("-", "");
  const seq = await takeCounter(db(), `spotcheck:${day}`);
  if (seq > 999n) throw new AppError("CONFLICT", "今日抽查编号已用完，请明日再发起");
  return `CC${day}${seq.toString().padStart(3, "0")}`;
}

// ---------------------------------------------------------------------------------------------
// Create, record, close

export async function createSpotCheck(actor: Actor, raw: unknown, now = new Date()): Promise<{ id: string; number: string; empty: string[] }> {
  requirePermission(actor, "supervision.manage");
  const input = parse(createSpotCheckInput, raw);
  const depts = await deptsOf(input.deptIds);
  const outOfScope = input.deptIds.filter((id) => {
    const d = depts.find((x) => x.id === id);
    return !d || !can(actor, "supervision.manage", d);
  });
  if (outOfScope.length) throw new AppError("NOT_FOUND", DEPT_NOT_FOUND, { deptIds: DEPT_NOT_FOUND });
  const seed = input.seed || randomBytes(SEED_BYTES).toString("hex");
  const periodFrom = input.periodFrom ? startOfShanghaiDay(input.periodFrom) : null;
  if (periodFrom && periodFrom > now) throw new AppError("INVALID_INPUT", "请按提示修改后再提交", { periodFrom: "起始日期不能晚于今天" });
  const asOf = now;
  const samples: { deptId: string; rows: Sampled[] }[] = [];
  for (const d of depts) samples.push({ deptId: d.id, rows: await sampleDepartment({ kind: input.kind, deptId: d.id, perDept: input.perDept, seed, periodFrom, asOf }) });
  const number = await newNumber(now);
  const id = await withTx(async (tx) => {
    const check = await tx.spotCheck.create({
      data: {
        number,
        kind: input.kind,
        deptIds: input.deptIds,
        perDept: input.perDept,
        seed,
        asOf,
        periodFrom,
        status: "OPEN",
        createdById: actor.userId,
        createdByName: cut(auditActorOf(actor).name, 100),
      },
      select: { id: true },
    });
    const items = samples.flatMap((s) => s.rows.map((r, i) => ({ checkId: check.id, deptId: s.deptId, targetId: r.id, ordinal: i + 1 })));
    if (items.length) await tx.spotCheckItem.createMany({ data: items });
    await appendAudit(
      tx,
      auditActorOf(actor),
      { action: "spotcheck.change", change: "CREATE", number, kind: input.kind, depts: input.deptIds.length, perDept: input.perDept, items: items.length, seed, asOf: asOf.toISOString(), periodFrom: periodFrom?.toISOString() ?? null },
      { type: "SpotCheck", id: check.id },
    );
    return check.id;
  });
  return { id, number, empty: samples.filter((s) => !s.rows.length).map((s) => s.deptId) };
}

export async function recordSpotItem(actor: Actor, raw: unknown, now = new Date()): Promise<void> {
  requirePermission(actor, "supervision.manage");
  const input = parse(recordItemInput, raw);
  await withTx(async (tx) => {
    const item = await tx.spotCheckItem.findUnique({ where: { id: input.itemId }, select: { id: true, checkId: true, deptId: true, targetId: true, ordinal: true, rev: true, result: true } });
    if (!item) throw new AppError("NOT_FOUND", ITEM_NOT_FOUND);
    const [check] = await tx.$queryRaw<{ number: string; status: string; deptIds: string[] }[]>`
      SELECT "number", "status", "deptIds"::text[] AS "deptIds" FROM "SpotCheck" WHERE "id" = ${item.checkId}::uuid FOR SHARE`;
    const depts = await deptsOf(check.deptIds, tx);
    if (!coversAll(actor, "supervision.read", depts) || !depts.some((d) => d.id === item.deptId && can(actor, "supervision.manage", d))) throw new AppError("NOT_FOUND", ITEM_NOT_FOUND);
    if (check.status !== "OPEN") throw new AppError("CONFLICT", CLOSED);
    if (item.rev !== input.rev) throw new AppError("CONFLICT", ITEM_CONFLICT);
    const r = await tx.spotCheckItem.updateMany({
      where: { id: item.id, rev: input.rev },
      data: { result: input.result, findings: input.findings || null, checkedById: actor.userId, checkedAt: now, rev: { increment: 1 } },
    });
    if (r.count !== 1) throw new AppError("CONFLICT", ITEM_CONFLICT);
    await appendAudit(
      tx,
      auditActorOf(actor),
      { action: "spotcheck.change", change: "RECORD", number: check.number, itemId: item.id, deptId: item.deptId, targetId: item.targetId, ordinal: item.ordinal, result: input.result, previous: item.result, findings: input.findings ? cut(input.findings, 500) : null },
      { type: "SpotCheck", id: item.checkId },
    );
  });
}

export async function closeSpotCheck(actor: Actor, raw: unknown, now = new Date()): Promise<void> {
  requirePermission(actor, "supervision.manage");
  const input = parse(closeSpotCheckInput, raw);
  await withTx(async (tx) => {
    const check = await tx.spotCheck.findUnique({ where: { id: input.id }, select: { id: true, number: true, status: true, rev: true, deptIds: true } });
    if (!check) throw new AppError("NOT_FOUND", NOT_FOUND);
    const depts = await deptsOf(check.deptIds, tx);
    if (!coversAll(actor, "supervision.manage", depts)) throw new AppError("NOT_FOUND", NOT_FOUND);
    if (check.status !== "OPEN" || check.rev !== input.rev) throw new AppError("CONFLICT", CHECK_CONFLICT);
    const r = await tx.spotCheck.updateMany({
      where: { id: check.id, status: "OPEN", rev: input.rev },
      data: { status: "DONE", summary: input.summary || null, closedAt: now, rev: { increment: 1 } },
    });
    if (r.count !== 1) throw new AppError("CONFLICT", CHECK_CONFLICT);
    // counted after the update: any record in flight held the row FOR SHARE and has committed
    const items = await tx.spotCheckItem.findMany({ where: { checkId: check.id }, select: { result: true } });
    const open = items.filter((i) => !i.result).length;
    if (open > 0 && input.summary.length < 5)
      throw new AppError("INVALID_INPUT", `还有 ${open} 项未记录结果`, { summary: `还有 ${open} 项未记录结果，请在抽查结论中说明原因（至少 5 个字）` });
    await appendAudit(
      tx,
      auditActorOf(actor),
      {
        action: "spotcheck.change",
        change: "CLOSE",
        number: check.number,
        items: items.length,
        unchecked: open,
        passed: items.filter((i) => i.result === "PASS").length,
        failed: items.filter((i) => i.result === "FAIL").length,
        summary: input.summary ? cut(input.summary, 500) : null,
      },
      { type: "SpotCheck", id: check.id },
    );
  });
}

// ---------------------------------------------------------------------------------------------
// Reads

export type DeptFigures = { deptId: string; deptName: string; sampled: number; checked: number; passed: number; failed: number; passRate: number | null };

export function figuresOf(depts: readonly { id: string; name: string }[], items: readonly { deptId: string; result: string | null }[]): DeptFigures[] {
  return depts.map((d) => {
    const mine = items.filter((i) => i.deptId === d.id);
    const passed = mine.filter((i) => i.result === "PASS").length;
    const failed = mine.filter((i) => i.result === "FAIL").length;
    const checked = passed + failed;
    return { deptId: d.id, deptName: d.name, sampled: mine.length, checked, passed, failed, passRate: checked ? passed / checked : null };
  });
}

/** The departments `actor` may see checks of under supervision.read; undefined: all. */
async function readableDeptIds(actor: Actor): Promise<string[] | undefined> {
  const s = departmentScope(actor, "supervision.read");
  if (!s) return undefined;
  const rows = await db().department.findMany({
    where: { OR: [{ id: { in: s.ids } }, ...s.paths.map((path) => ({ path: { startsWith: path } }))] },
    select: { id: true },
  });
  return rows.map((r) => r.id);
}

export type SpotCheckRow = {
  id: string;
  number: string;
  kind: SpotCheckKind;
  deptNames: string[];
  perDept: number;
  status: string;
  items: number;
  checked: number;
  passed: number;
  passRate: number | null;
  createdAt: string;
  createdByName: string;
};

export function maySeeSpotChecks(actor: Actor): boolean {
  return hasPermission(actor, "supervision.read");
}

/** Checks whose every department is within the reader's scope (a check is read as a whole). */
export async function listSpotChecks(actor: Actor, f: SpotCheckFilter): Promise<{ rows: SpotCheckRow[]; total: number; page: number; pageSize: number }> {
  requirePermission(actor, "supervision.read");
  const scope = await readableDeptIds(actor);
  const c: Prisma.Sql[] = [Prisma.sql`TRUE`];
  if (scope) c.push(Prisma.sql`c."deptIds" <@ ${scope}::uuid[]`);
  if (f.number) c.push(Prisma.sql`c."number" LIKE ${`${f.number.replace(/[%_\\]/g, "")}%`}`);
  if (f.kind) c.push(Prisma.sql`c."kind" = ${f.kind}`);
  if (f.status) c.push(Prisma.sql`c."status" = ${f.status}`);
  if (f.from) c.push(Prisma.sql`c."createdAt" >= ${startOfShanghaiDay(f.from)}`);
  if (f.to) c.push(Prisma.sql`c."createdAt" < ${new Date(startOfShanghaiDay(f.to).getTime() + 86_400_000)}`);
  const where = Prisma.join(c, " AND ");
  const [{ n }] = await db().$queryRaw<{ n: number }[]>`SELECT count(*)::int AS "n" FROM "SpotCheck" c WHERE ${where}`;
  const rows = await db().$queryRaw<
    { id: string; number: string; kind: SpotCheckKind; deptIds: string[]; perDept: number; status: string; createdAt: Date; createdByName: string; items: number; checked: number; passed: number }[]
  >`
    SELECT c."id", c."number", c."kind", c."deptIds"::text[] AS "deptIds", c."perDept", c."status", c."createdAt", c."createdByName",
      (SELECT count(*)::int FROM "SpotCheckItem" i WHERE i."checkId" = c."id") AS "items",
      (SELECT count(*)::int FROM "SpotCheckItem" i WHERE i."checkId" = c."id" AND i."result" IS NOT NULL) AS "checked",
      (SELECT count(*)::int FROM "SpotCheckItem" i WHERE i."checkId" = c."id" AND i."result" = 'PASS') AS "passed"
    FROM "SpotCheck" c WHERE ${where}
    ORDER BY c."createdAt" DESC, c."id" DESC
    LIMIT ${f.pageSize} OFFSET ${(f.page - 1) * f.pageSize}`;
  const names = new Map((await deptsOf([...new Set(rows.flatMap((r) => r.deptIds))])).map((d) => [d.id, d.name]));
  return {
    rows: rows.map((r) => ({
      id: r.id,
      number: r.number,
      kind: r.kind,
      deptNames: r.deptIds.map((d) => names.get(d) ?? d),
      perDept: r.perDept,
      status: r.status,
      items: r.items,
      checked: r.checked,
      passed: r.passed,
      passRate: r.checked ? r.passed / r.checked : null,
      createdAt: r.createdAt.toISOString(),
      createdByName: r.createdByName,
    })),
    total: n,
    page: f.page,
    pageSize: f.pageSize,
  };
}

/** The departments a supervisor may choose for a new check (supervision.manage scope). */
export async function spotCheckDeptOptions(actor: Actor): Promise<{ id: string; name: string }[]> {
  requirePermission(actor, "supervision.manage");
  const s = departmentScope(actor, "supervision.manage");
  return db().department.findMany({
    where: { status: "ACTIVE", ...(s ? { OR: [{ id: { in: s.ids } }, ...s.paths.map((path) => ({ path: { startsWith: path } }))] } : {}) },
    select: { id: true, name: true },
    orderBy: [{ path: "asc" }, { id: "asc" }],
    take: 2000,
  });
}

/** What the supervisor compares with the source: a licence or a seal use, as pages may show it. */
export type SpotTarget =
  | { kind: "LICENCE"; id: string; href: string; name: string; licenceNumber: string; identifier: string; holder: string; holderCode: string; status: string; issuedAt: string }
  | { kind: "SEAL_USE"; id: string; href: string; sealName: string; requestNumber: string; documentName: string; signedAt: string; operatorName: string }
  | { kind: "MISSING"; id: string };

export type SpotItemView = {
  id: string;
  deptId: string;
  ordinal: number;
  rev: number;
  result: SpotResult | null;
  findings: string | null;
  checkedAt: string | null;
  target: SpotTarget;
};

export type SpotCheckDetail = {
  id: string;
  number: string;
  kind: SpotCheckKind;
  status: string;
  rev: number;
  perDept: number;
  seed: string;
  asOf: string;
  periodFrom: string | null;
  summary: string | null;
  createdByName: string;
  createdAt: string;
  closedAt: string | null;
  depts: { id: string; name: string }[];
  items: SpotItemView[];
  figures: DeptFigures[];
  canManage: boolean;
};

async function loadReadable(actor: Actor, id: string) {
  requirePermission(actor, "supervision.read");
  if (!/^[0-9a-f-]{36}$/i.test(id)) throw new AppError("NOT_FOUND", NOT_FOUND);
  const check = await db().spotCheck.findUnique({ where: { id } });
  if (!check) throw new AppError("NOT_FOUND", NOT_FOUND);
  const depts = await deptsOf(check.deptIds);
  if (!coversAll(actor, "supervision.read", depts)) throw new AppError("NOT_FOUND", NOT_FOUND);
  return { check, depts };
}

async function targetsOf(kind: SpotCheckKind, ids: string[]): Promise<Map<string, SpotTarget>> {
  const out = new Map<string, SpotTarget>();
  if (kind === "LICENCE") {
    const rows = await db().licence.findMany({
      where: { id: { in: ids } },
      select: { id: true, name: true, licenceNumber: true, identifier: true, holderName: true, status: true, issuedAt: true, holder: { select: { category: true, codeMasked: true } } },
    });
    for (const l of rows)
      out.set(l.id, {
        kind: "LICENCE",
        id: l.id,
        href: `/licenses/${l.id}`,
        name: l.name,
        licenceNumber: l.licenceNumber,
        identifier: l.identifier,
        holder: l.holder.category === "NATURAL_PERSON" ? maskPersonName(l.holderName) : l.holderName,
        holderCode: l.holder.codeMasked,
        status: LICENCE_STATUS_LABELS[l.status] ?? l.status,
        issuedAt: l.issuedAt.toISOString(),
      });
  } else {
    const rows = await db().sealUseRecord.findMany({
      where: { signatureId: { in: ids } },
      select: { signatureId: true, requestId: true, sealName: true, requestNumber: true, documentName: true, at: true, operatorName: true },
    });
    for (const r of rows)
      out.set(r.signatureId, {
        kind: "SEAL_USE",
        id: r.signatureId,
        href: `/seal-use/${r.requestId}`,
        sealName: r.sealName,
        requestNumber: r.requestNumber,
        documentName: r.documentName,
        signedAt: r.at.toISOString(),
        operatorName: r.operatorName,
      });
  }
  return out;
}

export async function getSpotCheck(actor: Actor, id: string): Promise<SpotCheckDetail> {
  const { check, depts } = await loadReadable(actor, id);
  const items = await db().spotCheckItem.findMany({ where: { checkId: check.id }, orderBy: [{ deptId: "asc" }, { ordinal: "asc" }, { id: "asc" }] });
  const targets = await targetsOf(check.kind as SpotCheckKind, items.map((i) => i.targetId));
  return {
    id: check.id,
    number: check.number,
    kind: check.kind as SpotCheckKind,
    status: check.status,
    rev: check.rev,
    perDept: check.perDept,
    seed: check.seed,
    asOf: check.asOf.toISOString(),
    periodFrom: check.periodFrom?.toISOString() ?? null,
    summary: check.summary,
    createdByName: check.createdByName,
    createdAt: check.createdAt.toISOString(),
    closedAt: check.closedAt?.toISOString() ?? null,
    depts: depts.map((d) => ({ id: d.id, name: d.name })),
    items: items.map((i) => ({
      id: i.id,
      deptId: i.deptId,
      ordinal: i.ordinal,
      rev: i.rev,
      result: (i.result as SpotResult | null) ?? null,
      findings: i.findings,
      checkedAt: i.checkedAt?.toISOString() ?? null,
      target: targets.get(i.targetId) ?? { kind: "MISSING", id: i.targetId },
    })),
    figures: figuresOf(depts, items),
    canManage: check.status === "OPEN" && coversAll(actor, "supervision.manage", depts),
  };
}

export type Reproduction = {
  matches: boolean;
  depts: { deptId: string; deptName: string; stored: string[]; recomputed: string[]; same: boolean; missing: string[]; extra: string[] }[];
};

/** 按种子复现: recomputes each department's sample from the stored parameters (a read; nothing is written). */
export async function reproduceSpotCheck(actor: Actor, id: string): Promise<Reproduction> {
  const { check, depts } = await loadReadable(actor, id);
  const items = await db().spotCheckItem.findMany({ where: { checkId: check.id }, orderBy: [{ ordinal: "asc" }, { id: "asc" }], select: { deptId: true, targetId: true } });
  const out: Reproduction["depts"] = [];
  for (const d of depts) {
    const stored = items.filter((i) => i.deptId === d.id).map((i) => i.targetId);
    const recomputed = (
      await sampleDepartment({ kind: check.kind as SpotCheckKind, deptId: d.id, perDept: check.perDept, seed: check.seed, periodFrom: check.periodFrom, asOf: check.asOf })
    ).map((r) => r.id);
    out.push({ deptId: d.id, deptName: d.name, stored, recomputed, ...compareSamples(stored, recomputed) });
  }
  return { matches: out.every((d) => d.same), depts: out };
}
