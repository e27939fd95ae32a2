// Sign-in with lockout (等保三级): failures are counted in PostgreSQL per user name (existing or
// not, so the answer never tells which names exist) and per address.
import "server-only";
import { randomBytes } from "node:crypto";
import { z } from "zod";
import { db, withTx, type Tx } from "@/lib/db";
import { appendAudit, type AuditActor } from "@/lib/audit/log";
import { getPolicy, type SecurityPolicyValues } from "@/lib/security/policy";
import { burnVerify, verifyPassword } from "@/lib/auth/passwords";
import { t } from "@/lib/i18n/zh-CN";
import { cut } from "@/lib/text";

export const credentialsSchema = z.object({
  username: z.string().trim().toLowerCase().min(1).max(50).regex(/^[^\u0000-\u001f\u007f\uD800-\uDFFF]+$/),
  password: z.string().min(1).max(128),
});

export type SignInFailure = "BAD_CREDENTIALS" | "LOCKED" | "IP_BLOCKED" | "DISABLED" | "INVALID_INPUT";
export type SignInResult = { ok: true; userId: string; sessionId: string } | { ok: false; code: SignInFailure };

type Ctx = { ip: string | null; userAgent: string | null };

export const userLockKey = (username: string) => `user:${username}`;
export const ipLockKey = (ip: string) => `ip:${ip}`;

async function activeLock(tx: Tx, key: string, now: Date) {
  const l = await tx.loginLock.findUnique({ where: { key } });
  if (!l) return null;
  if (l.unlockedAt && l.unlockedAt >= l.lockedAt) return null;
  return l.lockedUntil > now ? l : null;
}

async function failuresSince(tx: Tx, where: { username: string } | { ip: string }, key: string, policy: SecurityPolicyValues, now: Date) {
  let since = new Date(now.getTime() - policy.lockoutWindowMinutes * 60_000);
  // A success resets the per-name count only: signing in to one's own account from an address
  // must not wipe that address's failures against other names.
  const lastOk =
    "username" in where
      ? await tx.loginAttempt.findFirst({ where: { ...where, result: "SUCCESS" }, orderBy: { createdAt: "desc" }, select: { createdAt: true } })
      : null;
  const lock = await tx.loginLock.findUnique({ where: { key } });
  for (const d of [lastOk?.createdAt, lock?.unlockedAt, lock && lock.lockedUntil <= now ? lock.lockedUntil : undefined]) {
    if (d && d > since) since = d;
  }
  return tx.loginAttempt.count({ where: { ...where, result: "BAD_CREDENTIALS", createdAt: { gt: since } } });
}

function anonymousActor(username: string, userId: string | null, ctx: Ctx): AuditActor {
  return { id: userId, name: username, role: "-", dept: "-", ip: ctx.ip, userAgent: ctx.userAgent };
}

