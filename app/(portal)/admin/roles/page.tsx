import { pageActor } from "@/lib/auth/page";
import { ROLES } from "@/lib/auth/permissions";
import { listUsers, userFilter } from "@/lib/users/queries";
import { flat, type SearchParams } from "@/lib/pagination";
import { QueryForm } from "@/components/ui/query-form";
import { RolesTable } from "./roles-table";
import { t } from "@/lib/i18n/zh-CN";

export default async function RolesPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const actor = await pageActor("role.read");
  const f = userFilter.parse(flat(await searchParams));
  const data = await listUsers(actor, f, "role.read");
  return (
    <>
      <h1>{t.nav.roles}</h1>
      <div className="card">
        <p className="muted">三员分立：系统管理员、安全管理员、审计管理员三者不得由同一人兼任。角色授权仅由安全管理员执行，每次授权与撤销均记入审计日志。</p>
        <QueryForm resetHref="/admin/roles">
          <label>
            用户名/姓名
            <input name="q" defaultValue={f.q ?? ""} />
          </label>
          <label>
            角色
            <select name="role" defaultValue={f.role ?? ""}>
              <option value="">{t.common.all}</option>
              {ROLES.map((r) => <option key={r} value={r}>{t.roles[r]}</option>)}
            </select>
          </label>
        </QueryForm>
        <RolesTable data={data} sort={f.sort} dir={f.dir} selfId={actor.userId} />
      </div>
    </>
  );
}
