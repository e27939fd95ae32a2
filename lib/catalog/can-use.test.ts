import { describe, expect, it } from "vitest";
import { canUseFromEntries, type UseCheck, type UseListEntry } from "@/lib/catalog/can-use";

const T = "type-1";
const at = new Date("2026-03-05T10:00:00+08:00");
const entry = (over: Partial<UseListEntry> & { id: string }): UseListEntry => ({
  typeId: T,
  matterCode: "M001",
  scenarios: ["VIEW", "VERIFY"],
  basis: "FUNCTION",
  validFrom: new Date("2026-01-01T00:00:00+08:00"),
  validTo: new Date("2026-12-31T23:59:59.999+08:00"),
  status: "ACTIVE",
  ...over,
});
const q = (over: Partial<UseCheck> = {}): UseCheck => ({ typeId: T, matterCode: "M001", scenario: "VERIFY", at, ...over });

describe("canUseFromEntries (L-03)", () => {
  it("allows an active entry for the type, matter and scenario in force", () => {
    expect(canUseFromEntries([entry({ id: "e1" })], q())).toEqual({ allowed: true, reason: "用证清单允许", entryId: "e1" });
  });

  it("an entry without a matter covers every matter; an exact one is preferred", () => {
    const any = entry({ id: "any", matterCode: null });
    expect(canUseFromEntries([any], q({ matterCode: "M999" }))).toMatchObject({ allowed: true, entryId: "any" });
    expect(canUseFromEntries([any], q({ matterCode: null }))).toMatchObject({ allowed: true, entryId: "any" });
    expect(canUseFromEntries([any, entry({ id: "exact" })], q())).toMatchObject({ allowed: true, entryId: "exact" });
  });

  it("is inclusive at both ends and open-ended without validTo", () => {
    const e = entry({ id: "e1" });
    expect(canUseFromEntries([e], q({ at: e.validFrom })).allowed).toBe(true);
    expect(canUseFromEntries([e], q({ at: e.validTo! })).allowed).toBe(true);
    expect(canUseFromEntries([entry({ id: "open", validTo: null })], q({ at: new Date("2099-01-01T00:00:00Z") })).allowed).toBe(true);
  });

  it("refuses a type not on the list", () => {
    expect(canUseFromEntries([], q())).toEqual({ allowed: false, reason: "用证清单中没有该证照类型" });
    expect(canUseFromEntries([entry({ id: "e1", typeId: "other" })], q())).toEqual({ allowed: false, reason: "用证清单中没有该证照类型" });
  });

  it("refuses a matter not on the list", () => {
    expect(canUseFromEntries([entry({ id: "e1" })], q({ matterCode: "M002" }))).toEqual({ allowed: false, reason: "该事项不在用证清单中" });
    expect(canUseFromEntries([entry({ id: "e1" })], q({ matterCode: null }))).toEqual({ allowed: false, reason: "该事项不在用证清单中" });
  });

  it("refuses a scenario the entry does not name", () => {
    expect(canUseFromEntries([entry({ id: "e1" })], q({ scenario: "ANNOTATED_COPY" }))).toEqual({ allowed: false, reason: "用证清单未允许「加注件下载」场景" });
    expect(canUseFromEntries([entry({ id: "e1", scenarios: ["VIEW"] })], q())).toEqual({ allowed: false, reason: "用证清单未允许「核验」场景" });
  });

  it("refuses a disabled entry", () => {
    expect(canUseFromEntries([entry({ id: "e1", status: "DISABLED" })], q())).toEqual({ allowed: false, reason: "用证清单条目已停用", entryId: "e1" });
  });

  it("refuses an entry not yet in force or expired", () => {
    const e = entry({ id: "e1" });
    expect(canUseFromEntries([e], q({ at: new Date(e.validFrom.getTime() - 1) }))).toEqual({ allowed: false, reason: "用证清单条目尚未生效", entryId: "e1" });
    expect(canUseFromEntries([e], q({ at: new Date(e.validTo!.getTime() + 1) }))).toEqual({ allowed: false, reason: "用证清单条目已过期", entryId: "e1" });
  });

  it("one good entry among bad ones is enough", () => {
    const entries = [
      entry({ id: "disabled", status: "DISABLED" }),
      entry({ id: "expired", validTo: new Date("2025-12-31T23:59:59.999+08:00"), validFrom: new Date("2025-01-01T00:00:00+08:00") }),
      entry({ id: "other-scenario", scenarios: ["DATA"] }),
      entry({ id: "ok", matterCode: null }),
    ];
    expect(canUseFromEntries(entries, q())).toMatchObject({ allowed: true, entryId: "ok" });
  });
});
