// The new-order form's evidence picker (V-02): once a department is chosen, its overdue objections
// (a deadline passed and not met, O-05, the department being the issuer that owes the work) and
// its data-quality findings (LicenceFinding, rebuilt by the dashboard job), to tick as evidence.
// A finding is linked as its licence (findings are rebuilt; the licence stays), labelled with what
// was found. A read: supervision.manage over the department, else "not found".
import "server-only";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import type { Actor } from "@/lib/auth/session";
import { requirePermission } from "@/lib/auth/permissions";
import { shanghaiDate } from "@/lib/calendar/working-days";
import { overdueWhere } from "@/lib/objections/queries";
import { cut } from "@/lib/text";
import { FINDING_LABELS, type FindingKind } from "@/lib/supervision/dashboard/figures";
import { evidenceCandidatesInput } from "@/lib/supervision/rectification-schema";

export const CANDIDATE_LIMIT = 100;
const DEPT_NOT_FOUND = "部门不存在或不在您的管辖范围内";

export type EvidenceCandidate = { kind: "OBJECTION" | "LICENCE"; id: string; label: string; detail: string };
export type EvidenceCandidates = { objections: EvidenceCandidate[]; findings: EvidenceCandidate[]; more: { objections: boolean; findings: boolean } };

export async function evidenceCandidates(actor: Actor, raw: unknown, now = new Date()): Promise<EvidenceCandidates> {
  requirePermission(actor, "supervision.manage");
  const parsed = evidenceCandidatesInput.safeParse(raw);
  if (!parsed.success) throw new AppError("NOT_FOUND", DEPT_NOT_FOUND, { deptId: DEPT_NOT_FOUND });
  const dept = await db().department.findUnique({ where: { id: parsed.data.deptId }, select: { id: true, path: true } });
  if (!dept) throw new AppError("NOT_FOUND", DEPT_NOT_FOUND, { deptId: DEPT_NOT_FOUND });
  try {
    requirePermission(actor, "supervision.manage", dept);
  } catch {
    throw new AppError("NOT_FOUND", DEPT_NOT_FOUND, { deptId: DEPT_NOT_FOUND });
  }
  const objections = await db().objection.findMany({
    where: { AND: [{ issuerDeptId: dept.id }, overdueWhere(now)] },
    select: { id: true, number: true, status: true, markDueAt: true, resolveDueAt: true, licence: { select: { name: true, identifier: true } } },
    orderBy: [{ resolveDueAt: "asc" }, { id: "asc" }],
    take: CANDIDATE_LIMIT + 1,
  });
  const findings = await db().licenceFinding.findMany({
    where: { deptId: dept.id },
    select: { licenceId: true, kind: true, detail: true, licence: { select: { name: true, identifier: true } } },
    orderBy: [{ kind: "asc" }, { licenceId: "asc" }],
    take: CANDIDATE_LIMIT + 1,
  });
  return {
    objections: objections.slice(0, CANDIDATE_LIMIT).map((o) => {
      const markLate = o.status === "SUBMITTED" && o.markDueAt < now;
      const due = markLate ? `应于 ${shanghaiDate(o.markDueAt)} 前标注` : `应于 ${shanghaiDate(o.resolveDueAt)} 前办结`;
      return { kind: "OBJECTION" as const, id: o.id, label: `超期异议 ${o.number}`, detail: cut(`${o.licence.name} ${o.licence.identifier}，${due}`, 300) };
    }),
    findings: findings.slice(0, CANDIDATE_LIMIT).map((f) => ({
      kind: "LICENCE" as const,
      id: f.licenceId,
      label: cut(`${FINDING_LABELS[f.kind as FindingKind] ?? f.kind}：${f.licence.name} ${f.licence.identifier}`, 200),
      detail: cut(f.detail, 300),
    })),
    more: { objections: objections.length > CANDIDATE_LIMIT, findings: findings.length > CANDIDATE_LIMIT },
  };
}
