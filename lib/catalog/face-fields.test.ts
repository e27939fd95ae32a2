import { describe, expect, it } from "vitest";
import { isValidCitizenId, isValidUscc } from "@/lib/validation/codes";
import {
  displayValue,
  faceFieldDef,
  faceFieldList,
  faceSchema,
  FIELD_TYPES,
  maskValue,
  sampleFaceData,
  SAMPLE_CITIZEN_ID,
  SAMPLE_IMAGE_ID,
  SAMPLE_USCC,
  type FaceFieldDef,
  type FieldType,
} from "@/lib/catalog/face-fields";

const field = (type: FieldType, over: Partial<FaceFieldDef> = {}): FaceFieldDef =>
  faceFieldDef.parse({ key: "f", label: "字段", type, required: true, sensitive: false, ...(type === "ENUM" ? { options: ["甲", "乙"] } : {}), ...over });

/** path → message of every issue. */
function issues(r: { success: boolean; error?: { issues: { path: PropertyKey[]; message: string }[] } }): Record<string, string> {
  return Object.fromEntries((r.error?.issues ?? []).map((i) => [i.path.map(String).join("."), i.message]));
}

/** Parse one value of one field: the normalised value, or the message. */
function check(f: FaceFieldDef, value: unknown): { value?: unknown; error?: string } {
  const r = faceSchema([f]).safeParse({ [f.key]: value });
  if (r.success) return { value: r.data[f.key] };
  return { error: Object.values(issues(r)).join(" / ") };
}

describe("faceFieldDef", () => {
  it.each(FIELD_TYPES)("accepts a plain %s field", (type) => {
    expect(faceFieldDef.safeParse({ key: "f", label: "字段", type, required: false, sensitive: false, ...(type === "ENUM" ? { options: ["甲"] } : {}) }).success).toBe(true);
  });

  it.each([
    ["1abc", "字段键须以小写字母开头，只含字母、数字和下划线，不超过 40 位"],
    ["Name", "字段键须以小写字母开头，只含字母、数字和下划线，不超过 40 位"],
    ["_name", "字段键须以小写字母开头，只含字母、数字和下划线，不超过 40 位"],
    ["na-me", "字段键须以小写字母开头，只含字母、数字和下划线，不超过 40 位"],
    ["a".repeat(41), "字段键须以小写字母开头，只含字母、数字和下划线，不超过 40 位"],
    ["constructor", "该字段键为保留字，请换一个"],
  ])("refuses the key %j", (key, message) => {
    expect(issues(faceFieldDef.safeParse({ key, label: "字段", type: "TEXT", required: true, sensitive: false }))).toEqual({ key: message });
  });

  it("accepts keys such as holderName, a, and 40 characters", () => {
    for (const key of ["holderName", "a", "reg_no2", "a".repeat(40)]) expect(faceFieldDef.safeParse({ key, label: "x", type: "TEXT", required: true, sensitive: false }).success).toBe(true);
  });

  it("bounds the label", () => {
    const base = { key: "f", type: "TEXT", required: true, sensitive: false };
    expect(issues(faceFieldDef.safeParse({ ...base, label: "  " }))).toEqual({ label: "请填写字段名称" });
    expect(issues(faceFieldDef.safeParse({ ...base, label: "字".repeat(31) }))).toEqual({ label: "字段名称不超过 30 字" });
  });

  it.each([
    ["length on a number", { type: "NUMBER", maxLength: 5 }, { maxLength: "只有文本、地址字段可以设置长度" }],
    ["minLength > maxLength", { type: "TEXT", minLength: 10, maxLength: 5 }, { maxLength: "最大长度不能小于最小长度" }],
    ["maxLength above 2000", { type: "TEXT", maxLength: 2001 }, { maxLength: "长度不超过 2000" }],
    ["range on text", { type: "TEXT", min: 1 }, { min: "只有数字字段可以设置取值范围和小数位数" }],
    ["decimals on a date", { type: "DATE", decimals: 2 }, { decimals: "只有数字字段可以设置取值范围和小数位数" }],
    ["min > max", { type: "NUMBER", min: 10, max: 1 }, { max: "最大值不能小于最小值" }],
    ["no integer in range", { type: "NUMBER", min: 0.2, max: 0.8, decimals: 0 }, { max: "取值范围内没有符合小数位数的数值" }],
    ["7 decimals", { type: "NUMBER", decimals: 7 }, { decimals: "小数位数不超过 6" }],
    ["options on text", { type: "TEXT", options: ["a"] }, { options: "只有枚举字段可以设置选项" }],
    ["enum without options", { type: "ENUM" }, { options: "枚举字段须设置选项" }],
    ["enum with no option", { type: "ENUM", options: [] }, { options: "至少设置一个选项" }],
    ["empty option", { type: "ENUM", options: ["a", " "] }, { "options.1": "选项不能为空" }],
    ["duplicate option", { type: "ENUM", options: ["男", "女", " 男 "] }, { "options.2": "选项「男」重复" }],
    ["201 options", { type: "ENUM", options: Array.from({ length: 201 }, (_, i) => `o${i}`) }, { options: "选项不超过 200 个" }],
    ["date range on text", { type: "TEXT", minDate: "2020-01-01" }, { minDate: "只有日期字段可以设置日期范围" }],
    ["minDate > maxDate", { type: "DATE_RANGE", minDate: "2020-01-02", maxDate: "2020-01-01" }, { maxDate: "最晚日期不能早于最早日期" }],
    ["impossible date", { type: "DATE", minDate: "2023-02-29" }, { minDate: "日期须为有效的 YYYY-MM-DD" }],
  ])("refuses %s", (_what, over, expected) => {
    expect(issues(faceFieldDef.safeParse({ key: "f", label: "字段", required: true, sensitive: false, ...over }))).toEqual(expected);
  });
});

