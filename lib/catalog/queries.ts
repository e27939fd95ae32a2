// Reads for the catalog pages (L-01, L-04): the type list in scope, a type's detail with what the
// viewer may do, the review queue of the management department, the editor's choices, and the live
// face preview, which renders a sample licence with the real renderer from unsaved form values.
//
// Who sees a type: catalog.manage or supervision.read over its owner department, or over one of the
// departments its latest (or released) version lists as issuing — an issuing department sees the
// types it issues even when another department defined them. Editing stays with the owner's scope.
import "server-only";
import { z } from "zod";
import { db, Prisma, type Tx } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { can, departmentScope, departmentWhere, hasPermission, type Permission } from "@/lib/auth/permissions";
import type { Actor } from "@/lib/auth/session";
import { sortKey, type Paged } from "@/lib/pagination";
import { contentDiff, contentOf, isCatalogReviewer, type FieldDiff } from "@/lib/catalog/service";
import { FACE_LAYOUTS, type FaceLayout as FaceLayoutCode } from "@/lib/catalog/dictionaries";
import { validityLabel, type ValidityRule } from "@/lib/catalog/validity";
import { isValidTypeCode } from "@/lib/catalog/type-code";
import { previewNumberRule, SAMPLE_NUMBER_CONTEXT } from "@/lib/catalog/number-rule";
import { chineseDate, displayValue, faceFieldDef, maskValue, MAX_FACE_FIELDS, sampleFaceData, type FaceFieldDef } from "@/lib/catalog/face-fields";
import type { TypeFilter } from "@/lib/catalog/schema";
import { renderLicenceFace, type FaceInput, type FaceLayout, type FaceLine } from "@/lib/pdf/licence-face";
import { renderSealPng } from "@/lib/seals/picture";
import { sealKindLabel } from "@/lib/seals/kinds";
import type { CatalogVersionStatus } from "@/lib/generated/prisma/client";

/** isCatalogReviewer takes a transaction client; one read of the actor's department needs none. */
const reader = () => db() as unknown as Tx;

const VIEW_PERMS = ["catalog.manage", "supervision.read"] as const satisfies readonly Permission[];

/** Who may open the catalog pages at all. */
export function canViewCatalog(actor: Actor): boolean {
  return VIEW_PERMS.some((p) => hasPermission(actor, p));
}

type DeptScope = { ids: string[]; paths: string[] } | undefined;

/** The union of the actor's scopes under the view permissions (undefined: the whole province). */
function viewScope(actor: Actor): DeptScope {
  const held = VIEW_PERMS.filter((p) => hasPermission(actor, p));
  if (!held.length) throw new AppError("FORBIDDEN", "您没有查看证照目录的权限");
  const out = { ids: [] as string[], paths: [] as string[] };
  for (const p of held) {
    const s = departmentScope(actor, p);
    if (!s) return undefined;
    out.ids.push(...s.ids);
    out.paths.push(...s.paths);
  }
  return out;
}

/** `alias` (a Department row) lies in scope, as SQL. `alias` is a constant of this file, never input. */
function inScope(alias: string, s: DeptScope): Prisma.Sql {
  if (!s) return Prisma.sql`TRUE`;
  const a = Prisma.raw(alias);
  const parts: Prisma.Sql[] = [];
  if (s.ids.length) parts.push(Prisma.sql`${a}."id" IN (${Prisma.join([...new Set(s.ids)])})`);
  for (const p of new Set(s.paths)) parts.push(Prisma.sql`starts_with(${a}."path", ${p})`);
  return parts.length ? Prisma.sql`(${Prisma.join(parts, " OR ")})` : Prisma.sql`FALSE`;
}

function visibleSql(s: DeptScope): Prisma.Sql {
  if (!s) return Prisma.sql`TRUE`;
  return Prisma.sql`(${inScope("d", s)} OR EXISTS (
    SELECT 1 FROM "Department" x
    WHERE (x."id" = ANY(lv."issuingDeptIds") OR x."id" = ANY(COALESCE(rv."issuingDeptIds", '{}'::uuid[]))) AND ${inScope("x", s)}
  ))`;
}

