// Issuance lists (发证清单, L-02) and use lists (用证清单, L-03 / U-01): one entry per department and
// type (issuance) or per department, type and matter (use). Every change is a conditional update
// with its history row (ListChange, shown on the list pages) and audit event. `canUse` is the one
// check every later use of a licence goes through; a use outside the list is refused and logged.
import "server-only";
import { db, withTx, type Tx } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { appendAudit, type AuditActor } from "@/lib/audit/log";
import { diff as fieldDiff } from "@/lib/audit/events";
import { auditActorOf, type Actor } from "@/lib/auth/session";
import { requirePermission } from "@/lib/auth/permissions";
import { canUseFromEntries, type UseCheck } from "@/lib/catalog/can-use";
import type { IssuanceEntryInput, UseEntryInput } from "@/lib/catalog/schema";
import type { Prisma } from "@/lib/generated/prisma/client";

type ListKind = "ISSUANCE" | "USE";
const LABEL: Record<ListKind, string> = { ISSUANCE: "发证清单", USE: "用证清单" };
const day = (s: string) => new Date(`${s}T00:00:00Z`);

async function scopedDept(tx: Tx, actor: Actor, deptId: string) {
  const dept = await tx.department.findUnique({ where: { id: deptId }, select: { id: true, path: true, name: true, status: true, isIssuing: true, isUsing: true } });
  if (!dept) throw new AppError("NOT_FOUND", "部门不存在或不在您的管辖范围内");
  requirePermission(actor, "catalog.manage", dept);
  return dept;
}

async function record(tx: Tx, actor: Actor, list: ListKind, entry: { id: string; deptId: string; typeId: string }, action: string, diff: Record<string, { from: unknown; to: unknown }>) {
  const a = auditActorOf(actor);
  await tx.listChange.create({ data: { list, entryId: entry.id, deptId: entry.deptId, typeId: entry.typeId, action, actorId: actor.userId, actorName: a.name, diff: diff as Prisma.InputJsonValue } });
  await appendAudit(tx, a, { action: "list.change", list, change: action, deptId: entry.deptId, typeId: entry.typeId, fields: Object.keys(diff) }, { type: list === "ISSUANCE" ? "IssuanceListEntry" : "UseListEntry", id: entry.id });
}

/** Only a released, not retired type can be put on a list. */
async function releasedType(tx: Tx, typeId: string) {
  const t = await tx.licenceType.findUnique({ where: { id: typeId }, select: { id: true, name: true, releasedVersion: true, retiredAt: true } });
  if (!t) throw new AppError("INVALID_INPUT", "证照类型不存在", { typeId: "证照类型不存在" });
  if (!t.releasedVersion || t.retiredAt) throw new AppError("INVALID_INPUT", "只有已发布的证照类型可以列入清单", { typeId: "该证照类型未发布或已停用" });
  return t;
}

/** L-02: a department issues a type only when the type's released version names it as an issuing department. */
export async function checkIssuableBy(tx: Tx, typeId: string, deptId: string) {
  const t = await tx.licenceType.findUnique({ where: { id: typeId }, select: { releasedVersion: true } });
  const v = t?.releasedVersion ? await tx.licenceTypeVersion.findUnique({ where: { typeId_number: { typeId, number: t.releasedVersion } }, select: { issuingDeptIds: true } }) : null;
  if (!v?.issuingDeptIds.includes(deptId))
    throw new AppError("INVALID_INPUT", "该部门不是此证照类型的发证部门", { typeId: "证照目录中此类型的发证部门不包括该部门" });
}

export async function saveIssuanceEntry(actor: Actor, input: IssuanceEntryInput) {
  return withTx((tx) => saveIssuanceEntryTx(tx, actor, input));
}

