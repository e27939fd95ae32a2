// Every request loads the UserSession row named by the JWT and refuses it when ended, idle past
// the limit, past its absolute lifetime, or when the user is disabled (SECURITY.md, issue 2).
import { encode } from "next-auth/jwt";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { db, withTx } from "@/lib/db";
import { env } from "@/lib/env";
import { endSessions, signIn } from "@/lib/auth/login";
import { currentActor, loadActorBySession } from "@/lib/auth/session";
import { createSession, createUser, testActor, testIp } from "../helpers/factory";

// next/headers only works inside a Next request; these tests supply the request's headers and cookies.
const request = vi.hoisted(() => ({ cookies: new Map<string, string>() }));
vi.mock("next/headers", () => ({
  headers: () => Promise.resolve(new Headers({ "user-agent": "vitest-browser/1.0", "x-forwarded-for": "203.0.113.7, 10.0.0.1" })),
  cookies: () =>
    Promise.resolve({
      get: (name: string) => (request.cookies.has(name) ? { name, value: request.cookies.get(name)! } : undefined),
    }),
}));
beforeEach(() => request.cookies.clear());

const MIN = 60_000;
const sessionRow = (id: string) => db().userSession.findUniqueOrThrow({ where: { id } });

describe("loadActorBySession", () => {
  it("loads a live session with the user's roles, department and the request's address", async () => {
    const user = await createUser({ name: "会话测试", roles: [{ role: "ISSUER_OPERATOR", scope: "OWN" }, { role: "SUPERVISOR", scope: "SUBTREE" }] });
    const t0 = new Date(Date.now() - 10 * MIN);
    const s = await createSession(user.id, { createdAt: t0 });
    const now = new Date(t0.getTime() + 10 * MIN);

    const actor = await loadActorBySession(s.id, now);
    expect(actor).toEqual({
      sessionId: s.id,
      userId: user.id,
      username: user.username,
      name: "会话测试",
      departmentId: user.department.id,
      departmentPath: user.department.path,
      departmentName: user.department.name,
      departmentLevel: user.department.level,
      roles: expect.arrayContaining([{ role: "ISSUER_OPERATOR", scope: "OWN" }, { role: "SUPERVISOR", scope: "SUBTREE" }]),
      mustChangePassword: null,
      ip: "10.0.0.1", // the entry the nearest proxy added; the leftmost is whatever the client claimed
      userAgent: "vitest-browser/1.0",
    });
    expect(actor!.roles).toHaveLength(2);
    // Activity moves the idle clock.
    expect((await sessionRow(s.id)).lastSeenAt).toEqual(now);
  });

  it("touches lastSeenAt at most every 30 seconds", async () => {
    const user = await createUser();
    const t0 = new Date();
    const s = await createSession(user.id, { createdAt: t0 });
    expect(await loadActorBySession(s.id, new Date(t0.getTime() + 20_000))).not.toBeNull();
    expect((await sessionRow(s.id)).lastSeenAt).toEqual(t0);
    expect(await loadActorBySession(s.id, new Date(t0.getTime() + 31_000))).not.toBeNull();
    expect((await sessionRow(s.id)).lastSeenAt).toEqual(new Date(t0.getTime() + 31_000));
  });

  it("ends a session idle for 31 minutes (IDLE_TIMEOUT), for good", async () => {
    const user = await createUser();
    const t0 = new Date();
    const s = await createSession(user.id, { createdAt: t0 });
    expect(await loadActorBySession(s.id, new Date(t0.getTime() + 29 * MIN))).not.toBeNull();

    const idleAt = new Date(t0.getTime() + 29 * MIN + 31 * MIN);
    expect(await loadActorBySession(s.id, idleAt)).toBeNull();
    expect(await sessionRow(s.id)).toMatchObject({ endedAt: idleAt, endReason: "IDLE_TIMEOUT" });

    // A later request with the same id stays refused and does not rewrite the ending.
    expect(await loadActorBySession(s.id, new Date(idleAt.getTime() + 1000))).toBeNull();
    expect(await sessionRow(s.id)).toMatchObject({ endedAt: idleAt, endReason: "IDLE_TIMEOUT" });
  });

  it("ends a session past its absolute lifetime even when active (ABSOLUTE_TIMEOUT)", async () => {
    const user = await createUser();
    const now = new Date();
    const s = await createSession(user.id, {
      createdAt: new Date(now.getTime() - 13 * 60 * MIN),
      lastSeenAt: new Date(now.getTime() - MIN),
      expiresAt: new Date(now.getTime() - 60 * MIN),
    });
    expect(await loadActorBySession(s.id, now)).toBeNull();
    expect(await sessionRow(s.id)).toMatchObject({ endedAt: now, endReason: "ABSOLUTE_TIMEOUT" });
  });

  it("gives signIn's sessions a 12-hour absolute lifetime", async () => {
    const user = await createUser();
    const t0 = new Date();
    const r = await signIn({ username: user.username, password: user.password }, { ip: testIp(), userAgent: "ua" }, t0);
    if (!r.ok) throw new Error(r.code);
    // Kept active every 20 minutes, it still ends 12 hours after sign-in.
    let t = t0.getTime();
    while (t + 20 * MIN <= t0.getTime() + 12 * 60 * MIN) {
      t += 20 * MIN;
      expect(await loadActorBySession(r.sessionId, new Date(t)), new Date(t).toISOString()).not.toBeNull();
    }
    const after = new Date(t0.getTime() + 12 * 60 * MIN + 1000);
    expect(await loadActorBySession(r.sessionId, after)).toBeNull();
    expect(await sessionRow(r.sessionId)).toMatchObject({ endReason: "ABSOLUTE_TIMEOUT" });
  });

  it("refuses the session of a disabled user at once (USER_DISABLED), and re-enabling does not revive it", async () => {
    const user = await createUser();
    const s = await createSession(user.id);
    expect(await loadActorBySession(s.id)).not.toBeNull();

    await db().user.update({ where: { id: user.id }, data: { status: "DISABLED" } });
    const now = new Date();
    expect(await loadActorBySession(s.id, now)).toBeNull();
    expect(await sessionRow(s.id)).toMatchObject({ endedAt: now, endReason: "USER_DISABLED" });

    await db().user.update({ where: { id: user.id }, data: { status: "ACTIVE" } });
    expect(await loadActorBySession(s.id)).toBeNull();
  });

  it("refuses an ended session and an unknown id", async () => {
    const user = await createUser();
    const s = await createSession(user.id);
    await db().userSession.update({ where: { id: s.id }, data: { endedAt: new Date(), endReason: "LOGOUT" } });
    expect(await loadActorBySession(s.id)).toBeNull();
    expect(await loadActorBySession("f".repeat(64))).toBeNull();
  });

  it("re-reads roles from the database on every request", async () => {
    const user = await createUser({ roles: ["ISSUER_OPERATOR"] });
    const s = await createSession(user.id);
    expect((await loadActorBySession(s.id))!.roles.map((r) => r.role)).toEqual(["ISSUER_OPERATOR"]);
    await db().userRole.deleteMany({ where: { userId: user.id, role: "ISSUER_OPERATOR" } });
    expect((await loadActorBySession(s.id))!.roles).toEqual([]);
  });

  it("asks for a password change at first sign-in and after 90 days", async () => {
    const first = await createUser({ mustChangePassword: true });
    expect((await loadActorBySession((await createSession(first.id)).id))!.mustChangePassword).toBe("FIRST");

    const old = await createUser({ passwordChangedAt: new Date(Date.now() - 91 * 24 * 60 * MIN) });
    expect((await loadActorBySession((await createSession(old.id)).id))!.mustChangePassword).toBe("EXPIRED");

    const recent = await createUser({ passwordChangedAt: new Date(Date.now() - 89 * 24 * 60 * MIN) });
    expect((await loadActorBySession((await createSession(recent.id)).id))!.mustChangePassword).toBeNull();
  });

  it("follows the idle timeout configured in SecurityPolicy", async () => {
    const user = await createUser();
    const t0 = new Date();
    const a = await createSession(user.id, { createdAt: t0 });
    const b = await createSession(user.id, { createdAt: t0 });
    await db().securityPolicy.update({ where: { id: 1 }, data: { idleTimeoutMinutes: 10 } });
    try {
      expect(await loadActorBySession(a.id, new Date(t0.getTime() + 9 * MIN))).not.toBeNull();
      expect(await loadActorBySession(b.id, new Date(t0.getTime() + 11 * MIN))).toBeNull();
      expect((await sessionRow(b.id)).endReason).toBe("IDLE_TIMEOUT");
    } finally {
      await db().securityPolicy.update({ where: { id: 1 }, data: { idleTimeoutMinutes: 30 } });
    }
  });
});

