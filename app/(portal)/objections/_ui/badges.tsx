// Status and deadline badges of objections (server or client components).
import { fmtTime } from "@/components/ui/fmt";
import { cutoffText, timeLeft } from "../time-left";

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
 * One deadline: the time left (or overdue by) while it is open, or what happened to it, over the
 * stored cutoff ("12月9日 23:59 截止", the exact instant in the tooltip). `metAt` is when the step
 * was done (marked / resolved); a step neither done nor running any more (withdrawn, or resolved
 * without marking) is "—", the status saying why; with `dash` (the queue) without the cutoff.
 */
export function DeadlineCell(p: { dueAt: string; receivedAt: string; leftMs: number | null; halfMs: number | null; metAt: string | null; doneText: string; dash?: boolean; testId?: string }) {
  if (p.dash && p.leftMs === null && p.metAt === null)
    return (
      <span className="muted" data-testid={p.testId} title="不再计算期限">
        —
      </span>
    );
  const dueMs = Date.parse(p.dueAt);
  const late = p.metAt !== null && Date.parse(p.metAt) > dueMs;
  const done = p.metAt !== null ? `${p.doneText}${late ? "（超期）" : ""}` : "—";
  const t = timeLeft({ leftMs: p.leftMs, halfMs: p.halfMs, doneText: done });
  return (
    <span style={{ display: "inline-flex", flexDirection: "column", alignItems: "flex-start", gap: 2, whiteSpace: "nowrap" }} data-testid={p.testId}>
      {t.tone ? (
        <span className={`badge ${t.tone}`} data-tone={t.tone} style={{ marginLeft: 0 }}>
          {t.text}
        </span>
      ) : (
        <span className={late ? "badge warn" : "muted"} style={late ? { marginLeft: 0 } : undefined}>
          {t.text}
        </span>
      )}
      <span className="muted" style={{ fontSize: 12 }} title={fmtTime(p.dueAt)}>
        {cutoffText(dueMs, Date.parse(p.receivedAt))} 截止
      </span>
    </span>
  );
}