export async function signIn(input: unknown, ctx: Ctx, now = new Date()): Promise<SignInResult> {
  const parsed = credentialsSchema.safeParse(input);
  const policy = await getPolicy();
  if (!parsed.success) {
    const name = typeof (input as { username?: unknown })?.username === "string" ? cut((input as { username: string }).username.replace(/[\u0000-\u001f\u007f\uD800-\uDFFF]/g, ""), 100) : "";
    await db().loginAttempt.create({ data: { username: name, result: "INVALID_INPUT", ip: ctx.ip, userAgent: ctx.userAgent } });
    return { ok: false, code: "INVALID_INPUT" };
  }
  const { username, password } = parsed.data;
  const user = await db().user.findUnique({ where: { username }, omit: { passwordHash: false }, include: { department: true } });
  // The expensive hash check runs outside the transaction that holds the per-name lock.
  const passwordOk = user ? await verifyPassword(user.passwordHash, password) : (await burnVerify(password), false);

  return withTx(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${"login:" + username}))`;
    const actor = anonymousActor(username, user?.id ?? null, ctx);
    const attempt = (result: "SUCCESS" | SignInFailure) =>
      tx.loginAttempt.create({ data: { username, userId: user?.id ?? null, result, ip: ctx.ip, userAgent: ctx.userAgent, createdAt: now } });

    if (ctx.ip && (await activeLock(tx, ipLockKey(ctx.ip), now))) {
      await attempt("IP_BLOCKED");
      await appendAudit(tx, actor, { action: "auth.login_failed", username, reason: "IP_BLOCKED" }, { type: "User", id: user?.id });
      return { ok: false, code: "IP_BLOCKED" } as const;
    }
    if (await activeLock(tx, userLockKey(username), now)) {
      await attempt("LOCKED");
      await appendAudit(tx, actor, { action: "auth.login_failed", username, reason: "LOCKED" }, { type: "User", id: user?.id });
      return { ok: false, code: "LOCKED" } as const;
    }
    if (!user || !passwordOk) {
      await attempt("BAD_CREDENTIALS");
      await appendAudit(tx, actor, { action: "auth.login_failed", username, reason: "BAD_CREDENTIALS" }, { type: "User", id: user?.id });
      const until = new Date(now.getTime() + policy.lockoutMinutes * 60_000);
      const userFailures = await failuresSince(tx, { username }, userLockKey(username), policy, now);
      if (userFailures >= policy.lockoutThreshold) {
        await tx.loginLock.upsert({
          where: { key: userLockKey(username) },
          create: { key: userLockKey(username), lockedAt: now, lockedUntil: until },
          update: { lockedAt: now, lockedUntil: until, unlockedAt: null },
        });
        await appendAudit(tx, actor, { action: "auth.lockout", key: userLockKey(username), until: until.toISOString() }, { type: "User", id: user?.id });
        return { ok: false, code: "LOCKED" } as const;
      }
      if (ctx.ip && (await failuresSince(tx, { ip: ctx.ip }, ipLockKey(ctx.ip), policy, now)) >= policy.ipThreshold) {
        await tx.loginLock.upsert({
          where: { key: ipLockKey(ctx.ip) },
          create: { key: ipLockKey(ctx.ip), lockedAt: now, lockedUntil: until },
          update: { lockedAt: now, lockedUntil: until, unlockedAt: null },
        });
        await appendAudit(tx, actor, { action: "auth.lockout", key: ipLockKey(ctx.ip), until: until.toISOString() }, { type: "LoginLock", id: ipLockKey(ctx.ip) });
      }
      return { ok: false, code: "BAD_CREDENTIALS" } as const;
    }
    if (user.status !== "ACTIVE" || user.department.status !== "ACTIVE") {
      await attempt("DISABLED");
      await appendAudit(tx, actor, { action: "auth.login_failed", username, reason: "DISABLED" }, { type: "User", id: user.id });
      return { ok: false, code: "DISABLED" } as const;
    }
    const sessionId = randomBytes(32).toString("hex");
    await tx.userSession.create({
      data: {
        id: sessionId,
        userId: user.id,
        createdAt: now,
        lastSeenAt: now,
        expiresAt: new Date(now.getTime() + policy.absoluteLifetimeHours * 3_600_000),
        ip: ctx.ip,
        userAgent: ctx.userAgent,
      },
    });
    await attempt("SUCCESS");
    await appendAudit(
      tx,
      { ...actor, name: `${user.name}(${user.username})`, dept: user.department.name },
      { action: "auth.login", username, sessionId: sessionId.slice(0, 12) },
      { type: "User", id: user.id },
    );
    return { ok: true, userId: user.id, sessionId } as const;
  });
}

export const SIGN_IN_MESSAGES: Record<SignInFailure, string> = {
  BAD_CREDENTIALS: t.login.failed,
  LOCKED: t.login.locked,
  IP_BLOCKED: t.login.ipBlocked,
  DISABLED: t.login.disabled,
  INVALID_INPUT: t.login.required,
};

/** Ends sessions (logout, disable, admin action, password change) with their audit events. */
export async function endSessions(
  tx: Tx,
  where: { sessionId?: string; userId?: string; exceptSessionId?: string },
  reason: string,
  actor: AuditActor,
  now = new Date(),
): Promise<number> {
  if (!where.sessionId && !where.userId) throw new Error("endSessions needs a session or a user");
  const sessions = await tx.userSession.findMany({
    where: {
      endedAt: null,
      ...(where.sessionId ? { id: where.sessionId } : {}),
      ...(where.userId ? { userId: where.userId } : {}),
      ...(where.exceptSessionId ? { NOT: { id: where.exceptSessionId } } : {}),
    },
    select: { id: true, userId: true },
  });
  let n = 0;
  for (const s of sessions) {
    const r = await tx.userSession.updateMany({ where: { id: s.id, endedAt: null }, data: { endedAt: now, endReason: reason } });
    if (r.count === 0) continue;
    n++;
    await appendAudit(
      tx,
      actor,
      reason === "LOGOUT"
        ? { action: "auth.logout", sessionId: s.id.slice(0, 12) }
        : { action: "session.end", sessionId: s.id.slice(0, 12), userId: s.userId, reason },
      { type: "UserSession", id: s.id.slice(0, 12) },
    );
  }
  return n;
}
