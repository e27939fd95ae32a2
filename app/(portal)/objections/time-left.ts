// Time left until an objection's deadline (O-05), as the queue and the detail page show it: the
// deadlines are stored on the row and the server computes the milliseconds left when it renders;
// this only words and colours them. Green until half of the working days are used (the server
// gives the ms until then: lib/objections/half-time.ts, when the sweep reminds the department),
// amber after, red once overdue. Pure: used by server and client components and unit-tested.
//
// The deadlines count working days, so a span of a day or more is not worded as a precise
// calendar countdown ("7 天 13 小时" hides the weekends and holidays in it): whole days only, and
// the pages put the real cutoff next to it ("剩余 7 天" over "12月9日 23:59 截止"); hours and
// minutes only under a day.

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
// Asia/Shanghai has had no daylight saving since 1991: a fixed +8 h gives its wall clock
const SHANGHAI = 8 * HOUR;

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

/** A deadline in Shanghai time, "12月9日 23:59"; with the year when it is not the year of `refMs`. */
export function cutoffText(dueMs: number, refMs: number): string {
  const due = new Date(dueMs + SHANGHAI);
  const now = new Date(refMs + SHANGHAI);
  const year = due.getUTCFullYear() !== now.getUTCFullYear() ? `${due.getUTCFullYear()}年` : "";
  const hm = `${String(due.getUTCHours()).padStart(2, "0")}:${String(due.getUTCMinutes()).padStart(2, "0")}`;
  return `${year}${due.getUTCMonth() + 1}月${due.getUTCDate()}日 ${hm}`;
}

/**
 * The words and tone for a deadline. `leftMs` is null once the deadline is met (the step is done);
 * `halfMs` is the time until half of its working days are used (≤ 0: past half).
 */
export function timeLeft(p: { leftMs: number | null; halfMs: number | null; doneText: string }): { text: string; tone: Tone | "" } {
  const { leftMs } = p;
  if (leftMs === null) return { text: p.doneText, tone: "" };
  if (leftMs < 0) return { text: `超期 ${spanText(leftMs)}`, tone: "danger" };
  const text = leftMs >= DAY ? `剩余 ${Math.floor(leftMs / DAY)} 天` : `剩余 ${spanText(leftMs)}`;
  return { text, tone: p.halfMs !== null && p.halfMs > 0 ? "ok" : "warn" };
}
