import { describe, expect, it } from "vitest";
import { z } from "zod";
import {
  AGGREGATION_MODES,
  codesOf,
  FACE_LAYOUTS,
  HOLDER_CATEGORIES,
  HOLDER_CODE_TYPE_LABELS,
  HOLDER_CODE_TYPES,
  holderCodeType,
  holderCodeTypesFor,
  LICENCE_CATEGORIES,
  LICENCE_CATEGORY_LABELS,
  SHARING_ATTRIBUTES,
  USE_BASES,
  USE_SCENARIO_LABELS,
  USE_SCENARIOS,
  VERSION_STATE_LABELS,
  VERSION_STATES,
} from "@/lib/catalog/dictionaries";

const LISTS = { LICENCE_CATEGORIES, HOLDER_CATEGORIES, HOLDER_CODE_TYPES, SHARING_ATTRIBUTES, AGGREGATION_MODES, USE_SCENARIOS, USE_BASES, VERSION_STATES, FACE_LAYOUTS };

describe("catalog dictionaries", () => {
  it.each(Object.entries(LISTS))("%s has unique codes and labels", (_name, list) => {
    const codes = list.map((e) => e.code);
    const labels = list.map((e) => e.label);
    expect(new Set(codes).size).toBe(codes.length);
    expect(new Set(labels).size).toBe(labels.length);
    expect(labels.every((l) => l.length > 0)).toBe(true);
  });

  it("has the licence categories and the use-list scenarios of the measures", () => {
    expect(Object.values(LICENCE_CATEGORY_LABELS)).toEqual(["证件", "执照", "批文", "证明", "鉴定报告", "其他"]);
    expect(USE_SCENARIO_LABELS).toEqual({ VIEW: "视读", VERIFY: "核验", DATA: "信息获取", ANNOTATED_COPY: "加注件下载" });
    expect(VERSION_STATE_LABELS.RELEASED).toBe("已发布");
  });

  it("lists the GB/T 36903 holder code types", () => {
    expect(HOLDER_CODE_TYPES.map((t) => t.code)).toEqual(["001", "099", "111", "114", "115", "118", "119", "120", "122", "411", "412", "413", "414", "511", "516", "999"]);
    expect(HOLDER_CODE_TYPE_LABELS["111"]).toBe("公民身份号码");
    expect(holderCodeType("001")?.check).toBe("USCC");
    expect(holderCodeType("111")?.check).toBe("CITIZEN_ID");
    expect(holderCodeType("123")).toBeUndefined();
  });

  it("offers each holder category the documents that suit it", () => {
    const natural = holderCodeTypesFor("NATURAL_PERSON").map((t) => t.code);
    const legal = holderCodeTypesFor("LEGAL_PERSON").map((t) => t.code);
    expect(natural).toContain("111");
    expect(natural).toContain("414");
    expect(natural).toContain("001"); // individual businesses
    expect(legal).toEqual(["001", "099", "999"]);
    expect(holderCodeTypesFor("UNINCORPORATED").map((t) => t.code)).toEqual(["001", "099", "999"]);
  });

  it("codesOf feeds z.enum", () => {
    const scenario = z.enum(codesOf(USE_SCENARIOS));
    expect(scenario.parse("VERIFY")).toBe("VERIFY");
    expect(scenario.safeParse("PRINT").success).toBe(false);
  });
});
