import "server-only";
import { db, withTx, type Tx, Prisma } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { appendAudit } from "@/lib/audit/log";
import { diff } from "@/lib/audit/events";
import { auditActorOf, type Actor } from "@/lib/auth/session";
import { ADMIN_TRIAD, departmentWhere, requirePermission, type Permission, type RoleName } from "@/lib/auth/permissions";
import { sessionHandle } from "@/lib/auth/session-handle";
import { checkPasswordStrength } from "@/lib/auth/password-policy";
import { hashPassword, verifyPassword } from "@/lib/auth/passwords";
import { endSessions, userLockKey } from "@/lib/auth/login";
import { getPolicy } from "@/lib/security/policy";
import { deptInScope } from "@/lib/departments/service";
import { t } from "@/lib/i18n/zh-CN";
import type { PolicyInput, UserCreateInput, UserUpdateInput } from "@/lib/users/schema";

/** Loads a user whose department the actor may act on under `perm`; otherwise "not found". */
export async function userInScope(tx: Tx, actor: Actor, perm: Permission, id: string) {
  const u = await tx.user.findUnique({ where: { id }, include: { department: true, roles: true } });
  if (!u) throw new AppError("NOT_FOUND", t.errors.notFound);
  requirePermission(actor, perm, u.department);
  return u;
}

async function assertStrong(password: string, username: string, field = "password") {
  const policy = await getPolicy();
  const problems = checkPasswordStrength(password, username, { minLength: policy.passwordMinLength, historyCount: policy.passwordHistoryCount });
  if (problems.length) throw new AppError("INVALID_INPUT", problems[0], { [field]: problems.join("；") });
  return policy;
}

export async function createUser(actor: Actor, input: UserCreateInput) {
  await assertStrong(input.password, input.username);
  const passwordHash = await hashPassword(input.password);
  try {
    return await withTx(async (tx) => {
      const dept = await deptInScope(tx, actor, "user.manage", input.departmentId);
      if (dept.status !== "ACTIVE") throw new AppError("CONFLICT", "所选部门已停用", { departmentId: "所选部门已停用" });
      const u = await tx.user.create({
        data: {
          username: input.username,
          name: input.name,
          departmentId: dept.id,
          phone: input.phone || null,
          email: input.email || null,
          passwordHash,
          passwordChangedAt: new Date(),
          mustChangePassword: true,
          passwords: { create: { hash: passwordHash } },
        },
      });
      await appendAudit(tx, auditActorOf(actor), { action: "user.create", username: u.username, departmentId: dept.id }, { type: "User", id: u.id });
      return { id: u.id };
    });
  } catch (e) {
    if (e instanceof Prisma.PrismaClientKnownRequestError && e.code === "P2002")
      throw new AppError("CONFLICT", "用户名已存在", { username: "该用户名已被使用" });
    throw e;
  }
}

export async function updateUser(actor: Actor, input: UserUpdateInput) {
  return withTx(async (tx) => {
    const before = await userInScope(tx, actor, "user.manage", input.id);
    if (input.departmentId !== before.departmentId) {
      const dept = await deptInScope(tx, actor, "user.manage", input.departmentId);
      if (dept.status !== "ACTIVE") throw new AppError("CONFLICT", "所选部门已停用", { departmentId: "所选部门已停用" });
    }
    const data = { name: input.name, departmentId: input.departmentId, phone: input.phone || null, email: input.email || null };
    const changes = diff(before as unknown as Record<string, unknown>, data);
    if (!Object.keys(changes).length) return { id: before.id };
    await tx.user.update({ where: { id: before.id }, data });
    await appendAudit(tx, auditActorOf(actor), { action: "user.update", changes }, { type: "User", id: before.id });
    return { id: before.id };
  });
}

