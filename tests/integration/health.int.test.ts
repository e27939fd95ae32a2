// GET /api/health's check (lib/health.ts): database reachable, migrations current, version.
import { beforeAll, describe, expect, it, vi } from "vitest";
import { checkHealth } from "@/lib/health";
import { migrate } from "@/lib/db/migrate";
import { useIsolatedDatabase, withClient } from "../helpers/db";

let url: string;
beforeAll(async () => {
  url = await useIsolatedDatabase("health", { migrated: false });
});

describe("checkHealth", () => {
  it("reports pending migrations on an empty database, then healthy once migrated", async () => {
    const before = await checkHealth();
    expect(before).toMatchObject({ ok: false, database: "up", migrations: "pending" });
    expect(before.reason).toMatch(/^待执行的迁移: \d{14}_/);

    await migrate(url);
    expect(await checkHealth()).toEqual({ ok: true, version: expect.any(String), database: "up", migrations: "current" });
  });

  it("reports a migration changed after it was applied", async () => {
    await withClient(url, (c) => c.query(`UPDATE "_prisma_migrations" SET checksum = $1`, ["0".repeat(64)]));
    const h = await checkHealth();
    expect(h).toMatchObject({ ok: false, database: "up", migrations: "unknown" });
    expect(h.reason).toMatch(/was changed after it was applied/);
  });

  it("reports an unreachable database without leaking connection details", async () => {
    process.env.DATABASE_URL = "postgresql://nobody:secret@127.0.0.1:9/none";
    vi.resetModules(); // lib/env.ts caches the environment it read first
    const fresh = await import("@/lib/health");
    const h = await fresh.checkHealth();
    expect(h).toEqual({ ok: false, version: expect.any(String), database: "down", migrations: "unknown", reason: "数据库无法连接" });
    expect(JSON.stringify(h)).not.toMatch(/secret|127\.0\.0\.1|ECONNREFUSED/);
  });
});
