// The dashboard's query (V-01): a period of whole months (Asia/Shanghai) and a region (a
// department and its subtree), and the ranking's settings. Shared by the page and the server.
import { z } from "zod";

const month = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/);

/** YYYY-MM of an instant in Asia/Shanghai. */
export const shanghaiMonth = (at: Date) => new Date(at.getTime() + 8 * 3600_000).toISOString().slice(0, 7);

/** `n` months after YYYY-MM (n may be negative). */
export function addMonths(m: string, n: number): string {
  const [y, mm] = m.split("-").map(Number);
  const i = y * 12 + (mm - 1) + n;
  return `${Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, "0")}`;
}

/** Every month from `from` to `to`, both included. */
export function monthsBetween(from: string, to: string): string[] {
  const out: string[] = [];
  for (let m = from; m <= to && out.length < 240; m = addMonths(m, 1)) out.push(m);
  return out;
}

export const MAX_MONTHS = 36;

/**
 * The query from the page's search params; anything unusable falls back to the last 12 months
 * ending with the current one, province-wide (within the supervisor's scope).
 */
export function dashboardQuery(params: Record<string, string | string[] | undefined>, now = new Date()) {
  const one = (k: string) => (typeof params[k] === "string" ? params[k] : undefined);
  const cur = shanghaiMonth(now);
  let to = month.safeParse(one("to")).success ? one("to")! : cur;
  let from = month.safeParse(one("from")).success ? one("from")! : addMonths(to, -11);
  if (from > to) [from, to] = [to, from];
  if (monthsBetween(from, to).length > MAX_MONTHS) from = addMonths(to, -(MAX_MONTHS - 1));
  const region = z.string().uuid().safeParse(one("region")).success ? one("region")! : undefined;
  return { from, to, region };
}
export type DashboardQuery = ReturnType<typeof dashboardQuery>;

/** The first instant of YYYY-MM in Asia/Shanghai. */
export const monthStart = (m: string) => new Date(`${m}-01T00:00:00+08:00`);
/** [start of `from`, start of the month after `to`) as instants. */
export const periodRange = (q: { from: string; to: string }) => ({ start: monthStart(q.from), end: monthStart(addMonths(q.to, 1)) });
/** The period as YYYY-MM-DD dates, for the licence and objection lists' date filters. */
export function periodDates(q: { from: string; to: string }): { from: string; to: string } {
  const end = monthStart(addMonths(q.to, 1));
  const last = new Date(end.getTime() - 86_400_000 + 8 * 3600_000).toISOString().slice(0, 10);
  return { from: `${q.from}-01`, to: last };
}

// a blank field is refused next to it, not read as 0
const blankToUndefined = (v: unknown) => (typeof v === "string" && v.trim() === "" ? undefined : v);
const weight = z.preprocess(blankToUndefined, z.coerce.number({ error: "请填写 0–100 的整数" }).int("请填写 0–100 的整数").min(0, "请填写 0–100 的整数").max(100, "请填写 0–100 的整数"));
export const supervisionSettingInput = z
  .object({
    weightTimeliness: weight,
    weightCompleteness: weight,
    weightObjections: weight,
    listStaleDays: z.preprocess(blankToUndefined, z.coerce.number({ error: "请填写 7–3650 的天数" }).int("请填写整数天数").min(7, "不少于 7 天").max(3650, "不超过 3650 天")),
  })
  .refine((v) => v.weightTimeliness + v.weightCompleteness + v.weightObjections === 100, { message: "三项权重之和须为 100", path: ["weightObjections"] });
export type SupervisionSettingInput = z.infer<typeof supervisionSettingInput>;

export type RankingWeights = { weightTimeliness: number; weightCompleteness: number; weightObjections: number };

/** The ranking's formula as the page shows it. */
export function rankingFormula(w: RankingWeights): string {
  return `综合得分 = ${w.weightTimeliness}% × 汇聚及时率 + ${w.weightCompleteness}% × 数据完整率 + ${w.weightObjections}% × 异议按时办理率（某项无数据时，按其余各项的权重折算）`;
}

/**
 * The composite score (0–100, one decimal) from the three rates (percent, null when the
 * department has no data for it); null when it has none of them.
 */
export function compositeScore(w: RankingWeights, rates: { timeliness: number | null; completeness: number | null; objections: number | null }): number | null {
  const parts: [number, number | null][] = [
    [w.weightTimeliness, rates.timeliness],
    [w.weightCompleteness, rates.completeness],
    [w.weightObjections, rates.objections],
  ];
  let sum = 0;
  let weights = 0;
  for (const [wt, r] of parts) {
    if (r === null || wt === 0) continue;
    sum += wt * r;
    weights += wt;
  }
  return weights === 0 ? null : Math.round((sum / weights) * 10) / 10;
}
