// XLSX export and import of the catalog (L-01) and the lists (L-02, L-03).
//
// Three kinds: TYPES (sheet 证照类型, one row per type with its latest version's content, and sheet
// 照面字段, one row per face field), ISSUANCE (发证清单) and USE (用证清单). Headers are Chinese with
// a stable code in brackets, "证照类型代码(typeCode)"; columns are found by that code, so their order
// and extra columns do not matter; columns marked ※ are shown for reading and ignored on import.
// Values: code lists as their Chinese labels (the code is accepted too), lists joined with "；"
// (a "；", ";", "|" or "\" inside an item is written with a "\" before it), matters as
// "名称|编码；…", validity as "5年" / "6个月" / "长期", yes/no as 是/否, departments by their
// unified social credit code, seals by their code (esId), types by their type code.
//
// An import is checked as a dry run first (the same zod schemas as the forms, the references and
// the scope the services check, duplicates within the file) and stored as a CatalogImport with its
// plan and its row-by-row report; nothing is written until its author confirms it, within an hour.
// The confirmed import applies the whole plan in one transaction, re-checking every row as the
// services do; any refusal rolls everything back. A row equal to what is stored is left alone, so
// re-importing an exported file changes nothing (no version, no history row).
//
// Types: a new type code creates the type (v1 draft, as createType); an existing one saves its
// content onto the latest version as saveDraft does (a released latest version gets the next
// draft version; one under review or a retired type is refused). The proposing department of an
// existing type cannot be changed by import.
//
// The write functions below (createTypeTx … setEntryStatusTx) repeat the bodies of the service
// functions inside the caller's transaction, because createType, saveDraft, saveIssuanceEntry,
// saveUseEntry and setEntryStatus each open their own. Once lib/catalog/service.ts and lists.ts
// export transaction-taking variants of the same names and signatures, these copies go.
import "server-only";
import { saveIssuanceEntryTx, saveUseEntryTx, setEntryStatusTx } from "@/lib/catalog/lists";
import ExcelJS from "exceljs";
import { z } from "zod";
import { db, withTx, type Prisma, type Tx } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { appendAudit } from "@/lib/audit/log";
import { auditActorOf, type Actor } from "@/lib/auth/session";
import { can, hasPermission, requirePermission } from "@/lib/auth/permissions";
import { sm3Hex } from "@/lib/crypto/sm3";
import { canonicalJson } from "@/lib/audit/canonical";
import { cut } from "@/lib/text";
import {
  AGGREGATION_MODES,
  FACE_LAYOUTS,
  HOLDER_CATEGORIES,
  HOLDER_CODE_TYPES,
  LICENCE_CATEGORIES,
  SHARING_ATTRIBUTES,
  USE_BASES,
  USE_SCENARIOS,
  VERSION_STATE_LABELS,
} from "@/lib/catalog/dictionaries";
import { FIELD_TYPE_LABELS, FIELD_TYPES } from "@/lib/catalog/face-fields";
import { validityLabel } from "@/lib/catalog/validity";
import {
  issuanceEntrySchema,
  typeContent,
  typeCreateSchema,
  typeUpdateSchema,
  useEntrySchema,
  type IssuanceEntryInput,
  type Matter,
  type TypeContent,
  type TypeCreateInput,
  type TypeFilter,
  type TypeUpdateInput,
  type UseEntryInput,
} from "@/lib/catalog/schema";
import { contentOf, createTypeTx, saveDraftTx } from "@/lib/catalog/service";
import { issuanceWhere, mayViewDept, useWhere, type IssuanceListFilter, type ListKind, type UseListFilter } from "@/lib/catalog/list-queries";

export const IMPORT_KINDS = ["TYPES", "ISSUANCE", "USE"] as const;
export type ImportKind = (typeof IMPORT_KINDS)[number];
export const IMPORT_KIND_LABELS: Record<ImportKind, string> = { TYPES: "证照类型", ISSUANCE: "发证清单", USE: "用证清单" };

export const IMPORT_MAX_BYTES = 5 * 1024 * 1024;
/** Declared size of everything inside the file (a small ZIP can unpack to gigabytes). */
const IMPORT_MAX_UNZIPPED = 60 * 1024 * 1024;
/** Rows per import: the confirmed import is one transaction (lib/db.ts withTx, 30 s). */
export const IMPORT_MAX_ROWS: Record<ImportKind, number> = { TYPES: 200, ISSUANCE: 1000, USE: 1000 };
const FACE_MAX_ROWS = 200 * 60;
export const EXPORT_MAX_ROWS: Record<ImportKind, number> = { TYPES: 500, ISSUANCE: 5000, USE: 5000 };
/** How long a dry run can be confirmed. */
export const DRY_RUN_TTL_MS = 3_600_000;

// ---- text forms of values ----------------------------------------------------------------------

const SEP = "；";
const escapeItem = (s: string) => s.replace(/[\\；;|]/g, (c) => `\\${c}`);
const unescapeItem = (s: string) => s.replace(/\\(.)/gu, "$1");

/** Splits on unescaped separators, keeping escapes in the parts. */
function splitRaw(text: string, seps: string): string[] {
  const out: string[] = [];
  let cur = "";
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === "\\" && i + 1 < text.length) {
      cur += c + text[i + 1];
      i++;
    } else if (seps.includes(c)) {
      out.push(cur);
      cur = "";
    } else cur += c;
  }
  out.push(cur);
  return out;
}

export function joinList(items: readonly string[]): string {
  return items.map(escapeItem).join(SEP);
}

/** "a；b;c" → ["a", "b", "c"]; blank items are dropped. */
export function splitList(text: string): string[] {
  return splitRaw(text, "；;")
    .map((s) => unescapeItem(s).trim())
    .filter((s) => s !== "");
}

export function mattersText(list: readonly Matter[]): string {
  return list.map((m) => `${escapeItem(m.name)}|${escapeItem(m.code)}`).join(SEP);
}

export function parseMatters(text: string): { value: { name: string; code: string }[]; error?: string } {
  const value: { name: string; code: string }[] = [];
  for (const raw of splitRaw(text, "；;")) {
    if (raw.trim() === "") continue;
    const parts = splitRaw(raw, "|｜");
    if (parts.length !== 2) return { value, error: `「${unescapeItem(raw).trim()}」应写作「事项名称|事项编码」` };
    value.push({ name: unescapeItem(parts[0]).trim(), code: unescapeItem(parts[1]).trim() });
  }
  return { value };
}

export function parseValidity(text: string): { value?: TypeContent["validity"]; error?: string } {
  const s = text.replace(/\s+/g, "");
  if (s === "长期" || s === "永久" || s === "长期有效") return { value: { kind: "PERMANENT" } };
  const y = /^(\d{1,4})年$/.exec(s);
  if (y) return { value: { kind: "YEARS", n: Number(y[1]) } };
  const m = /^(\d{1,5})个?月$/.exec(s);
  if (m) return { value: { kind: "MONTHS", n: Number(m[1]) } };
  return { error: "有效期限应写作「5年」「6个月」或「长期」" };
}

const YES = new Set(["是", "true", "1", "y", "yes"]);
const NO = new Set(["否", "false", "0", "n", "no", ""]);
export function parseYesNo(text: string): boolean | null {
  const s = text.trim().toLowerCase();
  return YES.has(s) ? true : NO.has(s) ? false : null;
}
const yesNo = (b: boolean) => (b ? "是" : "否");

type Coded = readonly { readonly code: string; readonly label: string }[];
/** A label or a code → the code (null when neither). */
function codeOf(list: Coded, text: string): string | null {
  const s = text.trim();
  return list.find((e) => e.code === s || e.label === s)?.code ?? null;
}
const labelOf = (list: Coded, code: string) => list.find((e) => e.code === code)?.label ?? code;
const allowed = (list: Coded) => list.map((e) => e.label).join("、");

const FIELD_TYPE_LIST: Coded = FIELD_TYPES.map((code) => ({ code, label: FIELD_TYPE_LABELS[code] }));
const STATUS_LIST: Coded = [
  { code: "ACTIVE", label: "启用" },
  { code: "DISABLED", label: "停用" },
];

/**
 * "2026-1-5", "2026/01/05", or an Excel day number (a date typed into a cell formatted as a
 * number) → "2026-01-05"; anything else as it is (the schema says why).
 */
