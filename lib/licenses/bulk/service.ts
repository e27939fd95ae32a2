// 存量电子化 (L-09): converting existing (paper) licences from an uploaded CSV or XLSX.
//
// upload → VALIDATING: the file is kept with its SM3; a job runs the dry run, which streams the
//   rows, checks each as issuing would (rows.ts) and against the file's other rows (one number,
//   one live licence per holder), writes the rejected-rows report and a bitmap of rejected rows
//   → VALIDATED (or FAILED when the file itself is unusable).
// confirm → QUEUED → RUNNING: a job streams the file again from `cursor`, takes the accepted rows
//   in chunks, checks them against the database once more, takes serials and numbers, signs the
//   chunk in one worker-pool call, and commits in ONE transaction the chunk's holders, licences,
//   BULK events, the new cursor and counters, and one audit event: a chunk is all or nothing.
// pause → PAUSED after the chunk in hand; resume → QUEUED again; cancel → CANCELLED (the chunk in
//   hand is rolled back). A licence number the type already has for the same holder is skipped,
//   so a resumed run or a re-uploaded file creates nothing twice.
// Exactly one worker runs an import: a worker takes a lease (runToken) by a conditional update,
// and every chunk commits only under its own token. A worker that stops leaves a stale heartbeat;
// the sweeper (at worker start and every minute) re-queues the import, and the next worker takes
// the lease over and continues from `cursor`.
import "server-only";
import { randomUUID } from "node:crypto";
import { db, withTx, Prisma, type Tx } from "@/lib/db";
import { AppError, errorId } from "@/lib/errors";
import { appendAudit, type AuditActor } from "@/lib/audit/log";
import { auditActorOf, type Actor } from "@/lib/auth/session";
import { departmentWhere, requirePermission } from "@/lib/auth/permissions";
import { sm3Hex } from "@/lib/crypto/sm3";
import { shanghaiDate } from "@/lib/calendar/working-days";
import { shanghaiInstant } from "@/lib/licenses/schema";
import { cut } from "@/lib/text";
import { isOneLiveViolation, isUniqueViolationError, loadIssueContext, prepareLicences, signPrepared, syncTiming, type IssueContext, type NewLicence, type PreparedLicence, type SyncTiming } from "@/lib/licenses/service";
import { mapHeader, type ColumnMap } from "@/lib/licenses/bulk/columns";
import { IMPORT_MAX_ROWS, openSheet, sniffFormat, type ImportFormat, type SourceRow } from "@/lib/licenses/bulk/source";
import { checkBatch, holderKey, parseRow, type ParsedRow, type Problem, type RowResult } from "@/lib/licenses/bulk/rows";
import { v7 as uuidv7 } from "uuid";
import { holderRows, upsertHoldersTx, type HolderRows } from "@/lib/licenses/bulk/holders";
import { insertBulkEventsTx, insertLicencesTx } from "@/lib/licenses/bulk/insert";
import { calendar, type Calendar } from "@/lib/calendar";
import { ReportWriter } from "@/lib/licenses/bulk/report";
import { enqueueImport, type ImportJobSender } from "@/lib/licenses/bulk/jobs";
import type { ImportStatus, UploadFields } from "@/lib/licenses/bulk/schema";

/** Accepted rows per chunk of the confirmed run: one signing call and one transaction each. */
export const CHUNK_ROWS = 500;
/** Rows per database check of the dry run. */
const CHECK_ROWS = 1000;
/** A worker that has not reported for this long is taken to have stopped (it reports before signing and at each commit). */
export const STALE_MS = 120_000;
const PREVIEW_MAX = 200;
const FAILURES_MAX = 500;

export type RowFailure = { row: number; reason: string };
export type PreviewProblem = { row: number; column: string; reason: string };

class LeaseLost extends Error {}

const ownDept = (a: Actor) => ({ id: a.departmentId, path: a.departmentPath });

function withBit(map: Uint8Array, i: number) {
  map[i >> 3] |= 1 << (i & 7);
}
function hasBit(map: Uint8Array | null, i: number): boolean {
  return !!map && i >> 3 < map.length && (map[i >> 3] & (1 << (i & 7))) !== 0;
}

// ---- upload ------------------------------------------------------------------------------------

/**
 * 上传: checks the type (released, on the department's issuance list), the file's kind and its
 * header, keeps the file and queues the dry run. Nothing about licences is written.
 */
