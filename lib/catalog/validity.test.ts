import { describe, expect, it } from "vitest";
import { shanghaiYmd, validityEnd, validityEndDate, validityLabel, validityRuleSchema, type ValidityRule } from "@/lib/catalog/validity";

/** Midday in Shanghai of a calendar date. */
const day = (s: string) => new Date(`${s}T12:00:00+08:00`);
const Y = (n: number): ValidityRule => ({ kind: "YEARS", n });
const M = (n: number): ValidityRule => ({ kind: "MONTHS", n });

describe("validity rule", () => {
  it("labels", () => {
    expect(validityLabel(Y(5))).toBe("5年");
    expect(validityLabel(M(6))).toBe("6个月");
    expect(validityLabel({ kind: "PERMANENT" })).toBe("长期");
  });

  it("schema bounds", () => {
    expect(validityRuleSchema.safeParse(Y(1)).success).toBe(true);
    expect(validityRuleSchema.safeParse(Y(100)).success).toBe(true);
    expect(validityRuleSchema.safeParse(M(1200)).success).toBe(true);
    expect(validityRuleSchema.safeParse({ kind: "PERMANENT" }).success).toBe(true);
    expect(validityRuleSchema.safeParse(Y(0)).error?.issues[0].message).toBe("年数至少为 1");
    expect(validityRuleSchema.safeParse(Y(101)).error?.issues[0].message).toBe("年数不超过 100");
    expect(validityRuleSchema.safeParse(M(1201)).error?.issues[0].message).toBe("月数不超过 1200");
    expect(validityRuleSchema.safeParse(Y(2.5)).error?.issues[0].message).toBe("年数须为整数");
    expect(validityRuleSchema.safeParse({ kind: "DAYS", n: 3 }).error?.issues[0].message).toBe("请选择有效期限");
  });
});

describe("validity end (day before the same date later, Civil Code Art.203 at month ends)", () => {
  it.each([
    ["5 years", Y(5), "2024-03-15", "2029-03-14"],
    ["1 year from 1 January", Y(1), "2025-01-01", "2025-12-31"],
    ["6 months", M(6), "2025-03-15", "2025-09-14"],
    ["1 month from the 1st", M(1), "2025-02-01", "2025-02-28"],
    ["12 months across a year", M(12), "2025-11-30", "2026-11-29"],
    ["29 Feb + 1 year: no 29 Feb, month end", Y(1), "2024-02-29", "2025-02-28"],
    ["29 Feb + 4 years: 29 Feb exists", Y(4), "2024-02-29", "2028-02-28"],
    ["28 Feb + 1 year", Y(1), "2023-02-28", "2024-02-27"],
    ["1 Mar of a leap year + 1 year", Y(1), "2024-03-01", "2025-02-28"],
    ["1 Mar before a leap year + 1 year", Y(1), "2023-03-01", "2024-02-29"],
    ["31 Jan + 1 month (common year)", M(1), "2025-01-31", "2025-02-28"],
    ["31 Jan + 1 month (leap year)", M(1), "2024-01-31", "2024-02-29"],
    ["30 Jan + 1 month (leap year)", M(1), "2024-01-30", "2024-02-29"],
    ["29 Jan + 1 month (common year): no 29 Feb", M(1), "2025-01-29", "2025-02-28"],
    ["31 Mar + 1 month: no 31 Apr", M(1), "2025-03-31", "2025-04-30"],
    ["30 Apr + 1 month", M(1), "2025-04-30", "2025-05-29"],
    ["31 Aug + 3 months", M(3), "2025-08-31", "2025-11-30"],
    ["31 Dec + 1 month", M(1), "2025-12-31", "2026-01-30"],
    ["100 years", Y(100), "2025-06-01", "2125-05-31"],
  ])("%s", (_what, rule, start, end) => {
    expect(validityEndDate(rule, day(start))).toBe(end);
    expect(validityEnd(rule, day(start))?.toISOString()).toBe(new Date(`${end}T23:59:59.999+08:00`).toISOString());
  });

  it("permanent has no end", () => {
    expect(validityEnd({ kind: "PERMANENT" }, day("2025-01-01"))).toBeNull();
    expect(validityEndDate({ kind: "PERMANENT" }, day("2025-01-01"))).toBeNull();
  });

  it("takes the start's calendar date in Shanghai, not UTC", () => {
    // 2024-12-31T20:00Z is already 1 January 2025 in Shanghai.
    const start = new Date("2024-12-31T20:00:00Z");
    expect(shanghaiYmd(start)).toEqual({ y: 2025, m: 1, d: 1 });
    expect(validityEndDate(Y(1), start)).toBe("2025-12-31");
    expect(validityEnd(Y(1), start)?.toISOString()).toBe("2025-12-31T15:59:59.999Z");
    // 2025-01-01T00:30+08:00 is still 31 December 2024 in UTC.
    expect(validityEndDate(M(1), new Date("2025-01-01T00:30:00+08:00"))).toBe("2025-01-31");
  });
});
