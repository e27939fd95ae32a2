// 随机抽查 (V-03): the spot checks whose every department is within the reader's scope.
import Link from "next/link";
import { pageActor } from "@/lib/auth/page";
import { hasPermission } from "@/lib/auth/permissions";
import { flat, type SearchParams } from "@/lib/pagination";
import { listSpotChecks } from "@/lib/supervision/spot-checks";
import { SPOT_CHECK_KINDS, SPOT_CHECK_KIND_LABELS, SPOT_CHECK_STATUSES, SPOT_CHECK_STATUS_LABELS, spotCheckFilter } from "@/lib/supervision/spot-checks-schema";
import { QueryForm } from "@/components/ui/query-form";
import { t } from "@/lib/i18n/zh-CN";
import { SpotChecksTable } from "./spot-checks-table";

export default async function SpotChecksPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const actor = await pageActor("supervision.read");
  const f = spotCheckFilter.parse(flat(await searchParams));
  const data = await listSpotChecks(actor, f);
  return (
    <>
      <h1>随机抽查</h1>
      <div className="card">
        <QueryForm resetHref="/supervision/spot-checks">
          <label>
            抽查编号
            <input name="number" defaultValue={f.number ?? ""} maxLength={20} placeholder="CC…" />
          </label>
          <label>
            抽查对象
            <select name="kind" defaultValue={f.kind ?? ""}>
              <option value="">{t.common.all}</option>
              {SPOT_CHECK_KINDS.map((k) => (
                <option key={k} value={k}>
                  {SPOT_CHECK_KIND_LABELS[k]}
                </option>
              ))}
            </select>
          </label>
          <label>
            状态
            <select name="status" defaultValue={f.status ?? ""}>
              <option value="">{t.common.all}</option>
              {SPOT_CHECK_STATUSES.map((s) => (
                <option key={s} value={s}>
                  {SPOT_CHECK_STATUS_LABELS[s]}
                </option>
              ))}
            </select>
          </label>
          <label>
            发起日期自
            <input type="date" name="from" defaultValue={f.from ?? ""} />
          </label>
          <label>
            至
            <input type="date" name="to" defaultValue={f.to ?? ""} />
          </label>
        </QueryForm>
        <div className="toolbar" style={{ alignItems: "center" }}>
          {hasPermission(actor, "supervision.manage") && (
            <Link className="btn primary" href="/supervision/spot-checks/new">
              发起抽查
            </Link>
          )}
          <span className="muted">每个部门抽取 SM3(种子‖记录标识) 最小的 N 条；凭记录的种子可复现抽样结果。</span>
        </div>
        <SpotChecksTable data={data} />
      </div>
    </>
  );
}