export async function uploadImport(
  actor: Actor,
  input: UploadFields,
  file: { name: string; data: Uint8Array },
  opts: { now?: Date; send?: ImportJobSender | null } = {},
): Promise<{ id: string }> {
  requirePermission(actor, "licence.issue", ownDept(actor));
  const now = opts.now ?? new Date();
  const ctx = await loadIssueContext(db(), actor.departmentId, input.typeId, now);
  const format = sniffFormat(file.data);
  if (!format) throw new AppError("INVALID_INPUT", "文件不是 CSV 或 XLSX", { file: "请上传 CSV（UTF-8 或 GBK）或 XLSX 文件" });
  const { header } = await openSheet(format, file.data);
  if (!header) throw new AppError("INVALID_INPUT", "文件没有内容", { file: "文件没有内容" });
  const mapped = mapHeader(header.cells, ctx.fields);
  if (!mapped.ok) throw new AppError("INVALID_INPUT", mapped.error, { file: mapped.error });
  const fileName = file.name.replace(/[\\/\u0000-\u001f]/g, "_").slice(0, 200) || "import";
  const fileSm3 = sm3Hex(file.data);
  const id = await withTx(async (tx) => {
    const row = await tx.licenceImport.create({
      data: {
        deptId: actor.departmentId,
        typeId: ctx.type.id,
        typeVersionId: ctx.version.id,
        fileName,
        format,
        fileSm3,
        file: new Uint8Array(file.data),
        status: "VALIDATING",
        businessCompletedAt: shanghaiInstant(input.businessCompletedAt),
        createdById: actor.userId,
      },
      select: { id: true },
    });
    await appendAudit(tx, auditActorOf(actor), { action: "licence.import", change: "UPLOAD", importId: row.id, type: ctx.type.name, fileName, fileSm3, bytes: file.data.length, format }, { type: "LicenceImport", id: row.id });
    return row.id;
  });
  await send(opts.send, "check", id);
  return { id };
}

async function send(sender: ImportJobSender | null | undefined, job: "check" | "run", id: string) {
  if (sender === null) return;
  try {
    await (sender ?? enqueueImport)(job, id);
  } catch (e) {
    // the row is committed; the sweeper queues it again within a minute
    console.error(`[certseal] could not queue licence import ${id} (${job})`, e);
  }
}

// ---- the dry run -------------------------------------------------------------------------------

type LoadedImport = {
  id: string;
  deptId: string;
  typeId: string;
  typeVersionId: string;
  fileSm3: string;
  format: string;
  file: Uint8Array;
  businessCompletedAt: Date | null;
  createdAt: Date;
};

async function issueContextFor(imp: Pick<LoadedImport, "deptId" | "typeId" | "typeVersionId">, now: Date): Promise<IssueContext> {
  const ctx = await loadIssueContext(db(), imp.deptId, imp.typeId, now);
  if (ctx.version.id !== imp.typeVersionId) throw new AppError("CONFLICT", "该证照类型在上传后发布了新版本，请下载新模板重新上传");
  return ctx;
}

async function sameFileImports(imp: Pick<LoadedImport, "id" | "typeId" | "fileSm3">): Promise<string[]> {
  const rows = await db().licenceImport.findMany({ where: { typeId: imp.typeId, fileSm3: imp.fileSm3, id: { not: imp.id } }, select: { id: true } });
  return rows.map((r) => r.id);
}

async function openData(imp: Pick<LoadedImport, "format" | "file">, ctx: IssueContext): Promise<{ map: ColumnMap; rows: AsyncGenerator<SourceRow> }> {
  const { header, rows } = await openSheet(imp.format as ImportFormat, imp.file);
  if (!header) throw new AppError("INVALID_INPUT", "文件没有内容");
  const mapped = mapHeader(header.cells, ctx.fields);
  if (!mapped.ok) throw new AppError("INVALID_INPUT", mapped.error);
  return { map: mapped.map, rows };
}

const IMPORT_FIELDS = { id: true, deptId: true, typeId: true, typeVersionId: true, fileSm3: true, format: true, file: true, businessCompletedAt: true, createdAt: true } as const;

/**
 * The dry run of an uploaded import (the check job). Takes the import's lease, so a second job
 * for the same import does nothing; writes nothing but the import row.
 */
