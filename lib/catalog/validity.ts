// Validity rule of a licence type (有效期限, L-01) and the end date it gives a licence.
//
// Convention (Civil Code Art.201-203 applied with the issue day counted, which is how licences
// print "2024年3月15日至2029年3月14日"): the licence is valid from its start date through the day
// before the same date n years / months later, to 23:59:59.999 Asia/Shanghai. When that later
// month has no such date (31 January + 1 month, 29 February + 1 year), Art.203 makes the last
// day of that month the last day of validity: 31 Jan 2025 + 1 month ends 28 Feb 2025, 31 Jan 2024
// + 1 month ends 29 Feb 2024, 29 Feb 2024 + 1 year ends 28 Feb 2025.
//
// Dates are taken in Asia/Shanghai (UTC+8, no daylight saving since 1991) here rather than through
// lib/calendar, which loads the holiday table: this module also runs in the browser's form preview.
import "@/lib/validation/zod-zh";
import { z } from "zod";

export const MAX_VALIDITY_YEARS = 100;
export const MAX_VALIDITY_MONTHS = 1200;

export const validityRuleSchema = z.discriminatedUnion(
  "kind",
  [
    z.object({
      kind: z.literal("YEARS"),
      n: z.number({ error: "请填写年数" }).int("年数须为整数").min(1, "年数至少为 1").max(MAX_VALIDITY_YEARS, `年数不超过 ${MAX_VALIDITY_YEARS}`),
    }),
    z.object({
      kind: z.literal("MONTHS"),
      n: z.number({ error: "请填写月数" }).int("月数须为整数").min(1, "月数至少为 1").max(MAX_VALIDITY_MONTHS, `月数不超过 ${MAX_VALIDITY_MONTHS}`),
    }),
    z.object({ kind: z.literal("PERMANENT") }),
  ],
  { error: "请选择有效期限" },
);
export type ValidityRule = z.infer<typeof validityRuleSchema>;

export function validityLabel(rule: ValidityRule): string {
  if (rule.kind === "YEARS") return `${rule.n}年`;
  if (rule.kind === "MONTHS") return `${rule.n}个月`;
  return "长期";
}

const SHANGHAI_OFFSET_MS = 8 * 3600_000;
const DAY_MS = 86_400_000;

export type Ymd = { y: number; m: number; d: number };

/** The calendar date of an instant in Asia/Shanghai (m 1–12). */
export function shanghaiYmd(at: Date): Ymd {
  const t = new Date(at.getTime() + SHANGHAI_OFFSET_MS);
  return { y: t.getUTCFullYear(), m: t.getUTCMonth() + 1, d: t.getUTCDate() };
}

export function ymdString({ y, m, d }: Ymd): string {
  return `${String(y).padStart(4, "0")}-${String(m).padStart(2, "0")}-${String(d).padStart(2, "0")}`;
}

function daysInMonth(y: number, m: number): number {
  return new Date(Date.UTC(y, m, 0)).getUTCDate();
}

/** The last calendar day of validity (YYYY-MM-DD), or null for a permanent licence. */
export function validityEndDate(rule: ValidityRule, start: Date): string | null {
  if (rule.kind === "PERMANENT") return null;
  const { y, m, d } = shanghaiYmd(start);
  const months = rule.kind === "YEARS" ? rule.n * 12 : rule.n;
  const index = y * 12 + (m - 1) + months;
  const ty = Math.floor(index / 12), tm = (index % 12) + 1;
  // No corresponding day in the target month: validity ends on that month's last day.
  if (d > daysInMonth(ty, tm)) return ymdString({ y: ty, m: tm, d: daysInMonth(ty, tm) });
  const dayBefore = new Date(Date.UTC(ty, tm - 1, d) - DAY_MS);
  return ymdString({ y: dayBefore.getUTCFullYear(), m: dayBefore.getUTCMonth() + 1, d: dayBefore.getUTCDate() });
}

/** The instant validity ends (23:59:59.999 Asia/Shanghai of the last day), or null when permanent. */
export function validityEnd(rule: ValidityRule, start: Date): Date | null {
  const last = validityEndDate(rule, start);
  if (last === null) return null;
  return new Date(Date.parse(`${last}T00:00:00Z`) + DAY_MS - 1 - SHANGHAI_OFFSET_MS);
}
