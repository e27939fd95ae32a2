// Time left until an objection's deadline (O-05), as the queue and the detail page show it: the
// deadlines are stored on the row and the server computes the milliseconds left when it renders;
// this only words and colours them. Green while more than half of the time is left, amber below
// half, red once overdue. Pure: used by server and client components and unit-tested.

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

export type Tone = "ok" | "warn" | "danger";

/** "2 天 3 小时", "5 小时", "12 分钟" (rounded down; under a minute is "不足 1 分钟"). */
export function spanText(ms: number): string {
  const a = Math.abs(ms);
  if (a < MINUTE) return "不足 1 分钟";
  const d = Math.floor(a / DAY);
  const h = Math.floor((a % DAY) / HOUR);
  const m = Math.floor((a % HOUR) / MINUTE);
  if (d > 0) return h > 0 ? `${d} 天 ${h} 小时` : `${d} 天`;
  if (h > 0) return m > 0 && h < 3 ? `${h} 小时 ${m} 分钟` : `${h} 小时`;
  return `${m} 分钟`;
}

/**
 * The words and tone for a deadline. `leftMs` is null once the deadline is met (the step is done);
 * `totalMs` is the whole span from receipt to the deadline.
 */
export function timeLeft(leftMs: number | null, totalMs: number, doneText: string): { text: string; tone: Tone | "" } {
  if (leftMs === null) return { text: doneText, tone: "" };
  if (leftMs < 0) return { text: `超期 ${spanText(leftMs)}`, tone: "danger" };
  const half = leftMs * 2 > totalMs;
  return { text: `剩余 ${spanText(leftMs)}`, tone: half ? "ok" : "warn" };
}
