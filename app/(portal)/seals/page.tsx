import Link from "next/link";
import { forbidden } from "next/navigation";
import { pageActor } from "@/lib/auth/page";
import { hasPermission } from "@/lib/auth/permissions";
import { listSeals, sealFilter } from "@/lib/seals/queries";
import { SEAL_KINDS, SEAL_KIND_LABELS, SEAL_STATUS_LABELS } from "@/lib/seals/kinds";
import { departmentOptions } from "@/lib/departments/queries";
import { flat, type SearchParams } from "@/lib/pagination";
import { QueryForm } from "@/components/ui/query-form";
import { DeptFilter } from "@/components/ui/dept-filter";
import { t } from "@/lib/i18n/zh-CN";
import { sealViewPermission } from "@/lib/seals/access";
import { SealsTable } from "./seals-table";

export default async function SealsPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const actor = await pageActor();
  const perm = sealViewPermission(actor);
  if (!perm) forbidden();
  const f = sealFilter.parse(flat(await searchParams));
  const [data, depts] = await Promise.all([listSeals(actor, f), departmentOptions(actor, perm)]);
  const now = new Date().toISOString();
  const rows = data.rows.map((r) => ({ ...r, expired: r.status === "ACTIVE" && !!r.validEnd && r.validEnd < now }));
  const check = { display: "flex", flexDirection: "row", alignItems: "center", gap: 6, paddingBottom: 7 } as const;
  return (
    <>
      <h1>电子印章</h1>
      <div className="card">
        <QueryForm resetHref="/seals">
          <label>
            名称/印章编码
            <input name="q" defaultValue={f.q ?? ""} placeholder="输入印章名称或编码" />
          </label>
          <label>
            印章类型
            <select name="kind" defaultValue={f.kind ?? ""}>
              <option value="">{t.common.all}</option>
              {SEAL_KINDS.map((k) => (
                <option key={k} value={k}>{SEAL_KIND_LABELS[k]}</option>
              ))}
            </select>
          </label>
          <label>
            状态
            <select name="status" defaultValue={f.status ?? ""}>
              <option value="">{t.common.all}</option>
              {Object.entries(SEAL_STATUS_LABELS).map(([k, v]) => (
                <option key={k} value={k}>{v}</option>
              ))}
            </select>
          </label>
          <DeptFilter label="持有部门（含下级）" value={f.dept} depts={depts} />
          <label style={check}>
            <input type="checkbox" name="expiring" value="1" defaultChecked={!!f.expiring} />
            30 天内到期
          </label>
          <label style={check}>
            <input type="checkbox" name="overdue" value="1" defaultChecked={!!f.overdue || !!f.filing} />
            备案超时
          </label>
          <label style={check} title="未过有效期截止日的印章">
            <input type="checkbox" name="valid" value="1" defaultChecked={!!f.valid} />
            有效期内
          </label>
          <label>
            注销日期自
            <input type="date" name="cancelledFrom" defaultValue={f.cancelledFrom ?? ""} />
          </label>
          <label>
            至
            <input type="date" name="cancelledTo" defaultValue={f.cancelledTo ?? ""} />
          </label>
        </QueryForm>
        {hasPermission(actor, "seal.apply") && (
          <div className="toolbar">
            <Link className="btn primary" href="/seals/apply">申请电子印章</Link>
          </div>
        )}
        <SealsTable data={{ ...data, rows }} sort={f.sort} dir={f.dir} />
      </div>
    </>
  );
}
