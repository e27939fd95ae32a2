// The text forms of the catalog workbook: what is written reads back the same (lists with
// separators inside items, matters, validity, face-field limits), headers are found by their code,
// and files that are not workbooks are reported rather than thrown.
import { describe, expect, it } from "vitest";
import ExcelJS from "exceljs";
import {
  declaredUnzippedSize,
  exportWorkbook,
  joinList,
  limitsText,
  looksLikeXlsx,
  mattersText,
  normaliseDate,
  parseLimits,
  parseMatters,
  parseValidity,
  parseYesNo,
  readWorkbook,
  splitList,
} from "@/lib/catalog/xlsx";

describe("lists in a cell", () => {
  it("joins with 「；」 and splits on 「；」 or 「;」, escaping separators inside items", () => {
    const items = ["批发", "零售；含网络", "a;b", "x|y", "back\\slash"];
    const text = joinList(items);
    expect(text).toBe("批发；零售\\；含网络；a\\;b；x\\|y；back\\\\slash");
    expect(splitList(text)).toEqual(items);
    expect(splitList(" 自然人 ; 法人；；")).toEqual(["自然人", "法人"]);
    expect(splitList("")).toEqual([]);
  });

  it("writes matters as 名称|编码 and reads them back", () => {
    const matters = [
      { name: "企业设立登记", code: "SC-SJ-0001" },
      { name: "变更|注销；备案", code: "SC.02" },
    ];
    expect(parseMatters(mattersText(matters))).toEqual({ value: matters });
    expect(parseMatters("企业设立登记｜SC-1")).toEqual({ value: [{ name: "企业设立登记", code: "SC-1" }] });
    expect(parseMatters("只有名称").error).toContain("事项名称|事项编码");
    expect(parseMatters("")).toEqual({ value: [] });
  });

  it("reads validity as 年 / 个月 / 长期", () => {
    expect(parseValidity("5年")).toEqual({ value: { kind: "YEARS", n: 5 } });
    expect(parseValidity("6 个月")).toEqual({ value: { kind: "MONTHS", n: 6 } });
    expect(parseValidity("18月")).toEqual({ value: { kind: "MONTHS", n: 18 } });
    expect(parseValidity("长期")).toEqual({ value: { kind: "PERMANENT" } });
    expect(parseValidity("五年").error).toBeDefined();
  });

  it("reads yes/no leniently (blank is no) and refuses anything else", () => {
    expect([parseYesNo("是"), parseYesNo("否"), parseYesNo(""), parseYesNo("TRUE"), parseYesNo("1")]).toEqual([true, false, false, true, true]);
    expect(parseYesNo("也许")).toBeNull();
  });

  it("writes face-field limits in Chinese and reads them (Chinese or code names)", () => {
    const f = { key: "area", label: "面积", type: "NUMBER" as const, required: false, sensitive: false, min: 0, max: 100000, decimals: 2 };
    expect(limitsText(f)).toBe("最小值=0；最大值=100000；小数位数=2");
    expect(parseLimits(limitsText(f))).toEqual({ value: { min: 0, max: 100000, decimals: 2 } });
    expect(parseLimits("maxLength=50；最早日期=2020/1/2")).toEqual({ value: { maxLength: 50, minDate: "2020-01-02" } });
    expect(parseLimits("最长=5").error).toContain("无法识别");
    expect(parseLimits("最小值=abc").error).toContain("须为数字");
  });
});

