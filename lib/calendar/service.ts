// Maintaining the holiday calendar (O-04): a day set or removed, a year marked covered or not, a
// year's schedule imported from a file (preview first, then applied as previewed). Only a
// province-wide system administrator changes it (the schedule is the State Council's, the same
// for every department). Every change runs in one transaction under the calendar lock with its
// audit event (calendar.change), and drops the cached calendar after it commits.
import "server-only";
import { timingSafeEqual } from "node:crypto";
import { db, withTx, type Db, type Tx } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { appendAudit } from "@/lib/audit/log";
import { auditActorOf, type Actor } from "@/lib/auth/session";
import { departmentScope, requirePermission } from "@/lib/auth/permissions";
import { hmacSm3Hex, sm3Hex } from "@/lib/crypto/sm3";
import { derivedKey } from "@/lib/crypto/derived-key";
import type { DayKind } from "@/lib/calendar/calendar";
import { CALENDAR_LOCK } from "@/lib/calendar/lock";
import { invalidateCalendar, ymdOfDate } from "@/lib/calendar/store";
import { checkEntries, checkFileSize, diffYear, importNote, rawFromJson, sniffScheduleFile, type ImportProblem, type StoredDay, type YearDiff } from "@/lib/calendar/import";
import { rawFromXlsx } from "@/lib/calendar/xlsx";
import { IMPORT_MAX_ENTRIES, type CalendarEntry, type DayRemoveInput, type DaySetInput, type ImportConfirmInput, type YearCoverInput } from "@/lib/calendar/schema";

const utcDate = (ymd: string) => new Date(`${ymd}T00:00:00Z`);
const yearRange = (year: number) => ({ gte: utcDate(`${year}-01-01`), lte: utcDate(`${year}-12-31`) });
const STALE = "该日期刚被他人修改，请刷新页面后再操作";

/** May change the calendar: calendar.manage with a province-wide scope. */
export function mayChangeCalendar(actor: Actor): boolean {
  try {
    requireCalendarAdmin(actor);
    return true;
  } catch {
    return false;
  }
}

function requireCalendarAdmin(actor: Actor) {
  requirePermission(actor, "calendar.manage");
  if (departmentScope(actor, "calendar.manage") !== undefined) throw new AppError("FORBIDDEN", "节假日安排全省统一，仅省级系统管理员可以修改");
}

