// Approval flows (S-10): each seal's use is approved the way its physical seal's use is. A flow is
// an ordered list of steps; each names its approvers (users, or a role within a department) and
// whether any one (或签) or all (会签) must approve. A department may keep a default flow per seal
// kind; a seal may have its own. Every save makes a new immutable version: requests in progress
// keep the version they started with.
import "server-only";
import { db, withTx, type Tx } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { appendAudit } from "@/lib/audit/log";
import { auditActorOf, type Actor } from "@/lib/auth/session";
import { can, departmentWhere, hasPermission, requirePermission, type Principal } from "@/lib/auth/permissions";
import { flowSteps, type FlowSaveInput, type FlowStep } from "@/lib/seal-use/schema";
import { SEAL_KIND_LABELS } from "@/lib/seals/kinds";
import type { SealKind } from "@/lib/generated/prisma/enums";

export const deptFlowKey = (deptId: string, kind: SealKind) => `dept:${deptId}:${kind}`;
export const sealFlowKey = (sealId: string) => `seal:${sealId}`;

type UserForCheck = {
  id: string;
  name: string;
  status: "ACTIVE" | "DISABLED";
  departmentId: string;
  department: { path: string };
  roles: { role: Principal["roles"][number]["role"]; scope: Principal["roles"][number]["scope"] }[];
};
export const USER_FOR_CHECK = { id: true, name: true, status: true, departmentId: true, department: { select: { path: true } }, roles: { select: { role: true, scope: true } } } as const;

export function principalOf(u: UserForCheck): Principal {
  return { userId: u.id, departmentId: u.departmentId, departmentPath: u.department.path, roles: u.roles };
}

/** An approver may act on a seal of `dept`: active, holding seal.approve with a scope covering it. */
export function mayApprove(u: UserForCheck, dept: { id: string; path: string }): boolean {
  return u.status === "ACTIVE" && can(principalOf(u), "seal.approve", dept);
}

/** The flow that governs a seal's use now: its own, else its department's default for its kind. */
export async function effectiveFlow(tx: Tx, seal: { id: string; holderDeptId: string; kind: SealKind }) {
  const flows = await tx.approvalFlow.findMany({ where: { scopeKey: { in: [sealFlowKey(seal.id), deptFlowKey(seal.holderDeptId, seal.kind)] } } });
  const flow = flows.find((f) => f.sealId === seal.id) ?? flows.find((f) => f.sealId === null);
  if (!flow) return null;
  const version = await tx.approvalFlowVersion.findUniqueOrThrow({ where: { flowId_number: { flowId: flow.id, number: flow.currentVersion } } });
  return { flow, version, steps: flowSteps.parse(version.steps) };
}

/** Checks every named approver now, so a flow never names someone who could not act. */
async function checkApprovers(tx: Tx, steps: FlowStep[], dept: { id: string; path: string }) {
  const userIds = [...new Set(steps.flatMap((s) => s.approvers.flatMap((a) => (a.type === "USER" ? [a.userId] : []))))];
  const deptIds = [...new Set(steps.flatMap((s) => s.approvers.flatMap((a) => (a.type === "ROLE" ? [a.departmentId] : []))))];
  const users = new Map((await tx.user.findMany({ where: { id: { in: userIds } }, select: USER_FOR_CHECK })).map((u) => [u.id, u]));
  const depts = new Map((await tx.department.findMany({ where: { id: { in: deptIds } }, select: { id: true, name: true, status: true } })).map((d) => [d.id, d]));
  const errors: Record<string, string> = {};
  steps.forEach((s, i) => {
    s.approvers.forEach((a, j) => {
      const at = `steps.${i}.approvers.${j}`;
      if (a.type === "USER") {
        const u = users.get(a.userId);
        if (!u) errors[at] = "审批人不存在";
        else if (!mayApprove(u, dept)) errors[at] = `${u.name} 不是本部门范围内有效的用印审批人`;
      } else {
        const d = depts.get(a.departmentId);
        if (!d || d.status !== "ACTIVE") errors[at] = "部门不存在或已停用";
      }
    });
    const ids = s.approvers.map((a) => (a.type === "USER" ? a.userId : `${a.role}@${a.departmentId}`));
    if (new Set(ids).size !== ids.length) errors[`steps.${i}.approvers`] = "同一环节中审批人重复";
    s.approvers.forEach((a, j) => {
      if (a.type === "USER" && steps.slice(0, i).some((p) => p.approvers.some((b) => b.type === "USER" && b.userId === a.userId)))
        errors[`steps.${i}.approvers.${j}`] ??= "同一人员不能在两个审批环节中审批";
    });
  });
  if (Object.keys(errors).length) throw new AppError("INVALID_INPUT", "审批流程中有无效的审批人", errors);
}

