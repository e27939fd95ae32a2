// Objection deadlines per region (O-02, O-03): defaults 1 and 5 working days, the province's row
// for every city, a city's own row, rev-checked changes, audit, validation and who may change
// what. Uses a province of its own (970000) so other tests' regions keep their defaults.
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import type { Actor } from "@/lib/auth/session";
import { DEFAULT_MARK_DAYS, DEFAULT_RESOLVE_DAYS, listObjectionSettings, objectionDays, regionOf, resetObjectionSetting, saveObjectionSetting } from "@/lib/objections/settings";
import { objectionSettingInput } from "@/lib/calendar/schema";
import { createDepartment, uniqueSuffix } from "@/tests/helpers/factory";
import { makeActor } from "@/tests/helpers/catalog";

const PROVINCE = "970000";
const CITY = "970100";
const OTHER_CITY = "970200";
let admin: Actor;
let cityAdmin: Actor;
let issuer: Actor;

async function code(p: Promise<unknown>) {
  const e = await p.then(() => null, (x: unknown) => x);
  return e instanceof AppError ? `${e.code}:${e.userMessage}` : String(e);
}
async function settingAudit(areaCode: string) {
  const rows = await db().auditEvent.findMany({ where: { action: "objection.setting", targetType: "ObjectionSetting", targetId: areaCode }, orderBy: { seq: "asc" } });
  return rows.map((r) => ({ actorId: r.actorId, ...(r.detail as Record<string, unknown>) }));
}
const save = (a: Actor, v: { areaCode: string; markDays: number; resolveDays: number; rev: number | null }) => saveObjectionSetting(a, objectionSettingInput.parse(v));

beforeAll(async () => {
  await db().objectionSetting.deleteMany({ where: { areaCode: { startsWith: "97" } } });
  const province = await createDepartment({ level: "PROVINCE", area: PROVINCE, parts: { isManagement: true }, name: `测试省大数据中心-${uniqueSuffix()}` });
  const city = await createDepartment({ parent: province, level: "CITY", area: CITY, name: `测试甲市人民政府-${uniqueSuffix()}` });
  await createDepartment({ parent: city, level: "COUNTY", area: "970104", name: `测试甲市乙区审批局-${uniqueSuffix()}` });
  await createDepartment({ parent: province, level: "CITY", area: OTHER_CITY, name: `测试丙市人民政府-${uniqueSuffix()}` });
  admin = await makeActor(province, [{ role: "SYSTEM_ADMIN", scope: "PROVINCE" }], "系统管理员");
  cityAdmin = await makeActor(city, [{ role: "SYSTEM_ADMIN", scope: "SUBTREE" }], "市系统管理员");
  issuer = await makeActor(city, [{ role: "ISSUER_OPERATOR", scope: "OWN" }], "发证员");
}, 60_000);

describe("the region rule", () => {
  it("O-06 a department's region is its city; a province-level department's is the province", () => {
    expect(regionOf("510104")).toBe("510100");
    expect(regionOf("510100")).toBe("510100");
    expect(regionOf("510000")).toBe("510000");
    expect(() => regionOf("51010")).toThrow(RangeError);
  });
});

