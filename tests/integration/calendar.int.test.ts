// The working-day calendar on the holiday table (O-04): the seed from chinese-days, the
// administrator's changes and their effect on the next deadline, the import preview and confirm,
// the audit rows, the cache across processes, and who may change it. Changes use years no other
// test looks at (2004 for the seed, 2041–2043 for changes) and are undone at the end.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import type { Actor } from "@/lib/auth/session";
import { addWorkingDays, calendar, invalidateCalendar, workingDaysBetween } from "@/lib/calendar";
import { seedHolidays } from "@/lib/calendar/seed";
import { sm3Hex } from "@/lib/crypto/sm3";
import { confirmImport, previewImport, removeDay, setDay, setYearCovered } from "@/lib/calendar/service";
import { calendarYearView, yearForExport } from "@/lib/calendar/queries";
import { exportYearXlsx } from "@/lib/calendar/xlsx";
import { packageSchedule } from "@/lib/calendar/package-data";
import { daySetInput } from "@/lib/calendar/schema";
import { createDepartment, uniqueSuffix } from "@/tests/helpers/factory";
import { makeActor } from "@/tests/helpers/catalog";

const sh = (s: string) => new Date(`${s}+08:00`);
const end = (ymd: string) => sh(`${ymd}T23:59:59.999`).toISOString();
const utc = (ymd: string) => new Date(`${ymd}T00:00:00Z`);
const TEST_YEARS = [2041, 2042, 2043];

let admin: Actor;
let cityAdmin: Actor;
let issuer: Actor;

async function row(date: string) {
  return db().holiday.findUnique({ where: { date: utc(date) } });
}
async function seen(date: string) {
  return (await row(date))?.updatedAt.toISOString() ?? null;
}
async function calendarAudit(since: bigint) {
  const rows = await db().auditEvent.findMany({ where: { action: "calendar.change", seq: { gt: since } }, orderBy: { seq: "asc" } });
  return rows.map((r) => ({ actorId: r.actorId, targetType: r.targetType, targetId: r.targetId, detail: r.detail as Record<string, unknown> }));
}
async function headSeq() {
  return (await db().auditEvent.findFirst({ orderBy: { seq: "desc" }, select: { seq: true } }))?.seq ?? 0n;
}
async function code(p: Promise<unknown>) {
  const e = await p.then(() => null, (x: unknown) => x);
  return e instanceof AppError ? `${e.code}:${e.userMessage}` : String(e);
}
async function wipeTestYears() {
  await db().holiday.deleteMany({ where: { date: { gte: utc("2041-01-01"), lte: utc("2043-12-31") } } });
  await db().calendarYear.deleteMany({ where: { year: { in: TEST_YEARS } } });
  invalidateCalendar();
}

beforeAll(async () => {
  await seedHolidays(db());
  await wipeTestYears();
  const province = await createDepartment({ level: "PROVINCE", parts: { isManagement: true }, name: `测试大数据中心-${uniqueSuffix()}` });
  const city = await createDepartment({ parent: province, level: "CITY", name: `成都市测试数据局-${uniqueSuffix()}` });
  admin = await makeActor(province, [{ role: "SYSTEM_ADMIN", scope: "PROVINCE" }], "系统管理员");
  cityAdmin = await makeActor(city, [{ role: "SYSTEM_ADMIN", scope: "SUBTREE" }], "市系统管理员");
  issuer = await makeActor(city, [{ role: "ISSUER_OPERATOR", scope: "OWN" }], "发证员");
}, 60_000);

afterAll(async () => {
  await wipeTestYears();
});

