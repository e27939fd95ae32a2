// The holiday schedule of a year as XLSX (O-04): one sheet 节假日安排 with the columns 日期, 星期,
// 类型 (节假日 / 调休上班), 名称, 来源; importing reads 日期, 类型 and 名称 by their header and ignores
// the rest, so an exported year imports back unchanged.
import "server-only";
import ExcelJS from "exceljs";
import { declaredUnzippedSize, looksLikeXlsx } from "@/lib/catalog/xlsx";
import { DAY_KIND_LABELS, type DayKind } from "@/lib/calendar/calendar";
import { dayOfWeek } from "@/lib/calendar/working-days";
import { PARSE_MAX_ENTRIES, type ImportProblem, type RawEntry } from "@/lib/calendar/import";
import { SOURCE_LABELS, WEEKDAY_LABELS } from "@/lib/calendar/labels";

export const SHEET = "节假日安排";
const MAX_UNZIPPED = 20 * 1024 * 1024;

export async function exportYearXlsx(year: number, days: { date: string; kind: DayKind; name: string; source: string }[], covered: boolean): Promise<Uint8Array> {
  const wb = new ExcelJS.Workbook();
  wb.creator = "certseal";
  const ws = wb.addWorksheet(SHEET, { views: [{ state: "frozen", ySplit: 1 }] });
  ws.columns = [
    { header: "日期", key: "date", width: 14, style: { numFmt: "@" } },
    { header: "星期", key: "dow", width: 10 },
    { header: "类型", key: "kind", width: 12 },
    { header: "名称", key: "name", width: 30 },
    { header: "来源", key: "source", width: 12 },
  ];
  ws.getRow(1).font = { bold: true };
  for (const d of days) ws.addRow({ date: d.date, dow: WEEKDAY_LABELS[dayOfWeek(d.date)], kind: DAY_KIND_LABELS[d.kind], name: d.name, source: SOURCE_LABELS[d.source] ?? d.source });
  const notes = wb.addWorksheet("说明");
  notes.columns = [{ header: `${year} 年节假日安排`, key: "a", width: 100 }];
  notes.getRow(1).font = { bold: true };
  for (const line of [
    covered ? "该年度已导入国务院节假日安排。" : "该年度未导入国务院节假日安排，按周一至周五计算工作日。",
    "类型可填「节假日」或「调休上班」；调休上班只能是周六或周日。未列出的日期按周一至周五上班、周六周日休息计算。",
    "导入时按表头读取「日期」「类型」「名称」三列，其余列（星期、来源）忽略；导入后该年度的安排以文件为准（文件中没有的日期将被删除）。",
  ])
    notes.addRow([line]);
  return new Uint8Array(await wb.xlsx.writeBuffer());
}

function cellText(v: ExcelJS.CellValue): string {
  if (v === null || v === undefined) return "";
  if (v instanceof Date) return v.toISOString().slice(0, 10); // exceljs gives date cells as UTC midnight
  if (typeof v === "number") {
    // a date typed into a cell formatted as a number: Excel's day count
    return Number.isInteger(v) && v > 20_000 && v < 80_000 ? new Date(Date.UTC(1899, 11, 30) + v * 86_400_000).toISOString().slice(0, 10) : String(v);
  }
  if (typeof v === "string") return v;
  if (typeof v === "boolean") return String(v);
  if ("richText" in v) return v.richText.map((r) => r.text).join("");
  if ("hyperlink" in v) return String(v.text);
  if ("result" in v || "formula" in v || "sharedFormula" in v) return v.result === undefined ? "" : cellText(v.result);
  return "";
}

const HEADERS = { date: ["日期", "date"], kind: ["类型", "kind"], name: ["名称", "name"] } as const;

/** The raw entries of a schedule workbook (sheet 节假日安排, else the first), or problems saying why not. */
export async function rawFromXlsx(bytes: Uint8Array): Promise<{ raw: RawEntry[]; problems: ImportProblem[] }> {
  if (!looksLikeXlsx(bytes)) return { raw: [], problems: [{ where: "文件", message: "文件内容不是 XLSX 工作簿" }] };
  const size = declaredUnzippedSize(bytes);
  if (size === null || size > MAX_UNZIPPED) return { raw: [], problems: [{ where: "文件", message: "文件无法读取或解压后过大" }] };
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(Buffer.from(bytes) as unknown as Parameters<typeof wb.xlsx.load>[0]);
  } catch {
    return { raw: [], problems: [{ where: "文件", message: "文件无法读取，请上传由本系统导出或按「日期、类型、名称」三列填写的 XLSX 文件" }] };
  }
  const ws = wb.getWorksheet(SHEET) ?? wb.worksheets[0];
  if (!ws) return { raw: [], problems: [{ where: "文件", message: "工作簿中没有工作表" }] };
  const cols: Partial<Record<keyof typeof HEADERS, number>> = {};
  ws.getRow(1).eachCell((cell, col) => {
    const h = cellText(cell.value).trim().replace(/[(（].*[)）]$/, "").trim().toLowerCase();
    for (const [key, names] of Object.entries(HEADERS) as [keyof typeof HEADERS, readonly string[]][]) if (names.includes(h) && cols[key] === undefined) cols[key] = col;
  });
  const missing = (Object.keys(HEADERS) as (keyof typeof HEADERS)[]).filter((k) => cols[k] === undefined);
  if (missing.length) return { raw: [], problems: [{ where: `工作表「${ws.name}」第 1 行`, message: `缺少列：${missing.map((k) => HEADERS[k][0]).join("、")}` }] };
  const raw: RawEntry[] = [];
  for (let r = 2; r <= ws.rowCount; r++) {
    const row = ws.getRow(r);
    const date = cellText(row.getCell(cols.date!).value);
    const kind = cellText(row.getCell(cols.kind!).value);
    const name = cellText(row.getCell(cols.name!).value);
    if (!date.trim() && !kind.trim() && !name.trim()) continue;
    if (raw.length >= PARSE_MAX_ENTRIES) return { raw: [], problems: [{ where: `工作表「${ws.name}」`, message: `记录过多，一个文件最多 ${PARSE_MAX_ENTRIES} 行` }] };
    raw.push({ where: `第 ${r} 行`, date, kind, name });
  }
  return { raw, problems: [] };
}
