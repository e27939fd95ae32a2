// Labels and formatting of the dashboard page (plain module: used by server components).
export { ACCESS_CHANNEL_LABELS } from "@/lib/supervision/labels";
export const SYNC_LABELS = { ONLINE: "实时（即时汇聚）", OFFLINE: "离线（1 个工作日内）", BULK: "批量（5 个工作日内）" } as const;
export const LIST_LABELS = { ISSUANCE: "发证清单", USE: "用证清单" } as const;

export const pctText = (v: number | null | undefined) => (v === null || v === undefined ? "—" : `${v}%`);
export const numText = (v: number | null | undefined) => (v === null || v === undefined ? "—" : v.toLocaleString("zh-CN"));

/** HH:mm (or MM-DD HH:mm when not today) in Asia/Shanghai. */
export function timeText(at: Date, now: Date): string {
  const day = (d: Date) => new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
  const s = new Date(at.getTime() + 8 * 3600_000).toISOString();
  return day(at) === day(now) ? s.slice(11, 16) : `${s.slice(5, 10)} ${s.slice(11, 16)}`;
}

/** Stale: never built, or older than three refresh periods. */
export const STALE_MINUTES = 15;
export const isStale = (at: Date | null, now: Date) => !at || now.getTime() - at.getTime() > STALE_MINUTES * 60_000;
