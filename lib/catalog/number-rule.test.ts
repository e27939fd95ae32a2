import { describe, expect, it } from "vitest";
import { formatNumber, numberRuleSchema, parseNumberRule, previewNumberRule, NumberRuleError, type NumberContext } from "@/lib/catalog/number-rule";

const ctx: NumberContext = { area: "510100", date: new Date("2026-03-05T10:00:00+08:00"), seq: 1, typeCode: "11100000000013338W032", dept: "CD" };

describe("parseNumberRule", () => {
  it("splits placeholders and literal text", () => {
    const r = parseNumberRule("川食证字〔{year}〕第{seq:6}号");
    expect(r).toEqual({
      ok: true,
      maxLength: 18,
      tokens: [{ kind: "literal", text: "川食证字〔" }, { kind: "year" }, { kind: "literal", text: "〕第" }, { kind: "seq", width: 6 }, { kind: "literal", text: "号" }],
    });
  });

  it("counts {dept} at its longest", () => {
    const r = parseNumberRule("{dept}-{seq:6}");
    expect(r.ok && r.maxLength).toBe(8 + 1 + 6);
  });

  it.each([
    ["", "请填写编号规则"],
    ["{area}{year}", "编号规则须包含一个流水号 {seq:n}"],
    ["{seq:6}{seq:6}", "流水号 {seq:n} 只能出现一次"],
    ["{seq}", "流水号须写明位数，如 {seq:6}"],
    ["{seq:2}", "流水号位数须在 3–12 之间"],
    ["{seq:13}", "流水号位数须在 3–12 之间"],
    ["{day}{seq:6}", "未知的占位符「{day}」"],
    ["{Year}{seq:6}", "未知的占位符「{Year}」"],
    ["{toString}{seq:6}", "未知的占位符「{toString}」"],
    ["{area{seq:6}", "未知的占位符「{area{seq:6}」"],
    ["{seq:6", "占位符「{seq:6」缺少「}」"],
    ["A}{seq:6}", "编号规则中有多余的「}」"],
    ["A B{seq:6}", "编号规则含不允许的字符「 」（固定文字只能用字母、数字、汉字、- 和括号）"],
    ["A/{seq:6}", "编号规则含不允许的字符「/」（固定文字只能用字母、数字、汉字、- 和括号）"],
    ["{area}{area}{area}{area}{area}{seq:12}", "编号总长度不能超过 40 位（现为 42 位，{dept} 按 8 位计）"],
  ])("refuses %j", (pattern, error) => {
    expect(parseNumberRule(pattern)).toEqual({ ok: false, error });
  });

  it("accepts exactly 40 characters", () => {
    expect(parseNumberRule("{area}{area}{area}{area}{area}{seq:10}").ok).toBe(true);
  });
});

describe("formatNumber", () => {
  it.each([
    ["{area}{year}{seq:6}", "5101002026000001"],
    ["{year2}{month}{seq:4}", "26030001"],
    ["{type3}-{seq:5}", "032-00001"],
    ["{dept}{year}{seq:3}", "CD2026001"],
    ["川食证字〔{year}〕第{seq:6}号", "川食证字〔2026〕第000001号"],
    ["JY{area}{seq:8}", "JY51010000000001"],
  ])("%s → %s", (pattern, number) => {
    expect(formatNumber(pattern, ctx)).toBe(number);
  });

  it("takes year and month in Shanghai", () => {
    // 2025-12-31T17:00Z is 1 January 2026, 01:00 in Shanghai.
    expect(formatNumber("{year}{month}{seq:3}", { ...ctx, date: new Date("2025-12-31T17:00:00Z") })).toBe("202601001");
  });

  it("pads the sequence and refuses an overflow", () => {
    expect(formatNumber("{seq:3}", { ...ctx, seq: 999 })).toBe("999");
    expect(() => formatNumber("{seq:3}", { ...ctx, seq: 1000 })).toThrow("流水号 1000 超出 3 位，请调整编号规则");
    expect(() => formatNumber("{seq:3}", { ...ctx, seq: 0 })).toThrow("流水号须为正整数");
    expect(() => formatNumber("{seq:3}", { ...ctx, seq: 1.5 })).toThrow(NumberRuleError);
  });

  it("refuses a context the rule cannot use", () => {
    expect(() => formatNumber("{area}{seq:3}", { ...ctx, area: "51010" })).toThrow("属地编码须为 6 位行政区划代码");
    expect(() => formatNumber("{dept}{seq:3}", { ...ctx, dept: undefined })).toThrow("编号规则需要发证部门简码（1–8 位字母、数字或汉字）");
    expect(() => formatNumber("{dept}{seq:3}", { ...ctx, dept: "TOO-LONG-CODE" })).toThrow(NumberRuleError);
    expect(() => formatNumber("{type3}{seq:3}", { ...ctx, typeCode: "ABC" })).toThrow("证照类型代码的后 3 位须为数字");
    expect(() => formatNumber("{nope}{seq:3}", ctx)).toThrow("未知的占位符「{nope}」");
  });

  it("uses a parsed rule as given", () => {
    const r = parseNumberRule("{area}{seq:6}");
    if (!r.ok) throw new Error(r.error);
    expect(formatNumber(r.tokens, { ...ctx, seq: 42 })).toBe("510100000042");
  });
});

describe("previewNumberRule and numberRuleSchema", () => {
  it("shows an example", () => {
    expect(previewNumberRule("{area}{year}{seq:6}")).toEqual({ ok: true, example: "5101002026000001", text: "例：5101002026000001" });
    expect(previewNumberRule("{area}{year}{seq:6}", { area: "510700", seq: 12 })).toMatchObject({ text: "例：5107002026000012" });
    expect(previewNumberRule("{dept}{seq:3}")).toMatchObject({ example: "川001" });
  });

  it("returns the error of a bad rule", () => {
    expect(previewNumberRule("{area}")).toEqual({ ok: false, error: "编号规则须包含一个流水号 {seq:n}" });
    expect(previewNumberRule("{seq:3}", { seq: 5000 })).toEqual({ ok: false, error: "流水号 5000 超出 3 位，请调整编号规则" });
  });

  it("validates in zod", () => {
    expect(numberRuleSchema.parse(" {area}{seq:6} ")).toBe("{area}{seq:6}");
    expect(numberRuleSchema.safeParse("{area}").error?.issues[0].message).toBe("编号规则须包含一个流水号 {seq:n}");
    expect(numberRuleSchema.safeParse(undefined).error?.issues[0].message).toBe("请填写编号规则");
  });
});
