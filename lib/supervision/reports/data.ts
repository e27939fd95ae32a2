// The content of a monthly or annual supervision report (V-04): the dashboard's figures (read from
// the summaries as they stand — nothing here rebuilds them; their freshness is printed), the
// ranking, the rectification orders issued in the period with their outcome, and the spot checks
// closed in the period with their pass rates, for the supervisor's scope, a region (a department's
// subtree) or one department. Everything is a function of the stored data and `now`.
import "server-only";
import { db, Prisma } from "@/lib/db";
import { AppError } from "@/lib/errors";
import type { Actor } from "@/lib/auth/session";
import { requirePermission } from "@/lib/auth/permissions";
import { t } from "@/lib/i18n/zh-CN";
import { managementOf } from "@/lib/objections/common";
import { dashboardFreshness } from "@/lib/supervision/dashboard/refresh";
import { periodRange, type DashboardQuery } from "@/lib/supervision/dashboard/schema";
import {
  accessFigures,
  dashboardScope,
  licenceFigures,
  objectionSummary,
  qualityFigures,
  ranking,
  supervisionSettings,
  sealFigures,
  sealUseFigures,
  type AccessFigures,
  type LicenceFigures,
  type ObjectionSummary,
  type QualityFigures,
  type Scope,
  type SealFigures,
  type SealUseFigures,
} from "@/lib/supervision/dashboard/figures";
import { CATEGORY_LABELS, daysOverdue, OPEN_FOR_RESPONSE, RECTIFICATION_STATUS_LABELS, type RectificationCategory, type RectificationStatus } from "@/lib/supervision/rectification-schema";
import { SPOT_CHECK_KIND_LABELS, type SpotCheckKind } from "@/lib/supervision/spot-checks-schema";
import { periodLabel, reportMonths, REPORT_KIND_LABELS, type ReportQuery } from "@/lib/supervision/reports/schema";

export type ReportOrder = {
  number: string;
  deptName: string;
  category: string;
  title: string;
  status: string;
  issuedAt: Date;
  dueAt: Date;
  respondedAt: Date | null;
  closedAt: Date | null;
  /** whole days past the due date now, while the department still owes a response */
  overdueDays: number;
  /** the (last) response came after the due date */
  respondedLate: boolean;
};
export type ReportOrders = {
  rows: ReportOrder[];
  issued: number;
  closed: number;
  open: number;
  overdueNow: number;
};
export type ReportSpotCheck = {
  number: string;
  kind: string;
  closedAt: Date;
  byDept: { deptName: string; sampled: number; checked: number; passed: number; failed: number; passRate: number | null }[];
  checked: number;
  passed: number;
  passRate: number | null;
};

/** The dashboard's licence figures, with the licences synced on time in each month (the workbook's 按时 column). */
export type ReportLicences = Omit<LicenceFigures, "byMonth"> & { byMonth: (LicenceFigures["byMonth"][number] & { onTime: number })[] };

export type ReportData = {
  query: ReportQuery;
  kindLabel: string;
  periodLabel: string;
  months: { from: string; to: string };
  /** the region or department the report is about, as printed in the title */
  subject: { id: string | null; name: string; kind: "all" | "region" | "dept" };
  management: { id: string; name: string };
  title: string;
  generatedAt: Date;
  freshness: Awaited<ReturnType<typeof dashboardFreshness>>;
  departments: number;
  licences: ReportLicences;
  quality: QualityFigures;
  objections: ObjectionSummary;
  seals: SealFigures;
  sealUse: SealUseFigures;
  access: AccessFigures;
  ranking: Awaited<ReturnType<typeof ranking>>;
  orders: ReportOrders;
  spotChecks: ReportSpotCheck[];
};

const pct1 = (n: number, d: number) => (d === 0 ? null : Math.round((n / d) * 1000) / 10);

