// O-04: reading a State Council schedule file (JSON like chinese-days, a plain JSON array, XLSX)
// and comparing it with a stored year.
import { describe, expect, it } from "vitest";
import ExcelJS from "exceljs";
import { checkEntries, diffYear, importNote, kindOf, normaliseYmd, rawFromJson, sniffScheduleFile, yearNoteShown } from "@/lib/calendar/import";
import { exportYearXlsx, rawFromXlsx } from "@/lib/calendar/xlsx";

const enc = (s: string) => new TextEncoder().encode(s);

describe("schedule files", () => {
  it("reads the chinese-days JSON shape, names in Chinese, other keys ignored", () => {
    const { raw, problems } = rawFromJson(
      JSON.stringify({
        holidays: { "2027-01-01": "元旦,New Year's Day,1", "2027-02-06": "Spring Festival,春节,4" },
        workdays: { "2027-02-20": "Spring Festival,春节,4" },
        inLieuDays: { "2027-02-08": "Spring Festival,春节,4" },
      }),
    );
    expect(problems).toEqual([]);
    const r = checkEntries(raw);
    expect(r.problems).toEqual([]);
    expect(r.entries).toEqual([
      { date: "2027-01-01", kind: "HOLIDAY", name: "元旦" },
      { date: "2027-02-06", kind: "HOLIDAY", name: "春节" },
      { date: "2027-02-20", kind: "WORKDAY", name: "春节" },
    ]);
  });

  it("reads a plain array with Chinese or English kinds and loose date spellings", () => {
    const { raw } = rawFromJson(
      JSON.stringify([
        { date: "2027/1/1", kind: "节假日", name: "元旦" },
        { date: "2027-02-20", kind: "调休上班", name: "春节调休" },
        { date: "2027年10月1日", kind: "HOLIDAY", name: "国庆节" },
        { date: "2027-10-09", kind: "班", name: "国庆节" },
      ]),
    );
    const r = checkEntries(raw);
    expect(r.problems).toEqual([]);
    expect(r.entries.map((e) => `${e.date}:${e.kind}`)).toEqual(["2027-01-01:HOLIDAY", "2027-02-20:WORKDAY", "2027-10-01:HOLIDAY", "2027-10-09:WORKDAY"]);
    expect(kindOf("holiday")).toBe("HOLIDAY");
    expect(normaliseYmd("2027.3.5")).toBe("2027-03-05");
  });

  it("reports every bad entry with where it is and why, in Chinese", () => {
    const { raw } = rawFromJson(
      JSON.stringify([
        { date: "2027-02-30", kind: "节假日", name: "不存在的日期" },
        { date: "2027-03-03", kind: "调休上班", name: "周三调休" }, // a Wednesday
        { date: "2027-03-06", kind: "请假", name: "未知类型" },
        { date: "2027-03-07", kind: "节假日", name: "" },
        { date: "2027-01-01", kind: "节假日", name: "元旦" },
        { date: "2027-01-01", kind: "节假日", name: "元旦重复" },
        "not an object",
      ]),
    );
    const r = checkEntries(raw);
    const by = (where: string) => r.problems.filter((p) => p.where === where).map((p) => p.message).join("；");
    expect(by("第 1 条")).toBe("日期不存在：2027-02-30");
    expect(by("第 2 条")).toMatch(/周六或周日/);
    expect(by("第 3 条")).toMatch(/请选择类型/);
    expect(by("第 4 条")).toMatch(/请填写名称/);
    expect(by("第 6 条")).toMatch(/重复/);
    expect(by("第 7 条")).not.toBe("");
    expect(r.entries.map((e) => e.date)).toEqual(["2027-01-01"]);
  });

  it("[O-04] names a well-formed but impossible date as not existing, and a malformed one by its format", () => {
    const r = checkEntries([
      { where: "第 1 条", date: "2027-02-30", kind: "节假日", name: "春节" },
      { where: "第 2 条", date: "2027/2/29", kind: "节假日", name: "春节" },
      { where: "第 3 条", date: "2027-13-01", kind: "节假日", name: "春节" },
      { where: "第 4 条", date: "27-1-1", kind: "节假日", name: "元旦" },
      { where: "第 5 条", date: "2028-02-29", kind: "节假日", name: "春节" },
    ]);
    expect(r.problems).toEqual([
      { where: "第 1 条", message: "日期不存在：2027-02-30" },
      { where: "第 2 条", message: "日期不存在：2027-02-29" },
      { where: "第 3 条", message: "日期不存在：2027-13-01" },
      { where: "第 4 条", message: "日期格式应为 YYYY-MM-DD" },
    ]);
    expect(r.entries.map((e) => e.date)).toEqual(["2028-02-29"]);
  });

  it("[O-04] an imported year's note names the file once, without repeating 导入 (the page shows 导入：文件「2027.json」); an older note reads the same", () => {
    expect(importNote("2027.json")).toBe("文件「2027.json」");
    expect(importNote(" 国务院办公厅关于2027年部分节假日安排的通知.xlsx ")).toBe("文件「国务院办公厅关于2027年部分节假日安排的通知.xlsx」");
    expect(importNote("a\u0000b\n.json")).toBe("文件「ab.json」");
    expect(importNote("x".repeat(300)).length).toBeLessThanOrEqual(200);
    expect(importNote("2027.json")).not.toContain("导入");
    expect(yearNoteShown("IMPORT", "导入 2027.json")).toBe("文件「2027.json」");
    expect(yearNoteShown("IMPORT", "文件「2027.json」")).toBe("文件「2027.json」");
    expect(yearNoteShown("MANUAL", "导入 纸质通知")).toBe("导入 纸质通知");
    expect(yearNoteShown("SEED", "chinese-days 1.5.0")).toBe("chinese-days 1.5.0");
    expect(yearNoteShown("IMPORT", null)).toBeNull();
  });

  it("refuses what is not a schedule", () => {
    expect(rawFromJson("{ not json").problems[0].message).toMatch(/JSON 格式有误/);
    expect(rawFromJson(JSON.stringify({ foo: 1 })).problems[0].message).toMatch(/无法识别/);
    expect(rawFromJson(JSON.stringify({ holidays: [1, 2] })).problems[0].message).toMatch(/对象/);
    expect(sniffScheduleFile(enc("\uFEFF  {\"holidays\":{}}"))).toBe("JSON");
    expect(sniffScheduleFile(enc("[]"))).toBe("JSON");
    expect(sniffScheduleFile(enc("%PDF-1.7"))).toBeNull();
    expect(sniffScheduleFile(new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0]))).toBe("XLSX");
  });

  it("an exported year reads back unchanged from XLSX (columns found by header; 星期 and 来源 ignored)", async () => {
    const days = [
      { date: "2027-01-01", kind: "HOLIDAY" as const, name: "元旦", source: "IMPORT" },
      { date: "2027-02-20", kind: "WORKDAY" as const, name: "春节", source: "MANUAL" },
    ];
    const bytes = await exportYearXlsx(2027, days, true);
    expect(sniffScheduleFile(bytes)).toBe("XLSX");
    const { raw, problems } = await rawFromXlsx(bytes);
    expect(problems).toEqual([]);
    expect(checkEntries(raw).entries).toEqual(days.map(({ date, kind, name }) => ({ date, kind, name })));
  });

  it("reads a hand-made XLSX with real date cells and reports a missing column", async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet("Sheet1");
    ws.addRow(["名称", "日期", "类型"]);
    ws.addRow(["国庆节", new Date(Date.UTC(2027, 9, 1)), "节假日"]);
    ws.addRow(["国庆节", "2027/10/9", "调休上班"]);
    ws.addRow([]);
    const { raw } = await rawFromXlsx(new Uint8Array(await wb.xlsx.writeBuffer()));
    expect(checkEntries(raw)).toEqual({ entries: [{ date: "2027-10-01", kind: "HOLIDAY", name: "国庆节" }, { date: "2027-10-09", kind: "WORKDAY", name: "国庆节" }], problems: [] });

    const bad = new ExcelJS.Workbook();
    bad.addWorksheet("x").addRow(["日期", "名称"]);
    const r = await rawFromXlsx(new Uint8Array(await bad.xlsx.writeBuffer()));
    expect(r.problems[0].message).toBe("缺少列：类型");
    expect((await rawFromXlsx(new Uint8Array([0x50, 0x4b, 0x03, 0x04, 1, 2, 3]))).problems[0].message).toMatch(/无法读取/);
  });
});

describe("diffYear", () => {
  it("lists added, changed and removed days and counts the unchanged", () => {
    const stored = [
      { date: "2027-01-01", kind: "HOLIDAY" as const, name: "元旦", source: "SEED" },
      { date: "2027-02-06", kind: "HOLIDAY" as const, name: "春节", source: "SEED" },
      { date: "2027-03-01", kind: "HOLIDAY" as const, name: "手工假日", source: "MANUAL" },
    ];
    const d = diffYear(stored, [
      { date: "2027-01-01", kind: "HOLIDAY", name: "元旦" },
      { date: "2027-02-06", kind: "HOLIDAY", name: "春节假期" },
      { date: "2027-02-20", kind: "WORKDAY", name: "春节" },
    ]);
    expect(d.unchanged).toBe(1);
    expect(d.added).toEqual([{ date: "2027-02-20", kind: "WORKDAY", name: "春节" }]);
    expect(d.changed).toEqual([{ date: "2027-02-06", from: { kind: "HOLIDAY", name: "春节", source: "SEED" }, to: { kind: "HOLIDAY", name: "春节假期" } }]);
    expect(d.removed.map((x) => x.date)).toEqual(["2027-03-01"]);
  });
});