export function normaliseDate(text: string): string {
  const s = text.trim();
  if (/^\d{5}$/.test(s)) return new Date(Date.UTC(1899, 11, 30) + Number(s) * 86_400_000).toISOString().slice(0, 10);
  const m = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$/.exec(s);
  return m ? `${m[1]}-${m[2].padStart(2, "0")}-${m[3].padStart(2, "0")}` : s;
}

// Face-field limits, "最多字数=100；最小值=0"
const LIMITS = [
  { key: "minLength", label: "最少字数", num: true },
  { key: "maxLength", label: "最多字数", num: true },
  { key: "min", label: "最小值", num: true },
  { key: "max", label: "最大值", num: true },
  { key: "decimals", label: "小数位数", num: true },
  { key: "minDate", label: "最早日期", num: false },
  { key: "maxDate", label: "最晚日期", num: false },
] as const;
type FaceDef = TypeContent["faceFields"][number];

export function limitsText(f: FaceDef): string {
  return LIMITS.filter((l) => f[l.key] !== undefined)
    .map((l) => `${l.label}=${String(f[l.key])}`)
    .join(SEP);
}

export function parseLimits(text: string): { value: Record<string, number | string>; error?: string } {
  const value: Record<string, number | string> = {};
  for (const item of splitList(text)) {
    const m = /^([^=＝:：]+)[=＝:：](.*)$/.exec(item);
    const l = m && LIMITS.find((x) => x.label === m[1].trim() || x.key === m[1].trim());
    if (!m || !l) return { value, error: `「${item}」无法识别（可用：${LIMITS.map((x) => `${x.label}=…`).join("、")}）` };
    const v = m[2].trim();
    if (l.num) {
      if (!/^[+-]?\d+(\.\d+)?$/.test(v)) return { value, error: `「${l.label}」须为数字` };
      value[l.key] = Number(v);
    } else value[l.key] = normaliseDate(v);
  }
  return { value };
}


// ---- sheets ------------------------------------------------------------------------------------

type Column = { code: string; title: string; width: number; info?: true };
export type Rec = Record<string, string>;

const TYPE_COLUMNS: Column[] = [
  { code: "typeCode", title: "证照类型代码", width: 24 },
  { code: "name", title: "证照类型名称", width: 22 },
  { code: "ownerDept", title: "提出部门代码", width: 20 },
  { code: "ownerDeptName", title: "※提出部门", width: 22, info: true },
  { code: "definingAuthority", title: "定义机构", width: 22 },
  { code: "definingAuthorityCode", title: "定义机构代码", width: 20 },
  { code: "category", title: "证照类别", width: 10 },
  { code: "holderCategories", title: "持证主体类别", width: 18 },
  { code: "holderCodeTypes", title: "持证主体代码类型", width: 16 },
  { code: "validity", title: "有效期限", width: 10 },
  { code: "legalBasis", title: "设定依据", width: 36 },
  { code: "matters", title: "关联事项", width: 36 },
  { code: "sharing", title: "共享属性", width: 12 },
  { code: "sharingConditions", title: "共享条件", width: 24 },
  { code: "publicity", title: "社会公示", width: 9 },
  { code: "issuingDepts", title: "发证部门代码", width: 40 },
  { code: "seals", title: "签章印章编码", width: 20 },
  { code: "numberRule", title: "编号规则", width: 24 },
  { code: "allowMultiple", title: "允许多证", width: 9 },
  { code: "faceLayout", title: "照面版式", width: 10 },
  { code: "version", title: "※版本", width: 8, info: true },
  { code: "state", title: "※状态", width: 8, info: true },
];
const FACE_COLUMNS: Column[] = [
  { code: "typeCode", title: "证照类型代码", width: 24 },
  { code: "order", title: "序号", width: 6 },
  { code: "key", title: "字段键", width: 16 },
  { code: "label", title: "字段名称", width: 20 },
  { code: "type", title: "字段类型", width: 14 },
  { code: "required", title: "必填", width: 6 },
  { code: "sensitive", title: "敏感", width: 6 },
  { code: "limits", title: "限制", width: 30 },
  { code: "options", title: "选项", width: 40 },
];
const ISSUANCE_COLUMNS: Column[] = [
  { code: "dept", title: "发证部门代码", width: 20 },
  { code: "deptName", title: "※发证部门", width: 24, info: true },
  { code: "typeCode", title: "证照类型代码", width: 24 },
  { code: "typeName", title: "※证照类型", width: 22, info: true },
  { code: "legalBasis", title: "设定依据", width: 36 },
  { code: "matters", title: "关联事项", width: 36 },
  { code: "holderCategory", title: "持证主体类别", width: 12 },
  { code: "aggregation", title: "汇聚方式", width: 9 },
  { code: "publicity", title: "社会公示", width: 9 },
  { code: "validFrom", title: "生效日期", width: 12 },
  { code: "validTo", title: "失效日期", width: 12 },
  { code: "status", title: "状态", width: 7 },
  { code: "id", title: "条目ID（新增留空）", width: 38 },
];
const USE_COLUMNS: Column[] = [
  { code: "dept", title: "用证部门代码", width: 20 },
  { code: "deptName", title: "※用证部门", width: 24, info: true },
  { code: "typeCode", title: "证照类型代码", width: 24 },
  { code: "typeName", title: "※证照类型", width: 22, info: true },
  { code: "matterCode", title: "事项编码", width: 16 },
  { code: "matterName", title: "事项名称", width: 26 },
  { code: "scenarios", title: "使用场景", width: 28 },
  { code: "basis", title: "用证依据", width: 12 },
  { code: "validFrom", title: "生效日期", width: 12 },
  { code: "validTo", title: "失效日期", width: 12 },
  { code: "status", title: "状态", width: 7 },
  { code: "id", title: "条目ID（新增留空）", width: 38 },
];

type SheetSpec = { name: string; columns: Column[]; maxRows: number };
const SHEETS: Record<ImportKind, SheetSpec[]> = {
  TYPES: [
    { name: "证照类型", columns: TYPE_COLUMNS, maxRows: IMPORT_MAX_ROWS.TYPES },
    { name: "照面字段", columns: FACE_COLUMNS, maxRows: FACE_MAX_ROWS },
  ],
  ISSUANCE: [{ name: "发证清单", columns: ISSUANCE_COLUMNS, maxRows: IMPORT_MAX_ROWS.ISSUANCE }],
  USE: [{ name: "用证清单", columns: USE_COLUMNS, maxRows: IMPORT_MAX_ROWS.USE }],
};
const TYPES_SHEET = SHEETS.TYPES[0];
const FACES_SHEET = SHEETS.TYPES[1];
const header = (c: Column) => `${c.title}(${c.code})`;
const titleOf = (cols: Column[], code: string) => cols.find((c) => c.code === code)?.title.replace(/^※/, "") ?? code;

const NOTES: Record<ImportKind, string[]> = {
  TYPES: [
    "每个证照类型一行（「证照类型」工作表），其照面字段每个一行（「照面字段」工作表，按证照类型代码对应，按序号排列）。",
    "新的证照类型代码：新建证照类型（草稿）；已有的证照类型代码：修改其最新版本（已发布的生成新的草稿版本；审核中或已停用的不能修改）；内容未变的行不做任何改动。",
    "提出部门、发证部门填统一社会信用代码；签章印章填印章编码；多个值用「；」分隔；关联事项写作「事项名称|事项编码；…」。",
    "有效期限写作「5年」「6个月」或「长期」；是否项填「是」或「否」；限制写作「最多字数=100；最小值=0」等。",
  ],
  ISSUANCE: [
    "每个条目一行；条目ID为空的行新增条目（同一部门、同一证照类型已在清单中的则修改该条目），填写条目ID的行修改该条目。",
    "部门填统一社会信用代码，证照类型填证照类型代码；关联事项写作「事项名称|事项编码；…」；日期写作 2026-01-01。",
  ],
  USE: [
    "每个条目一行；条目ID为空的行新增条目（该部门已有同一证照类型、同一事项的启用条目时修改该条目），填写条目ID的行修改该条目。",
    "部门填统一社会信用代码，证照类型填证照类型代码；事项编码为空表示适用全部事项；使用场景多个用「；」分隔；日期写作 2026-01-01。",
  ],
};

