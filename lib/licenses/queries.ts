// The licence table (U-02 internal view, L-05) over a million rows: issuer operators see the
// licences of the departments in their licence.issue scope, supervisors those of their region.
//
// How a page stays fast at any depth (bench/licence-list measures it at 1,000,000 rows):
//   - keyset paging on (sort key, id), never OFFSET, so a deep page costs what the first one does;
//   - the total is counted only up to COUNT_LIMIT ("10,000+" beyond), first, and it picks the plan:
//     few matches are fetched whole through the filter's own index and sorted (a filter that is
//     rare, or whose matches lie far from the start of the order, never walks an index in order);
//     many matches are read in order from an index of the 20261202030000_licence_list migration
//     until the page is full;
//   - a list of issuing departments (a subtree) becomes one ordered sub-query per department,
//     merged, so each reads its department's own index range;
//   - the page's ids come from "Licence" and its indexes alone; only those rows are joined with the
//     holder's masked code and the responsible department's name.
import "server-only";
import { db, Prisma } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { departmentWhereAny, hasPermission, type Permission } from "@/lib/auth/permissions";
import type { Actor } from "@/lib/auth/session";
import { t } from "@/lib/i18n/zh-CN";
import { COUNT_LIMIT, EXPORT_MAX_ROWS, type FilterKey, type LicenceFilter, type LicenceSort, type LicenceStatusName } from "@/lib/licenses/list-schema";

/** Who may list licences at all (each within their department scope). */
export const LICENCE_LIST_PERMISSIONS = ["licence.issue", "supervision.read"] as const satisfies readonly Permission[];

export function canListLicences(actor: Actor): boolean {
  return LICENCE_LIST_PERMISSIONS.some((p) => hasPermission(actor, p));
}

export type LicenceRow = {
  id: string;
  identifier: string;
  licenceNumber: string;
  typeName: string;
  holderName: string;
  /** Holder.codeMasked: the only form of the code that leaves the server */
  holderCodeMasked: string;
  /** the issuing authority as signed and printed on the licence */
  issuerName: string;
  /** the department now responsible (issuerDeptId): another one after a transfer (L-11) */
  managingDeptName: string;
  transferred: boolean;
  /** ISO instant */
  issuedAt: string;
  /** YYYY-MM-DD, or null for a long-term (长期) licence */
  validTo: string | null;
  status: LicenceStatusName;
  restricted: boolean;
  /** marked, unresolved objections (O-02): > 0 shows 异议中 */
  openObjections: number;
};

export type LicencePage = {
  rows: LicenceRow[];
  /** matching rows, counted up to COUNT_LIMIT */
  total: number;
  /** more than COUNT_LIMIT match */
  totalCapped: boolean;
  pageSize: number;
  sort: LicenceSort;
  dir: "asc" | "desc";
  /** cursors for the next and previous pages (null at either end) */
  next: string | null;
  prev: string | null;
};

// ---- scope --------------------------------------------------------------------------------------

/**
 * The issuer departments a query covers: the actor's scope under the list permissions (undefined:
 * the whole province), narrowed to the subtree of the chosen department. A chosen department
 * outside the scope is "not found", as a row outside it would be.
 */
export async function issuerDepartments(actor: Actor, deptId?: string): Promise<string[] | undefined> {
  const scope = departmentWhereAny(actor, LICENCE_LIST_PERMISSIONS);
  if (!scope) throw new AppError("FORBIDDEN", t.errors.forbidden);
  const whole = Object.keys(scope).length === 0;
  if (!deptId) return whole ? undefined : (await db().department.findMany({ where: scope, select: { id: true } })).map((d) => d.id);
  const chosen = await db().department.findFirst({ where: whole ? { id: deptId } : { AND: [{ id: deptId }, scope] }, select: { path: true } });
  if (!chosen) throw new AppError("NOT_FOUND", t.errors.notFound);
  const sub = await db().department.findMany({ where: whole ? { path: { startsWith: chosen.path } } : { AND: [{ path: { startsWith: chosen.path } }, scope] }, select: { id: true } });
  return sub.map((d) => d.id);
}

// ---- filter → SQL -------------------------------------------------------------------------------

