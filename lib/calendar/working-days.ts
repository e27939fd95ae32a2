// Working days in Asia/Shanghai (ARCHITECTURE.md "Time"). The official schedule comes from the
// maintained npm package `chinese-days` (State Council holiday notices); the objections issue
// moves it into an administrator-maintained holiday table. A year the data does not cover falls
// back to Monday–Friday, and `covered` says so, so a caller can warn instead of guessing silently.
import data from "chinese-days/dist/chinese-days.json";

type Table = Record<string, string>;
const HOLIDAYS = (data as { holidays: Table }).holidays;
const WORKDAYS = (data as { workdays: Table }).workdays;
const COVERED_YEARS = new Set(Object.keys(HOLIDAYS).map((d) => Number(d.slice(0, 4))));

const SHANGHAI_OFFSET_MS = 8 * 3600_000; // China has no daylight saving time since 1991
const DAY_MS = 86_400_000;

/** The calendar date (YYYY-MM-DD) of an instant in Asia/Shanghai. */
export function shanghaiDate(at: Date): string {
  return new Date(at.getTime() + SHANGHAI_OFFSET_MS).toISOString().slice(0, 10);
}

/** Whether the schedule for `year` is known (otherwise weekdays only are assumed). */
export function yearCovered(year: number): boolean {
  return COVERED_YEARS.has(year);
}

export function isWorkingDay(date: string): boolean {
  if (WORKDAYS[date]) return true; // adjusted working day (调休上班), even on a weekend
  if (HOLIDAYS[date]) return false;
  const dow = new Date(`${date}T00:00:00Z`).getUTCDay();
  return dow !== 0 && dow !== 6;
}

function nextDate(date: string): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + DAY_MS).toISOString().slice(0, 10);
}

/** 23:59:59.999 of a Shanghai calendar date, as an instant. */
export function endOfShanghaiDay(date: string): Date {
  return new Date(Date.parse(`${date}T00:00:00Z`) + DAY_MS - 1 - SHANGHAI_OFFSET_MS);
}

/**
 * The deadline `n` working days after `from`: the day of `from` is not counted; the deadline is
 * the end (23:59:59.999, Asia/Shanghai) of the n-th working day after it. `covered` is false when
 * any day walked lies in a year without an official schedule.
 */
export function addWorkingDays(from: Date, n: number): { due: Date; covered: boolean } {
  if (!Number.isInteger(n) || n < 1) throw new RangeError("n must be a positive integer");
  let day = shanghaiDate(from);
  let covered = yearCovered(Number(day.slice(0, 4)));
  let left = n;
  while (left > 0) {
    day = nextDate(day);
    covered &&= yearCovered(Number(day.slice(0, 4)));
    if (isWorkingDay(day)) left--;
  }
  return { due: endOfShanghaiDay(day), covered };
}

/**
 * Working days from `a` to `b` (L-05 timeliness): the working days after a's date up to and
 * including b's date, in Asia/Shanghai; 0 when b is on a's day or before it.
 */
export function workingDaysBetween(a: Date, b: Date): number {
  let day = shanghaiDate(a);
  const end = shanghaiDate(b);
  let n = 0;
  // bounded: a licence synchronised more than ~30 years late is a data error, not a loop
  for (let i = 0; day < end && i < 11_000; i++) {
    day = nextDate(day);
    if (isWorkingDay(day)) n++;
  }
  return n;
}