describe("faceFieldList", () => {
  const f = (key: string) => ({ key, label: key, type: "TEXT", required: true, sensitive: false });
  it("refuses duplicate keys at the later one", () => {
    expect(issues(faceFieldList.safeParse([f("name"), f("code"), f("name")]))).toEqual({ "2.key": "字段键重复" });
  });
  it("needs 1–60 fields", () => {
    expect(issues(faceFieldList.safeParse([]))).toEqual({ "": "至少定义一个照面字段" });
    expect(faceFieldList.safeParse(Array.from({ length: 60 }, (_, i) => f(`k${i}`))).success).toBe(true);
    expect(issues(faceFieldList.safeParse(Array.from({ length: 61 }, (_, i) => f(`k${i}`))))).toEqual({ "": "照面字段不超过 60 个" });
  });
});

describe("faceSchema: required and optional", () => {
  it.each(FIELD_TYPES)("%s: a required field refuses blank values, an optional one makes them undefined", (type) => {
    const req = field(type, { label: "某项" });
    const opt = field(type, { label: "某项", required: false });
    const blanks: unknown[] = [undefined, null, "", "   ", ...(type === "DATE_RANGE" ? [{ from: "", to: "" }, {}] : [])];
    for (const blank of blanks) {
      expect(check(req, blank).error).toMatch(/^请(填写|选择|上传)「某项」$/);
      expect(check(opt, blank)).toEqual({ value: undefined });
    }
    expect(issues(faceSchema([req]).safeParse({}))).toEqual({ f: check(req, undefined).error });
  });

  it("drops unknown keys", () => {
    expect(faceSchema([field("TEXT", { key: "name" })]).parse({ name: "张三", extra: "x" })).toEqual({ name: "张三" });
  });
});