export async function saveFlow(actor: Actor, input: FlowSaveInput) {
  return withTx(async (tx) => {
    const dept = await tx.department.findUnique({ where: { id: input.holderDeptId }, select: { id: true, path: true, name: true } });
    if (!dept) throw new AppError("NOT_FOUND", "部门不存在或不在您的管辖范围内");
    requirePermission(actor, "seal.flow", dept);
    // S-10 separation of duties: whoever applies to use seals does not shape their approval
    if (hasPermission(actor, "seal.apply")) throw new AppError("FORBIDDEN", "用印申请人不能配置用印审批流程（职责分离），请由印章管理员配置");
    let scopeKey: string;
    let sealKind: SealKind | null = null;
    if (input.sealId) {
      const seal = await tx.seal.findUnique({ where: { id: input.sealId }, select: { id: true, holderDeptId: true, status: true } });
      if (!seal || seal.holderDeptId !== dept.id) throw new AppError("NOT_FOUND", "印章不存在或不属于该部门", { sealId: "印章不属于该部门" });
      if (seal.status === "CANCELLED" || seal.status === "REJECTED") throw new AppError("CONFLICT", "印章已注销，不能设置审批流程");
      scopeKey = sealFlowKey(seal.id);
    } else {
      sealKind = input.sealKind!;
      scopeKey = deptFlowKey(dept.id, sealKind);
    }
    await checkApprovers(tx, input.steps, dept);

    const existing = await tx.approvalFlow.findUnique({ where: { scopeKey } });
    const current = existing?.currentVersion ?? 0;
    if (current !== input.baseVersion) throw new AppError("CONFLICT", `该流程已被他人修改（当前第 ${current} 版），请刷新后再编辑`);
    const next = current + 1;
    let flowId: string;
    if (existing) {
      const r = await tx.approvalFlow.updateMany({ where: { id: existing.id, currentVersion: current }, data: { currentVersion: next, name: input.name } });
      if (r.count !== 1) throw new AppError("CONFLICT", "该流程已被他人修改，请刷新后再编辑");
      flowId = existing.id;
    } else {
      // ON CONFLICT DO NOTHING: of two first saves at once, the second sees no row and gets a conflict
      const made = await tx.approvalFlow.createManyAndReturn({ data: [{ scopeKey, holderDeptId: dept.id, sealKind, sealId: input.sealId, name: input.name, currentVersion: next }], skipDuplicates: true });
      if (made.length !== 1) throw new AppError("CONFLICT", "该流程刚被他人创建，请刷新后再编辑");
      flowId = made[0].id;
    }
    const a = auditActorOf(actor);
    await tx.approvalFlowVersion.create({ data: { flowId, number: next, steps: input.steps, note: input.note || null, createdById: actor.userId, createdByName: a.name } });
    await appendAudit(tx, a, { action: "seal_use.flow", scopeKey, version: next, steps: input.steps.map((s) => `${s.name}(${s.mode === "ANY" ? "或签" : "会签"}×${s.approvers.length})`) }, { type: "ApprovalFlow", id: flowId });
    return { id: flowId, version: next };
  });
}

export type FlowListRow = { id: string; name: string; deptName: string; deptId: string; target: string; version: number; updatedAt: string; stepCount: number };

/** Flows of the departments the actor manages seals for. */
export async function listFlows(actor: Actor): Promise<FlowListRow[]> {
  requirePermission(actor, "seal.flow");
  const flows = await db().approvalFlow.findMany({
    where: { holderDept: departmentWhere(actor, "seal.flow") },
    include: { holderDept: { select: { name: true } }, seal: { select: { name: true, esId: true, kind: true } }, versions: { orderBy: { number: "desc" }, take: 1 } },
    orderBy: [{ holderDeptId: "asc" }, { sealKind: "asc" }, { createdAt: "asc" }],
  });
  return flows.map((f) => ({
    id: f.id,
    name: f.name,
    deptName: f.holderDept.name,
    deptId: f.holderDeptId,
    target: f.seal ? `印章：${f.seal.name}（${f.seal.esId ?? "未赋码"}）` : `默认：${SEAL_KIND_LABELS[f.sealKind!]}`,
    version: f.currentVersion,
    updatedAt: f.updatedAt.toISOString(),
    stepCount: Array.isArray(f.versions[0]?.steps) ? (f.versions[0].steps as unknown[]).length : 0,
  }));
}

