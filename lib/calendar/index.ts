// The working-day calendar for services (O-04): deadlines and timeliness from the holiday table.
//   const { due, covered } = await addWorkingDays(receivedAt, 5, tx);
//   const days = await workingDaysBetween(receivedAt, resolvedAt);
// For many computations in one go, `const cal = await calendar(tx)` once and call its methods.
import "server-only";
import type { Db, Tx } from "@/lib/db";
import { calendar } from "@/lib/calendar/store";

export { calendar, invalidateCalendar, loadCalendar } from "@/lib/calendar/store";
export { Calendar, DAY_KINDS, DAY_KIND_LABELS, type CalendarDay, type DayKind } from "@/lib/calendar/calendar";
export { shanghaiDate, endOfShanghaiDay } from "@/lib/calendar/working-days";

/**
 * The deadline `n` working days after `from` in Asia/Shanghai: the receipt day is not counted; the
 * deadline is 23:59:59.999 of the n-th working day after it. `covered` is false when a day walked
 * lies in a year without an official schedule (Monday–Friday assumed): tell the user so.
 */
export async function addWorkingDays(from: Date, n: number, tx?: Db | Tx): Promise<{ due: Date; covered: boolean }> {
  return (await calendar(tx)).addWorkingDays(from, n);
}

/** Working days after a's Shanghai date up to and including b's (0 when b is not later). */
export async function workingDaysBetween(a: Date, b: Date, tx?: Db | Tx): Promise<number> {
  return (await calendar(tx)).workingDaysBetween(a, b);
}
