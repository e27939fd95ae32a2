// The licence catalog (L-01, L-04): a type's versions go draft → under review → released →
// retired. A released version is never edited (editing makes the next draft; a trigger refuses an
// UPDATE of its content) and never deleted; issued licences keep the version they were issued
// under. Catalog administrators propose types for their department; those of a management
// department (部门 isManagement) review and release them. Every change is a conditional update in a
// transaction with its history row (field-by-field difference) and its audit event.
import "server-only";
import { db, withTx, type Tx } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { appendAudit } from "@/lib/audit/log";
import { auditActorOf, type Actor } from "@/lib/auth/session";
import { can, requirePermission } from "@/lib/auth/permissions";
import { VERSION_STATE_LABELS } from "@/lib/catalog/dictionaries";
import { canonicalJson } from "@/lib/audit/canonical";
import type { TypeContent, TypeCreateInput, TypeUpdateInput } from "@/lib/catalog/schema";
import type { CatalogVersionStatus, Prisma } from "@/lib/generated/prisma/client";

type Version = Prisma.LicenceTypeVersionGetPayload<object>;

const CONTENT_KEYS = [
  "name",
  "definingAuthority",
  "definingAuthorityCode",
  "category",
  "holderCategories",
  "holderCodeTypes",
  "validity",
  "legalBasis",
  "matters",
  "sharing",
  "sharingConditions",
  "publicity",
  "issuingDeptIds",
  "sealIds",
  "numberRule",
  "allowMultiple",
  "faceFields",
  "faceLayout",
] as const satisfies readonly (keyof TypeContent)[];

/** The columns a version stores for its content. */
function columnsOf(c: TypeContent) {
  return {
    name: c.name,
    definingAuthority: c.definingAuthority,
    definingAuthorityCode: c.definingAuthorityCode.toUpperCase(),
    category: c.category,
    holderCategories: c.holderCategories,
    holderCodeTypes: c.holderCodeTypes,
    validity: c.validity,
    legalBasis: c.legalBasis,
    matters: c.matters,
    sharing: c.sharing,
    sharingConditions: c.sharingConditions || null,
    publicity: c.publicity,
    issuingDeptIds: c.issuingDeptIds,
    sealIds: c.sealIds,
    numberRule: c.numberRule,
    allowMultiple: c.allowMultiple,
    faceFields: c.faceFields,
    faceLayout: c.faceLayout,
  };
}

/** A version's content as the editor and the diff see it. */
export function contentOf(v: Version): TypeContent {
  return {
    name: v.name,
    definingAuthority: v.definingAuthority,
    definingAuthorityCode: v.definingAuthorityCode,
    category: v.category,
    holderCategories: v.holderCategories,
    holderCodeTypes: v.holderCodeTypes,
    validity: v.validity,
    legalBasis: v.legalBasis,
    matters: v.matters,
    sharing: v.sharing,
    sharingConditions: v.sharingConditions ?? "",
    publicity: v.publicity,
    issuingDeptIds: v.issuingDeptIds,
    sealIds: v.sealIds,
    numberRule: v.numberRule,
    allowMultiple: v.allowMultiple,
    faceFields: v.faceFields,
    faceLayout: v.faceLayout,
  } as TypeContent;
}

export type FieldDiff = Record<string, { from: unknown; to: unknown }>;

/** Field-by-field difference of two contents (face fields compared as a whole list). */
export function contentDiff(before: Partial<TypeContent> | null, after: TypeContent): FieldDiff {
  const out: FieldDiff = {};
  for (const k of CONTENT_KEYS) {
    const a = before ? before[k] : undefined;
    const b = after[k];
    // jsonb hands objects back with its own key order: compare canonically
    if (canonicalJson(a ?? null) !== canonicalJson(b ?? null)) out[k] = { from: a ?? null, to: b ?? null };
  }
  return out;
}

