// The rows behind the dashboard's data-quality figures (V-01): licence findings of the last
// rebuild (LicenceFinding), types without an issuance list, stale lists, and seal-use signatures
// made without a fully approved request. Each list counts exactly what its dashboard figure counts
// (the same scope and the same query functions), so the number on the card is the table's total.
import "server-only";
import { NO_LIST_LABEL, UNAPPROVED_SIGNATURE_LABEL } from "@/lib/supervision/labels";
import "@/lib/validation/zod-zh";
import { z } from "zod";
import { db, Prisma } from "@/lib/db";
import { AppError } from "@/lib/errors";
import type { Actor } from "@/lib/auth/session";
import { t } from "@/lib/i18n/zh-CN";
import { pageQuery, type Paged } from "@/lib/pagination";
import { requestNumber } from "@/lib/seal-use/labels";
import { LICENCE_STATUS_LABELS, type LicenceStatusName } from "@/lib/licenses/list-schema";
import { dashboardScope, FINDING_KINDS, FINDING_LABELS, qualityFigures, type FindingKind, type Scope } from "@/lib/supervision/dashboard/figures";

export const QUALITY_KINDS = [...FINDING_KINDS, "NO_LIST", "STALE_LIST", "UNAPPROVED_SIGNATURE"] as const;
export type QualityKind = (typeof QUALITY_KINDS)[number];
export const QUALITY_LABELS: Record<QualityKind, string> = {
  ...FINDING_LABELS,
  NO_LIST: NO_LIST_LABEL,
  STALE_LIST: "长期未更新的清单",
  UNAPPROVED_SIGNATURE: UNAPPROVED_SIGNATURE_LABEL,
};

/** The page's query, read forgivingly from the URL (a bad value falls back, never an error). */
export const qualityQuery = pageQuery.extend({
  kind: z.enum(QUALITY_KINDS).catch("FACE_INVALID"),
  /** a department in scope; its subtree is included */
  dept: z.string().uuid().optional().catch(undefined),
  /** the dashboard's region, passed through */
  region: z.string().uuid().optional().catch(undefined),
});
export type QualityQuery = z.infer<typeof qualityQuery>;

/**
 * The dashboard's scope for the region, narrowed to the chosen department's subtree. A department
 * outside the scope is "not found", as the dashboard's region is.
 */
export async function qualityScope(actor: Actor, q: Pick<QualityQuery, "region" | "dept">): Promise<Scope> {
  const s = await dashboardScope(actor, q.region);
  if (!q.dept) return s;
  const chosen = s.depts.find((d) => d.id === q.dept);
  if (!chosen) throw new AppError("NOT_FOUND", t.errors.notFound);
  const depts = s.depts.filter((d) => d.path.startsWith(chosen.path));
  return { all: false, ids: depts.map((d) => d.id), depts, region: s.region };
}

const inScope = (s: Scope, col: Prisma.Sql) => (s.all ? Prisma.empty : Prisma.sql`AND ${col} = ANY(${s.ids}::uuid[])`);

// ---- counts per kind (the tabs) ------------------------------------------------------------------

export async function unapprovedSignatureCount(s: Scope): Promise<number> {
  const [r] = await db().$queryRaw<{ n: number }[]>`
    SELECT count(*)::int AS n FROM "SealUseSignature" g JOIN "SealUseRequest" r ON r."id" = g."requestId"
    WHERE g."status" = 'DONE' AND (r."approvedAt" IS NULL OR r."approvedAt" > g."createdAt") ${inScope(s, Prisma.sql`r."holderDeptId"`)}`;
  return r?.n ?? 0;
}

export async function qualityCounts(s: Scope, now = new Date()): Promise<Record<QualityKind, number>> {
  const [q, sig] = await Promise.all([qualityFigures(s, now), unapprovedSignatureCount(s)]);
  return { ...q.findings, NO_LIST: q.typesWithoutList.length, STALE_LIST: q.staleLists.length, UNAPPROVED_SIGNATURE: sig };
}

// ---- the rows ------------------------------------------------------------------------------------

export type FindingRow = {
  licenceId: string;
  licenceNumber: string;
  typeName: string;
  holderName: string;
  holderCodeMasked: string;
  deptName: string;
  detail: string;
  status: LicenceStatusName;
  statusLabel: string;
  /** ISO instant of the rebuild that found it */
  foundAt: string;
};
export type TypeRow = { id: string; typeCode: string; name: string };
export type StaleListRow = { key: string; deptId: string; deptName: string; list: "ISSUANCE" | "USE"; listLabel: string; entries: number; lastChangedAt: string | null; href: string };
export type SignatureRow = { id: string; requestId: string; requestNumber: string; sealName: string; deptName: string; signerName: string; createdAt: string; approvedAt: string | null };

export type QualityRows =
  | { kind: FindingKind; data: Paged<FindingRow> }
  | { kind: "NO_LIST"; data: Paged<TypeRow> }
  | { kind: "STALE_LIST"; data: Paged<StaleListRow>; staleDays: number }
  | { kind: "UNAPPROVED_SIGNATURE"; data: Paged<SignatureRow> };