export async function checkImport(importId: string, now = new Date()): Promise<void> {
  const token = randomUUID();
  const took = await db().licenceImport.updateMany({
    where: { id: importId, status: "VALIDATING", OR: [{ heartbeatAt: null }, { heartbeatAt: { lt: new Date(now.getTime() - STALE_MS) } }] },
    data: { heartbeatAt: now, runToken: token },
  });
  if (took.count !== 1) return;
  try {
    await dryRun(importId, token, now);
  } catch (e) {
    if (e instanceof LeaseLost) return;
    await failImport(importId, token, ["VALIDATING"], e, "预检");
  }
}

async function dryRun(importId: string, token: string, now: Date): Promise<void> {
  const imp = await db().licenceImport.findUniqueOrThrow({ where: { id: importId }, select: IMPORT_FIELDS });
  const ctx = await issueContextFor(imp, now);
  const { map, rows } = await openData(imp, ctx);
  const sameFile = await sameFileImports(imp);
  const defaultAt = imp.businessCompletedAt ?? imp.createdAt;
  const exclusive = !ctx.version.allowMultiple;

  const bitmap = new Uint8Array((IMPORT_MAX_ROWS >> 3) + 1);
  const report = new ReportWriter();
  const preview: PreviewProblem[] = [];
  const numberAt = new Map<string, number>();
  const holderAt = new Map<string, number>();
  let index = 0;
  let valid = 0;
  let existing = 0;
  let rejected = 0;
  let batch: RowResult[] = [];

  const flush = async () => {
    const verdicts = await checkBatch(ctx, batch.flatMap((r) => (r.parsed ? [r.parsed] : [])), sameFile);
    for (const r of batch) {
      let problems: Problem[] = r.problems;
      let isExisting = false;
      if (r.parsed) {
        const v = verdicts.get(r.index);
        if (v?.kind === "REFUSED") problems = [v.problem];
        else {
          isExisting = v?.kind === "EXISTING";
          const p = r.parsed;
          const key = holderKey(p.holder.codeType, p.codeHash);
          const sameNumber = p.licenceNumber ? numberAt.get(p.licenceNumber) : undefined;
          const sameHolder = exclusive ? holderAt.get(key) : undefined;
          if (sameNumber !== undefined) problems = [{ column: "证照编号", reason: `与第 ${sameNumber} 行的证照编号重复` }];
          else if (sameHolder !== undefined) problems = [{ column: "持证主体代码", reason: `与第 ${sameHolder} 行是同一持证主体（每个持证主体只能有一份有效的「${ctx.type.name}」）` }];
          else {
            if (p.licenceNumber) numberAt.set(p.licenceNumber, r.n);
            if (exclusive) holderAt.set(key, r.n);
          }
        }
      }
      if (problems.length) {
        rejected++;
        withBit(bitmap, r.index);
        report.add(r.n, r.label, problems);
        for (const p of problems) if (preview.length < PREVIEW_MAX) preview.push({ row: r.n, column: p.column, reason: p.reason });
      } else if (isExisting) existing++;
      else valid++;
    }
    batch = [];
    const r = await db().licenceImport.updateMany({ where: { id: importId, runToken: token, status: "VALIDATING" }, data: { totalRows: index, heartbeatAt: new Date() } });
    if (r.count !== 1) throw new LeaseLost();
  };

  for await (const src of rows) {
    if (index >= IMPORT_MAX_ROWS) throw new AppError("INVALID_INPUT", `文件超过 ${IMPORT_MAX_ROWS.toLocaleString("en-US")} 行，请拆分后分别导入`);
    batch.push(parseRow(ctx, map, src, index, defaultAt, now));
    index++;
    if (batch.length >= CHECK_ROWS) await flush();
  }
  if (batch.length) await flush();
  if (index === 0) throw new AppError("INVALID_INPUT", "文件没有数据行");
  const reportBytes = rejected ? await report.finish() : null;

  await withTx(async (tx) => {
    const r = await tx.licenceImport.updateMany({
      where: { id: importId, runToken: token, status: "VALIDATING" },
      data: {
        status: "VALIDATED",
        totalRows: index,
        validRows: valid,
        existingRows: existing,
        rejectedRows: rejected,
        report: reportBytes ? new Uint8Array(reportBytes) : null,
        rejectedMap: rejected ? bitmap.slice(0, (index >> 3) + 1) : null,
        problemPreview: preview,
        heartbeatAt: null,
        runToken: null,
      },
    });
    if (r.count !== 1) throw new LeaseLost();
    await appendAudit(tx, await jobActor(importId, "createdById"), { action: "licence.import", change: "CHECKED", importId, totalRows: index, validRows: valid, existingRows: existing, rejectedRows: rejected }, { type: "LicenceImport", id: importId });
  });
}

