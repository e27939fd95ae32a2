import "server-only";
import { sealViewPermission } from "@/lib/seals/access";
import { z } from "zod";
import { db, type Prisma } from "@/lib/db";
import { departmentWhere, requirePermission, type Permission } from "@/lib/auth/permissions";
import type { Actor } from "@/lib/auth/session";
import { pageQuery, sortKey, type Paged } from "@/lib/pagination";
import { SEAL_KINDS } from "@/lib/seals/kinds";
import { startOfShanghaiDay, nextDate } from "@/lib/calendar/working-days";

/** Filing overdue beyond its 24 hours (S-06): made, not filed, past the due time — as the dashboard counts it. */
function filingOverdue(now: Date): Prisma.SealWhereInput {
  return { status: { in: ["PRODUCED", "ACTIVE"] }, filedAt: null, fileDueAt: { lt: now } };
}

const ymd = z.string().regex(/^\d{4}-\d{2}-\d{2}$/).refine((v) => !Number.isNaN(Date.parse(`${v}T00:00:00Z`)) && new Date(`${v}T00:00:00Z`).toISOString().startsWith(v));

export const sealFilter = pageQuery.extend({
  q: z.string().trim().max(50).optional().catch(undefined),
  kind: z.enum(SEAL_KINDS).optional().catch(undefined),
  status: z.enum(["APPLIED", "UNDER_REVIEW", "REJECTED", "PRODUCED", "ACTIVE", "CANCELLED"]).optional().catch(undefined),
  dept: z.string().uuid().optional().catch(undefined),
  /** active and ending within 30 days ("30", as the dashboard links it, or "1", the checkbox) */
  expiring: z.enum(["1", "30"]).optional().catch(undefined),
  /** filing overdue (S-06): "1" (the checkbox) or filing=overdue (the dashboard's link) */
  overdue: z.enum(["1"]).optional().catch(undefined),
  filing: z.enum(["overdue"]).optional().catch(undefined),
  /** "1": in force — not past its end date (the dashboard's active seals: status=ACTIVE&valid=1) */
  valid: z.enum(["1"]).optional().catch(undefined),
  /** cancelled on these Asia/Shanghai days (inclusive) */
  cancelledFrom: ymd.optional().catch(undefined),
  cancelledTo: ymd.optional().catch(undefined),
});
export type SealFilter = z.infer<typeof sealFilter>;

export type SealRow = {
  id: string;
  esId: string;
  name: string;
  kind: string;
  businessType: string | null;
  positionType: string | null;
  holderDeptName: string;
  useMode: string;
  status: string;
  validEnd: string;
  fileDueAt: string;
  filingOverdue: boolean;
  expiringSoon: boolean;
  createdAt: string;
};

const SORTS = ["createdAt", "name", "validEnd", "status"] as const;

/** The permission under which the actor sees seals: makers and supervisors see their region's. */
function viewPermission(actor: Actor): Permission {
  return sealViewPermission(actor) ?? "seal.apply";
}

