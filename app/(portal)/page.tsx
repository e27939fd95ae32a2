import { pageActor } from "@/lib/auth/page";
import { t } from "@/lib/i18n/zh-CN";
import Link from "next/link";
import { PERMISSION_LABELS, ROLE_PERMISSIONS, hasPermission } from "@/lib/auth/permissions";
import { approvalQueue, myOpenRequests, signQueue } from "@/lib/seal-use/queries";

export default async function Home() {
  const actor = await pageActor();
  const approver = hasPermission(actor, "seal.approve") || hasPermission(actor, "seal.custody");
  const [queue, toSign, mine] = await Promise.all([
    approver ? approvalQueue(actor) : [],
    signQueue(actor),
    hasPermission(actor, "seal.apply") ? myOpenRequests(actor) : null,
  ]);
  const todo = [
    approver && { href: "/seal-use/approvals", label: "待我审批的用印申请", n: queue.length, testId: "todo-approve" },
    hasPermission(actor, "seal.custody") && { href: "/seal-use/approvals", label: "已批准待我盖章", n: toSign.length, testId: "todo-sign" },
    mine && { href: "/seal-use?mine=1&status=REJECTED", label: "我的申请被驳回待修改", n: mine.rejected, testId: "todo-rejected" },
    mine && { href: "/seal-use?mine=1&status=PENDING", label: "我的申请审批中", n: mine.pending, testId: "todo-pending" },
  ].filter((x) => !!x);
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
          <dd>
            {[...new Set(actor.roles.flatMap((r) => ROLE_PERMISSIONS[r.role]))].map((p) => (
              <span key={p} className="badge">
                {PERMISSION_LABELS[p]}
              </span>
            ))}
          </dd>
        </dl>
      </div>
      {todo.length > 0 && (
        <div className="stats" style={{ marginTop: 16 }}>
          {todo.map((x) => (
            <Link key={x.testId} href={x.href} className="stat" data-testid={x.testId}>
              {x.label}
              <b>{x.n}</b>
            </Link>
          ))}
        </div>
      )}
    </>
  );
}