function allowedValues(kind: ImportKind): [string, string][] {
  const list = (l: Coded) => l.map((e) => e.label).join("、");
  if (kind === "TYPES")
    return [
      ["证照类别", list(LICENCE_CATEGORIES)],
      ["持证主体类别", list(HOLDER_CATEGORIES)],
      ["持证主体代码类型", HOLDER_CODE_TYPES.map((e) => `${e.code} ${e.label}`).join("、")],
      ["共享属性", list(SHARING_ATTRIBUTES)],
      ["照面版式", list(FACE_LAYOUTS)],
      ["字段类型", list(FIELD_TYPE_LIST)],
    ];
  if (kind === "ISSUANCE")
    return [
      ["持证主体类别", list(HOLDER_CATEGORIES)],
      ["汇聚方式", list(AGGREGATION_MODES)],
      ["状态", list(STATUS_LIST)],
    ];
  return [
    ["使用场景", list(USE_SCENARIOS)],
    ["用证依据", list(USE_BASES)],
    ["状态", list(STATUS_LIST)],
  ];
}

export type SheetData = { main: Rec[]; faces?: Rec[] };

/** The workbook of `kind` with these rows (text cells only, so what is read back is what was written). */
export async function exportWorkbook(kind: ImportKind, data: SheetData): Promise<Uint8Array> {
  const wb = new ExcelJS.Workbook();
  wb.creator = "certseal";
  SHEETS[kind].forEach((spec, i) => {
    const ws = wb.addWorksheet(spec.name, { views: [{ state: "frozen", ySplit: 1 }] });
    ws.columns = spec.columns.map((c) => ({ header: header(c), key: c.code, width: c.width, style: { numFmt: "@" } }));
    ws.getRow(1).font = { bold: true };
    spec.columns.forEach((c, j) => {
      if (c.info) ws.getRow(1).getCell(j + 1).font = { bold: true, color: { argb: "FF909399" } };
    });
    const rows = (i === 0 ? data.main : data.faces) ?? [];
    for (const r of rows) ws.addRow(spec.columns.map((c) => r[c.code] ?? ""));
  });
  const notes = wb.addWorksheet("填写说明");
  notes.columns = [
    { header: "说明", key: "a", width: 24 },
    { header: "", key: "b", width: 120 },
  ];
  notes.getRow(1).font = { bold: true };
  for (const n of NOTES[kind]) notes.addRow(["", n]);
  notes.addRow(["", "标「※」的列仅供阅读，导入时忽略；列的顺序可以调整，但表头括号中的代码不能修改。"]);
  for (const [k, v] of allowedValues(kind)) notes.addRow([`${k}可填`, v]);
  return new Uint8Array(await wb.xlsx.writeBuffer());
}

// ---- reading -----------------------------------------------------------------------------------

export type ReportItem = { sheet: string; row: number; column: string; message: string };
type RawRow = { row: number; cells: Rec };

function cellText(v: ExcelJS.CellValue): string {
  if (v === null || v === undefined) return "";
  if (typeof v === "string") return v;
  if (typeof v === "number") return String(v);
  if (typeof v === "boolean") return yesNo(v);
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  if ("richText" in v) return v.richText.map((r) => r.text).join("");
  if ("hyperlink" in v) return String(v.text);
  if ("result" in v || "formula" in v || "sharedFormula" in v) return v.result === undefined ? "" : cellText(v.result);
  return "";
}

/** Whether the bytes start like a ZIP (an XLSX is one). */
export function looksLikeXlsx(bytes: Uint8Array): boolean {
  return bytes.length > 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;
}

/** Sum of the sizes the ZIP's central directory declares, or null when it cannot be read. */
export function declaredUnzippedSize(bytes: Uint8Array): number | null {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let i = b.length - 22; i >= Math.max(0, b.length - 22 - 65_535); i--) {
    if (b.readUInt32LE(i) !== 0x06054b50) continue;
    const count = b.readUInt16LE(i + 10);
    let p = b.readUInt32LE(i + 16);
    let total = 0;
    for (let n = 0; n < count; n++) {
      if (p + 46 > b.length || b.readUInt32LE(p) !== 0x02014b50) return null;
      const size = b.readUInt32LE(p + 24);
      if (size === 0xffffffff) return null; // ZIP64: not something an export of ours would be
      total += size;
      p += 46 + b.readUInt16LE(p + 28) + b.readUInt16LE(p + 30) + b.readUInt16LE(p + 32);
    }
    return total;
  }
  return null;
}

/** The data rows of each sheet of `kind`, keyed by column code, with format problems reported. */
export async function readWorkbook(kind: ImportKind, bytes: Uint8Array): Promise<{ sheets: RawRow[][]; report: ReportItem[] }> {
  const report: ReportItem[] = [];
  const sheets: RawRow[][] = SHEETS[kind].map(() => []);
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(Buffer.from(bytes) as unknown as Parameters<typeof wb.xlsx.load>[0]);
  } catch {
    report.push({ sheet: "", row: 0, column: "", message: "文件无法读取，请上传由本系统导出或按模板填写的 XLSX 文件" });
    return { sheets, report };
  }
  SHEETS[kind].forEach((spec, s) => {
    const ws = wb.getWorksheet(spec.name) ?? (SHEETS[kind].length === 1 ? wb.worksheets[0] : undefined);
    if (!ws) {
      report.push({ sheet: spec.name, row: 0, column: "", message: `缺少工作表「${spec.name}」` });
      return;
    }
    const cols = new Map<string, number>();
    ws.getRow(1).eachCell((cell, col) => {
      const text = cellText(cell.value).trim();
      const code = /[(（]\s*([A-Za-z][A-Za-z0-9]*)\s*[)）]$/.exec(text)?.[1] ?? spec.columns.find((c) => c.title === text)?.code;
      if (!code || !spec.columns.some((c) => c.code === code)) return;
      if (cols.has(code)) report.push({ sheet: spec.name, row: 1, column: titleOf(spec.columns, code), message: "该列重复出现" });
      else cols.set(code, col);
    });
    const missing = spec.columns.filter((c) => !c.info && !cols.has(c.code));
    for (const c of missing) report.push({ sheet: spec.name, row: 1, column: c.title, message: `缺少列「${header(c)}」` });
    if (missing.length) return;
    for (let r = 2; r <= ws.rowCount; r++) {
      const row = ws.getRow(r);
      const cells: Rec = {};
      for (const [code, col] of cols) cells[code] = cellText(row.getCell(col).value);
      if (Object.values(cells).every((v) => v.trim() === "")) continue;
      if (sheets[s].length >= spec.maxRows) {
        report.push({ sheet: spec.name, row: r, column: "", message: `一次最多导入 ${spec.maxRows} 行，请分批导入` });
        break;
      }
      sheets[s].push({ row: r, cells });
    }
  });
  return { sheets, report };
}

// ---- checking ----------------------------------------------------------------------------------

export type PlanOp = "create" | "update" | "unchanged";
export type TypePlan = { row: number; op: PlanOp; label: string; typeCode: string; create?: TypeCreateInput; update?: TypeUpdateInput; version?: number };
export type EntryPlan = {
  row: number;
  op: PlanOp;
  label: string;
  input: IssuanceEntryInput | UseEntryInput;
  status: "ACTIVE" | "DISABLED";
  /** whether the fields (not only the status) differ from the stored entry */
  fieldsChanged: boolean;
};
export type PlanRow = TypePlan | EntryPlan;
export type Summary = { total: number; create: number; update: number; unchanged: number; errorRows: number; errors: number };