/** saveIssuanceEntry inside the caller's transaction (the XLSX import commits many at once). */
export async function saveIssuanceEntryTx(tx: Tx, actor: Actor, input: IssuanceEntryInput) {
  {
    const dept = await scopedDept(tx, actor, input.deptId);
    if (!dept.isIssuing) throw new AppError("INVALID_INPUT", "该部门不是发证单位", { deptId: "该部门不是发证单位" });
    await releasedType(tx, input.typeId);
    await checkIssuableBy(tx, input.typeId, dept.id);
    const data = {
      legalBasis: input.legalBasis,
      matters: input.matters,
      holderCategory: input.holderCategory,
      aggregation: input.aggregation,
      publicity: input.publicity,
      validFrom: day(input.validFrom),
      validTo: input.validTo ? day(input.validTo) : null,
    };
    if (!input.id) {
      if (await tx.issuanceListEntry.findUnique({ where: { deptId_typeId: { deptId: dept.id, typeId: input.typeId } } }))
        throw new AppError("INVALID_INPUT", "该部门的发证清单中已有此证照类型", { typeId: "发证清单中已有此证照类型" });
      const e = await tx.issuanceListEntry.create({ data: { deptId: dept.id, typeId: input.typeId, ...data } });
      await record(tx, actor, "ISSUANCE", e, "create", fieldDiff({}, { ...data, validFrom: input.validFrom, validTo: input.validTo || null }));
      return { id: e.id };
    }
    const before = await tx.issuanceListEntry.findUnique({ where: { id: input.id } });
    if (!before || before.deptId !== dept.id || before.typeId !== input.typeId) throw new AppError("NOT_FOUND", "清单条目不存在");
    const r = await tx.issuanceListEntry.updateMany({ where: { id: before.id, rev: input.rev }, data: { ...data, rev: { increment: 1 } } });
    if (r.count !== 1) throw new AppError("CONFLICT", "该清单条目已被他人修改，请刷新");
    const d = fieldDiff(
      { ...before, validFrom: before.validFrom.toISOString().slice(0, 10), validTo: before.validTo?.toISOString().slice(0, 10) ?? null },
      { ...data, validFrom: input.validFrom, validTo: input.validTo || null },
    );
    if (Object.keys(d).length) await record(tx, actor, "ISSUANCE", before, "update", d);
    return { id: before.id };
  }
}

export async function saveUseEntry(actor: Actor, input: UseEntryInput) {
  return withTx((tx) => saveUseEntryTx(tx, actor, input));
}

/** saveUseEntry inside the caller's transaction (the XLSX import commits many at once). */
export async function saveUseEntryTx(tx: Tx, actor: Actor, input: UseEntryInput) {
  {
    const dept = await scopedDept(tx, actor, input.deptId);
    if (!dept.isUsing) throw new AppError("INVALID_INPUT", "该部门不是用证部门", { deptId: "该部门不是用证部门" });
    await releasedType(tx, input.typeId);
    const data = {
      matterCode: input.matterCode || null,
      matterName: input.matterName || null,
      scenarios: input.scenarios,
      basis: input.basis,
      validFrom: day(input.validFrom),
      validTo: input.validTo ? day(input.validTo) : null,
    };
    const shown = { ...data, validFrom: input.validFrom, validTo: input.validTo || null };
    if (!input.id) {
      const dup = await tx.useListEntry.findFirst({ where: { deptId: dept.id, typeId: input.typeId, matterCode: data.matterCode, status: "ACTIVE" } });
      if (dup) throw new AppError("INVALID_INPUT", "用证清单中已有此证照类型和事项", { matterCode: "用证清单中已有此证照类型和事项" });
      const e = await tx.useListEntry.create({ data: { deptId: dept.id, typeId: input.typeId, ...data } });
      await record(tx, actor, "USE", e, "create", fieldDiff({}, shown));
      return { id: e.id };
    }
    const before = await tx.useListEntry.findUnique({ where: { id: input.id } });
    if (!before || before.deptId !== dept.id || before.typeId !== input.typeId) throw new AppError("NOT_FOUND", "清单条目不存在");
    const r = await tx.useListEntry.updateMany({ where: { id: before.id, rev: input.rev }, data: { ...data, rev: { increment: 1 } } });
    if (r.count !== 1) throw new AppError("CONFLICT", "该清单条目已被他人修改，请刷新");
    const d = fieldDiff({ ...before, validFrom: before.validFrom.toISOString().slice(0, 10), validTo: before.validTo?.toISOString().slice(0, 10) ?? null }, shown);
    if (Object.keys(d).length) await record(tx, actor, "USE", before, "update", d);
    return { id: before.id };
  }
}

