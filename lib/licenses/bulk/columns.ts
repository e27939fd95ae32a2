// Columns of a bulk-conversion file (存量电子化, L-09): nine fixed columns about the holder and the
// licence, then one column per face field, headed by the field's label. Headers are matched by
// their text, so the order of the columns and extra columns do not matter. Pure functions: the
// template, the dry run and the confirmed run read the same way.
import { HOLDER_CATEGORIES, HOLDER_CODE_TYPES } from "@/lib/catalog/dictionaries";
import type { FaceFieldDef } from "@/lib/catalog/face-fields";

export const FIXED_COLUMNS = [
  { key: "category", title: "持证主体类别", required: true, hint: "自然人、法人或非法人组织" },
  { key: "codeType", title: "持证主体代码类型", required: true, hint: "如 统一社会信用代码、公民身份号码（或其代码 001、111）" },
  { key: "code", title: "持证主体代码", required: true, hint: "统一社会信用代码或证件号码" },
  { key: "name", title: "持证主体名称", required: true, hint: "单位名称或姓名" },
  { key: "contact", title: "联系电话", required: false, hint: "可空；手机号或固定电话，用于到期提醒" },
  { key: "number", title: "证照编号", required: false, hint: "纸质证照上的编号；留空则按证照类型的编号规则生成" },
  { key: "matter", title: "关联事项编码", required: false, hint: "可空；须为该证照类型的关联事项" },
  { key: "completedAt", title: "业务办结时间", required: false, hint: "可空，默认为上传时填写的时间；格式 YYYY-MM-DD HH:mm" },
  { key: "validFrom", title: "有效期起始日期", required: false, hint: "可空，默认为业务办结日期；格式 YYYY-MM-DD" },
] as const;
export type FixedKey = (typeof FIXED_COLUMNS)[number]["key"];
export const FIXED_TITLE = Object.fromEntries(FIXED_COLUMNS.map((c) => [c.key, c.title])) as Record<FixedKey, string>;

/** The header of a face field's column: its label, or "label（key）" where the label alone is ambiguous. */
export function faceHeaders(fields: readonly FaceFieldDef[]): string[] {
  const fixed = new Set<string>(FIXED_COLUMNS.map((c) => c.title));
  const count = new Map<string, number>();
  for (const f of fields) count.set(f.label, (count.get(f.label) ?? 0) + 1);
  return fields.map((f) => (fixed.has(f.label) || (count.get(f.label) ?? 0) > 1 ? `${f.label}（${f.key}）` : f.label));
}

export function allHeaders(fields: readonly FaceFieldDef[]): string[] {
  return [...FIXED_COLUMNS.map((c) => c.title), ...faceHeaders(fields)];
}

export type ColumnMap = {
  fixed: Partial<Record<FixedKey, number>>;
  face: { field: FaceFieldDef; header: string; index: number | undefined }[];
  /** every mapped column's header by index, for the report */
  titles: Map<number, string>;
};

const squash = (s: string) => s.replace(/\s+/g, "").replace(/[（(]/g, "（").replace(/[）)]/g, "）");

/**
 * Reads the header row. Missing required columns, a duplicated column and a required image field
 * (images cannot travel in a spreadsheet) make the file unusable: they are returned as one message.
 */
