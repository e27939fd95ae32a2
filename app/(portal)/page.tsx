import { pageActor } from "@/lib/auth/page";
import { t } from "@/lib/i18n/zh-CN";
import { ROLE_PERMISSIONS } from "@/lib/auth/permissions";

export default async function Home() {
  const actor = await pageActor();
  return (
    <>
      <h1>{t.nav.home}</h1>
      <div className="card">
        <h2>欢迎，{actor.name}</h2>
        <dl className="kv">
          <dt>所属部门</dt>
          <dd>{actor.departmentName}</dd>
          <dt>角色与范围</dt>
          <dd>
            {actor.roles.length === 0 && <span className="muted">尚未授予角色，请联系安全管理员</span>}
            {actor.roles.map((r) => (
              <span key={r.role} className="badge info">
                {t.roles[r.role]} · {t.scopes[r.scope]}
              </span>
            ))}
          </dd>
          <dt>权限</dt>
          <dd className="mono">{[...new Set(actor.roles.flatMap((r) => ROLE_PERMISSIONS[r.role]))].join("  ") || "-"}</dd>
        </dl>
      </div>
    </>
  );
}