export type TypeRow = {
  id: string;
  typeCode: string;
  name: string;
  category: string;
  ownerDeptId: string;
  ownerDeptName: string;
  releasedVersion: number | null;
  latestVersion: number;
  latestStatus: CatalogVersionStatus;
  retired: boolean;
  holderCategories: string[];
  validity: string;
  sharing: string;
  publicity: boolean;
  issuingCount: number;
  updatedAt: string;
};

const SORTS = {
  typeCode: Prisma.sql`t."typeCode"`,
  name: Prisma.sql`t."name"`,
  category: Prisma.sql`lv."category"`,
  ownerDept: Prisma.sql`d."name"`,
  latestVersion: Prisma.sql`t."latestVersion"`,
  status: Prisma.sql`lv."status"`,
  updatedAt: Prisma.sql`GREATEST(t."updatedAt", lv."updatedAt")`,
} as const;
export const TYPE_SORTS = Object.keys(SORTS) as (keyof typeof SORTS)[];

const likeEscape = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

function filterSql(actor: Actor, f: TypeFilter): Prisma.Sql {
  const conds: Prisma.Sql[] = [visibleSql(viewScope(actor))];
  if (f.q) {
    const like = `%${likeEscape(f.q)}%`;
    conds.push(Prisma.sql`(t."name" ILIKE ${like} OR lv."name" ILIKE ${like} OR t."typeCode" ILIKE ${like})`);
  }
  if (f.category) conds.push(Prisma.sql`lv."category" = ${f.category}`);
  if (f.state === "DRAFT" || f.state === "UNDER_REVIEW") conds.push(Prisma.sql`lv."status"::text = ${f.state} AND t."retiredAt" IS NULL`);
  if (f.state === "RELEASED") conds.push(Prisma.sql`t."releasedVersion" IS NOT NULL AND t."retiredAt" IS NULL`);
  if (f.state === "RETIRED") conds.push(Prisma.sql`t."retiredAt" IS NOT NULL`);
  if (f.dept) {
    // the owner or an issuing department lies in the chosen department's subtree
    conds.push(Prisma.sql`EXISTS (
      SELECT 1 FROM "Department" fd WHERE fd."id" = ${f.dept}::uuid AND (
        starts_with(d."path", fd."path")
        OR EXISTS (SELECT 1 FROM "Department" y WHERE y."id" = ANY(lv."issuingDeptIds") AND starts_with(y."path", fd."path"))
      )
    )`);
  }
  return Prisma.join(conds, " AND ");
}

const FROM = Prisma.sql`
  FROM "LicenceType" t
  JOIN "Department" d ON d."id" = t."ownerDeptId"
  JOIN "LicenceTypeVersion" lv ON lv."typeId" = t."id" AND lv."number" = t."latestVersion"
  LEFT JOIN "LicenceTypeVersion" rv ON rv."typeId" = t."id" AND rv."number" = t."releasedVersion"`;

type RawRow = Omit<TypeRow, "validity" | "updatedAt" | "retired"> & { validity: ValidityRule; updatedAt: Date; retiredAt: Date | null };

