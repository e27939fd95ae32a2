// 通报详情 (V-02): for every signed-in user; the orders named, each linked only for its readers.
import Link from "next/link";
import { notFound } from "next/navigation";
import { pageActor } from "@/lib/auth/page";
import { noticeDetail } from "@/lib/supervision/notices";
import { fmtTime } from "@/components/ui/fmt";

export default async function NoticePage({ params }: { params: Promise<{ id: string }> }) {
  const actor = await pageActor();
  const { id } = await params;
  const n = await noticeDetail(actor, id);
  if (!n) notFound();
  return (
    <>
      <h1>{n.title}</h1>
      <div className="card">
        <dl className="kv">
          <dt>通报编号</dt>
          <dd className="mono">{n.number}</dd>
          <dt>发布部门</dt>
          <dd>{n.publisher}</dd>
          <dt>发布时间</dt>
          <dd>{fmtTime(n.publishedAt)}</dd>
        </dl>
        <p style={{ whiteSpace: "pre-wrap" }} data-testid="notice-body">
          {n.body}
        </p>
        <h3>涉及的整改通知</h3>
        <table className="grid" data-testid="notice-orders">
          <thead>
            <tr>
              <th>通知编号</th>
              <th>部门</th>
              <th>标题</th>
              <th>整改期限</th>
              <th>通报时超期</th>
            </tr>
          </thead>
          <tbody>
            {n.orders.map((o) => (
              <tr key={o.id}>
                <td className="mono">{o.readable ? <Link href={`/supervision/orders/${o.id}`}>{o.number}</Link> : o.number}</td>
                <td>{o.dept}</td>
                <td>{o.title}</td>
                <td style={{ whiteSpace: "nowrap" }}>{fmtTime(o.dueAt)}</td>
                <td>{o.daysOverdue} 天</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
