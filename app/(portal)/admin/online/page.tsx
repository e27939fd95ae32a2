import { pageActor } from "@/lib/auth/page";
import { hasPermission } from "@/lib/auth/permissions";
import { listOnlineSessions, sessionFilter } from "@/lib/users/queries";
import { flat, type SearchParams } from "@/lib/pagination";
import { QueryForm } from "@/components/ui/query-form";
import { OnlineTable } from "./online-table";
import { t } from "@/lib/i18n/zh-CN";

export default async function OnlinePage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const actor = await pageActor("session.read");
  const f = sessionFilter.parse(flat(await searchParams));
  const data = await listOnlineSessions(actor, f);
  return (
    <>
      <h1>{t.nav.online}</h1>
      <div className="card">
        <QueryForm resetHref="/admin/online">
          <label>
            用户名/姓名
            <input name="q" defaultValue={f.q ?? ""} placeholder="输入用户名或姓名" />
          </label>
        </QueryForm>
        <OnlineTable data={data} dir={f.dir} canManage={hasPermission(actor, "session.manage")} />
      </div>
    </>
  );
}
