import Link from "next/link";
import { forbidden } from "next/navigation";
import { pageActor } from "@/lib/auth/page";
import { departmentScope, hasPermission, type Permission } from "@/lib/auth/permissions";
import type { Actor } from "@/lib/auth/session";
import { canViewCatalog, isReviewer, listTypes } from "@/lib/catalog/queries";
import { typeFilter } from "@/lib/catalog/schema";
import { LICENCE_CATEGORIES, VERSION_STATES } from "@/lib/catalog/dictionaries";
import { departmentOptions } from "@/lib/departments/queries";
import { flat, type SearchParams } from "@/lib/pagination";
import { QueryForm } from "@/components/ui/query-form";
import { DeptFilter } from "@/components/ui/dept-filter";
import { t } from "@/lib/i18n/zh-CN";
import { TypesTable } from "./types-table";

/** The view permission with the widest department scope, for the department filter's choices. */
function widest(actor: Actor): Permission {
  const held = (["catalog.manage", "supervision.read"] as const).filter((p) => hasPermission(actor, p));
  const rank = (p: Permission) => {
    const s = departmentScope(actor, p);
    return !s ? 2 : s.paths.length ? 1 : 0;
  };
  return held.reduce((a, b) => (rank(b) > rank(a) ? b : a));
}

export default async function CatalogPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const actor = await pageActor();
  if (!canViewCatalog(actor)) forbidden();
  const f = typeFilter.parse(flat(await searchParams));
  const manage = hasPermission(actor, "catalog.manage");
  const [data, depts, reviewer] = await Promise.all([listTypes(actor, f), departmentOptions(actor, widest(actor)), isReviewer(actor)]);
  const filter = Object.fromEntries(Object.entries({ q: f.q, category: f.category, state: f.state, dept: f.dept, sort: f.sort, dir: f.sort ? f.dir : undefined }).filter(([, v]) => v)) as Record<string, string>;
  return (
    <>
      <h1>证照目录</h1>
      <div className="card">
        <QueryForm resetHref="/catalog">
          <label>
            关键字
            <input name="q" defaultValue={f.q ?? ""} maxLength={50} placeholder="名称或证照类型代码" />
          </label>
          <label>
            证照类别
            <select name="category" defaultValue={f.category ?? ""}>
              <option value="">{t.common.all}</option>
              {LICENCE_CATEGORIES.map((c) => (
                <option key={c.code} value={c.code}>{c.label}</option>
              ))}
            </select>
          </label>
          <label>
            状态
            <select name="state" defaultValue={f.state ?? ""}>
              <option value="">{t.common.all}</option>
              {VERSION_STATES.map((s) => (
                <option key={s.code} value={s.code}>{s.code === "RELEASED" ? "已发布（可用）" : s.code === "DRAFT" ? "有草稿" : s.label}</option>
              ))}
            </select>
          </label>
          <DeptFilter label="提出或发证部门（含下级）" value={f.dept} depts={depts} />
        </QueryForm>
        <TypesTable
          data={data}
          sort={f.sort}
          dir={f.dir}
          filter={filter}
          can={{ manage, review: reviewer }}
          toolbar={
            manage ? (
              <>
                <Link className="btn primary" href="/catalog/new">
                  新建证照类型
                </Link>
                <Link className="btn" href="/catalog/import?kind=TYPES" data-testid="catalog-import">
                  导入
                </Link>
              </>
            ) : null
          }
        />
      </div>
    </>
  );
}
