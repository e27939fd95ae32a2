// Reading a State Council schedule file for import (O-04) and comparing it with a stored year.
// Accepted: JSON like chinese-days ({ "holidays": { "2027-01-01": "元旦,New Year's Day,1" },
// "workdays": { … } }; other keys such as inLieuDays are ignored), JSON as a plain array
// ([{ "date": "2027-01-01", "kind": "节假日", "name": "元旦" }]; kind HOLIDAY/WORKDAY, 节假日/调休上班,
// 休/班), or XLSX with the columns 日期, 类型, 名称 (lib/calendar/xlsx.ts). Every entry is checked
// with the form's own schema; a problem anywhere stops the import (the preview lists them).
import { chineseDaysName } from "@/lib/calendar/package-data";
import { calendarEntry, IMPORT_MAX_BYTES, NAME_MAX, type CalendarEntry } from "@/lib/calendar/schema";
import type { DayKind } from "@/lib/calendar/calendar";

export type ImportProblem = { where: string; message: string };
export type RawEntry = { where: string; date: string; kind: string; name: string };
export type ParsedSchedule = { entries: CalendarEntry[]; problems: ImportProblem[] };

/** Entries read from one file at most (the package's whole history is ~800). */
export const PARSE_MAX_ENTRIES = 5000;

const KIND_WORDS: Record<string, DayKind> = {
  HOLIDAY: "HOLIDAY",
  节假日: "HOLIDAY",
  假日: "HOLIDAY",
  放假: "HOLIDAY",
  休: "HOLIDAY",
  WORKDAY: "WORKDAY",
  调休上班: "WORKDAY",
  调休工作日: "WORKDAY",
  上班: "WORKDAY",
  班: "WORKDAY",
};

/** 节假日 / 调休上班 and the other spellings above, or the text unchanged (the schema says why). */
export function kindOf(text: string): string {
  const t = text.trim();
  return KIND_WORDS[t.toUpperCase()] ?? KIND_WORDS[t] ?? t;
}

/** "2027-1-5", "2027/01/05", "2027年1月5日" → "2027-01-05"; anything else unchanged. */
export function normaliseYmd(text: string): string {
  const s = text.trim();
  const m = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$/.exec(s);
  return m ? `${m[1]}-${m[2].padStart(2, "0")}-${m[3].padStart(2, "0")}` : s;
}

