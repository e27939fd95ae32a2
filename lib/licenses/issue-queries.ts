// Reads for the issue form (L-05): the types the actor's department may issue now, with what the
// form needs to build the face inputs and check the holder; and the department's incidents (L-12).
import "server-only";
import { db } from "@/lib/db";
import type { Actor } from "@/lib/auth/session";
import { requirePermission } from "@/lib/auth/permissions";
import { faceFieldList, type FaceFieldDef } from "@/lib/catalog/face-fields";
import { validityLabel, validityRuleSchema } from "@/lib/catalog/validity";
import { shanghaiDate } from "@/lib/calendar/working-days";

export type IssuableType = {
  id: string;
  name: string;
  typeCode: string;
  version: number;
  validity: string;
  holderCategories: string[];
  holderCodeTypes: string[];
  matters: { name: string; code: string }[];
  fields: FaceFieldDef[];
  aggregation: string;
  hasSeal: boolean;
};

export async function issuableTypes(actor: Actor, now = new Date()): Promise<IssuableType[]> {
  requirePermission(actor, "licence.issue", { id: actor.departmentId, path: actor.departmentPath });
  const today = shanghaiDate(now);
  const entries = await db().issuanceListEntry.findMany({
    where: { deptId: actor.departmentId, status: "ACTIVE" },
    include: { type: { select: { id: true, name: true, typeCode: true, releasedVersion: true, retiredAt: true } } },
    orderBy: { type: { typeCode: "asc" } },
  });
  const live = entries.filter(
    (e) => e.type.releasedVersion && !e.type.retiredAt && e.validFrom.toISOString().slice(0, 10) <= today && (!e.validTo || today <= e.validTo.toISOString().slice(0, 10)),
  );
  const versions = await db().licenceTypeVersion.findMany({
    where: { OR: live.map((e) => ({ typeId: e.typeId, number: e.type.releasedVersion! })), status: "RELEASED" },
  });
  const seals = await db().seal.findMany({ where: { holderDeptId: actor.departmentId, status: "ACTIVE" }, select: { id: true } });
  const out: IssuableType[] = [];
  for (const e of live) {
    const v = versions.find((x) => x.typeId === e.typeId);
    if (!v || !v.issuingDeptIds.includes(actor.departmentId)) continue;
    out.push({
      id: e.typeId,
      name: v.name,
      typeCode: e.type.typeCode,
      version: v.number,
      validity: validityLabel(validityRuleSchema.parse(v.validity)),
      holderCategories: v.holderCategories,
      holderCodeTypes: v.holderCodeTypes,
      matters: (v.matters as { name: string; code: string }[] | null) ?? [],
      fields: faceFieldList.parse(v.faceFields),
      aggregation: e.aggregation,
      hasSeal: v.sealIds.some((id) => seals.some((s) => s.id === id)),
    });
  }
  return out;
}

/** Recovered incidents of the department whose 3-working-day completion window is still open (L-12). */
export async function openIncidents(actor: Actor, now = new Date()) {
  requirePermission(actor, "licence.issue", { id: actor.departmentId, path: actor.departmentPath });
  const rows = await db().emergencyIncident.findMany({
    where: { deptId: actor.departmentId, endedAt: { not: null }, completeDueAt: { gte: new Date(now.getTime() - 30 * 86_400_000) } },
    orderBy: { startedAt: "desc" },
    take: 20,
    select: { id: true, title: true, startedAt: true, endedAt: true, completeDueAt: true },
  });
  return rows.map((r) => ({ id: r.id, title: r.title, startedAt: r.startedAt.toISOString(), endedAt: r.endedAt!.toISOString(), completeDueAt: r.completeDueAt!.toISOString() }));
}
