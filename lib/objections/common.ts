// What the objection service, its queries and its job share: the region rule and the management
// departments (O-05, O-06), who is told what, the time left before each stored deadline, and
// the objection's scope for a reader.
import "server-only";
import { Prisma, type Db, type Tx } from "@/lib/db";
import type { AuditActor } from "@/lib/audit/log";
import type { Actor } from "@/lib/auth/session";
import { auditActorOf } from "@/lib/auth/session";
import { departmentScope, hasPermission, ROLE_PERMISSIONS, ROLES, type Permission, type RoleName } from "@/lib/auth/permissions";
import { AppError } from "@/lib/errors";
import { cut } from "@/lib/text";
import { maskPersonName } from "@/lib/licenses/holder-code";
import { FINAL_STATUSES, LICENCE_STATUS_LABELS, type LicenceStatusName } from "@/lib/licenses/lifecycle-schema";
import { regionOf } from "@/lib/objections/settings";

export const SYSTEM: AuditActor = { id: null, name: "system", role: "-", dept: "-", ip: null, userAgent: null };

export const objectionLink = (id: string) => `/objections/${id}`;

// ---------------------------------------------------------------------------------------------
// One lock order (O-02, O-03). Every transaction that changes an objection and the licence it is
// about takes the locks in the same order: the Licence row, then the Objection row(s) (in id order
// when several), then the audit chain (appendAudit's advisory lock). Marking, resolving and
// withdrawing lock the licence before their conditional update of the objection; a 变更 / 延续 /
// 更正 (lib/licenses/lifecycle.ts) annuls the licence, then locks its open objections, and only then
// writes its audit event. FOR NO KEY UPDATE is what an UPDATE of these rows takes anyway: it
// serialises the writers without blocking the foreign-key checks of rows that merely refer to them
// (a new objection, an event).

/** The licence row locked for an objection transition; its status as it is now. */
export async function lockLicence(tx: Tx, licenceId: string): Promise<LicenceStatusName> {
  const rows = await tx.$queryRaw<{ status: LicenceStatusName }[]>`SELECT "status"::text AS "status" FROM "Licence" WHERE "id" = ${licenceId}::uuid FOR NO KEY UPDATE`;
  if (!rows.length) throw new AppError("NOT_FOUND", "证照不存在");
  return rows[0].status;
}

/** Revoked, cancelled or annulled: no longer in force, so never marked 异议中 (O-02). */
export function licenceEnded(status: string): boolean {
  return (FINAL_STATUSES as readonly string[]).includes(status);
}

export function licenceStatusLabel(status: string): string {
  return LICENCE_STATUS_LABELS[status as LicenceStatusName] ?? status;
}

export const LOCK_CONFLICT = "该异议刚被他人处理，请刷新后重试";

/** PostgreSQL gave up on the transaction (deadlock 40P01, serialization failure 40001; Prisma P2034). */
export function isLockConflict(e: unknown): boolean {
  if (!(e instanceof Prisma.PrismaClientKnownRequestError)) return false;
  if (e.code === "P2034") return true;
  const cause = (e.meta as { driverAdapterError?: { cause?: { originalCode?: string } } } | undefined)?.driverAdapterError?.cause;
  return cause?.originalCode === "40P01" || cause?.originalCode === "40001";
}

/** Runs `p`, answering a lost lock (should one still happen) as a conflict the reader can act on. */
export async function conflictOnLock<T>(p: Promise<T>): Promise<T> {
  try {
    return await p;
  } catch (e) {
    if (isLockConflict(e)) throw new AppError("CONFLICT", LOCK_CONFLICT);
    throw e;
  }
}

/** The province of an area code: 510104 → 510000. */
export const provinceOf = (areaCode: string) => `${areaCode.slice(0, 2)}0000`;

/** O-06: a using department's objection about a licence issued in another region goes through the province. */
export function crossRegion(applicantArea: string, issuerArea: string): boolean {
  return regionOf(applicantArea) !== regionOf(issuerArea);
}

type DeptRef = { id: string; name: string; path: string; areaCode: string };
const DEPT = { id: true, name: true, path: true, areaCode: true, level: true, createdAt: true } as const;

