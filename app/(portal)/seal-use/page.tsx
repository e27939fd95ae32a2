import Link from "next/link";
import { forbidden } from "next/navigation";
import { pageActor } from "@/lib/auth/page";
import { hasPermission } from "@/lib/auth/permissions";
import { listRequests } from "@/lib/seal-use/queries";
import { requestFilter } from "@/lib/seal-use/schema";
import { SEAL_USE_STATUS_LABELS } from "@/lib/seal-use/labels";
import { flat, type SearchParams } from "@/lib/pagination";
import { departmentOptions } from "@/lib/departments/queries";
import { QueryForm } from "@/components/ui/query-form";
import { DeptFilter } from "@/components/ui/dept-filter";
import { t } from "@/lib/i18n/zh-CN";
import { RequestsTable } from "./requests-table";

const VIEW = ["seal.apply", "seal.approve", "seal.custody", "supervision.read"] as const;

export default async function SealUsePage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const actor = await pageActor();
  if (!VIEW.some((p) => hasPermission(actor, p))) forbidden();
  const f = requestFilter.parse(flat(await searchParams));
  // the department filter offers the departments of the widest held view permission
  const deptPerm = (["supervision.read", "seal.custody", "seal.approve", "seal.apply"] as const).find((p) => hasPermission(actor, p))!;
  const [data, depts] = await Promise.all([listRequests(actor, f), departmentOptions(actor, deptPerm)]);
  return (
    <>
      <h1>用印申请</h1>
      <div className="card">
        <QueryForm resetHref="/seal-use">
          <label>
            关键词
            <input name="q" defaultValue={f.q ?? ""} placeholder="事由、印章或申请人" />
          </label>
          <label>
            状态
            <select name="status" defaultValue={f.status ?? ""}>
              <option value="">{t.common.all}</option>
              {Object.entries(SEAL_USE_STATUS_LABELS).map(([k, v]) => (
                <option key={k} value={k}>{v}</option>
              ))}
            </select>
          </label>
          <DeptFilter label="用印部门（含下级）" value={f.dept} depts={depts} />
          <label>
            提交日期自
            <input type="date" name="submittedFrom" defaultValue={f.submittedFrom ?? ""} />
          </label>
          <label>
            至
            <input type="date" name="submittedTo" defaultValue={f.submittedTo ?? ""} />
          </label>
          <label>
            审批完成日期自
            <input type="date" name="approvedFrom" defaultValue={f.approvedFrom ?? ""} />
          </label>
          <label>
            至
            <input type="date" name="approvedTo" defaultValue={f.approvedTo ?? ""} />
          </label>
          {hasPermission(actor, "seal.apply") && (
            <label style={{ display: "flex", flexDirection: "row", alignItems: "center", gap: 6, paddingBottom: 7 }}>
              <input type="checkbox" name="mine" value="1" defaultChecked={f.mine === "1"} />
              只看我的申请
            </label>
          )}
        </QueryForm>
        {hasPermission(actor, "seal.apply") && (
          <div className="toolbar">
            <Link className="btn primary" href="/seal-use/new">新建用印申请</Link>
          </div>
        )}
        <RequestsTable data={data} sort={f.sort} dir={f.dir} />
      </div>
    </>
  );
}
