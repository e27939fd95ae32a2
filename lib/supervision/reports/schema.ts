// The monthly and annual supervision report's query (V-04): kind, period, format, and the subject —
// the supervisor's whole scope, a department's subtree (region), or one department alone. Shared
// by the route (strict parse), the page (links) and the data module. A plain module: no server code.
import { z } from "zod";
import { addMonths } from "@/lib/supervision/dashboard/schema";
import { requestFields } from "@/lib/seal-use/schema";

export const REPORT_KINDS = ["monthly", "annual"] as const;
export type ReportKind = (typeof REPORT_KINDS)[number];
export const REPORT_KIND_LABELS: Record<ReportKind, string> = { monthly: "月度报告", annual: "年度报告" };
export const REPORT_FORMATS = ["xlsx", "pdf"] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];
export const REPORT_SUBJECTS = ["region", "dept"] as const;
export type ReportSubject = (typeof REPORT_SUBJECTS)[number];
export const REPORT_SUBJECT_LABELS: Record<ReportSubject, string> = { region: "本区域（含下级部门）", dept: "仅该部门" };

const MONTH_RE = /^(\d{4})-(0[1-9]|1[0-2])$/;
const YEAR_RE = /^(\d{4})$/;
const YEAR_MIN = 2000;
const YEAR_MAX = 2100;

const queryFields = {
  kind: z.enum(REPORT_KINDS, { error: "报告类型须为 monthly（月度）或 annual（年度）" }),
  period: z.string({ error: "请填写报告期间" }).trim().max(7, "报告期间格式不正确"),
  region: z.string().uuid("地区（部门）编号格式不正确").optional(),
  subject: z.enum(REPORT_SUBJECTS, { error: "报告对象须为 region（区域）或 dept（单个部门）" }).default("region"),
};

function checkPeriod(v: { kind: ReportKind; period: string; region?: string; subject: ReportSubject }, ctx: z.RefinementCtx) {
  const m = (v.kind === "monthly" ? MONTH_RE : YEAR_RE).exec(v.period);
  if (!m) {
    ctx.addIssue({ code: "custom", path: ["period"], message: v.kind === "monthly" ? "月度报告的期间须为 YYYY-MM，例如 2026-11" : "年度报告的期间须为 YYYY，例如 2026" });
    return;
  }
  const year = Number(m[1]);
  if (year < YEAR_MIN || year > YEAR_MAX) ctx.addIssue({ code: "custom", path: ["period"], message: `报告年份须在 ${YEAR_MIN}–${YEAR_MAX} 之间` });
  if (v.subject === "dept" && !v.region) ctx.addIssue({ code: "custom", path: ["region"], message: "按单个部门出报告时须选择部门" });
}

export const reportQuery = z
  .object({ ...queryFields, format: z.enum(REPORT_FORMATS, { error: "导出格式须为 xlsx 或 pdf" }) })
  .strict()
  .superRefine(checkPeriod);
export type ReportQuery = z.infer<typeof reportQuery>;

/** 申请加盖电子印章 on the report page: the report's query, and the seal-use request's reason and validity (S-10). */
export const reportSealInput = z
  .object({ ...queryFields, reason: requestFields.shape.reason, validUntil: requestFields.shape.validUntil })
  .strict()
  .superRefine(checkPeriod);
export type ReportSealInput = z.infer<typeof reportSealInput>;

/** The request's default reason: 成都市人民政府2026年12月监督报告加盖电子印章 (no name: the caller's whole scope). */
export function reportSealReason(q: Pick<ReportQuery, "kind" | "period">, subjectName?: string | null): string {
  return `${subjectName ?? ""}${periodLabel(q)}监督报告加盖电子印章`;
}

/** The query's months as the dashboard's period (YYYY-MM … YYYY-MM). */
export function reportMonths(q: Pick<ReportQuery, "kind" | "period">): { from: string; to: string } {
  if (q.kind === "monthly") return { from: q.period, to: q.period };
  return { from: `${q.period}-01`, to: addMonths(`${q.period}-01`, 11) };
}

/** "2026年11月" or "2026年度", as the title prints it. */
export function periodLabel(q: Pick<ReportQuery, "kind" | "period">): string {
  if (q.kind === "annual") return `${q.period}年度`;
  const [y, m] = q.period.split("-");
  return `${y}年${Number(m)}月`;
}

/** The route's URL for a query (the page's download links). */
export function reportHref(q: { kind: ReportKind; period: string; format: ReportFormat; region?: string; subject?: ReportSubject }): string {
  const p = new URLSearchParams({ kind: q.kind, period: q.period, format: q.format });
  if (q.region) p.set("region", q.region);
  if (q.region && q.subject === "dept") p.set("subject", "dept");
  return `/api/supervision/reports?${p.toString()}`;
}

/** The first zod message, for the JSON error. */
export function firstIssue(e: z.ZodError): string {
  const i = e.issues[0];
  if (!i) return "参数有误";
  if (i.code === "unrecognized_keys") return `不支持的参数：${i.keys.join("、")}`;
  return i.message;
}
