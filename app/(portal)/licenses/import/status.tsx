import { IMPORT_STATUS_LABELS, type ImportStatus } from "@/lib/licenses/bulk/schema";

const TONE: Record<ImportStatus, string> = {
  VALIDATING: "info",
  VALIDATED: "warn",
  QUEUED: "info",
  RUNNING: "info",
  PAUSED: "warn",
  DONE: "ok",
  FAILED: "danger",
  CANCELLED: "",
};

export function StatusBadge({ status }: { status: ImportStatus }) {
  return (
    <span className={`badge ${TONE[status]}`} data-testid="import-status">
      {IMPORT_STATUS_LABELS[status]}
    </span>
  );
}

/** Beijing time (UTC+8, no daylight saving) without the locale machinery, so server and browser agree. */
export function beijing(iso: string): string {
  return new Date(Date.parse(iso) + 8 * 3_600_000).toISOString().slice(0, 19).replace("T", " ");
}
