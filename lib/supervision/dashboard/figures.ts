// The dashboard's figures (V-01), each a query function over the summaries (refresh.ts) or over
// small live tables, all within the supervisor's department scope (supervision.read) and the
// chosen region (a department and its subtree) and period (whole months, Asia/Shanghai).
// `dashboard` runs them together; the report (V-04) uses the same functions.
import "server-only";
import { db, Prisma } from "@/lib/db";
import { AppError } from "@/lib/errors";
import type { Actor } from "@/lib/auth/session";
import { can, departmentWhere, requirePermission } from "@/lib/auth/permissions";
import { t } from "@/lib/i18n/zh-CN";
import { dashboardFreshness, NIL_UUID } from "@/lib/supervision/dashboard/refresh";
import { compositeScore, monthsBetween, periodRange, rankingFormula, type DashboardQuery, type RankingWeights } from "@/lib/supervision/dashboard/schema";

const pct = (n: number, d: number) => (d === 0 ? null : Math.round((n / d) * 1000) / 10);

export type Scope = {
  /** every department: no filter on the summaries */
  all: boolean;
  ids: string[];
  depts: { id: string; name: string; path: string; isIssuing: boolean; isUsing: boolean; status: string; sortOrder: number }[];
  region: { id: string; name: string } | null;
};

/** The departments the figures cover: the actor's scope, narrowed to the region's subtree. */
export async function dashboardScope(actor: Actor, region?: string): Promise<Scope> {
  requirePermission(actor, "supervision.read");
  const inScope = departmentWhere(actor, "supervision.read");
  let regionDept: { id: string; name: string; path: string } | null = null;
  if (region) {
    regionDept = await db().department.findUnique({ where: { id: region }, select: { id: true, name: true, path: true } });
    if (!regionDept || !can(actor, "supervision.read", regionDept)) throw new AppError("NOT_FOUND", t.errors.notFound);
  }
  const depts = await db().department.findMany({
    where: { AND: [inScope, regionDept ? { path: { startsWith: regionDept.path } } : {}] },
    select: { id: true, name: true, path: true, isIssuing: true, isUsing: true, status: true, sortOrder: true },
    orderBy: [{ path: "asc" }],
  });
  const all = !regionDept && Object.keys(inScope).length === 0;
  return { all, ids: depts.map((d) => d.id), depts, region: regionDept ? { id: regionDept.id, name: regionDept.name } : null };
}

const deptFilter = (s: Scope, col: string) => (s.all ? Prisma.empty : Prisma.sql`AND ${Prisma.raw(`"${col}"`)} = ANY(${s.ids}::uuid[])`);
const nameOf = (s: Scope, id: string) => s.depts.find((d) => d.id === id)?.name ?? "（范围外部门）";

// ---------------------------------------------------------------------------------------------
// Licences issued and aggregated; timeliness (L-05)

export type SyncFigure = { mode: "ONLINE" | "OFFLINE" | "BULK"; total: number; onTime: number; pct: number | null };
export type LicenceFigures = {
  /** issued in the portal (new, changed, renewed) */
  issued: number;
  /** existing licences converted in bulk (存量归集) */
  aggregated: number;
  onTime: number;
  onTimePct: number | null;
  sync: SyncFigure[];
  byMonth: { month: string; issued: number; aggregated: number; onTimePct: number | null }[];
  byDept: { deptId: string; deptName: string; issued: number; aggregated: number; onTime: number; onTimePct: number | null }[];
};