/** Checks raw entries with the form's schema; duplicates within the file are problems too. */
export function checkEntries(raw: RawEntry[]): ParsedSchedule {
  const problems: ImportProblem[] = [];
  const entries: CalendarEntry[] = [];
  const seen = new Map<string, string>();
  for (const r of raw) {
    const parsed = calendarEntry.safeParse({ date: normaliseYmd(r.date), kind: kindOf(r.kind), name: r.name.trim().slice(0, NAME_MAX + 1) });
    if (!parsed.success) {
      for (const i of parsed.error.issues) problems.push({ where: r.where, message: i.message });
      continue;
    }
    const first = seen.get(parsed.data.date);
    if (first) {
      problems.push({ where: r.where, message: `日期 ${parsed.data.date} 重复（另见${first}）` });
      continue;
    }
    seen.set(parsed.data.date, r.where);
    entries.push(parsed.data);
  }
  entries.sort((a, b) => (a.date < b.date ? -1 : 1));
  return { entries, problems };
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const text = (v: unknown) => (typeof v === "string" ? v : typeof v === "number" ? String(v) : "");

/** The raw entries of a JSON schedule, or a problem saying why the file is not one. */
export function rawFromJson(json: string): { raw: RawEntry[]; problems: ImportProblem[] } {
  let doc: unknown;
  try {
    doc = JSON.parse(json);
  } catch {
    return { raw: [], problems: [{ where: "文件", message: "JSON 格式有误，无法读取" }] };
  }
  const raw: RawEntry[] = [];
  if (Array.isArray(doc)) {
    doc.forEach((item, i) => {
      const where = `第 ${i + 1} 条`;
      if (!isRecord(item)) raw.push({ where, date: "", kind: "", name: "" });
      else raw.push({ where, date: text(item.date), kind: text(item.kind), name: text(item.name) });
    });
  } else if (isRecord(doc) && ("holidays" in doc || "workdays" in doc)) {
    for (const [key, kind] of [["holidays", "HOLIDAY"], ["workdays", "WORKDAY"]] as const) {
      const table = doc[key];
      if (table === undefined) continue;
      if (!isRecord(table)) return { raw: [], problems: [{ where: key, message: `「${key}」应为 { "日期": "名称" } 形式的对象` }] };
      for (const [date, value] of Object.entries(table)) raw.push({ where: `${key}["${date}"]`, date, kind, name: chineseDaysName(text(value), "") });
    }
  } else {
    return { raw: [], problems: [{ where: "文件", message: "无法识别的 JSON：应为 { \"holidays\": {…}, \"workdays\": {…} } 或 [{ \"date\", \"kind\", \"name\" }] 数组" }] };
  }
  if (raw.length > PARSE_MAX_ENTRIES) return { raw: [], problems: [{ where: "文件", message: `记录过多（${raw.length} 条），一个文件最多 ${PARSE_MAX_ENTRIES} 条` }] };
  return { raw, problems: [] };
}

/**
 * The note kept on a year applied from a file: the page shows it after the source label
 * ("（导入：文件「2027.json」，…）"), so it names the file and does not repeat 导入.
 */
export function importNote(fileName: string): string {
  const name = fileName.replace(/[\u0000-\u001f\u007f]/g, "").trim().slice(0, 190);
  return name ? `文件「${name}」` : "文件";
}

/** A year's note as pages show it: a note kept by an earlier version ("导入 2027.json") reads like a new one. */
export function yearNoteShown(source: string, note: string | null): string | null {
  if (!note) return null;
  const legacy = /^导入 (.+)$/.exec(note);
  return source === "IMPORT" && legacy ? importNote(legacy[1]) : note;
}

export type FileKind = "JSON" | "XLSX";

/** By content, never by name: a ZIP is an XLSX, text starting with { or [ is JSON. */
export function sniffScheduleFile(bytes: Uint8Array): FileKind | null {
  if (bytes.length > 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04) return "XLSX";
  let i = 0;
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) i = 3; // UTF-8 BOM
  while (i < bytes.length && (bytes[i] === 0x20 || bytes[i] === 0x09 || bytes[i] === 0x0a || bytes[i] === 0x0d)) i++;
  return bytes[i] === 0x7b || bytes[i] === 0x5b ? "JSON" : null;
}

export function checkFileSize(size: number): string | null {
  if (size === 0) return "请选择要导入的文件";
  if (size > IMPORT_MAX_BYTES) return `文件不能超过 ${IMPORT_MAX_BYTES / 1024 / 1024} MB`;
  return null;
}

// ---- comparing with a stored year ----

export type StoredDay = { date: string; kind: DayKind; name: string; source: string };
export type DayChange = { date: string; from: { kind: DayKind; name: string; source: string }; to: { kind: DayKind; name: string } };
export type YearDiff = { added: CalendarEntry[]; changed: DayChange[]; removed: StoredDay[]; unchanged: number };

/** What applying `entries` as the whole schedule of a year would do to its stored days. */
export function diffYear(stored: StoredDay[], entries: CalendarEntry[]): YearDiff {
  const byDate = new Map(stored.map((d) => [d.date, d]));
  const incoming = new Set(entries.map((e) => e.date));
  const diff: YearDiff = { added: [], changed: [], removed: [], unchanged: 0 };
  for (const e of entries) {
    const cur = byDate.get(e.date);
    if (!cur) diff.added.push(e);
    else if (cur.kind !== e.kind || cur.name !== e.name) diff.changed.push({ date: e.date, from: { kind: cur.kind, name: cur.name, source: cur.source }, to: { kind: e.kind, name: e.name } });
    else diff.unchanged++;
  }
  for (const d of stored) if (!incoming.has(d.date)) diff.removed.push(d);
  diff.removed.sort((a, b) => (a.date < b.date ? -1 : 1));
  return diff;
}