describe("seed from chinese-days (O-04)", () => {
  it("O-04 holds every holiday and adjusted working day of the package with its name, its years covered, and a second run writes nothing", async () => {
    const s = packageSchedule();
    const stored = await db().holiday.count({ where: { date: { gte: utc(`${s.years[0]}-01-01`), lte: utc(`${s.years.at(-1)}-12-31`) }, source: "SEED" } });
    expect(stored).toBe(s.days.length);
    expect(await row("2026-02-14")).toMatchObject({ kind: "WORKDAY", name: "春节", source: "SEED" });
    expect(await row("2026-10-01")).toMatchObject({ kind: "HOLIDAY", name: "国庆节", source: "SEED" });
    const years = await db().calendarYear.findMany({ where: { year: { in: s.years } } });
    expect(years.map((y) => y.year).sort()).toEqual(s.years);
    expect(years.every((y) => y.source === "SEED")).toBe(true);

    const before = await headSeq();
    expect(await seedHolidays(db())).toEqual({ years: [], days: 0 });
    expect(await calendarAudit(before)).toEqual([]);
    expect(await db().holiday.count({ where: { source: "SEED" } })).toBe(stored);
  });

  it("O-04 never overwrites or brings back what an administrator changed; a year without any data is seeded again, audited", async () => {
    const before = await headSeq();
    // 2004-10-01 (Friday, National Day) renamed by hand, 2004-10-02 removed by hand
    await setDay(admin, daySetInput.parse({ date: "2004-10-01", kind: "HOLIDAY", name: "国庆节（手工）", seen: await seen("2004-10-01") }));
    await removeDay(admin, { date: "2004-10-02", seen: (await seen("2004-10-02"))! });
    expect(await seedHolidays(db())).toEqual({ years: [], days: 0 });
    expect(await row("2004-10-01")).toMatchObject({ name: "国庆节（手工）", source: "MANUAL", updatedById: admin.userId });
    expect(await row("2004-10-02")).toBeNull();

    // the year emptied completely (as on a fresh database for a year the package adds) is seeded
    await db().holiday.deleteMany({ where: { date: { gte: utc("2004-01-01"), lte: utc("2004-12-31") } } });
    await db().calendarYear.delete({ where: { year: 2004 } });
    const expected = packageSchedule().days.filter((d) => d.date.startsWith("2004-")).length;
    expect(await seedHolidays(db())).toEqual({ years: [2004], days: expected });
    expect(await row("2004-10-01")).toMatchObject({ name: "国庆节", source: "SEED" });
    expect(await row("2004-10-02")).toMatchObject({ kind: "HOLIDAY", source: "SEED" });
    const audit = await calendarAudit(before);
    expect(audit.map((a) => a.detail.change)).toEqual(["SET", "REMOVE", "SEED"]);
    expect(audit[2]).toMatchObject({ actorId: null, detail: { dates: expected, years: "2004", yearCount: 1 } });
    expect(audit[0]).toMatchObject({ actorId: admin.userId, targetType: "Holiday", targetId: "2004-10-01", detail: { previousName: "国庆节", previousSource: "SEED", name: "国庆节（手工）" } });
  });
});