export function mapHeader(header: readonly string[], fields: readonly FaceFieldDef[]): { ok: true; map: ColumnMap } | { ok: false; error: string } {
  const at = new Map<string, number>();
  const dup: string[] = [];
  header.forEach((h, i) => {
    const k = squash(h);
    if (!k) return;
    if (at.has(k)) dup.push(h.trim());
    else at.set(k, i);
  });
  const titles = new Map<number, string>();
  const fixed: ColumnMap["fixed"] = {};
  const missing: string[] = [];
  for (const c of FIXED_COLUMNS) {
    const i = at.get(squash(c.title));
    if (i === undefined) {
      if (c.required) missing.push(c.title);
      continue;
    }
    fixed[c.key] = i;
    titles.set(i, c.title);
  }
  const heads = faceHeaders(fields);
  const face = fields.map((field, n) => {
    const header = heads[n];
    const i = at.get(squash(header)) ?? at.get(squash(`${field.label}（${field.key}）`));
    if (i !== undefined) titles.set(i, header);
    else if (field.required) missing.push(header);
    return { field, header, index: i };
  });
  const images = fields.filter((f) => f.type === "IMAGE" && f.required).map((f) => f.label);
  const problems: string[] = [];
  if (missing.length) problems.push(`缺少列：${missing.map((m) => `「${m}」`).join("、")}（请使用该证照类型的导入模板）`);
  const dupMapped = dup.filter((d) => [...titles.values()].some((t) => squash(t) === squash(d)));
  if (dupMapped.length) problems.push(`列重复：${dupMapped.map((m) => `「${m}」`).join("、")}`);
  if (images.length) problems.push(`该证照类型有必填的图片字段（${images.join("、")}），不能批量导入，请逐份签发`);
  if (problems.length) return { ok: false, error: problems.join("；") };
  return { ok: true, map: { fixed, face, titles } };
}

/** A category as written (label or code) → its code, else null. */
export function categoryCode(text: string): string | null {
  const s = text.trim();
  return HOLDER_CATEGORIES.find((c) => c.code === s || c.label === s)?.code ?? null;
}

/** A holder code type as written (label, code, or a code Excel stored as the number 1) → its code, else null. */
export function codeTypeCode(text: string): string | null {
  const s = text.trim();
  const padded = /^\d{1,3}$/.test(s) ? s.padStart(3, "0") : s;
  return HOLDER_CODE_TYPES.find((c) => c.code === padded || c.label === s)?.code ?? null;
}

/**
 * "2026-1-5", "2026/01/05", "2026年1月5日", or an Excel day number → "2026-01-05"; anything else
 * as it is (the face schema says why it is wrong).
 */
export function normaliseDate(text: string): string {
  const s = text.trim();
  if (/^\d{5}$/.test(s)) return new Date(Date.UTC(1899, 11, 30) + Number(s) * 86_400_000).toISOString().slice(0, 10);
  const m = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$/.exec(s);
  return m ? `${m[1]}-${m[2].padStart(2, "0")}-${m[3].padStart(2, "0")}` : s;
}

const RANGE_SEP = /\s*(?:至|到|~|～|—|－－|--)\s*/;

/** A face value from its cell text, in the form the face schema takes (dates normalised, ranges split). */
export function faceValueOf(field: FaceFieldDef, text: string): unknown {
  const s = text.trim();
  if (s === "") return undefined;
  if (field.type === "DATE") return normaliseDate(s);
  if (field.type === "DATE_RANGE") {
    const parts = s.split(RANGE_SEP);
    return parts.length === 2 ? { from: normaliseDate(parts[0]), to: normaliseDate(parts[1]) } : { from: normaliseDate(s), to: "" };
  }
  return s;
}

/**
 * 业务办结时间 as written: "YYYY-MM-DD HH:mm[:ss]" (also with "T" or "/"), or a date alone (the
 * start of that day), read in Asia/Shanghai. Null when it cannot be read.
 */
export function completionInstant(text: string): Date | null {
  const s = text.trim();
  const m = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?(?:[ T](\d{1,2})[:：](\d{2})(?:[:：](\d{2}))?)?$/.exec(s);
  if (!m) return null;
  const [y, mo, d, h = "0", mi = "0", se = "0"] = m.slice(1);
  const iso = `${y}-${mo.padStart(2, "0")}-${d.padStart(2, "0")}T${h.padStart(2, "0")}:${mi.padStart(2, "0")}:${se.padStart(2, "0")}+08:00`;
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return null;
  // no rollover: 2026-02-30 is not 2026-03-02
  const back = new Date(at.getTime() + 8 * 3_600_000).toISOString();
  if (back.slice(0, 10) !== iso.slice(0, 10) || Number(h) > 23) return null;
  return at;
}
