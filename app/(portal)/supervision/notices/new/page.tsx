// 发布通报 (V-02): a supervisor picks overdue orders in its scope; the body defaults to a list of them.
import { pageActor } from "@/lib/auth/page";
import { overdueOrdersForNotice } from "@/lib/supervision/rectification-queries";
import { PublishNoticeForm } from "./publish-form";

export default async function NewNoticePage() {
  const actor = await pageActor("supervision.manage");
  const rows = await overdueOrdersForNotice(actor);
  return (
    <>
      <h1>发布通报</h1>
      <div className="card">
        <p className="muted" style={{ marginTop: 0 }}>
          只能通报超过整改期限仍未反馈的整改通知。正文留空时，按所选整改通知自动生成（编号、部门、标题、整改期限、超期天数）。通报发布后所有用户可见，不能修改。
        </p>
        {rows.length === 0 ? (
          <p className="muted">您的管辖范围内目前没有超期的整改通知。</p>
        ) : (
          <PublishNoticeForm orders={rows.map((r) => ({ id: r.id, number: r.number, dept: r.dept.name, title: r.title, dueAt: r.dueAt, overdueDays: r.overdueDays }))} />
        )}
      </div>
    </>
  );
}