/** A flow with all its versions, and the names behind the approver references. */
export async function flowDetail(actor: Actor, id: string) {
  const f = await db().approvalFlow.findUnique({
    where: { id },
    include: { holderDept: { select: { id: true, path: true, name: true } }, seal: { select: { id: true, name: true, esId: true, useMode: true } }, versions: { orderBy: { number: "desc" } } },
  });
  if (!f) throw new AppError("NOT_FOUND", "流程不存在或不在您的管辖范围内");
  requirePermission(actor, "seal.flow", f.holderDept);
  const versions = f.versions.map((v) => ({ number: v.number, note: v.note, createdByName: v.createdByName, createdAt: v.createdAt.toISOString(), steps: flowSteps.parse(v.steps) }));
  return { flow: f, versions, names: await approverNames(versions.flatMap((v) => v.steps)) };
}

/** Display names for approver references: users by id, "role@dept" by department. */
export async function approverNames(steps: FlowStep[]): Promise<Record<string, string>> {
  const userIds = [...new Set(steps.flatMap((s) => s.approvers.flatMap((a) => (a.type === "USER" ? [a.userId] : []))))];
  const deptIds = [...new Set(steps.flatMap((s) => s.approvers.flatMap((a) => (a.type === "ROLE" ? [a.departmentId] : []))))];
  const [users, depts] = await Promise.all([
    db().user.findMany({ where: { id: { in: userIds } }, select: { id: true, name: true, username: true } }),
    db().department.findMany({ where: { id: { in: deptIds } }, select: { id: true, name: true } }),
  ]);
  return Object.fromEntries([...users.map((u) => [u.id, `${u.name}（${u.username}）`]), ...depts.map((d) => [d.id, d.name])]);
}

/** People who could be named as approvers for seals of `deptId` (active, seal.approve in scope). */
export async function approverCandidates(actor: Actor, deptId: string) {
  const dept = await db().department.findUnique({ where: { id: deptId }, select: { id: true, path: true } });
  if (!dept) throw new AppError("NOT_FOUND", "部门不存在或不在您的管辖范围内");
  requirePermission(actor, "seal.flow", dept);
  const users = await db().user.findMany({
    where: { status: "ACTIVE", roles: { some: { role: "SEAL_APPROVER" } } },
    select: { ...USER_FOR_CHECK, username: true, department: { select: { path: true, name: true } } },
    orderBy: { username: "asc" },
    take: 500,
  });
  return users.filter((u) => mayApprove(u, dept)).map((u) => ({ id: u.id, label: `${u.name}（${u.username}，${u.department.name}）` }));
}

export type FlowTargets = {
  /** seals of the department that may carry their own flow (active or produced) */
  seals: { id: string; label: string; useMode: "CENTRALISED" | "DISTRIBUTED"; flowId: string | null }[];
  /** the department's existing default flows, by seal kind */
  defaultFlows: Partial<Record<SealKind, string>>;
  candidates: { id: string; label: string }[];
  /** departments whose 用印审批人 may be named as a role: the department, its ancestors, and where candidates sit */
  roleDepts: { id: string; name: string }[];
};

/** What the flow editor offers for seals of `deptId`. */
export async function flowTargets(actor: Actor, deptId: string): Promise<FlowTargets> {
  const dept = await db().department.findUnique({ where: { id: deptId }, select: { id: true, path: true } });
  if (!dept) throw new AppError("NOT_FOUND", "部门不存在或不在您的管辖范围内");
  requirePermission(actor, "seal.flow", dept);
  const [seals, flows, candidates] = await Promise.all([
    db().seal.findMany({
      where: { holderDeptId: dept.id, status: { in: ["ACTIVE", "PRODUCED"] } },
      select: { id: true, name: true, esId: true, kind: true, useMode: true, flow: { select: { id: true } } },
      orderBy: [{ name: "asc" }, { id: "asc" }],
    }),
    db().approvalFlow.findMany({ where: { holderDeptId: dept.id, sealId: null }, select: { id: true, sealKind: true } }),
    approverCandidates(actor, dept.id),
  ]);
  const candidateDepts = await db().user.findMany({ where: { id: { in: candidates.map((c) => c.id) } }, select: { departmentId: true }, distinct: ["departmentId"] });
  const roleDeptIds = [...new Set([...dept.path.split("/").filter(Boolean), dept.id, ...candidateDepts.map((u) => u.departmentId)])];
  const roleDepts = await db().department.findMany({ where: { id: { in: roleDeptIds }, status: "ACTIVE" }, select: { id: true, name: true }, orderBy: [{ path: "asc" }] });
  return {
    seals: seals.map((s) => ({ id: s.id, label: `${s.name}（${s.esId ?? "未赋码"}，${SEAL_KIND_LABELS[s.kind]}）`, useMode: s.useMode, flowId: s.flow?.id ?? null })),
    defaultFlows: Object.fromEntries(flows.flatMap((f) => (f.sealKind ? [[f.sealKind, f.id]] : []))),
    candidates,
    roleDepts,
  };
}
