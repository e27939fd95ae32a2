// 整改通知详情 (V-02): the order with its category, description, evidence (links to the rows, each
// with the record's current state, read on the server), the
// stored due date and the overdue flag, every response with its attachments, the history, and the
// actions this reader may take now. Out of scope reads as not found.
import Link from "next/link";
import { notFound } from "next/navigation";
import { z } from "zod";
import { pageActor } from "@/lib/auth/page";
import { AppError } from "@/lib/errors";
import { mayReadOrders, orderDetail } from "@/lib/supervision/rectification-queries";
import { RECTIFICATION_STATUS_LABELS, type RectificationStatus } from "@/lib/supervision/rectification-schema";
import { fmtTime } from "@/components/ui/fmt";
import { DueCell, OrderStatusBadge } from "../_ui/badges";
import { OrderActions } from "./order-actions";

const sizeText = (n: number) => (n >= 1048576 ? `${(n / 1048576).toFixed(1)} MB` : `${Math.max(1, Math.round(n / 1024))} KB`);
const statusText = (s: string | null) => (s ? (RECTIFICATION_STATUS_LABELS[s as RectificationStatus] ?? s) : "");

export default async function OrderPage({ params }: { params: Promise<{ id: string }> }) {
  const actor = await pageActor();
  const { id } = await params;
  if (!mayReadOrders(actor) || !z.string().uuid().safeParse(id).success) notFound();
  const d = await orderDetail(actor, id).catch((e: unknown) => {
    if (e instanceof AppError && (e.code === "NOT_FOUND" || e.code === "FORBIDDEN")) notFound();
    throw e;
  });
  if (!d) notFound();
  return (
    <>
      <h1>
        整改通知 <span className="mono" style={{ fontSize: "inherit" }}>{d.number}</span> <OrderStatusBadge status={d.status} label={d.statusLabel} round={d.round} />
      </h1>
      {d.overdueDays > 0 && (
        <div className="alert error" role="status" data-testid="order-overdue-alert">
          已超过整改期限 {d.overdueDays} 天，尚未反馈整改情况。
        </div>
      )}
      <div className="card">
        <dl className="kv">
          <dt>被责令整改部门</dt>
          <dd>{d.dept.name}</dd>
          <dt>问题类别</dt>
          <dd>{d.categoryLabel}</dd>
          <dt>标题</dt>
          <dd>{d.title}</dd>
          <dt>下达部门</dt>
          <dd>
            {d.issuerDept.name}（{d.issuedBy}）
          </dd>
          <dt>下达时间</dt>
          <dd>{fmtTime(d.issuedAt)}</dd>
          <dt>整改期限</dt>
          <dd>
            下达时限 {d.dueDays} 个工作日，现截止 <DueCell dueAt={d.dueAt} overdueDays={d.overdueDays} calendarCovered={d.calendarCovered} />
          </dd>
          {d.closedAt && (
            <>
              <dt>办结</dt>
              <dd>
                {fmtTime(d.closedAt)}：{d.closeNote}
              </dd>
            </>
          )}
        </dl>
        <h3>问题说明和整改要求</h3>
        <p style={{ whiteSpace: "pre-wrap" }}>{d.description}</p>
        <h3>依据</h3>
        {d.evidence.length === 0 ? (
          <p className="muted">无</p>
        ) : (
          <ul className="order-evidence" data-testid="order-evidence">
            {d.evidence.map((e) => (
              <li key={`${e.kind}:${e.id}`} data-testid="order-evidence-row">
                <span className="ev-text">
                  {e.href ? (
                    e.href.startsWith("https://") ? (
                      <a href={e.href} target="_blank" rel="noopener noreferrer" title={e.title ?? undefined}>
                        {e.text}
                      </a>
                    ) : (
                      <Link href={e.href} title={e.title ?? undefined}>
                        {e.text}
                      </Link>
                    )
                  ) : (
                    <span title={e.title ?? undefined}>{e.text}</span>
                  )}
                  {e.note && <span className="muted">：{e.note}</span>}
                </span>
                {e.state && (
                  <span className="ev-state" data-testid="order-evidence-state">
                    <span className={`badge ${e.state.tone}`}>{e.state.label}</span>
                    {e.state.overdueDays > 0 && (
                      <span className="badge danger" title={e.state.hint ?? undefined}>
                        超期 {e.state.overdueDays} 天
                      </span>
                    )}
                  </span>
                )}
              </li>
            ))}
          </ul>
        )}
      </div>
      <OrderActions id={d.id} rev={d.rev} number={d.number} can={d.can} openObjections={d.openObjections} />
      <div className="card">
        <h3 style={{ marginTop: 0 }}>整改反馈</h3>
        {d.responses.length === 0 && <p className="muted">尚未反馈</p>}
        {d.responses.map((r) => (
          <div key={r.id} data-testid="order-response" style={{ marginBottom: 12 }}>
            <div className="muted">
              第 {r.round} 轮 · {r.responderName} · {fmtTime(r.createdAt)}
            </div>
            <p style={{ whiteSpace: "pre-wrap" }}>{r.measures}</p>
            {r.attachments.length > 0 && (
              <ul>
                {r.attachments.map((a) => (
                  <li key={a.id}>
                    <a href={`/api/supervision/attachments/${a.id}`}>{a.fileName}</a> <span className="muted">（{sizeText(a.size)}，SM3 {a.sm3.slice(0, 16)}…）</span>
                  </li>
                ))}
              </ul>
            )}
          </div>
        ))}
      </div>
      <div className="card">
        <h3 style={{ marginTop: 0 }}>办理过程</h3>
        <table className="grid" data-testid="order-events">
          <thead>
            <tr>
              <th>时间</th>
              <th>环节</th>
              <th>状态</th>
              <th>办理人</th>
              <th>说明</th>
            </tr>
          </thead>
          <tbody>
            {d.events.map((e) => (
              <tr key={e.id}>
                <td style={{ whiteSpace: "nowrap" }}>{fmtTime(e.at)}</td>
                <td>{e.label}</td>
                <td>{e.to ? `${statusText(e.from)}${e.from ? " → " : ""}${statusText(e.to)}` : "-"}</td>
                <td>{e.actorName}</td>
                <td style={{ whiteSpace: "pre-wrap" }}>{e.note ?? ""}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
