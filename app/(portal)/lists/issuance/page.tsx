import { forbidden } from "next/navigation";
import { pageActor } from "@/lib/auth/page";
import { hasPermission, type Permission } from "@/lib/auth/permissions";
import type { Actor } from "@/lib/auth/session";
import { departmentOptions } from "@/lib/departments/queries";
import { flat, type SearchParams } from "@/lib/pagination";
import { issuanceListFilter, listFormOptions, listIssuance, releasedTypeOptions, widestListPermission, type IssuanceListFilter } from "@/lib/catalog/list-queries";
import { AGGREGATION_MODES } from "@/lib/catalog/dictionaries";
import { QueryForm } from "@/components/ui/query-form";
import { DeptFilter } from "@/components/ui/dept-filter";
import { t } from "@/lib/i18n/zh-CN";
import { ListTabs } from "../list-tabs";
import { HistoryPanel } from "../history-panel";
import { query } from "../format";
import { IssuanceTable } from "./issuance-table";

const BASE = "/lists/issuance";

/** 发证清单 (L-02): the types each issuing department issues, and how; with its change history. */
export default async function IssuanceListPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const actor = await pageActor();
  const perm = widestListPermission(actor, "ISSUANCE");
  if (!perm) forbidden();
  const sp = flat(await searchParams);
  const tab = sp.tab === "history" ? "history" : "list";
  const f = issuanceListFilter.parse(sp);
  return (
    <>
      <h1>发证清单</h1>
      <ListTabs basePath={BASE} tab={tab} keep={query({ ...filterOf(f), sort: f.sort, dir: f.sort ? f.dir : undefined, hide: sp.hide })} />
      {tab === "history" ? <HistoryPanel actor={actor} list="ISSUANCE" basePath={BASE} sp={sp} /> : <IssuanceView actor={actor} perm={perm} f={f} />}
    </>
  );
}

const filterOf = (f: IssuanceListFilter) => ({ q: f.q, dept: f.dept, status: f.status, type: f.type, aggregation: f.aggregation });

async function IssuanceView({ actor, perm, f }: { actor: Actor; perm: Permission; f: IssuanceListFilter }) {
  const canManage = hasPermission(actor, "catalog.manage");
  const [data, depts, types, options] = await Promise.all([
    listIssuance(actor, f),
    departmentOptions(actor, perm),
    releasedTypeOptions(),
    canManage ? listFormOptions(actor, "ISSUANCE") : Promise.resolve({ depts: [], types: [] }),
  ]);
  return (
    <div className="card">
      <QueryForm resetHref={BASE}>
        <label>
          关键字
          <input name="q" defaultValue={f.q ?? ""} maxLength={50} placeholder="证照类型、代码、部门或设定依据" />
        </label>
        <DeptFilter label="发证部门（含下级）" value={f.dept} depts={depts} />
        <label>
          证照类型
          <select name="type" defaultValue={f.type ?? ""}>
            <option value="">{t.common.all}</option>
            {types.map((x) => (
              <option key={x.id} value={x.id}>
                {x.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          汇聚方式
          <select name="aggregation" defaultValue={f.aggregation ?? ""}>
            <option value="">{t.common.all}</option>
            {AGGREGATION_MODES.map((m) => (
              <option key={m.code} value={m.code}>
                {m.label}
              </option>
            ))}
          </select>
        </label>
        <label>
          状态
          <select name="status" defaultValue={f.status ?? ""}>
            <option value="">{t.common.all}</option>
            <option value="ACTIVE">启用</option>
            <option value="DISABLED">停用</option>
          </select>
        </label>
      </QueryForm>
      <IssuanceTable data={data} sort={f.sort} dir={f.dir} canManage={canManage} options={options} exportHref={`/api/lists/issuance/export${query(filterOf(f))}`} />
    </div>
  );
}
