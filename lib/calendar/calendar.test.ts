// O-04: the working-day rules on the pure Calendar, with fixed cases from the State Council's real
// 2026 schedule (as the package `chinese-days` publishes it and the seed writes it) and
// fast-check properties over random calendars and instants.
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { Calendar, type CalendarDay } from "@/lib/calendar/calendar";
import { chineseDaysName, packageCalendar, packageSchedule } from "@/lib/calendar/package-data";
import { endOfShanghaiDay, isWeekend, isYmd, nextDate, shanghaiDate } from "@/lib/calendar/working-days";

const sh = (s: string) => new Date(`${s}+08:00`); // a Shanghai wall-clock time
const end = (ymd: string) => sh(`${ymd}T23:59:59.999`).toISOString();
const cal = packageCalendar();

describe("the package's 2026 schedule (what the seed writes)", () => {
  it("O-04 lists the Spring Festival and National Day 2026 with their adjusted working weekends, named in Chinese", () => {
    const s = packageSchedule();
    const get = (d: string) => s.days.find((x) => x.date === d);
    expect(get("2026-02-16")).toEqual({ date: "2026-02-16", kind: "HOLIDAY", name: "春节" });
    expect(get("2026-02-14")).toEqual({ date: "2026-02-14", kind: "WORKDAY", name: "春节" });
    expect(get("2026-02-28")).toEqual({ date: "2026-02-28", kind: "WORKDAY", name: "春节" });
    expect(get("2026-10-01")).toEqual({ date: "2026-10-01", kind: "HOLIDAY", name: "国庆节" });
    expect(get("2026-10-10")).toEqual({ date: "2026-10-10", kind: "WORKDAY", name: "国庆节" });
    expect(s.years).toContain(2026);
    expect(s.years).toContain(2004);
    // every adjusted working day the package lists falls on a weekend, as the import schema requires
    expect(s.days.filter((d) => d.kind === "WORKDAY").every((d) => isWeekend(d.date))).toBe(true);
    expect(s.days.every((d) => isYmd(d.date) && d.name.length > 0 && d.name.length <= 50)).toBe(true);
  });

  it("takes the Chinese part of a chinese-days value, in either order", () => {
    expect(chineseDaysName("National Day,国庆节,3", "x")).toBe("国庆节");
    expect(chineseDaysName("元旦,New Year's Day,1", "x")).toBe("元旦");
    expect(chineseDaysName("New Year's Day,1", "x")).toBe("New Year's Day");
    expect(chineseDaysName("", "节假日")).toBe("节假日");
  });

  it("O-04 knows weekends, statutory holidays and adjusted working weekends", () => {
    expect(cal.isWorkingDay("2026-11-30")).toBe(true); // Monday
    expect(cal.isWorkingDay("2026-11-29")).toBe(false); // Sunday
    expect(cal.isWorkingDay("2026-10-01")).toBe(false); // National Day
    expect(cal.isWorkingDay("2026-10-10")).toBe(true); // Saturday worked in lieu
    expect(cal.isWorkingDay("2026-02-16")).toBe(false); // Spring Festival
    expect(cal.isWorkingDay("2026-02-14")).toBe(true); // Saturday worked in lieu
    expect(cal.isWorkingDay(sh("2026-02-14T23:30:00"))).toBe(true); // an instant: its Shanghai date
    expect(cal.covered(2026)).toBe(true);
    expect(cal.covered(2099)).toBe(false);
  });
});

