// Number fields refuse in Chinese words a user reads (ARCHITECTURE.md: a clear message next to the
// field), never zod's defaults ("无效输入：期望 int，实际接收 数字", "数值过大：期望 number <=64").
import { describe, expect, it } from "vitest";
import { policySchema } from "@/lib/users/schema";
import { sealProduceSchema } from "@/lib/seals/schema";

const good = { lockoutThreshold: 5, lockoutWindowMinutes: 15, lockoutMinutes: 30, ipThreshold: 30, idleTimeoutMinutes: 30, absoluteLifetimeHours: 12, passwordExpiryDays: 90, passwordMinLength: 12, passwordHistoryCount: 5 };
const messageOf = (r: { success: boolean; error?: { issues: { path: PropertyKey[]; message: string }[] } }, field: string) => r.error?.issues.find((i) => i.path[0] === field)?.message;

describe("number field messages", () => {
  it("the security policy: too large, a fraction, blank", () => {
    expect(policySchema.safeParse(good).success).toBe(true);
    expect(messageOf(policySchema.safeParse({ ...good, passwordMinLength: 200 }), "passwordMinLength")).toBe("不超过 64 位");
    expect(messageOf(policySchema.safeParse({ ...good, passwordHistoryCount: 5.5 }), "passwordHistoryCount")).toBe("请填写整数");
    expect(messageOf(policySchema.safeParse({ ...good, ipThreshold: Number.NaN }), "ipThreshold")).toBe("请填写整数");
    expect(messageOf(policySchema.safeParse({ ...good, lockoutWindowMinutes: 2 }), "lockoutWindowMinutes")).toBe("至少 5 分钟");
    expect(messageOf(policySchema.safeParse({ ...good, idleTimeoutMinutes: 60 }), "idleTimeoutMinutes")).toBe("等保三级要求不超过 30 分钟");
  });

  it("a seal's validity in years", () => {
    const seal = { sealId: "0b8f2a3c-1d4e-4f5a-8b6c-7d8e9f0a1b2c", protectionPassword: "" };
    expect(messageOf(sealProduceSchema.safeParse({ ...seal, validYears: 2.5 }), "validYears")).toBe("请填写 1 至 5 的整数年数");
    expect(messageOf(sealProduceSchema.safeParse({ ...seal, validYears: Number.NaN }), "validYears")).toBe("请填写 1 至 5 的整数年数");
    expect(messageOf(sealProduceSchema.safeParse({ ...seal, validYears: 6 }), "validYears")).toBe("不超过 5 年");
  });
});