/** Checks that the departments and seals a version names exist, issue, and are active now. */
async function checkReferences(tx: Tx, c: TypeContent) {
  const errors: Record<string, string> = {};
  const depts = await tx.department.findMany({ where: { id: { in: c.issuingDeptIds } }, select: { id: true, name: true, isIssuing: true, status: true } });
  const bad = c.issuingDeptIds.filter((id) => !depts.some((d) => d.id === id && d.isIssuing && d.status === "ACTIVE"));
  if (bad.length) errors["content.issuingDeptIds"] = "发证部门须为启用的发证单位";
  if (c.sealIds.length) {
    const seals = await tx.seal.findMany({ where: { id: { in: c.sealIds } }, select: { id: true, status: true, holderDeptId: true } });
    const ok = c.sealIds.every((id) => seals.some((s) => s.id === id && s.status === "ACTIVE" && c.issuingDeptIds.includes(s.holderDeptId)));
    if (!ok) errors["content.sealIds"] = "签章印章须为所选发证部门的有效印章";
  }
  if (Object.keys(errors).length) throw new AppError("INVALID_INPUT", "证照类型中有无效的部门或印章", errors);
}

async function history(tx: Tx, actor: Actor, typeId: string, versionNumber: number, action: string, diff: FieldDiff, comment: string | null) {
  const a = auditActorOf(actor);
  await tx.catalogChange.create({ data: { typeId, versionNumber, action, actorId: actor.userId, actorName: a.name, diff: diff as Prisma.InputJsonValue, comment } });
  await appendAudit(tx, a, { action: "catalog.change", change: action, version: versionNumber, fields: Object.keys(diff), comment }, { type: "LicenceType", id: typeId });
}

async function loadType(tx: Tx, actor: Actor, typeId: string) {
  const t = await tx.licenceType.findUnique({ where: { id: typeId }, include: { ownerDept: { select: { id: true, path: true } } } });
  if (!t) throw new AppError("NOT_FOUND", "证照类型不存在或不在您的管辖范围内");
  requirePermission(actor, "catalog.manage", t.ownerDept);
  const latest = await tx.licenceTypeVersion.findUniqueOrThrow({ where: { typeId_number: { typeId, number: t.latestVersion } } });
  return { type: t, latest };
}

/** Whether the actor reviews and releases for the catalog: a catalog administrator of a management department. */
export async function isCatalogReviewer(tx: Pick<Tx, "department">, actor: Actor, ownerDept?: { id: string; path: string }): Promise<boolean> {
  if (ownerDept && !can(actor, "catalog.manage", ownerDept)) return false;
  if (!ownerDept && !actor.roles.some((r) => r.role === "CATALOG_ADMIN")) return false;
  const dept = await tx.department.findUnique({ where: { id: actor.departmentId }, select: { isManagement: true, status: true } });
  return !!dept?.isManagement && dept.status === "ACTIVE";
}

export async function createType(actor: Actor, input: TypeCreateInput) {
  return withTx((tx) => createTypeTx(tx, actor, input));
}

/** createType inside the caller's transaction (the XLSX import commits many at once). */
export async function createTypeTx(tx: Tx, actor: Actor, input: TypeCreateInput) {
  {
    const owner = await tx.department.findUnique({ where: { id: input.ownerDeptId }, select: { id: true, path: true, status: true } });
    if (!owner) throw new AppError("NOT_FOUND", "部门不存在或不在您的管辖范围内");
    requirePermission(actor, "catalog.manage", owner);
    if (owner.status !== "ACTIVE") throw new AppError("CONFLICT", "部门已停用", { ownerDeptId: "部门已停用" });
    if (await tx.licenceType.findUnique({ where: { typeCode: input.typeCode } }))
      throw new AppError("INVALID_INPUT", "证照类型代码已存在", { typeCode: "该证照类型代码已被使用" });
    await checkReferences(tx, input.content);
    const made = await tx.licenceType.createManyAndReturn({ data: [{ typeCode: input.typeCode, name: input.content.name, ownerDeptId: owner.id, latestVersion: 1 }], skipDuplicates: true });
    if (made.length !== 1) throw new AppError("INVALID_INPUT", "证照类型代码已存在", { typeCode: "该证照类型代码已被使用" });
    const type = made[0];
    await tx.licenceTypeVersion.create({ data: { typeId: type.id, number: 1, status: "DRAFT", createdById: actor.userId, ...columnsOf(input.content) } });
    await history(tx, actor, type.id, 1, "create", contentDiff(null, input.content), `类型代码 ${input.typeCode}`);
    return { id: type.id };
  }
}