const rootOf = (path: string) => path.split("/").filter(Boolean)[0] ?? "";
const LEVEL_ORDER = { PROVINCE: 0, CITY: 1, COUNTY: 2 } as const;

/** The candidate in the same department tree as `near` first, then the higher level, then the oldest. */
function pick<T extends { path: string; level: keyof typeof LEVEL_ORDER; createdAt: Date; id: string }>(rows: T[], near: { path: string }): T | null {
  const root = rootOf(near.path);
  const sorted = [...rows].sort(
    (a, b) =>
      Number(rootOf(b.path) === root) - Number(rootOf(a.path) === root) ||
      LEVEL_ORDER[a.level] - LEVEL_ORDER[b.level] ||
      a.createdAt.getTime() - b.createdAt.getTime() ||
      (a.id < b.id ? -1 : 1),
  );
  return sorted[0] ?? null;
}

/** The provincial management department (e.g. 四川省大数据中心) of a department's province. */
export async function provincialManagement(tx: Db | Tx, near: { path: string; areaCode: string }): Promise<DeptRef | null> {
  const rows = await tx.department.findMany({ where: { status: "ACTIVE", isManagement: true, areaCode: provinceOf(near.areaCode) }, select: DEPT });
  return pick(rows, near);
}

/**
 * The management department of a department's region (O-05 escalation): an active management
 * department of the same city (the region of a county is its city), else the province's.
 */
export async function managementOf(tx: Db | Tx, dept: { path: string; areaCode: string }): Promise<DeptRef | null> {
  const region = regionOf(dept.areaCode);
  if (region !== provinceOf(dept.areaCode)) {
    const rows = await tx.department.findMany({
      where: { status: "ACTIVE", isManagement: true, areaCode: { startsWith: region.slice(0, 4) }, NOT: { areaCode: provinceOf(dept.areaCode) } },
      select: DEPT,
    });
    // one department tree per province in practice; tests build several side by side
    const root = rootOf(dept.path);
    const inRegion = rows.filter((d) => regionOf(d.areaCode) === region && rootOf(d.path) === root);
    const found = pick(inRegion, dept);
    if (found) return found;
  }
  return provincialManagement(tx, dept);
}

/**
 * The name of an objection's region (its regionCode: a city 510100 or a province 510000) for
 * pages: the place named at the start of the name of that area's management department, else of
 * its top city- or province-level department (成都市人民政府 → 成都市, 四川省大数据中心 → 四川省),
 * else that department's name in full; null when no department has the code. The issuing department's
 * own tree first (tests keep several side by side).
 */
export async function regionName(tx: Db | Tx, regionCode: string, near: { path: string }): Promise<string | null> {
  const rows = await tx.department.findMany({
    where: { areaCode: regionCode, level: { in: regionCode.endsWith("0000") ? ["PROVINCE"] : ["CITY"] } },
    select: { name: true, path: true, status: true, isManagement: true, createdAt: true, id: true },
    take: 200,
  });
  const root = rootOf(near.path);
  const depth = (p: string) => p.split("/").filter(Boolean).length;
  const sorted = [...rows].sort(
    (a, b) =>
      Number(rootOf(b.path) === root) - Number(rootOf(a.path) === root) ||
      Number(b.status === "ACTIVE") - Number(a.status === "ACTIVE") ||
      Number(b.isManagement) - Number(a.isManagement) ||
      depth(a.path) - depth(b.path) ||
      a.createdAt.getTime() - b.createdAt.getTime() ||
      (a.id < b.id ? -1 : 1),
  );
  const top = sorted[0];
  return top ? (placeOf(top.name) ?? top.name) : null;
}

/** The place a department's name starts with: 四川省, 成都市, 阿坝藏族羌族自治州; null when it names none. */
export function placeOf(name: string): string | null {
  const m = /^([\u4e00-\u9fa5]{1,7}?(?:省|自治区|特别行政区|市|自治州|地区|盟))/u.exec(name.trim());
  return m ? m[1] : null;
}