export async function licenceFigures(s: Scope, q: DashboardQuery): Promise<LicenceFigures> {
  const rows = await db().$queryRaw<{ m: string; deptId: string; origin: string; syncMode: string; n: number; ok: number }[]>`
    SELECT to_char("month", 'YYYY-MM') AS m, "deptId", "origin", "syncMode", sum("issued")::int AS n, sum("onTime")::int AS ok
    FROM "StatLicenceMonth"
    WHERE "month" BETWEEN ${`${q.from}-01`}::date AND ${`${q.to}-01`}::date ${deptFilter(s, "deptId")}
    GROUP BY 1, 2, 3, 4`;
  const months = new Map(monthsBetween(q.from, q.to).map((m) => [m, { month: m, issued: 0, aggregated: 0, ok: 0, n: 0 }]));
  const depts = new Map<string, { deptId: string; deptName: string; issued: number; aggregated: number; onTime: number; n: number }>();
  const sync = new Map<string, { total: number; onTime: number }>([["ONLINE", { total: 0, onTime: 0 }], ["OFFLINE", { total: 0, onTime: 0 }], ["BULK", { total: 0, onTime: 0 }]]);
  let issued = 0, aggregated = 0, onTime = 0;
  for (const r of rows) {
    const bulk = r.origin === "BULK";
    if (bulk) aggregated += r.n;
    else issued += r.n;
    onTime += r.ok;
    const m = months.get(r.m);
    if (m) {
      if (bulk) m.aggregated += r.n;
      else m.issued += r.n;
      m.ok += r.ok;
      m.n += r.n;
    }
    let d = depts.get(r.deptId);
    if (!d) depts.set(r.deptId, (d = { deptId: r.deptId, deptName: nameOf(s, r.deptId), issued: 0, aggregated: 0, onTime: 0, n: 0 }));
    if (bulk) d.aggregated += r.n;
    else d.issued += r.n;
    d.onTime += r.ok;
    d.n += r.n;
    const y = sync.get(r.syncMode);
    if (y) {
      y.total += r.n;
      y.onTime += r.ok;
    }
  }
  return {
    issued,
    aggregated,
    onTime,
    onTimePct: pct(onTime, issued + aggregated),
    sync: [...sync.entries()].map(([mode, v]) => ({ mode: mode as SyncFigure["mode"], ...v, pct: pct(v.onTime, v.total) })),
    byMonth: [...months.values()].map((m) => ({ month: m.month, issued: m.issued, aggregated: m.aggregated, onTimePct: pct(m.ok, m.n) })),
    byDept: [...depts.values()]
      .map(({ n, ...d }) => ({ ...d, onTimePct: pct(d.onTime, n) }))
      .sort((a, b) => b.issued + b.aggregated - (a.issued + a.aggregated) || a.deptName.localeCompare(b.deptName, "zh-CN")),
  };
}

// ---------------------------------------------------------------------------------------------
// Data quality

export const FINDING_KINDS = ["FACE_INVALID", "EXPIRED_VALID", "DUPLICATE_LIVE"] as const;
export type FindingKind = (typeof FINDING_KINDS)[number];
export const FINDING_LABELS: Record<FindingKind, string> = {
  FACE_INVALID: "照面数据不符合现行目录",
  EXPIRED_VALID: "已过有效期仍为有效",
  DUPLICATE_LIVE: "违反一主体一证的重复在用证照",
};

export type QualityFigures = {
  findings: Record<FindingKind, number>;
  byDept: { deptId: string; deptName: string; counts: Record<FindingKind, number> }[];
  /** released, not retired types with no active issuance-list entry in the scope */
  typesWithoutList: { id: string; typeCode: string; name: string }[];
  /** departments' lists not changed within the configured days */
  staleLists: { deptId: string; deptName: string; list: "ISSUANCE" | "USE"; entries: number; lastChangedAt: Date | null }[];
  staleDays: number;
};