describe("objection deadlines on fixed days (O-02 mark in 1, O-03 resolve in 5 working days)", () => {
  it("received on the adjusted working Saturday before the Spring Festival 2026 (14 Feb)", () => {
    const at = sh("2026-02-14T10:00:00");
    // 15–23 Feb are the holiday; Tuesday 24 Feb is the first working day after
    expect(cal.addWorkingDays(at, 1)).toEqual({ due: new Date(end("2026-02-24")), covered: true });
    // 24, 25, 26, 27 Feb and Saturday 28 Feb (worked in lieu)
    expect(cal.addWorkingDays(at, 5).due.toISOString()).toBe(end("2026-02-28"));
  });

  it("received on the Friday evening before National Day 2026 (25 Sep, itself the Mid-Autumn holiday)", () => {
    const at = sh("2026-09-25T19:30:00");
    expect(cal.addWorkingDays(at, 1).due.toISOString()).toBe(end("2026-09-28"));
    // 28, 29, 30 Sep; 1–7 Oct off; 8, 9 Oct
    expect(cal.addWorkingDays(at, 5).due.toISOString()).toBe(end("2026-10-09"));
  });

  it("received on the evening of the last working day before National Day 2026 (Wed 30 Sep)", () => {
    const at = sh("2026-09-30T18:00:00");
    expect(cal.addWorkingDays(at, 1).due.toISOString()).toBe(end("2026-10-08"));
    // 8, 9, 10 (Saturday worked in lieu), 12, 13 Oct
    expect(cal.addWorkingDays(at, 5).due.toISOString()).toBe(end("2026-10-13"));
  });

  it("received on an ordinary Tuesday (24 Nov 2026)", () => {
    const at = sh("2026-11-24T10:00:00");
    expect(cal.addWorkingDays(at, 1).due.toISOString()).toBe(end("2026-11-25"));
    expect(cal.addWorkingDays(at, 5).due.toISOString()).toBe(end("2026-12-01"));
    expect(cal.addWorkingDays(at, 1).due.toISOString()).toBe("2026-11-25T15:59:59.999Z");
  });

  it("uses the Shanghai date: 23:59 is still Tuesday, 00:00 is already Wednesday (UTC 15:59 / 16:00)", () => {
    const late = sh("2026-11-24T23:59:00");
    const midnight = sh("2026-11-25T00:00:00");
    expect(late.toISOString()).toBe("2026-11-24T15:59:00.000Z");
    expect(midnight.toISOString()).toBe("2026-11-24T16:00:00.000Z");
    expect(cal.addWorkingDays(late, 1).due.toISOString()).toBe(end("2026-11-25"));
    expect(cal.addWorkingDays(midnight, 1).due.toISOString()).toBe(end("2026-11-26"));
    // a Friday 23:30 and a Saturday 00:30 both lead to Monday
    expect(shanghaiDate(cal.addWorkingDays(sh("2026-11-27T23:30:00"), 1).due)).toBe("2026-11-30");
    expect(shanghaiDate(cal.addWorkingDays(sh("2026-11-28T00:30:00"), 1).due)).toBe("2026-11-30");
  });

  it("says covered=false when a deadline runs into a year without a schedule, and counts weekdays there", () => {
    const r = cal.addWorkingDays(sh("2099-03-02T10:00:00"), 1); // a Monday
    expect(r).toEqual({ due: new Date(end("2099-03-03")), covered: false });
    // from a covered year into an uncovered one (2026 is covered, 2027 is not in this package version)
    const last = packageSchedule().years.at(-1)!;
    expect(cal.addWorkingDays(sh(`${last}-12-30T10:00:00`), 5).covered).toBe(false);
    expect(cal.addWorkingDays(sh(`${last}-11-02T10:00:00`), 5).covered).toBe(true);
  });

  it("refuses a non-positive or fractional number of days", () => {
    expect(() => cal.addWorkingDays(new Date(), 0)).toThrow(RangeError);
    expect(() => cal.addWorkingDays(new Date(), 1.5)).toThrow(RangeError);
    expect(() => cal.addWorkingDays(new Date(Number.NaN), 1)).toThrow(RangeError);
  });
});

describe("workingDaysBetween (L-05 timeliness, O-05 figures)", () => {
  it("counts the working days after the first date up to the second", () => {
    expect(cal.workingDaysBetween(sh("2026-12-01T09:00:00"), sh("2026-12-01T18:00:00"))).toBe(0);
    expect(cal.workingDaysBetween(sh("2026-12-01T09:00:00"), sh("2026-12-02T08:00:00"))).toBe(1);
    expect(cal.workingDaysBetween(sh("2026-12-04T17:00:00"), sh("2026-12-07T09:00:00"))).toBe(1); // Fri → Mon
    expect(cal.workingDaysBetween(sh("2026-09-30T12:00:00"), sh("2026-10-09T12:00:00"))).toBe(2); // National Day
    expect(cal.workingDaysBetween(sh("2026-02-13T12:00:00"), sh("2026-02-28T12:00:00"))).toBe(6); // 14, 24–28 Feb
    expect(cal.workingDaysBetween(sh("2026-12-02T09:00:00"), sh("2026-12-01T09:00:00"))).toBe(0);
  });
});

// ---- properties ----

const DAY = 86_400_000;
const BASE = Date.UTC(2025, 0, 1);
const ymdAt = (offset: number) => new Date(BASE + offset * DAY).toISOString().slice(0, 10);

/** A random calendar over 2025–2027: listed days anywhere, any subset of the years covered. */
const calendarArb = fc
  .record({
    days: fc.uniqueArray(fc.record({ offset: fc.nat(3 * 365), kind: fc.constantFrom("HOLIDAY" as const, "WORKDAY" as const) }), { selector: (d) => d.offset, maxLength: 150 }),
    covered: fc.subarray([2025, 2026, 2027]),
  })
  .map(({ days, covered }) => {
    const list: CalendarDay[] = days.map((d) => ({ date: ymdAt(d.offset), kind: d.kind, name: d.kind === "HOLIDAY" ? "假" : "班" }));
    return { cal: new Calendar(list, covered), list, covered };
  });