/**
 * An applicant's name as every objection page and record shows it (the queue, the detail, the
 * timeline, the audit trail, the holder's lookup): for a holder's objection a natural person's
 * name masked (张**), a legal person's or organisation's name in full.
 */
export function holderApplicantName(name: string, holderCategory: string): string {
  return holderCategory === "NATURAL_PERSON" ? maskPersonName(name) : name;
}

export function rolesWith(perm: Permission): RoleName[] {
  return ROLES.filter((r) => ROLE_PERMISSIONS[r].includes(perm));
}

/** Active users of a department holding a role with `perm` (the people told about an objection). */
export async function usersWith(tx: Db | Tx, deptId: string, perm: Permission): Promise<{ id: string }[]> {
  return tx.user.findMany({ where: { departmentId: deptId, status: "ACTIVE", roles: { some: { role: { in: rolesWith(perm) } } } }, select: { id: true }, orderBy: { id: "asc" } });
}

/** The event row's actor columns. */
export function eventActor(actor: Actor | null, at: Date, fallbackName = "system") {
  return actor
    ? { actorId: actor.userId, actorName: cut(auditActorOf(actor).name, 100), deptId: actor.departmentId, at }
    : { actorId: null, actorName: cut(fallbackName, 100), deptId: null, at };
}

export type DeadlineState = {
  /** ms left before the marking deadline (negative: overdue); null once marked, resolved or withdrawn */
  markLeftMs: number | null;
  /** ms left before the resolution deadline (negative: overdue); null once resolved or withdrawn */
  resolveLeftMs: number | null;
  overdue: { mark: boolean; resolve: boolean };
};

/** Always computed from the stored deadlines (O-05), never from timers. */
export function deadlineState(o: { status: string; markDueAt: Date; resolveDueAt: Date }, now: Date): DeadlineState {
  const markOpen = o.status === "SUBMITTED";
  const resolveOpen = o.status === "SUBMITTED" || o.status === "MARKED";
  const markLeftMs = markOpen ? o.markDueAt.getTime() - now.getTime() : null;
  const resolveLeftMs = resolveOpen ? o.resolveDueAt.getTime() - now.getTime() : null;
  return { markLeftMs, resolveLeftMs, overdue: { mark: markLeftMs !== null && markLeftMs < 0, resolve: resolveLeftMs !== null && resolveLeftMs < 0 } };
}

/**
 * Which objections `actor` may read: those its department scope covers as the issuing side
 * (licence.issue), as the applicant side (licence.use), as the router of cross-region ones
 * (objection.route), or as supervisor (supervision.read). Null: none at all.
 */
export function objectionScope(actor: Actor): Prisma.ObjectionWhereInput | null {
  const parts: Prisma.ObjectionWhereInput[] = [];
  let all = false;
  const add = (perm: Permission, side: "issuer" | "applicant" | "either", extra: Prisma.ObjectionWhereInput = {}) => {
    if (!hasPermission(actor, perm)) return;
    const s = departmentScope(actor, perm);
    if (!s) {
      if (Object.keys(extra).length === 0) all = true;
      else parts.push(extra);
      return;
    }
    const sides: ("issuer" | "applicant")[] = side === "either" ? ["issuer", "applicant"] : [side];
    for (const sd of sides) {
      const idField = sd === "issuer" ? "issuerDeptId" : "applicantDeptId";
      const rel = sd === "issuer" ? "issuerDept" : "applicantDept";
      if (s.ids.length) parts.push({ ...extra, [idField]: { in: s.ids } });
      for (const p of s.paths) parts.push({ ...extra, [rel]: { is: { path: { startsWith: p } } } });
    }
  };
  add("licence.issue", "issuer");
  add("licence.use", "applicant", { source: "DEPT" });
  add("objection.route", "either", { routeStage: { not: null } });
  add("supervision.read", "issuer");
  if (all) return {};
  if (!parts.length) return hasAny(actor) ? { id: { in: [] } } : null;
  return { OR: parts };
}

function hasAny(actor: Actor): boolean {
  return (["licence.issue", "licence.use", "objection.route", "supervision.read"] as const).some((p) => hasPermission(actor, p));
}
