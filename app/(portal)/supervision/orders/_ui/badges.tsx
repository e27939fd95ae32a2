// Status and due-date badges of rectification orders (V-02), shared by the list and the detail.
import { fmtTime } from "@/components/ui/fmt";

const TONE: Record<string, string> = { ISSUED: "warn", RESPONDED: "info", RETURNED: "warn", CLOSED: "ok" };

export function OrderStatusBadge({ status, label, round }: { status: string; label: string; round: number }) {
  return (
    <span className={`badge ${TONE[status] ?? ""}`} style={{ whiteSpace: "nowrap" }} data-testid="order-status">
      {label}
      {round > 1 && status !== "CLOSED" ? `（第 ${round} 轮）` : ""}
    </span>
  );
}

export function DueCell({ dueAt, overdueDays, calendarCovered }: { dueAt: string; overdueDays: number; calendarCovered: boolean }) {
  return (
    <span style={{ whiteSpace: "nowrap" }}>
      {fmtTime(dueAt)}
      {overdueDays > 0 && (
        <span className="badge danger" style={{ marginLeft: 6 }} data-testid="order-overdue">
          超期 {overdueDays} 天
        </span>
      )}
      {!calendarCovered && (
        <div className="muted" title="期限所在年度未导入节假日安排，按周一至周五计算">
          期限按周一至周五计算
        </div>
      )}
    </span>
  );
}
