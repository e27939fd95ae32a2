import { forbidden } from "next/navigation";
import { pageActor } from "@/lib/auth/page";
import { hasPermission, type Permission } from "@/lib/auth/permissions";
import type { Actor } from "@/lib/auth/session";
import { departmentOptions } from "@/lib/departments/queries";
import { flat, type SearchParams } from "@/lib/pagination";
import { listFormOptions, listUse, releasedTypeOptions, useListFilter, widestListPermission, type UseListFilter } from "@/lib/catalog/list-queries";
import { USE_BASES, USE_SCENARIOS } from "@/lib/catalog/dictionaries";
import { QueryForm } from "@/components/ui/query-form";
import { DeptFilter } from "@/components/ui/dept-filter";
import { t } from "@/lib/i18n/zh-CN";
import { ListTabs } from "../list-tabs";
import { HistoryPanel } from "../history-panel";
import { query } from "../format";
import { UseTable } from "./use-table";

const BASE = "/lists/use";

/** 用证清单 (L-03, U-01): what each using department may do with a type; every use outside it is refused. */
export default async function UseListPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const actor = await pageActor();
  const perm = widestListPermission(actor, "USE");
  if (!perm) forbidden();
  const sp = flat(await searchParams);
  const tab = sp.tab === "history" ? "history" : "list";
  const f = useListFilter.parse(sp);
  return (
    <>
      <h1>用证清单</h1>
      <ListTabs basePath={BASE} tab={tab} keep={query({ ...filterOf(f), sort: f.sort, dir: f.sort ? f.dir : undefined, hide: sp.hide })} />
      {tab === "history" ? <HistoryPanel actor={actor} list="USE" basePath={BASE} sp={sp} /> : <UseView actor={actor} perm={perm} f={f} />}
    </>
  );
}

const filterOf = (f: UseListFilter) => ({ q: f.q, dept: f.dept, status: f.status, type: f.type, scenario: f.scenario, basis: f.basis });

async function UseView({ actor, perm, f }: { actor: Actor; perm: Permission; f: UseListFilter }) {
  const canManage = hasPermission(actor, "catalog.manage");
  const [data, depts, types, options] = await Promise.all([
    listUse(actor, f),
    departmentOptions(actor, perm),
    releasedTypeOptions(),
    canManage ? listFormOptions(actor, "USE") : Promise.resolve({ depts: [], types: [] }),
  ]);
  return (
    <div className="card">
      <QueryForm resetHref={BASE}>
        <label>
          关键字
          <input name="q" defaultValue={f.q ?? ""} maxLength={50} placeholder="证照类型、代码、部门或事项" />
        </label>
        <DeptFilter label="用证部门（含下级）" value={f.dept} depts={depts} />
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
          使用场景
          <select name="scenario" defaultValue={f.scenario ?? ""}>
            <option value="">{t.common.all}</option>
            {USE_SCENARIOS.map((s) => (
              <option key={s.code} value={s.code}>
                {s.label}
              </option>
            ))}
          </select>
        </label>
        <label>
          用证依据
          <select name="basis" defaultValue={f.basis ?? ""}>
            <option value="">{t.common.all}</option>
            {USE_BASES.map((b) => (
              <option key={b.code} value={b.code}>
                {b.label}
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
      <UseTable data={data} sort={f.sort} dir={f.dir} canManage={canManage} options={options} exportHref={`/api/lists/use/export${query(filterOf(f))}`} />
    </div>
  );
}