export async function qualityFigures(s: Scope, now = new Date(), given?: Setting): Promise<QualityFigures> {
  const setting = given ?? (await supervisionSettings());
  const [rows, types, lists] = await Promise.all([
    db().$queryRaw<{ deptId: string; kind: FindingKind; n: number }[]>`
      SELECT "deptId", "kind", count(*)::int AS n FROM "LicenceFinding" WHERE true ${deptFilter(s, "deptId")} GROUP BY 1, 2`,
    db().$queryRaw<{ id: string; typeCode: string; name: string }[]>`
      SELECT t."id", t."typeCode", t."name" FROM "LicenceType" t
      WHERE t."releasedVersion" IS NOT NULL AND t."retiredAt" IS NULL
        ${s.all ? Prisma.empty : Prisma.sql`AND t."ownerDeptId" = ANY(${s.ids}::uuid[])`}
        AND NOT EXISTS (SELECT 1 FROM "IssuanceListEntry" e WHERE e."typeId" = t."id" AND e."status" = 'ACTIVE'
                          ${s.all ? Prisma.empty : Prisma.sql`AND e."deptId" = ANY(${s.ids}::uuid[])`})
      ORDER BY t."typeCode"`,
    // every department's list that has ever had an entry: one emptied (all entries disabled) and
    // then left alone is as stale as one never touched again
    db().$queryRaw<{ deptId: string; list: "ISSUANCE" | "USE"; entries: number; last: Date | null }[]>`
      WITH e AS (
        SELECT "deptId", 'ISSUANCE' AS list, count(*) FILTER (WHERE "status" = 'ACTIVE')::int AS entries FROM "IssuanceListEntry" WHERE true ${deptFilter(s, "deptId")} GROUP BY 1
        UNION ALL
        SELECT "deptId", 'USE', count(*) FILTER (WHERE "status" = 'ACTIVE')::int FROM "UseListEntry" WHERE true ${deptFilter(s, "deptId")} GROUP BY 1)
      SELECT e."deptId", e.list, e.entries,
             (SELECT max(c."at") FROM "ListChange" c WHERE c."deptId" = e."deptId" AND c."list" = e.list) AS last
      FROM e`,
  ]);
  const zero = (): Record<FindingKind, number> => ({ FACE_INVALID: 0, EXPIRED_VALID: 0, DUPLICATE_LIVE: 0 });
  const findings = zero();
  const byDept = new Map<string, { deptId: string; deptName: string; counts: Record<FindingKind, number> }>();
  for (const r of rows) {
    findings[r.kind] += r.n;
    let d = byDept.get(r.deptId);
    if (!d) byDept.set(r.deptId, (d = { deptId: r.deptId, deptName: nameOf(s, r.deptId), counts: zero() }));
    d.counts[r.kind] += r.n;
  }
  const cutoff = new Date(now.getTime() - setting.listStaleDays * 86_400_000);
  return {
    findings,
    byDept: [...byDept.values()].sort((a, b) => sumOf(b.counts) - sumOf(a.counts) || a.deptName.localeCompare(b.deptName, "zh-CN")),
    typesWithoutList: types,
    staleLists: lists
      .filter((l) => !l.last || l.last < cutoff)
      .map((l) => ({ deptId: l.deptId, deptName: nameOf(s, l.deptId), list: l.list, entries: l.entries, lastChangedAt: l.last }))
      .sort((a, b) => (a.lastChangedAt?.getTime() ?? 0) - (b.lastChangedAt?.getTime() ?? 0) || a.deptName.localeCompare(b.deptName, "zh-CN")),
    staleDays: setting.listStaleDays,
  };
}
const sumOf = (c: Record<string, number>) => Object.values(c).reduce((a, b) => a + b, 0);

// ---------------------------------------------------------------------------------------------
// Objections (O-02, O-03)

export type ObjectionDeptFigure = {
  deptId: string;
  deptName: string;
  received: number;
  markedOnTimePct: number | null;
  resolvedOnTimePct: number | null;
  overdueNow: number;
  avgWorkingDaysToResolve: number | null;
  /** (marked on time + resolved on time) / (counted for marking + for resolving), for the ranking */
  handledOnTimePct: number | null;
};
export type ObjectionSummary = {
  received: number;
  markedOnTimePct: number | null;
  resolvedOnTimePct: number | null;
  /** overdue now, whenever received (not bound to the period) */
  overdueNow: number;
  avgWorkingDaysToResolve: number | null;
  /** per month received; overdueNow: of those received that month */
  byMonth: { month: string; received: number; resolved: number; overdueNow: number }[];
  byDept: ObjectionDeptFigure[];
};