async function locked<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
  const r = await withTx(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(${CALENDAR_LOCK})`;
    return fn(tx);
  });
  invalidateCalendar();
  return r;
}

/** Sets a day as a holiday or an adjusted working day (with its name), as the editor last saw it. */
export async function setDay(actor: Actor, input: DaySetInput): Promise<{ changed: boolean }> {
  requireCalendarAdmin(actor);
  return locked(async (tx) => {
    const cur = await tx.holiday.findUnique({ where: { date: utcDate(input.date) } });
    if ((cur?.updatedAt.toISOString() ?? null) !== input.seen) throw new AppError("CONFLICT", STALE);
    if (cur && cur.kind === input.kind && cur.name === input.name) return { changed: false };
    const data = { kind: input.kind, name: input.name, source: "MANUAL", updatedById: actor.userId };
    if (cur) await tx.holiday.update({ where: { date: cur.date }, data });
    else await tx.holiday.create({ data: { date: utcDate(input.date), ...data } });
    await appendAudit(
      tx,
      auditActorOf(actor),
      { action: "calendar.change", change: "SET", dates: 1, date: input.date, kind: input.kind, name: input.name, previousKind: cur?.kind ?? null, previousName: cur?.name ?? null, previousSource: cur?.source ?? null },
      { type: "Holiday", id: input.date },
    );
    return { changed: true };
  });
}

/** Removes a listed day: it follows the week again (Monday–Friday work). */
export async function removeDay(actor: Actor, input: DayRemoveInput): Promise<void> {
  requireCalendarAdmin(actor);
  await locked(async (tx) => {
    const cur = await tx.holiday.findUnique({ where: { date: utcDate(input.date) } });
    if (!cur || cur.updatedAt.toISOString() !== input.seen) throw new AppError("CONFLICT", STALE);
    await tx.holiday.delete({ where: { date: cur.date } });
    await appendAudit(
      tx,
      auditActorOf(actor),
      { action: "calendar.change", change: "REMOVE", dates: 1, date: input.date, kind: cur.kind, name: cur.name, previousSource: cur.source },
      { type: "Holiday", id: input.date },
    );
  });
}

/** Marks a year's official schedule as loaded (covered) or not. */
export async function setYearCovered(actor: Actor, input: { year: number; covered: boolean; note?: string }): Promise<void> {
  requireCalendarAdmin(actor);
  await locked(async (tx) => {
    const cur = await tx.calendarYear.findUnique({ where: { year: input.year } });
    if (input.covered) {
      if (cur) throw new AppError("CONFLICT", `${input.year} 年已标记为已导入节假日安排，请刷新`);
      await tx.calendarYear.create({ data: { year: input.year, source: "MANUAL", note: input.note || null, updatedById: actor.userId } });
    } else {
      if (!cur) throw new AppError("CONFLICT", `${input.year} 年本就未标记为已导入，请刷新`);
      await tx.calendarYear.delete({ where: { year: input.year } });
    }
    await appendAudit(
      tx,
      auditActorOf(actor),
      { action: "calendar.change", change: "YEAR", dates: 0, year: input.year, covered: input.covered, note: input.note || null, previousSource: cur?.source ?? null },
      { type: "CalendarYear", id: String(input.year) },
    );
  });
}
export type { YearCoverInput };

async function storedYear(q: Db | Tx, year: number): Promise<StoredDay[]> {
  const rows = await q.holiday.findMany({ where: { date: yearRange(year) }, orderBy: { date: "asc" }, select: { date: true, kind: true, name: true, source: true } });
  return rows.map((r) => ({ date: ymdOfDate(r.date), kind: r.kind as DayKind, name: r.name, source: r.source }));
}

/** What the preview compared with: the year's stored days and whether it is covered. */
function fingerprintOf(stored: StoredDay[], covered: boolean): string {
  return sm3Hex(JSON.stringify({ covered, days: stored.map((d) => [d.date, d.kind, d.name, d.source]) }));
}

/**
 * The server's proof that a preview is its own: HMAC-SM3 (keyed from CERTSEAL_KEK) over the year,
 * the stored state compared with, the file's SM3 and name, and the entries the preview kept. The
 * confirm step sends entries back from the browser; with the proof they, and the SM3 the audit
 * records, are the previewed file's and nothing else.
 */
function previewProof(p: { year: number; fingerprint: string; sm3: string; fileName: string; entries: CalendarEntry[] }): string {
  const key = derivedKey("certseal calendar import: preview key");
  const entries = p.entries.map((e) => [e.date, e.kind, e.name]);
  return hmacSm3Hex(key, JSON.stringify([p.year, p.fingerprint, p.sm3, p.fileName, entries]));
}

export type ImportPreview = {
  year: number;
  fileName: string;
  sm3: string;
  format: "JSON" | "XLSX" | null;
  /** the year's entries in the file (what confirming applies) */
  entries: CalendarEntry[];
  diff: YearDiff;
  problems: ImportProblem[];
  /** entries of other years in the file, not imported */
  otherYears: number;
  covered: boolean;
  fingerprint: string;
  proof: string;
};

/**
 * 预检: reads the file (JSON or XLSX, by content), keeps the chosen year's entries and compares
 * them with what is stored; nothing is written. Applying it replaces the year's schedule.
 */
export async function previewImport(actor: Actor, year: number, file: { name: string; data: Uint8Array }): Promise<ImportPreview> {
  requireCalendarAdmin(actor);
  const sizeProblem = checkFileSize(file.data.byteLength);
  if (sizeProblem) throw new AppError("INVALID_INPUT", sizeProblem, { file: sizeProblem });
  const format = sniffScheduleFile(file.data);
  if (!format) throw new AppError("INVALID_INPUT", "文件不是 JSON 或 XLSX", { file: "请上传 JSON 或 XLSX 文件（按内容识别，不看扩展名）" });
  const read = format === "XLSX" ? await rawFromXlsx(file.data) : rawFromJson(Buffer.from(file.data).toString("utf8").replace(/^\uFEFF/, ""));
  const checked = checkEntries(read.raw);
  const problems = [...read.problems, ...checked.problems];
  const prefix = `${year}-`;
  const entries = checked.entries.filter((e) => e.date.startsWith(prefix));
  if (!problems.length && !entries.length) problems.push({ where: "文件", message: `文件中没有 ${year} 年的记录，请确认所选年度` });
  if (entries.length > IMPORT_MAX_ENTRIES) problems.push({ where: "文件", message: `${year} 年的记录过多（${entries.length} 条），一年最多 ${IMPORT_MAX_ENTRIES} 条` });
  const [stored, cy] = await Promise.all([storedYear(db(), year), db().calendarYear.findUnique({ where: { year }, select: { year: true } })]);
  const kept = problems.length ? [] : entries;
  const fileName = file.name.replace(/[\\/\u0000-\u001f]/g, "_").slice(0, 200).trim();
  const sm3 = sm3Hex(file.data);
  const fingerprint = fingerprintOf(stored, !!cy);
  return {
    year,
    fileName,
    sm3,
    format,
    entries: kept,
    diff: diffYear(stored, kept),
    problems: problems.slice(0, 500),
    otherYears: checked.entries.length - entries.length,
    covered: !!cy,
    fingerprint,
    proof: previewProof({ year, fingerprint, sm3, fileName, entries: kept }),
  };
}

/**
 * 确认导入: applies a preview as the year's whole schedule (added, changed and removed days,
 * source IMPORT) and marks the year covered, in one transaction; refused when the year changed
 * since the preview.
 */
export async function confirmImport(actor: Actor, input: ImportConfirmInput & { fileName: string }): Promise<{ added: number; changed: number; removed: number }> {
  requireCalendarAdmin(actor);
  const prefix = `${input.year}-`;
  const stray = input.entries.find((e) => !e.date.startsWith(prefix));
  if (stray) throw new AppError("INVALID_INPUT", `记录 ${stray.date} 不属于 ${input.year} 年`, { entries: "导入内容与所选年度不符，请重新上传" });
  if (new Set(input.entries.map((e) => e.date)).size !== input.entries.length) throw new AppError("INVALID_INPUT", "导入内容中有重复日期，请重新上传", { entries: "日期重复" });
  const proof = previewProof({ year: input.year, fingerprint: input.fingerprint, sm3: input.sm3, fileName: input.fileName, entries: input.entries });
  if (!timingSafeEqual(Buffer.from(proof, "hex"), Buffer.from(input.proof, "hex"))) throw new AppError("INVALID_INPUT", "预览已过期或内容被改动，请重新上传预检", { entries: "预览已过期，请重新上传" });
  return locked(async (tx) => {
    const [stored, cy] = await Promise.all([storedYear(tx, input.year), tx.calendarYear.findUnique({ where: { year: input.year } })]);
    if (fingerprintOf(stored, !!cy) !== input.fingerprint) throw new AppError("CONFLICT", `预检之后 ${input.year} 年的节假日安排又有改动，请重新上传预检`);
    const diff = diffYear(stored, input.entries);
    if (!diff.added.length && !diff.changed.length && !diff.removed.length && cy) throw new AppError("CONFLICT", "文件内容与现有安排一致，无需导入");
    const by = { source: "IMPORT", updatedById: actor.userId };
    if (diff.removed.length) await tx.holiday.deleteMany({ where: { date: { in: diff.removed.map((d) => utcDate(d.date)) } } });
    if (diff.added.length) await tx.holiday.createMany({ data: diff.added.map((e) => ({ date: utcDate(e.date), kind: e.kind, name: e.name, ...by })) });
    for (const c of diff.changed) await tx.holiday.update({ where: { date: utcDate(c.date) }, data: { kind: c.to.kind, name: c.to.name, ...by } });
    const note = importNote(input.fileName);
    if (cy) await tx.calendarYear.update({ where: { year: input.year }, data: { source: "IMPORT", note, updatedById: actor.userId } });
    else await tx.calendarYear.create({ data: { year: input.year, source: "IMPORT", note, updatedById: actor.userId } });
    await appendAudit(
      tx,
      auditActorOf(actor),
      {
        action: "calendar.change",
        change: "IMPORT",
        dates: diff.added.length + diff.changed.length + diff.removed.length,
        year: input.year,
        added: diff.added.length,
        changed: diff.changed.length,
        removed: diff.removed.length,
        fileName: input.fileName.slice(0, 200),
        sm3: input.sm3,
        wasCovered: !!cy,
      },
      { type: "CalendarYear", id: String(input.year) },
    );
    return { added: diff.added.length, changed: diff.changed.length, removed: diff.removed.length };
  });
}
