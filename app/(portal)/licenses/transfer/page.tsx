// 部门撤并 (L-11): the system administrator transfers a department's licences to its successor;
// the successor's issuer operators re-seal what they took over with their own seal.
import Link from "next/link";
import { forbidden } from "next/navigation";
import { pageActor } from "@/lib/auth/page";
import { hasPermission } from "@/lib/auth/permissions";
import { resealOverview, transferOverview } from "@/lib/licenses/transfer";
import { fmtTime } from "@/components/ui/fmt";
import { LicenceStatusBadge } from "../[id]/status-badge";
import { TransferForm } from "./transfer-form";
import { ResealButton } from "./reseal-button";

export default async function TransferPage() {
  const actor = await pageActor();
  const admin = hasPermission(actor, "dept.manage");
  if (!admin && !hasPermission(actor, "licence.issue")) forbidden();
  const [overview, pending] = await Promise.all([admin ? transferOverview(actor) : null, resealOverview(actor)]);

  return (
    <>
      <h1>证照划转</h1>
      {overview && (
        <>
          <div className="card">
            <h2>部门撤并：划转证照</h2>
            <p className="muted" style={{ marginTop: 0 }}>
              将原部门有效、暂扣和已过期的证照整体划转给承接部门（已吊销、注销、撤销的证照留在原部门）。证照内容、电子证照标识和原发证部门不变；划转后由承接部门办理暂扣、变更、延续等业务，并可重新签章。
            </p>
            <TransferForm departments={overview.departments} />
          </div>
          <div className="card">
            <h2>划转记录</h2>
            {overview.history.length === 0 ? (
              <p className="muted">暂无划转记录。</p>
            ) : (
              <table className="grid" data-testid="transfer-history">
                <thead>
                  <tr>
                    <th>时间</th>
                    <th>原部门</th>
                    <th>承接部门</th>
                    <th>证照数</th>
                    <th>依据</th>
                  </tr>
                </thead>
                <tbody>
                  {overview.history.map((h) => (
                    <tr key={h.id}>
                      <td>{fmtTime(h.createdAt)}</td>
                      <td>{h.from}</td>
                      <td>{h.to}</td>
                      <td>{h.count}</td>
                      <td style={{ whiteSpace: "pre-wrap" }}>{h.reason}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </div>
        </>
      )}
      {pending && (
        <div className="card" data-testid="reseal">
          <h2>重新签章（{actor.departmentName}）</h2>
          {pending.total === 0 ? (
            <p className="muted">本部门没有需要重新签章的证照。</p>
          ) : (
            <>
              <p className="muted" style={{ marginTop: 0 }}>
                以下 {pending.total} 张证照由其他部门划转而来，仍带原发证部门的签名。重新签章以本部门绑定到证照类型的电子印章签名，证照内容和电子证照标识不变。
              </p>
              <ResealButton total={pending.total} />
              <table className="grid">
                <thead>
                  <tr>
                    <th>证照</th>
                    <th>证照编号</th>
                    <th>持证主体</th>
                    <th>状态</th>
                    <th>原签章印章</th>
                    <th>原发证部门</th>
                  </tr>
                </thead>
                <tbody>
                  {pending.rows.map((r) => (
                    <tr key={r.id}>
                      <td>
                        <Link href={`/licenses/${r.id}`}>{r.name}</Link>
                      </td>
                      <td className="mono">{r.licenceNumber}</td>
                      <td>{r.holderName}</td>
                      <td>
                        <LicenceStatusBadge status={r.status} />
                      </td>
                      <td>{r.sealName ?? "未签章"}</td>
                      <td>{r.originalIssuer}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
              {pending.total > pending.rows.length && <p className="muted">仅列出最近的 {pending.rows.length} 张。</p>}
            </>
          )}
        </div>
      )}
    </>
  );
}