/** The audit actor of the background work: the person who uploaded (dry run) or confirmed (run) it. */
async function jobActor(importId: string, who: "createdById" | "confirmedById"): Promise<AuditActor> {
  const imp = await db().licenceImport.findUniqueOrThrow({ where: { id: importId }, select: { createdById: true, confirmedById: true, dept: { select: { name: true } } } });
  const userId = imp[who] ?? imp.createdById;
  const u = await db().user.findUnique({ where: { id: userId }, select: { name: true, username: true } });
  return { id: userId, name: u ? `${u.name}(${u.username})` : "存量导入任务", role: "存量导入任务", dept: imp.dept.name, ip: null, userAgent: null };
}

async function failImport(importId: string, token: string, from: ImportStatus[], e: unknown, what: string): Promise<void> {
  let message: string;
  if (e instanceof AppError) message = e.userMessage;
  else {
    const id = errorId();
    console.error(`[certseal] licence import ${importId} failed (${id})`, e);
    message = `${what}中断：内部错误（编号 ${id}）。已提交的部分保留，排除问题后可继续。`;
  }
  await withTx(async (tx) => {
    const r = await tx.licenceImport.updateMany({ where: { id: importId, runToken: token, status: { in: from } }, data: { status: "FAILED", error: message.slice(0, 1000), finishedAt: new Date(), heartbeatAt: null, runToken: null } });
    if (r.count !== 1) return;
    await appendAudit(tx, await jobActor(importId, what === "预检" ? "createdById" : "confirmedById"), { action: "licence.import", change: "FAIL", importId, error: message.slice(0, 500) }, { type: "LicenceImport", id: importId });
  });
}

// ---- the confirmed run -------------------------------------------------------------------------

/** Where the run's time goes, summed over chunks (the benchmark reads it). */
export type ChunkProfile = { chunks: number; created: number; parseMs: number; checkMs: number; prepareMs: number; signMs: number; commitMs: number };
export function newProfile(): ChunkProfile {
  return { chunks: 0, created: 0, parseMs: 0, checkMs: 0, prepareMs: 0, signMs: 0, commitMs: 0 };
}

export type RunOptions = {
  now?: () => Date;
  chunkRows?: number;
  stopAfterChunks?: number;
  profile?: ChunkProfile;
  /** tests: runs before each commit attempt, after the chunk was checked and signed (a race window) */
  beforeCommit?: (attempt: number) => Promise<void>;
};

type Counters = { created: number; skipped: number; failed: number; failures: RowFailure[] };

/**
 * The confirmed run (the run job): takes the lease of a QUEUED import (or of a RUNNING one whose
 * worker stopped), then processes the accepted rows after `cursor` chunk by chunk until the end,
 * a pause or a cancel. `stopAfterChunks` stops as a killed worker would (tests, the benchmark).
 */
export async function runImport(importId: string, opts: RunOptions = {}): Promise<{ status: string }> {
  const clock = opts.now ?? (() => new Date());
  const chunkRows = opts.chunkRows ?? CHUNK_ROWS;
  const token = randomUUID();
  const stale = new Date(clock().getTime() - STALE_MS);
  const took = await db().$queryRaw<{ id: string }[]>`
    UPDATE "LicenceImport"
       SET "status" = 'RUNNING', "runToken" = ${token}::uuid, "heartbeatAt" = now(), "runStartedAt" = now(), "runStartCursor" = "cursor",
           "startedAt" = COALESCE("startedAt", now()), "error" = NULL, "updatedAt" = now()
     WHERE "id" = ${importId}::uuid AND ("status" = 'QUEUED' OR ("status" = 'RUNNING' AND "heartbeatAt" < ${stale}))
    RETURNING "id"::text AS "id"`;
  if (took.length !== 1) return { status: "NOT_TAKEN" };
  try {
    return await run(importId, token, clock, chunkRows, opts.stopAfterChunks, opts.profile ?? newProfile(), opts.beforeCommit);
  } catch (e) {
    if (e instanceof LeaseLost) return { status: "LEASE_LOST" };
    await failImport(importId, token, ["RUNNING", "PAUSED"], e, "导入");
    return { status: "FAILED" };
  }
}

