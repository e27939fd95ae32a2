// Sign-in with lockout (等保三级): 5 failures within 30 minutes lock the user name for 30 minutes,
// whether or not the account exists; every attempt is logged and audited.
import { describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { signIn, SIGN_IN_MESSAGES, type SignInResult } from "@/lib/auth/login";
import { createDepartment, createUser, testIp, uniqueSuffix } from "../helpers/factory";

const MIN = 60_000;
const codeOf = (r: SignInResult) => (r.ok ? "OK" : r.code);
const ctxFor = () => ({ ip: testIp(), userAgent: `vitest-${uniqueSuffix()}` });

const attemptsOf = (username: string) =>
  db().loginAttempt.findMany({ where: { username }, orderBy: { id: "asc" } });
const auditFor = (where: { targetId?: string; actorName?: string }) =>
  db().auditEvent.findMany({ where, orderBy: { seq: "asc" } });

describe("signIn lockout", () => {
  it("locks an account at the 5th failure, refuses even the right password, and lets it in 31 minutes later", async () => {
    const user = await createUser({ name: "锁定测试" });
    const ctx = ctxFor();
    const t0 = new Date();
    const at = (ms: number) => new Date(t0.getTime() + ms);

    const codes: string[] = [];
    // The user name is matched case-insensitively and trimmed, so these all count for one account.
    const spellings = [user.username, user.username.toUpperCase(), ` ${user.username} `, user.username, user.username];
    for (const [i, username] of spellings.entries())
      codes.push(codeOf(await signIn({ username, password: "Wrong-passw0rd" }, ctx, at(i * 1000))));
    expect(codes).toEqual(["BAD_CREDENTIALS", "BAD_CREDENTIALS", "BAD_CREDENTIALS", "BAD_CREDENTIALS", "LOCKED"]);

    const lock = await db().loginLock.findUniqueOrThrow({ where: { key: `user:${user.username}` } });
    expect(lock).toEqual({ key: `user:${user.username}`, lockedAt: at(4000), lockedUntil: at(4000 + 30 * MIN), unlockedAt: null });

    expect(codeOf(await signIn({ username: user.username, password: user.password }, ctx, at(5000)))).toBe("LOCKED");
    expect(codeOf(await signIn({ username: user.username, password: user.password }, ctx, at(4000 + 29 * MIN)))).toBe("LOCKED");

    const ok = await signIn({ username: user.username, password: user.password }, ctx, at(4000 + 31 * MIN));
    expect(ok).toEqual({ ok: true, userId: user.id, sessionId: expect.stringMatching(/^[0-9a-f]{64}$/) });
    if (!ok.ok) throw new Error("unreachable");

    // The login log: every attempt with the name tried, result, address, user agent and time.
    const attempts = await attemptsOf(user.username);
    expect(attempts.map((a) => a.result)).toEqual([
      "BAD_CREDENTIALS", "BAD_CREDENTIALS", "BAD_CREDENTIALS", "BAD_CREDENTIALS", "BAD_CREDENTIALS", "LOCKED", "LOCKED", "SUCCESS",
    ]);
    expect(attempts.map((a) => a.createdAt)).toEqual([0, 1000, 2000, 3000, 4000, 5000, 4000 + 29 * MIN, 4000 + 31 * MIN].map(at));
    for (const a of attempts) expect(a).toMatchObject({ userId: user.id, ip: ctx.ip, userAgent: ctx.userAgent });

    // The audit trail: each failure, the lockout, the refusals while locked, and the sign-in.
    const events = await auditFor({ targetId: user.id });
    expect(events.map((e) => e.action)).toEqual([
      ...Array(5).fill("auth.login_failed"),
      "auth.lockout",
      "auth.login_failed",
      "auth.login_failed",
      "auth.login",
    ]);
    expect(events.map((e) => e.detail)).toEqual([
      ...Array(5).fill({ action: "auth.login_failed", username: user.username, reason: "BAD_CREDENTIALS" }),
      { action: "auth.lockout", key: `user:${user.username}`, until: at(4000 + 30 * MIN).toISOString() },
      { action: "auth.login_failed", username: user.username, reason: "LOCKED" },
      { action: "auth.login_failed", username: user.username, reason: "LOCKED" },
      { action: "auth.login", username: user.username, sessionId: ok.sessionId.slice(0, 12) },
    ]);
    for (const e of events.slice(0, -1))
      expect(e).toMatchObject({ actorId: user.id, actorName: user.username, actorRole: "-", ip: ctx.ip, userAgent: ctx.userAgent, targetType: "User" });
    expect(events.at(-1)).toMatchObject({
      actorId: user.id,
      actorName: `锁定测试(${user.username})`,
      actorDept: user.department.name,
      ip: ctx.ip,
      userAgent: ctx.userAgent,
    });

    // The session row that the JWT will name.
    const session = await db().userSession.findUniqueOrThrow({ where: { id: ok.sessionId } });
    const t7 = at(4000 + 31 * MIN);
    expect(session).toEqual({
      id: ok.sessionId,
      userId: user.id,
      createdAt: t7,
      lastSeenAt: t7,
      expiresAt: new Date(t7.getTime() + 12 * 60 * MIN),
      endedAt: null,
      endReason: null,
      ip: ctx.ip,
      userAgent: ctx.userAgent,
    });
  });

  it("starts counting again after a lock expires or a success, and locks again at 5", async () => {
    const user = await createUser();
    const ctx = ctxFor();
    const t0 = Date.now();
    const wrong = (ms: number) => signIn({ username: user.username, password: "Wrong-passw0rd" }, ctx, new Date(t0 + ms));

    for (let i = 0; i < 5; i++) await wrong(i * 1000);
    // After the lock ran out, one failure is just a failure.
    expect(codeOf(await wrong(40 * MIN))).toBe("BAD_CREDENTIALS");
    expect(codeOf(await signIn({ username: user.username, password: user.password }, ctx, new Date(t0 + 41 * MIN)))).toBe("OK");
    // A success resets the count: four more failures pass, the fifth locks again.
    const codes = [];
    for (let i = 0; i < 5; i++) codes.push(codeOf(await wrong(42 * MIN + i * 1000)));
    expect(codes).toEqual(["BAD_CREDENTIALS", "BAD_CREDENTIALS", "BAD_CREDENTIALS", "BAD_CREDENTIALS", "LOCKED"]);
    expect(await db().auditEvent.count({ where: { targetId: user.id, action: "auth.lockout" } })).toBe(2);
  });

  it("only counts failures within the 30-minute window", async () => {
    const user = await createUser();
    const ctx = ctxFor();
    const t0 = Date.now();
    const wrong = (ms: number) => signIn({ username: user.username, password: "Wrong-passw0rd" }, ctx, new Date(t0 + ms));
    for (let i = 0; i < 4; i++) expect(codeOf(await wrong(i * 1000))).toBe("BAD_CREDENTIALS");
    // 31 minutes later the first four are outside the window: the fifth failure does not lock.
    expect(codeOf(await wrong(31 * MIN))).toBe("BAD_CREDENTIALS");
    expect(await db().loginLock.count({ where: { key: `user:${user.username}` } })).toBe(0);
    expect(codeOf(await signIn({ username: user.username, password: user.password }, ctx, new Date(t0 + 31 * MIN + 1000)))).toBe("OK");
  });

  it("answers a user name that does not exist exactly like a real one (no enumeration)", async () => {
    const real = await createUser();
    const ghost = `ghost_${uniqueSuffix()}`;
    const t0 = Date.now();
    const run = async (username: string) => {
      const ctx = ctxFor();
      const out: string[] = [];
      for (let i = 0; i < 6; i++)
        out.push(codeOf(await signIn({ username, password: "Wrong-passw0rd" }, ctx, new Date(t0 + i * 1000))));
      return out;
    };
    const ghostCodes = await run(ghost);
    expect(ghostCodes).toEqual(["BAD_CREDENTIALS", "BAD_CREDENTIALS", "BAD_CREDENTIALS", "BAD_CREDENTIALS", "LOCKED", "LOCKED"]);
    expect(await run(real.username)).toEqual(ghostCodes);
    expect(SIGN_IN_MESSAGES.LOCKED).not.toMatch(/不存在/);

    const attempts = await attemptsOf(ghost);
    expect(attempts.map((a) => a.result)).toEqual(["BAD_CREDENTIALS", "BAD_CREDENTIALS", "BAD_CREDENTIALS", "BAD_CREDENTIALS", "BAD_CREDENTIALS", "LOCKED"]);
    for (const a of attempts) expect(a.userId).toBeNull();
    expect(await db().loginLock.findUnique({ where: { key: `user:${ghost}` } })).toMatchObject({ lockedAt: new Date(t0 + 4000) });

    const events = await auditFor({ actorName: ghost });
    expect(events.map((e) => e.action)).toEqual([...Array(5).fill("auth.login_failed"), "auth.lockout", "auth.login_failed"]);
    for (const e of events) expect(e).toMatchObject({ actorId: null, targetType: "User", targetId: null });
    expect(events[5].detail).toEqual({ action: "auth.lockout", key: `user:${ghost}`, until: new Date(t0 + 4000 + 30 * MIN).toISOString() });
  });

  it("locks an address after 30 failures across user names, without locking those names", async () => {
    const ctx = ctxFor();
    const t0 = Date.now();
    const codes: string[] = [];
    const names = Array.from({ length: 30 }, () => `spray_${uniqueSuffix()}`);
    for (const [i, username] of names.entries())
      codes.push(codeOf(await signIn({ username, password: "Wrong-passw0rd" }, ctx, new Date(t0 + i * 100))));
    expect(new Set(codes)).toEqual(new Set(["BAD_CREDENTIALS"]));
    expect(await db().loginLock.count({ where: { key: { in: names.map((n) => `user:${n}`) } } })).toBe(0);
    const lock = await db().loginLock.findUniqueOrThrow({ where: { key: `ip:${ctx.ip}` } });
    expect(lock.lockedUntil).toEqual(new Date(t0 + 2900 + 30 * MIN));
    const lockEvent = await db().auditEvent.findFirstOrThrow({ where: { action: "auth.lockout", targetId: `ip:${ctx.ip}` } });
    expect(lockEvent).toMatchObject({ targetType: "LoginLock", detail: { action: "auth.lockout", key: `ip:${ctx.ip}` } });

    // Even the right password of a real account is refused from that address, but not from another.
    const user = await createUser();
    expect(codeOf(await signIn({ username: user.username, password: user.password }, ctx, new Date(t0 + 4000)))).toBe("IP_BLOCKED");
    expect((await attemptsOf(user.username)).map((a) => a.result)).toEqual(["IP_BLOCKED"]);
    expect(codeOf(await signIn({ username: user.username, password: user.password }, ctxFor(), new Date(t0 + 5000)))).toBe("OK");
    expect(codeOf(await signIn({ username: user.username, password: user.password }, ctx, new Date(t0 + 2900 + 31 * MIN)))).toBe("OK");
  });
});

describe("signIn other outcomes", () => {
  it("refuses a disabled account (and an account in a disabled department) only after the right password", async () => {
    const user = await createUser({ status: "DISABLED" });
    const ctx = ctxFor();
    expect(codeOf(await signIn({ username: user.username, password: "Wrong-passw0rd" }, ctx))).toBe("BAD_CREDENTIALS");
    expect(codeOf(await signIn({ username: user.username, password: user.password }, ctx))).toBe("DISABLED");
    expect((await attemptsOf(user.username)).map((a) => a.result)).toEqual(["BAD_CREDENTIALS", "DISABLED"]);
    expect(await db().userSession.count({ where: { userId: user.id } })).toBe(0);
    const last = await db().auditEvent.findFirstOrThrow({ where: { targetId: user.id }, orderBy: { seq: "desc" } });
    expect(last.detail).toEqual({ action: "auth.login_failed", username: user.username, reason: "DISABLED" });

    const dept = await createDepartment({ status: "DISABLED" });
    const inDisabled = await createUser({ department: dept });
    expect(codeOf(await signIn({ username: inDisabled.username, password: inDisabled.password }, ctx))).toBe("DISABLED");
  });

  it("logs invalid input as an attempt without touching the account", async () => {
    const ctx = ctxFor();
    expect(await signIn({ username: "", password: "x" }, ctx)).toEqual({ ok: false, code: "INVALID_INPUT" });
    expect(await signIn({ username: "someone", password: "" }, ctx)).toEqual({ ok: false, code: "INVALID_INPUT" });
    expect(await signIn(null, ctx)).toEqual({ ok: false, code: "INVALID_INPUT" });
    const rows = await db().loginAttempt.findMany({ where: { ip: ctx.ip }, orderBy: { id: "asc" } });
    expect(rows.map((r) => [r.username, r.result, r.userAgent])).toEqual([
      ["", "INVALID_INPUT", ctx.userAgent],
      ["someone", "INVALID_INPUT", ctx.userAgent],
      ["", "INVALID_INPUT", ctx.userAgent],
    ]);
  });

  it("creates a new session id at every sign-in", async () => {
    const user = await createUser();
    const a = await signIn({ username: user.username, password: user.password }, ctxFor());
    const b = await signIn({ username: user.username, password: user.password }, ctxFor());
    if (!a.ok || !b.ok) throw new Error("sign-in failed");
    expect(a.sessionId).not.toBe(b.sessionId);
    expect(await db().userSession.count({ where: { userId: user.id, endedAt: null } })).toBe(2);
    expect(await db().auditEvent.count({ where: { targetId: user.id, action: "auth.login" } })).toBe(2);
  });
});
