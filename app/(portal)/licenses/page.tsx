import { forbidden, notFound } from "next/navigation";
import { pageActor } from "@/lib/auth/page";
import { departmentScope, hasPermission, type Permission } from "@/lib/auth/permissions";
import type { Actor } from "@/lib/auth/session";
import { AppError } from "@/lib/errors";
import { departmentOptions } from "@/lib/departments/queries";
import { flat, type SearchParams } from "@/lib/pagination";
import { EXPORT_MAX_ROWS, FILTER_KEYS, licenceFilter } from "@/lib/licenses/list-schema";
import { canListLicences, LICENCE_LIST_PERMISSIONS, licenceTypeOptions, listLicences } from "@/lib/licenses/queries";
import { LicenceQueryForm } from "./_list/query-form";
import { LicenceTable } from "./_list/licence-table";

/**
 * The held list permission with the widest department scope, for the department filter's choices.
 * Every scope is relative to the actor's own department (own ⊂ subtree ⊂ province).
 */
function widest(actor: Actor): Permission {
  const rank = (p: Permission) => {
    const s = departmentScope(actor, p);
    return !s ? 2 : s.paths.length ? 1 : 0;
  };
  const held: Permission[] = LICENCE_LIST_PERMISSIONS.filter((p) => hasPermission(actor, p));
  return held.reduce((a, b) => (rank(b) > rank(a) ? b : a));
}

async function load<T>(p: Promise<T>): Promise<T> {
  try {
    return await p;
  } catch (e) {
    // a department filter outside the actor's scope
    if (e instanceof AppError && e.code === "NOT_FOUND") notFound();
    throw e;
  }
}

export default async function LicencesPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const actor = await pageActor();
  if (!canListLicences(actor)) forbidden();
  const f = licenceFilter.parse(flat(await searchParams));
  const [data, types, depts] = await Promise.all([load(listLicences(actor, f)), licenceTypeOptions(), departmentOptions(actor, widest(actor))]);
  const exportQuery = new URLSearchParams(
    [...FILTER_KEYS.flatMap((k) => (f[k] ? [[k, String(f[k])]] : [])), ["sort", f.sort], ["dir", f.dir]],
  ).toString();
  return (
    <>
      <h1>电子证照</h1>
      <div className="card">
        <LicenceQueryForm
          // a new filter (or 重置) remounts the form, so its uncontrolled fields show the URL's values
          key={exportQuery}
          types={types}
          depts={depts}
          values={{ type: f.type, status: f.status, dept: f.dept, name: f.name, issuedFrom: f.issuedFrom, issuedTo: f.issuedTo, expiresFrom: f.expiresFrom, expiresTo: f.expiresTo, restricted: f.restricted, sync: f.sync, late: f.late, origin: f.origin }}
          holderHash={f.h ?? null}
        />
        <div className="toolbar" style={{ alignItems: "center" }}>
          <a className="btn" href={`/api/licenses/export?${exportQuery}`} data-testid="licence-export">
            导出 XLSX
          </a>
          <span className="muted">
            {data.totalCapped || data.total > EXPORT_MAX_ROWS
              ? `导出当前条件下按当前排序的前 ${EXPORT_MAX_ROWS.toLocaleString("zh-CN")} 条，持证主体代码脱敏；更多请缩小查询范围`
              : "导出当前查询条件下的全部证照，持证主体代码脱敏"}
          </span>
        </div>
        {/* a reversed range matches nothing: say why rather than show an unexplained empty list */}
        {[
          ["发证日期", f.issuedFrom, f.issuedTo],
          ["有效期至", f.expiresFrom, f.expiresTo],
        ]
          .filter(([, from, to]) => from && to && from > to)
          .map(([what]) => (
            <div key={what} className="alert warn" role="status">
              {what}的起始日期晚于截止日期，没有符合条件的证照；请调整查询条件
            </div>
          ))}
        <LicenceTable data={data} />
      </div>
    </>
  );
}