/** The type list: one query for the page, one for the count (no per-row queries). */
export async function listTypes(actor: Actor, f: TypeFilter): Promise<Paged<TypeRow>> {
  const where = filterSql(actor, f);
  const key = sortKey(f.sort, TYPE_SORTS, "updatedAt");
  const dir = Prisma.raw(f.sort ? (f.dir === "desc" ? "DESC" : "ASC") : "DESC");
  const [count, rows] = await Promise.all([
    db().$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n ${FROM} WHERE ${where}`,
    db().$queryRaw<RawRow[]>`
      SELECT t."id", t."typeCode", COALESCE(rv."name", lv."name") AS "name", lv."category", t."ownerDeptId", d."name" AS "ownerDeptName",
             t."releasedVersion", t."latestVersion", lv."status"::text AS "latestStatus", t."retiredAt",
             lv."holderCategories"::text[] AS "holderCategories", lv."validity", lv."sharing", lv."publicity",
             cardinality(lv."issuingDeptIds")::int AS "issuingCount", GREATEST(t."updatedAt", lv."updatedAt") AS "updatedAt"
      ${FROM}
      WHERE ${where}
      ORDER BY ${SORTS[key]} ${dir}, t."id" ASC
      LIMIT ${f.pageSize} OFFSET ${(f.page - 1) * f.pageSize}`,
  ]);
  return {
    total: count[0]?.n ?? 0,
    page: f.page,
    pageSize: f.pageSize,
    rows: rows.map(({ retiredAt, validity, updatedAt, ...r }) => ({
      ...r,
      retired: retiredAt !== null,
      validity: validityLabel(validity),
      updatedAt: updatedAt.toISOString(),
    })),
  };
}

// ---- one type ----------------------------------------------------------------------------------

export type Names = { depts: Record<string, string>; seals: Record<string, string>; users: Record<string, string> };

/** Department, seal and user names for the ids a set of contents and diffs mention (three queries). */
async function namesFor(deptIds: Iterable<string>, sealIds: Iterable<string>, userIds: Iterable<string>): Promise<Names & { deptRows: { id: string; path: string }[] }> {
  const ids = (s: Iterable<string>) => [...new Set(s)].filter((x) => z.string().uuid().safeParse(x).success);
  const [depts, seals, users] = await Promise.all([
    db().department.findMany({ where: { id: { in: ids(deptIds) } }, select: { id: true, name: true, path: true } }),
    db().seal.findMany({ where: { id: { in: ids(sealIds) } }, select: { id: true, name: true, esId: true } }),
    db().user.findMany({ where: { id: { in: ids(userIds) } }, select: { id: true, name: true } }),
  ]);
  return {
    depts: Object.fromEntries(depts.map((d) => [d.id, d.name])),
    seals: Object.fromEntries(seals.map((s) => [s.id, s.esId ? `${s.name}（${s.esId}）` : s.name])),
    users: Object.fromEntries(users.map((u) => [u.id, u.name])),
    deptRows: depts,
  };
}

/** Ids a diff mentions (issuing departments, seals), from either side. */
function diffIds(diff: FieldDiff, key: "issuingDeptIds" | "sealIds"): string[] {
  const d = diff[key];
  if (!d) return [];
  return [d.from, d.to].flatMap((v) => (Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : []));
}

export type VersionSummary = {
  number: number;
  status: CatalogVersionStatus;
  createdAt: string;
  createdBy: string | null;
  submittedAt: string | null;
  submittedBy: string | null;
  reviewedAt: string | null;
  reviewedBy: string | null;
  reviewComment: string | null;
  releasedAt: string | null;
  retiredAt: string | null;
};

export type ChangeRow = { id: string; at: string; actorName: string; action: string; versionNumber: number; comment: string | null; diff: FieldDiff };

const iso = (d: Date | null) => (d ? d.toISOString() : null);
const HISTORY_MAX = 500;

/** Everything the type page shows, and what the viewer may do there. */
export async function typeDetail(actor: Actor, id: string) {
  viewScope(actor);
  const t = await db().licenceType.findUnique({
    where: { id },
    include: {
      ownerDept: { select: { id: true, path: true, name: true } },
      versions: { orderBy: { number: "desc" } },
      changes: { orderBy: [{ at: "desc" }, { id: "desc" }], take: HISTORY_MAX },
    },
  });
  if (!t) throw new AppError("NOT_FOUND", "证照类型不存在或不在您的管辖范围内");
  const latest = t.versions.find((v) => v.number === t.latestVersion);
  const released = t.releasedVersion ? (t.versions.find((v) => v.number === t.releasedVersion) ?? null) : null;
  if (!latest) throw new AppError("NOT_FOUND", "证照类型不存在或不在您的管辖范围内");
  const history: ChangeRow[] = t.changes.map((c) => ({
    id: String(c.id),
    at: c.at.toISOString(),
    actorName: c.actorName,
    action: c.action,
    versionNumber: c.versionNumber,
    comment: c.comment,
    diff: (c.diff ?? {}) as FieldDiff,
  }));
  const names = await namesFor(
    [...t.versions.flatMap((v) => v.issuingDeptIds), ...history.flatMap((h) => diffIds(h.diff, "issuingDeptIds"))],
    [...t.versions.flatMap((v) => v.sealIds), ...history.flatMap((h) => diffIds(h.diff, "sealIds"))],
    t.versions.flatMap((v) => [v.createdById, v.submittedById, v.reviewedById].filter((x): x is string => !!x)),
  );
  const issuing = new Set([...latest.issuingDeptIds, ...(released?.issuingDeptIds ?? [])]);
  const visible =
    VIEW_PERMS.some((p) => can(actor, p, t.ownerDept)) ||
    names.deptRows.some((d) => issuing.has(d.id) && VIEW_PERMS.some((p) => can(actor, p, d)));
  if (!visible) throw new AppError("NOT_FOUND", "证照类型不存在或不在您的管辖范围内");

  const manage = can(actor, "catalog.manage", t.ownerDept);
  const live = !t.retiredAt;
  const [reviewer, licenceCount] = await Promise.all([
    latest.status === "UNDER_REVIEW" ? isCatalogReviewer(reader(), actor, t.ownerDept) : Promise.resolve(false),
    db().licence.count({ where: { typeId: t.id } }),
  ]);
  const user = (uid: string | null) => (uid ? (names.users[uid] ?? "（未知用户）") : null);
  return {
    type: {
      id: t.id,
      typeCode: t.typeCode,
      name: t.name,
      ownerDeptId: t.ownerDept.id,
      ownerDeptName: t.ownerDept.name,
      releasedVersion: t.releasedVersion,
      latestVersion: t.latestVersion,
      retiredAt: iso(t.retiredAt),
      licenceCount,
    },
    latest: { number: latest.number, status: latest.status, rev: latest.rev, reviewComment: latest.reviewComment, content: contentOf(latest) },
    released: released ? { number: released.number, content: contentOf(released) } : null,
    versions: t.versions.map(
      (v): VersionSummary => ({
        number: v.number,
        status: v.status,
        createdAt: v.createdAt.toISOString(),
        createdBy: user(v.createdById),
        submittedAt: iso(v.submittedAt),
        submittedBy: user(v.submittedById),
        reviewedAt: iso(v.reviewedAt),
        reviewedBy: user(v.reviewedById),
        reviewComment: v.reviewComment,
        releasedAt: iso(v.releasedAt),
        retiredAt: iso(v.retiredAt),
      }),
    ),
    history,
    historyTruncated: t.changes.length >= HISTORY_MAX,
    names: { depts: names.depts, seals: names.seals, users: names.users } satisfies Names,
    can: {
      edit: manage && live && (latest.status === "DRAFT" || latest.status === "RELEASED"),
      submit: manage && live && latest.status === "DRAFT",
      review: live && reviewer,
      retire: manage && live && t.releasedVersion !== null,
    },
  };
}
export type TypeDetail = Awaited<ReturnType<typeof typeDetail>>;

// ---- review queue ------------------------------------------------------------------------------

export type ReviewRow = {
  typeId: string;
  typeCode: string;
  name: string;
  ownerDeptName: string;
  versionNumber: number;
  releasedVersion: number | null;
  submittedAt: string | null;
  submittedBy: string | null;
  diff: FieldDiff;
};

const QUEUE_MAX = 200;

/**
 * Versions under review in the reviewer's scope, each with its difference from the released
 * version (everything, for a type never released). Empty for anyone who does not review.
 */
export async function reviewQueue(actor: Actor): Promise<{ reviewer: boolean; rows: ReviewRow[]; names: Names; more: boolean }> {
  const empty = { depts: {}, seals: {}, users: {} };
  if (!hasPermission(actor, "catalog.manage")) throw new AppError("FORBIDDEN", "您没有管理证照目录的权限");
  if (!(await isCatalogReviewer(reader(), actor))) return { reviewer: false, rows: [], names: empty, more: false };
  const pending = await db().licenceTypeVersion.findMany({
    where: { status: "UNDER_REVIEW", type: { retiredAt: null, ownerDept: departmentWhere(actor, "catalog.manage") } },
    include: { type: { select: { typeCode: true, releasedVersion: true, ownerDept: { select: { name: true } } } } },
    orderBy: [{ submittedAt: "asc" }, { id: "asc" }],
    take: QUEUE_MAX + 1,
  });
  const page = pending.slice(0, QUEUE_MAX);
  const bases = page.filter((v) => v.type.releasedVersion !== null).map((v) => ({ typeId: v.typeId, number: v.type.releasedVersion! }));
  const releasedRows = bases.length ? await db().licenceTypeVersion.findMany({ where: { OR: bases } }) : [];
  const rows = page.map((v): ReviewRow => {
    const base = releasedRows.find((r) => r.typeId === v.typeId && r.number === v.type.releasedVersion);
    return {
      typeId: v.typeId,
      typeCode: v.type.typeCode,
      name: v.name,
      ownerDeptName: v.type.ownerDept.name,
      versionNumber: v.number,
      releasedVersion: v.type.releasedVersion,
      submittedAt: iso(v.submittedAt),
      submittedBy: v.submittedById,
      diff: contentDiff(base ? contentOf(base) : null, contentOf(v)),
    };
  });
  const names = await namesFor(
    rows.flatMap((r) => diffIds(r.diff, "issuingDeptIds")),
    rows.flatMap((r) => diffIds(r.diff, "sealIds")),
    rows.flatMap((r) => (r.submittedBy ? [r.submittedBy] : [])),
  );
  for (const r of rows) r.submittedBy = r.submittedBy ? (names.users[r.submittedBy] ?? "（未知用户）") : null;
  return { reviewer: true, rows, names: { depts: names.depts, seals: names.seals, users: names.users }, more: pending.length > QUEUE_MAX };
}

/** Whether the actor reviews and releases (for showing 发布/退回 on the list). */
export function isReviewer(actor: Actor): Promise<boolean> {
  return hasPermission(actor, "catalog.manage") ? isCatalogReviewer(reader(), actor) : Promise.resolve(false);
}

// ---- the editor's choices ----------------------------------------------------------------------

export type DeptOption = { id: string; name: string; depth: number };
export type IssuingOption = DeptOption & { areaCode: string; uscc: string };
export type SealOption = { id: string; name: string; kind: string; esId: string | null; holderDeptId: string; hasPicture: boolean };
export type TypeFormOptions = { owners: DeptOption[]; issuing: IssuingOption[]; seals: SealOption[] };

/** Departments in the actor's catalog.manage scope in tree order (parents first, by sort order). */
async function scopeTree(actor: Actor) {
  const rows = await db().department.findMany({
    where: { AND: [departmentWhere(actor, "catalog.manage"), { status: "ACTIVE" }] },
    select: { id: true, parentId: true, name: true, areaCode: true, uscc: true, isIssuing: true, sortOrder: true },
  });
  rows.sort((a, b) => a.sortOrder - b.sortOrder || a.name.localeCompare(b.name, "zh-CN"));
  const ids = new Set(rows.map((d) => d.id));
  const byParent = new Map<string | null, typeof rows>();
  for (const d of rows) {
    const key = d.parentId && ids.has(d.parentId) ? d.parentId : null;
    byParent.set(key, [...(byParent.get(key) ?? []), d]);
  }
  const out: ((typeof rows)[number] & { depth: number })[] = [];
  const walk = (parent: string | null, depth: number) => {
    for (const d of byParent.get(parent) ?? []) {
      out.push({ ...d, depth });
      walk(d.id, depth + 1);
    }
  };
  walk(null, 0);
  return out;
}

/**
 * Owner departments (catalog.manage scope), the issuing departments in that scope, and the active
 * seals of those departments (pictures are not sent; the preview loads one by id).
 */
export async function typeFormOptions(actor: Actor): Promise<TypeFormOptions> {
  if (!hasPermission(actor, "catalog.manage")) throw new AppError("FORBIDDEN", "您没有管理证照目录的权限");
  const tree = await scopeTree(actor);
  const issuing = tree.filter((d) => d.isIssuing);
  const seals = issuing.length
    ? await db().seal.findMany({
        where: { status: "ACTIVE", holderDeptId: { in: issuing.map((d) => d.id) } },
        select: { id: true, name: true, kind: true, businessType: true, positionType: true, esId: true, holderDeptId: true, pictureSm3: true, pictureWidthMm: true, pictureHeightMm: true },
        orderBy: [{ name: "asc" }, { id: "asc" }],
      })
    : [];
  return {
    owners: tree.map((d) => ({ id: d.id, name: d.name, depth: d.depth })),
    issuing: issuing.map((d) => ({ id: d.id, name: d.name, depth: 0, areaCode: d.areaCode, uscc: d.uscc })),
    seals: seals.map((s) => ({
      id: s.id,
      name: s.name,
      kind: sealKindLabel(s.kind, s.businessType, s.positionType),
      esId: s.esId,
      holderDeptId: s.holderDeptId,
      hasPicture: !!s.pictureSm3 && !!s.pictureWidthMm && !!s.pictureHeightMm,
    })),
  };
}

// ---- live face preview ---------------------------------------------------------------------------

const LAYOUT_CODES = FACE_LAYOUTS.map((l) => l.code) as [FaceLayoutCode, ...FaceLayoutCode[]];
/** Dictionary layout codes → the renderer's layout names (the same today; kept explicit). */
const RENDER_LAYOUT: Record<FaceLayoutCode, FaceLayout> = { PORTRAIT_CERT: "PORTRAIT_CERT", LANDSCAPE_LICENCE: "LANDSCAPE_LICENCE", CARD: "CARD" };

/** What the editor sends while the user types: lenient, since the form may not be valid yet. */
export const facePreviewSchema = z.object({
  typeCode: z.string().trim().max(21),
  content: z.object({
    name: z.string().trim().max(100),
    faceLayout: z.enum(LAYOUT_CODES),
    faceFields: z.array(z.unknown()).max(MAX_FACE_FIELDS),
    numberRule: z.string().max(200),
    issuingDeptIds: z.array(z.string().uuid()).max(500),
  }),
  sealId: z.string().uuid().nullable(),
  masked: z.boolean(),
});
export type FacePreviewInput = z.infer<typeof facePreviewSchema>;

export const PREVIEW_WATERMARK = "样例 仅供预览";
const SAMPLE_TYPE_CODE = SAMPLE_NUMBER_CONTEXT.typeCode;
const SAMPLE_ISSUER_CODE = "11510000MB1234567E";

/** ISO/IEC 7064 MOD 37,36 (hybrid, alphabet 0–9A–Z), the check character of a licence identifier. */
function mod3736(s: string): string {
  const alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
  let p = 36;
  for (const ch of s) {
    const v = alphabet.indexOf(ch);
    if (v < 0) return "0";
    let t = (p + v) % 36;
    if (t === 0) t = 36;
    p = (t * 2) % 37;
  }
  return alphabet[(37 - p) % 36];
}

/** 1.2.156.3005.2.<type code>.<issuer code>.<serial>.<version>.<check> for the sample licence. */
export function sampleIdentifier(typeCode: string, issuerCode: string, serial = "0000001", version = "001"): string {
  return `1.2.156.3005.2.${typeCode}.${issuerCode}.${serial}.${version}.${mod3736(`${typeCode}${issuerCode}${serial}${version}`)}`;
}

// A grey head-and-shoulders silhouette in a 3:4 box: stands in for an IMAGE field (照片).
const PHOTO_SVG = `<svg xmlns="http://www.w3.org/2000/svg" width="30mm" height="40mm" viewBox="0 0 30 40">
<rect width="30" height="40" fill="#e8eaee"/><circle cx="15" cy="15" r="6.5" fill="#b8bec8"/>
<path d="M3 40 C3 29 9 24.5 15 24.5 C21 24.5 27 29 27 40 Z" fill="#b8bec8"/></svg>`;
let photoPng: Uint8Array | undefined;
const samplePhoto = () => (photoPng ??= new Uint8Array(renderSealPng(PHOTO_SVG, 150)));

const HOLDER_LABEL = /^(名称|姓名|企业名称|单位名称|持证人|持证主体|持证主体名称|持证人姓名|经营者名称|机构名称)$/;
const HOLDER_KEY = /^(name|holderName|holder|entityName|companyName|orgName|personName)$/;

/** The field printed under the title as the holder's name: a text field named like one. */
function holderField(fields: FaceFieldDef[]): FaceFieldDef | undefined {
  const text = fields.filter((f) => f.type === "TEXT");
  return text.find((f) => HOLDER_LABEL.test(f.label.trim())) ?? text.find((f) => HOLDER_KEY.test(f.key));
}

const isWide = (f: FaceFieldDef, value: string) => f.type === "ADDRESS" || f.type === "DATE_RANGE" || (f.type === "TEXT" && ((f.maxLength ?? 2000) > 60 || value.length > 24));

/**
 * Renders a sample licence from the editor's unsaved values with the real face renderer: sample
 * data for the valid field definitions (the rest are counted and skipped), the number rule's
 * example, the first chosen issuing department in scope as the issuer, and the chosen seal's picture
 * (the seal must be an active seal of an issuing department in the actor's catalog scope).
 */
export async function renderFacePreview(actor: Actor, input: FacePreviewInput): Promise<{ pdf: string; skipped: number; number: string | null; numberError: string | null }> {
  requireManage(actor);
  const scope = departmentWhere(actor, "catalog.manage");
  let seal: FaceInput["seal"];
  if (input.sealId) {
    const s = await db().seal.findFirst({
      where: { id: input.sealId, status: "ACTIVE", holderDept: { AND: [scope, { isIssuing: true }] } },
      select: { picturePng: true, pictureWidthMm: true, pictureHeightMm: true },
    });
    if (!s) throw new AppError("NOT_FOUND", "印章不存在或不在您的管辖范围内");
    if (s.picturePng && s.pictureWidthMm && s.pictureHeightMm) seal = { png: new Uint8Array(s.picturePng), widthMm: s.pictureWidthMm, heightMm: s.pictureHeightMm };
  }
  const candidates = input.content.issuingDeptIds.slice(0, 50);
  const issuers = candidates.length
    ? await db().department.findMany({ where: { AND: [scope, { id: { in: candidates }, isIssuing: true }] }, select: { id: true, name: true, areaCode: true, uscc: true } })
    : [];
  const issuer = candidates.map((id) => issuers.find((d) => d.id === id)).find((d) => d !== undefined);

  const fields: FaceFieldDef[] = [];
  let skipped = 0;
  for (const raw of input.content.faceFields) {
    const p = faceFieldDef.safeParse(raw);
    if (p.success && !fields.some((f) => f.key === p.data.key)) fields.push(p.data);
    else skipped++;
  }
  const data = sampleFaceData(fields);
  const show = (f: FaceFieldDef) => (input.masked ? maskValue(f, data[f.key]) : displayValue(f, data[f.key])) ?? "";
  const holder = holderField(fields);
  const lines: FaceLine[] = fields
    .filter((f) => f.type !== "IMAGE" && f !== holder)
    .map((f) => {
      const value = show(f);
      return { label: f.label, value, wide: isWide(f, value) };
    });

  const typeCode = isValidTypeCode(input.typeCode) ? input.typeCode : SAMPLE_TYPE_CODE;
  const number = previewNumberRule(input.content.numberRule, { typeCode, ...(issuer ? { area: issuer.areaCode } : {}) });
  const bytes = await renderLicenceFace({
    layout: RENDER_LAYOUT[input.content.faceLayout],
    title: input.content.name || "证照名称",
    number: number.ok ? number.example : undefined,
    holderName: holder ? show(holder) : undefined,
    lines,
    photo: fields.some((f) => f.type === "IMAGE") ? samplePhoto() : undefined,
    issuer: issuer?.name ?? "（发证部门）",
    issueDate: chineseDate(new Date(SAMPLE_NUMBER_CONTEXT.date.getTime() + 8 * 3600_000).toISOString().slice(0, 10)),
    seal,
    identifier: sampleIdentifier(typeCode, issuer?.uscc ?? SAMPLE_ISSUER_CODE),
    qrText: "样例二维码 仅供预览",
    watermark: PREVIEW_WATERMARK,
  });
  return { pdf: Buffer.from(bytes).toString("base64"), skipped, number: number.ok ? number.example : null, numberError: number.ok ? null : number.error };
}

function requireManage(actor: Actor) {
  if (!hasPermission(actor, "catalog.manage")) throw new AppError("FORBIDDEN", "您没有管理证照目录的权限");
}