/** Enables or disables entries (batch); entries are never deleted, so their history stays. */
export async function setEntryStatus(actor: Actor, input: { list: ListKind; ids: string[]; status: "ACTIVE" | "DISABLED" }) {
  return withTx((tx) => setEntryStatusTx(tx, actor, input));
}

/** setEntryStatus inside the caller's transaction. */
export async function setEntryStatusTx(tx: Tx, actor: Actor, input: { list: ListKind; ids: string[]; status: "ACTIVE" | "DISABLED" }) {
  {
    const rows =
      input.list === "ISSUANCE"
        ? await tx.issuanceListEntry.findMany({ where: { id: { in: input.ids } }, include: { dept: { select: { id: true, path: true } } } })
        : await tx.useListEntry.findMany({ where: { id: { in: input.ids } }, include: { dept: { select: { id: true, path: true } } } });
    if (rows.length !== new Set(input.ids).size) throw new AppError("NOT_FOUND", "清单条目不存在或不在您的管辖范围内");
    for (const r of rows) requirePermission(actor, "catalog.manage", r.dept);
    let changed = 0;
    for (const r of rows) {
      if (r.status === input.status) continue;
      const where = { id: r.id, rev: r.rev };
      const data = { status: input.status, rev: { increment: 1 } };
      const u = input.list === "ISSUANCE" ? await tx.issuanceListEntry.updateMany({ where, data }) : await tx.useListEntry.updateMany({ where, data });
      if (u.count !== 1) throw new AppError("CONFLICT", `${LABEL[input.list]}条目已被他人修改，请刷新`);
      await record(tx, actor, input.list, r, input.status === "ACTIVE" ? "enable" : "disable", { status: { from: r.status, to: input.status } });
      changed++;
    }
    return { changed };
  }
}

/** Whether a department may issue a type now (the licences issue calls this before issuing). */
export async function onIssuanceList(deptId: string, typeId: string, at = new Date()): Promise<boolean> {
  const e = await db().issuanceListEntry.findUnique({ where: { deptId_typeId: { deptId, typeId } } });
  return !!e && e.status === "ACTIVE" && e.validFrom <= at && (!e.validTo || at < new Date(e.validTo.getTime() + 86_400_000));
}

const SYSTEM: AuditActor = { id: null, name: "system", role: "-", dept: "-", ip: null, userAgent: null };

/**
 * The use-list check (L-03, U-01): may `deptId` use a licence of `typeId` for `matterCode` in
 * `scenario` now? A refusal is logged (audit `use.refused`) by the caller's actor, or as system.
 */
export async function canUse(
  deptId: string,
  typeId: string,
  matterCode: string | null,
  scenario: UseCheck["scenario"],
  opts: { at?: Date; actor?: AuditActor; log?: boolean } = {},
): Promise<ReturnType<typeof canUseFromEntries>> {
  const at = opts.at ?? new Date();
  const entries = await db().useListEntry.findMany({ where: { deptId, typeId } });
  const result = canUseFromEntries(
    entries.map((e) => ({
      id: e.id,
      typeId: e.typeId,
      matterCode: e.matterCode,
      scenarios: e.scenarios as UseCheck["scenario"][],
      basis: e.basis,
      validFrom: e.validFrom,
      // a list date covers the whole day
      validTo: e.validTo ? new Date(e.validTo.getTime() + 86_400_000 - 1) : null,
      status: e.status,
    })),
    { typeId, matterCode, scenario, at },
  );
  if (!result.allowed && opts.log !== false)
    await withTx((tx) => appendAudit(tx, opts.actor ?? SYSTEM, { action: "use.refused", deptId, typeId, matter: matterCode, scenario, reason: result.reason }, { type: "UseListEntry", id: null }));
  return result;
}