/** Collects a row's problems: at most one per column, conversion problems before schema ones. */
class RowReport {
  items: ReportItem[] = [];
  private seen = new Set<string>();
  constructor(
    private sheet: string,
    private columns: Column[],
  ) {}
  add(row: number, code: string, message: string, sheet = this.sheet, columns = this.columns) {
    const key = `${sheet}|${row}|${code}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.items.push({ sheet, row, column: code ? titleOf(columns, code) : "", message });
  }
  has(row: number, sheet = this.sheet) {
    return this.items.some((i) => i.row === row && i.sheet === sheet);
  }
}

const PLACEHOLDER_ID = "00000000-0000-4000-8000-000000000000";
const NOT_IN_SCOPE = "部门不存在或不在您的管辖范围内";

function enumCell(rep: RowReport, row: number, code: string, list: Coded, text: string, what: string): string {
  const c = codeOf(list, text);
  if (c === null) rep.add(row, code, text.trim() ? `「${text.trim()}」不是有效的${what}（可填：${allowed(list)}）` : `请填写${what}`);
  return c ?? text.trim();
}

function yesNoCell(rep: RowReport, row: number, code: string, text: string): boolean {
  const v = parseYesNo(text);
  if (v === null) rep.add(row, code, `请填写「是」或「否」（现为「${text.trim()}」）`);
  return v ?? false;
}

function issuePath(path: readonly PropertyKey[]): string {
  const idx = path.filter((p): p is number => typeof p === "number");
  return idx.length ? `第 ${idx[0] + 1} 项：` : "";
}

type TypeRef = Prisma.LicenceTypeGetPayload<{ include: { ownerDept: { select: { id: true; path: true; uscc: true; name: true } } } }>;
type VersionRow = Prisma.LicenceTypeVersionGetPayload<object>;

async function latestVersions(types: { id: string; latestVersion: number; releasedVersion?: number | null }[]): Promise<VersionRow[]> {
  if (!types.length) return [];
  const wanted = types.flatMap((t) => [{ typeId: t.id, number: t.latestVersion }, ...(t.releasedVersion && t.releasedVersion !== t.latestVersion ? [{ typeId: t.id, number: t.releasedVersion }] : [])]);
  return db().licenceTypeVersion.findMany({ where: { OR: wanted } });
}

const TYPE_VIEW_PERMS = ["catalog.manage", "supervision.read"] as const;

/**
 * The types the actor may see, with their latest version: as on the catalog pages, those whose
 * proposing department or an issuing department of the latest or released version is in the
 * scope of catalog.manage or supervision.read.
 */
async function visibleTypes(actor: Actor, types: (TypeRef | Prisma.LicenceTypeGetPayload<{ include: { ownerDept: { select: { id: true; path: true; uscc: true; name: true } } } }>)[]) {
  const out = new Map<string, { latest: VersionRow; released: VersionRow | null }>();
  if (!TYPE_VIEW_PERMS.some((p) => hasPermission(actor, p))) return out;
  const versions = await latestVersions(types);
  const issuing = [...new Set(versions.flatMap((v) => v.issuingDeptIds))];
  const depts = issuing.length ? await db().department.findMany({ where: { id: { in: issuing } }, select: { id: true, path: true } }) : [];
  const covers = (d: { id: string; path: string } | undefined) => !!d && TYPE_VIEW_PERMS.some((p) => can(actor, p, d));
  for (const t of types) {
    const latest = versions.find((v) => v.typeId === t.id && v.number === t.latestVersion);
    if (!latest) continue;
    const released = t.releasedVersion ? (versions.find((v) => v.typeId === t.id && v.number === t.releasedVersion) ?? null) : null;
    const ids = [...latest.issuingDeptIds, ...(released?.issuingDeptIds ?? [])];
    if (covers(t.ownerDept) || ids.some((id) => covers(depts.find((d) => d.id === id)))) out.set(t.id, { latest, released });
  }
  return out;
}

const CONTENT_COLUMN: Record<string, string> = {
  issuingDeptIds: "issuingDepts",
  sealIds: "seals",
  faceFields: "faceFields",
};
const FACE_COLUMN: Record<string, string> = { minLength: "limits", maxLength: "limits", min: "limits", max: "limits", decimals: "limits", minDate: "limits", maxDate: "limits" };

async function checkTypes(actor: Actor, [typeRows, faceRows]: RawRow[][]): Promise<{ plan: TypePlan[]; report: ReportItem[] }> {
  const rep = new RowReport(TYPES_SHEET.name, TYPE_COLUMNS);
  const faceAdd = (row: number, code: string, message: string) => rep.add(row, code, message, FACES_SHEET.name, FACE_COLUMNS);

  // face fields by type code, in their order
  const faces = new Map<string, { row: number; order: number; def: Record<string, unknown> }[]>();
  for (const { row, cells } of faceRows) {
    const typeCode = cells.typeCode.trim();
    if (!typeCode) faceAdd(row, "typeCode", "请填写证照类型代码");
    const order = Number(cells.order.trim());
    if (!cells.order.trim() || !Number.isFinite(order)) faceAdd(row, "order", "序号须为数字");
    const type = codeOf(FIELD_TYPE_LIST, cells.type);
    if (!type) faceAdd(row, "type", cells.type.trim() ? `「${cells.type.trim()}」不是有效的字段类型（可填：${allowed(FIELD_TYPE_LIST)}）` : "请填写字段类型");
    const required = parseYesNo(cells.required);
    if (required === null) faceAdd(row, "required", "请填写「是」或「否」");
    const sensitive = parseYesNo(cells.sensitive);
    if (sensitive === null) faceAdd(row, "sensitive", "请填写「是」或「否」");
    const limits = parseLimits(cells.limits);
    if (limits.error) faceAdd(row, "limits", limits.error);
    const options = splitList(cells.options);
    const def: Record<string, unknown> = { key: cells.key.trim(), label: cells.label, type: type ?? cells.type.trim(), required: !!required, sensitive: !!sensitive, ...limits.value };
    if (options.length) def.options = options;
    faces.set(typeCode, [...(faces.get(typeCode) ?? []), { row, order: Number.isFinite(order) ? order : 0, def }]);
  }
  for (const list of faces.values()) list.sort((a, b) => a.order - b.order || a.row - b.row);

  // everything the rows refer to, in a few queries
  const codes = [...new Set(typeRows.map((r) => r.cells.typeCode.trim()).filter(Boolean))];
  const usccs = [...new Set(typeRows.flatMap((r) => [r.cells.ownerDept.trim().toUpperCase(), ...splitList(r.cells.issuingDepts).map((s) => s.toUpperCase())]).filter(Boolean))];
  const esIds = [...new Set(typeRows.flatMap((r) => splitList(r.cells.seals)))];
  const [types, depts, seals] = await Promise.all([
    db().licenceType.findMany({ where: { typeCode: { in: codes } }, include: { ownerDept: { select: { id: true, path: true, uscc: true, name: true } } } }),
    db().department.findMany({ where: { uscc: { in: usccs } }, select: { id: true, uscc: true, path: true, name: true, status: true, isIssuing: true } }),
    db().seal.findMany({ where: { esId: { in: esIds } }, select: { id: true, esId: true, status: true, holderDeptId: true } }),
  ]);
  const visible = await visibleTypes(actor, types);

  const plan: TypePlan[] = [];
  const seenCodes = new Map<string, number>();
  for (const { row, cells } of typeRows) {
    // problems that matter only when the row changes something (an unchanged row is left alone)
    const deferred: [string, string][] = [];
    const typeCode = cells.typeCode.trim();
    if (typeCode && seenCodes.has(typeCode)) rep.add(row, "typeCode", `与第 ${seenCodes.get(typeCode)} 行的证照类型代码重复`);
    if (typeCode && !seenCodes.has(typeCode)) seenCodes.set(typeCode, row);
    const existing: TypeRef | undefined = types.find((t) => t.typeCode === typeCode);
    const seen = existing && visible.get(existing.id);
    if (existing && !seen) {
      rep.add(row, "typeCode", "该证照类型代码已被不在您管辖范围内的证照类型使用");
      continue;
    }
    if (existing && !can(actor, "catalog.manage", existing.ownerDept)) deferred.push(["typeCode", "证照类型不在您的管辖范围内，不能修改"]);

    // owner
    const ownerUscc = cells.ownerDept.trim().toUpperCase();
    const owner = depts.find((d) => d.uscc === ownerUscc);
    if (!ownerUscc) rep.add(row, "ownerDept", "请填写提出部门的统一社会信用代码");
    else if (existing) {
      if (existing.ownerDept.uscc !== ownerUscc) rep.add(row, "ownerDept", `导入不能更改提出部门（现为 ${existing.ownerDept.uscc} ${existing.ownerDept.name}）`);
    } else if (!owner || !can(actor, "catalog.manage", owner)) rep.add(row, "ownerDept", NOT_IN_SCOPE);
    else if (owner.status !== "ACTIVE") rep.add(row, "ownerDept", "部门已停用");

    // issuing departments and seals, as the service checks them
    const issuingIds: string[] = [];
    for (const u of splitList(cells.issuingDepts).map((x) => x.toUpperCase())) {
      const d = depts.find((x) => x.uscc === u);
      if (!d) rep.add(row, "issuingDepts", `发证部门「${u}」不存在`);
      else if (!d.isIssuing || d.status !== "ACTIVE") deferred.push(["issuingDepts", `「${d.name}」不是启用的发证单位`]);
      issuingIds.push(d?.id ?? PLACEHOLDER_ID);
    }
    const sealIds: string[] = [];
    for (const e of splitList(cells.seals)) {
      const s = seals.find((x) => x.esId === e);
      if (!s) rep.add(row, "seals", `印章「${e}」不存在`);
      else if (s.status !== "ACTIVE" || !issuingIds.includes(s.holderDeptId)) deferred.push(["seals", `印章「${e}」不是所选发证部门的有效印章`]);
      sealIds.push(s?.id ?? PLACEHOLDER_ID);
    }

    const validity = parseValidity(cells.validity);
    if (validity.error) rep.add(row, "validity", validity.error);
    const matters = parseMatters(cells.matters);
    if (matters.error) rep.add(row, "matters", matters.error);
    const holderCategories = splitList(cells.holderCategories).map((x) => {
      const c = codeOf(HOLDER_CATEGORIES, x);
      if (!c) rep.add(row, "holderCategories", `「${x}」不是有效的持证主体类别（可填：${allowed(HOLDER_CATEGORIES)}）`);
      return c ?? x;
    });
    const holderCodeTypes = splitList(cells.holderCodeTypes).map((x) => {
      const c = codeOf(HOLDER_CODE_TYPES, /^\d{1,3}$/.test(x) ? x.padStart(3, "0") : x);
      if (!c) rep.add(row, "holderCodeTypes", `「${x}」不是有效的持证主体代码类型`);
      return c ?? x;
    });
    const typeFaces = faces.get(typeCode) ?? [];
    const content = {
      name: cells.name,
      definingAuthority: cells.definingAuthority,
      definingAuthorityCode: cells.definingAuthorityCode,
      category: enumCell(rep, row, "category", LICENCE_CATEGORIES, cells.category, "证照类别"),
      holderCategories,
      holderCodeTypes,
      validity: validity.value ?? { kind: "PERMANENT" },
      legalBasis: cells.legalBasis,
      matters: matters.value,
      sharing: enumCell(rep, row, "sharing", SHARING_ATTRIBUTES, cells.sharing, "共享属性"),
      sharingConditions: cells.sharingConditions,
      publicity: yesNoCell(rep, row, "publicity", cells.publicity),
      issuingDeptIds: issuingIds,
      sealIds,
      numberRule: cells.numberRule,
      allowMultiple: yesNoCell(rep, row, "allowMultiple", cells.allowMultiple),
      faceFields: typeFaces.map((f) => f.def),
      faceLayout: enumCell(rep, row, "faceLayout", FACE_LAYOUTS, cells.faceLayout, "照面版式"),
    };

    const parsed = existing ? typeContent.safeParse(content) : typeCreateSchema.safeParse({ typeCode, ownerDeptId: owner?.id ?? PLACEHOLDER_ID, content });
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const path = existing ? issue.path : issue.path[0] === "content" ? issue.path.slice(1) : issue.path;
        const [first, i, field] = path;
        if (!existing && path.length === 1 && first === "ownerDeptId") rep.add(row, "ownerDept", issue.message);
        else if (first === "faceFields" && typeof i === "number" && typeFaces[i]) {
          const f = typeof field === "string" ? field : "key";
          faceAdd(typeFaces[i].row, FACE_COLUMN[f] ?? (FACE_COLUMNS.some((c) => c.code === f) ? f : "key"), issue.message);
        } else {
          const code = CONTENT_COLUMN[String(first)] ?? String(first);
          rep.add(row, TYPE_COLUMNS.some((c) => c.code === code) ? code : "", code === "faceFields" ? `照面字段：${issue.message}` : `${issuePath(path.slice(1))}${issue.message}`);
        }
      }
      // zod runs the schemas' cross-field rules only once every field is valid: report them now too
      if (!existing && typeCode.slice(0, 18) !== cells.definingAuthorityCode.trim().toUpperCase()) rep.add(row, "typeCode", "证照类型代码的前 18 位须为定义机构的统一社会信用代码");
      if (content.sharing === "CONDITIONAL" && cells.sharingConditions.trim().length < 2) rep.add(row, "sharingConditions", "有条件共享须写明共享条件");
    }
    if (typeFaces.some((f) => rep.has(f.row, FACES_SHEET.name))) rep.add(row, "", "照面字段有错误，见「照面字段」工作表");
    if (rep.has(row) || !parsed.success) continue;

    const label = `${typeCode} ${cells.name.trim()}`;
    if (!existing || !seen) {
      for (const [code, message] of deferred) rep.add(row, code, message);
      if (!rep.has(row)) plan.push({ row, op: "create", label, typeCode, create: parsed.data as TypeCreateInput });
      continue;
    }
    const next = parsed.data as TypeContent;
    const update = { typeId: existing.id, rev: seen.latest.rev, content: next };
    if (canonicalJson(contentOf(seen.latest)) === canonicalJson(next)) {
      plan.push({ row, op: "unchanged", label, typeCode, update, version: seen.latest.number });
      continue;
    }
    for (const [code, message] of deferred) rep.add(row, code, message);
    if (existing.retiredAt) rep.add(row, "typeCode", "该类型已停用，不能修改");
    else if (seen.latest.status === "UNDER_REVIEW") rep.add(row, "typeCode", "该类型正在审核中，不能修改；请等待审核结果或由审核人退回");
    if (!rep.has(row)) plan.push({ row, op: "update", label, typeCode, update, version: seen.latest.number });
  }
  for (const [code, list] of faces) {
    if (code && !seenCodes.has(code)) for (const f of list) faceAdd(f.row, "typeCode", "该证照类型代码不在「证照类型」工作表中");
  }
  return { plan, report: rep.items };
}

type Entry = { id: string; deptId: string; typeId: string; rev: number; status: "ACTIVE" | "DISABLED"; validFrom: Date; validTo: Date | null };
type IssuanceEntryRow = Entry & Prisma.IssuanceListEntryGetPayload<object>;
type UseEntryRow = Entry & Prisma.UseListEntryGetPayload<object>;

const ymd = (d: Date | null) => (d ? d.toISOString().slice(0, 10) : null);

/** What an entry says, as the file and the comparison see it. */
function entryShown(list: ListKind, e: IssuanceEntryRow | UseEntryRow): Record<string, unknown> {
  if (list === "ISSUANCE") {
    const x = e as IssuanceEntryRow;
    return { legalBasis: x.legalBasis, matters: x.matters, holderCategory: x.holderCategory, aggregation: x.aggregation, publicity: x.publicity, validFrom: ymd(x.validFrom), validTo: ymd(x.validTo) };
  }
  const x = e as UseEntryRow;
  return { matterCode: x.matterCode, matterName: x.matterName, scenarios: x.scenarios, basis: x.basis, validFrom: ymd(x.validFrom), validTo: ymd(x.validTo) };
}

/** The same for an input (the stored form: blank text as null). */
function inputShown(list: ListKind, i: IssuanceEntryInput | UseEntryInput): Record<string, unknown> {
  if (list === "ISSUANCE") {
    const x = i as IssuanceEntryInput;
    return { legalBasis: x.legalBasis, matters: x.matters, holderCategory: x.holderCategory, aggregation: x.aggregation, publicity: x.publicity, validFrom: x.validFrom, validTo: x.validTo || null };
  }
  const x = i as UseEntryInput;
  return { matterCode: x.matterCode || null, matterName: x.matterName || null, scenarios: x.scenarios, basis: x.basis, validFrom: x.validFrom, validTo: x.validTo || null };
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const ENTRY_COLUMN: Record<string, string> = { deptId: "dept", typeId: "typeCode", id: "id", rev: "id" };

async function checkEntries(actor: Actor, list: ListKind, [rows]: RawRow[][]): Promise<{ plan: EntryPlan[]; report: ReportItem[] }> {
  const spec = SHEETS[list][0];
  const rep = new RowReport(spec.name, spec.columns);
  const usccs = [...new Set(rows.map((r) => r.cells.dept.trim().toUpperCase()).filter(Boolean))];
  const codes = [...new Set(rows.map((r) => r.cells.typeCode.trim()).filter(Boolean))];
  const ids = [...new Set(rows.map((r) => r.cells.id.trim().toLowerCase()).filter((s) => z.string().uuid().safeParse(s).success))];
  const [depts, types] = await Promise.all([
    db().department.findMany({ where: { uscc: { in: usccs } }, select: { id: true, uscc: true, path: true, name: true, isIssuing: true, isUsing: true } }),
    db().licenceType.findMany({ where: { typeCode: { in: codes } }, select: { id: true, typeCode: true, name: true, releasedVersion: true, retiredAt: true } }),
  ]);
  const pairs = depts.flatMap((d) => types.map((t) => ({ deptId: d.id, typeId: t.id })));
  const where = { OR: [{ id: { in: ids } }, ...(pairs.length ? [{ OR: pairs }] : [])] };
  const entries: (IssuanceEntryRow | UseEntryRow)[] =
    list === "ISSUANCE" ? await db().issuanceListEntry.findMany({ where }) : await db().useListEntry.findMany({ where });
  const entryDepts = await db().department.findMany({ where: { id: { in: [...new Set(entries.map((e) => e.deptId))] } }, select: { id: true, path: true } });

  const plan: EntryPlan[] = [];
  const targets = new Map<string, number>();
  const keys = new Map<string, number>();
  for (const { row, cells } of rows) {
    // problems that matter only when the row changes something (an unchanged row is left alone)
    const deferred: [string, string][] = [];
    const uscc = cells.dept.trim().toUpperCase();
    const dept = depts.find((d) => d.uscc === uscc);
    if (!uscc) rep.add(row, "dept", "请填写部门的统一社会信用代码");
    else if (!dept || !mayViewDept(actor, list, dept)) rep.add(row, "dept", NOT_IN_SCOPE);
    else if (!can(actor, "catalog.manage", dept)) deferred.push(["dept", NOT_IN_SCOPE]);
    else if (list === "ISSUANCE" && !dept.isIssuing) deferred.push(["dept", "该部门不是发证单位"]);
    else if (list === "USE" && !dept.isUsing) deferred.push(["dept", "该部门不是用证部门"]);
    const typeCode = cells.typeCode.trim();
    const type = types.find((t) => t.typeCode === typeCode);
    if (!typeCode) rep.add(row, "typeCode", "请填写证照类型代码");
    else if (!type) rep.add(row, "typeCode", "证照类型不存在");
    const statusCode = codeOf(STATUS_LIST, cells.status.trim() === "" ? "启用" : cells.status);
    if (!statusCode) rep.add(row, "status", "状态须为「启用」或「停用」");
    const status = (statusCode ?? "ACTIVE") as "ACTIVE" | "DISABLED";

    // which stored entry the row is about
    let target: IssuanceEntryRow | UseEntryRow | undefined;
    const id = cells.id.trim().toLowerCase();
    if (id) {
      target = entries.find((e) => e.id === id);
      const tDept = target && entryDepts.find((d) => d.id === target!.deptId);
      if (!target || !tDept || !mayViewDept(actor, list, tDept)) rep.add(row, "id", "条目不存在或不在您的管辖范围内");
      else if (dept && type && (target.deptId !== dept.id || target.typeId !== type.id)) rep.add(row, "id", "条目ID与部门、证照类型不符（导入不能更改条目的部门或证照类型）");
    } else if (dept && type) {
      const matter = cells.matterCode?.trim() || null;
      target =
        list === "ISSUANCE"
          ? entries.find((e) => e.deptId === dept.id && e.typeId === type.id)
          : entries.find((e) => e.deptId === dept.id && e.typeId === type.id && (e as UseEntryRow).matterCode === matter && e.status === "ACTIVE");
    }

    const base = { id: target?.id ?? null, rev: target?.rev ?? 0, deptId: dept?.id ?? PLACEHOLDER_ID, typeId: type?.id ?? PLACEHOLDER_ID, validFrom: normaliseDate(cells.validFrom), validTo: normaliseDate(cells.validTo) };
    let parsed;
    if (list === "ISSUANCE") {
      const matters = parseMatters(cells.matters);
      if (matters.error) rep.add(row, "matters", matters.error);
      parsed = issuanceEntrySchema.safeParse({
        ...base,
        legalBasis: cells.legalBasis,
        matters: matters.value,
        holderCategory: enumCell(rep, row, "holderCategory", HOLDER_CATEGORIES, cells.holderCategory, "持证主体类别"),
        aggregation: enumCell(rep, row, "aggregation", AGGREGATION_MODES, cells.aggregation, "汇聚方式"),
        publicity: yesNoCell(rep, row, "publicity", cells.publicity),
      });
    } else {
      const scenarios = splitList(cells.scenarios).map((s) => {
        const c = codeOf(USE_SCENARIOS, s);
        if (!c) rep.add(row, "scenarios", `「${s}」不是有效的使用场景（可填：${allowed(USE_SCENARIOS)}）`);
        return c ?? s;
      });
      parsed = useEntrySchema.safeParse({ ...base, matterCode: cells.matterCode, matterName: cells.matterName, scenarios, basis: enumCell(rep, row, "basis", USE_BASES, cells.basis, "用证依据") });
    }
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const first = String(issue.path[0] ?? "");
        rep.add(row, ENTRY_COLUMN[first] ?? first, `${issuePath(issue.path.slice(1))}${issue.message}`);
      }
      // zod runs the schema's cross-field rule only once every field is valid: report it now too
      if (DATE.test(base.validFrom) && DATE.test(base.validTo) && base.validTo < base.validFrom) rep.add(row, "validTo", "结束日期不能早于开始日期");
    }
    if (rep.has(row) || !parsed.success || !dept || !type) continue;
    const input = parsed.data;

    // the same entry twice, or two active entries for the same thing
    if (target) {
      if (targets.has(target.id)) {
        rep.add(row, "id", `与第 ${targets.get(target.id)} 行是同一条目`);
        continue;
      }
      targets.set(target.id, row);
    }
    const key = list === "ISSUANCE" ? `${dept.id}|${type.id}` : `${dept.id}|${type.id}|${(input as UseEntryInput).matterCode}`;
    if (list === "ISSUANCE" || status === "ACTIVE") {
      if (keys.has(key)) {
        rep.add(row, list === "ISSUANCE" ? "typeCode" : "matterCode", `与第 ${keys.get(key)} 行重复（同一部门、证照类型${list === "USE" ? "和事项" : ""}）`);
        continue;
      }
      keys.set(key, row);
    }

    const label = `${dept.name} · ${type.name}${list === "USE" && (input as UseEntryInput).matterName ? ` · ${(input as UseEntryInput).matterName}` : ""}`;
    const fieldsChanged = !target || canonicalJson(entryShown(list, target)) !== canonicalJson(inputShown(list, input));
    const op: PlanOp = !target ? "create" : fieldsChanged || target.status !== status ? "update" : "unchanged";
    if (op !== "unchanged") for (const [code, message] of deferred) rep.add(row, code, message);
    if (op !== "unchanged" && fieldsChanged && (!type.releasedVersion || type.retiredAt)) rep.add(row, "typeCode", "只有已发布的证照类型可以列入清单");
    if (rep.has(row)) continue;
    if (op === "create" && list === "USE" && status === "ACTIVE") {
      const dup = entries.find((e) => e.deptId === dept.id && e.typeId === type.id && (e as UseEntryRow).matterCode === ((input as UseEntryInput).matterCode || null) && e.status === "ACTIVE");
      if (dup) {
        rep.add(row, "matterCode", "用证清单中已有此证照类型和事项");
        continue;
      }
    }
    plan.push({ row, op, label, input, status, fieldsChanged });
  }
  return { plan, report: rep.items };
}

/** Reads and checks a workbook: the plan of the rows that passed, and the report of those that did not. */
export async function parseWorkbook(actor: Actor, kind: ImportKind, bytes: Uint8Array): Promise<{ plan: PlanRow[]; report: ReportItem[]; summary: Summary }> {
  const read = await readWorkbook(kind, bytes);
  if (read.report.length) return { plan: [], report: read.report, summary: summarise([], read.report, read.sheets[0].length) };
  const checked = kind === "TYPES" ? await checkTypes(actor, read.sheets) : await checkEntries(actor, kind, read.sheets);
  const report = checked.report.sort((a, b) => a.sheet.localeCompare(b.sheet) || a.row - b.row);
  return { plan: checked.plan, report, summary: summarise(checked.plan, report, read.sheets[0].length) };
}

function summarise(plan: PlanRow[], report: ReportItem[], total: number): Summary {
  const count = (op: PlanOp) => plan.filter((p) => p.op === op).length;
  return { total, create: count("create"), update: count("update"), unchanged: count("unchanged"), errorRows: new Set(report.map((r) => `${r.sheet}|${r.row}`)).size, errors: report.length };
}

// ---- dry run and commit ------------------------------------------------------------------------

export const dryRunSchema = z.object({
  kind: z.enum(IMPORT_KINDS, { message: "请选择导入内容" }),
  file: z
    .instanceof(File, { message: "请选择要导入的 XLSX 文件" })
    .refine((f) => f.size > 0, "请选择要导入的 XLSX 文件")
    .refine((f) => f.size <= IMPORT_MAX_BYTES, `文件不能超过 ${IMPORT_MAX_BYTES / 1048576} MB`),
});
export const confirmSchema = z.object({ importId: z.string().uuid() });

/** Checks the file and keeps the result (status DRY_RUN); nothing of the catalog or lists is written. */
export async function dryRunImport(actor: Actor, kind: ImportKind, file: { name: string; data: Uint8Array }) {
  requirePermission(actor, "catalog.manage");
  if (!looksLikeXlsx(file.data)) throw new AppError("INVALID_INPUT", "文件不是 XLSX 格式", { file: "文件内容不是 XLSX 工作簿（请另存为 .xlsx）" });
  const unzipped = declaredUnzippedSize(file.data);
  if (unzipped === null || unzipped > IMPORT_MAX_UNZIPPED) throw new AppError("INVALID_INPUT", "文件无法读取或内容过大", { file: "文件无法读取或解压后过大" });
  const { plan, report, summary } = await parseWorkbook(actor, kind, file.data);
  const name = file.name.replace(/[\\/\u0000-\u001f]/g, "_") || "import.xlsx";
  const row = await db().catalogImport.create({
    data: {
      kind,
      actorId: actor.userId,
      fileName: cut(name, 200),
      sm3: sm3Hex(file.data),
      rows: JSON.parse(JSON.stringify(plan)),
      report,
      errorCount: report.length,
      status: "DRY_RUN",
    },
  });
  return { importId: row.id, kind, summary };
}

export type ImportView = {
  id: string;
  kind: ImportKind;
  fileName: string;
  status: "DRY_RUN" | "COMMITTED";
  createdAt: string;
  committedAt: string | null;
  expired: boolean;
  summary: Summary;
  report: ReportItem[];
  plan: { row: number; op: PlanOp; label: string }[];
};

/** A dry run as its author sees it (another user's is "not found"). */
export async function importView(actor: Actor, id: string, now = new Date()): Promise<ImportView> {
  requirePermission(actor, "catalog.manage");
  const imp = z.string().uuid().safeParse(id).success ? await db().catalogImport.findUnique({ where: { id } }) : null;
  if (!imp || imp.actorId !== actor.userId) throw new AppError("NOT_FOUND", "导入记录不存在");
  const plan = imp.rows as unknown as PlanRow[];
  const report = imp.report as unknown as ReportItem[];
  const errorRows = new Set(report.map((r) => `${r.sheet}|${r.row}`));
  // every row that failed has an item on the first sheet (a type whose face fields failed too)
  const mainErrorRows = new Set(report.filter((r) => r.sheet === SHEETS[imp.kind as ImportKind][0].name && r.row > 1).map((r) => r.row));
  return {
    id: imp.id,
    kind: imp.kind as ImportKind,
    fileName: imp.fileName,
    status: imp.status as ImportView["status"],
    createdAt: imp.createdAt.toISOString(),
    committedAt: imp.committedAt?.toISOString() ?? null,
    expired: imp.status === "DRY_RUN" && now.getTime() - imp.createdAt.getTime() > DRY_RUN_TTL_MS,
    summary: { ...summarise(plan, report, plan.length + mainErrorRows.size), errorRows: errorRows.size },
    report,
    plan: plan.map((p) => ({ row: p.row, op: p.op, label: p.label })),
  };
}

/** The actor's latest imports, for the import page. */
export async function recentImports(actor: Actor) {
  requirePermission(actor, "catalog.manage");
  const rows = await db().catalogImport.findMany({
    where: { actorId: actor.userId },
    orderBy: [{ createdAt: "desc" }, { id: "asc" }],
    take: 10,
    select: { id: true, kind: true, fileName: true, status: true, errorCount: true, createdAt: true, committedAt: true },
  });
  return rows.map((r) => ({ ...r, kind: r.kind as ImportKind, createdAt: r.createdAt.toISOString(), committedAt: r.committedAt?.toISOString() ?? null }));
}

/**
 * Applies a dry run: every row of its plan in one transaction, each re-checked as the services
 * check it (scope, references, state, and that nothing changed since the dry run); the first
 * refusal rolls the whole import back and names its row.
 */
export async function commitImport(actor: Actor, importId: string, now = new Date()) {
  requirePermission(actor, "catalog.manage");
  const imp = await db().catalogImport.findUnique({ where: { id: importId } });
  if (!imp || imp.actorId !== actor.userId) throw new AppError("NOT_FOUND", "导入记录不存在");
  if (imp.status !== "DRY_RUN") throw new AppError("CONFLICT", "该文件已导入，不能重复导入");
  if (imp.errorCount > 0) throw new AppError("CONFLICT", "预检发现错误，不能导入；请修改文件后重新上传");
  if (now.getTime() - imp.createdAt.getTime() > DRY_RUN_TTL_MS) throw new AppError("CONFLICT", "预检结果已超过 1 小时，请重新上传文件预检");
  const kind = imp.kind as ImportKind;
  const plan = imp.rows as unknown as PlanRow[];
  return withTx(async (tx) => {
    const claimed = await tx.catalogImport.updateMany({ where: { id: imp.id, status: "DRY_RUN" }, data: { status: "COMMITTED", committedAt: now } });
    if (claimed.count !== 1) throw new AppError("CONFLICT", "该文件已导入，不能重复导入");
    const done = { created: 0, updated: 0, unchanged: 0 };
    for (const p of plan) {
      try {
        const op = kind === "TYPES" ? await applyType(tx, actor, p as TypePlan) : await applyEntry(tx, actor, kind, p as EntryPlan);
        done[op === "create" ? "created" : op === "update" ? "updated" : "unchanged"]++;
      } catch (e) {
        if (e instanceof AppError) throw new AppError(e.code, `第 ${p.row} 行：${e.userMessage}（本次导入未写入任何数据）`, e.fieldErrors);
        throw e;
      }
    }
    await appendAudit(tx, auditActorOf(actor), { action: "catalog.import", kind, rows: done.created + done.updated, fileSm3: imp.sm3 }, { type: "CatalogImport", id: imp.id });
    return done;
  });
}

const changedSince = () => new AppError("CONFLICT", "预检后该记录已被他人修改，请重新上传文件预检");

async function applyType(tx: Tx, actor: Actor, p: TypePlan): Promise<PlanOp> {
  if (p.op === "create") {
    await createTypeTx(tx, actor, typeCreateSchema.parse(p.create));
    return "create";
  }
  const input = typeUpdateSchema.parse(p.update);
  const t = await tx.licenceType.findUnique({ where: { id: input.typeId }, include: { ownerDept: { select: { id: true, path: true } } } });
  if (!t) throw new AppError("NOT_FOUND", "证照类型不存在或不在您的管辖范围内");
  requirePermission(actor, "catalog.manage", t.ownerDept);
  const latest = await tx.licenceTypeVersion.findUniqueOrThrow({ where: { typeId_number: { typeId: t.id, number: t.latestVersion } } });
  if (latest.number !== p.version || latest.rev !== input.rev) throw changedSince();
  if (p.op === "unchanged") return "unchanged";
  await saveDraftTx(tx, actor, input);
  return "update";
}

async function applyEntry(tx: Tx, actor: Actor, list: ListKind, p: EntryPlan): Promise<PlanOp> {
  const input = list === "ISSUANCE" ? issuanceEntrySchema.parse(p.input) : useEntrySchema.parse(p.input);
  if (p.op === "create") {
    const { id } = list === "ISSUANCE" ? await saveIssuanceEntryTx(tx, actor, input as IssuanceEntryInput) : await saveUseEntryTx(tx, actor, input as UseEntryInput);
    if (p.status === "DISABLED") await setEntryStatusTx(tx, actor, { list, ids: [id], status: "DISABLED" });
    return "create";
  }
  const e = list === "ISSUANCE" ? await tx.issuanceListEntry.findUnique({ where: { id: input.id! }, include: { dept: true } }) : await tx.useListEntry.findUnique({ where: { id: input.id! }, include: { dept: true } });
  if (!e) throw new AppError("NOT_FOUND", "清单条目不存在");
  requirePermission(actor, "catalog.manage", e.dept);
  if (e.rev !== input.rev) throw changedSince();
  if (p.op === "unchanged") return "unchanged";
  if (p.fieldsChanged) {
    if (list === "ISSUANCE") await saveIssuanceEntryTx(tx, actor, input as IssuanceEntryInput);
    else await saveUseEntryTx(tx, actor, input as UseEntryInput);
  }
  if (e.status !== p.status) await setEntryStatusTx(tx, actor, { list, ids: [e.id], status: p.status });
  return "update";
}

// ---- export data -------------------------------------------------------------------------------

export function mayExportTypes(actor: Actor): boolean {
  return TYPE_VIEW_PERMS.some((p) => hasPermission(actor, p));
}

const tooMany = (kind: ImportKind) => new AppError("INVALID_INPUT", `导出超过 ${EXPORT_MAX_ROWS[kind]} 条，请缩小查询范围后分批导出`);

/**
 * The types sheet rows: the types with these ids (each must be visible), or those the catalog page
 * shows for this filter (same visibility and the same meaning of q, category, state and dept).
 */
export async function typesForExport(actor: Actor, sel: { ids?: string[]; filter?: Partial<TypeFilter> }): Promise<SheetData> {
  if (!mayExportTypes(actor)) throw new AppError("FORBIDDEN", "您没有导出证照类型的权限");
  const f = sel.filter ?? {};
  let subtree: Set<string> | null = null;
  if (f.dept) {
    const d = await db().department.findUnique({ where: { id: f.dept }, select: { id: true, path: true } });
    if (!d || !TYPE_VIEW_PERMS.some((p) => can(actor, p, d))) throw new AppError("NOT_FOUND", "部门不存在或不在您的管辖范围内");
    subtree = new Set((await db().department.findMany({ where: { path: { startsWith: d.path } }, select: { id: true } })).map((x) => x.id));
  }
  const types = await db().licenceType.findMany({
    where: sel.ids ? { id: { in: sel.ids } } : {},
    include: { ownerDept: { select: { id: true, path: true, uscc: true, name: true } } },
    orderBy: [{ typeCode: "asc" }, { id: "asc" }],
    take: 20_000,
  });
  const visible = await visibleTypes(actor, types);
  if (sel.ids && (types.length !== new Set(sel.ids).size || types.some((t) => !visible.has(t.id)))) throw new AppError("NOT_FOUND", "证照类型不存在或不在您的管辖范围内");
  const q = f.q?.toLowerCase();
  const rows = types.flatMap((t) => {
    const seen = visible.get(t.id);
    if (!seen) return [];
    const v = seen.latest;
    if (q && ![t.name, v.name, t.typeCode].some((x) => x.toLowerCase().includes(q))) return [];
    if (f.category && v.category !== f.category) return [];
    if ((f.state === "DRAFT" || f.state === "UNDER_REVIEW") && (v.status !== f.state || t.retiredAt)) return [];
    if (f.state === "RELEASED" && (!t.releasedVersion || t.retiredAt)) return [];
    if (f.state === "RETIRED" && !t.retiredAt) return [];
    if (subtree && !subtree.has(t.ownerDeptId) && !v.issuingDeptIds.some((id) => subtree.has(id))) return [];
    return [{ t, v }];
  });
  if (rows.length > EXPORT_MAX_ROWS.TYPES) throw tooMany("TYPES");
  const deptIds = [...new Set(rows.flatMap(({ v }) => v.issuingDeptIds))];
  const sealIds = [...new Set(rows.flatMap(({ v }) => v.sealIds))];
  const [depts, seals] = await Promise.all([
    db().department.findMany({ where: { id: { in: deptIds } }, select: { id: true, uscc: true } }),
    db().seal.findMany({ where: { id: { in: sealIds } }, select: { id: true, esId: true } }),
  ]);
  const main: Rec[] = [];
  const faces: Rec[] = [];
  for (const { t, v } of rows) {
    const c = contentOf(v);
    main.push({
      typeCode: t.typeCode,
      name: c.name,
      ownerDept: t.ownerDept.uscc,
      ownerDeptName: t.ownerDept.name,
      definingAuthority: c.definingAuthority,
      definingAuthorityCode: c.definingAuthorityCode,
      category: labelOf(LICENCE_CATEGORIES, c.category),
      holderCategories: joinList(c.holderCategories.map((h) => labelOf(HOLDER_CATEGORIES, h))),
      holderCodeTypes: joinList(c.holderCodeTypes),
      validity: validityLabel(c.validity),
      legalBasis: c.legalBasis,
      matters: mattersText(c.matters),
      sharing: labelOf(SHARING_ATTRIBUTES, c.sharing),
      sharingConditions: c.sharingConditions,
      publicity: yesNo(c.publicity),
      issuingDepts: joinList(c.issuingDeptIds.map((id) => depts.find((d) => d.id === id)?.uscc ?? id)),
      seals: joinList(c.sealIds.map((id) => seals.find((s) => s.id === id)?.esId ?? id)),
      numberRule: c.numberRule,
      allowMultiple: yesNo(c.allowMultiple),
      faceLayout: labelOf(FACE_LAYOUTS, c.faceLayout),
      version: `第 ${v.number} 版`,
      state: VERSION_STATE_LABELS[v.status],
    });
    c.faceFields.forEach((f, i) =>
      faces.push({
        typeCode: t.typeCode,
        order: String(i + 1),
        key: f.key,
        label: f.label,
        type: FIELD_TYPE_LABELS[f.type],
        required: yesNo(f.required),
        sensitive: yesNo(f.sensitive),
        limits: limitsText(f),
        options: joinList(f.options ?? []),
      }),
    );
  }
  return { main, faces };
}

export type ListExportFilter = Omit<IssuanceListFilter & UseListFilter, "page" | "pageSize" | "sort" | "dir">;

/** The list sheet rows: by ids or by the list page's filter, within the viewer's scope. */
export async function entriesForExport(actor: Actor, list: ListKind, sel: { ids?: string[]; filter: ListExportFilter }): Promise<SheetData> {
  const where = list === "ISSUANCE" ? await issuanceWhere(actor, sel.filter) : await useWhere(actor, sel.filter);
  const scoped = sel.ids ? { AND: [where, { id: { in: sel.ids } }] } : where;
  const include = { dept: { select: { uscc: true, name: true } }, type: { select: { typeCode: true, name: true } } } as const;
  const orderBy = [{ dept: { name: "asc" as const } }, { type: { typeCode: "asc" as const } }, { id: "asc" as const }];
  const take = EXPORT_MAX_ROWS[list] + 1;
  type WithNames = { dept: { uscc: string; name: string }; type: { typeCode: string; name: string } };
  const rows: ((IssuanceEntryRow & WithNames) | (UseEntryRow & WithNames))[] =
    list === "ISSUANCE"
      ? await db().issuanceListEntry.findMany({ where: scoped as Prisma.IssuanceListEntryWhereInput, include, orderBy, take })
      : await db().useListEntry.findMany({ where: scoped as Prisma.UseListEntryWhereInput, include, orderBy, take });
  if (sel.ids && rows.length !== new Set(sel.ids).size) throw new AppError("NOT_FOUND", "清单条目不存在或不在您的管辖范围内");
  if (rows.length > EXPORT_MAX_ROWS[list]) throw tooMany(list);
  const status = (s: string) => labelOf(STATUS_LIST, s);
  const main = rows.map((e): Rec => {
    const common = { dept: e.dept.uscc, deptName: e.dept.name, typeCode: e.type.typeCode, typeName: e.type.name, validFrom: ymd(e.validFrom) ?? "", validTo: ymd(e.validTo) ?? "", status: status(e.status), id: e.id };
    if ("legalBasis" in e)
      return { ...common, legalBasis: e.legalBasis, matters: mattersText(e.matters as Matter[]), holderCategory: labelOf(HOLDER_CATEGORIES, e.holderCategory), aggregation: labelOf(AGGREGATION_MODES, e.aggregation), publicity: yesNo(e.publicity) };
    return { ...common, matterCode: e.matterCode ?? "", matterName: e.matterName ?? "", scenarios: joinList(e.scenarios.map((s) => labelOf(USE_SCENARIOS, s))), basis: labelOf(USE_BASES, e.basis) };
  });
  return { main };
}
