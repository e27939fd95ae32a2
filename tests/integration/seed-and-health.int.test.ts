// The demo seed is idempotent (a second start changes nothing), and /api/health tells a current
// database from one with pending migrations.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { describe, expect, it, vi } from "vitest";
import { createMigratedDatabase, createEmptyDatabase } from "@/tests/helpers/db";

vi.mock("next/headers", () => ({ headers: () => Promise.resolve(new Headers()), cookies: () => Promise.resolve({ get: () => undefined }) }));

async function counts(url: string) {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const q = async (t: string) => Number((await c.query(`SELECT count(*)::int AS n FROM "${t}"`)).rows[0].n);
    return { departments: await q("Department"), users: await q("User"), roles: await q("UserRole"), audit: await q("AuditEvent"), staff: await q("DepartmentStaff") };
  } finally {
    await c.end();
  }
}

describe("demo seed", () => {
  it("creates every demo account once and changes nothing on a second run", async () => {
    const url = await createMigratedDatabase("seed");
    const prev = process.env.DATABASE_URL;
    process.env.DATABASE_URL = url;
    const g = globalThis as { __certsealDb?: { $disconnect(): Promise<void> } };
    await g.__certsealDb?.$disconnect();
    delete g.__certsealDb;
    vi.resetModules();
    try {
      const { seedDemo, DEMO_USERS, disconnect } = await import("@/prisma/seed");
      const created = await seedDemo();
      expect(created).toBeGreaterThan(20);
      const first = await counts(url);
      expect(first.users).toBe(DEMO_USERS.length);
      // one role each, and the supervisor's second (seal applicant for the reports, V-04)
      expect(first.roles).toBe(DEMO_USERS.length + DEMO_USERS.filter((u) => u.also).length);
      expect(first.audit).toBe(1);
      expect(await seedDemo()).toBe(0);
      expect(await counts(url)).toEqual(first);
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      const r = await c.query(`SELECT u.username, u."mustChangePassword", r.role FROM "User" u JOIN "UserRole" r ON r."userId" = u.id ORDER BY u.username`);
      await c.end();
      expect(r.rows.map((x) => x.username)).toEqual([...DEMO_USERS.flatMap((u) => (u.also ? [u.username, u.username] : [u.username]))].sort());
      expect(r.rows.filter((x) => x.username === "supervisor").map((x) => x.role).sort()).toEqual(["SEAL_APPLICANT", "SUPERVISOR"]);
      expect(r.rows.every((x) => x.mustChangePassword === false)).toBe(true);
      const { seedDemoSeals } = await import("@/prisma/seed");
      // the bureau's two seals and the management department's 法定名称章 that signs the supervision reports (V-04)
      expect(await seedDemoSeals()).toBe(3);
      expect(await seedDemoSeals()).toBe(0);
      const c2 = new pg.Client({ connectionString: url });
      await c2.connect();
      const seals = await c2.query(`SELECT status, "esId", "filingNumber" FROM "Seal" ORDER BY "esId"`);
      await c2.end();
      expect(seals.rows.map((x) => x.status)).toEqual(["ACTIVE", "ACTIVE", "ACTIVE"]);
      expect(seals.rows.every((x) => x.filingNumber === `BA${x.esId}`)).toBe(true);
      const { seedDemoFlows, seedDemoCatalog } = await import("@/prisma/seed");
      // the bureau's two flows, and the management department's for its 法定名称章 (the reports, V-04)
      expect(await seedDemoFlows()).toBe(3);
      expect(await seedDemoFlows()).toBe(0);
      const cm = new pg.Client({ connectionString: url });
      await cm.connect();
      const mgmtUse = await cm.query(
        `SELECT u.username, f.name FROM "Seal" s JOIN "Department" d ON d.id = s."holderDeptId" AND d."isManagement" JOIN "SealCustodian" c ON c."sealId" = s.id JOIN "User" u ON u.id = c."userId" JOIN "ApprovalFlow" f ON f."holderDeptId" = d.id`,
      );
      await cm.end();
      expect(mgmtUse.rows).toEqual([{ username: "bdcustodian", name: "中心公章用印审批" }]);
      // the demo catalog goes through the real services: released, under review and draft types, and both lists
      expect(await seedDemoCatalog()).toBe(5);
      expect(await seedDemoCatalog()).toBe(0);
      const c3 = new pg.Client({ connectionString: url });
      await c3.connect();
      const types = await c3.query(`SELECT t.name, v.status FROM "LicenceType" t JOIN "LicenceTypeVersion" v ON v."typeId" = t.id ORDER BY t.name`);
      const lists = await c3.query(`SELECT (SELECT count(*)::int FROM "IssuanceListEntry") AS issuance, (SELECT count(*)::int FROM "UseListEntry") AS use`);
      await c3.end();
      expect(Object.fromEntries(types.rows.map((x) => [x.name, x.status]))).toEqual({
        营业执照: "RELEASED",
        食品经营许可证: "RELEASED",
        建筑施工企业安全生产许可证: "UNDER_REVIEW",
        不动产权证书: "DRAFT",
        个体工商户登记证明: "UNDER_REVIEW",
      });
      expect(lists.rows[0]).toEqual({ issuance: 5, use: 2 });
      // demo licences: issued and signed through the real service (L-05 … L-07)
      const { seedDemoLicences } = await import("@/prisma/seed");
      expect(await seedDemoLicences()).toBe(8);
      expect(await seedDemoLicences()).toBe(0);
      const c4 = new pg.Client({ connectionString: url });
      await c4.connect();
      const lic = await c4.query(`SELECT name, status, count(*)::int AS n, bool_and(signature IS NOT NULL OR "signatureValue" IS NOT NULL) AS signed FROM "Licence" GROUP BY name, status ORDER BY name`);
      await c4.end();
      expect(lic.rows).toEqual([
        { name: "营业执照", status: "VALID", n: 4, signed: true },
        { name: "食品经营许可证", status: "VALID", n: 4, signed: true },
      ]);
      // demo objections (issue 7): one waiting to be marked, one marked (its licence shows 异议中)
      const { seedDemoObjections } = await import("@/prisma/seed");
      const { seedHolidays } = await import("@/lib/calendar/seed");
      const { db } = await import("@/lib/db");
      await seedHolidays(db());
      expect(await seedDemoObjections()).toBe(2);
      expect(await seedDemoObjections()).toBe(0);
      const objections = await db().objection.findMany({ orderBy: { receivedAt: "asc" }, select: { source: true, status: true, licence: { select: { name: true, openObjections: true } } } });
      expect(objections).toEqual([
        { source: "HOLDER", status: "SUBMITTED", licence: { name: "食品经营许可证", openObjections: 0 } },
        { source: "DEPT", status: "MARKED", licence: { name: "营业执照", openObjections: 1 } },
      ]);
      await disconnect();
    } finally {
      process.env.DATABASE_URL = prev;
      delete g.__certsealDb;
      vi.resetModules();
    }
  });
});

