import { pageActor } from "@/lib/auth/page";
import { can, hasPermission, ROLES } from "@/lib/auth/permissions";
import { listUsers, userFilter } from "@/lib/users/queries";
import { departmentOptions } from "@/lib/departments/queries";
import { flat, type SearchParams } from "@/lib/pagination";
import { QueryForm } from "@/components/ui/query-form";
import { DeptFilter } from "@/components/ui/dept-filter";
import { UsersTable } from "./users-table";
import { t } from "@/lib/i18n/zh-CN";

export default async function UsersPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const actor = await pageActor("user.read");
  const f = userFilter.parse(flat(await searchParams));
  const [data, depts] = await Promise.all([listUsers(actor, f), departmentOptions(actor, "user.read")]);
  const manage = hasPermission(actor, "user.manage");
  const manageDepts = manage ? await departmentOptions(actor, "user.manage") : [];
  return (
    <>
      <h1>{t.nav.users}</h1>
      <div className="card">
        <QueryForm resetHref="/admin/users">
          <label>
            用户名/姓名
            <input name="q" defaultValue={f.q ?? ""} placeholder="输入用户名或姓名" />
          </label>
          <DeptFilter label="部门（含下级）" value={f.dept} depts={depts} />
          <label>
            角色
            <select name="role" defaultValue={f.role ?? ""}>
              <option value="">{t.common.all}</option>
              {ROLES.map((r) => (
                <option key={r} value={r}>{t.roles[r]}</option>
              ))}
            </select>
          </label>
          <label>
            状态
            <select name="status" defaultValue={f.status ?? ""}>
              <option value="">{t.common.all}</option>
              <option value="ACTIVE">{t.status.ACTIVE}</option>
              <option value="DISABLED">{t.status.DISABLED}</option>
            </select>
          </label>
        </QueryForm>
        <UsersTable
          data={data}
          sort={f.sort}
          dir={f.dir}
          canManage={manage}
          canEndSessions={can(actor, "session.manage")}
          selfId={actor.userId}
          departments={manageDepts.filter((d) => d.status === "ACTIVE")}
        />
      </div>
    </>
  );
}
