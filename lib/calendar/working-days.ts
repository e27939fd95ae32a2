// Calendar dates in Asia/Shanghai (ARCHITECTURE.md "Time"): plain helpers, safe for client and
// server. Which days are working days is decided by `Calendar` (lib/calendar/calendar.ts), built
// from the administrator-maintained holiday table (lib/calendar/index.ts).

const SHANGHAI_OFFSET_MS = 8 * 3600_000; // China has no daylight saving time since 1991
export const DAY_MS = 86_400_000;

/** The calendar date (YYYY-MM-DD) of an instant in Asia/Shanghai. */
export function shanghaiDate(at: Date): string {
  return new Date(at.getTime() + SHANGHAI_OFFSET_MS).toISOString().slice(0, 10);
}

/** 23:59:59.999 of a Shanghai calendar date, as an instant. */
export function endOfShanghaiDay(date: string): Date {
  return new Date(Date.parse(`${date}T00:00:00Z`) + DAY_MS - 1 - SHANGHAI_OFFSET_MS);
}

/** 00:00 of a Shanghai calendar date, as an instant. */
export function startOfShanghaiDay(date: string): Date {
  return new Date(Date.parse(`${date}T00:00:00Z`) - SHANGHAI_OFFSET_MS);
}

/** The date after `date` (YYYY-MM-DD). */
export function nextDate(date: string): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + DAY_MS).toISOString().slice(0, 10);
}

/** 0 = Sunday … 6 = Saturday. */
export function dayOfWeek(date: string): number {
  return new Date(`${date}T00:00:00Z`).getUTCDay();
}

export function isWeekend(date: string): boolean {
  const d = dayOfWeek(date);
  return d === 0 || d === 6;
}

/** Whether `s` is a real calendar date written YYYY-MM-DD (no 2026-02-30). */
export function isYmd(s: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const t = Date.parse(`${s}T00:00:00Z`);
  return Number.isFinite(t) && new Date(t).toISOString().slice(0, 10) === s;
}

export function yearOf(date: string): number {
  return Number(date.slice(0, 4));
}