async function run(importId: string, token: string, clock: () => Date, chunkRows: number, stopAfterChunks: number | undefined, profile: ChunkProfile, beforeCommit?: RunOptions["beforeCommit"]): Promise<{ status: string }> {
  const imp = await db().licenceImport.findUniqueOrThrow({
    where: { id: importId },
    select: { ...IMPORT_FIELDS, cursor: true, rejectedMap: true, confirmedById: true, createdById: true, runFailures: true, totalRows: true },
  });
  const ctx = await issueContextFor(imp, clock());
  const { map, rows } = await openData(imp, ctx);
  const sameFile = await sameFileImports(imp);
  const actor = await jobActor(importId, "confirmedById");
  const actorId = imp.confirmedById ?? imp.createdById;
  const defaultAt = imp.businessCompletedAt ?? imp.createdAt;
  const timing = timingCache(await calendar());
  const failures: RowFailure[] = Array.isArray(imp.runFailures) ? (imp.runFailures as RowFailure[]) : [];

  // Two chunks in flight: while one chunk's transaction commits (PostgreSQL's work), the next is
  // checked, numbered and signed (the worker pool's). Commits stay in file order, one at a time,
  // and each chunk's transaction still carries its cursor, so a stop or a crash leaves the import
  // exactly at the last committed chunk. A chunk staged ahead of a commit that fails, pauses or is
  // cancelled is dropped (its serials are left unused); its rows are redone from the cursor.
  const env: ChunkEnv = { importId, token, ctx, actor, actorId, sameFile, timing, failures, profile, beforeCommit };
  let index = 0;
  let cursor = imp.cursor;
  let chunk: RowResult[] = [];
  let committed = 0;
  let inFlight: Promise<string> | null = null;
  /** Waits for the chunk being committed; its status (RUNNING to go on). */
  const settle = async (): Promise<string> => {
    if (!inFlight) return "RUNNING";
    const p = inFlight;
    inFlight = null;
    const status = await p;
    committed++;
    return status;
  };
  /** Stages the chunk in hand beside the commit in flight, then commits it once that one is done. */
  const flush = async (end: number): Promise<string> => {
    const rowsOfChunk = chunk;
    chunk = [];
    const staging = stageChunk(env, rowsOfChunk, end, clock());
    let status: string;
    try {
      status = await settle();
    } catch (e) {
      await staging.catch(() => {});
      throw e;
    }
    if (status !== "RUNNING" || (stopAfterChunks !== undefined && committed >= stopAfterChunks)) {
      await staging.catch(() => {});
      return status !== "RUNNING" ? status : "STOPPED";
    }
    const staged = await staging;
    cursor = end;
    inFlight = commitStaged(env, staged);
    // a rejection is taken by the next settle(); until then, keep it from being reported as unhandled
    inFlight.catch(() => {});
    return "RUNNING";
  };
  for await (const src of rows) {
    const i = index++;
    if (i < imp.cursor || hasBit(imp.rejectedMap, i)) continue;
    const t0 = performance.now();
    chunk.push(parseRow(ctx, map, src, i, defaultAt, clock()));
    profile.parseMs += performance.now() - t0;
    if (chunk.length >= chunkRows) {
      const status = await flush(index);
      if (status !== "RUNNING") return { status };
    }
  }
  if (chunk.length || index > cursor) {
    const status = await flush(index);
    if (status !== "RUNNING") return { status };
  }
  const last = await settle();
  if (last !== "RUNNING") return { status: last };
  if (stopAfterChunks !== undefined && committed >= stopAfterChunks) return { status: "STOPPED" };
  return withTx(async (tx) => {
    const r = await tx.licenceImport.updateMany({ where: { id: importId, runToken: token, status: "RUNNING" }, data: { status: "DONE", finishedAt: new Date(), heartbeatAt: null, runToken: null } });
    if (r.count !== 1) return { status: "PAUSED_AT_END" };
    const done = await tx.licenceImport.findUniqueOrThrow({ where: { id: importId }, select: { createdCount: true, skippedCount: true, failedCount: true, totalRows: true } });
    await appendAudit(tx, actor, { action: "licence.import", change: "DONE", importId, created: done.createdCount, skipped: done.skippedCount, failed: done.failedCount, totalRows: done.totalRows }, { type: "LicenceImport", id: importId });
    return { status: "DONE" };
  });
}