export async function objectionSummary(s: Scope, q: DashboardQuery): Promise<ObjectionSummary> {
  // overdue now is not bound to the period: an objection received before it may be overdue today,
  // and the queue it links to (?overdue=1) lists it
  const overdueRows = await db().$queryRaw<{ deptId: string; n: number }[]>`
    SELECT "deptId", sum("overdueNow")::int AS n FROM "StatObjectionMonth" WHERE "overdueNow" > 0 ${deptFilter(s, "deptId")} GROUP BY 1`;
  const overdue = new Map(overdueRows.map((r) => [r.deptId, r.n]));
  const rows = await db().$queryRaw<{ m: string; deptId: string; received: number; markCounted: number; markedOnTime: number; resolveCounted: number; resolvedOnTime: number; resolved: number; resolveDays: number; overdueNow: number }[]>`
    SELECT to_char("month", 'YYYY-MM') AS m, "deptId", "received", "markCounted", "markedOnTime", "resolveCounted", "resolvedOnTime", "resolved", "resolveDays", "overdueNow"
    FROM "StatObjectionMonth"
    WHERE "month" BETWEEN ${`${q.from}-01`}::date AND ${`${q.to}-01`}::date ${deptFilter(s, "deptId")}`;
  const months = new Map(monthsBetween(q.from, q.to).map((m) => [m, { month: m, received: 0, resolved: 0, overdueNow: 0 }]));
  type Acc = { received: number; markCounted: number; markedOnTime: number; resolveCounted: number; resolvedOnTime: number; resolved: number; resolveDays: number; overdueNow: number };
  const z = (): Acc => ({ received: 0, markCounted: 0, markedOnTime: 0, resolveCounted: 0, resolvedOnTime: 0, resolved: 0, resolveDays: 0, overdueNow: 0 });
  const total = z();
  const depts = new Map<string, Acc>();
  for (const r of rows) {
    let d = depts.get(r.deptId);
    if (!d) depts.set(r.deptId, (d = z()));
    for (const a of [total, d]) for (const k of Object.keys(a) as (keyof Acc)[]) if (k !== "overdueNow") a[k] += r[k];
    const m = months.get(r.m);
    if (m) {
      m.received += r.received;
      m.resolved += r.resolved;
      m.overdueNow += r.overdueNow;
    }
  }
  for (const [deptId, n] of overdue) {
    let d = depts.get(deptId);
    if (!d) depts.set(deptId, (d = z()));
    d.overdueNow = n;
    total.overdueNow += n;
  }
  const figure = (a: Acc) => ({
    received: a.received,
    markedOnTimePct: pct(a.markedOnTime, a.markCounted),
    resolvedOnTimePct: pct(a.resolvedOnTime, a.resolveCounted),
    overdueNow: a.overdueNow,
    avgWorkingDaysToResolve: a.resolved ? Math.round((a.resolveDays / a.resolved) * 10) / 10 : null,
  });
  return {
    ...figure(total),
    byMonth: [...months.values()],
    byDept: [...depts.entries()]
      .map(([deptId, a]) => ({ deptId, deptName: nameOf(s, deptId), ...figure(a), handledOnTimePct: pct(a.markedOnTime + a.resolvedOnTime, a.markCounted + a.resolveCounted) }))
      .sort((a, b) => b.overdueNow - a.overdueNow || b.received - a.received || a.deptName.localeCompare(b.deptName, "zh-CN")),
  };
}

// ---------------------------------------------------------------------------------------------
// Seals (S-05, S-06, S-07) and seal use (S-10 … S-12), live: these tables are small

export type SealFigures = { active: number; expiring30: number; filingOverdue: number; cancelled: number };
export type SealUseFigures = {
  requests: number;
  approvals: number;
  /** signatures made in the period: the permanent use records (用印登记), by their time */
  signatures: number;
  /** signatures (ever, in scope) whose request was not fully approved when they were made: must be 0 */
  unapprovedSignatures: number;
  byMonth: { month: string; requests: number; signatures: number }[];
};

export async function sealFigures(s: Scope, q: DashboardQuery, now = new Date()): Promise<SealFigures> {
  const { start, end } = periodRange(q);
  const soon = new Date(now.getTime() + 30 * 86_400_000);
  const [r] = await db().$queryRaw<SealFigures[]>`
    SELECT count(*) FILTER (WHERE "status" = 'ACTIVE' AND ("validEnd" IS NULL OR "validEnd" > ${now}))::int AS active,
           count(*) FILTER (WHERE "status" = 'ACTIVE' AND "validEnd" > ${now} AND "validEnd" <= ${soon})::int AS "expiring30",
           count(*) FILTER (WHERE "status" IN ('PRODUCED', 'ACTIVE') AND "filedAt" IS NULL AND "fileDueAt" < ${now})::int AS "filingOverdue",
           count(*) FILTER (WHERE "status" = 'CANCELLED' AND "cancelledAt" >= ${start} AND "cancelledAt" < ${end})::int AS cancelled
    FROM "Seal" WHERE true ${deptFilter(s, "holderDeptId")}`;
  return r;
}