/** The scope of the report: the actor's, a region's subtree, or one department of it. */
async function reportScope(actor: Actor, q: ReportQuery): Promise<{ scope: Scope; subjectDept: { id: string; name: string; path: string; areaCode: string; isManagement: boolean } }> {
  const scope = await dashboardScope(actor, q.region);
  // province-wide (no region, every department): the report is the province's, named after the root
  // of the tree (四川省人民政府), not after the supervisor's own department
  const subjectId = q.region ?? (scope.all ? actor.departmentPath.split("/").filter(Boolean)[0] ?? actor.departmentId : actor.departmentId);
  const subjectDept = await db().department.findUnique({ where: { id: subjectId }, select: { id: true, name: true, path: true, areaCode: true, isManagement: true } });
  if (!subjectDept) throw new AppError("NOT_FOUND", t.errors.notFound);
  if (q.subject === "dept" && q.region) {
    const only = scope.depts.filter((d) => d.id === q.region);
    return { scope: { all: false, ids: only.map((d) => d.id), depts: only, region: scope.region }, subjectDept };
  }
  return { scope, subjectDept };
}

/** The management department whose seal signs the report: the subject's own, else its region's, else the province's. */
async function managementFor(dept: { id: string; name: string; path: string; areaCode: string; isManagement: boolean }): Promise<{ id: string; name: string }> {
  if (dept.isManagement) return { id: dept.id, name: dept.name };
  const m = await managementOf(db(), dept);
  if (!m) throw new AppError("CONFLICT", `未找到「${dept.name}」所在地区的电子证照管理部门，无法生成加盖管理部门电子印章的报告`);
  return { id: m.id, name: m.name };
}

/** Licences synced on time per month, from the same summary and scope as licenceFigures (which gives only the rate). */
async function onTimeByMonth(s: Scope, q: DashboardQuery): Promise<Map<string, number>> {
  const rows = await db().$queryRaw<{ m: string; ok: number }[]>`
    SELECT to_char("month", 'YYYY-MM') AS m, sum("onTime")::int AS ok
    FROM "StatLicenceMonth"
    WHERE "month" BETWEEN ${`${q.from}-01`}::date AND ${`${q.to}-01`}::date ${s.all ? Prisma.empty : Prisma.sql`AND "deptId" = ANY(${s.ids}::uuid[])`}
    GROUP BY 1`;
  return new Map(rows.map((r) => [r.m, r.ok]));
}

async function ordersOf(s: Scope, q: DashboardQuery, now: Date): Promise<ReportOrders> {
  const { start, end } = periodRange(q);
  const rows = await db().rectificationOrder.findMany({
    where: { issuedAt: { gte: start, lt: end }, ...(s.all ? {} : { deptId: { in: s.ids } }) },
    select: { number: true, category: true, title: true, status: true, issuedAt: true, dueAt: true, respondedAt: true, closedAt: true, dept: { select: { name: true } } },
    orderBy: [{ issuedAt: "asc" }, { number: "asc" }],
  });
  const out = rows.map((r) => {
    const status = r.status as RectificationStatus;
    const open = OPEN_FOR_RESPONSE.includes(status);
    return {
      number: r.number,
      deptName: r.dept.name,
      category: CATEGORY_LABELS[r.category as RectificationCategory] ?? r.category,
      title: r.title,
      status: RECTIFICATION_STATUS_LABELS[status] ?? r.status,
      issuedAt: r.issuedAt,
      dueAt: r.dueAt,
      respondedAt: r.respondedAt,
      closedAt: r.closedAt,
      overdueDays: open ? daysOverdue(r.dueAt, now) : 0,
      respondedLate: !!r.respondedAt && r.respondedAt > r.dueAt,
    };
  });
  return {
    rows: out,
    issued: out.length,
    closed: rows.filter((r) => r.status === "CLOSED").length,
    open: rows.filter((r) => r.status !== "CLOSED").length,
    overdueNow: out.filter((r) => r.overdueDays > 0).length,
  };
}