/** L-05 timeliness per 业务办结 date: the sync deadline and delay depend on dates only, so each date is worked out once. */
function timingCache(cal: Calendar) {
  const cache = new Map<string, SyncTiming>();
  return (businessCompletedAt: Date, now: Date): SyncTiming => {
    const key = `${shanghaiDate(businessCompletedAt)}|${shanghaiDate(now)}`;
    let t = cache.get(key);
    if (!t) {
      t = syncTiming("BULK", businessCompletedAt, now, null, cal);
      cache.set(key, t);
    }
    return { ...t, businessCompletedAt, syncedAt: now };
  };
}

type ChunkEnv = {
  importId: string;
  token: string;
  ctx: IssueContext;
  actor: AuditActor;
  actorId: string;
  sameFile: string[];
  timing: (at: Date, now: Date) => SyncTiming;
  failures: RowFailure[];
  profile: ChunkProfile;
  beforeCommit?: RunOptions["beforeCommit"];
};

/**
 * One chunk is staged (the database check again, as something may have been issued since the dry
 * run; serials and numbers; one signing call), then committed in one transaction.
 */
type StagedChunk = { prepared: PreparedLicence[]; holders: HolderRows; accepted: ParsedRow[]; counters: Counters; refuse: (row: number, reason: string) => void; end: number; now: Date };

/** A chunk's first half: the database check, still ours?, serials and numbers, signatures. */
async function stageChunk(env: ChunkEnv, rows: RowResult[], end: number, now: Date): Promise<StagedChunk> {
  const counters: Counters = { created: 0, skipped: 0, failed: 0, failures: [] };
  const refuse = (row: number, reason: string) => {
    counters.failed++;
    counters.failures.push({ row, reason });
  };
  const parsed: ParsedRow[] = [];
  for (const r of rows) {
    if (r.parsed) parsed.push(r.parsed);
    else refuse(r.n, r.problems.map((p) => `${p.column}：${p.reason}`).join("；"));
  }
  const t = performance.now();
  const accepted = await decide(env, parsed, counters, refuse);
  env.profile.checkMs += performance.now() - t;
  // still ours? (a cancel, or another worker that took over, stops the run before it signs). A
  // read, not a heartbeat: the chunk committing beside this one holds the import's row.
  const mine = await db().licenceImport.count({ where: { id: env.importId, runToken: env.token, status: { in: ["RUNNING", "PAUSED"] } } });
  if (mine !== 1) throw new LeaseLost();
  const prepared = await prepareAndSign(env, accepted, now);
  return { prepared, holders: holderRows(prepared.map((x) => x.holder)), accepted, counters, refuse, end, now };
}

/**
 * A chunk's second half: one transaction. A unique violation (a licence issued to the same holder
 * or with the same number in the meantime) re-checks the chunk and tries again without the rows
 * now refused; anything else fails the import with the chunk rolled back. Returns the import's
 * status after the commit.
 */
async function commitStaged(env: ChunkEnv, s: StagedChunk): Promise<string> {
  const p = env.profile;
  let { prepared, accepted, holders } = s;
  for (let attempt = 0; ; attempt++) {
    try {
      await env.beforeCommit?.(attempt);
      const t = performance.now();
      await commitChunk(env, prepared, holders, accepted, s.counters, s.end, s.now);
      p.commitMs += performance.now() - t;
      p.chunks++;
      p.created += prepared.length;
      break;
    } catch (e) {
      if (e instanceof LeaseLost || attempt >= 2 || !(isOneLiveViolation(e) || isUniqueViolation(e))) throw e;
      // refused now by what was issued meanwhile: drop those rows; the rest keep their signatures
      const again: Counters = { created: 0, skipped: 0, failed: 0, failures: [] };
      const keep = new Set((await decide(env, accepted, again, s.refuse)).map((x) => x.index));
      s.counters.skipped += again.skipped;
      prepared = prepared.filter((_, i) => keep.has(accepted[i].index));
      accepted = accepted.filter((x) => keep.has(x.index));
      holders = holderRows(prepared.map((x) => x.holder));
    }
  }
  const st = await db().licenceImport.findUniqueOrThrow({ where: { id: env.importId }, select: { status: true, runToken: true } });
  return st.runToken === env.token ? st.status : "LEASE_LOST";
}

function isUniqueViolation(e: unknown): boolean {
  return isUniqueViolationError(e);
}

