import { describe, expect, it } from "vitest";
import ExcelJS from "exceljs";
import { cellText, openSheet, sniffFormat } from "@/lib/licenses/bulk/source";

async function collect(format: "CSV" | "XLSX", bytes: Uint8Array) {
  const { header, rows } = await openSheet(format, bytes);
  const out: { n: number; cells: string[] }[] = [];
  for await (const r of rows) out.push(r);
  return { header, rows: out };
}

describe("reading bulk-conversion files (L-09)", () => {
  it("decides CSV or XLSX by the bytes", async () => {
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet("a").addRow(["x"]);
    expect(sniffFormat(new Uint8Array(await wb.xlsx.writeBuffer()))).toBe("XLSX");
    expect(sniffFormat(new TextEncoder().encode("a,b\n1,2\n"))).toBe("CSV");
    expect(sniffFormat(new Uint8Array([0x25, 0x50, 0x44, 0x46, 0, 1, 2]))).toBeNull();
    expect(sniffFormat(new Uint8Array([0x50, 0x4b, 0x03, 0x04, 1, 2, 3]))).toBeNull(); // a ZIP without a readable directory
  });

  it("streams a UTF-8 CSV with a BOM, quoted fields and blank lines, numbering rows as a spreadsheet does", async () => {
    const csv = '\ufeff名称,说明\r\n\r\n甲,"含,逗号"\r\n乙,"多\n行"\r\n,\r\n丙,\r\n';
    const { header, rows } = await collect("CSV", new TextEncoder().encode(csv));
    expect(header).toEqual({ n: 1, cells: ["名称", "说明"] });
    expect(rows).toEqual([
      { n: 3, cells: ["甲", "含,逗号"] },
      { n: 4, cells: ["乙", "多\n行"] },
      { n: 6, cells: ["丙", ""] },
    ]);
  });

  it("reads a GBK (GB18030) CSV as Chinese Excel saves it", async () => {
    // "名称\r\n中文\r\n" in GBK: 名 C3FB 称 B3C6 中 D6D0 文 CEC4
    const gbk = new Uint8Array([0xc3, 0xfb, 0xb3, 0xc6, 0x0d, 0x0a, 0xd6, 0xd0, 0xce, 0xc4, 0x0d, 0x0a]);
    const { header, rows } = await collect("CSV", gbk);
    expect(header?.cells).toEqual(["名称"]);
    expect(rows).toEqual([{ n: 2, cells: ["中文"] }]);
  });

  it("streams the first worksheet of an XLSX with numbers, dates and rich text as text", async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet("证照数据");
    ws.addRow(["名称", "数", "日期", "时间"]);
    ws.addRow([]);
    ws.addRow([{ richText: [{ text: "富" }, { text: "文本" }] }, 120.5, new Date(Date.UTC(2024, 2, 15)), new Date(Date.UTC(2024, 2, 15, 10, 30))]);
    wb.addWorksheet("说明").addRow(["不读"]);
    const { header, rows } = await collect("XLSX", new Uint8Array(await wb.xlsx.writeBuffer()));
    expect(header?.cells).toEqual(["名称", "数", "日期", "时间"]);
    expect(rows).toEqual([{ n: 3, cells: ["富文本", "120.5", "2024-03-15", "2024-03-15 10:30:00"] }]);
  });

  it("writes cell values as text", () => {
    expect(cellText(null)).toBe("");
    expect(cellText(91510100123456789)).toBe("91510100123456784"); // what the double holds: precision already lost in Excel
    expect(cellText({ formula: "A1", result: 3 })).toBe("3");
    expect(cellText(true)).toBe("是");
  });
});
