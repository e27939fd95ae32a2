// 访问日志 (A-01, V-01): the access log as supervisors read it — the verifications and uses of
// the licences of the departments in their supervision scope, and the uses those departments
// made; a provincial supervisor sees every row. The dashboard's use and verification figures link
// here with the same parameters (kind, channel, scenario, ok, dept, userDept, from, to).
//
// Fast at a million rows: keyset paging on (at desc, id desc), never OFFSET; province-wide the
// rows come from AccessLog(at) (or (issuerDeptId, at) / (userDeptId, at) when a department is
// chosen); within a scope, one ordered branch per department over (issuerDeptId, at) and
// (userDeptId, at), each taking at most a page, merged; the total is counted up to COUNT_LIMIT.
import "server-only";
import "@/lib/validation/zod-zh";
import { z } from "zod";
import { db, Prisma } from "@/lib/db";
import type { Actor } from "@/lib/auth/session";
import { can, departmentScope, departmentWhere, requirePermission } from "@/lib/auth/permissions";
import { USE_SCENARIOS, USE_SCENARIO_LABELS } from "@/lib/catalog/dictionaries";
import { PAGE_SIZES } from "@/lib/pagination";

export const ACCESS_KIND_LABELS = { VERIFY: "核验", USE: "用证" } as const;
import { ACCESS_CHANNEL_LABELS } from "@/lib/supervision/labels";
export { ACCESS_CHANNEL_LABELS };
export const ACCESS_FAILURE_LABELS: Record<string, string> = {
  NOT_FOUND: "证照不存在",
  BAD_CODE: "核验码错误",
  EXPIRED_CODE: "亮证码已过期",
  USED_CODE: "亮证码已使用",
  REVOKED_CODE: "二维码已作废",
  ALTERED: "文件非原件或已被篡改",
  NO_SIGNATURE: "文件无电子证照签名",
  INVALID: "提交内容无效",
  RATE_LIMITED: "访问过于频繁",
  FORBIDDEN: "无权使用",
  ERROR: "系统错误",
};
export const ACCESS_KINDS = Object.keys(ACCESS_KIND_LABELS) as (keyof typeof ACCESS_KIND_LABELS)[];
export const ACCESS_CHANNELS = Object.keys(ACCESS_CHANNEL_LABELS) as (keyof typeof ACCESS_CHANNEL_LABELS)[];
/** Counting stops here: beyond it the page says "超过 10,000 条". */
export const ACCESS_COUNT_LIMIT = 10_000;

const isRealDate = (s: string) => {
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
};
const ymd = z.string().regex(/^\d{4}-\d{2}-\d{2}$/).refine(isRealDate, "日期格式应为 YYYY-MM-DD");
const loose = <T extends z.ZodType>(s: T) => s.optional().catch(undefined);
const SCENARIO_CODES = USE_SCENARIOS.map((s) => s.code) as [string, ...string[]];

/** The URL's filter, forgiving: a bad value is dropped, never an error page. */
export const accessLogFilter = z.object({
  kind: loose(z.enum(ACCESS_KINDS as [string, ...string[]])),
  channel: loose(z.enum(ACCESS_CHANNELS as [string, ...string[]])),
  scenario: loose(z.enum(SCENARIO_CODES)),
  ok: loose(z.enum(["0", "1"])),
  /** the licence's managing department (exactly that department, as the dashboard counts it) */
  dept: loose(z.string().uuid()),
  /** the using department */
  userDept: loose(z.string().uuid()),
  /** the dashboard's region: rows whose licence or using department lies in this department's subtree */
  region: loose(z.string().uuid()),
  /** YYYY-MM-DD, Asia/Shanghai, inclusive */
  from: loose(ymd),
  to: loose(ymd),
  pageSize: z.coerce.number().int().refine((v) => (PAGE_SIZES as readonly number[]).includes(v)).catch(20),
  /** keyset cursors: rows after the last one shown, or before the first one shown */
  after: loose(z.string().max(60)),
  before: loose(z.string().max(60)),
});
export type AccessLogFilter = z.infer<typeof accessLogFilter>;

export type AccessLogRow = {
  id: string;
  /** ISO instant */
  at: string;
  kind: string;
  kindLabel: string;
  channel: string;
  channelLabel: string;
  scenario: string | null;
  scenarioLabel: string;
  /** link: the reader may open the licence (its department is in the supervision scope) */
  licence: { id: string; identifier: string; link: boolean } | null;
  issuerDept: string | null;
  userDept: string | null;
  ok: boolean;
  failure: string | null;
  failureLabel: string;
  /** masked to /24 (IPv4) or /48 (IPv6) */
  ip: string;
};

export type AccessLogPage = { rows: AccessLogRow[]; total: number; totalCapped: boolean; pageSize: number; next: string | null; prev: string | null };

type Cursor = { at: Date; id: bigint };
type Raw = { id: bigint; at: Date; kind: string; channel: string; scenario: string | null; licenceId: string | null; issuerDeptId: string | null; userDeptId: string | null; ok: boolean; failure: string | null; ip: string | null };

