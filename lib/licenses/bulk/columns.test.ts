import { describe, expect, it } from "vitest";
import type { FaceFieldDef } from "@/lib/catalog/face-fields";
import { allHeaders, categoryCode, codeTypeCode, completionInstant, faceHeaders, faceValueOf, mapHeader, normaliseDate } from "@/lib/licenses/bulk/columns";

const f = (key: string, label: string, type: FaceFieldDef["type"], required = true): FaceFieldDef => ({ key, label, type, required, sensitive: false, ...(type === "ENUM" ? { options: ["甲", "乙"] } : {}) });
const fields = [f("name", "名称", "TEXT"), f("term", "有效期", "DATE_RANGE"), f("note", "备注", "TEXT", false)];

describe("bulk conversion columns (L-09)", () => {
  it("heads face columns with their labels, and disambiguates a label that repeats or equals a fixed column", () => {
    expect(faceHeaders(fields)).toEqual(["名称", "有效期", "备注"]);
    expect(faceHeaders([f("a", "证照编号", "TEXT"), f("b", "日期", "DATE"), f("c", "日期", "DATE")])).toEqual(["证照编号（a）", "日期（b）", "日期（c）"]);
  });

  it("finds columns by header text in any order, ignoring spaces, bracket widths and extra columns", () => {
    const header = ["备注", "说明", " 持证主体名称 ", "持证主体代码", "持证主体类别", "持证主体代码类型", "名称", "有效期"];
    const r = mapHeader(header, fields);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.map.fixed).toMatchObject({ name: 2, code: 3, category: 4, codeType: 5 });
    expect(r.map.fixed.number).toBeUndefined();
    expect(r.map.face.map((c) => c.index)).toEqual([6, 7, 0]);
    expect(mapHeader(allHeaders(fields), fields).ok).toBe(true);
  });

  it("refuses a header without a required column, with a duplicated column, or for a type with a required image", () => {
    expect(mapHeader(["持证主体类别", "持证主体代码类型", "持证主体代码", "名称", "有效期"], fields)).toEqual({ ok: false, error: expect.stringContaining("「持证主体名称」") });
    const dup = mapHeader([...allHeaders(fields), "名称"], fields);
    expect(dup.ok === false && dup.error).toMatch(/列重复：「名称」/);
    const img = mapHeader(allHeaders([f("photo", "照片", "IMAGE")]), [f("photo", "照片", "IMAGE")]);
    expect(img.ok === false && img.error).toMatch(/图片字段/);
  });

  it("reads categories, code types, dates, ranges and completion times as people write them", () => {
    expect(categoryCode("法人")).toBe("LEGAL_PERSON");
    expect(categoryCode("NATURAL_PERSON")).toBe("NATURAL_PERSON");
    expect(categoryCode("公司")).toBeNull();
    expect(codeTypeCode("统一社会信用代码")).toBe("001");
    expect(codeTypeCode("1")).toBe("001"); // Excel dropped the leading zeros
    expect(codeTypeCode("111")).toBe("111");
    expect(codeTypeCode("身份证")).toBeNull();
    expect(normaliseDate("2026/1/5")).toBe("2026-01-05");
    expect(normaliseDate("2026年1月5日")).toBe("2026-01-05");
    expect(normaliseDate("46027")).toBe("2026-01-05");
    expect(faceValueOf(fields[1], "2024-03-15 至 2029-03-14")).toEqual({ from: "2024-03-15", to: "2029-03-14" });
    expect(faceValueOf(fields[1], "2024/3/15~2029/3/14")).toEqual({ from: "2024-03-15", to: "2029-03-14" });
    expect(faceValueOf(fields[1], "2024-03-15")).toEqual({ from: "2024-03-15", to: "" });
    expect(faceValueOf(fields[0], "  ")).toBeUndefined();
    expect(completionInstant("2024-03-15 10:30")?.toISOString()).toBe("2024-03-15T02:30:00.000Z");
    expect(completionInstant("2024-03-15T10:30:15")?.toISOString()).toBe("2024-03-15T02:30:15.000Z");
    expect(completionInstant("2024/3/5")?.toISOString()).toBe("2024-03-04T16:00:00.000Z");
    expect(completionInstant("2024-02-30 10:00")).toBeNull();
    expect(completionInstant("2024-03-15 25:00")).toBeNull();
    expect(completionInstant("昨天")).toBeNull();
  });
});