export async function sealUseFigures(s: Scope, q: DashboardQuery): Promise<SealUseFigures> {
  const { start, end } = periodRange(q);
  const [[r], byMonth] = await Promise.all([
    db().$queryRaw<{ requests: number; approvals: number; signatures: number; unapprovedSignatures: number }[]>`
      SELECT (SELECT count(*)::int FROM "SealUseRequest" WHERE "submittedAt" >= ${start} AND "submittedAt" < ${end} ${deptFilter(s, "holderDeptId")}) AS requests,
             (SELECT count(*)::int FROM "SealUseRequest" WHERE "approvedAt" >= ${start} AND "approvedAt" < ${end} ${deptFilter(s, "holderDeptId")}) AS approvals,
             (SELECT count(*)::int FROM "SealUseRecord" WHERE "at" >= ${start} AND "at" < ${end} ${deptFilter(s, "holderDeptId")}) AS signatures,
             (SELECT count(*)::int FROM "SealUseSignature" g JOIN "SealUseRequest" r ON r."id" = g."requestId"
               WHERE g."status" = 'DONE' AND (r."approvedAt" IS NULL OR r."approvedAt" > g."createdAt")
               ${s.all ? Prisma.empty : Prisma.sql`AND r."holderDeptId" = ANY(${s.ids}::uuid[])`}) AS "unapprovedSignatures"`,
    db().$queryRaw<{ month: string; requests: number; signatures: number }[]>`
      SELECT m AS month, sum(req)::int AS requests, sum(sig)::int AS signatures FROM (
        SELECT to_char("submittedAt" AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM') AS m, 1 AS req, 0 AS sig FROM "SealUseRequest"
        WHERE "submittedAt" >= ${start} AND "submittedAt" < ${end} ${deptFilter(s, "holderDeptId")}
        UNION ALL
        SELECT to_char("at" AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM'), 0, 1 FROM "SealUseRecord"
        WHERE "at" >= ${start} AND "at" < ${end} ${deptFilter(s, "holderDeptId")}
      ) x GROUP BY m`,
  ]);
  const months = new Map(monthsBetween(q.from, q.to).map((m) => [m, { month: m, requests: 0, signatures: 0 }]));
  for (const m of byMonth) {
    const x = months.get(m.month);
    if (x) Object.assign(x, m);
  }
  return { ...r, byMonth: [...months.values()] };
}

// ---------------------------------------------------------------------------------------------
// Use and verification volumes (access log)

export type VolumeFigure = { total: number; failed: number; failurePct: number | null };
export type AccessFigures = {
  verify: VolumeFigure;
  use: VolumeFigure;
  byMonth: { month: string; verify: number; use: number; failed: number }[];
  /** per licence department: how often its licences were verified and used */
  byDept: { deptId: string; deptName: string; verify: number; use: number; failed: number; failurePct: number | null }[];
  /** uses per using department */
  byUserDept: { deptId: string; deptName: string; use: number; failed: number }[];
  byScenario: { scenario: string; use: number; failed: number }[];
  byChannel: { channel: string; total: number; failed: number }[];
};