describe("deadlines follow the table (O-04)", () => {
  it("O-04 uses the seeded 2026 schedule: Spring Festival, National Day, an ordinary Tuesday", async () => {
    expect((await addWorkingDays(sh("2026-02-14T10:00:00"), 1)).due.toISOString()).toBe(end("2026-02-24"));
    expect(await addWorkingDays(sh("2026-02-14T10:00:00"), 5)).toEqual({ due: new Date(end("2026-02-28")), covered: true });
    expect((await addWorkingDays(sh("2026-09-30T18:00:00"), 5)).due.toISOString()).toBe(end("2026-10-13"));
    expect((await addWorkingDays(sh("2026-11-24T10:00:00"), 5)).due.toISOString()).toBe(end("2026-12-01"));
    expect(await workingDaysBetween(sh("2026-09-30T12:00:00"), sh("2026-10-09T12:00:00"))).toBe(2);
    // inside a transaction, with its connection
    const r = await db().$transaction(async (tx) => addWorkingDays(sh("2026-11-24T23:59:00"), 1, tx));
    expect(r.due.toISOString()).toBe(end("2026-11-25"));
  });

  it("O-04 a year without a schedule says covered=false; a manual holiday moves the next deadline; marking the year covered is audited", async () => {
    const before = await headSeq();
    const monday = sh("2041-03-04T10:00:00");
    expect(await addWorkingDays(monday, 1)).toEqual({ due: new Date(end("2041-03-05")), covered: false });

    await setDay(admin, daySetInput.parse({ date: "2041-03-05", kind: "HOLIDAY", name: "测试假日", seen: null }));
    expect((await addWorkingDays(monday, 1)).due.toISOString()).toBe(end("2041-03-06"));
    await setYearCovered(admin, { year: 2041, covered: true, note: "测试" });
    expect(await addWorkingDays(monday, 1)).toEqual({ due: new Date(end("2041-03-06")), covered: true });
    // an adjusted working Saturday counts
    await setDay(admin, daySetInput.parse({ date: "2041-03-09", kind: "WORKDAY", name: "测试调休", seen: null }));
    expect((await addWorkingDays(sh("2041-03-08T10:00:00"), 1)).due.toISOString()).toBe(end("2041-03-09"));

    await removeDay(admin, { date: "2041-03-05", seen: (await seen("2041-03-05"))! });
    expect((await addWorkingDays(monday, 1)).due.toISOString()).toBe(end("2041-03-05"));
    await setYearCovered(admin, { year: 2041, covered: false });
    expect((await addWorkingDays(monday, 1)).covered).toBe(false);

    const audit = await calendarAudit(before);
    expect(audit.map((a) => `${String(a.detail.change)}:${a.targetType}:${a.targetId}`)).toEqual([
      "SET:Holiday:2041-03-05",
      "YEAR:CalendarYear:2041",
      "SET:Holiday:2041-03-09",
      "REMOVE:Holiday:2041-03-05",
      "YEAR:CalendarYear:2041",
    ]);
    expect(audit.every((a) => a.actorId === admin.userId)).toBe(true);
    expect(audit[1].detail).toMatchObject({ year: 2041, covered: true, dates: 0 });
  });

  it("an editor working from a stale page gets a conflict, and two first settings of the same day give one winner", async () => {
    await setDay(admin, daySetInput.parse({ date: "2041-06-03", kind: "HOLIDAY", name: "甲", seen: null }));
    const stale = "2000-01-01T00:00:00.000Z";
    expect(await code(setDay(admin, daySetInput.parse({ date: "2041-06-03", kind: "HOLIDAY", name: "乙", seen: stale })))).toMatch(/^CONFLICT:该日期刚被他人修改/);
    expect(await code(setDay(admin, daySetInput.parse({ date: "2041-06-03", kind: "HOLIDAY", name: "乙", seen: null })))).toMatch(/^CONFLICT/);
    expect(await code(removeDay(admin, { date: "2041-06-03", seen: stale }))).toMatch(/^CONFLICT/);
    expect((await row("2041-06-03"))!.name).toBe("甲");

    const results = await Promise.allSettled(["丙", "丁"].map((name) => setDay(admin, daySetInput.parse({ date: "2041-06-04", kind: "HOLIDAY", name, seen: null }))));
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const lost = results.find((r) => r.status === "rejected") as PromiseRejectedResult;
    expect((lost.reason as AppError).code).toBe("CONFLICT");
  });

  it("the form's schema refuses an adjusted working day on a weekday and a missing name, in Chinese", () => {
    const r = daySetInput.safeParse({ date: "2041-06-05", kind: "WORKDAY", name: "", seen: null });
    expect(r.success).toBe(false);
    const messages = r.success ? [] : r.error.issues.map((i) => `${i.path.join(".")}:${i.message}`);
    expect(messages).toContain("kind:周一至周五本就是工作日，调休上班只能设在周六或周日");
    expect(messages.some((m) => m.startsWith("name:请填写名称"))).toBe(true);
    expect(daySetInput.safeParse({ date: "2041-02-30", kind: "HOLIDAY", name: "x", seen: null }).success).toBe(false);
  });

  it("another process's change is seen after at most 5 seconds (the cache compares a stamp of the tables)", async () => {
    const tuesday = sh("2041-09-03T10:00:00");
    expect((await calendar()).addWorkingDays(tuesday, 1).due.toISOString()).toBe(end("2041-09-04"));
    // written directly, as another replica would: this process was not told
    await db().holiday.create({ data: { date: utc("2041-09-04"), kind: "HOLIDAY", name: "别处修改", source: "MANUAL" } });
    expect((await calendar()).addWorkingDays(tuesday, 1).due.toISOString()).toBe(end("2041-09-04"));
    const now = Date.now();
    const spy = vi.spyOn(Date, "now").mockReturnValue(now + 5_100);
    try {
      expect((await calendar()).addWorkingDays(tuesday, 1).due.toISOString()).toBe(end("2041-09-05"));
    } finally {
      spy.mockRestore();
    }
  });
});

