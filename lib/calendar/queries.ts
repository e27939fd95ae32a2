// Reads for the calendar page (O-04): one year's listed days and whether it is covered.
import "server-only";
import { db } from "@/lib/db";
import { requirePermission } from "@/lib/auth/permissions";
import type { Actor } from "@/lib/auth/session";
import type { DayKind } from "@/lib/calendar/calendar";
import { ymdOfDate } from "@/lib/calendar/store";
import { yearNoteShown } from "@/lib/calendar/import";
import { shanghaiDate } from "@/lib/calendar/working-days";
import { mayChangeCalendar } from "@/lib/calendar/service";

export type CalendarDayRow = { date: string; kind: DayKind; name: string; source: string; updatedAt: string; updatedBy: string | null };
export type CalendarYearView = {
  year: number;
  today: string;
  covered: { source: string; note: string | null; updatedAt: string; updatedBy: string | null } | null;
  days: CalendarDayRow[];
  /** every year with a covered row or listed days, for the year switcher */
  knownYears: { year: number; covered: boolean }[];
  canChange: boolean;
};

export async function calendarYearView(actor: Actor, year: number, now = new Date()): Promise<CalendarYearView> {
  requirePermission(actor, "calendar.manage");
  const range = { gte: new Date(`${year}-01-01T00:00:00Z`), lte: new Date(`${year}-12-31T00:00:00Z`) };
  const [rows, cy, coveredYears, yearsWithDays] = await Promise.all([
    db().holiday.findMany({ where: { date: range }, orderBy: { date: "asc" } }),
    db().calendarYear.findUnique({ where: { year } }),
    db().calendarYear.findMany({ select: { year: true } }),
    db().$queryRaw<{ year: number }[]>`SELECT DISTINCT extract(year FROM "date")::int AS year FROM "Holiday"`,
  ]);
  const userIds = [...new Set([...rows.map((r) => r.updatedById), cy?.updatedById].filter((x): x is string => !!x))];
  const users = userIds.length ? await db().user.findMany({ where: { id: { in: userIds } }, select: { id: true, name: true, username: true } }) : [];
  const who = (id: string | null | undefined) => {
    const u = id ? users.find((x) => x.id === id) : undefined;
    return u ? `${u.name}(${u.username})` : null;
  };
  const covered = new Set(coveredYears.map((c) => c.year));
  const known = new Set([...covered, ...yearsWithDays.map((y) => Number(y.year))]);
  return {
    year,
    today: shanghaiDate(now),
    covered: cy ? { source: cy.source, note: yearNoteShown(cy.source, cy.note), updatedAt: cy.updatedAt.toISOString(), updatedBy: who(cy.updatedById) } : null,
    days: rows.map((r) => ({ date: ymdOfDate(r.date), kind: r.kind as DayKind, name: r.name, source: r.source, updatedAt: r.updatedAt.toISOString(), updatedBy: who(r.updatedById) })),
    knownYears: [...known].sort((a, b) => a - b).map((y) => ({ year: y, covered: covered.has(y) })),
    canChange: mayChangeCalendar(actor),
  };
}

/** A year's listed days for the XLSX export. */
export async function yearForExport(actor: Actor, year: number) {
  requirePermission(actor, "calendar.manage");
  const range = { gte: new Date(`${year}-01-01T00:00:00Z`), lte: new Date(`${year}-12-31T00:00:00Z`) };
  const [rows, cy] = await Promise.all([db().holiday.findMany({ where: { date: range }, orderBy: { date: "asc" } }), db().calendarYear.findUnique({ where: { year } })]);
  return { days: rows.map((r) => ({ date: ymdOfDate(r.date), kind: r.kind as DayKind, name: r.name, source: r.source })), covered: !!cy };
}
