// The Calendar of the holiday table, cached in this process.
//
// Freshness: every change made through lib/calendar/service.ts drops this process's copy after it
// commits, so this process sees its own changes at once. Other processes (another web replica,
// the pg-boss worker) compare a cheap stamp of both tables (row counts, latest and summed
// updatedAt) at most once every CHECK_MS and reload when it moved, so they run on a stale
// calendar for at most CHECK_MS (5 s) after a change commits.
import "server-only";
import { db, type Db, type Tx } from "@/lib/db";
import { Calendar, type CalendarDay, type DayKind } from "@/lib/calendar/calendar";

const CHECK_MS = 5_000;

type Cached = { cal: Calendar; stamp: string; checkedAt: number };
let cached: Cached | null = null;
let loading: Promise<Calendar> | null = null;
let generation = 0;

export const ymdOfDate = (d: Date) => d.toISOString().slice(0, 10);

async function stampOf(q: Db | Tx): Promise<string> {
  const [r] = await q.$queryRaw<{ stamp: string }[]>`
    SELECT concat_ws('|',
      (SELECT count(*) FROM "Holiday"),
      (SELECT max("updatedAt")::text FROM "Holiday"),
      (SELECT sum(extract(epoch FROM "updatedAt"))::text FROM "Holiday"),
      (SELECT count(*) FROM "CalendarYear"),
      (SELECT max("updatedAt")::text FROM "CalendarYear"),
      (SELECT sum(extract(epoch FROM "updatedAt"))::text FROM "CalendarYear")) AS stamp`;
  return r?.stamp ?? "";
}

/** Reads both tables (no cache). */
export async function loadCalendar(q: Db | Tx = db()): Promise<Calendar> {
  const [days, years] = await Promise.all([
    q.holiday.findMany({ select: { date: true, kind: true, name: true } }),
    q.calendarYear.findMany({ select: { year: true } }),
  ]);
  return new Calendar(
    days.map((d): CalendarDay => ({ date: ymdOfDate(d.date), kind: d.kind as DayKind, name: d.name })),
    years.map((y) => y.year),
  );
}

async function refresh(q: Db | Tx): Promise<Calendar> {
  const gen = generation;
  const stamp = await stampOf(q);
  if (cached && cached.stamp === stamp && gen === generation) {
    cached.checkedAt = Date.now();
    return cached.cal;
  }
  const cal = await loadCalendar(q);
  // a change committed in this process while we read: keep the result for this caller only
  if (gen === generation) cached = { cal, stamp, checkedAt: Date.now() };
  return cal;
}

/**
 * The working-day calendar from the holiday table. `tx`, when given, is used for the (rare)
 * reads, so a caller inside a transaction does not need a second connection.
 */
export async function calendar(tx?: Db | Tx): Promise<Calendar> {
  if (cached && Date.now() - cached.checkedAt < CHECK_MS) return cached.cal;
  if (tx) return refresh(tx);
  loading ??= refresh(db()).finally(() => {
    loading = null;
  });
  return loading;
}

/** Drops this process's copy; called after every committed change of the holiday table. */
export function invalidateCalendar(): void {
  generation++;
  cached = null;
  loading = null;
}
