// Status badges shared by the register, the review queue and the detail page (server or client).
import { SEAL_STATUS_LABELS, USE_MODE_LABELS } from "@/lib/seals/kinds";

type Status = keyof typeof SEAL_STATUS_LABELS;
const TONE: Record<Status, string> = { APPLIED: "info", UNDER_REVIEW: "warn", REJECTED: "danger", PRODUCED: "warn", ACTIVE: "ok", CANCELLED: "" };

/** `expired`: still ACTIVE in the register but past its validity, so it cannot sign. */
export function SealStatusBadge({ status, filingOverdue, expiringSoon, expired }: { status: string; filingOverdue?: boolean; expiringSoon?: boolean; expired?: boolean }) {
  const s = status as Status;
  return (
    <>
      <span className={`badge ${TONE[s] ?? ""}`}>{SEAL_STATUS_LABELS[s] ?? status}</span>
      {filingOverdue && <span className="badge danger">备案超时</span>}
      {expired ? <span className="badge danger">已过期</span> : expiringSoon && <span className="badge warn">即将到期</span>}
    </>
  );
}

/** "集中式" / "分散式" without the explanation in brackets. */
export function useModeShort(mode: string): string {
  return (USE_MODE_LABELS[mode as keyof typeof USE_MODE_LABELS] ?? mode).split("（")[0];
}

export function fmtDate(iso: string | null | undefined): string {
  if (!iso) return "";
  return new Date(iso).toLocaleDateString("zh-CN", { timeZone: "Asia/Shanghai" });
}

export function fmtSize(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1048576) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1048576).toFixed(2)} MB`;
}
