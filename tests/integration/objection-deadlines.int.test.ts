// Deadlines stored at receipt (O-02 … O-05): markDueAt = 1 working day and resolveDueAt = 5
// working days after the day of receipt (not counted), ending 23:59:59.999 Asia/Shanghai, on the
// official holiday calendar seeded from chinese-days (2026: Spring Festival 02-15 … 02-23 with the
// adjusted working Saturdays 02-14 and 02-28; Mid-autumn 09-25 … 09-27 and National Day
// 10-01 … 10-07 with the adjusted working Saturday 10-10), per the issuing region's setting; a year
// without an official schedule falls back to Monday–Friday and says so.
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { calendar } from "@/lib/calendar";
import { listObjections } from "@/lib/objections/queries";
import { objectionFilter } from "@/lib/objections/schema";
import { licenceFor, makeObjectionWorld, objectionByNumber, raiseByHolder, shanghai, type ObjectionWorld } from "@/tests/helpers/objections";

let w: ObjectionWorld;
let l: Awaited<ReturnType<typeof licenceFor>>;
// The issuing department sits in a city of its own (巴中, 511900) with the default 1 and 5 days set
// explicitly, so settings other test files leave for 510000 / 510100 cannot move these deadlines.
const REGION = "511900";

beforeAll(async () => {
  w = await makeObjectionWorld();
  await db().department.update({ where: { id: w.issuing.id }, data: { areaCode: REGION } });
  await db().objectionSetting.upsert({ where: { areaCode: REGION }, update: { markDays: 1, resolveDays: 5 }, create: { areaCode: REGION, markDays: 1, resolveDays: 5 } });
  l = await licenceFor(w);
}, 180_000);

/** Submits a holder's objection received at `local` (Asia/Shanghai) and returns its stored row. */
async function receivedAt(local: string) {
  const r = await raiseByHolder(l.identifier, l.code, { now: shanghai(local) });
  return objectionByNumber(r.number);
}

/** 23:59:59.999 of a Shanghai date, as stored. */
const endOf = (ymd: string) => new Date(`${ymd}T23:59:59.999+08:00`).toISOString();

describe("deadlines stored at receipt (O-02, O-03, O-04)", () => {
  it("[O-04] the calendar under test is the official 2026 schedule (seeded from chinese-days)", async () => {
    const cal = await calendar();
    expect(cal.covered(2026)).toBe(true);
    expect(["2026-02-14", "2026-02-28", "2026-10-10"].map((d) => cal.isWorkingDay(d))).toEqual([true, true, true]);
    expect(["2026-02-15", "2026-02-23", "2026-09-25", "2026-10-07"].map((d) => cal.isWorkingDay(d))).toEqual([false, false, false, false]);
  });

  it("[O-02][O-03][O-04] received on the adjusted working Saturday before the Spring Festival (2026-02-14): marked by Tuesday 02-24, resolved by the adjusted working Saturday 02-28", async () => {
    const o = await receivedAt("2026-02-14T10:30");
    expect(o.receivedAt.toISOString()).toBe("2026-02-14T02:30:00.000Z");
    expect(o.markDueAt.toISOString()).toBe(endOf("2026-02-24"));
    expect(o.resolveDueAt.toISOString()).toBe(endOf("2026-02-28"));
    expect(o).toMatchObject({ calendarCovered: true, regionCode: REGION });
  });

  it("[O-02][O-03][O-04] received on the Friday evening before National Day (2026-09-25, itself the Mid-autumn holiday): marked by Monday 09-28, resolved by Friday 10-09 across the Golden Week", async () => {
    const o = await receivedAt("2026-09-25T19:45");
    expect(o.markDueAt.toISOString()).toBe(endOf("2026-09-28"));
    // 09-28, 09-29, 09-30, (10-01 … 10-07 holidays), 10-08, 10-09
    expect(o.resolveDueAt.toISOString()).toBe(endOf("2026-10-09"));
    expect(o.calendarCovered).toBe(true);
  });

  it("[O-02][O-03] received on an ordinary Tuesday (2026-03-10): marked by Wednesday, resolved by the next Tuesday; a receipt at 23:59 counts as Tuesday, at 00:00 Wednesday as Wednesday", async () => {
    const o = await receivedAt("2026-03-10T09:15");
    expect(o.markDueAt.toISOString()).toBe(endOf("2026-03-11"));
    expect(o.resolveDueAt.toISOString()).toBe(endOf("2026-03-17"));
    const lateNight = await receivedAt("2026-03-10T23:59");
    expect(lateNight.markDueAt.toISOString()).toBe(endOf("2026-03-11"));
    const midnight = await receivedAt("2026-03-11T00:00");
    expect(midnight.markDueAt.toISOString()).toBe(endOf("2026-03-12"));
    expect(midnight.resolveDueAt.toISOString()).toBe(endOf("2026-03-18"));
  });

  it("[O-04] a deadline in a year without an official schedule is computed Monday–Friday and stored with calendarCovered = false (the page warns)", async () => {
    const o = await receivedAt("2035-03-06T10:00");
    expect(o.markDueAt.toISOString()).toBe(endOf("2035-03-07"));
    expect(o.resolveDueAt.toISOString()).toBe(endOf("2035-03-13"));
    expect(o.calendarCovered).toBe(false);
    const [row] = (await listObjections(w.issuer, objectionFilter.parse({ number: o.number }), shanghai("2035-03-06T11:00"))).rows;
    expect(row).toMatchObject({ id: o.id, calendarCovered: false, overdue: { mark: false, resolve: false } });
  });

  it("[O-02][O-03] the region's own setting applies at receipt, and changing it later does not move stored deadlines", async () => {
    await db().objectionSetting.update({ where: { areaCode: REGION }, data: { markDays: 2, resolveDays: 10 } });
    try {
      const o = await receivedAt("2026-03-10T09:15");
      expect(o.markDueAt.toISOString()).toBe(endOf("2026-03-12"));
      expect(o.resolveDueAt.toISOString()).toBe(endOf("2026-03-24"));
      await db().objectionSetting.update({ where: { areaCode: REGION }, data: { markDays: 1, resolveDays: 5 } });
      const again = await objectionByNumber(o.number);
      expect(again.resolveDueAt.toISOString()).toBe(endOf("2026-03-24"));
    } finally {
      await db().objectionSetting.update({ where: { areaCode: REGION }, data: { markDays: 1, resolveDays: 5 } });
    }
  });
});