describe("faceSchema: values of each type", () => {
  it("TEXT: trimmed, length in characters, no control characters", () => {
    const scope = field("TEXT", { label: "经营范围", maxLength: 500, minLength: 2 });
    expect(check(scope, "  软件开发  ")).toEqual({ value: "软件开发" });
    expect(check(scope, "多行\n文本")).toEqual({ value: "多行\n文本" });
    expect(check(scope, "字".repeat(500)).value).toHaveLength(500);
    expect(check(scope, "字".repeat(501))).toEqual({ error: "「经营范围」不能超过 500 字" });
    expect(check(scope, "字")).toEqual({ error: "「经营范围」不能少于 2 字" });
    expect(check(field("TEXT", { label: "姓名", maxLength: 2 }), "𠮷野")).toEqual({ value: "𠮷野" }); // a supplementary-plane character counts once
    expect(check(scope, "a\u0000b")).toEqual({ error: "「经营范围」含有不可见的控制字符" });
    expect(check(scope, 12)).toEqual({ error: "「经营范围」须为文本" });
    expect(check(field("TEXT"), "字".repeat(2001))).toEqual({ error: "「字段」不能超过 2000 字" });
  });

  it("ADDRESS: 200 characters by default", () => {
    const addr = field("ADDRESS", { label: "住所" });
    expect(check(addr, "字".repeat(200)).error).toBeUndefined();
    expect(check(addr, "字".repeat(201))).toEqual({ error: "「住所」不能超过 200 字" });
  });

  it("NUMBER: number or numeric string, range and decimals", () => {
    const capital = field("NUMBER", { label: "注册资本", min: 0, max: 100000, decimals: 2 });
    expect(check(capital, "100.5")).toEqual({ value: 100.5 });
    expect(check(capital, 100.25)).toEqual({ value: 100.25 });
    expect(check(capital, " 0 ")).toEqual({ value: 0 });
    expect(check(capital, "-0")).toEqual({ value: 0 });
    expect(check(capital, "100.123")).toEqual({ error: "「注册资本」最多 2 位小数" });
    expect(check(capital, "-1")).toEqual({ error: "「注册资本」不能小于 0" });
    expect(check(capital, 100001)).toEqual({ error: "「注册资本」不能大于 100000" });
    for (const bad of ["abc", "1e3", "1,000", "0x10", Number.NaN, Infinity, true, "1."]) expect(check(capital, bad)).toEqual({ error: "「注册资本」须为数字" });
    expect(check(field("NUMBER", { label: "人数", decimals: 0 }), "1.5")).toEqual({ error: "「人数」须为整数" });
    expect(check(field("NUMBER", { label: "人数" }), "1.123456789")).toEqual({ value: 1.123456789 });
    expect(check(field("NUMBER", { label: "人数" }), "9999999999999999")).toEqual({ error: "「人数」的数值过大" });
  });

  it("DATE: a real calendar date within min/max", () => {
    const issued = field("DATE", { label: "发证日期", minDate: "2000-01-01", maxDate: "2030-12-31" });
    expect(check(issued, "2024-02-29")).toEqual({ value: "2024-02-29" });
    expect(check(issued, "2023-02-29")).toEqual({ error: "「发证日期」须为有效日期（年-月-日）" });
    expect(check(issued, "2024-13-01")).toEqual({ error: "「发证日期」须为有效日期（年-月-日）" });
    expect(check(issued, "2024/01/01")).toEqual({ error: "「发证日期」须为有效日期（年-月-日）" });
    expect(check(issued, "1999-12-31")).toEqual({ error: "「发证日期」不能早于 2000年1月1日" });
    expect(check(issued, "2031-01-01")).toEqual({ error: "「发证日期」不能晚于 2030年12月31日" });
  });

  it("DATE_RANGE: both ends, from ≤ to, errors on the end concerned", () => {
    const term = field("DATE_RANGE", { label: "营业期限", minDate: "2000-01-01" });
    expect(check(term, { from: "2024-01-01", to: "2024-01-01" })).toEqual({ value: { from: "2024-01-01", to: "2024-01-01" } });
    expect(issues(faceSchema([term]).safeParse({ f: { from: "2025-01-01", to: "2024-12-31" } }))).toEqual({ "f.to": "「营业期限」的开始日期不能晚于结束日期" });
    expect(issues(faceSchema([term]).safeParse({ f: { from: "2025-01-01", to: "" } }))).toEqual({ "f.to": "请填写「营业期限」的结束日期" });
    expect(issues(faceSchema([term]).safeParse({ f: { from: "", to: "2025-01-01" } }))).toEqual({ "f.from": "请填写「营业期限」的开始日期" });
    expect(issues(faceSchema([term]).safeParse({ f: { from: "1999-01-01", to: "2025-01-01" } }))).toEqual({ "f.from": "「营业期限」的开始日期不能早于 2000年1月1日" });
    expect(issues(faceSchema([term]).safeParse({ f: { from: "2024-01-01", to: "2025-02-30" } }))).toEqual({ "f.to": "「营业期限」的结束日期须为有效日期（年-月-日）" });
    expect(check(term, "2024-01-01")).toEqual({ error: "「营业期限」须填写起止日期" });
  });

  it("ENUM: one of the options", () => {
    const sex = field("ENUM", { label: "性别", options: ["男", "女"] });
    expect(check(sex, "女")).toEqual({ value: "女" });
    expect(check(sex, "未知")).toEqual({ error: "「性别」须从选项中选择" });
    expect(check(sex, 1)).toEqual({ error: "「性别」须从选项中选择" });
  });

  it("CITIZEN_ID: GB 11643, upper-case X", () => {
    const id = field("CITIZEN_ID", { label: "身份证号" });
    expect(check(id, "11010519491231002x")).toEqual({ value: "11010519491231002X" });
    expect(check(id, SAMPLE_CITIZEN_ID)).toEqual({ value: SAMPLE_CITIZEN_ID });
    expect(check(id, "110105194912310021")).toEqual({ error: "「身份证号」的校验位不正确，请核对" });
    expect(check(id, "11010519491231002")).toEqual({ error: "「身份证号」须为 18 位公民身份号码（末位可为 X）" });
    expect(check(id, "110105194902300021")).toEqual({ error: "「身份证号」中的出生日期无效" });
    expect(check(id, "110105180001010021")).toEqual({ error: "「身份证号」中的出生日期无效" });
  });

  it("USCC: GB 32100", () => {
    const code = field("USCC", { label: "统一社会信用代码" });
    expect(check(code, "91350100m000100y43")).toEqual({ value: "91350100M000100Y43" });
    expect(check(code, "91350100M000100Y44")).toEqual({ error: "「统一社会信用代码」的校验位不正确，请核对" });
    expect(check(code, "91350100I000100Y43")).toEqual({ error: "「统一社会信用代码」须为 18 位统一社会信用代码（不含 I、O、S、V、Z）" });
  });

  it("PHONE: mainland mobile or landline", () => {
    const phone = field("PHONE", { label: "联系电话" });
    for (const ok of ["13812345678", "19912345678", "028-12345678", "02812345678", "0832-1234567"]) expect(check(phone, ok)).toEqual({ value: ok });
    expect(check(phone, "138 1234 5678")).toEqual({ value: "13812345678" });
    for (const bad of ["12812345678", "1381234567", "28-12345678", "+8613812345678", "028-123456"])
      expect(check(phone, bad)).toEqual({ error: "「联系电话」须为手机号码或固定电话（如 13812345678、028-12345678）" });
  });

  it("IMAGE: the id of an uploaded file", () => {
    const photo = field("IMAGE", { label: "照片" });
    expect(check(photo, "3F2504E0-4F89-41D3-9A0C-0305E82C3301")).toEqual({ value: "3f2504e0-4f89-41d3-9a0c-0305e82c3301" });
    expect(check(photo, "data:image/png;base64,iVBORw0KGgo=")).toEqual({ error: "「照片」须为已上传的图片" });
    expect(check(photo, "not-a-uuid")).toEqual({ error: "「照片」须为已上传的图片" });
  });

  it("reports every field at once", () => {
    const fields = [field("TEXT", { key: "name", label: "姓名" }), field("CITIZEN_ID", { key: "idNo", label: "身份证号" }), field("DATE", { key: "issued", label: "发证日期", required: false })];
    expect(issues(faceSchema(fields).safeParse({ name: "", idNo: "123", issued: "x" }))).toEqual({
      name: "请填写「姓名」",
      idNo: "「身份证号」须为 18 位公民身份号码（末位可为 X）",
      issued: "「发证日期」须为有效日期（年-月-日）",
    });
  });
});

