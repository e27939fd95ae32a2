// The working-day calendar (O-04) as a pure value: built from the holiday table's rows and the
// years whose official schedule is loaded, with synchronous rules and no I/O, so deadlines can be
// computed inside a loop or a transaction and tested without a database.
//
// Rules (Asia/Shanghai): a listed holiday is not a working day; a listed adjusted working day
// (调休上班) is one, even on a weekend; any other day works Monday to Friday. A deadline of n
// working days does not count the receipt day and ends at 23:59:59.999 of the n-th working day
// after it. For a year without an official schedule only the weekend rule applies, and the result
// says so (`covered: false`) instead of guessing silently.
import { endOfShanghaiDay, isWeekend, nextDate, shanghaiDate, yearOf } from "@/lib/calendar/working-days";

export const DAY_KINDS = ["HOLIDAY", "WORKDAY"] as const;
export type DayKind = (typeof DAY_KINDS)[number];
export const DAY_KIND_LABELS: Record<DayKind, string> = { HOLIDAY: "节假日", WORKDAY: "调休上班" };

export type CalendarDay = { date: string; kind: DayKind; name: string };

/** Days walked at most by `workingDaysBetween`: more than ~30 years is a data error, not a loop. */
const MAX_WALK = 11_000;

export class Calendar {
  private readonly days: ReadonlyMap<string, CalendarDay>;
  private readonly years: ReadonlySet<number>;

  constructor(days: Iterable<CalendarDay>, coveredYears: Iterable<number>) {
    const m = new Map<string, CalendarDay>();
    for (const d of days) m.set(d.date, { date: d.date, kind: d.kind, name: d.name });
    this.days = m;
    this.years = new Set(coveredYears);
  }

  /** Whether the official schedule of `year` is loaded (otherwise Monday–Friday is assumed). */
  covered(year: number): boolean {
    return this.years.has(year);
  }

  coveredYears(): number[] {
    return [...this.years].sort((a, b) => a - b);
  }

  /** The holiday or adjusted working day listed for a date (YYYY-MM-DD), if any. */
  day(date: string): CalendarDay | undefined {
    return this.days.get(date);
  }

  /** Listed days of one year, in date order. */
  daysOf(year: number): CalendarDay[] {
    const prefix = `${year}-`;
    return [...this.days.values()].filter((d) => d.date.startsWith(prefix)).sort((a, b) => (a.date < b.date ? -1 : 1));
  }

  /** A Shanghai date (YYYY-MM-DD) or an instant (its Shanghai date). */
  isWorkingDay(date: string | Date): boolean {
    const ymd = typeof date === "string" ? date : shanghaiDate(date);
    const listed = this.days.get(ymd);
    if (listed) return listed.kind === "WORKDAY";
    return !isWeekend(ymd);
  }

  /**
   * The deadline `n` working days after `from`: the day of `from` is not counted; the deadline is
   * the end (23:59:59.999, Asia/Shanghai) of the n-th working day after it. `covered` is false
   * when any day walked, the receipt day included, lies in a year without an official schedule.
   */
  addWorkingDays(from: Date, n: number): { due: Date; covered: boolean } {
    if (!Number.isInteger(n) || n < 1) throw new RangeError("n must be a positive integer");
    if (!Number.isFinite(from.getTime())) throw new RangeError("from must be a valid date");
    let day = shanghaiDate(from);
    let covered = this.covered(yearOf(day));
    let left = n;
    while (left > 0) {
      day = nextDate(day);
      covered &&= this.covered(yearOf(day));
      if (this.isWorkingDay(day)) left--;
    }
    return { due: endOfShanghaiDay(day), covered };
  }

  /**
   * Working days from `a` to `b` (timeliness figures): the working days after a's Shanghai date up
   * to and including b's, so `workingDaysBetween(x, addWorkingDays(x, n).due) === n`; 0 when b is
   * on a's day or before it.
   */
  workingDaysBetween(a: Date, b: Date): number {
    let day = shanghaiDate(a);
    const end = shanghaiDate(b);
    let n = 0;
    for (let i = 0; day < end && i < MAX_WALK; i++) {
      day = nextDate(day);
      if (this.isWorkingDay(day)) n++;
    }
    return n;
  }
}