describe("health", () => {
  it("reports up and current on a migrated database, and 503-worthy pending migrations otherwise", async () => {
    const { checkHealth } = await import("@/lib/health");
    const ok = await checkHealth();
    expect(ok).toMatchObject({ ok: true, database: "up", migrations: "current" });

    const prev = process.env.DATABASE_URL;
    vi.resetModules();
    process.env.DATABASE_URL = await createEmptyDatabase("health");
    try {
      const fresh = await import("@/lib/health");
      const pending = await fresh.checkHealth();
      expect(pending).toMatchObject({ ok: false, database: "up", migrations: "pending" });
      expect(pending.reason).toContain("20261129000000_foundation");
      vi.resetModules();
      process.env.DATABASE_URL = "postgresql://nobody:x@127.0.0.1:9/none";
      const down = await (await import("@/lib/health")).checkHealth();
      expect(down).toMatchObject({ ok: false, database: "down" });
    } finally {
      process.env.DATABASE_URL = prev;
      vi.resetModules();
    }
  });
});

describe("npm start in production", () => {
  it("refuses to start without configured secrets, with a clear message, and creates nothing", () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "certseal-prod-"));
    try {
      const root = path.resolve(__dirname, "../..");
      const r = spawnSync(process.execPath, [path.join(root, "node_modules/tsx/dist/cli.mjs"), "--conditions=react-server", path.join(root, "scripts/start.ts")], {
        cwd: root,
        env: { PATH: process.env.PATH, NODE_ENV: "production", HOME: dir },
        encoding: "utf8",
        timeout: 60_000,
      });
      expect(r.status).toBe(1);
      expect(r.stderr).toMatch(/NODE_ENV=production needs DATABASE_URL, NEXTAUTH_SECRET .* and CERTSEAL_KEK/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
