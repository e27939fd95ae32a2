// Reading an uploaded bulk-conversion file row by row (L-09), never all rows at once: CSV through
// csv-parse fed in slices (UTF-8, or GB18030 as Chinese Excel saves CSV), XLSX through ExcelJS's
// streaming reader (first worksheet only). Rows come out as text cells with their row number as a
// spreadsheet shows it (the header is normally row 1). The type is decided by the bytes, never by
// the file name.
import "server-only";
import { isUtf8 } from "node:buffer";
import { Readable } from "node:stream";
import ExcelJS from "exceljs";
import { parse as parseCsv } from "csv-parse";
import { AppError } from "@/lib/errors";

export type ImportFormat = "CSV" | "XLSX";
export type SourceRow = { n: number; cells: string[] };

export { IMPORT_MAX_BYTES, IMPORT_MAX_ROWS } from "@/lib/licenses/bulk/schema";
/** Declared size of everything inside an XLSX (a small ZIP can unpack to gigabytes). */
const XLSX_MAX_UNZIPPED = 600 * 1024 * 1024;
const SLICE = 256 * 1024;

function isZip(b: Uint8Array): boolean {
  return b.length > 4 && b[0] === 0x50 && b[1] === 0x4b && b[2] === 0x03 && b[3] === 0x04;
}

/** Sum of the sizes the ZIP's central directory declares, or null when it cannot be read. */
function declaredUnzippedSize(bytes: Uint8Array): number | null {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let i = b.length - 22; i >= Math.max(0, b.length - 22 - 65_535); i--) {
    if (b.readUInt32LE(i) !== 0x06054b50) continue;
    const count = b.readUInt16LE(i + 10);
    let p = b.readUInt32LE(i + 16);
    let total = 0;
    for (let n = 0; n < count; n++) {
      if (p + 46 > b.length || b.readUInt32LE(p) !== 0x02014b50) return null;
      const size = b.readUInt32LE(p + 24);
      if (size === 0xffffffff) return null;
      total += size;
      p += 46 + b.readUInt16LE(p + 28) + b.readUInt16LE(p + 30) + b.readUInt16LE(p + 32);
    }
    return total;
  }
  return null;
}

/**
 * XLSX when the bytes are a ZIP whose declared contents are not oversized; CSV when they are text
 * (no NUL byte in the first 64 KiB); else null.
 */
export function sniffFormat(bytes: Uint8Array): ImportFormat | null {
  if (isZip(bytes)) {
    const size = declaredUnzippedSize(bytes);
    return size !== null && size <= XLSX_MAX_UNZIPPED ? "XLSX" : null;
  }
  const head = bytes.subarray(0, 65_536);
  if (head.length === 0 || head.includes(0)) return null;
  return "CSV";
}

function* slices(bytes: Uint8Array): Generator<Buffer> {
  for (let i = 0; i < bytes.length; i += SLICE) yield Buffer.from(bytes.buffer, bytes.byteOffset + i, Math.min(SLICE, bytes.length - i));
}

function* decoded(bytes: Uint8Array): Generator<string> {
  // Excel on Chinese Windows saves "CSV" in GB18030 (GBK); UTF-8 files may start with a BOM.
  const decoder = new TextDecoder(isUtf8(bytes) ? "utf-8" : "gb18030");
  for (const s of slices(bytes)) yield decoder.decode(s, { stream: true });
  const rest = decoder.decode();
  if (rest) yield rest;
}

async function* csvRows(bytes: Uint8Array): AsyncGenerator<SourceRow> {
  const parser = Readable.from(decoded(bytes)).pipe(parseCsv({ bom: true, relax_column_count: true, relax_quotes: true, skip_empty_lines: false }));
  let n = 0;
  try {
    for await (const rec of parser as AsyncIterable<string[]>) {
      n++;
      yield { n, cells: rec };
    }
  } catch {
    throw new AppError("INVALID_INPUT", `CSV 文件第 ${n + 1} 行附近格式错误，无法读取（请检查引号是否成对）`, { file: "CSV 格式错误" });
  }
}

/** A cell's value as text: dates as YYYY-MM-DD (with the time when there is one), formulas by their result. */
export function cellText(v: unknown): string {
  if (v === null || v === undefined) return "";
  if (typeof v === "string") return v;
  if (typeof v === "number") return Number.isInteger(v) && Math.abs(v) >= 1e15 ? BigInt(v).toString() : String(v);
  if (typeof v === "boolean") return v ? "是" : "否";
  if (v instanceof Date) {
    // Excel has no time zone: ExcelJS gives the wall-clock time as UTC.
    const iso = v.toISOString();
    return iso.slice(11, 19) === "00:00:00" ? iso.slice(0, 10) : `${iso.slice(0, 10)} ${iso.slice(11, 19)}`;
  }
  if (typeof v === "object") {
    const o = v as { richText?: { text: string }[]; text?: unknown; result?: unknown; formula?: unknown; sharedFormula?: unknown; error?: unknown };
    if (Array.isArray(o.richText)) return o.richText.map((r) => r.text).join("");
    if ("result" in o || "formula" in o || "sharedFormula" in o) return cellText(o.result);
    if ("text" in o) return cellText(o.text);
  }
  return "";
}

async function* xlsxRows(bytes: Uint8Array): AsyncGenerator<SourceRow> {
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(Readable.from(slices(bytes)), { worksheets: "emit", sharedStrings: "cache", hyperlinks: "ignore", styles: "cache", entries: "emit" });
  try {
    for await (const sheet of reader) {
      for await (const row of sheet) {
        const values = row.values as unknown[];
        const cells: string[] = [];
        for (let i = 1; i < values.length; i++) cells.push(cellText(values[i]));
        yield { n: row.number, cells };
      }
      return; // the first worksheet holds the data
    }
  } catch (e) {
    if (e instanceof AppError) throw e;
    throw new AppError("INVALID_INPUT", "XLSX 文件无法读取，请上传按模板填写的 XLSX 文件", { file: "文件无法读取" });
  }
}

export function isBlankRow(cells: readonly string[]): boolean {
  return cells.every((c) => c.trim() === "");
}

/** Every row of the file in order, blank ones included (callers skip them). */
export function readRows(format: ImportFormat, bytes: Uint8Array): AsyncGenerator<SourceRow> {
  return format === "CSV" ? csvRows(bytes) : xlsxRows(bytes);
}

/** The header (first non-blank row) and an iterator over the data rows after it, blank rows skipped. */
export async function openSheet(format: ImportFormat, bytes: Uint8Array): Promise<{ header: SourceRow | null; rows: AsyncGenerator<SourceRow> }> {
  const it = readRows(format, bytes);
  let header: SourceRow | null = null;
  for (;;) {
    const r = await it.next();
    if (r.done) break;
    if (!isBlankRow(r.value.cells)) {
      header = r.value;
      break;
    }
  }
  async function* data(): AsyncGenerator<SourceRow> {
    if (!header) return;
    for (;;) {
      const r = await it.next();
      if (r.done) return;
      if (!isBlankRow(r.value.cells)) yield r.value;
    }
  }
  return { header, rows: data() };
}