describe("import of a year's schedule (O-04)", () => {
  const file = (doc: unknown, name = "2042.json") => ({ name, data: new TextEncoder().encode(JSON.stringify(doc)) });

  it("O-04 the preview shows what would be added, changed and removed and writes nothing; confirming applies exactly that, audited", async () => {
    await setDay(admin, daySetInput.parse({ date: "2042-01-01", kind: "HOLIDAY", name: "元旦", seen: null }));
    await setDay(admin, daySetInput.parse({ date: "2042-01-24", kind: "HOLIDAY", name: "手工旧名", seen: null }));
    await setDay(admin, daySetInput.parse({ date: "2042-03-03", kind: "HOLIDAY", name: "将被删除", seen: null }));
    const doc = {
      holidays: { "2042-01-01": "New Year's Day,元旦,1", "2042-01-22": "Spring Festival,春节,4", "2042-01-23": "Spring Festival,春节,4", "2042-01-24": "Spring Festival,春节,4", "2043-01-01": "元旦,New Year's Day,1" },
      workdays: { "2042-01-25": "Spring Festival,春节,4", "2042-02-01": "Spring Festival,春节,4" },
    };
    const before = await headSeq();
    const p = await previewImport(admin, 2042, file(doc));
    expect(p.problems).toEqual([]);
    expect(p.format).toBe("JSON");
    expect(p.otherYears).toBe(1);
    expect(p.covered).toBe(false);
    expect(p.diff.unchanged).toBe(1);
    expect(p.diff.added.map((a) => `${a.date}:${a.kind}`)).toEqual(["2042-01-22:HOLIDAY", "2042-01-23:HOLIDAY", "2042-01-25:WORKDAY", "2042-02-01:WORKDAY"]);
    expect(p.diff.changed).toEqual([{ date: "2042-01-24", from: { kind: "HOLIDAY", name: "手工旧名", source: "MANUAL" }, to: { kind: "HOLIDAY", name: "春节" } }]);
    expect(p.diff.removed.map((r) => r.date)).toEqual(["2042-03-03"]);
    // nothing written by the preview
    expect(await row("2042-01-22")).toBeNull();
    expect(await row("2042-03-03")).not.toBeNull();
    expect(await calendarAudit(before)).toEqual([]);
    const tuesday = sh("2042-01-21T10:00:00");
    expect((await addWorkingDays(tuesday, 1)).due.toISOString()).toBe(end("2042-01-22"));

    // what the browser sends back is the preview's own: changed entries, another file's SM3 or a
    // forged proof are refused and change nothing (the audit's SM3 is the uploaded file's)
    const sent = { year: 2042, entries: p.entries, fingerprint: p.fingerprint, fileName: p.fileName, sm3: p.sm3, proof: p.proof };
    const forged = [
      { ...sent, entries: [...p.entries, { date: "2042-04-06", kind: "HOLIDAY" as const, name: "加塞" }] },
      { ...sent, entries: p.entries.map((e) => ({ ...e, name: `${e.name}改` })) },
      { ...sent, sm3: sm3Hex("another file") },
      { ...sent, fileName: "other.json" },
      { ...sent, proof: "0".repeat(64) },
    ];
    for (const f of forged) expect(await code(confirmImport(admin, f))).toBe("INVALID_INPUT:预览已过期或内容被改动，请重新上传预检");
    expect(await row("2042-01-22")).toBeNull();
    expect(await calendarAudit(before)).toEqual([]);
    expect(p.sm3).toBe(sm3Hex(file(doc).data));

    const r = await confirmImport(admin, sent);
    expect(r).toEqual({ added: 4, changed: 1, removed: 1 });
    expect(await row("2042-01-22")).toMatchObject({ kind: "HOLIDAY", name: "春节", source: "IMPORT", updatedById: admin.userId });
    expect(await row("2042-01-01")).toMatchObject({ source: "MANUAL" }); // unchanged rows are left alone
    expect(await row("2042-03-03")).toBeNull();
    expect(await row("2043-01-01")).toBeNull(); // another year in the file is not imported
    expect(await db().calendarYear.findUnique({ where: { year: 2042 } })).toMatchObject({ source: "IMPORT", note: "文件「2042.json」" });
    // the page reads 导入：文件「2042.json」 (the source label, then the note: 导入 once)
    expect((await calendarYearView(admin, 2042)).covered?.note).toBe("文件「2042.json」");
    // 22–24 Jan off, Saturday 25 Jan worked
    expect(await addWorkingDays(tuesday, 1)).toEqual({ due: new Date(end("2042-01-25")), covered: true });
    const audit = await calendarAudit(before);
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actorId: admin.userId, targetType: "CalendarYear", targetId: "2042", detail: { change: "IMPORT", dates: 6, added: 4, changed: 1, removed: 1, year: 2042, fileName: "2042.json", sm3: p.sm3 } });

    // the same preview again: the year moved on since, so it is refused
    expect(await code(confirmImport(admin, { year: 2042, entries: p.entries, fingerprint: p.fingerprint, fileName: p.fileName, sm3: p.sm3, proof: p.proof }))).toMatch(/^CONFLICT:预检之后 2042 年/);
  });

  it("a change between preview and confirm refuses the confirm; an exported year imports back as 'nothing to import'", async () => {
    const p = await previewImport(admin, 2042, file({ holidays: { "2042-05-01": "劳动节,Labour Day,1" } }));
    expect(p.diff.added).toHaveLength(1);
    await setDay(admin, daySetInput.parse({ date: "2042-06-02", kind: "HOLIDAY", name: "插入修改", seen: null }));
    expect(await code(confirmImport(admin, { year: 2042, entries: p.entries, fingerprint: p.fingerprint, fileName: p.fileName, sm3: p.sm3, proof: p.proof }))).toMatch(/^CONFLICT:预检之后/);
    expect(await row("2042-05-01")).toBeNull();

    const exported = await yearForExport(admin, 2042);
    const xlsx = await exportYearXlsx(2042, exported.days, exported.covered);
    const back = await previewImport(admin, 2042, { name: "2042.xlsx", data: xlsx });
    expect(back.format).toBe("XLSX");
    expect(back.problems).toEqual([]);
    expect(back.diff).toMatchObject({ added: [], changed: [], removed: [], unchanged: exported.days.length });
    expect(await code(confirmImport(admin, { year: 2042, entries: back.entries, fingerprint: back.fingerprint, fileName: back.fileName, sm3: back.sm3, proof: back.proof }))).toBe("CONFLICT:文件内容与现有安排一致，无需导入");
  });

  it("a file with problems, of another year, or not a schedule is refused with reasons and cannot be confirmed", async () => {
    const bad = await previewImport(admin, 2043, file([{ date: "2043-01-05", kind: "调休上班", name: "周一调休" }, { date: "2043-13-01", kind: "节假日", name: "x" }], "bad.json"));
    expect(bad.problems.map((x) => x.where)).toEqual(["第 1 条", "第 2 条"]);
    expect(bad.entries).toEqual([]);
    expect((await previewImport(admin, 2043, file({ holidays: { "2042-05-01": "劳动节" } }))).problems).toEqual([{ where: "文件", message: "文件中没有 2043 年的记录，请确认所选年度" }]);
    expect(await code(previewImport(admin, 2043, { name: "x.json", data: new TextEncoder().encode("%PDF-1.7") }))).toBe("INVALID_INPUT:文件不是 JSON 或 XLSX");
    // entries sent back must belong to the year
    expect(await code(confirmImport(admin, { year: 2043, entries: [{ date: "2042-05-01", kind: "HOLIDAY", name: "劳动节" }], fingerprint: "0".repeat(64), fileName: "x", sm3: "0".repeat(64), proof: "0".repeat(64) }))).toMatch(/^INVALID_INPUT:记录 2042-05-01 不属于 2043 年/);
    expect(await db().calendarYear.findUnique({ where: { year: 2043 } })).toBeNull();
  });
});