async function decide(env: ChunkEnv, parsed: ParsedRow[], counters: Counters, refuse: (row: number, reason: string) => void): Promise<ParsedRow[]> {
  const verdicts = await checkBatch(env.ctx, parsed, env.sameFile);
  const numbers = new Set<string>();
  const holders = new Set<string>();
  const out: ParsedRow[] = [];
  for (const p of parsed) {
    const v = verdicts.get(p.index);
    if (v?.kind === "EXISTING") {
      counters.skipped++;
      continue;
    }
    if (v?.kind === "REFUSED") {
      refuse(p.n, `${v.problem.column}：${v.problem.reason}`);
      continue;
    }
    // the dry run refused duplicates within the file; this only guards the transaction
    const key = holderKey(p.holder.codeType, p.codeHash);
    if ((p.licenceNumber && numbers.has(p.licenceNumber)) || (!env.ctx.version.allowMultiple && holders.has(key))) {
      refuse(p.n, "与本文件中的另一行重复");
      continue;
    }
    if (p.licenceNumber) numbers.add(p.licenceNumber);
    holders.add(key);
    out.push(p);
  }
  return out;
}

async function prepareAndSign(env: ChunkEnv, accepted: ParsedRow[], now: Date): Promise<PreparedLicence[]> {
  if (!accepted.length) return [];
  const items: NewLicence[] = accepted.map((p) => ({
    holder: p.holder,
    face: p.face,
    matter: p.matter,
    validFrom: p.validFrom,
    timing: env.timing(p.businessCompletedAt, now),
    issuedAt: now,
    licenceNumber: p.licenceNumber ?? undefined,
    importId: env.importId,
    origin: "BULK",
  }));
  let t = performance.now();
  const prepared = await prepareLicences(env.ctx, items, env.actorId);
  env.profile.prepareMs += performance.now() - t;
  t = performance.now();
  await signPrepared(env.ctx, prepared, now);
  env.profile.signMs += performance.now() - t;
  return prepared;
}

async function commitChunk(env: ChunkEnv, prepared: PreparedLicence[], holders: HolderRows, accepted: ParsedRow[], counters: Counters, end: number, now: Date): Promise<void> {
  const failures = [...env.failures, ...counters.failures].slice(0, FAILURES_MAX);
  await withTx(async (tx) => {
    const r = await tx.licenceImport.updateMany({
      where: { id: env.importId, runToken: env.token, status: { in: ["RUNNING", "PAUSED"] } },
      data: {
        cursor: end,
        createdCount: { increment: prepared.length },
        skippedCount: { increment: counters.skipped },
        failedCount: { increment: counters.failed },
        heartbeatAt: new Date(),
        ...(counters.failures.length ? { runFailures: failures } : {}),
      },
    });
    if (r.count !== 1) throw new LeaseLost();
    if (prepared.length) await insertChunk(tx, env, prepared, holders, now);
    await appendAudit(
      tx,
      env.actor,
      {
        action: "licence.import",
        change: "CHUNK",
        importId: env.importId,
        count: prepared.length,
        skipped: counters.skipped,
        failed: counters.failed,
        first: prepared[0]?.data.identifier ?? null,
        last: prepared.at(-1)?.data.identifier ?? null,
        fromRow: accepted[0]?.n ?? null,
        toRow: accepted.at(-1)?.n ?? null,
        cursor: end,
      },
      { type: "LicenceImport", id: env.importId },
    );
  });
  env.failures.splice(0, env.failures.length, ...failures);
}

async function insertChunk(tx: Tx, env: ChunkEnv, prepared: PreparedLicence[], holders: HolderRows, now: Date): Promise<void> {
  const holderIds = await upsertHoldersTx(tx, holders);
  const rows = prepared.map((p) => {
    const holderId = holderIds.get(holderKey(p.data.holderCodeType, p.data.holderCodeHash));
    if (!holderId) throw new Error("holder row missing after upsert");
    // time-ordered ids (UUIDv7): the primary-key index grows at its end during a large load
    return { ...p.data, id: uuidv7(), holderId };
  });
  await insertLicencesTx(tx, rows);
  const data = { importId: env.importId, syncMode: "BULK", sealId: env.ctx.signer.sealId };
  await insertBulkEventsTx(tx, rows.map((r) => r.id), { actorId: env.actorId, actorName: cut(env.actor.name, 50), deptId: env.ctx.dept.id, at: now, data });
}

// ---- the people's side: confirm, pause, resume, cancel -----------------------------------------

