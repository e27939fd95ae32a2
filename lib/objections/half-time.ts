// Half time of an objection's deadline (O-05), in working days as the deadline itself: a deadline
// N working days after receipt (the receipt day not counted) is past half once ⌈N/2⌉ of them have
// passed, i.e. from 09:00 Beijing time of the working day after them (of the deadline's own day
// when N is 1). Weekends and holidays in between do not count. The sweep reminds the issuing
// department then (lib/objections/jobs.ts) and the queue turns the deadline amber at the same
// moment. Pure, given the calendar.
import type { Calendar } from "@/lib/calendar/calendar";
import { shanghaiDate } from "@/lib/calendar/working-days";

export function halfTimeAt(cal: Calendar, receivedAt: Date, dueAt: Date): Date {
  const n = Math.max(1, cal.workingDaysBetween(receivedAt, dueAt));
  const day = shanghaiDate(cal.addWorkingDays(receivedAt, Math.min(n, Math.ceil(n / 2) + 1)).due);
  return new Date(`${day}T09:00:00+08:00`);
}

export type HalfTimeState = {
  /** ms until the marking deadline is past half (≤ 0: past it); null once the step is not running */
  markHalfMs: number | null;
  /** likewise for the resolution deadline */
  resolveHalfMs: number | null;
};

export function halfTimeState(cal: Calendar, o: { status: string; receivedAt: Date; markDueAt: Date; resolveDueAt: Date }, now: Date): HalfTimeState {
  const markOpen = o.status === "SUBMITTED";
  const resolveOpen = markOpen || o.status === "MARKED";
  return {
    markHalfMs: markOpen ? halfTimeAt(cal, o.receivedAt, o.markDueAt).getTime() - now.getTime() : null,
    resolveHalfMs: resolveOpen ? halfTimeAt(cal, o.receivedAt, o.resolveDueAt).getTime() - now.getTime() : null,
  };
}
