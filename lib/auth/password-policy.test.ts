import { describe, expect, it } from "vitest";
import { checkPasswordStrength, DEFAULT_PASSWORD_POLICY, passwordExpired } from "@/lib/auth/password-policy";
import { t } from "@/lib/i18n/zh-CN";

describe("checkPasswordStrength (等保 level-3 complexity)", () => {
  it("accepts a 10-character password with all four classes", () => {
    expect(checkPasswordStrength("Abcdefgh1!", "zhangsan")).toEqual([]);
  });

  it("defaults to at least 10 characters and the last 5 passwords", () => {
    expect(DEFAULT_PASSWORD_POLICY).toEqual({ minLength: 10, historyCount: 5 });
  });

  it("refuses fewer than 10 characters, with the length in the message", () => {
    expect(checkPasswordStrength("Abcdefg1!", "zhangsan")).toEqual([t.password.tooShort(10)]);
    expect(t.password.tooShort(10)).toContain("10");
  });

  it("uses the configured minimum length", () => {
    const policy = { minLength: 12, historyCount: 5 };
    expect(checkPasswordStrength("Abcdefgh1!x", "u", policy)).toEqual([t.password.tooShort(12)]);
    expect(checkPasswordStrength("Abcdefgh1!xy", "u", policy)).toEqual([]);
  });

  it("refuses more than 128 characters", () => {
    expect(checkPasswordStrength(`Aa1!${"x".repeat(124)}`, "u")).toEqual([]);
    expect(checkPasswordStrength(`Aa1!${"x".repeat(125)}`, "u")).toEqual([t.password.tooLong]);
  });

  it.each([
    ["lower + upper + digit", "Abcdefghi1"],
    ["lower + upper + symbol", "Abcdefghi!"],
    ["lower + digit + symbol", "abcdefgh1!"],
    ["upper + digit + symbol", "ABCDEFGH1!"],
    ["symbol is any non-alphanumeric, e.g. a space or Chinese", "abcdefgh1 中"],
  ])("accepts three of four classes: %s", (_label, pw) => {
    expect(checkPasswordStrength(pw, "zhangsan")).toEqual([]);
  });

  it.each([
    ["one class", "abcdefghijk"],
    ["lower + upper", "Abcdefghijk"],
    ["lower + digit", "abcdefghij1"],
    ["upper + symbol", "ABCDEFGHIJ!"],
    ["digit + symbol", "1234567890!"],
  ])("refuses fewer than three classes: %s", (_label, pw) => {
    expect(checkPasswordStrength(pw, "zhangsan")).toEqual([t.password.classes]);
  });

  it("refuses a password containing the user name, case-insensitively", () => {
    expect(checkPasswordStrength("Zhangsan@2026", "zhangsan")).toEqual([t.password.containsUsername]);
    expect(checkPasswordStrength("my-ZHANGSAN-1a", "zhangsan")).toEqual([t.password.containsUsername]);
    expect(checkPasswordStrength("xx@zhangsan2026A", "ZhangSan")).toEqual([t.password.containsUsername]);
    expect(checkPasswordStrength("Zhang-san@2026", "zhangsan")).toEqual([]);
  });

  it("does not treat an empty user name as contained in every password", () => {
    expect(checkPasswordStrength("Abcdefgh1!", "")).toEqual([]);
  });

  it("reports every problem at once", () => {
    expect(checkPasswordStrength("admin", "admin")).toEqual([
      t.password.tooShort(10),
      t.password.classes,
      t.password.containsUsername,
    ]);
  });
});

describe("passwordExpired", () => {
  const now = new Date("2026-06-01T00:00:00.000Z");
  const daysAgo = (d: number, extraMs = 0) => new Date(now.getTime() - d * 86_400_000 - extraMs);

  it("is not expired at exactly 90 days, expired just after", () => {
    expect(passwordExpired(daysAgo(90), 90, now)).toBe(false);
    expect(passwordExpired(daysAgo(90, 1), 90, now)).toBe(true);
    expect(passwordExpired(daysAgo(89), 90, now)).toBe(false);
    expect(passwordExpired(daysAgo(365), 90, now)).toBe(true);
  });

  it("follows the configured number of days", () => {
    expect(passwordExpired(daysAgo(31), 30, now)).toBe(true);
    expect(passwordExpired(daysAgo(31), 60, now)).toBe(false);
  });

  it("never expires when the expiry is 0 (switched off)", () => {
    expect(passwordExpired(daysAgo(10_000), 0, now)).toBe(false);
  });

  it("uses the current time by default", () => {
    expect(passwordExpired(new Date(Date.now() - 91 * 86_400_000), 90)).toBe(true);
    expect(passwordExpired(new Date(), 90)).toBe(false);
  });
});
