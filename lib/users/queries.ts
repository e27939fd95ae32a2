import "server-only";
import { z } from "zod";
import { db } from "@/lib/db";
import { departmentWhere, requirePermission, ROLES } from "@/lib/auth/permissions";
import type { Actor } from "@/lib/auth/session";
import { pageQuery, sortKey, type Paged } from "@/lib/pagination";
import { sessionHandle } from "@/lib/auth/session-handle";

export const userFilter = pageQuery.extend({
  q: z.string().trim().max(50).optional().catch(undefined),
  dept: z.string().uuid().optional().catch(undefined),
  status: z.enum(["ACTIVE", "DISABLED"]).optional().catch(undefined),
  role: z.enum(ROLES).optional().catch(undefined),
});
export type UserFilter = z.infer<typeof userFilter>;

export type UserRow = {
  id: string;
  username: string;
  name: string;
  departmentId: string;
  departmentName: string;
  phone: string;
  email: string;
  status: "ACTIVE" | "DISABLED";
  roles: { role: string; scope: string }[];
  mustChangePassword: boolean;
  createdAt: string;
  liveSessions: number;
  locked: boolean;
};

const SORTS = ["username", "name", "createdAt", "status"] as const;

export async function listUsers(actor: Actor, f: UserFilter, perm: "user.read" | "role.read" = "user.read"): Promise<Paged<UserRow>> {
  requirePermission(actor, perm);
  let deptFilter = {};
  if (f.dept) {
    const d = await db().department.findUnique({ where: { id: f.dept }, select: { path: true } });
    deptFilter = { path: { startsWith: d?.path ?? "/none/" } };
  }
  const where = {
    department: { AND: [departmentWhere(actor, perm), deptFilter] },
    ...(f.q ? { OR: [{ username: { contains: f.q, mode: "insensitive" as const } }, { name: { contains: f.q } }] } : {}),
    ...(f.status ? { status: f.status } : {}),
    ...(f.role ? { roles: { some: { role: f.role } } } : {}),
  };
  const key = sortKey(f.sort, SORTS, "username");
  const now = new Date();
  const [total, rows] = await Promise.all([
    db().user.count({ where }),
    db().user.findMany({
      where,
      orderBy: [{ [key]: f.dir }, { id: "asc" }],
      skip: (f.page - 1) * f.pageSize,
      take: f.pageSize,
      include: { department: { select: { name: true } }, roles: true, _count: { select: { sessions: { where: { endedAt: null, expiresAt: { gt: now } } } } } },
    }),
  ]);
  const locks = await db().loginLock.findMany({ where: { key: { in: rows.map((r) => `user:${r.username}`) }, lockedUntil: { gt: now } } });
  const lockedKeys = new Set(locks.filter((l) => !l.unlockedAt || l.unlockedAt < l.lockedAt).map((l) => l.key));
  return {
    total,
    page: f.page,
    pageSize: f.pageSize,
    rows: rows.map((u) => ({
      id: u.id,
      username: u.username,
      name: u.name,
      departmentId: u.departmentId,
      departmentName: u.department.name,
      phone: u.phone ?? "",
      email: u.email ?? "",
      status: u.status,
      roles: u.roles.map((r) => ({ role: r.role, scope: r.scope })),
      mustChangePassword: u.mustChangePassword,
      createdAt: u.createdAt.toISOString(),
      liveSessions: u._count.sessions,
      locked: lockedKeys.has(`user:${u.username}`),
    })),
  };
}

export const sessionFilter = pageQuery.extend({ q: z.string().trim().max(50).optional().catch(undefined) });

export async function listOnlineSessions(actor: Actor, f: z.infer<typeof sessionFilter>) {
  requirePermission(actor, "session.read");
  const policy = await db().securityPolicy.findUniqueOrThrow({ where: { id: 1 } });
  const now = new Date();
  const where = {
    endedAt: null,
    expiresAt: { gt: now },
    lastSeenAt: { gt: new Date(now.getTime() - policy.idleTimeoutMinutes * 60_000) },
    user: {
      department: departmentWhere(actor, "session.read"),
      ...(f.q ? { OR: [{ username: { contains: f.q } }, { name: { contains: f.q } }] } : {}),
    },
  };
  const [total, rows] = await Promise.all([
    db().userSession.count({ where }),
    db().userSession.findMany({
      where,
      orderBy: [{ lastSeenAt: "desc" }, { id: "asc" }],
      skip: (f.page - 1) * f.pageSize,
      take: f.pageSize,
      include: { user: { include: { department: { select: { name: true } } } } },
    }),
  ]);
  return {
    total,
    page: f.page,
    pageSize: f.pageSize,
    rows: rows.map((s) => ({
      handle: sessionHandle(s.id),
      short: s.id.slice(0, 12),
      username: s.user.username,
      name: s.user.name,
      departmentName: s.user.department.name,
      ip: s.ip ?? "",
      userAgent: s.userAgent ?? "",
      createdAt: s.createdAt.toISOString(),
      lastSeenAt: s.lastSeenAt.toISOString(),
      current: s.id === actor.sessionId,
    })),
  };
}

export const loginLogFilter = pageQuery.extend({
  q: z.string().trim().max(100).optional().catch(undefined),
  result: z.enum(["SUCCESS", "BAD_CREDENTIALS", "LOCKED", "IP_BLOCKED", "DISABLED", "INVALID_INPUT"]).optional().catch(undefined),
});

export async function listLoginAttempts(actor: Actor, f: z.infer<typeof loginLogFilter>) {
  requirePermission(actor, "loginlog.read");
  const where = {
    ...(f.q ? { OR: [{ username: { contains: f.q } }, { ip: { contains: f.q } }] } : {}),
    ...(f.result ? { result: f.result } : {}),
  };
  const [total, rows] = await Promise.all([
    db().loginAttempt.count({ where }),
    db().loginAttempt.findMany({ where, orderBy: [{ createdAt: "desc" }, { id: "desc" }], skip: (f.page - 1) * f.pageSize, take: f.pageSize }),
  ]);
  return {
    total,
    page: f.page,
    pageSize: f.pageSize,
    rows: rows.map((r) => ({ id: r.id.toString(), username: r.username, result: r.result, ip: r.ip ?? "", userAgent: r.userAgent ?? "", createdAt: r.createdAt.toISOString() })),
  };
}