export async function setUserStatus(actor: Actor, input: { id: string; status: "ACTIVE" | "DISABLED" }) {
  return withTx(async (tx) => {
    const u = await userInScope(tx, actor, "user.manage", input.id);
    if (u.id === actor.userId) throw new AppError("CONFLICT", "不能停用自己的账户");
    if (u.status === input.status) return { id: u.id, sessionsEnded: 0 };
    const r = await tx.user.updateMany({ where: { id: u.id, status: u.status }, data: { status: input.status } });
    if (r.count !== 1) throw new AppError("CONFLICT", t.errors.conflict);
    // Disabling takes effect at once: every live session of the user ends in the same transaction.
    const ended = input.status === "DISABLED" ? await endSessions(tx, { userId: u.id }, "USER_DISABLED", auditActorOf(actor)) : 0;
    await appendAudit(tx, auditActorOf(actor), { action: "user.status", status: input.status, sessionsEnded: ended }, { type: "User", id: u.id });
    return { id: u.id, sessionsEnded: ended };
  });
}

export async function resetPassword(actor: Actor, input: { id: string; password: string }) {
  const target = await withTx((tx) => userInScope(tx, actor, "user.manage", input.id));
  await assertStrong(input.password, target.username);
  const passwordHash = await hashPassword(input.password);
  return withTx(async (tx) => {
    const u = await userInScope(tx, actor, "user.manage", input.id);
    await tx.user.update({ where: { id: u.id }, data: { passwordHash, passwordChangedAt: new Date(), mustChangePassword: true } });
    await tx.passwordHistory.create({ data: { userId: u.id, hash: passwordHash } });
    const ended = await endSessions(tx, { userId: u.id }, "PASSWORD_RESET", auditActorOf(actor));
    await appendAudit(tx, auditActorOf(actor), { action: "user.password_reset", sessionsEnded: ended }, { type: "User", id: u.id });
    return { id: u.id, sessionsEnded: ended };
  });
}

export async function endUserSessions(actor: Actor, input: { id: string }) {
  return withTx(async (tx) => {
    const u = await userInScope(tx, actor, "session.manage", input.id);
    const ended = await endSessions(tx, { userId: u.id }, "ADMIN_ENDED", auditActorOf(actor));
    return { id: u.id, sessionsEnded: ended };
  });
}

export async function endOneSession(actor: Actor, input: { handle: string }) {
  return withTx(async (tx) => {
    requirePermission(actor, "session.manage");
    const live = await tx.userSession.findMany({
      where: { endedAt: null, user: { department: departmentWhere(actor, "session.manage") } },
      include: { user: { include: { department: true } } },
    });
    const s = live.find((x) => sessionHandle(x.id) === input.handle);
    if (!s) throw new AppError("NOT_FOUND", t.errors.notFound);
    requirePermission(actor, "session.manage", s.user.department);
    const ended = await endSessions(tx, { sessionId: s.id }, "ADMIN_ENDED", auditActorOf(actor));
    return { sessionsEnded: ended };
  });
}

export async function unlockAccount(actor: Actor, input: { username: string }) {
  return withTx(async (tx) => {
    const u = await tx.user.findUnique({ where: { username: input.username }, include: { department: true } });
    if (!u) throw new AppError("NOT_FOUND", t.errors.notFound);
    requirePermission(actor, "session.manage", u.department);
    const r = await tx.loginLock.updateMany({ where: { key: userLockKey(u.username) }, data: { unlockedAt: new Date() } });
    if (r.count) await appendAudit(tx, auditActorOf(actor), { action: "auth.unlock", username: u.username }, { type: "User", id: u.id });
    return { unlocked: r.count > 0 };
  });
}

