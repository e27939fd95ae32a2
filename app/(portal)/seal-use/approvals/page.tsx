import Link from "next/link";
import { forbidden } from "next/navigation";
import { pageActor } from "@/lib/auth/page";
import { hasPermission } from "@/lib/auth/permissions";
import { approvalQueue, signQueue } from "@/lib/seal-use/queries";
import { fmtDay, fmtTime } from "../badges";

/** "Pending on me": approval steps waiting for the actor, and approved requests waiting for them to seal. */
export default async function ApprovalsPage() {
  const actor = await pageActor();
  if (!hasPermission(actor, "seal.approve") && !hasPermission(actor, "seal.custody")) forbidden();
  const [queue, toSign] = await Promise.all([approvalQueue(actor), signQueue(actor)]);
  return (
    <>
      <h1>用印审批</h1>
      <div className="card">
        <h2>待我审批（{queue.length}）</h2>
        {queue.length === 0 ? (
          <p className="muted" data-testid="queue-empty">没有待您处理的用印申请。</p>
        ) : (
          <table className="grid" data-testid="approval-queue">
            <thead>
              <tr>
                <th>申请编号</th>
                <th>印章</th>
                <th>申请人</th>
                <th>用印事由</th>
                <th>用印数</th>
                <th>环节</th>
                <th>等待自</th>
                <th>操作</th>
              </tr>
            </thead>
            <tbody>
              {queue.map((q) => (
                <tr key={q.stepId}>
                  <td className="mono">{q.number}</td>
                  <td>{q.sealName}</td>
                  <td>{q.applicantName}</td>
                  <td>{q.reason}</td>
                  <td>{q.count}</td>
                  <td>
                    {q.step}
                    {q.kind === "CUSTODIAN" && q.step !== "保管人确认" && <span className="badge info">保管人确认</span>}
                  </td>
                  <td>
                    {fmtTime(q.waitingSince)}
                    {q.overdue && <span className="badge danger">超过 1 个工作日</span>}
                  </td>
                  <td>
                    <Link className="btn link" href={`/seal-use/${q.requestId}?menu=/seal-use/approvals`}>审批</Link>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
      {hasPermission(actor, "seal.custody") && (
        <div className="card">
          <h2>待我盖章（{toSign.length}）</h2>
          {toSign.length === 0 ? (
            <p className="muted">没有已批准待盖章的申请。</p>
          ) : (
            <table className="grid" data-testid="sign-queue">
              <thead>
                <tr>
                  <th>申请编号</th>
                  <th>印章</th>
                  <th>申请人</th>
                  <th>用印事由</th>
                  <th>已用/批准</th>
                  <th>有效期至</th>
                  <th>操作</th>
                </tr>
              </thead>
              <tbody>
                {toSign.map((q) => (
                  <tr key={q.requestId}>
                    <td className="mono">{q.number}</td>
                    <td>{q.sealName}</td>
                    <td>{q.applicantName}</td>
                    <td>{q.reason}</td>
                    <td>{q.usedCount}/{q.count}</td>
                    <td>{fmtDay(q.validUntil)}</td>
                    <td>
                      <Link className="btn link" href={`/seal-use/${q.requestId}?menu=/seal-use/approvals`}>盖章</Link>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </div>
      )}
    </>
  );
}
