// The State Council's holiday schedules as published by the maintained npm package `chinese-days`
// (dist/chinese-days.json: { holidays: { "2026-10-01": "National Day,国庆节,3" }, workdays: {…},
// inLieuDays: {…} }). The holiday table is seeded from it (lib/calendar/seed.ts); dates are never
// typed by hand. inLieuDays are the bridge days already listed among the holidays.
import data from "chinese-days/dist/chinese-days.json";
import { Calendar, type CalendarDay, type DayKind } from "@/lib/calendar/calendar";
import { yearOf } from "@/lib/calendar/working-days";
import { NAME_MAX } from "@/lib/calendar/schema";

type Table = Record<string, string>;
const HAN = /[\u3400-\u9fff]/;

/**
 * The Chinese name in a chinese-days value ("National Day,国庆节,3" or "国庆节,National Day,3"):
 * the first comma-separated part written in Chinese, else the first part.
 */
export function chineseDaysName(value: string, fallback: string): string {
  const parts = String(value ?? "")
    .split(",")
    .map((p) => p.trim())
    .filter((p) => p && !/^\d+$/.test(p));
  const name = parts.find((p) => HAN.test(p)) ?? parts[0] ?? fallback;
  return name.slice(0, NAME_MAX);
}

function daysOf(table: Table, kind: DayKind): CalendarDay[] {
  return Object.entries(table).map(([date, v]) => ({ date, kind, name: chineseDaysName(v, kind === "HOLIDAY" ? "节假日" : "调休上班") }));
}

let cached: { days: CalendarDay[]; years: number[] } | null = null;

/** Every holiday and adjusted working day in the package, and the years it covers. */
export function packageSchedule(): { days: CalendarDay[]; years: number[] } {
  if (!cached) {
    const d = data as { holidays: Table; workdays: Table };
    const days = [...daysOf(d.holidays, "HOLIDAY"), ...daysOf(d.workdays, "WORKDAY")].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
    const years = [...new Set(days.map((x) => yearOf(x.date)))].sort((a, b) => a - b);
    cached = { days, years };
  }
  return cached;
}

/** The package's schedule as a Calendar: what a freshly seeded holiday table holds. */
export function packageCalendar(): Calendar {
  const s = packageSchedule();
  return new Calendar(s.days, s.years);
}
