// Status and restriction badges of licences (server or client).
import { LICENCE_STATUSES } from "@/lib/licenses/list-schema";

const BY_CODE = new Map<string, (typeof LICENCE_STATUSES)[number]>(LICENCE_STATUSES.map((s) => [s.code, s]));

export function LicenceStatusBadge({ status }: { status: string }) {
  const s = BY_CODE.get(status);
  return (
    <span className={`badge ${s?.tone ?? ""}`} data-status={status}>
      {s?.label ?? status}
    </span>
  );
}

/** 异议中 (O-02): the licence has a marked objection that is not yet resolved. */
export function ObjectionBadge({ open }: { open: number }) {
  if (open <= 0) return null;
  return (
    <span className="badge danger" data-objection="open" title={open > 1 ? `${open} 件异议正在处理` : "异议正在处理"}>
      异议中
    </span>
  );
}

export function RestrictionBadge({ restricted }: { restricted: boolean }) {
  return restricted ? (
    <span className="badge warn" data-restricted="yes">
      已质押
    </span>
  ) : (
    <span className="muted">-</span>
  );
}

/** A calendar date in Asia/Shanghai (UTC+8, no daylight saving), the same on server and browser. */
export function shanghaiDay(iso: string): string {
  return new Date(Date.parse(iso) + 8 * 3_600_000).toISOString().slice(0, 10);
}