describe("who may maintain the calendar", () => {
  it("only a province-wide system administrator changes it; a city administrator may look; others may not even look", async () => {
    const view = await calendarYearView(admin, 2026);
    expect(view.canChange).toBe(true);
    expect(view.covered).toMatchObject({ source: "SEED" });
    expect(view.days.find((d) => d.date === "2026-02-14")).toMatchObject({ kind: "WORKDAY", name: "春节", source: "SEED" });
    expect(view.knownYears).toContainEqual({ year: 2026, covered: true });

    expect((await calendarYearView(cityAdmin, 2026)).canChange).toBe(false);
    const input = daySetInput.parse({ date: "2043-03-03", kind: "HOLIDAY", name: "越权", seen: null });
    expect(await code(setDay(cityAdmin, input))).toBe("FORBIDDEN:节假日安排全省统一，仅省级系统管理员可以修改");
    expect(await code(setYearCovered(cityAdmin, { year: 2043, covered: true }))).toMatch(/^FORBIDDEN/);
    expect(await code(previewImport(cityAdmin, 2043, file({ holidays: { "2043-01-01": "元旦" } })))).toMatch(/^FORBIDDEN/);

    expect(await code(calendarYearView(issuer, 2026))).toMatch(/^FORBIDDEN/);
    expect(await code(setDay(issuer, input))).toMatch(/^FORBIDDEN/);
    expect(await code(removeDay(issuer, { date: "2026-10-01", seen: (await seen("2026-10-01"))! }))).toMatch(/^FORBIDDEN/);
    expect(await code(confirmImport(issuer, { year: 2043, entries: [{ date: "2043-01-01", kind: "HOLIDAY", name: "元旦" }], fingerprint: "0".repeat(64), fileName: "x", sm3: "0".repeat(64), proof: "0".repeat(64) }))).toMatch(/^FORBIDDEN/);
    expect(await code(yearForExport(issuer, 2026))).toMatch(/^FORBIDDEN/);
    expect(await row("2043-03-03")).toBeNull();
    expect(await row("2026-10-01")).toMatchObject({ source: "SEED" });
  });

  function file(doc: unknown) {
    return { name: "f.json", data: new TextEncoder().encode(JSON.stringify(doc)) };
  }
});