describe("currentActor (the session cookie)", () => {
  it("loads the actor named by a valid next-auth JWT, and nothing for a missing or forged one", async () => {
    const user = await createUser();
    const s = await createSession(user.id);
    expect(await currentActor()).toBeNull();

    request.cookies.set("certseal.session", await encode({ token: { sid: s.id, sub: user.id }, secret: env().NEXTAUTH_SECRET }));
    expect((await currentActor())?.userId).toBe(user.id);

    request.cookies.set("certseal.session", await encode({ token: { sid: s.id }, secret: "another-secret-another-secret-0000000000" }));
    expect(await currentActor()).toBeNull();
    request.cookies.set("certseal.session", "not-a-jwt");
    expect(await currentActor()).toBeNull();
  });

  it("refuses a valid JWT once its session row has ended (revocation)", async () => {
    const user = await createUser();
    const s = await createSession(user.id);
    request.cookies.set("certseal.session", await encode({ token: { sid: s.id }, secret: env().NEXTAUTH_SECRET }));
    expect(await currentActor()).not.toBeNull();
    await withTx((tx) => endSessions(tx, { sessionId: s.id }, "ADMIN", testActor()));
    expect(await currentActor()).toBeNull();
  });
});

describe("endSessions", () => {
  it("ends every live session of a user with one audit event each, once", async () => {
    const user = await createUser();
    const [a, b, c] = [await createSession(user.id), await createSession(user.id), await createSession(user.id)];
    const actor = testActor({ id: user.id, name: "管理员(admin)" });
    const now = new Date();

    const n = await withTx(async (tx) => {
      await tx.user.update({ where: { id: user.id }, data: { status: "DISABLED" } });
      return endSessions(tx, { userId: user.id }, "USER_DISABLED", actor, now);
    });
    expect(n).toBe(3);
    for (const s of [a, b, c]) expect(await sessionRow(s.id)).toMatchObject({ endedAt: now, endReason: "USER_DISABLED" });
    for (const s of [a, b, c]) expect(await loadActorBySession(s.id)).toBeNull();

    const events = await db().auditEvent.findMany({ where: { action: "session.end", detail: { path: ["userId"], equals: user.id } }, orderBy: { seq: "asc" } });
    expect(events.map((e) => e.detail)).toEqual(
      expect.arrayContaining([a, b, c].map((s) => ({ action: "session.end", sessionId: s.id.slice(0, 12), userId: user.id, reason: "USER_DISABLED" }))),
    );
    expect(events).toHaveLength(3);
    for (const e of events) expect(e).toMatchObject({ actorName: "管理员(admin)", targetType: "UserSession" });

    // Nothing left to end: no new events.
    expect(await withTx((tx) => endSessions(tx, { userId: user.id }, "USER_DISABLED", actor))).toBe(0);
    expect(await db().auditEvent.count({ where: { action: "session.end", detail: { path: ["userId"], equals: user.id } } })).toBe(3);
  });

  it("keeps the current session on a password change and records a logout as auth.logout", async () => {
    const user = await createUser();
    const keep = await createSession(user.id);
    const other = await createSession(user.id);
    expect(await withTx((tx) => endSessions(tx, { userId: user.id, exceptSessionId: keep.id }, "PASSWORD_CHANGED", testActor()))).toBe(1);
    expect((await sessionRow(keep.id)).endedAt).toBeNull();
    expect((await sessionRow(other.id)).endReason).toBe("PASSWORD_CHANGED");

    expect(await withTx((tx) => endSessions(tx, { sessionId: keep.id }, "LOGOUT", testActor()))).toBe(1);
    expect((await sessionRow(keep.id)).endReason).toBe("LOGOUT");
    const logout = await db().auditEvent.findFirstOrThrow({ where: { action: "auth.logout", targetId: keep.id.slice(0, 12) } });
    expect(logout.detail).toEqual({ action: "auth.logout", sessionId: keep.id.slice(0, 12) });
  });

  it("refuses to run without a session or a user", async () => {
    await expect(withTx((tx) => endSessions(tx, {}, "ADMIN", testActor()))).rejects.toThrow(/needs a session or a user/);
  });
});
