import { describe, expect, it } from "vitest";
import { isValidTypeCode, typeCodeIssue, typeCodeParts, typeCodeSchema } from "@/lib/catalog/type-code";

// STANDARDS.md: the example and the type codes of the identifier vectors.
const VALID = ["11100000000013338W032", "11100000000013338W011", "11100000000013338W009", "11100000MB03271699022"];

describe("licence type code (USCC of the defining authority + 3 digits)", () => {
  it.each(VALID)("accepts %s", (code) => {
    expect(typeCodeIssue(code)).toBeNull();
    expect(isValidTypeCode(code)).toBe(true);
  });

  it("splits into the definer's code and the sequence", () => {
    expect(typeCodeParts("11100000000013338W032")).toEqual({ definerCode: "11100000000013338W", sequence: "032" });
  });

  it.each([
    ["wrong check character", "11100000000013338X032", "前 18 位须为定义机构的统一社会信用代码（校验位应为 W）"],
    ["lower case", "11100000000013338w032", "证照类型代码中的字母须为大写"],
    ["too short", "11100000000013338W03", "证照类型代码须为 21 位（现为 20 位）"],
    ["too long", "11100000000013338W0321", "证照类型代码须为 21 位（现为 22 位）"],
    ["letters in the sequence", "11100000000013338W03A", "后 3 位须为数字序号"],
    ["letters outside the USCC alphabet", "11100000O00013338W032", "前 18 位须为定义机构的统一社会信用代码（只含数字和除 I、O、S、V、Z 外的大写字母）"],
  ])("refuses %s", (_what, code, reason) => {
    expect(typeCodeIssue(code)).toBe(reason);
    expect(isValidTypeCode(code)).toBe(false);
  });

  it("the schema trims and reports the reason", () => {
    expect(typeCodeSchema.parse(" 11100000000013338W032 ")).toBe("11100000000013338W032");
    expect(typeCodeSchema.safeParse("").error?.issues[0].message).toBe("请填写证照类型代码");
    expect(typeCodeSchema.safeParse(42).error?.issues[0].message).toBe("请填写证照类型代码");
    expect(typeCodeSchema.safeParse("11100000000013338W03A").error?.issues[0].message).toBe("后 3 位须为数字序号");
  });
});