export async function accessFigures(s: Scope, q: DashboardQuery): Promise<AccessFigures> {
  // a department sees the uses and verifications of its licences, and the uses it made; one scan
  // of the summary with one grouping set per breakdown (the summary has a row per month, licence
  // department, using department, kind, channel and scenario: too many to fetch whole)
  const mine = (col: string) => (s.all ? Prisma.sql`true` : Prisma.sql`${Prisma.raw(`"${col}"`)} = ANY(${s.ids}::uuid[])`);
  const rows = await db().$queryRaw<{ g: number; m: string | null; issuerDeptId: string | null; userDeptId: string | null; kind: "VERIFY" | "USE" | null; channel: string | null; scenario: string | null; total: number; failed: number }[]>`
    SELECT GROUPING(m, "issuerDeptId", "userDeptId", "kind", "channel", "scenario")::int AS g,
           m, "issuerDeptId", "userDeptId", "kind", "channel", "scenario", sum("total")::int AS total, sum("failed")::int AS failed
    FROM (
      SELECT to_char("month", 'YYYY-MM') AS m, "issuerDeptId", "userDeptId", "kind", "channel", "scenario", "total", "failed",
             ${mine("issuerDeptId")} AS "ofIssuer", ${mine("userDeptId")} AS "ofUser"
      FROM "StatAccessMonth"
      WHERE "month" BETWEEN ${`${q.from}-01`}::date AND ${`${q.to}-01`}::date
        ${s.all ? Prisma.empty : Prisma.sql`AND ("issuerDeptId" = ANY(${s.ids}::uuid[]) OR "userDeptId" = ANY(${s.ids}::uuid[]))`}
    ) x
    GROUP BY GROUPING SETS ((m, "kind"), ("issuerDeptId", "kind"), ("userDeptId", "kind"), ("kind", "scenario"), ("kind", "channel"))
    HAVING NOT (GROUPING("issuerDeptId") = 0 AND (NOT bool_or("ofIssuer") OR "issuerDeptId" = ${NIL_UUID}::uuid))
       AND NOT (GROUPING("userDeptId") = 0 AND (NOT bool_or("ofUser") OR "userDeptId" = ${NIL_UUID}::uuid))`;
  const G = (r: (typeof rows)[number]) => ({
    month: r.m !== null,
    issuer: r.issuerDeptId !== null,
    user: r.userDeptId !== null,
    scenario: r.scenario !== null && r.channel === null && r.m === null,
    channel: r.channel !== null,
  });
  const months = new Map(monthsBetween(q.from, q.to).map((m) => [m, { month: m, verify: 0, use: 0, failed: 0 }]));
  const verify = { total: 0, failed: 0 }, use = { total: 0, failed: 0 };
  const depts = new Map<string, { verify: number; use: number; failed: number }>();
  const users = new Map<string, { use: number; failed: number }>();
  const scen = new Map<string, { use: number; failed: number }>();
  const chan = new Map<string, { total: number; failed: number }>();
  for (const r of rows) {
    const g = G(r);
    if (g.month) {
      const v = r.kind === "VERIFY" ? verify : use;
      v.total += r.total;
      v.failed += r.failed;
      const m = months.get(r.m!);
      if (m) {
        if (r.kind === "VERIFY") m.verify += r.total;
        else m.use += r.total;
        m.failed += r.failed;
      }
    } else if (g.issuer) {
      let d = depts.get(r.issuerDeptId!);
      if (!d) depts.set(r.issuerDeptId!, (d = { verify: 0, use: 0, failed: 0 }));
      if (r.kind === "VERIFY") d.verify += r.total;
      else d.use += r.total;
      d.failed += r.failed;
    } else if (g.user) {
      if (r.kind !== "USE") continue;
      users.set(r.userDeptId!, { use: r.total, failed: r.failed });
    } else if (g.channel) {
      if (r.kind !== "VERIFY") continue;
      chan.set(r.channel!, { total: r.total, failed: r.failed });
    } else if (r.kind === "USE") {
      const key = r.scenario || "VIEW";
      const c = scen.get(key) ?? { use: 0, failed: 0 };
      scen.set(key, { use: c.use + r.total, failed: c.failed + r.failed });
    }
  }
  return {
    verify: { ...verify, failurePct: pct(verify.failed, verify.total) },
    use: { ...use, failurePct: pct(use.failed, use.total) },
    byMonth: [...months.values()],
    byDept: [...depts.entries()]
      .map(([deptId, d]) => ({ deptId, deptName: nameOf(s, deptId), ...d, failurePct: pct(d.failed, d.verify + d.use) }))
      .sort((a, b) => b.verify + b.use - (a.verify + a.use) || a.deptName.localeCompare(b.deptName, "zh-CN")),
    byUserDept: [...users.entries()].map(([deptId, u]) => ({ deptId, deptName: nameOf(s, deptId), ...u })).sort((a, b) => b.use - a.use),
    byScenario: [...scen.entries()].map(([scenario, c]) => ({ scenario, ...c })).sort((a, b) => b.use - a.use),
    byChannel: [...chan.entries()].map(([channel, c]) => ({ channel, ...c })).sort((a, b) => b.total - a.total),
  };
}

// ---------------------------------------------------------------------------------------------
// Department ranking

export type RankRow = {
  rank: number | null;
  deptId: string;
  deptName: string;
  licences: number;
  /** percent: synchronised on time in the period */
  timeliness: number | null;
  /** percent: the department's live licences without a data-quality finding */
  completeness: number | null;
  /** percent: objections marked and resolved on time in the period */
  objections: number | null;
  score: number | null;
};

type Setting = Awaited<ReturnType<typeof supervisionSettings>>;

export async function supervisionSettings() {
  return (await db().supervisionSetting.findUnique({ where: { id: 1 } })) ?? { id: 1, weightTimeliness: 40, weightCompleteness: 30, weightObjections: 30, listStaleDays: 180, updatedById: null, updatedAt: new Date(0) };
}