/** 三员分立 (P-04): no user holds two of the system, security and audit administrator roles. */
export async function grantRole(actor: Actor, input: { userId: string; role: RoleName; scope: "OWN" | "SUBTREE" | "PROVINCE" }) {
  return withTx(async (tx) => {
    const u = await userInScope(tx, actor, "role.grant", input.userId);
    if (u.id === actor.userId) throw new AppError("FORBIDDEN", "不能给自己授予角色");
    await tx.$queryRaw`SELECT 1 FROM "User" WHERE "id" = ${u.id}::uuid FOR UPDATE`;
    const held = (await tx.userRole.findMany({ where: { userId: u.id } })).map((r) => r.role);
    if (ADMIN_TRIAD.includes(input.role) && held.some((r) => ADMIN_TRIAD.includes(r) && r !== input.role))
      throw new AppError("CONFLICT", "三员分立：同一用户不能同时担任系统管理员、安全管理员、审计管理员中的两个", { role: "与该用户已有的管理员角色冲突" });
    if (input.scope === "PROVINCE" && u.department.level !== "PROVINCE")
      throw new AppError("INVALID_INPUT", "只有省级部门的用户可以授予全省范围", { scope: "该用户不在省级部门" });
    const existing = await tx.userRole.findUnique({ where: { userId_role: { userId: u.id, role: input.role } } });
    if (existing && existing.scope === input.scope) return { changed: false };
    if (existing) await tx.userRole.update({ where: { id: existing.id }, data: { scope: input.scope, grantedById: actor.userId, grantedAt: new Date() } });
    else await tx.userRole.create({ data: { userId: u.id, role: input.role, scope: input.scope, grantedById: actor.userId } });
    await appendAudit(tx, auditActorOf(actor), { action: "role.grant", userId: u.id, role: input.role, scope: input.scope }, { type: "User", id: u.id });
    return { changed: true };
  });
}

export async function revokeRole(actor: Actor, input: { userId: string; role: RoleName }) {
  return withTx(async (tx) => {
    const u = await userInScope(tx, actor, "role.grant", input.userId);
    if (u.id === actor.userId) throw new AppError("FORBIDDEN", "不能撤销自己的角色");
    const r = await tx.userRole.deleteMany({ where: { userId: u.id, role: input.role } });
    if (r.count) await appendAudit(tx, auditActorOf(actor), { action: "role.revoke", userId: u.id, role: input.role }, { type: "User", id: u.id });
    return { changed: r.count > 0 };
  });
}

/** Self-service: checks the current password, policy and history; ends the user's other sessions. */
export async function changeOwnPassword(actor: Actor, input: { current: string; next: string }) {
  const u = await db().user.findUniqueOrThrow({ where: { id: actor.userId }, omit: { passwordHash: false } });
  if (!(await verifyPassword(u.passwordHash, input.current))) throw new AppError("INVALID_INPUT", t.password.currentWrong, { current: t.password.currentWrong });
  const policy = await assertStrong(input.next, u.username, "next");
  const recent = await db().passwordHistory.findMany({ where: { userId: u.id }, orderBy: { createdAt: "desc" }, take: policy.passwordHistoryCount, omit: { hash: false } });
  for (const h of [u.passwordHash, ...recent.map((r) => r.hash)]) {
    if (await verifyPassword(h, input.next)) throw new AppError("INVALID_INPUT", t.password.reused(policy.passwordHistoryCount), { next: t.password.reused(policy.passwordHistoryCount) });
  }
  const passwordHash = await hashPassword(input.next);
  return withTx(async (tx) => {
    const r = await tx.user.updateMany({ where: { id: u.id, passwordHash: u.passwordHash }, data: { passwordHash, passwordChangedAt: new Date(), mustChangePassword: false } });
    if (r.count !== 1) throw new AppError("CONFLICT", t.errors.conflict);
    await tx.passwordHistory.create({ data: { userId: u.id, hash: passwordHash } });
    const ended = await endSessions(tx, { userId: u.id, exceptSessionId: actor.sessionId }, "PASSWORD_CHANGED", auditActorOf(actor));
    await appendAudit(tx, auditActorOf(actor), { action: "user.password_change", sessionsEnded: ended }, { type: "User", id: u.id });
    return { sessionsEnded: ended };
  });
}

export async function updatePolicy(actor: Actor, input: PolicyInput) {
  return withTx(async (tx) => {
    requirePermission(actor, "security.policy");
    const before = await tx.securityPolicy.findUniqueOrThrow({ where: { id: 1 } });
    const changes = diff(before as unknown as Record<string, unknown>, input);
    if (!Object.keys(changes).length) return { changed: false };
    await tx.securityPolicy.update({ where: { id: 1 }, data: { ...input, updatedAt: new Date() } });
    await appendAudit(tx, auditActorOf(actor), { action: "policy.update", changes }, { type: "SecurityPolicy", id: "1" });
    return { changed: true };
  });
}
