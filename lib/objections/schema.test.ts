// The objection forms' schemas and the deadline arithmetic every page shows (O-01, O-05): pure.
import { describe, expect, it } from "vitest";
import { contactKind, correctInput, deptObjectionInput, holderObjectionInput, lookupInput, objectionFilter, resolveInput } from "@/lib/objections/schema";

describe("objection schemas", () => {
  it("[O-01] needs 1 to 20 distinct fields, each with the expected value, and a description of at least 5 characters", () => {
    const id = "6f1c1c1e-8c7a-4c55-9d9b-0a4b4f0c2a11";
    expect(deptObjectionInput.safeParse({ licenceId: id, fields: [{ key: "address", expected: "新地址" }], description: "门牌号有误" }).success).toBe(true);
    const none = deptObjectionInput.safeParse({ licenceId: id, fields: [], description: "门牌号有误" });
    expect(none.error?.issues[0]).toMatchObject({ path: ["fields"], message: "请至少选择一个有异议的字段" });
    const many = deptObjectionInput.safeParse({ licenceId: id, fields: Array.from({ length: 21 }, (_, i) => ({ key: `f${i}`, expected: "x" })), description: "门牌号有误" });
    expect(many.error?.issues[0].message).toBe("一次最多对 20 个字段提出异议");
    const blank = deptObjectionInput.safeParse({ licenceId: id, fields: [{ key: "address", expected: "  " }], description: "有误" });
    expect(blank.error?.issues.map((i) => [i.path.join("."), i.message])).toEqual([
      ["fields.0.expected", "请填写您认为正确的内容"],
      ["description", "请说明哪里有误（至少 5 个字）"],
    ]);
  });

  it("[O-01] accepts a mobile number or an e-mail address as the holder's contact and tells which channel it is", () => {
    expect(contactKind("139 0000 1111")).toBe("SMS");
    expect(contactKind("wang@example.cn")).toBe("EMAIL");
    expect(contactKind("028-86000001")).toBeNull();
    const base = { identifier: "x", holderCode: "y", applicantName: "王小明", fields: [{ key: "format", expected: "餐饮" }], description: "经营业态有误" };
    expect(holderObjectionInput.safeParse({ ...base, contact: "12345" }).error?.issues[0]).toMatchObject({ path: ["contact"], message: "请填写正确的手机号码或电子邮箱" });
    expect(holderObjectionInput.safeParse({ ...base, contact: "13900001111" }).success).toBe(true);
  });

  it("normalises the lookup number and code (spaces, lower case) and refuses other shapes", () => {
    expect(lookupInput.parse({ number: " yy20261202 000001 ", lookupCode: "ab3d 5f7h" })).toEqual({ number: "YY20261202000001", lookupCode: "AB3D5F7H" });
    expect(lookupInput.safeParse({ number: "YY2026", lookupCode: "AB3D5F7H" }).success).toBe(false);
    // 0, O, 1 and I are not in the alphabet
    expect(lookupInput.safeParse({ number: "YY20261202000001", lookupCode: "AB3D5F70" }).success).toBe(false);
  });

  it("only resolves as UPHELD or REJECTED here (CORRECTED goes through the change) with a reason", () => {
    const id = "6f1c1c1e-8c7a-4c55-9d9b-0a4b4f0c2a11";
    expect(resolveInput.safeParse({ id, rev: 1, outcome: "CORRECTED", reason: "经核实已更正" }).success).toBe(false);
    expect(resolveInput.safeParse({ id, rev: 1, outcome: "REJECTED", reason: "不予" }).error?.issues[0].message).toBe("请填写办结理由（至少 5 个字）");
  });

  it("[O-03] the correction's note has its own messages, next to the field the form labels 更正说明", () => {
    const id = "6f1c1c1e-8c7a-4c55-9d9b-0a4b4f0c2a11";
    const issues = (reason: unknown) => correctInput.safeParse({ id, rev: 1, reason, face: {} }).error?.issues.map((i) => [i.path.join("."), i.message]);
    expect(issues("已更正")).toEqual([["reason", "请填写更正说明（至少 5 个字）"]]);
    expect(issues("改".repeat(2001))).toEqual([["reason", "更正说明不超过 2000 字"]]);
    expect(issues(undefined)).toEqual([["reason", "请填写更正说明"]]);
    expect(correctInput.safeParse({ id, rev: 1, reason: "经核实门牌号确为2号，已更正", face: {} }).success).toBe(true);
  });

  it("reads the queue's filter from the URL forgivingly: bad values are dropped, never an error", () => {
    expect(objectionFilter.parse({ status: "MARKED", overdue: "1", dueToday: "0", deptId: "nope", from: "2026-02-30", to: "2026-03-01", page: "x", pageSize: "7" })).toEqual({
      page: 1,
      pageSize: 20,
      status: "MARKED",
      overdue: "1",
      dueToday: undefined,
      deptId: undefined,
      stage: undefined,
      source: undefined,
      number: undefined,
      identifier: undefined,
      from: undefined,
      to: "2026-03-01",
    });
  });
});
