// The two workbooks of a bulk conversion (L-09): the import template of a type (the columns the
// importer reads, an example row, and a sheet that explains each column), and the report of the
// rows a dry run rejected, written as a stream while the rows are checked (one line per problem:
// row, column, reason, and the row's holder name, masked holder code and licence number).
import "server-only";
import { PassThrough } from "node:stream";
import ExcelJS from "exceljs";
import { HOLDER_CATEGORY_LABELS, HOLDER_CODE_TYPES } from "@/lib/catalog/dictionaries";
import { FIELD_TYPE_LABELS, sampleFaceData, SAMPLE_USCC, type FaceFieldDef } from "@/lib/catalog/face-fields";
import { shanghaiDate } from "@/lib/calendar/working-days";
import { FIXED_COLUMNS, faceHeaders } from "@/lib/licenses/bulk/columns";
import type { Problem, RowLabel } from "@/lib/licenses/bulk/rows";

export const REPORT_SHEET = "被拒绝的行";
export const REPORT_COLUMNS = ["行号", "列", "原因", "持证主体名称", "持证主体代码（脱敏）", "证照编号"] as const;
export const DATA_SHEET = "证照数据";

const TEXT_FORMAT = "@";

function faceSample(f: FaceFieldDef, v: unknown): string {
  if (v === undefined || v === null) return "";
  if (f.type === "IMAGE") return "";
  if (f.type === "DATE_RANGE" && typeof v === "object") {
    const r = v as { from: string; to: string };
    return `${r.from} 至 ${r.to}`;
  }
  return typeof v === "string" || typeof v === "number" ? String(v) : "";
}

function faceHint(f: FaceFieldDef): string {
  const parts = [`${FIELD_TYPE_LABELS[f.type]}${f.required ? "，必填" : "，可空"}`];
  if (f.type === "DATE") parts.push("格式 YYYY-MM-DD");
  if (f.type === "DATE_RANGE") parts.push("写作「YYYY-MM-DD 至 YYYY-MM-DD」");
  if (f.type === "ENUM") parts.push(`可选：${(f.options ?? []).join("、")}`);
  if (f.type === "NUMBER") {
    if (f.min !== undefined) parts.push(`最小 ${f.min}`);
    if (f.max !== undefined) parts.push(`最大 ${f.max}`);
    if (f.decimals !== undefined) parts.push(`最多 ${f.decimals} 位小数`);
  }
  if (f.maxLength !== undefined) parts.push(`不超过 ${f.maxLength} 字`);
  if (f.type === "IMAGE") parts.push("批量导入不能填写，请留空");
  return parts.join("；");
}

/** The import template of a type version: header, one example row, and the column notes. */
export async function templateWorkbook(t: { name: string; fields: readonly FaceFieldDef[]; matters: readonly { code: string; name: string }[] }, now = new Date()): Promise<Uint8Array> {
  const wb = new ExcelJS.Workbook();
  wb.creator = "certseal";
  const ws = wb.addWorksheet(DATA_SHEET, { views: [{ state: "frozen", ySplit: 1 }] });
  const heads = [...FIXED_COLUMNS.map((c) => c.title), ...faceHeaders(t.fields)];
  ws.columns = heads.map((h) => ({ header: h, width: Math.max(12, Math.min(40, h.length * 2 + 4)), style: { numFmt: TEXT_FORMAT } }));
  ws.getRow(1).font = { bold: true };
  const sample = sampleFaceData(t.fields);
  const local = new Date(now.getTime() + 8 * 3_600_000).toISOString();
  ws.addRow([
    HOLDER_CATEGORY_LABELS.LEGAL_PERSON,
    "统一社会信用代码",
    SAMPLE_USCC,
    "四川示例科技有限公司",
    "13812345678",
    "",
    t.matters[0]?.code ?? "",
    `${local.slice(0, 10)} ${local.slice(11, 16)}`,
    shanghaiDate(now),
    ...t.fields.map((f) => faceSample(f, sample[f.key])),
  ]);
  const notes = wb.addWorksheet("填写说明");
  notes.columns = [
    { header: "列", width: 26 },
    { header: "说明", width: 90 },
  ];
  notes.getRow(1).font = { bold: true };
  notes.addRow(["（总体）", `「${t.name}」存量证照导入：第一个工作表第 1 行为列名，每行一份证照；列的顺序不限。示例行请删除后再导入。每个文件最多 100,000 行。`]);
  for (const c of FIXED_COLUMNS) notes.addRow([c.title, `${c.required ? "必填" : "可空"}；${c.hint}`]);
  notes.addRow(["（代码类型）", HOLDER_CODE_TYPES.map((c) => `${c.code} ${c.label}`).join("；")]);
  faceHeaders(t.fields).forEach((h, i) => notes.addRow([h, faceHint(t.fields[i])]));
  return new Uint8Array(await wb.xlsx.writeBuffer());
}

/** Writes the rejected-rows report as the dry run finds them; `finish` gives the XLSX bytes. */
export class ReportWriter {
  private readonly out = new PassThrough();
  private readonly parts: Buffer[] = [];
  private readonly done: Promise<void>;
  private readonly wb: ExcelJS.stream.xlsx.WorkbookWriter;
  private readonly ws: ExcelJS.Worksheet;
  lines = 0;

  constructor() {
    this.out.on("data", (b: Buffer) => this.parts.push(b));
    this.done = new Promise((resolve, reject) => {
      this.out.on("end", resolve);
      this.out.on("error", reject);
    });
    this.wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: this.out, useStyles: false, useSharedStrings: false });
    this.ws = this.wb.addWorksheet(REPORT_SHEET);
    this.ws.columns = REPORT_COLUMNS.map((h, i) => ({ header: h, width: [8, 22, 60, 30, 24, 24][i] }));
  }

  add(n: number, label: RowLabel, problems: readonly Problem[]) {
    for (const p of problems) {
      this.ws.addRow([n, p.column, p.reason, label.name, label.codeMasked, label.number]).commit();
      this.lines++;
    }
  }

  async finish(): Promise<Uint8Array> {
    this.ws.commit();
    await this.wb.commit();
    await this.done;
    return new Uint8Array(Buffer.concat(this.parts));
  }
}