export async function listSeals(actor: Actor, f: SealFilter, now = new Date()): Promise<Paged<SealRow>> {
  const perm = viewPermission(actor);
  requirePermission(actor, perm);
  let deptFilter = {};
  if (f.dept) {
    const d = await db().department.findUnique({ where: { id: f.dept }, select: { path: true } });
    deptFilter = { path: { startsWith: d?.path ?? "/none/" } };
  }
  const soon = new Date(now.getTime() + 30 * 86_400_000);
  // the figure filters are exactly the conditions of sealFigures (lib/supervision/dashboard/figures.ts)
  const and: Prisma.SealWhereInput[] = [];
  if (f.q) and.push({ OR: [{ name: { contains: f.q } }, { esId: { contains: f.q } }] });
  if (f.kind) and.push({ kind: f.kind });
  if (f.status) and.push({ status: f.status });
  if (f.valid) and.push({ OR: [{ validEnd: null }, { validEnd: { gt: now } }] });
  if (f.expiring) and.push({ status: "ACTIVE", validEnd: { gt: now, lte: soon } });
  if (f.overdue || f.filing) and.push(filingOverdue(now));
  if (f.cancelledFrom || f.cancelledTo)
    and.push({
      status: "CANCELLED",
      cancelledAt: { ...(f.cancelledFrom ? { gte: startOfShanghaiDay(f.cancelledFrom) } : { not: null }), ...(f.cancelledTo ? { lt: startOfShanghaiDay(nextDate(f.cancelledTo)) } : {}) },
    });
  const where: Prisma.SealWhereInput = { holderDept: { AND: [departmentWhere(actor, perm), deptFilter] }, AND: and };
  const key = sortKey(f.sort, SORTS, "createdAt");
  const [total, rows] = await Promise.all([
    db().seal.count({ where }),
    db().seal.findMany({
      where,
      orderBy: [{ [key]: f.sort ? f.dir : "desc" }, { id: "asc" }],
      skip: (f.page - 1) * f.pageSize,
      take: f.pageSize,
      select: { id: true, esId: true, name: true, kind: true, businessType: true, positionType: true, useMode: true, status: true, validEnd: true, fileDueAt: true, filedAt: true, createdAt: true, holderDept: { select: { name: true } } },
    }),
  ]);
  return {
    total,
    page: f.page,
    pageSize: f.pageSize,
    rows: rows.map((s) => ({
      id: s.id,
      esId: s.esId ?? "",
      name: s.name,
      kind: s.kind,
      businessType: s.businessType,
      positionType: s.positionType,
      holderDeptName: s.holderDept.name,
      useMode: s.useMode,
      status: s.status,
      validEnd: s.validEnd?.toISOString() ?? "",
      fileDueAt: s.fileDueAt?.toISOString() ?? "",
      filingOverdue: (s.status === "PRODUCED" || s.status === "ACTIVE") && !s.filedAt && !!s.fileDueAt && s.fileDueAt < now,
      expiringSoon: s.status === "ACTIVE" && !!s.validEnd && s.validEnd > now && s.validEnd <= soon,
      createdAt: s.createdAt.toISOString(),
    })),
  };
}

/** Everything the detail page shows; no key material, no protection hash. */
export async function sealDetail(actor: Actor, id: string) {
  const perm = viewPermission(actor);
  requirePermission(actor, perm); // without any seal permission, not even "not found"
  const s = await db().seal.findUnique({
    where: { id },
    include: {
      holderDept: { select: { id: true, name: true, path: true, uscc: true } },
      events: { orderBy: { at: "asc" } },
      materials: { select: { id: true, purpose: true, filename: true, mime: true, size: true, sm3: true, createdAt: true }, orderBy: { createdAt: "asc" } },
      filings: { orderBy: { createdAt: "desc" } },
      custodians: true,
      predecessor: { select: { id: true, esId: true, name: true } },
      successors: { select: { id: true, esId: true, name: true } },
    },
  });
  if (!s) return null;
  requirePermission(actor, perm, s.holderDept);
  const cert = s.certificateId ? await db().certificate.findUnique({ where: { id: s.certificateId }, select: { serial: true, subject: true, notBefore: true, notAfter: true, sm3: true } }) : null;
  const { sealDer, picturePng, protectionHash, keyId: _k, ...rest } = s;
  return {
    ...rest,
    hasProtection: !!protectionHash,
    hasSealStructure: !!sealDer,
    hasPng: !!picturePng,
    certificate: cert,
  };
}

/** The seal-making unit's queue: applications awaiting or under review in its region. */
export async function reviewQueue(actor: Actor) {
  requirePermission(actor, "seal.make");
  return db().seal.findMany({
    where: { status: { in: ["APPLIED", "UNDER_REVIEW"] }, holderDept: departmentWhere(actor, "seal.make") },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    select: { id: true, name: true, kind: true, businessType: true, status: true, createdAt: true, reviewerId: true, holderDept: { select: { name: true } }, _count: { select: { materials: true } } },
  });
}