const pageOf = <T>(all: T[], q: Pick<QualityQuery, "page" | "pageSize">): Paged<T> => ({
  rows: all.slice((q.page - 1) * q.pageSize, q.page * q.pageSize),
  total: all.length,
  page: q.page,
  pageSize: q.pageSize,
});

export async function findingRows(s: Scope, kind: FindingKind, q: Pick<QualityQuery, "page" | "pageSize">): Promise<Paged<FindingRow>> {
  const scope = inScope(s, Prisma.sql`f."deptId"`);
  const [[count], rows] = await Promise.all([
    db().$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM "LicenceFinding" f WHERE f."kind" = ${kind} ${scope}`,
    db().$queryRaw<(Omit<FindingRow, "foundAt" | "statusLabel"> & { foundAt: Date })[]>`
      SELECT f."licenceId", l."licenceNumber", l."name" AS "typeName", l."holderName", h."codeMasked" AS "holderCodeMasked",
             d."name" AS "deptName", f."detail", l."status"::text AS "status", f."foundAt"
      FROM "LicenceFinding" f
      JOIN "Licence" l ON l."id" = f."licenceId"
      JOIN "Holder" h ON h."id" = l."holderId"
      JOIN "Department" d ON d."id" = f."deptId"
      WHERE f."kind" = ${kind} ${scope}
      ORDER BY d."path", l."licenceNumber", f."licenceId"
      OFFSET ${(q.page - 1) * q.pageSize} LIMIT ${q.pageSize}`,
  ]);
  return {
    total: count?.n ?? 0,
    page: q.page,
    pageSize: q.pageSize,
    rows: rows.map((r) => ({ ...r, statusLabel: LICENCE_STATUS_LABELS[r.status] ?? r.status, foundAt: r.foundAt.toISOString() })),
  };
}

export async function signatureRows(s: Scope, q: Pick<QualityQuery, "page" | "pageSize">): Promise<Paged<SignatureRow>> {
  const rows = await db().$queryRaw<{ id: string; requestId: string; seq: bigint; requestCreatedAt: Date; sealName: string; deptName: string; signerName: string; createdAt: Date; approvedAt: Date | null; n: number }[]>`
    SELECT g."id", g."requestId", r."seq", r."createdAt" AS "requestCreatedAt", s."name" AS "sealName", d."name" AS "deptName",
           g."signerName", g."createdAt", r."approvedAt", (count(*) OVER ())::int AS n
    FROM "SealUseSignature" g
    JOIN "SealUseRequest" r ON r."id" = g."requestId"
    JOIN "Seal" s ON s."id" = r."sealId"
    JOIN "Department" d ON d."id" = r."holderDeptId"
    WHERE g."status" = 'DONE' AND (r."approvedAt" IS NULL OR r."approvedAt" > g."createdAt") ${inScope(s, Prisma.sql`r."holderDeptId"`)}
    ORDER BY g."createdAt" DESC, g."id"
    OFFSET ${(q.page - 1) * q.pageSize} LIMIT ${q.pageSize}`;
  const total = rows[0]?.n ?? (q.page > 1 ? await unapprovedSignatureCount(s) : 0);
  return {
    total,
    page: q.page,
    pageSize: q.pageSize,
    rows: rows.map((r) => ({
      id: r.id,
      requestId: r.requestId,
      requestNumber: requestNumber(r.seq, r.requestCreatedAt),
      sealName: r.sealName,
      deptName: r.deptName,
      signerName: r.signerName,
      createdAt: r.createdAt.toISOString(),
      approvedAt: r.approvedAt?.toISOString() ?? null,
    })),
  };
}

const LIST_LABELS = { ISSUANCE: "发证清单", USE: "用证清单" } as const;

/** The rows of one kind for the page (the actor's scope, the region and the department). */
export async function qualityRows(s: Scope, q: Pick<QualityQuery, "kind" | "page" | "pageSize">, now = new Date()): Promise<QualityRows> {
  switch (q.kind) {
    case "NO_LIST":
      return { kind: q.kind, data: pageOf((await qualityFigures(s, now)).typesWithoutList, q) };
    case "STALE_LIST": {
      const f = await qualityFigures(s, now);
      const rows = f.staleLists.map((l) => ({
        key: `${l.deptId}:${l.list}`,
        deptId: l.deptId,
        deptName: l.deptName,
        list: l.list,
        listLabel: LIST_LABELS[l.list],
        entries: l.entries,
        lastChangedAt: l.lastChangedAt?.toISOString() ?? null,
        href: `/lists/${l.list === "ISSUANCE" ? "issuance" : "use"}?dept=${l.deptId}`,
      }));
      return { kind: q.kind, data: pageOf(rows, q), staleDays: f.staleDays };
    }
    case "UNAPPROVED_SIGNATURE":
      return { kind: q.kind, data: await signatureRows(s, q) };
    default:
      return { kind: q.kind, data: await findingRows(s, q.kind, q) };
  }
}
