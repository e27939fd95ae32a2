import { forbidden } from "next/navigation";
import { pageActor } from "@/lib/auth/page";
import { departmentScope, hasPermission, type Permission } from "@/lib/auth/permissions";
import type { Actor } from "@/lib/auth/session";
import { listRecords, recordSealOptions, EXPORT_MAX_ROWS } from "@/lib/seal-use/queries";
import { recordFilter } from "@/lib/seal-use/schema";
import { departmentOptions } from "@/lib/departments/queries";
import { flat, type SearchParams } from "@/lib/pagination";
import { QueryForm } from "@/components/ui/query-form";
import { DeptFilter } from "@/components/ui/dept-filter";
import { t } from "@/lib/i18n/zh-CN";
import { RecordsTable } from "./records-table";

/** Mirrors VIEW_PERMS in lib/seal-use/queries.ts (the export route uses the same list). */
const VIEW_PERMISSIONS: Permission[] = ["supervision.read", "seal.custody", "seal.approve", "seal.apply"];

/**
 * The held view permission with the widest department scope. Every scope is relative to the
 * actor's own department (own ⊂ subtree ⊂ province), so its departments cover all the others.
 */
function widestViewPermission(actor: Actor): Permission | null {
  const rank = (p: Permission) => {
    const s = departmentScope(actor, p);
    return !s ? 3 : s.paths.length ? 2 : 1;
  };
  const held = VIEW_PERMISSIONS.filter((p) => hasPermission(actor, p));
  return held.length ? held.reduce((a, b) => (rank(b) > rank(a) ? b : a)) : null;
}

export default async function RecordsPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const actor = await pageActor();
  const perm = widestViewPermission(actor);
  if (!perm) forbidden();
  const sp = flat(await searchParams);
  // DeptFilter names its select "dept"; the filter schema calls it deptId.
  const f = recordFilter.parse({ ...sp, deptId: sp.deptId ?? sp.dept });
  const [data, seals, depts] = await Promise.all([listRecords(actor, f), recordSealOptions(actor), departmentOptions(actor, perm)]);
  const exportQuery = new URLSearchParams(
    Object.entries({ q: f.q, sealId: f.sealId, dept: f.deptId, from: f.from, to: f.to }).flatMap(([k, v]) => (v ? [[k, v]] : [])),
  ).toString();
  return (
    <>
      <h1>用印登记</h1>
      <div className="card">
        <QueryForm resetHref="/seal-use/records">
          <label>
            关键字
            <input name="q" defaultValue={f.q ?? ""} maxLength={50} placeholder="事由、文件、申请编号、经办人或印章" />
          </label>
          <label>
            印章
            <select name="sealId" defaultValue={f.sealId ?? ""}>
              <option value="">{t.common.all}</option>
              {seals.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.name}（{s.esId}）
                </option>
              ))}
            </select>
          </label>
          <DeptFilter label="持有部门（含下级）" value={f.deptId} depts={depts} />
          <label>
            用印日期自
            <input type="date" name="from" defaultValue={f.from ?? ""} />
          </label>
          <label>
            至
            <input type="date" name="to" defaultValue={f.to ?? ""} />
          </label>
        </QueryForm>
        <div className="toolbar" style={{ alignItems: "center" }}>
          <a className="btn" href={`/api/seal-use/records/export${exportQuery ? `?${exportQuery}` : ""}`} data-testid="records-export">
            导出 XLSX
          </a>
          <span className="muted">
            {data.total > EXPORT_MAX_ROWS ? `符合条件的记录超过 ${EXPORT_MAX_ROWS} 条，导出时只包含最近的 ${EXPORT_MAX_ROWS} 条，请缩小查询范围` : "导出当前查询条件下的全部记录（时间为北京时间）"}
          </span>
        </div>
        <RecordsTable data={data} />
      </div>
    </>
  );
}
