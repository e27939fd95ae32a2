import Link from "next/link";
import { notFound } from "next/navigation";
import { pageActor } from "@/lib/auth/page";
import { AppError } from "@/lib/errors";
import { requestDetail, stepCandidates } from "@/lib/seal-use/queries";
import { DECISION_LABELS, MODE_LABELS, ORIGIN_LABELS, STEP_STATUS_LABELS } from "@/lib/seal-use/labels";
import { isUuid } from "@/app/api/seals/guard";
import { UseStatusBadge, fmtDay, fmtTime } from "../badges";
import { RequestActions } from "./request-actions";
import { SignPanel } from "./sign-panel";
import { DocumentList } from "./document-list";

const EVENT_LABELS: Record<string, string> = {
  create: "创建申请",
  update: "修改申请",
  submit: "提交审批",
  approve_step: "同意",
  reject_step: "驳回",
  transfer: "转办",
  add_approver: "加签",
  approve: "审批通过",
  reject: "申请被驳回",
  withdraw: "撤回",
  expire: "过期",
  sign: "盖章",
  sign_failed: "盖章未完成",
};
const STEP_TONE: Record<string, string> = { ACTIVE: "warn", APPROVED: "ok", REJECTED: "danger" };
const DECISION_TONE: Record<string, string> = { APPROVED: "ok", REJECTED: "danger", PENDING: "warn" };
const MM_TO_PT = 72 / 25.4;

