// Status badge and date formats for seal-use pages (server or client).
import { SEAL_USE_STATUS_LABELS, type SealUseStatusName } from "@/lib/seal-use/labels";

const TONE: Record<SealUseStatusName, string> = { DRAFT: "", PENDING: "warn", APPROVED: "info", PARTLY_USED: "info", USED: "ok", REJECTED: "danger", WITHDRAWN: "", EXPIRED: "" };

export function UseStatusBadge({ status }: { status: string }) {
  const s = status as SealUseStatusName;
  return <span className={`badge ${TONE[s] ?? ""}`} data-status={status}>{SEAL_USE_STATUS_LABELS[s] ?? status}</span>;
}

export function fmtTime(iso: string | null | undefined): string {
  if (!iso) return "";
  return new Date(iso).toLocaleString("zh-CN", { timeZone: "Asia/Shanghai", hour12: false });
}

export function fmtDay(iso: string | null | undefined): string {
  if (!iso) return "";
  return new Date(iso).toLocaleDateString("zh-CN", { timeZone: "Asia/Shanghai" });
}