describe("objection deadline settings (O-02, O-03)", () => {
  it("O-02 O-03 without any row the deadlines are 1 and 5 working days, named after the province", async () => {
    expect(await objectionDays(db(), "970104")).toEqual({ regionCode: PROVINCE, markDays: DEFAULT_MARK_DAYS, resolveDays: DEFAULT_RESOLVE_DAYS });
    expect(DEFAULT_MARK_DAYS).toBe(1);
    expect(DEFAULT_RESOLVE_DAYS).toBe(5);
    const rows = await listObjectionSettings(admin);
    expect(rows.find((r) => r.areaCode === PROVINCE)).toMatchObject({ province: true, source: "DEFAULT", markDays: 1, resolveDays: 5, rev: null, editable: true });
    expect(rows.find((r) => r.areaCode === CITY)).toMatchObject({ province: false, source: "DEFAULT", departments: 2, label: expect.stringMatching(/^测试甲市人民政府/) });
  });

  it("O-02 O-03 the province's row applies to every city; a city's own row overrides it; removing it restores the province's; each change audited", async () => {
    expect(await save(admin, { areaCode: PROVINCE, markDays: 2, resolveDays: 6, rev: null })).toEqual({ rev: 0 });
    expect(await objectionDays(db(), "970104")).toEqual({ regionCode: PROVINCE, markDays: 2, resolveDays: 6 });
    expect(await objectionDays(db(), PROVINCE)).toEqual({ regionCode: PROVINCE, markDays: 2, resolveDays: 6 });

    expect(await save(admin, { areaCode: CITY, markDays: 3, resolveDays: 8, rev: null })).toEqual({ rev: 0 });
    expect(await objectionDays(db(), "970104")).toEqual({ regionCode: CITY, markDays: 3, resolveDays: 8 });
    expect(await objectionDays(db(), "970201")).toEqual({ regionCode: PROVINCE, markDays: 2, resolveDays: 6 });
    expect(await save(admin, { areaCode: CITY, markDays: 1, resolveDays: 4, rev: 0 })).toEqual({ rev: 1 });
    expect(await objectionDays(db(), "970104")).toEqual({ regionCode: CITY, markDays: 1, resolveDays: 4 });

    const rows = await listObjectionSettings(admin);
    expect(rows.find((r) => r.areaCode === CITY)).toMatchObject({ source: "OWN", markDays: 1, resolveDays: 4, rev: 1, updatedBy: expect.stringContaining("系统管理员") });
    expect(rows.find((r) => r.areaCode === OTHER_CITY)).toMatchObject({ source: "PROVINCE", markDays: 2, resolveDays: 6, rev: null });
    // the province first, then its cities
    const ours = rows.filter((r) => r.areaCode.startsWith("97")).map((r) => r.areaCode);
    expect(ours).toEqual([PROVINCE, CITY, OTHER_CITY]);

    await resetObjectionSetting(admin, { areaCode: CITY, rev: 1 });
    expect(await objectionDays(db(), "970104")).toEqual({ regionCode: PROVINCE, markDays: 2, resolveDays: 6 });
    expect(await code(resetObjectionSetting(admin, { areaCode: PROVINCE, rev: 0 }))).toMatch(/^INVALID_INPUT:全省默认期限不能删除/);

    expect(await settingAudit(CITY)).toEqual([
      { actorId: admin.userId, action: "objection.setting", areaCode: CITY, markDays: 3, resolveDays: 8, change: "CREATE", previousMarkDays: null, previousResolveDays: null },
      { actorId: admin.userId, action: "objection.setting", areaCode: CITY, markDays: 1, resolveDays: 4, change: "UPDATE", previousMarkDays: 3, previousResolveDays: 8 },
      { actorId: admin.userId, action: "objection.setting", areaCode: CITY, markDays: 2, resolveDays: 6, change: "RESET", previousMarkDays: 1, previousResolveDays: 4 },
    ]);
    expect(await settingAudit(PROVINCE)).toHaveLength(1);
  });

  it("a change from a stale page is refused; two administrators saving at once give one winner", async () => {
    const cur = (await db().objectionSetting.findUniqueOrThrow({ where: { areaCode: PROVINCE } })).rev;
    expect(await code(save(admin, { areaCode: PROVINCE, markDays: 1, resolveDays: 5, rev: cur + 7 }))).toBe("CONFLICT:该区域的期限已被他人修改，请刷新后再修改");
    expect(await code(save(admin, { areaCode: PROVINCE, markDays: 1, resolveDays: 5, rev: null }))).toBe("CONFLICT:该区域的期限刚被他人设置，请刷新后再修改");

    const results = await Promise.allSettled([
      save(admin, { areaCode: PROVINCE, markDays: 1, resolveDays: 5, rev: cur }),
      save(admin, { areaCode: PROVINCE, markDays: 2, resolveDays: 10, rev: cur }),
      save(admin, { areaCode: PROVINCE, markDays: 3, resolveDays: 15, rev: cur }),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect(results.filter((r) => r.status === "rejected").every((r) => r.status === "rejected" && (r.reason as AppError).code === "CONFLICT")).toBe(true);
    const after = await db().objectionSetting.findUniqueOrThrow({ where: { areaCode: PROVINCE } });
    expect(after.rev).toBe(cur + 1);
    // the first concurrent creation of a city row: one winner as well
    const created = await Promise.allSettled([save(admin, { areaCode: OTHER_CITY, markDays: 1, resolveDays: 5, rev: null }), save(admin, { areaCode: OTHER_CITY, markDays: 2, resolveDays: 5, rev: null })]);
    expect(created.filter((r) => r.status === "fulfilled")).toHaveLength(1);
  });

  it("validates mark 1..30, resolve ≥ mark and ≤ 60, whole days, in Chinese next to the field; the database refuses the same", async () => {
    const err = (v: Record<string, unknown>) => {
      const r = objectionSettingInput.safeParse({ areaCode: PROVINCE, markDays: 1, resolveDays: 5, rev: null, ...v });
      return r.success ? null : Object.fromEntries(r.error.issues.map((i) => [i.path.join("."), i.message]));
    };
    expect(err({})).toBeNull();
    expect(err({ markDays: 0 })).toEqual({ markDays: "标注时限至少 1 个工作日" });
    expect(err({ markDays: 31, resolveDays: 40 })).toEqual({ markDays: "标注时限不能超过 30 个工作日" });
    expect(err({ markDays: 3, resolveDays: 2 })).toEqual({ resolveDays: "办结时限不能短于标注时限" });
    expect(err({ resolveDays: 61 })).toEqual({ resolveDays: "办结时限不能超过 60 个工作日" });
    expect(err({ markDays: 1.5 })).toEqual({ markDays: "标注时限应为整数个工作日" });
    expect(err({ markDays: Number.NaN })).toEqual({ markDays: "请填写标注时限（工作日数）" });
    expect(err({ areaCode: "97" })).toEqual({ areaCode: "请选择区域" });
    expect(err({ markDays: 30, resolveDays: 60 })).toBeNull();
    // a region without departments
    expect(await code(save(admin, { areaCode: "960100", markDays: 1, resolveDays: 5, rev: null }))).toBe("INVALID_INPUT:该区域没有部门，不能设置");
    // the CHECK constraint behind the schema
    await expect(db().objectionSetting.update({ where: { areaCode: PROVINCE }, data: { resolveDays: 0 } })).rejects.toThrow();
  });

  it("a city administrator changes only their own city; other roles may not even read the settings", async () => {
    const rows = await listObjectionSettings(cityAdmin);
    expect(rows.find((r) => r.areaCode === CITY)?.editable).toBe(true);
    expect(rows.find((r) => r.areaCode === PROVINCE)?.editable).toBe(false);
    expect(rows.find((r) => r.areaCode === OTHER_CITY)?.editable).toBe(false);
    expect(await save(cityAdmin, { areaCode: CITY, markDays: 2, resolveDays: 5, rev: null })).toEqual({ rev: 0 });
    expect(await code(save(cityAdmin, { areaCode: PROVINCE, markDays: 1, resolveDays: 5, rev: 0 }))).toBe("NOT_FOUND:全省默认期限不在您的管辖范围内，仅省级系统管理员可以修改");
    expect(await code(save(cityAdmin, { areaCode: OTHER_CITY, markDays: 1, resolveDays: 5, rev: 0 }))).toBe("NOT_FOUND:该市不在您的管辖范围内，只能修改本部门所在市的期限");

    expect(await code(listObjectionSettings(issuer))).toMatch(/^FORBIDDEN/);
    expect(await code(save(issuer, { areaCode: CITY, markDays: 5, resolveDays: 5, rev: 0 }))).toMatch(/^FORBIDDEN/);
    expect(await code(resetObjectionSetting(issuer, { areaCode: CITY, rev: 0 }))).toMatch(/^FORBIDDEN/);
    expect(await code(resetObjectionSetting(issuer, { areaCode: PROVINCE, rev: 0 }))).toMatch(/^FORBIDDEN/);
    expect(await code(resetObjectionSetting(cityAdmin, { areaCode: OTHER_CITY, rev: 0 }))).toMatch(/^NOT_FOUND/);
    expect(await objectionDays(db(), "970104")).toEqual({ regionCode: CITY, markDays: 2, resolveDays: 5 });
  });
});
