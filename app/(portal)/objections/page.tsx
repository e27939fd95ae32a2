// 异议处理 (O-01 … O-06): the queue of the objections in the reader's scope — the issuing
// department's to mark and resolve, the applicant department's own, the province's cross-region
// ones to route, everything for supervisors — with the time left before each stored deadline.
// Filters live in the URL (?overdue=1 is linked from the supervision dashboard).
import Link from "next/link";
import { forbidden } from "next/navigation";
import { pageActor } from "@/lib/auth/page";
import { hasPermission } from "@/lib/auth/permissions";
import { flat, type SearchParams } from "@/lib/pagination";
import { listObjections, mayReadObjections, objectionDeptOptions } from "@/lib/objections/queries";
import { OBJECTION_STATUSES, OBJECTION_STATUS_LABELS, objectionFilter, ROUTE_STAGES, ROUTE_STAGE_LABELS, SOURCE_LABELS, OBJECTION_SOURCES } from "@/lib/objections/schema";
import { QueryForm } from "@/components/ui/query-form";
import { t } from "@/lib/i18n/zh-CN";
import { ObjectionsTable } from "./objections-table";

const check = { flexDirection: "row", alignItems: "center", gap: 6, paddingBottom: 7 } as const;

export default async function ObjectionsPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const actor = await pageActor();
  if (!mayReadObjections(actor)) forbidden();
  const f = objectionFilter.parse(flat(await searchParams));
  const [data, depts] = await Promise.all([listObjections(actor, f), objectionDeptOptions(actor)]);
  const wide = hasPermission(actor, "supervision.read") || hasPermission(actor, "objection.route") || depts.length > 1;
  return (
    <>
      <h1>异议处理</h1>
      <div className="card">
        <QueryForm resetHref="/objections">
          <label>
            异议编号
            <input name="number" defaultValue={f.number ?? ""} maxLength={20} placeholder="YY…" />
          </label>
          <label>
            电子证照标识
            <input name="identifier" defaultValue={f.identifier ?? ""} maxLength={100} placeholder="标识开头的部分即可" />
          </label>
          <label>
            状态
            <select name="status" defaultValue={f.status ?? ""}>
              <option value="">{t.common.all}</option>
              {OBJECTION_STATUSES.map((s) => (
                <option key={s} value={s}>
                  {OBJECTION_STATUS_LABELS[s]}
                </option>
              ))}
            </select>
          </label>
          <label>
            提出方
            <select name="source" defaultValue={f.source ?? ""}>
              <option value="">{t.common.all}</option>
              {OBJECTION_SOURCES.map((s) => (
                <option key={s} value={s}>
                  {SOURCE_LABELS[s]}
                </option>
              ))}
            </select>
          </label>
          <label>
            跨区域
            <select name="stage" defaultValue={f.stage ?? ""}>
              <option value="">{t.common.all}</option>
              {ROUTE_STAGES.map((s) => (
                <option key={s} value={s}>
                  {ROUTE_STAGE_LABELS[s]}
                </option>
              ))}
            </select>
          </label>
          {wide && (
            <label>
              部门
              <select name="deptId" defaultValue={f.deptId ?? ""}>
                <option value="">{t.common.all}</option>
                {depts.map((d) => (
                  <option key={d.id} value={d.id}>
                    {d.name}
                  </option>
                ))}
              </select>
            </label>
          )}
          {/* the dashboard's filters (V-01): the issuing department, or a region's issuing departments */}
          {f.issuer && <input type="hidden" name="issuer" value={f.issuer} />}
          {f.region && <input type="hidden" name="region" value={f.region} />}
          {f.late && <input type="hidden" name="late" value={f.late} />}
          <label>
            收到日期自
            <input type="date" name="from" defaultValue={f.from ?? ""} />
          </label>
          <label>
            至
            <input type="date" name="to" defaultValue={f.to ?? ""} />
          </label>
          <label style={check}>
            <input type="checkbox" name="overdue" value="1" defaultChecked={f.overdue === "1"} data-testid="filter-overdue" />
            超期
          </label>
          <label style={check}>
            <input type="checkbox" name="dueToday" value="1" defaultChecked={f.dueToday === "1"} data-testid="filter-due-today" />
            今日到期
          </label>
        </QueryForm>
        {f.late && (
          <p className="badge warn" data-testid="filter-late">
            {f.late === "mark" ? "仅显示未按时标注的异议（超过标注时限才标注，或等待中超过标注时限）" : "仅显示未按时办结的异议（超过办结时限才办结，或等待中超过办结时限）"}
          </p>
        )}
        <div className="toolbar" style={{ alignItems: "center" }}>
          {hasPermission(actor, "licence.use") && (
            <Link className="btn primary" href="/objections/new">
              提出异议
            </Link>
          )}
          {hasPermission(actor, "supervision.manage") && f.overdue === "1" && (f.issuer ?? f.deptId) && data.rows.length > 0 && (
            // V-02: from the overdue objections of one department straight to an order, with them as evidence
            <Link
              className="btn"
              data-testid="order-from-overdue"
              href={`/supervision/orders/new?dept=${f.issuer ?? f.deptId}&category=CORRECTION&evidence=${data.rows
                .filter((r) => r.issuerDept.id === (f.issuer ?? f.deptId))
                .slice(0, 20)
                .map((r) => `objection:${r.id}`)
                .join(",")}`}
            >
              对该部门责令限期整改
            </Link>
          )}
          <span className="muted">
            标注时限和办结时限按收到之日起的工作日计算（收到当日不计），存于异议记录；绿色为已用工作日未过半，橙色为已过半（此时提醒办理部门），红色为已超期。
          </span>
        </div>
        <ObjectionsTable data={data} />
      </div>
    </>
  );
}
