// Status and deadline badges of objections (server or client components).
import { fmtTime } from "@/components/ui/fmt";
import { timeLeft } from "../time-left";

const STATUS_TONE: Record<string, string> = { SUBMITTED: "warn", MARKED: "info", RESOLVED: "ok", WITHDRAWN: "" };

export function ObjectionStatusBadge({ status, label, outcomeLabel }: { status: string; label: string; outcomeLabel?: string | null }) {
  return (
    <span className={`badge ${STATUS_TONE[status] ?? ""}`} data-status={status}>
      {label}
      {outcomeLabel ? `（${outcomeLabel}）` : ""}
    </span>
  );
}

/**
 * One deadline: the stored instant and the time left (or overdue by) while it is open, or what
 * happened to it. `metAt` is when the step was done (marked / resolved), `closed` a withdrawal.
 */
export function DeadlineCell(p: { dueAt: string; receivedAt: string; leftMs: number | null; metAt: string | null; doneText: string; closedText?: string | null; testId?: string }) {
  const total = Date.parse(p.dueAt) - Date.parse(p.receivedAt);
  const late = p.metAt !== null && Date.parse(p.metAt) > Date.parse(p.dueAt);
  const done = p.metAt !== null ? `${p.doneText}${late ? "（超期）" : ""}` : (p.closedText ?? "—");
  const t = timeLeft(p.leftMs, total, done);
  return (
    <span style={{ display: "inline-flex", flexDirection: "column", gap: 2, whiteSpace: "nowrap" }} data-testid={p.testId}>
      <span className="muted" style={{ fontSize: 12 }}>
        {fmtTime(p.dueAt)}
      </span>
      {t.tone ? (
        <span className={`badge ${t.tone}`} data-tone={t.tone}>
          {t.text}
        </span>
      ) : (
        <span className={late ? "badge warn" : "muted"}>{t.text}</span>
      )}
    </span>
  );
}