describe("sampleFaceData", () => {
  const all = FIELD_TYPES.map((type, i) => field(type, { key: `k${i}` }));

  it("passes the generated schema unchanged, for every type", () => {
    const sample = sampleFaceData(all);
    expect(faceSchema(all).parse(sample)).toEqual(sample);
    expect(Object.keys(sample)).toHaveLength(FIELD_TYPES.length);
  });

  it("respects the limits of the definitions", () => {
    const fields = [
      field("TEXT", { key: "shortName", label: "简称", maxLength: 2 }),
      field("TEXT", { key: "longText", label: "说明", minLength: 100 }),
      field("NUMBER", { key: "big", min: 1000.5, decimals: 1 }),
      field("NUMBER", { key: "small", max: 0.333, decimals: 2 }),
      field("NUMBER", { key: "narrow", min: 0.1, max: 0.2 }),
      field("NUMBER", { key: "centi", min: 0.29, max: 0.29, decimals: 2 }),
      field("DATE", { key: "late", minDate: "2040-01-01" }),
      field("DATE", { key: "early", maxDate: "2000-01-01" }),
      field("DATE_RANGE", { key: "term", maxDate: "2026-01-01" }),
      field("DATE_RANGE", { key: "term2", minDate: "2031-01-01" }),
      field("ENUM", { key: "level", options: ["一级", "二级"] }),
      field("ADDRESS", { key: "addr", maxLength: 5 }),
    ];
    const sample = sampleFaceData(fields);
    expect(faceSchema(fields).parse(sample)).toEqual(sample);
    expect(sample).toMatchObject({ big: 1000.5, small: 0.33, narrow: 0.2, centi: 0.29, late: "2040-01-01", early: "2000-01-01", level: "一级", term2: { from: "2031-01-01", to: "2031-01-01" } });
  });

  it("gives realistic values by what the field is about", () => {
    const fields = [
      field("TEXT", { key: "name", label: "姓名" }),
      field("TEXT", { key: "entName", label: "企业名称" }),
      field("TEXT", { key: "scope", label: "经营范围" }),
      field("TEXT", { key: "legalRep", label: "法人代表" }),
      field("TEXT", { key: "x", label: "备注" }),
      field("ADDRESS", { key: "address", label: "住所" }),
      field("CITIZEN_ID", { key: "idNo", label: "身份证号" }),
      field("USCC", { key: "uscc", label: "统一社会信用代码" }),
      field("IMAGE", { key: "photo", label: "照片" }),
    ];
    const s = sampleFaceData(fields);
    expect(s).toMatchObject({ name: "张三", entName: "四川示例科技有限公司", legalRep: "李明", x: "示例备注", photo: SAMPLE_IMAGE_ID });
    expect(s.scope).toContain("软件开发");
    expect(s.address).toContain("成都市");
    expect(isValidCitizenId(s.idNo as string)).toBe(true);
    expect(isValidUscc(s.uscc as string)).toBe(true);
    expect(isValidUscc(SAMPLE_USCC)).toBe(true);
  });
});