export default async function RequestPage({ params }: { params: Promise<{ id: string }> }) {
  const actor = await pageActor();
  const { id } = await params;
  if (!isUuid(id)) notFound();
  const d = await requestDetail(actor, id).catch((e: unknown) => {
    if (e instanceof AppError && (e.code === "NOT_FOUND" || e.code === "FORBIDDEN")) notFound();
    throw e;
  });
  const r = d.request;
  const candidates = d.can.decide?.kind === "APPROVAL" ? await stepCandidates(actor, id) : [];
  const liveDocs = d.documents.filter((x) => !x.removedAt);
  return (
    <>
      <h1>
        用印申请 <span className="mono" style={{ fontSize: 16 }}>{r.number}</span> <UseStatusBadge status={r.status} />
      </h1>
      <div className="card">
        {r.status === "REJECTED" && d.rejection && (
          <div className="alert warn" role="status">
            第 {r.round} 轮被驳回（{d.rejection.by}，{fmtTime(d.rejection.at)}）：{d.rejection.comment}
          </div>
        )}
        <dl className="kv" data-testid="request-info">
          <dt>印章</dt>
          <dd>{d.seal.name}（<span className="mono">{d.seal.esId}</span>，{d.seal.useMode === "CENTRALISED" ? "集中用印" : "分散用印"}）</dd>
          <dt>用印部门</dt>
          <dd>{d.seal.deptName}</dd>
          <dt>申请人</dt>
          <dd>{r.applicantName}</dd>
          <dt>用印事由</dt>
          <dd style={{ whiteSpace: "pre-wrap" }}>{r.reason}</dd>
          <dt>用印数</dt>
          <dd data-testid="use-count">{r.approvedAt ? `已用 ${r.usedCount} / 批准 ${r.count} 次（剩余 ${r.count - r.usedCount} 次）` : `申请 ${r.count} 次（尚未批准）`}</dd>
          <dt>有效期至</dt>
          <dd>{fmtDay(r.validUntil)}</dd>
          {r.remarks && (
            <>
              <dt>备注</dt>
              <dd style={{ whiteSpace: "pre-wrap" }}>{r.remarks}</dd>
            </>
          )}
          <dt>创建时间</dt>
          <dd>{fmtTime(r.createdAt)}</dd>
          {r.submittedAt && (
            <>
              <dt>提交时间</dt>
              <dd>{fmtTime(r.submittedAt)}（第 {r.round} 轮）</dd>
            </>
          )}
          {r.approvedAt && (
            <>
              <dt>批准时间</dt>
              <dd>{fmtTime(r.approvedAt)}</dd>
            </>
          )}
        </dl>
      </div>

      <RequestActions requestId={r.id} can={d.can} candidates={candidates} draft={r.status === "DRAFT"} />

      {d.can.sign && (
        <SignPanel
          requestId={r.id}
          sealId={d.seal.id}
          documents={liveDocs.map((x) => ({ id: x.id, filename: x.filename, pages: x.pages }))}
          stampWidthPt={(d.seal.widthMm ?? 42) * MM_TO_PT}
          stampHeightPt={(d.seal.heightMm ?? 42) * MM_TO_PT}
          allowed={d.can.sign.allowed}
          reason={d.can.sign.reason}
          needsPassword={d.can.sign.needsPassword}
          remaining={r.count - r.usedCount}
        />
      )}

      <div className="card">
        <h2>需要用印的文件</h2>
        <DocumentList documents={d.documents} />
      </div>

      {d.signatures.length > 0 && (
        <div className="card" data-testid="signatures">
          <h2>已盖章文件</h2>
          <table className="grid">
            <thead>
              <tr>
                <th>文件</th>
                <th>盖章人</th>
                <th>签章时间</th>
                <th>位置</th>
                <th>签章文件摘要（SM3）</th>
                <th>下载</th>
              </tr>
            </thead>
            <tbody>
              {d.signatures.map((s) => (
                <tr key={s.id}>
                  <td>{d.documents.find((x) => x.id === s.documentId)?.filename}</td>
                  <td>{s.signerName}</td>
                  <td>{fmtTime(s.signedAt)}</td>
                  <td>第 {s.position.page} 页{s.riding ? "，含骑缝章" : ""}</td>
                  <td className="mono" title={`签章文件（下载的 PDF）：${s.sealedSm3 ?? ""}\n签名原文（嵌入签名前）：${s.signedSm3 ?? ""}`}>{s.sealedSm3?.slice(0, 16)}…</td>
                  <td className="actions">
                    <a className="btn link" href={`/api/seal-use/signatures/${s.id}/pdf`} download>签章 PDF</a>
                    <a className="btn link" href={`/api/seal-use/signatures/${s.id}/sig`} download>签名文件 .sig</a>
                    <Link className="btn link" href="/verify">去验证</Link>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      <div className="card" data-testid="approval-steps">
        <h2>审批流程</h2>
        {d.rounds.length === 0 && <p className="muted">尚未提交审批。</p>}
        {d.rounds.map((round) => (
          <div key={round.round} style={{ marginBottom: 12 }}>
            {d.rounds.length > 1 && <h3 style={{ fontSize: 14 }}>第 {round.round} 轮{round.round === r.round ? "（当前）" : ""}</h3>}
            <table className="grid">
              <thead>
                <tr>
                  <th>环节</th>
                  <th>方式</th>
                  <th>状态</th>
                  <th>审批人与意见</th>
                </tr>
              </thead>
              <tbody>
                {round.steps.map((s) => (
                  <tr key={s.id} data-step={s.name}>
                    <td>
                      {s.index + 1}. {s.name}
                    </td>
                    <td>{s.kind === "CUSTODIAN" ? "保管人确认" : MODE_LABELS[s.mode]}</td>
                    <td>
                      <span className={`badge ${STEP_TONE[s.status] ?? ""}`}>{STEP_STATUS_LABELS[s.status]}</span>
                    </td>
                    <td>
                      {s.assignees.map((a) => (
                        <div key={a.id}>
                          {a.userName}
                          {a.origin !== "FLOW" && <span className="badge info">{ORIGIN_LABELS[a.origin]}</span>}
                          <span className={`badge ${s.status === "WAITING" ? "" : (DECISION_TONE[a.decision] ?? "")}`}>{s.status === "WAITING" ? "未开始" : DECISION_LABELS[a.decision]}</span>
                          {a.decidedAt && <span className="muted"> {fmtTime(a.decidedAt)}</span>}
                          {a.comment && <span>：{a.comment}</span>}
                        </div>
                      ))}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ))}
      </div>

      <div className="card">
        <h2>历史记录</h2>
        <table className="grid" data-testid="history">
          <thead>
            <tr>
              <th>时间</th>
              <th>操作</th>
              <th>操作人</th>
              <th>说明</th>
            </tr>
          </thead>
          <tbody>
            {d.events.map((e) => (
              <tr key={e.id}>
                <td>{fmtTime(e.at)}</td>
                <td>{EVENT_LABELS[e.action] ?? e.action}</td>
                <td>{e.actorName}</td>
                <td style={{ whiteSpace: "pre-wrap" }}>{e.comment}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