/** Saves the draft; a released (or retired) latest version gets a new draft version instead. */
export async function saveDraft(actor: Actor, input: TypeUpdateInput) {
  return withTx((tx) => saveDraftTx(tx, actor, input));
}

/** saveDraft inside the caller's transaction. */
export async function saveDraftTx(tx: Tx, actor: Actor, input: TypeUpdateInput) {
  {
    const { type, latest } = await loadType(tx, actor, input.typeId);
    if (input.content.definingAuthorityCode.toUpperCase() !== type.typeCode.slice(0, 18))
      throw new AppError("INVALID_INPUT", "定义机构代码须与证照类型代码的前 18 位一致", { "content.definingAuthorityCode": "须与证照类型代码的前 18 位一致" });
    await checkReferences(tx, input.content);
    if (latest.status === "UNDER_REVIEW") throw new AppError("CONFLICT", "该类型正在审核中，不能修改；请等待审核结果或由审核人退回");
    if (latest.rev !== input.rev) throw new AppError("CONFLICT", "该类型已被他人修改，请刷新后再编辑");
    if (type.retiredAt) throw new AppError("CONFLICT", "该类型已停用，不能修改");
    const diff = contentDiff(contentOf(latest), input.content);
    if (latest.status === "DRAFT") {
      const r = await tx.licenceTypeVersion.updateMany({ where: { id: latest.id, status: "DRAFT", rev: latest.rev }, data: { ...columnsOf(input.content), rev: { increment: 1 } } });
      if (r.count !== 1) throw new AppError("CONFLICT", "该类型已被他人修改，请刷新后再编辑");
      await tx.licenceType.update({ where: { id: type.id }, data: { name: type.releasedVersion ? type.name : input.content.name } });
      if (Object.keys(diff).length) await history(tx, actor, type.id, latest.number, "edit", diff, null);
      return { id: type.id, version: latest.number };
    }
    // RELEASED: editing makes the next draft; the released version stays as it is
    const next = latest.number + 1;
    const r = await tx.licenceType.updateMany({ where: { id: type.id, latestVersion: latest.number }, data: { latestVersion: next } });
    if (r.count !== 1) throw new AppError("CONFLICT", "该类型已被他人修改，请刷新后再编辑");
    await tx.licenceTypeVersion.create({ data: { typeId: type.id, number: next, status: "DRAFT", createdById: actor.userId, ...columnsOf(input.content) } });
    await history(tx, actor, type.id, next, "new_version", diff, `基于第 ${latest.number} 版修改`);
    return { id: type.id, version: next };
  }
}

type Step = { from: readonly CatalogVersionStatus[]; label: string };
const STEPS = {
  submit: { from: ["DRAFT"], label: "提交审核" },
  release: { from: ["UNDER_REVIEW"], label: "发布" },
  return: { from: ["UNDER_REVIEW"], label: "退回修改" },
  retire: { from: ["RELEASED"], label: "停用" },
} as const satisfies Record<string, Step>;
export type CatalogAction = keyof typeof STEPS;

