// 整改通知 (V-02): the rectification orders in the reader's scope — supervisors those to the
// departments they supervise, a department's responders its own — with the overdue flag computed
// from the stored due date. Filters live in the URL (?overdue=1&deptId=… links from the dashboard).
import Link from "next/link";
import { forbidden } from "next/navigation";
import { pageActor } from "@/lib/auth/page";
import { hasPermission } from "@/lib/auth/permissions";
import { flat, type SearchParams } from "@/lib/pagination";
import { listOrders, mayReadOrders, orderDeptOptions } from "@/lib/supervision/rectification-queries";
import { CATEGORY_LABELS, orderFilter, RECTIFICATION_CATEGORIES, RECTIFICATION_STATUSES, RECTIFICATION_STATUS_LABELS } from "@/lib/supervision/rectification-schema";
import { QueryForm } from "@/components/ui/query-form";
import { t } from "@/lib/i18n/zh-CN";
import { OrdersTable } from "./orders-table";

const check = { flexDirection: "row", alignItems: "center", gap: 6, paddingBottom: 7 } as const;

export default async function OrdersPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const actor = await pageActor();
  if (!mayReadOrders(actor)) forbidden();
  const f = orderFilter.parse(flat(await searchParams));
  const [data, depts] = await Promise.all([listOrders(actor, f), orderDeptOptions(actor)]);
  const manage = hasPermission(actor, "supervision.manage");
  return (
    <>
      <h1>整改通知</h1>
      <div className="card">
        <QueryForm resetHref="/supervision/orders">
          <label>
            通知编号
            <input name="number" defaultValue={f.number ?? ""} maxLength={20} placeholder="ZG…" />
          </label>
          <label>
            状态
            <select name="status" defaultValue={f.status ?? ""}>
              <option value="">{t.common.all}</option>
              {RECTIFICATION_STATUSES.map((s) => (
                <option key={s} value={s}>
                  {RECTIFICATION_STATUS_LABELS[s]}
                </option>
              ))}
            </select>
          </label>
          <label>
            问题类别
            <select name="category" defaultValue={f.category ?? ""}>
              <option value="">{t.common.all}</option>
              {RECTIFICATION_CATEGORIES.map((c) => (
                <option key={c} value={c}>
                  {CATEGORY_LABELS[c]}
                </option>
              ))}
            </select>
          </label>
          {(hasPermission(actor, "supervision.read") || depts.length > 1) && (
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
          <label>
            下达日期自
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
        </QueryForm>
        <div className="toolbar" style={{ alignItems: "center" }}>
          {manage && (
            <>
              <Link className="btn primary" href="/supervision/orders/new">
                下达整改通知
              </Link>
              <Link className="btn" href="/supervision/notices/new">
                通报超期整改
              </Link>
            </>
          )}
          <span className="muted">整改期限按下达之日起的工作日计算（下达当日不计），存于整改通知；待整改或已退回且超过期限的显示为红色“超期”。</span>
        </div>
        <OrdersTable data={data} />
      </div>
    </>
  );
}