const instantArb = fc.date({ min: new Date("2025-01-01T00:00:00+08:00"), max: new Date("2027-06-30T23:59:59+08:00"), noInvalidDate: true });
const nArb = fc.integer({ min: 1, max: 60 });

/** Independent count of working days in (a's date, b's date], by a different walk. */
function countBetween(c: Calendar, a: string, b: string): number {
  let n = 0;
  for (let t = Date.parse(`${a}T00:00:00Z`) + DAY; t <= Date.parse(`${b}T00:00:00Z`); t += DAY) if (c.isWorkingDay(new Date(t).toISOString().slice(0, 10))) n++;
  return n;
}

describe("addWorkingDays properties (fast-check)", () => {
  const params = { numRuns: 300 };

  it("O-04 the deadline is the end of a working day strictly after the receipt day, exactly n working days later", () => {
    fc.assert(
      fc.property(calendarArb, instantArb, nArb, ({ cal: c }, from, n) => {
        const { due } = c.addWorkingDays(from, n);
        const dueDay = shanghaiDate(due);
        expect(c.isWorkingDay(dueDay)).toBe(true);
        expect(dueDay > shanghaiDate(from)).toBe(true);
        expect(due.getTime()).toBe(endOfShanghaiDay(dueDay).getTime());
        expect(countBetween(c, shanghaiDate(from), dueDay)).toBe(n);
        expect(c.workingDaysBetween(from, due)).toBe(n);
        // the working day before the deadline's day is still inside it: one day earlier would give n - 1
        expect(countBetween(c, shanghaiDate(from), shanghaiDate(new Date(due.getTime() - DAY)))).toBe(n - 1);
      }),
      params,
    );
  });

  it("is monotonic in the receipt time and in n", () => {
    fc.assert(
      fc.property(calendarArb, instantArb, instantArb, nArb, ({ cal: c }, a, b, n) => {
        const [x, y] = a <= b ? [a, b] : [b, a];
        expect(c.addWorkingDays(x, n).due.getTime()).toBeLessThanOrEqual(c.addWorkingDays(y, n).due.getTime());
        expect(c.addWorkingDays(x, n).due.getTime()).toBeLessThan(c.addWorkingDays(x, n + 1).due.getTime());
      }),
      params,
    );
  });

  it("covered is true exactly when every year from the receipt day to the deadline is covered", () => {
    fc.assert(
      fc.property(calendarArb, instantArb, nArb, ({ cal: c, covered }, from, n) => {
        const r = c.addWorkingDays(from, n);
        const y0 = Number(shanghaiDate(from).slice(0, 4));
        const y1 = Number(shanghaiDate(r.due).slice(0, 4));
        let all = true;
        for (let y = y0; y <= y1; y++) all &&= covered.includes(y);
        expect(r.covered).toBe(all);
      }),
      params,
    );
  });

  it("an empty calendar is Monday to Friday and never covered (weekday fallback)", () => {
    const empty = new Calendar([], []);
    fc.assert(
      fc.property(instantArb, nArb, (from, n) => {
        const r = empty.addWorkingDays(from, n);
        expect(r.covered).toBe(false);
        let day = shanghaiDate(from);
        for (let left = n; left > 0; ) {
          day = nextDate(day);
          if (!isWeekend(day)) left--;
        }
        expect(shanghaiDate(r.due)).toBe(day);
      }),
      params,
    );
  });

  it("a new holiday on a working day inside the period moves the deadline one working day later", () => {
    fc.assert(
      fc.property(calendarArb, instantArb, nArb, fc.nat(), ({ list, covered }, from, n, pick) => {
        const c = new Calendar(list, covered);
        const due = shanghaiDate(c.addWorkingDays(from, n).due);
        const inside: string[] = [];
        for (let d = nextDate(shanghaiDate(from)); d <= due; d = nextDate(d)) if (c.isWorkingDay(d)) inside.push(d);
        const day = inside[pick % inside.length];
        const changed = new Calendar([...list.filter((x) => x.date !== day), { date: day, kind: "HOLIDAY", name: "新增" }], covered);
        const moved = changed.addWorkingDays(from, n).due;
        expect(shanghaiDate(moved) > due).toBe(true);
        expect(changed.workingDaysBetween(from, moved)).toBe(n);
      }),
      params,
    );
  });

  it("workingDaysBetween is 0 when the second instant is not on a later day, and additive over days", () => {
    fc.assert(
      fc.property(calendarArb, instantArb, instantArb, instantArb, ({ cal: c }, a, b, m) => {
        const [x, y] = a <= b ? [a, b] : [b, a];
        expect(c.workingDaysBetween(y, x)).toBe(0);
        if (x <= m && m <= y) expect(c.workingDaysBetween(x, m) + c.workingDaysBetween(m, y)).toBe(c.workingDaysBetween(x, y));
      }),
      params,
    );
  });
});