const encodeCursor = (r: { at: Date; id: bigint }) => `${r.at.getTime()}.${r.id}`;
export function decodeCursor(s: string | undefined): Cursor | null {
  const m = s ? /^(\d{1,15})\.(\d{1,18})$/.exec(s) : null;
  return m ? { at: new Date(Number(m[1])), id: BigInt(m[2]) } : null;
}

/** An IP as the page shows it: the last octet of an IPv4 address hidden (/24), IPv6 cut to /48. */
export function maskIp(ip: string | null): string {
  if (!ip) return "";
  const v4 = /(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(ip);
  if (v4) return `${v4[1]}.${v4[2]}.${v4[3]}.*`;
  if (ip.includes(":")) {
    // expand "::" first, so a compressed address (2408::5) is cut to its /48, never shown whole
    const [head, tail = ""] = ip.split("::");
    const h = head ? head.split(":") : [];
    const t = ip.includes("::") ? (tail ? tail.split(":") : []) : [];
    const groups = ip.includes("::") ? [...h, ...Array<string>(Math.max(0, 8 - h.length - t.length)).fill("0"), ...t] : h;
    return `${groups.slice(0, 3).map((g) => g || "0").join(":")}::*`;
  }
  return "*";
}

/** The start of a Shanghai day, and the start of the day after. */
const dayStart = (d: string) => new Date(`${d}T00:00:00+08:00`);
const nextDayStart = (d: string) => new Date(dayStart(d).getTime() + 86_400_000);

function conditions(f: AccessLogFilter): Prisma.Sql[] {
  const c: Prisma.Sql[] = [];
  if (f.kind) c.push(Prisma.sql`"kind" = ${f.kind}`);
  if (f.channel) c.push(Prisma.sql`"channel" = ${f.channel}`);
  if (f.scenario) c.push(Prisma.sql`"scenario" = ${f.scenario}`);
  if (f.ok) c.push(Prisma.sql`"ok" = ${f.ok === "1"}`);
  if (f.dept) c.push(Prisma.sql`"issuerDeptId" = ${f.dept}::uuid`);
  if (f.userDept) c.push(Prisma.sql`"userDeptId" = ${f.userDept}::uuid`);
  if (f.from) c.push(Prisma.sql`"at" >= ${dayStart(f.from)}`);
  if (f.to) c.push(Prisma.sql`"at" < ${nextDayStart(f.to)}`);
  return c;
}

const and = (c: Prisma.Sql[]) => (c.length ? Prisma.join(c, " AND ") : Prisma.sql`TRUE`);

/**
 * The department ids of the reader's supervision scope narrowed to the region's subtree (as the
 * dashboard's figures are), or undefined for the whole province. A region out of scope: none.
 */
async function scopeIds(actor: Actor, region?: string): Promise<string[] | undefined> {
  if (!departmentScope(actor, "supervision.read") && !region) return undefined;
  const r = region ? await db().department.findUnique({ where: { id: region }, select: { id: true, path: true } }) : null;
  if (region && (!r || !can(actor, "supervision.read", r))) return [];
  const where = { AND: [departmentWhere(actor, "supervision.read"), r ? { path: { startsWith: r.path } } : {}] };
  return (await db().department.findMany({ where, select: { id: true } })).map((d) => d.id);
}

const COLUMNS = Prisma.sql`"id", "at", "kind", "channel", "scenario", "licenceId", "issuerDeptId", "userDeptId", "ok", "failure", "ip"`;

async function pageRows(ids: string[] | undefined, f: AccessLogFilter, cursor: Cursor | null, backwards: boolean, limit: number): Promise<Raw[]> {
  const c = conditions(f);
  if (cursor) c.push(backwards ? Prisma.sql`("at", "id") > (${cursor.at}, ${cursor.id})` : Prisma.sql`("at", "id") < (${cursor.at}, ${cursor.id})`);
  const order = backwards ? Prisma.sql`ORDER BY "at" ASC, "id" ASC` : Prisma.sql`ORDER BY "at" DESC, "id" DESC`;
  if (!ids) return db().$queryRaw<Raw[]>`SELECT ${COLUMNS} FROM "AccessLog" WHERE ${and(c)} ${order} LIMIT ${limit}`;
  const inScope = new Set(ids);
  // rows of the scope's licences, and rows of the scope's uses: a chosen department narrows each side
  const issuerIds = f.dept ? (inScope.has(f.dept) ? [f.dept] : []) : ids;
  const userIds = f.userDept ? (inScope.has(f.userDept) ? [f.userDept] : []) : ids;
  if (!issuerIds.length && !userIds.length) return [];
  return db().$queryRaw<Raw[]>`
    SELECT ${COLUMNS} FROM (
      SELECT a.* FROM unnest(${issuerIds}::uuid[]) d(id)
        CROSS JOIN LATERAL (SELECT ${COLUMNS} FROM "AccessLog" WHERE "issuerDeptId" = d.id AND ${and(c)} ${order} LIMIT ${limit}) a
      UNION
      SELECT a.* FROM unnest(${userIds}::uuid[]) d(id)
        CROSS JOIN LATERAL (SELECT ${COLUMNS} FROM "AccessLog" WHERE "userDeptId" = d.id AND ${and(c)} ${order} LIMIT ${limit}) a
    ) u ${order} LIMIT ${limit}`;
}

async function boundedCount(ids: string[] | undefined, f: AccessLogFilter): Promise<number> {
  const c = conditions(f);
  if (ids) c.push(Prisma.sql`("issuerDeptId" = ANY(${ids}::uuid[]) OR "userDeptId" = ANY(${ids}::uuid[]))`);
  const [r] = await db().$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM (SELECT 1 FROM "AccessLog" WHERE ${and(c)} LIMIT ${ACCESS_COUNT_LIMIT + 1}) x`;
  return r?.n ?? 0;
}

/** One page of the access log in the reader's scope (supervision.read). */
export async function listAccessLog(actor: Actor, f: AccessLogFilter): Promise<AccessLogPage> {
  requirePermission(actor, "supervision.read");
  const ids = await scopeIds(actor, f.region);
  const n = f.pageSize;
  const after = decodeCursor(f.after);
  const before = after ? null : decodeCursor(f.before);
  const [count, fetched] = await Promise.all([boundedCount(ids, f), pageRows(ids, f, after ?? before, !!before, n + 1)]);
  let rows = fetched;
  let hasNext: boolean, hasPrev: boolean;
  if (before) {
    hasPrev = rows.length > n;
    rows = rows.slice(0, n).reverse();
    hasNext = true;
  } else {
    hasNext = rows.length > n;
    rows = rows.slice(0, n);
    hasPrev = !!after;
  }
  const licenceIds = [...new Set(rows.map((r) => r.licenceId).filter((x): x is string => !!x))];
  const deptIds = [...new Set(rows.flatMap((r) => [r.issuerDeptId, r.userDeptId]).filter((x): x is string => !!x))];
  const [licences, depts] = await Promise.all([
    licenceIds.length ? db().licence.findMany({ where: { id: { in: licenceIds } }, select: { id: true, identifier: true, issuerDept: { select: { id: true, path: true } } } }) : [],
    deptIds.length ? db().department.findMany({ where: { id: { in: deptIds } }, select: { id: true, name: true } }) : [],
  ]);
  const licenceOf = new Map(licences.map((l) => [l.id, l]));
  const deptName = new Map(depts.map((d) => [d.id, d.name]));
  return {
    rows: rows.map((r) => {
      const l = r.licenceId ? licenceOf.get(r.licenceId) : undefined;
      return {
        id: String(r.id),
        at: r.at.toISOString(),
        kind: r.kind,
        kindLabel: ACCESS_KIND_LABELS[r.kind as keyof typeof ACCESS_KIND_LABELS] ?? r.kind,
        channel: r.channel,
        channelLabel: ACCESS_CHANNEL_LABELS[r.channel as keyof typeof ACCESS_CHANNEL_LABELS] ?? r.channel,
        scenario: r.scenario,
        scenarioLabel: r.scenario ? (USE_SCENARIO_LABELS[r.scenario as keyof typeof USE_SCENARIO_LABELS] ?? r.scenario) : "",
        licence: l ? { id: l.id, identifier: l.identifier, link: can(actor, "supervision.read", l.issuerDept) } : null,
        issuerDept: r.issuerDeptId ? (deptName.get(r.issuerDeptId) ?? "") : null,
        userDept: r.userDeptId ? (deptName.get(r.userDeptId) ?? "") : null,
        ok: r.ok,
        failure: r.failure,
        failureLabel: r.failure ? (ACCESS_FAILURE_LABELS[r.failure] ?? r.failure) : "",
        ip: maskIp(r.ip),
      };
    }),
    total: Math.min(count, ACCESS_COUNT_LIMIT),
    totalCapped: count > ACCESS_COUNT_LIMIT,
    pageSize: n,
    next: hasNext && rows.length ? encodeCursor(rows[rows.length - 1]) : null,
    prev: hasPrev && rows.length ? encodeCursor(rows[0]) : null,
  };
}

/** The departments of the query form's selects: the reader's scope, in tree order with depth. */
export async function accessLogDeptOptions(actor: Actor): Promise<{ id: string; name: string; depth: number }[]> {
  requirePermission(actor, "supervision.read");
  const depts = await db().department.findMany({ where: departmentWhere(actor, "supervision.read"), select: { id: true, name: true, path: true }, orderBy: { path: "asc" } });
  const top = Math.min(...depts.map((d) => d.path.split("/").filter(Boolean).length));
  return depts.map((d) => ({ id: d.id, name: d.name, depth: d.path.split("/").filter(Boolean).length - top }));
}
