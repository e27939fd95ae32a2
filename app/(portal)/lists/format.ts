// Display helpers shared by the list pages (server and client render alike: no locale machinery).

/** Beijing time (UTC+8, no daylight saving) as "YYYY-MM-DD HH:mm:ss". */
export function beijing(iso: string): string {
  return new Date(Date.parse(iso) + 8 * 3_600_000).toISOString().slice(0, 19).replace("T", " ");
}

/** "2026-01-01 至 长期" */
export function period(from: string, to: string): string {
  return `${from} 至 ${to || "长期"}`;
}

/** Today's date in Beijing, YYYY-MM-DD. */
export function todayBeijing(): string {
  return new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
}

/** A query string of the non-empty values. */
export function query(values: Record<string, string | undefined>): string {
  const s = new URLSearchParams(Object.entries(values).flatMap(([k, v]) => (v ? [[k, v]] : []))).toString();
  return s ? `?${s}` : "";
}