/** The sort keys as SQL on alias l; validTo sorts a long-term licence (NULL) after every date. */
const SORT_SQL: Record<LicenceSort, Prisma.Sql> = {
  issuedAt: Prisma.sql`l."issuedAt"`,
  validTo: Prisma.sql`COALESCE(l."validTo", 'infinity'::date)`,
  licenceNumber: Prisma.sql`l."licenceNumber"`,
};

const SHANGHAI_MS = 8 * 3_600_000;
const DAY_MS = 86_400_000;
/** The instant a calendar day starts in Asia/Shanghai. */
const dayStart = (ymd: string, plusDays = 0) => new Date(Date.parse(`${ymd}T00:00:00Z`) - SHANGHAI_MS + plusDays * DAY_MS);
const likePrefix = (s: string) => `${s.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

export type FilterOnly = Pick<LicenceFilter, FilterKey>;

/** The conditions of a filter other than the department, on alias l. */
export function filterConditions(f: FilterOnly): Prisma.Sql[] {
  const c: Prisma.Sql[] = [];
  if (f.type) c.push(Prisma.sql`l."typeId" = ${f.type}::uuid`);
  if (f.status) c.push(Prisma.sql`l."status" = ${f.status}::"LicenceStatus"`);
  if (f.h) c.push(Prisma.sql`l."holderCodeHash" = ${f.h}`);
  // byte order (COLLATE "C"), so that LIKE 'prefix%' is a range of the Licence_holderName_prefix index
  if (f.name) c.push(Prisma.sql`l."holderName" COLLATE "C" LIKE ${likePrefix(f.name)}`);
  if (f.issuedFrom) c.push(Prisma.sql`l."issuedAt" >= ${dayStart(f.issuedFrom)}`);
  if (f.issuedTo) c.push(Prisma.sql`l."issuedAt" < ${dayStart(f.issuedTo, 1)}`);
  // on the validTo sort key, so that the same indexes serve both; a long-term licence (no expiry
  // date: 'infinity' there) is outside every expiry range
  if (f.expiresFrom) c.push(Prisma.sql`${SORT_SQL.validTo} >= ${f.expiresFrom}::date`);
  if (f.expiresTo) c.push(Prisma.sql`${SORT_SQL.validTo} <= ${f.expiresTo}::date`);
  else if (f.expiresFrom) c.push(Prisma.sql`${SORT_SQL.validTo} < 'infinity'::date`);
  if (f.restricted) c.push(Prisma.sql`l."restricted" = ${f.restricted === "yes"}`);
  // the partial index Licence_under_objection holds exactly these rows (few at any time)
  if (f.objection) c.push(Prisma.sql`l."openObjections" > 0`);
  // the dashboard's drill-downs (L-05 timeliness, V-01): plain narrowing conditions on the row,
  // checked after the department, type or date index has found it
  if (f.sync) c.push(Prisma.sql`l."syncMode" = ${f.sync}`);
  // the complement of the summary's onTime ("syncedAt" <= "syncDueAt"; both are never null)
  if (f.late) c.push(Prisma.sql`l."syncedAt" > l."syncDueAt"`);
  if (f.origin === "BULK") c.push(Prisma.sql`l."origin" = 'BULK'`);
  else if (f.origin === "ISSUED") c.push(Prisma.sql`l."origin" <> 'BULK'`);
  return c;
}

/** A list query: its department list (undefined: every department) and its other conditions. */
type Query = { depts: string[] | undefined; conds: Prisma.Sql[] };

async function queryOf(actor: Actor, f: LicenceFilter): Promise<Query> {
  return { depts: await issuerDepartments(actor, f.dept), conds: filterConditions(f) };
}

/** Up to this many departments, each gets its own ordered sub-query; beyond, one = ANY(…) scan. */
const MAX_DEPT_BRANCHES = 64;

const and = (c: Prisma.Sql[]) => (c.length ? Prisma.join(c, " AND ") : Prisma.sql`TRUE`);

/** The department condition, as one part per ordered branch. */
function deptParts(depts: string[] | undefined): Prisma.Sql[] {
  if (!depts) return [Prisma.sql`TRUE`];
  if (depts.length === 0) return [Prisma.sql`FALSE`];
  if (depts.length <= MAX_DEPT_BRANCHES) return depts.map((d) => Prisma.sql`l."issuerDeptId" = ${d}::uuid`);
  return [Prisma.sql`l."issuerDeptId" = ANY(${depts}::uuid[])`];
}

const deptCondition = (depts: string[] | undefined): Prisma.Sql =>
  !depts ? Prisma.sql`TRUE` : depts.length === 0 ? Prisma.sql`FALSE` : depts.length === 1 ? Prisma.sql`l."issuerDeptId" = ${depts[0]}::uuid` : Prisma.sql`l."issuerDeptId" = ANY(${depts}::uuid[])`;

// ---- cursors ------------------------------------------------------------------------------------

type Cursor = { sort: LicenceSort; dir: "asc" | "desc"; value: string; id: string };
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function encodeCursor(c: Cursor): string {
  return Buffer.from(JSON.stringify([c.sort, c.dir, c.value, c.id]), "utf8").toString("base64url");
}

/** A cursor made for this sort and direction, or null (a stale or forged one starts at the top). */
export function decodeCursor(text: string | undefined, sort: LicenceSort, dir: "asc" | "desc"): Cursor | null {
  if (!text) return null;
  let v: unknown;
  try {
    v = JSON.parse(Buffer.from(text, "base64url").toString("utf8"));
  } catch {
    return null;
  }
  if (!Array.isArray(v) || v.length !== 4 || v[0] !== sort || v[1] !== dir || typeof v[2] !== "string" || typeof v[3] !== "string" || !UUID.test(v[3])) return null;
  const value = v[2];
  const ok =
    sort === "issuedAt" ? /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/.test(value) && !Number.isNaN(Date.parse(value))
    : sort === "validTo" ? value === "infinity" || (/^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(Date.parse(value)))
    : value.length >= 1 && value.length <= 40;
  return ok ? { sort, dir, value, id: v[3] } : null;
}

function cursorValueSql(c: Cursor): Prisma.Sql {
  if (c.sort === "issuedAt") return Prisma.sql`${new Date(c.value)}::timestamptz`;
  if (c.sort === "validTo") return Prisma.sql`${c.value}::date`;
  return Prisma.sql`${c.value}::text`;
}

// ---- the page -----------------------------------------------------------------------------------

type RawRow = {
  id: string;
  identifier: string;
  licenceNumber: string;
  typeName: string;
  holderName: string;
  holderCodeMasked: string;
  issuerName: string;
  managingDeptName: string;
  transferred: boolean;
  issuedAt: Date;
  validTo: Date | null;
  status: LicenceStatusName;
  restricted: boolean;
  openObjections: number;
};

type PageSpec = {
  sort: LicenceSort;
  dir: "asc" | "desc";
  cursor: Cursor | null;
  backwards: boolean;
  limit: number;
  /** few matches: fetch them all, then sort */
  few: boolean;
  /** one ordered branch per department (for a page; an export's 50,000 rows read one ordered scan) */
  branches?: boolean;
};

/**
 * The page's ids and sort keys, then its rows. Reading backwards (the page before a cursor) runs
 * the order the other way and the caller reverses the rows.
 */
function pageSql(q: Query, p: PageSpec): Prisma.Sql {
  const key = SORT_SQL[p.sort];
  const desc = (p.dir === "desc") !== p.backwards;
  const d = Prisma.raw(desc ? "DESC" : "ASC");
  const after = (k: Prisma.Sql, id: Prisma.Sql) =>
    !p.cursor ? Prisma.sql`TRUE` : desc ? Prisma.sql`(${k}, ${id}) < (${cursorValueSql(p.cursor)}, ${p.cursor.id}::uuid)` : Prisma.sql`(${k}, ${id}) > (${cursorValueSql(p.cursor)}, ${p.cursor.id}::uuid)`;
  let ids: Prisma.Sql;
  if (p.few) {
    // every match (at most COUNT_LIMIT) through the best index for the filter alone, then the
    // cursor and the order (the cursor inside would tempt the planner into an ordered index again)
    ids = Prisma.sql`
      WITH m AS MATERIALIZED (SELECT l."id", ${key} AS k FROM "Licence" l WHERE ${deptCondition(q.depts)} AND ${and(q.conds)})
      SELECT m."id", m.k FROM m WHERE ${after(Prisma.sql`m.k`, Prisma.sql`m."id"`)} ORDER BY m.k ${d}, m."id" ${d} LIMIT ${p.limit}`;
  } else {
    const conds = [...q.conds, after(key, Prisma.sql`l."id"`)];
    const parts = p.branches === false ? [deptCondition(q.depts)] : deptParts(q.depts);
    const branches = parts.map((part) => Prisma.sql`(SELECT l."id", ${key} AS k FROM "Licence" l WHERE ${part} AND ${and(conds)} ORDER BY ${key} ${d}, l."id" ${d} LIMIT ${p.limit})`);
    ids = branches.length === 1 ? branches[0] : Prisma.sql`SELECT u."id", u.k FROM (${Prisma.join(branches, " UNION ALL ")}) u ORDER BY u.k ${d}, u."id" ${d} LIMIT ${p.limit}`;
  }
  return Prisma.sql`
    SELECT l."id", l."identifier", l."licenceNumber", l."name" AS "typeName", l."holderName", h."codeMasked" AS "holderCodeMasked",
           l."issuerName", dep."name" AS "managingDeptName", l."issuerDeptId" <> l."originalIssuerDeptId" AS "transferred",
           l."issuedAt", l."validTo", l."status"::text AS "status", l."restricted", l."openObjections"
      FROM (${ids}) p
      JOIN "Licence" l ON l."id" = p."id"
      JOIN "Holder" h ON h."id" = l."holderId"
      JOIN "Department" dep ON dep."id" = l."issuerDeptId"
     ORDER BY p.k ${d}, p."id" ${d}`;
}

async function pageRows(q: Query, p: PageSpec): Promise<RawRow[]> {
  const rows = await db().$queryRaw<RawRow[]>(pageSql(q, p));
  return p.backwards ? rows.reverse() : rows;
}

/** Matching rows counted up to COUNT_LIMIT + 1: the scan stops as soon as it has that many. */
const countSql = (q: Query, limit: number) => Prisma.sql`SELECT count(*)::int AS n FROM (SELECT 1 FROM "Licence" l WHERE ${deptCondition(q.depts)} AND ${and(q.conds)} LIMIT ${limit + 1}) c`;

async function boundedCount(q: Query, limit = COUNT_LIMIT): Promise<number> {
  const r = await db().$queryRaw<{ n: number }[]>(countSql(q, limit));
  return r[0]?.n ?? 0;
}

function sortValue(r: Pick<RawRow, "issuedAt" | "validTo" | "licenceNumber">, sort: LicenceSort): string {
  if (sort === "issuedAt") return r.issuedAt.toISOString();
  if (sort === "validTo") return r.validTo ? r.validTo.toISOString().slice(0, 10) : "infinity";
  return r.licenceNumber;
}

const toRow = (r: RawRow): LicenceRow => ({ ...r, issuedAt: r.issuedAt.toISOString(), validTo: r.validTo ? r.validTo.toISOString().slice(0, 10) : null });

/**
 * The licence table: one page after `f.after` (or before `f.before`), and the bounded count.
 * `countLimit` is for tests: a low one makes small data take the ordered-index plan.
 */
export async function listLicences(actor: Actor, f: LicenceFilter, { countLimit = COUNT_LIMIT }: { countLimit?: number } = {}): Promise<LicencePage> {
  const q = await queryOf(actor, f);
  const after = decodeCursor(f.after, f.sort, f.dir);
  const before = after ? null : decodeCursor(f.before, f.sort, f.dir);
  const n = f.pageSize;
  const count = await boundedCount(q, countLimit);
  const few = count <= countLimit;
  let rows = count === 0 ? [] : await pageRows(q, { sort: f.sort, dir: f.dir, cursor: after ?? before, backwards: !!before, limit: n + 1, few });
  let hasNext: boolean, hasPrev: boolean;
  if (before) {
    // backwards: the extra row (now first) says whether there is a page before this one
    hasPrev = rows.length > n;
    if (hasPrev) rows = rows.slice(1);
    if (rows.length < n) {
      // less than a page before the cursor: that is the top of the list
      rows = count === 0 ? [] : await pageRows(q, { sort: f.sort, dir: f.dir, cursor: null, backwards: false, limit: n + 1, few });
      hasPrev = false;
      hasNext = rows.length > n;
      rows = rows.slice(0, n);
    } else hasNext = true;
  } else {
    hasNext = rows.length > n;
    rows = rows.slice(0, n);
    hasPrev = !!after && rows.length > 0;
  }
  const first = rows[0], last = rows[rows.length - 1];
  return {
    rows: rows.map(toRow),
    total: Math.min(count, countLimit),
    totalCapped: count > countLimit,
    pageSize: n,
    sort: f.sort,
    dir: f.dir,
    next: hasNext && last ? encodeCursor({ sort: f.sort, dir: f.dir, value: sortValue(last, f.sort), id: last.id }) : null,
    prev: hasPrev && first ? encodeCursor({ sort: f.sort, dir: f.dir, value: sortValue(first, f.sort), id: first.id }) : null,
  };
}

/** The rows of the filter for the XLSX export, in the table's order, capped at EXPORT_MAX_ROWS. */
export async function licencesForExport(actor: Actor, f: LicenceFilter): Promise<{ rows: LicenceRow[]; truncated: boolean }> {
  const q = await queryOf(actor, f);
  const few = (await boundedCount(q)) <= COUNT_LIMIT;
  const rows = await pageRows(q, { sort: f.sort, dir: f.dir, cursor: null, backwards: false, limit: EXPORT_MAX_ROWS + 1, few, branches: false });
  return { rows: rows.slice(0, EXPORT_MAX_ROWS).map(toRow), truncated: rows.length > EXPORT_MAX_ROWS };
}

/**
 * For the benchmark and tests: the cursor that continues after the row at `offset` of the filter's
 * order, found with OFFSET (slow by design: it is what keyset paging avoids). Null past the end.
 */
export async function cursorAt(actor: Actor, f: LicenceFilter, offset: number): Promise<string | null> {
  const q = await queryOf(actor, f);
  const key = SORT_SQL[f.sort];
  const d = Prisma.raw(f.dir === "desc" ? "DESC" : "ASC");
  const r = await db().$queryRaw<(Pick<RawRow, "issuedAt" | "validTo" | "licenceNumber"> & { id: string })[]>`
    SELECT l."id", l."issuedAt", l."validTo", l."licenceNumber" FROM "Licence" l WHERE ${deptCondition(q.depts)} AND ${and(q.conds)}
     ORDER BY ${key} ${d}, l."id" ${d} OFFSET ${offset} LIMIT 1`;
  return r[0] ? encodeCursor({ sort: f.sort, dir: f.dir, value: sortValue(r[0], f.sort), id: r[0].id }) : null;
}

/** For the benchmark: EXPLAIN ANALYZE of the statements listLicences runs for `f`. */
export async function explainLicenceList(actor: Actor, f: LicenceFilter): Promise<{ count: string; page: string }> {
  const q = await queryOf(actor, f);
  const plan = async (s: Prisma.Sql) => (await db().$queryRaw<{ "QUERY PLAN": string }[]>(Prisma.sql`EXPLAIN (ANALYZE, BUFFERS) ${s}`)).map((r) => r["QUERY PLAN"]).join("\n");
  const count = await boundedCount(q);
  const cursor = decodeCursor(f.after, f.sort, f.dir);
  return { count: await plan(countSql(q, COUNT_LIMIT)), page: await plan(pageSql(q, { sort: f.sort, dir: f.dir, cursor, backwards: false, limit: f.pageSize + 1, few: count <= COUNT_LIMIT })) };
}

/** Licence types for the filter: every type with a released version (retired ones keep their licences). */
export async function licenceTypeOptions(): Promise<{ id: string; name: string; typeCode: string }[]> {
  return db().licenceType.findMany({ where: { releasedVersion: { not: null } }, select: { id: true, name: true, typeCode: true }, orderBy: [{ name: "asc" }, { typeCode: "asc" }] });
}