/** Issuing departments in scope, best first; departments with no data at all come last, unranked. */
export async function ranking(s: Scope, q: DashboardQuery, given?: { licences: LicenceFigures; objections: ObjectionSummary; setting: Setting }): Promise<{ rows: RankRow[]; weights: RankingWeights; formula: string }> {
  const [w, lic, obj, totals, findings] = await Promise.all([
    given ? given.setting : supervisionSettings(),
    given ? given.licences : licenceFigures(s, q),
    given ? given.objections : objectionSummary(s, q),
    db().$queryRaw<{ deptId: string; n: number; live: number }[]>`SELECT "deptId", sum("issued")::int AS n, sum("live")::int AS live FROM "StatLicenceMonth" WHERE true ${deptFilter(s, "deptId")} GROUP BY 1`,
    db().$queryRaw<{ deptId: string; n: number }[]>`SELECT "deptId", count(DISTINCT "licenceId")::int AS n FROM "LicenceFinding" WHERE true ${deptFilter(s, "deptId")} GROUP BY 1`,
  ]);
  const total = new Map(totals.map((r) => [r.deptId, r.n]));
  const live = new Map(totals.map((r) => [r.deptId, r.live]));
  const bad = new Map(findings.map((r) => [r.deptId, r.n]));
  const licBy = new Map(lic.byDept.map((d) => [d.deptId, d]));
  const objBy = new Map(obj.byDept.map((d) => [d.deptId, d]));
  const rows: RankRow[] = s.depts
    .filter((d) => d.isIssuing || total.has(d.id) || objBy.has(d.id))
    .map((d) => {
      const l = licBy.get(d.id);
      const n = total.get(d.id) ?? 0;
      const alive = live.get(d.id) ?? 0;
      const rates = {
        timeliness: l ? l.onTimePct : null,
        // findings are about live licences: the share of those without one
        completeness: alive ? Math.max(0, Math.round((1 - (bad.get(d.id) ?? 0) / alive) * 1000) / 10) : null,
        objections: objBy.get(d.id)?.handledOnTimePct ?? null,
      };
      // completeness is a state, not an activity: a department with nothing in the period (no
      // licence issued, no objection due) is listed unranked rather than scored on it alone
      const active = rates.timeliness !== null || rates.objections !== null;
      return { rank: null, deptId: d.id, deptName: d.name, licences: n, ...rates, score: active ? compositeScore(w, rates) : null };
    })
    .sort((a, b) => (b.score ?? -1) - (a.score ?? -1) || b.licences - a.licences || a.deptName.localeCompare(b.deptName, "zh-CN"));
  let rank = 0;
  for (const r of rows) if (r.score !== null) r.rank = ++rank;
  return { rows, weights: w, formula: rankingFormula(w) };
}

// ---------------------------------------------------------------------------------------------

export type Dashboard = {
  query: DashboardQuery;
  region: Scope["region"];
  /** the figures cover every department (a provincial supervisor, no region chosen) */
  scopeAll: boolean;
  freshness: Awaited<ReturnType<typeof dashboardFreshness>>;
  licences: LicenceFigures;
  quality: QualityFigures;
  objections: ObjectionSummary;
  seals: SealFigures;
  sealUse: SealUseFigures;
  access: AccessFigures;
  ranking: Awaited<ReturnType<typeof ranking>>;
};

/** Every figure of the dashboard for `actor` (supervision.read) and the query. */
export async function dashboard(actor: Actor, q: DashboardQuery, now = new Date()): Promise<Dashboard> {
  // the settings are read once: the quality figures and the ranking both need them
  const [s, setting] = await Promise.all([dashboardScope(actor, q.region), supervisionSettings()]);
  const [freshness, licences, quality, objections, seals, sealUse, access] = await Promise.all([
    dashboardFreshness(),
    licenceFigures(s, q),
    qualityFigures(s, now, setting),
    objectionSummary(s, q),
    sealFigures(s, q, now),
    sealUseFigures(s, q),
    accessFigures(s, q),
  ]);
  return { query: q, region: s.region, scopeAll: s.all, freshness, licences, quality, objections, seals, sealUse, access, ranking: await ranking(s, q, { licences, objections, setting }) };
}