async function spotChecksOf(s: Scope, q: DashboardQuery): Promise<ReportSpotCheck[]> {
  const { start, end } = periodRange(q);
  const checks = await db().$queryRaw<{ id: string; number: string; kind: SpotCheckKind; closedAt: Date }[]>`
    SELECT c."id", c."number", c."kind", c."closedAt" FROM "SpotCheck" c
    WHERE c."status" = 'DONE' AND c."closedAt" >= ${start} AND c."closedAt" < ${end}
      ${s.all ? Prisma.empty : Prisma.sql`AND c."deptIds" && ${s.ids}::uuid[]`}
    ORDER BY c."closedAt", c."number"`;
  if (!checks.length) return [];
  // only the departments in the report's scope are counted (a check may span others)
  const items = await db().$queryRaw<{ checkId: string; deptId: string; deptName: string; sampled: number; passed: number; failed: number }[]>`
    SELECT i."checkId", i."deptId", d."name" AS "deptName", count(*)::int AS sampled,
           count(*) FILTER (WHERE i."result" = 'PASS')::int AS passed, count(*) FILTER (WHERE i."result" = 'FAIL')::int AS failed
    FROM "SpotCheckItem" i JOIN "Department" d ON d."id" = i."deptId"
    WHERE i."checkId" = ANY(${checks.map((c) => c.id)}::uuid[]) ${s.all ? Prisma.empty : Prisma.sql`AND i."deptId" = ANY(${s.ids}::uuid[])`}
    GROUP BY 1, 2, 3 ORDER BY 3, 2`;
  return checks.map((c) => {
    const byDept = items
      .filter((i) => i.checkId === c.id)
      .map((i) => ({ deptName: i.deptName, sampled: i.sampled, checked: i.passed + i.failed, passed: i.passed, failed: i.failed, passRate: pct1(i.passed, i.passed + i.failed) }));
    const checked = byDept.reduce((a, d) => a + d.checked, 0);
    const passed = byDept.reduce((a, d) => a + d.passed, 0);
    return { number: c.number, kind: SPOT_CHECK_KIND_LABELS[c.kind] ?? c.kind, closedAt: c.closedAt, byDept, checked, passed, passRate: pct1(passed, checked) };
  });
}

/** Everything the report prints, for `actor` (supervision.read, the region within their scope). */
export async function reportData(actor: Actor, q: ReportQuery, now = new Date()): Promise<ReportData> {
  requirePermission(actor, "supervision.read");
  const { scope, subjectDept } = await reportScope(actor, q);
  const months = reportMonths(q);
  const dq: DashboardQuery = { ...months, region: q.region };
  const [management, setting] = await Promise.all([managementFor(subjectDept), supervisionSettings()]);
  const [freshness, licenceFigs, onTime, quality, objections, seals, sealUse, access, orders, spotChecks] = await Promise.all([
    dashboardFreshness(),
    licenceFigures(scope, dq),
    onTimeByMonth(scope, dq),
    qualityFigures(scope, now, setting),
    objectionSummary(scope, dq),
    sealFigures(scope, dq, now),
    sealUseFigures(scope, dq),
    accessFigures(scope, dq),
    ordersOf(scope, dq, now),
    spotChecksOf(scope, dq),
  ]);
  const rank = await ranking(scope, dq, { licences: licenceFigs, objections, setting });
  const licences: ReportLicences = { ...licenceFigs, byMonth: licenceFigs.byMonth.map((m) => ({ ...m, onTime: onTime.get(m.month) ?? 0 })) };
  const kind = q.subject === "dept" && q.region ? "dept" : q.region ? "region" : "all";
  const subject = { id: q.region ?? null, name: subjectDept.name, kind } as const;
  const label = periodLabel(q);
  return {
    query: q,
    kindLabel: REPORT_KIND_LABELS[q.kind],
    periodLabel: label,
    months,
    subject,
    management,
    title: `${subject.name} 电子证照与电子印章监督报告（${label}）`,
    generatedAt: now,
    freshness,
    departments: scope.ids.length,
    licences,
    quality,
    objections,
    seals,
    sealUse,
    access,
    ranking: rank,
    orders,
    spotChecks,
  };
}

/** The file name (without extension) the download offers. */
export function reportFileName(d: Pick<ReportData, "subject" | "periodLabel">): string {
  return `${d.subject.name}-监督报告-${d.periodLabel}`.replace(/[\u0000-\u001f\u007f"*:<>?|\\/]/g, "");
}
