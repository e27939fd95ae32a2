import { describe, expect, it } from "vitest";
import { canonicalJson } from "@/lib/audit/canonical";
import { GENESIS_HASH, rowHash, type ChainRow } from "@/lib/audit/chain";
import { sm3Hex } from "@/lib/crypto/sm3";

describe("canonicalJson", () => {
  it("sorts keys at every level and leaves no white space", () => {
    const value = { b: 1, a: { d: 2, c: [3, { f: 1, e: 2 }] } };
    expect(canonicalJson(value)).toBe('{"a":{"c":[3,{"e":2,"f":1}],"d":2},"b":1}');
  });

  it("gives the same text whatever the key insertion order (PostgreSQL jsonb reorders keys)", () => {
    const one = { userId: "u", action: "role.grant", role: "X", scope: "OWN", nested: { z: 1, y: [1, 2] } };
    const two = { nested: { y: [1, 2], z: 1 }, scope: "OWN", role: "X", action: "role.grant", userId: "u" };
    expect(canonicalJson(one)).toBe(canonicalJson(two));
  });

  it("keeps array order", () => {
    expect(canonicalJson([3, 1, 2])).toBe("[3,1,2]");
    expect(canonicalJson([3, 1, 2])).not.toBe(canonicalJson([1, 2, 3]));
  });

  it("sorts by code unit, not locale", () => {
    expect(canonicalJson({ b: 1, B: 2, a: 3, 中: 4, _: 5 })).toBe('{"B":2,"_":5,"a":3,"b":1,"中":4}');
  });

  it("encodes dates as ISO-8601 UTC with milliseconds and bigints as decimal strings", () => {
    expect(canonicalJson({ t: new Date(Date.UTC(2026, 0, 2, 3, 4, 5, 6)) })).toBe('{"t":"2026-01-02T03:04:05.006Z"}');
    expect(canonicalJson({ n: 12345678901234567890n })).toBe('{"n":"12345678901234567890"}');
  });

  it("drops undefined properties and writes null for null", () => {
    expect(canonicalJson({ a: undefined, b: null })).toBe('{"b":null}');
    expect(canonicalJson(null)).toBe("null");
    expect(canonicalJson(undefined)).toBe("null");
  });

  it("escapes strings as JSON does", () => {
    expect(canonicalJson({ s: 'a"b\\c\n审计' })).toBe(JSON.stringify({ s: 'a"b\\c\n审计' }));
    expect(canonicalJson({ '"k': 1 })).toBe('{"\\"k":1}');
  });

  it("encodes scalars as JSON", () => {
    expect(canonicalJson(true)).toBe("true");
    expect(canonicalJson(1.5)).toBe("1.5");
    expect(canonicalJson("x")).toBe('"x"');
  });
});

describe("rowHash", () => {
  const row: ChainRow = {
    seq: 7n,
    time: new Date("2026-03-01T08:00:00.123Z"),
    actorId: "3f1c2a9e-6b7d-4c8e-9f00-112233445566",
    actorName: "赵系统(sysadmin)",
    actorRole: "系统管理员",
    actorDept: "四川省大数据中心",
    ip: "10.0.0.1",
    userAgent: "Mozilla/5.0",
    action: "user.create",
    targetType: "User",
    targetId: "a1b2",
    detail: { action: "user.create", username: "zhang", departmentId: "d1" },
    prevHash: "ab".repeat(32),
  };

  it("is SM3 over the previous hash, a newline and the canonical row with seq as a string", () => {
    const expected = sm3Hex(`${row.prevHash}\n${canonicalJson({ ...row, seq: "7" })}`);
    expect(rowHash(row)).toBe(expected);
    expect(rowHash(row)).toMatch(/^[0-9a-f]{64}$/);
  });

  it("starts the chain from 64 zeros", () => {
    expect(GENESIS_HASH).toBe("0".repeat(64));
  });

  it("does not depend on the key order inside detail", () => {
    const reordered = { ...row, detail: { departmentId: "d1", username: "zhang", action: "user.create" } };
    expect(rowHash(reordered)).toBe(rowHash(row));
  });

  const changes: [keyof ChainRow, unknown][] = [
    ["seq", 8n],
    ["time", new Date("2026-03-01T08:00:00.124Z")],
    ["actorId", null],
    ["actorName", "钱安全(secadmin)"],
    ["actorRole", "安全管理员"],
    ["actorDept", "四川省公安厅"],
    ["ip", "10.0.0.2"],
    ["ip", null],
    ["userAgent", "curl/8"],
    ["userAgent", null],
    ["action", "user.update"],
    ["targetType", "Department"],
    ["targetId", "a1b3"],
    ["targetId", null],
    ["detail", { action: "user.create", username: "zhang", departmentId: "d2" }],
    ["detail", { action: "user.create", username: "zhang", departmentId: "d1", extra: true }],
    ["prevHash", "ac".repeat(32)],
  ];

  it.each(changes)("changes when %s changes (to %o)", (field, value) => {
    expect(rowHash({ ...row, [field]: value })).not.toBe(rowHash(row));
  });

  it("covers every field of the row", () => {
    expect(new Set(changes.map(([f]) => f))).toEqual(new Set(Object.keys(row)));
  });

  it("keeps null and absent apart from the empty string", () => {
    expect(rowHash({ ...row, targetId: "" })).not.toBe(rowHash({ ...row, targetId: null }));
    expect(rowHash({ ...row, ip: "" })).not.toBe(rowHash({ ...row, ip: null }));
  });
});
