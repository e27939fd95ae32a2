import "server-only";
import { withTx, type Tx, Prisma } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { appendAudit } from "@/lib/audit/log";
import { diff } from "@/lib/audit/events";
import { auditActorOf, type Actor } from "@/lib/auth/session";
import { requirePermission, type Permission } from "@/lib/auth/permissions";
import { t } from "@/lib/i18n/zh-CN";
import type { DepartmentCreateInput, DepartmentUpdateInput } from "@/lib/departments/schema";

const LEVEL_RANK = { PROVINCE: 0, CITY: 1, COUNTY: 2 } as const;

/** Loads a department the actor may act on under `perm`; anything out of scope is "not found". */
export async function deptInScope(tx: Tx, actor: Actor, perm: Permission, id: string) {
  const d = await tx.department.findUnique({ where: { id } });
  if (!d) throw new AppError("NOT_FOUND", t.errors.notFound);
  requirePermission(actor, perm, d);
  return d;
}

function uniqueViolation(e: unknown): boolean {
  return e instanceof Prisma.PrismaClientKnownRequestError && e.code === "P2002";
}

function checkLevel(parentLevel: keyof typeof LEVEL_RANK | null, level: keyof typeof LEVEL_RANK) {
  if (parentLevel && LEVEL_RANK[level] < LEVEL_RANK[parentLevel])
    throw new AppError("INVALID_INPUT", "下级部门的层级不能高于上级", { level: "层级不能高于上级部门" });
}

export async function createDepartment(actor: Actor, input: DepartmentCreateInput) {
  try {
    return await withTx(async (tx) => {
      let parent: { id: string; path: string; level: keyof typeof LEVEL_RANK; status: string } | null = null;
      if (input.parentId) parent = await deptInScope(tx, actor, "dept.manage", input.parentId);
      else requirePermission(actor, "dept.manage", { id: "", path: "/" }); // a new root needs province scope
      if (parent && parent.status !== "ACTIVE") throw new AppError("CONFLICT", "上级部门已停用", { parentId: "上级部门已停用" });
      checkLevel(parent?.level ?? null, input.level);
      const id = crypto.randomUUID();
      const { staff, parentId, ...rest } = input;
      const d = await tx.department.create({
        data: { id, parentId, path: `${parent?.path ?? "/"}${id}/`, ...rest, staff: { create: staff.map((s) => ({ ...s, phone: s.phone || null })) } },
      });
      await appendAudit(tx, auditActorOf(actor), { action: "dept.create", name: d.name, uscc: d.uscc, parentId }, { type: "Department", id });
      return { id };
    });
  } catch (e) {
    if (uniqueViolation(e)) throw new AppError("CONFLICT", "统一社会信用代码已被其他部门使用", { uscc: "该统一社会信用代码已存在" });
    throw e;
  }
}

export async function updateDepartment(actor: Actor, input: DepartmentUpdateInput) {
  try {
    return await withTx(async (tx) => {
      const before = await deptInScope(tx, actor, "dept.manage", input.id);
      const parent = before.parentId ? await tx.department.findUnique({ where: { id: before.parentId } }) : null;
      checkLevel(parent?.level ?? null, input.level);
      const { id, staff, ...data } = input;
      const changes = diff(before as unknown as Record<string, unknown>, data);
      const oldStaff = await tx.departmentStaff.findMany({ where: { departmentId: id }, orderBy: { createdAt: "asc" } });
      const staffKey = (s: { name: string; duty: string; phone: string | null }) => `${s.name}|${s.duty}|${s.phone ?? ""}`;
      if (oldStaff.map(staffKey).join(";") !== staff.map((s) => staffKey(s)).join(";")) {
        changes.staff = { from: oldStaff.map(staffKey), to: staff.map((s) => staffKey(s)) };
        await tx.departmentStaff.deleteMany({ where: { departmentId: id } });
        await tx.departmentStaff.createMany({ data: staff.map((s) => ({ ...s, phone: s.phone || null, departmentId: id })) });
      }
      await tx.department.update({ where: { id }, data });
      if (Object.keys(changes).length)
        await appendAudit(tx, auditActorOf(actor), { action: "dept.update", changes }, { type: "Department", id });
      return { id };
    });
  } catch (e) {
    if (uniqueViolation(e)) throw new AppError("CONFLICT", "统一社会信用代码已被其他部门使用", { uscc: "该统一社会信用代码已存在" });
    throw e;
  }
}

export async function moveDepartment(actor: Actor, input: { id: string; parentId: string }) {
  return withTx(async (tx) => {
    const d = await deptInScope(tx, actor, "dept.manage", input.id);
    const parent = await deptInScope(tx, actor, "dept.manage", input.parentId);
    if (parent.path.startsWith(d.path)) throw new AppError("INVALID_INPUT", "不能移动到自身或其下级部门之下", { parentId: "不能移动到自身或其下级之下" });
    checkLevel(parent.level, d.level);
    const newPath = `${parent.path}${d.id}/`;
    // The whole subtree's materialised paths move with it, in the same transaction.
    await tx.$executeRaw`UPDATE "Department" SET "path" = ${newPath} || substr("path", ${d.path.length + 1}), "updatedAt" = now() WHERE "path" LIKE ${d.path + "%"}`;
    await tx.department.update({ where: { id: d.id }, data: { parentId: parent.id } });
    await appendAudit(tx, auditActorOf(actor), { action: "dept.move", from: d.parentId, to: parent.id }, { type: "Department", id: d.id });
    return { id: d.id };
  });
}

export async function setDepartmentStatus(actor: Actor, input: { id: string; status: "ACTIVE" | "DISABLED" }) {
  return withTx(async (tx) => {
    const d = await deptInScope(tx, actor, "dept.manage", input.id);
    if (d.status === input.status) return { id: d.id };
    if (input.status === "DISABLED") {
      const activeChildren = await tx.department.count({ where: { parentId: d.id, status: "ACTIVE" } });
      if (activeChildren) throw new AppError("CONFLICT", "请先停用全部下级部门");
      const activeUsers = await tx.user.count({ where: { departmentId: d.id, status: "ACTIVE" } });
      if (activeUsers) throw new AppError("CONFLICT", `该部门还有 ${activeUsers} 名正常状态的用户，请先停用或调出`);
    } else if (d.parentId) {
      const p = await tx.department.findUnique({ where: { id: d.parentId } });
      if (p?.status !== "ACTIVE") throw new AppError("CONFLICT", "上级部门已停用，请先启用上级部门");
    }
    const r = await tx.department.updateMany({ where: { id: d.id, status: d.status }, data: { status: input.status } });
    if (r.count !== 1) throw new AppError("CONFLICT", t.errors.conflict);
    await appendAudit(tx, auditActorOf(actor), { action: "dept.status", status: input.status }, { type: "Department", id: d.id });
    return { id: d.id };
  });
}
