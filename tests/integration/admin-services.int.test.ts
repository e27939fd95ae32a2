// The administrators' services (issue 2): disabling a user ends their sessions at once and is
// audited; an administrator's unlock lets a locked account in before the lock runs out.
import { describe, expect, it, vi } from "vitest";
import { db } from "@/lib/db";
import { signIn } from "@/lib/auth/login";
import { loadActorBySession, type Actor } from "@/lib/auth/session";
import { setUserStatus, unlockAccount, resetPassword } from "@/lib/users/service";
import { createDepartment, createSession, createUser, testIp, type TestUser } from "@/tests/helpers/factory";

vi.mock("next/headers", () => ({ headers: () => Promise.resolve(new Headers({ "user-agent": "vitest" })), cookies: () => Promise.resolve({ get: () => undefined }) }));

async function adminActor(u: TestUser, role: "SYSTEM_ADMIN" | "SECURITY_ADMIN"): Promise<Actor> {
  const s = await createSession(u.id);
  const a = await loadActorBySession(s.id);
  if (!a) throw new Error("no actor");
  expect(a.roles.map((r) => r.role)).toEqual([role]);
  return a;
}

describe("administrator services", () => {
  it("disabling a user ends every live session of theirs in the same transaction, with audit events", async () => {
    const province = await createDepartment({ level: "PROVINCE" });
    const sys = await adminActor(await createUser({ department: province, roles: [{ role: "SYSTEM_ADMIN", scope: "PROVINCE" }] }), "SYSTEM_ADMIN");
    const target = await createUser({ department: province });
    const s1 = await createSession(target.id);
    const s2 = await createSession(target.id);
    const r = await setUserStatus(sys, { id: target.id, status: "DISABLED" });
    expect(r.sessionsEnded).toBe(2);
    for (const s of [s1, s2]) expect((await db().userSession.findUniqueOrThrow({ where: { id: s.id } })).endReason).toBe("USER_DISABLED");
    expect(await loadActorBySession(s1.id)).toBeNull();
    expect(await db().auditEvent.count({ where: { targetId: target.id, action: "user.status" } })).toBe(1);
    expect(await db().auditEvent.count({ where: { action: "session.end", targetId: { in: [s1.id.slice(0, 12), s2.id.slice(0, 12)] } } })).toBe(2);
    const again = await signIn({ username: target.username, password: target.password }, { ip: testIp(), userAgent: "x" });
    expect(again).toEqual({ ok: false, code: "DISABLED" });
  });

  it("an administrator's unlock lets a locked account sign in at once; a reset forces a password change", async () => {
    const province = await createDepartment({ level: "PROVINCE" });
    const sec = await adminActor(await createUser({ department: province, roles: [{ role: "SECURITY_ADMIN", scope: "PROVINCE" }] }), "SECURITY_ADMIN");
    const sys = await adminActor(await createUser({ department: province, roles: [{ role: "SYSTEM_ADMIN", scope: "PROVINCE" }] }), "SYSTEM_ADMIN");
    const target = await createUser({ department: province });
    const ctx = { ip: testIp(), userAgent: "x" };
    for (let i = 0; i < 5; i++) await signIn({ username: target.username, password: "Wrong-passw0rd" }, ctx);
    expect(await signIn({ username: target.username, password: target.password }, ctx)).toEqual({ ok: false, code: "LOCKED" });
    expect(await unlockAccount(sec, { username: target.username })).toEqual({ unlocked: true });
    const ok = await signIn({ username: target.username, password: target.password }, ctx);
    expect(ok.ok).toBe(true);
    expect(await db().auditEvent.count({ where: { targetId: target.id, action: "auth.unlock" } })).toBe(1);

    await resetPassword(sys, { id: target.id, password: "Reset#Passw0rd9" });
    const u = await db().user.findUniqueOrThrow({ where: { id: target.id } });
    expect(u.mustChangePassword).toBe(true);
    if (ok.ok) expect((await db().userSession.findUniqueOrThrow({ where: { id: ok.sessionId } })).endReason).toBe("PASSWORD_RESET");
    await expect(resetPassword(sys, { id: target.id, password: "short" })).rejects.toMatchObject({ code: "INVALID_INPUT" });
  });
});

describe("online users", () => {
  it("names sessions by a keyed handle, never the session id, and ends one by its handle within scope", async () => {
    const province = await createDepartment({ level: "PROVINCE" });
    const sec = await adminActor(await createUser({ department: province, roles: [{ role: "SECURITY_ADMIN", scope: "PROVINCE" }] }), "SECURITY_ADMIN");
    const target = await createUser({ department: province });
    const s = await createSession(target.id);
    const { listOnlineSessions, sessionFilter } = await import("@/lib/users/queries");
    const { endOneSession } = await import("@/lib/users/service");
    const page = await listOnlineSessions(sec, sessionFilter.parse({ q: target.username }));
    expect(JSON.stringify(page)).not.toContain(s.id);
    const row = page.rows.find((r) => r.username === target.username)!;
    expect(row.handle).toMatch(/^[0-9a-f]{32}$/);
    await expect(endOneSession(sec, { handle: "0".repeat(32) })).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect(await endOneSession(sec, { handle: row.handle })).toEqual({ sessionsEnded: 1 });
    expect((await db().userSession.findUniqueOrThrow({ where: { id: s.id } })).endReason).toBe("ADMIN_ENDED");
  });
});
