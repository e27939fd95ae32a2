import { describe, expect, it } from "vitest";
import { holderCodeProblem, maskContact, maskHolderCode, maskPersonName, normaliseHolderCode } from "@/lib/licenses/holder-code";

describe("holder codes (P-02)", () => {
  it("validates USCC and citizen ID by their check characters", () => {
    expect(holderCodeProblem("001", "91510100MA6CJ7Q58R")).toBeNull();
    expect(holderCodeProblem("001", "91510100MA6CJ7Q58S")).toMatch(/统一社会信用代码不正确/);
    expect(holderCodeProblem("111", "510104199003071237")).toBeNull();
    expect(holderCodeProblem("111", "510104199003071238")).toMatch(/公民身份号码不正确/);
    expect(holderCodeProblem("111", " 510104 199003071237 ")).toBeNull();
  });

  it("refuses a code type the holder category cannot use and unknown types", () => {
    expect(holderCodeProblem("111", "510104199003071237", "LEGAL_PERSON")).toMatch(/不能用于/);
    expect(holderCodeProblem("123", "ABCDEF")).toMatch(/代码表/);
    expect(holderCodeProblem("414", "E12345678")).toBeNull();
    expect(holderCodeProblem("414", "E1")).toMatch(/4–40/);
  });

  it("masks codes, contacts and names", () => {
    expect(maskHolderCode("510104199003071237")).toBe("5101**********1237");
    expect(maskHolderCode("e12345678")).toBe("E*******8");
    expect(maskContact("13812345678")).toBe("138****5678");
    expect(maskPersonName("张三丰")).toBe("张**");
    expect(normaliseHolderCode(" 9151 0100ma6cj7q58r")).toBe("91510100MA6CJ7Q58R");
  });

  it("[O-01] masks a contact by its kind: a mobile as 138****1001, an e-mail address with its case and domain kept (ji****@example.com), anything else by the code rule", () => {
    expect(maskContact("13808281001")).toBe("138****1001");
    expect(maskContact("138 0828 1001")).toBe("138****1001");
    expect(maskContact("jing.wang@example.com")).toBe("ji****@example.com");
    expect(maskContact("Jing@Example.COM")).toBe("Ji****@Example.COM");
    expect(maskContact("ab@example.cn")).toBe("a****@example.cn");
    expect(maskContact("a@example.cn")).toBe("****@example.cn");
    expect(maskContact("first.last@mail.sc.gov.cn")).toBe("fi****@mail.sc.gov.cn");
    // the name never shows beyond its first 2 characters, whatever its length
    expect(maskContact("verylongname@example.com")).not.toContain("ry");
    expect(maskContact("028-86000001")).toBe("028-****0001");
  });
});
