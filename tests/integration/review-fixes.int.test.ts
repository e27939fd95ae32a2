// Regressions found in review of issue 2's foundation (A-01, A-03, P-04).
import { describe, expect, it, vi } from "vitest";
import pg from "pg";
import { db, withTx } from "@/lib/db";
import { signIn } from "@/lib/auth/login";
import { appendAudit } from "@/lib/audit/log";
import { rowHash } from "@/lib/audit/chain";
import { loadActorBySession } from "@/lib/auth/session";
import { createDepartment, createSession, createUser, testActor, testIp } from "@/tests/helpers/factory";

vi.mock("next/headers", () => ({ headers: () => Promise.resolve(new Headers({ "user-agent": "vitest" })), cookies: () => Promise.resolve({ get: () => undefined }) }));

describe("review fixes", () => {
  it("a success on one's own account does not reset the address's failure count", async () => {
    const ip = testIp();
    const own = await createUser();
    await db().securityPolicy.update({ where: { id: 1 }, data: { ipThreshold: 12 } });
    try {
      let blocked = false;
      for (let i = 0; i < 20 && !blocked; i++) {
        const victim = `nobody_${i}_${Date.now()}`;
        for (let k = 0; k < 3; k++) await signIn({ username: victim, password: "Wrong-passw0rd" }, { ip, userAgent: "x" });
        const mine = await signIn({ username: own.username, password: own.password }, { ip, userAgent: "x" });
        blocked = !mine.ok && mine.code === "IP_BLOCKED";
      }
      expect(blocked).toBe(true);
      expect(await db().loginLock.findUnique({ where: { key: `ip:${ip}` } })).not.toBeNull();
    } finally {
      await db().securityPolicy.update({ where: { id: 1 }, data: { ipThreshold: 30 } });
    }
  });

  it("a user name with control characters is refused as invalid input and logged", async () => {
    const r = await signIn({ username: "ad\u0000min\uD800", password: "x" }, { ip: testIp(), userAgent: "x" });
    expect(r).toEqual({ ok: false, code: "INVALID_INPUT" });
    expect(await db().loginAttempt.count({ where: { username: "admin", result: "INVALID_INPUT" } })).toBeGreaterThan(0);
  });

  it("ending a session by idle timeout is audited", async () => {
    const u = await createUser();
    const s = await createSession(u.id, { lastSeenAt: new Date(Date.now() - 31 * 60_000) });
    expect(await loadActorBySession(s.id)).toBeNull();
    const ev = await db().auditEvent.findFirst({ where: { action: "session.end", targetId: s.id.slice(0, 12) } });
    expect(ev?.detail).toMatchObject({ action: "session.end", reason: "IDLE_TIMEOUT", userId: u.id });
  });

  it("two concurrent grants of two administrator roles to one user cannot both commit (三员分立)", async () => {
    const dept = await createDepartment();
    const u = await createUser({ department: dept });
    const url = process.env.DATABASE_URL!;
    const grant = async (role: string) => {
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      try {
        await c.query("BEGIN");
        await c.query(`INSERT INTO "UserRole" (id, "userId", role, scope) VALUES (gen_random_uuid(), $1, $2, 'PROVINCE')`, [u.id, role]);
        await new Promise((r) => setTimeout(r, 150));
        await c.query("COMMIT");
        return "ok";
      } catch (e) {
        await c.query("ROLLBACK").catch(() => {});
        return (e as { code?: string }).code ?? "error";
      } finally {
        await c.end();
      }
    };
    const results = await Promise.all([grant("SYSTEM_ADMIN"), grant("AUDIT_ADMIN")]);
    expect(results.sort()).toEqual(["23514", "ok"]);
    expect(await db().userRole.count({ where: { userId: u.id } })).toBe(1);
  });
});

describe("audit text truncation", () => {
  it("keeps the chain verifiable when a long name ends in a character outside the BMP", async () => {
    await withTx((tx) => appendAudit(tx, testActor({ name: `${"a".repeat(99)}😀𠮷` }), { action: "system.seed", created: 1 }, { type: "System" }));
    const row = await db().auditEvent.findFirstOrThrow({ orderBy: { seq: "desc" } });
    expect(Array.from(row.actorName)).toHaveLength(100);
    expect(row.actorName.endsWith("😀")).toBe(true);
    const { hash, ...rest } = row;
    expect(rowHash(rest)).toBe(hash); // what PostgreSQL stored is what was hashed
  });
});
