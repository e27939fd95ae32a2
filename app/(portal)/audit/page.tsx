import { pageActor } from "@/lib/auth/page";
import { hasPermission } from "@/lib/auth/permissions";
import { auditFilter, listAuditEvents } from "@/lib/audit/queries";
import { AUDIT_ACTION_LABELS } from "@/lib/audit/events";
import { flat, type SearchParams } from "@/lib/pagination";
import { QueryForm } from "@/components/ui/query-form";
import { AuditTable } from "./audit-table";
import { VerifyButton } from "./verify-button";
import { t } from "@/lib/i18n/zh-CN";

export default async function AuditPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const actor = await pageActor("audit.read");
  const f = auditFilter.parse(flat(await searchParams));
  const data = await listAuditEvents(actor, f);
  return (
    <>
      <h1>{t.nav.audit}</h1>
      <div className="card">
        <QueryForm resetHref="/audit">
          <label>
            操作类型
            <select name="action" defaultValue={f.action ?? ""}>
              <option value="">{t.common.all}</option>
              {Object.entries(AUDIT_ACTION_LABELS).map(([code, label]) => (
                <option key={code} value={code}>{label}</option>
              ))}
            </select>
          </label>
          <label>
            操作人
            <input name="actor" defaultValue={f.actor ?? ""} placeholder="姓名或用户名" />
          </label>
          <label>
            操作对象
            <input name="target" defaultValue={f.target ?? ""} placeholder="对象类型或编号" />
          </label>
          <label>
            开始日期
            <input type="date" name="from" defaultValue={f.from ?? ""} />
          </label>
          <label>
            结束日期
            <input type="date" name="to" defaultValue={f.to ?? ""} />
          </label>
        </QueryForm>
        {hasPermission(actor, "audit.verify") && <VerifyButton />}
        <AuditTable data={data} dir={f.dir} />
      </div>
    </>
  );
}
