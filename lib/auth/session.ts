// Every request (page, action, route handler) loads the session row named by the JWT's opaque
// session id and refuses it when ended, idle past the limit, or past its absolute lifetime.
// Roles are re-read from the database, never trusted from the token.
import "server-only";
import { cookies } from "next/headers";
import { decode } from "next-auth/jwt";
import { db, withTx } from "@/lib/db";
import { endSessions } from "@/lib/auth/login";
import { env } from "@/lib/env";
import { sessionCookieName } from "@/lib/auth/cookies";
import { getPolicy } from "@/lib/security/policy";
import { passwordExpired } from "@/lib/auth/password-policy";
import type { Principal } from "@/lib/auth/permissions";
import type { AuditActor } from "@/lib/audit/log";
import { requestInfo } from "@/lib/http/request";
import { t } from "@/lib/i18n/zh-CN";

export type Actor = Principal & {
  sessionId: string;
  username: string;
  name: string;
  departmentName: string;
  departmentLevel: "PROVINCE" | "CITY" | "COUNTY";
  mustChangePassword: null | "FIRST" | "EXPIRED";
  ip: string | null;
  userAgent: string | null;
};

const TOUCH_EVERY_MS = 30_000;

export async function sessionIdFromCookie(): Promise<string | null> {
  const jar = await cookies();
  const raw = jar.get(sessionCookieName())?.value;
  if (!raw) return null;
  try {
    const token = await decode({ token: raw, secret: env().NEXTAUTH_SECRET });
    return typeof token?.sid === "string" ? token.sid : null;
  } catch {
    return null;
  }
}

/** Ends sessions that ran out; returns whether the session is still usable. */
export async function loadActorBySession(sessionId: string, now = new Date()): Promise<Actor | null> {
  const s = await db().userSession.findUnique({
    where: { id: sessionId },
    include: { user: { include: { department: true, roles: true } } },
  });
  if (!s || s.endedAt) return null;
  const policy = await getPolicy();
  const idleLimit = policy.idleTimeoutMinutes * 60_000;
  let ended: string | null = null;
  if (now > s.expiresAt) ended = "ABSOLUTE_TIMEOUT";
  else if (now.getTime() - s.lastSeenAt.getTime() > idleLimit) ended = "IDLE_TIMEOUT";
  else if (s.user.status !== "ACTIVE") ended = "USER_DISABLED";
  if (ended) {
    const reason = ended;
    await withTx((tx) =>
      endSessions(tx, { sessionId: s.id }, reason, {
        id: s.userId,
        name: `${s.user.name}(${s.user.username})`,
        role: "-",
        dept: s.user.department.name,
        ip: s.ip,
        userAgent: s.userAgent,
      }, now),
    );
    return null;
  }
  if (now.getTime() - s.lastSeenAt.getTime() > TOUCH_EVERY_MS) {
    await db().userSession.updateMany({ where: { id: s.id, endedAt: null }, data: { lastSeenAt: now } });
  }
  const u = s.user;
  const mustChange = u.mustChangePassword
    ? "FIRST"
    : passwordExpired(u.passwordChangedAt, policy.passwordExpiryDays, now)
      ? "EXPIRED"
      : null;
  const info = await requestInfo().catch(() => ({ ip: s.ip, userAgent: s.userAgent }));
  return actorOf(u, { sessionId: s.id, mustChangePassword: mustChange, ...info });
}

type UserWithScope = {
  id: string;
  username: string;
  name: string;
  departmentId: string;
  department: { path: string; name: string; level: "PROVINCE" | "CITY" | "COUNTY" };
  roles: { role: Actor["roles"][number]["role"]; scope: Actor["roles"][number]["scope"] }[];
};

/** The Actor for a user row (with department and roles): sessions here, system jobs and the demo seed. */
export function actorOf(
  u: UserWithScope,
  ctx: { sessionId: string; mustChangePassword: Actor["mustChangePassword"]; ip: string | null; userAgent: string | null },
): Actor {
  return {
    sessionId: ctx.sessionId,
    userId: u.id,
    username: u.username,
    name: u.name,
    departmentId: u.departmentId,
    departmentPath: u.department.path,
    departmentName: u.department.name,
    departmentLevel: u.department.level,
    roles: u.roles.map((r) => ({ role: r.role, scope: r.scope })),
    mustChangePassword: ctx.mustChangePassword,
    ip: ctx.ip,
    userAgent: ctx.userAgent,
  };
}

export async function currentActor(): Promise<Actor | null> {
  const sid = await sessionIdFromCookie();
  return sid ? loadActorBySession(sid) : null;
}

export function auditActorOf(a: Actor): AuditActor {
  return {
    id: a.userId,
    name: `${a.name}(${a.username})`,
    role: a.roles.map((r) => t.roles[r.role]).join("、") || "-",
    dept: a.departmentName,
    ip: a.ip,
    userAgent: a.userAgent,
  };
}
