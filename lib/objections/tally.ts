// How an objection counts in the supervision figures (O-02, O-03, V-01), one rule for the live
// per-department figures (objectionFigures) and the dashboard's monthly summary (refresh.ts):
// marked / resolved on time among those whose deadline has come (done, or passed while waiting —
// until now or until withdrawn), working days to resolve, overdue now.
import type { Calendar } from "@/lib/calendar";
import { deadlineState } from "@/lib/objections/common";

export type ObjectionTally = { received: number; markCounted: number; markedOnTime: number; resolveCounted: number; resolvedOnTime: number; resolved: number; resolveDays: number; overdueNow: number };
export type TalliedObjection = { status: string; receivedAt: Date; markDueAt: Date; resolveDueAt: Date; markedAt: Date | null; resolvedAt: Date | null; withdrawnAt: Date | null };

export const emptyTally = (): ObjectionTally => ({ received: 0, markCounted: 0, markedOnTime: 0, resolveCounted: 0, resolvedOnTime: 0, resolved: 0, resolveDays: 0, overdueNow: 0 });

/** Adds one objection to `t`. */
export function tallyObjection(t: ObjectionTally, o: TalliedObjection, cal: Calendar, now: Date): void {
  t.received++;
  // the moment the objection stopped waiting without an answer: withdrawal, or now
  const openUntil = o.withdrawnAt ?? now;
  if (o.markedAt) {
    t.markCounted++;
    if (o.markedAt <= o.markDueAt) t.markedOnTime++;
  } else if (o.status !== "RESOLVED" && o.markDueAt < openUntil) t.markCounted++;
  if (o.resolvedAt) {
    t.resolveCounted++;
    t.resolved++;
    if (o.resolvedAt <= o.resolveDueAt) t.resolvedOnTime++;
    t.resolveDays += cal.workingDaysBetween(o.receivedAt, o.resolvedAt);
  } else if (o.resolveDueAt < openUntil) t.resolveCounted++;
  const st = deadlineState(o, now);
  if (st.overdue.mark || st.overdue.resolve) t.overdueNow++;
}
