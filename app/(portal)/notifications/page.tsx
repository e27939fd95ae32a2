import Link from "next/link";
import { pageActor } from "@/lib/auth/page";
import { listNotifications, notificationFilter } from "@/lib/notifications";
import { flat, type SearchParams } from "@/lib/pagination";
import { fmtTime } from "@/components/ui/fmt";
import { MarkReadButton } from "./mark-read";

export default async function NotificationsPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const actor = await pageActor();
  const f = notificationFilter.parse(flat(await searchParams));
  const data = await listNotifications(actor, f);
  const pages = Math.max(1, Math.ceil(data.total / data.pageSize));
  return (
    <>
      <h1>消息通知</h1>
      <div className="card">
        <div className="toolbar">
          <Link className={`btn${f.unread ? "" : " primary"}`} href="/notifications">全部</Link>
          <Link className={`btn${f.unread ? " primary" : ""}`} href="/notifications?unread=1">未读</Link>
          <MarkReadButton ids="all" label="全部标为已读" />
        </div>
        <table className="grid" data-testid="notifications">
          <thead>
            <tr><th>时间</th><th>标题</th><th>内容</th><th>状态</th><th>操作</th></tr>
          </thead>
          <tbody>
            {data.rows.length === 0 && (
              <tr><td colSpan={5} className="muted" style={{ textAlign: "center" }}>暂无消息</td></tr>
            )}
            {data.rows.map((n) => (
              <tr key={n.id}>
                <td style={{ whiteSpace: "nowrap" }}>{fmtTime(n.createdAt)}</td>
                <td>{n.link ? <Link href={n.link}>{n.title}</Link> : n.title}</td>
                <td>{n.body}</td>
                <td>{n.read ? <span className="badge">已读</span> : <span className="badge warn">未读</span>}</td>
                <td>{!n.read && <MarkReadButton ids={[n.id]} label="标为已读" />}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <div className="pager">
          <span>共 {data.total} 条</span>
          {f.page > 1 && <Link className="btn" href={`/notifications?page=${f.page - 1}${f.unread ? "&unread=1" : ""}`}>上一页</Link>}
          <span>第 {f.page} / {pages} 页</span>
          {f.page < pages && <Link className="btn" href={`/notifications?page=${f.page + 1}${f.unread ? "&unread=1" : ""}`}>下一页</Link>}
        </div>
      </div>
    </>
  );
}
