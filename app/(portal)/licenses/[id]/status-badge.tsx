// The licence status badge (server or client).
import { LICENCE_STATUS_LABELS, type LicenceStatusName } from "@/lib/licenses/lifecycle-schema";

const TONE: Record<LicenceStatusName, string> = { VALID: "ok", SUSPENDED: "warn", REVOKED: "danger", CANCELLED: "", ANNULLED: "", EXPIRED: "" };

export function LicenceStatusBadge({ status }: { status: string }) {
  const s = status as LicenceStatusName;
  return (
    <span className={`badge ${TONE[s] ?? ""}`} data-status={status}>
      {LICENCE_STATUS_LABELS[s] ?? status}
    </span>
  );
}