describe("displayValue and maskValue", () => {
  const sens = (type: FieldType, over: Partial<FaceFieldDef> = {}) => field(type, { sensitive: true, ...over });

  it("formats non-sensitive values for display", () => {
    expect(displayValue(field("DATE"), "2024-03-05")).toBe("2024年3月5日");
    expect(displayValue(field("DATE_RANGE"), { from: "2024-03-05", to: "2029-03-04" })).toBe("2024年3月5日 至 2029年3月4日");
    expect(displayValue(field("NUMBER", { decimals: 2 }), 12.5)).toBe("12.50");
    expect(displayValue(field("NUMBER"), 12.5)).toBe("12.5");
    expect(displayValue(field("TEXT"), undefined)).toBe("");
    expect(displayValue(field("IMAGE"), SAMPLE_IMAGE_ID)).toBeNull();
    expect(maskValue(field("CITIZEN_ID"), SAMPLE_CITIZEN_ID)).toBe(SAMPLE_CITIZEN_ID);
    expect(maskValue(field("DATE"), "2024-03-05")).toBe("2024年3月5日");
  });

  it.each([
    ["CITIZEN_ID", "510104199003071237", "5101**********1237"],
    ["USCC", "91510100MA6CJ7Q58R", "9151**********Q58R"],
    ["PHONE", "13812345678", "138****5678"],
    ["PHONE", "028-12345678", "028-****5678"],
    ["PHONE", "02812345678", "028****5678"],
    ["TEXT", "张三", "张*"],
    ["TEXT", "欧阳娜娜", "欧***"],
    ["TEXT", "四川示例科技有限公司", "四***"],
    ["TEXT", "王", "*"],
    ["ADDRESS", "四川省成都市锦江区红星路三段1号", "四川省成都市锦江区****"],
    ["ADDRESS", "广西壮族自治区南宁市青秀区民族大道1号", "广西壮族自治区南宁市青秀区****"],
    ["ADDRESS", "四川省阿坝藏族羌族自治州汶川县威州镇1号", "四川省阿坝藏族羌族自治州汶川县****"],
    ["ADDRESS", "红星路三段1号院", "红星路三****"],
    ["DATE", "2024-03-05", "****-**-**"],
    ["DATE_RANGE", { from: "2024-03-05", to: "2029-03-04" }, "****-**-** 至 ****-**-**"],
    ["NUMBER", 123, "****"],
    ["ENUM", "甲", "****"],
  ] as [FieldType, unknown, string][])("masks a sensitive %s %j", (type, value, masked) => {
    expect(maskValue(sens(type), value)).toBe(masked);
  });

  it("never shows an image in masked output, and masks nothing into something", () => {
    expect(maskValue(sens("IMAGE"), SAMPLE_IMAGE_ID)).toBeNull();
    expect(maskValue(field("IMAGE"), SAMPLE_IMAGE_ID)).toBeNull();
    expect(maskValue(sens("TEXT"), "")).toBe("");
    expect(maskValue(sens("CITIZEN_ID"), undefined)).toBe("");
  });

  it("masks every sample value of every type", () => {
    const fields = FIELD_TYPES.map((type, i) => sens(type, { key: `k${i}` }));
    const sample = sampleFaceData(fields);
    for (const f of fields) {
      const masked = maskValue(f, sample[f.key]);
      if (f.type === "IMAGE") expect(masked).toBeNull();
      else expect(masked).toContain("*");
    }
  });
});

describe("faceSchema with absent keys", () => {
  it("treats an absent or null optional field as blank and an absent required one as missing", () => {
    const fields = faceFieldList.parse([
      { key: "name", label: "名称", type: "TEXT", required: true, sensitive: false },
      { key: "term", label: "营业期限", type: "DATE_RANGE", required: false, sensitive: false },
      { key: "capital", label: "注册资本", type: "NUMBER", required: false, sensitive: false },
    ]);
    expect(faceSchema(fields).parse({ name: "甲公司" })).toEqual({ name: "甲公司", term: undefined, capital: undefined });
    expect(faceSchema(fields).parse({ name: "甲公司", term: null })).toEqual({ name: "甲公司", term: undefined, capital: undefined });
    const r = faceSchema(fields).safeParse({});
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]).toMatchObject({ path: ["name"], message: "请填写「名称」" });
  });
});
