import Link from "next/link";
import { pageActor } from "@/lib/auth/page";
import { flat, type SearchParams } from "@/lib/pagination";
import { calendarYearView } from "@/lib/calendar/queries";
import { yearParam } from "@/lib/calendar/schema";
import { shanghaiDate } from "@/lib/calendar/working-days";
import { fmtTime } from "@/components/ui/fmt";
import { SOURCE_LABELS } from "@/lib/calendar/labels";
import { YearView } from "./year-view";
import { ImportPanel } from "./import-panel";

/** 节假日安排 (O-04): the year's holidays and adjusted working days, kept by the system administrator. */
export default async function CalendarPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const actor = await pageActor("calendar.manage");
  const thisYear = Number(shanghaiDate(new Date()).slice(0, 4));
  const year = yearParam(thisYear).parse(flat(await searchParams).year);
  const view = await calendarYearView(actor, year);
  // every year from the first known to the last known (or next year, or the one shown): no gaps
  const ends = [...view.knownYears.map((y) => y.year), thisYear - 1, thisYear + 1, year];
  const years = Array.from({ length: Math.max(...ends) - Math.min(...ends) + 1 }, (_, i) => Math.min(...ends) + i);
  return (
    <>
      <h1>节假日安排</h1>
      <div className="card">
        <div className="toolbar" style={{ alignItems: "center", flexWrap: "wrap" }}>
          <Link className="btn" href={`/admin/calendar?year=${year - 1}`} aria-label="上一年">
            ‹ {year - 1}
          </Link>
          {/* keyed by the year: the ‹ › links move to another year without a reload, and the select follows */}
          <form key={year} method="get" className="toolbar" style={{ margin: 0, alignItems: "center" }}>
            <select name="year" defaultValue={year} aria-label="年度">
              {years.map((y) => (
                <option key={y} value={y}>
                  {y} 年{view.knownYears.some((k) => k.year === y && k.covered) ? "" : "（未导入）"}
                </option>
              ))}
            </select>
            <button className="btn" type="submit">
              查看
            </button>
          </form>
          <Link className="btn" href={`/admin/calendar?year=${year + 1}`} aria-label="下一年">
            {year + 1} ›
          </Link>
          {year !== thisYear && (
            <Link className="btn link" href={`/admin/calendar?year=${thisYear}`}>
              回到今年
            </Link>
          )}
          <a className="btn" href={`/admin/calendar/export?year=${year}`} style={{ marginLeft: "auto" }} data-testid="calendar-export">
            导出 {year} 年 XLSX
          </a>
        </div>
        {view.covered ? (
          <p className="muted" style={{ margin: "0 0 12px" }} data-testid="calendar-covered">
            {year} 年已导入国务院节假日安排（{SOURCE_LABELS[view.covered.source] ?? view.covered.source}
            {view.covered.note ? `：${view.covered.note}` : ""}
            {view.covered.updatedBy ? `，${view.covered.updatedBy}` : ""}，{fmtTime(view.covered.updatedAt)}）。未列出的日期按周一至周五上班计算。
          </p>
        ) : (
          <div className="alert warn" role="status" data-testid="calendar-uncovered">
            该年度未导入国务院节假日安排，按周一至周五计算工作日
          </div>
        )}
        <YearView view={view} />
      </div>
      {view.canChange ? (
        <ImportPanel year={year} />
      ) : (
        <div className="card muted">节假日安排全省统一，仅省级系统管理员可以修改；您可以查看和导出。</div>
      )}
    </>
  );
}