/** One state change of one type's latest version (used by the batch actions). */
async function step(tx: Tx, actor: Actor, typeId: string, action: CatalogAction, comment: string | null, now: Date) {
  const { type, latest } = await loadType(tx, actor, typeId);
  const s: Step = STEPS[action];
  // retiring applies to the released version even when a newer draft exists
  const target = action === "retire" ? await releasedVersion(tx, type) : latest;
  if (!target || !s.from.includes(target.status))
    throw new AppError("CONFLICT", `「${type.name}」当前为${VERSION_STATE_LABELS[(target ?? latest).status]}，不能${s.label}`);
  // L-04: releasing, returning and retiring are the management department's decisions
  if ((action === "release" || action === "return" || action === "retire") && !(await isCatalogReviewer(tx, actor, type.ownerDept)))
    throw new AppError("FORBIDDEN", action === "retire" ? "只有管理部门的目录管理员可以停用证照类型" : "只有管理部门的目录管理员可以审核发布证照类型");
  // four eyes (L-04): who submitted a version does not also release it
  if (action === "release" && target.submittedById === actor.userId) throw new AppError("FORBIDDEN", `「${type.name}」由您提交审核，须由其他审核人发布`);
  const data: Prisma.LicenceTypeVersionUpdateManyMutationInput = { rev: { increment: 1 } };
  if (action === "submit") Object.assign(data, { status: "UNDER_REVIEW", submittedAt: now, submittedById: actor.userId, reviewComment: null });
  if (action === "release") Object.assign(data, { status: "RELEASED", reviewedAt: now, reviewedById: actor.userId, reviewComment: comment, releasedAt: now });
  if (action === "return") Object.assign(data, { status: "DRAFT", reviewedAt: now, reviewedById: actor.userId, reviewComment: comment });
  if (action === "retire") Object.assign(data, { status: "RETIRED", retiredAt: now });
  const r = await tx.licenceTypeVersion.updateMany({ where: { id: target.id, status: target.status, rev: target.rev }, data });
  if (r.count !== 1) throw new AppError("CONFLICT", `「${type.name}」已被他人处理，请刷新`);
  if (action === "release") {
    // the version it replaces is superseded (kept, still what its licences point at)
    if (type.releasedVersion) {
      const r = await tx.licenceTypeVersion.updateMany({ where: { typeId: type.id, number: type.releasedVersion, status: "RELEASED" }, data: { status: "RETIRED", retiredAt: now, rev: { increment: 1 } } });
      if (r.count) await history(tx, actor, type.id, type.releasedVersion, "supersede", { status: { from: "RELEASED", to: "RETIRED" } }, `由第 ${target.number} 版取代`);
    }
    await tx.licenceType.update({ where: { id: type.id }, data: { releasedVersion: target.number, name: target.name } });
  }
  if (action === "retire") {
    await tx.licenceType.update({ where: { id: type.id }, data: { releasedVersion: null, retiredAt: now } });
    // a pending draft of a retired type has nothing left to become
    const pending = await tx.licenceTypeVersion.findMany({ where: { typeId: type.id, status: { in: ["DRAFT", "UNDER_REVIEW"] } }, select: { number: true, status: true } });
    await tx.licenceTypeVersion.updateMany({ where: { typeId: type.id, status: { in: ["DRAFT", "UNDER_REVIEW"] } }, data: { status: "RETIRED", retiredAt: now, rev: { increment: 1 } } });
    for (const p of pending) await history(tx, actor, type.id, p.number, "retire", { status: { from: p.status, to: "RETIRED" } }, "随证照类型停用");
  }
  const toStatus = { submit: "UNDER_REVIEW", release: "RELEASED", return: "DRAFT", retire: "RETIRED" }[action];
  await history(tx, actor, type.id, target.number, action, { status: { from: target.status, to: toStatus } }, comment);
}

async function releasedVersion(tx: Tx, type: { id: string; releasedVersion: number | null }) {
  if (!type.releasedVersion) return null;
  return tx.licenceTypeVersion.findUnique({ where: { typeId_number: { typeId: type.id, number: type.releasedVersion } } });
}

export type BatchResult = { done: string[]; failed: { id: string; error: string }[] };

/** A batch action: each type in its own transaction, so one refusal does not undo the others. */
export async function batch(actor: Actor, typeIds: string[], action: CatalogAction, comment: string | null = null, now = new Date()): Promise<BatchResult> {
  const ids = [...new Set(typeIds)];
  // scope first, for the whole batch: a type out of scope is "not found", and nothing is done
  const types = await db().licenceType.findMany({ where: { id: { in: ids } }, include: { ownerDept: { select: { id: true, path: true } } } });
  for (const id of ids) {
    const t = types.find((x) => x.id === id);
    if (!t) throw new AppError("NOT_FOUND", "证照类型不存在或不在您的管辖范围内");
    requirePermission(actor, "catalog.manage", t.ownerDept);
  }
  const out: BatchResult = { done: [], failed: [] };
  for (const id of ids) {
    try {
      await withTx((tx) => step(tx, actor, id, action, comment, now));
      out.done.push(id);
    } catch (e) {
      if (!(e instanceof AppError)) throw e;
      out.failed.push({ id, error: e.userMessage });
    }
  }
  return out;
}
