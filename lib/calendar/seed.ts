// Seeds the holiday table from the npm package `chinese-days` (O-04): every holiday and adjusted
// working day of every year the package covers, with its name, and those years marked covered
// (source SEED). A year is seeded once, when it has no data at all (no CalendarYear row and no
// Holiday row): after that it belongs to the administrator, so a day they changed, removed or
// imported (MANUAL, IMPORT) is never overwritten or brought back. A newer package that adds a
// year adds that year on the next run. Idempotent; audited (calendar.change SEED) when it writes.
import "server-only";
import pkg from "chinese-days/package.json";
import type { Db } from "@/lib/db";
import type { AuditActor } from "@/lib/audit/log";
import { appendAudit } from "@/lib/audit/log";
import { packageSchedule } from "@/lib/calendar/package-data";
import { CALENDAR_LOCK } from "@/lib/calendar/lock";
import { invalidateCalendar } from "@/lib/calendar/store";

const SEED_ACTOR: AuditActor = { id: null, name: "节假日初始化", role: "-", dept: "-", ip: null, userAgent: null };

function yearsText(years: number[]): string {
  const runs: string[] = [];
  for (let i = 0; i < years.length; ) {
    let j = i;
    while (j + 1 < years.length && years[j + 1] === years[j] + 1) j++;
    runs.push(i === j ? String(years[i]) : `${years[i]}-${years[j]}`);
    i = j + 1;
  }
  return runs.join(",");
}

export async function seedHolidays(client: Db): Promise<{ years: number[]; days: number }> {
  const schedule = packageSchedule();
  const result = await client.$transaction(
    async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(${CALENDAR_LOCK})`;
      const covered = await tx.calendarYear.findMany({ select: { year: true } });
      const withRows = await tx.$queryRaw<{ year: number }[]>`SELECT DISTINCT extract(year FROM "date")::int AS year FROM "Holiday"`;
      const taken = new Set([...covered.map((c) => c.year), ...withRows.map((r) => Number(r.year))]);
      const years = schedule.years.filter((y) => !taken.has(y));
      if (!years.length) return { years, days: 0 };
      const wanted = new Set(years);
      const rows = schedule.days.filter((d) => wanted.has(Number(d.date.slice(0, 4))));
      const { count } = await tx.holiday.createMany({
        data: rows.map((d) => ({ date: new Date(`${d.date}T00:00:00Z`), kind: d.kind, name: d.name, source: "SEED" })),
        skipDuplicates: true,
      });
      await tx.calendarYear.createMany({ data: years.map((year) => ({ year, source: "SEED", note: `chinese-days ${pkg.version}` })), skipDuplicates: true });
      await appendAudit(
        tx,
        SEED_ACTOR,
        { action: "calendar.change", change: "SEED", dates: count, years: yearsText(years), yearCount: years.length, package: `chinese-days ${pkg.version}` },
        { type: "Holiday", id: null },
      );
      return { years, days: count };
    },
    { maxWait: 10_000, timeout: 60_000 },
  );
  if (result.years.length) invalidateCalendar();
  return result;
}