describe("workbooks", () => {
  const type = {
    typeCode: "51000000000000000X001",
    name: "测试许可证",
    ownerDept: "11510000000000000X",
    ownerDeptName: "测试厅",
    definingAuthority: "测试厅",
    definingAuthorityCode: "11510000000000000X",
    category: "证件",
    holderCategories: "法人；自然人",
    holderCodeTypes: "001；111",
    validity: "5年",
    legalBasis: "《条例》第一条；《办法》",
    matters: "核发|SC-1",
    sharing: "无条件共享",
    sharingConditions: "",
    publicity: "是",
    issuingDepts: "11510100000000000X",
    seals: "",
    numberRule: "{area}{year}{seq:6}",
    allowMultiple: "否",
    faceLayout: "竖版证书",
    version: "第 1 版",
    state: "草稿",
  };
  const face = { typeCode: type.typeCode, order: "1", key: "holderName", label: "名称", type: "文本", required: "是", sensitive: "否", limits: "最多字数=100", options: "" };

  it("reads back exactly the cells it wrote (all text, leading zeros kept)", async () => {
    const bytes = await exportWorkbook("TYPES", { main: [type], faces: [face] });
    expect(looksLikeXlsx(bytes)).toBe(true);
    expect(declaredUnzippedSize(bytes)).toBeGreaterThan(bytes.length);
    const read = await readWorkbook("TYPES", bytes);
    expect(read.report).toEqual([]);
    expect(read.sheets[0]).toEqual([{ row: 2, cells: type }]);
    expect(read.sheets[1]).toEqual([{ row: 2, cells: face }]);
  });

  it("finds columns by the code in the header, whatever their order; reports missing ones", async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet("用证清单");
    ws.addRow(["证照类型代码(typeCode)", "用证部门代码(dept)", "事项编码（matterCode）", "使用场景(scenarios)"]);
    ws.addRow(["51000000000000000X001", "11510100000000000X", "SC-1", "视读"]);
    const read = await readWorkbook("USE", new Uint8Array(await wb.xlsx.writeBuffer()));
    expect(read.report.map((r) => [r.sheet, r.row, r.message])).toEqual([
      ["用证清单", 1, "缺少列「事项名称(matterName)」"],
      ["用证清单", 1, "缺少列「用证依据(basis)」"],
      ["用证清单", 1, "缺少列「生效日期(validFrom)」"],
      ["用证清单", 1, "缺少列「失效日期(validTo)」"],
      ["用证清单", 1, "缺少列「状态(status)」"],
      ["用证清单", 1, "缺少列「条目ID（新增留空）(id)」"],
    ]);
  });

  it("reads dates, numbers and booleans typed into Excel as text", async () => {
    const bytes = await exportWorkbook("ISSUANCE", { main: [] });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(bytes) as unknown as Parameters<typeof wb.xlsx.load>[0]);
    const ws = wb.getWorksheet("发证清单")!;
    ws.getRow(2).values = ["11510100000000000X", "", "51000000000000000X001", "", "依据", "", "法人", "实时", true, new Date(Date.UTC(2026, 0, 5)), "", "启用", ""];
    ws.getRow(2).getCell(10).numFmt = "yyyy-mm-dd"; // as Excel formats a date typed into a cell
    const read = await readWorkbook("ISSUANCE", new Uint8Array(await wb.xlsx.writeBuffer()));
    expect(read.report).toEqual([]);
    expect(read.sheets[0][0].cells).toMatchObject({ publicity: "是", validFrom: "2026-01-05", status: "启用" });
    // a date left as a day number (cell formatted as a number) is read as the date it stands for
    expect([normaliseDate("46027"), normaliseDate("2026/1/5"), normaliseDate("2026年1月5日"), normaliseDate("明天")]).toEqual(["2026-01-05", "2026-01-05", "2026-01-05", "明天"]);
  });

  it("reports a file that is not a workbook, and a workbook without the sheet", async () => {
    const junk = new Uint8Array(Buffer.from("PK\u0003\u0004 not really a zip"));
    expect((await readWorkbook("TYPES", junk)).report[0].message).toContain("文件无法读取");
    expect(looksLikeXlsx(new Uint8Array(Buffer.from("%PDF-1.7")))).toBe(false);
    expect(declaredUnzippedSize(junk)).toBeNull();
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet("证照类型").addRow(["证照类型代码(typeCode)"]);
    const read = await readWorkbook("TYPES", new Uint8Array(await wb.xlsx.writeBuffer()));
    expect(read.report.some((r) => r.message === "缺少工作表「照面字段」")).toBe(true);
  });
});