/** An import of a department within the actor's licence.issue scope; else "not found". */
export async function loadOwnImport(actor: Actor, importId: string) {
  requirePermission(actor, "licence.issue");
  const imp = await db().licenceImport.findFirst({
    where: { id: importId, dept: departmentWhere(actor, "licence.issue") },
    select: { id: true, status: true, rev: true, validRows: true, confirmedById: true, deptId: true, fileName: true, type: { select: { name: true } } },
  });
  if (!imp) throw new AppError("NOT_FOUND", "导入记录不存在");
  return imp;
}

const CHANGED = () => new AppError("CONFLICT", "导入状态已变化，请刷新页面后再试");

async function transition(actor: Actor, importId: string, from: ImportStatus[], data: Prisma.LicenceImportUpdateManyMutationInput, change: string, extra: Record<string, string | number | null> = {}) {
  const imp = await loadOwnImport(actor, importId);
  await withTx(async (tx) => {
    const r = await tx.licenceImport.updateMany({ where: { id: imp.id, status: { in: from }, rev: imp.rev }, data: { ...data, rev: { increment: 1 } } });
    if (r.count !== 1) throw CHANGED();
    await appendAudit(tx, auditActorOf(actor), { action: "licence.import", change, importId: imp.id, from: imp.status, type: imp.type.name, fileName: imp.fileName, ...extra }, { type: "LicenceImport", id: imp.id });
  });
  return imp;
}

/** 确认导入: queues the background run of a dry run with rows to create. */
export async function confirmImport(actor: Actor, importId: string, opts: { send?: ImportJobSender | null } = {}): Promise<void> {
  const imp = await loadOwnImport(actor, importId);
  if (imp.status !== "VALIDATED") throw CHANGED();
  if (imp.validRows === 0) throw new AppError("CONFLICT", "没有可导入的行（有问题的行和已导入过的行不会导入）");
  await transition(actor, importId, ["VALIDATED"], { status: "QUEUED", confirmedById: actor.userId }, "CONFIRM", { validRows: imp.validRows });
  await send(opts.send, "run", importId);
}

/** 暂停: the run stops after the chunk in hand (a queued run does not start). */
export async function pauseImport(actor: Actor, importId: string): Promise<void> {
  await transition(actor, importId, ["QUEUED", "RUNNING"], { status: "PAUSED" }, "PAUSE");
}

/** 继续: a paused run, or one that failed after confirmation, continues from its cursor. */
export async function resumeImport(actor: Actor, importId: string, opts: { send?: ImportJobSender | null } = {}): Promise<void> {
  const imp = await loadOwnImport(actor, importId);
  if (imp.status === "FAILED" && !imp.confirmedById) throw new AppError("CONFLICT", "预检未完成的导入不能继续，请重新上传文件");
  await transition(actor, importId, ["PAUSED", "FAILED"], { status: "QUEUED", error: null, finishedAt: null, confirmedById: imp.confirmedById ?? actor.userId }, "RESUME");
  await send(opts.send, "run", importId);
}

/** 取消: no further chunk commits; licences already created stay (they are valid licences). */
export async function cancelImport(actor: Actor, importId: string): Promise<void> {
  await transition(actor, importId, ["VALIDATING", "VALIDATED", "QUEUED", "RUNNING", "PAUSED", "FAILED"], { status: "CANCELLED", finishedAt: new Date(), heartbeatAt: null }, "CANCEL");
}

// ---- the sweeper -------------------------------------------------------------------------------

/**
 * Imports a stopped worker left behind (heartbeat older than STALE_MS), and queued ones whose job
 * may have been lost, are queued again; the lease makes a duplicate job harmless.
 */
export async function requeueStaleImports(sender: ImportJobSender = enqueueImport, now = new Date()): Promise<number> {
  const stale = new Date(now.getTime() - STALE_MS);
  const lost = await db().licenceImport.findMany({
    where: {
      OR: [
        { status: "RUNNING", heartbeatAt: { lt: stale } },
        { status: "VALIDATING", OR: [{ heartbeatAt: { lt: stale } }, { heartbeatAt: null, updatedAt: { lt: stale } }] },
        { status: "QUEUED", updatedAt: { lt: new Date(now.getTime() - 5 * STALE_MS) } },
      ],
    },
    select: { id: true, status: true },
    take: 100,
  });
  for (const l of lost) await send(sender, l.status === "VALIDATING" ? "check" : "run", l.id);
  return lost.length;
}
