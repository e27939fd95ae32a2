// The project's migrator (lib/db/migrate.ts) on fresh databases of the test cluster: records
// migrations in _prisma_migrations as `prisma migrate deploy` does, is idempotent, safe when run
// concurrently, and refuses to run over a migration that changed after it was applied.
import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { listMigrations, migrate, migrationStatus, MIGRATIONS_DIR } from "@/lib/db/migrate";
import { createEmptyDatabase, withClient } from "../helpers/db";

const files = fs
  .readdirSync(MIGRATIONS_DIR, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name)
  .sort();
const sha256 = (name: string, dir = MIGRATIONS_DIR) =>
  createHash("sha256").update(fs.readFileSync(path.join(dir, name, "migration.sql"))).digest("hex");

type Row = { id: string; migration_name: string; checksum: string; finished_at: Date | null; rolled_back_at: Date | null; applied_steps_count: number; logs: string | null };
const rows = (url: string) =>
  withClient(url, async (c) => (await c.query<Row>(`SELECT * FROM "_prisma_migrations" ORDER BY migration_name, started_at`)).rows);
const status = (url: string, dir?: string) => withClient(url, (c) => migrationStatus(c, dir));

const tmpDirs: string[] = [];
/** A copy of prisma/migrations that a test may change. */
function copyOfMigrations(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "certseal-migrations-"));
  tmpDirs.push(dir);
  fs.cpSync(MIGRATIONS_DIR, dir, { recursive: true });
  return dir;
}
function addMigration(dir: string, name: string, sql: string) {
  fs.mkdirSync(path.join(dir, name));
  fs.writeFileSync(path.join(dir, name, "migration.sql"), sql);
}
afterAll(() => {
  for (const d of tmpDirs) fs.rmSync(d, { recursive: true, force: true });
});

describe("migrate()", () => {
  it("finds the migrations in Prisma's layout, in order", () => {
    expect(files.length).toBeGreaterThan(0);
    expect(listMigrations().map((m) => m.name)).toEqual(files);
    for (const m of listMigrations()) expect(m.checksum).toBe(sha256(m.name));
    expect(fs.existsSync(path.join(MIGRATIONS_DIR, "migration_lock.toml"))).toBe(true);
  });

  it("applies every migration once, records it like prisma migrate deploy, and applies nothing the second time", async () => {
    const url = await createEmptyDatabase("migrate_twice");
    expect(await status(url)).toEqual({ applied: [], pending: files, problems: [] });

    expect(await migrate(url)).toEqual(files);
    const first = await rows(url);
    expect(first.map((r) => r.migration_name)).toEqual(files);
    for (const r of first) {
      expect(r.id).toMatch(/^[0-9a-f-]{36}$/);
      expect(r.checksum).toBe(sha256(r.migration_name));
      expect(r.finished_at).toBeInstanceOf(Date);
      expect(r.rolled_back_at).toBeNull();
      expect(r.applied_steps_count).toBe(1);
      expect(r.logs).toBeNull();
    }

    expect(await migrate(url)).toEqual([]);
    expect(await rows(url)).toEqual(first);
    expect(await status(url)).toEqual({ applied: files, pending: [], problems: [] });
  });

  it("applies each migration exactly once when several migrators start together", async () => {
    const url = await createEmptyDatabase("migrate_concurrent");
    const results = await Promise.all([migrate(url), migrate(url), migrate(url), migrate(url)]);
    expect(results.flat().sort()).toEqual(files);
    expect(results.filter((r) => r.length > 0)).toHaveLength(1);
    const r = await rows(url);
    expect(r.map((x) => x.migration_name)).toEqual(files);
    expect(new Set(r.map((x) => x.id)).size).toBe(files.length);
  });

  it("applies only a new migration added later", async () => {
    const url = await createEmptyDatabase("migrate_incremental");
    const dir = copyOfMigrations();
    await migrate(url, { dir });
    addMigration(dir, "29991231000000_later", `CREATE TABLE "LaterTable" ("id" INTEGER PRIMARY KEY);`);
    expect(await status(url, dir)).toEqual({ applied: files, pending: ["29991231000000_later"], problems: [] });
    const logged: string[] = [];
    expect(await migrate(url, { dir, log: (m) => logged.push(m) })).toEqual(["29991231000000_later"]);
    expect(logged).toEqual(["applied migration 29991231000000_later"]);
    expect((await rows(url)).map((r) => r.migration_name)).toEqual([...files, "29991231000000_later"]);
    expect((await rows(url)).at(-1)!.checksum).toBe(sha256("29991231000000_later", dir));
  });

  it("rolls a failing migration back completely, records nothing, and names it in the error", async () => {
    const url = await createEmptyDatabase("migrate_failing");
    const dir = copyOfMigrations();
    addMigration(dir, "29991231000000_broken", `CREATE TABLE "HalfDone" ("id" INTEGER);\nSELECT 1/0;`);
    await expect(migrate(url, { dir })).rejects.toThrow(/migration 29991231000000_broken failed: division by zero/);
    expect((await rows(url)).map((r) => r.migration_name)).toEqual(files);
    const t = await withClient(url, (c) => c.query(`SELECT to_regclass('"HalfDone"') AS t`));
    expect(t.rows[0].t).toBeNull();
    expect(await status(url, dir)).toEqual({ applied: files, pending: ["29991231000000_broken"], problems: [] });
  });
});

describe("migrationStatus problems", () => {
  it("reports a migration file changed after it was applied, and migrate() refuses to run", async () => {
    const url = await createEmptyDatabase("migrate_changed");
    const dir = copyOfMigrations();
    await migrate(url, { dir });
    const target = files[files.length - 1];
    fs.appendFileSync(path.join(dir, target, "migration.sql"), "\n-- edited after it was applied\n");
    addMigration(dir, "29991231000000_next", `CREATE TABLE "NeverApplied" ("id" INTEGER);`);

    expect(await status(url, dir)).toEqual({
      applied: files,
      pending: ["29991231000000_next"],
      problems: [`migration ${target} was changed after it was applied`],
    });
    await expect(migrate(url, { dir })).rejects.toThrow(`cannot migrate: migration ${target} was changed after it was applied`);
    const t = await withClient(url, (c) => c.query(`SELECT to_regclass('"NeverApplied"') AS t`));
    expect(t.rows[0].t).toBeNull();
  });

  it("reports a changed checksum recorded in the database", async () => {
    const url = await createEmptyDatabase("migrate_checksum");
    await migrate(url);
    await withClient(url, (c) => c.query(`UPDATE "_prisma_migrations" SET checksum = $1 WHERE migration_name = $2`, ["0".repeat(64), files[0]]));
    expect((await status(url)).problems).toEqual([`migration ${files[0]} was changed after it was applied`]);
  });

  it("reports a migration in the database that is not in prisma/migrations, and one that did not finish", async () => {
    const url = await createEmptyDatabase("migrate_unknown");
    await migrate(url);
    await withClient(url, async (c) => {
      await c.query(
        `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, finished_at, applied_steps_count) VALUES (gen_random_uuid(), $1, '20000101000000_elsewhere', now(), 1)`,
        ["a".repeat(64)],
      );
    });
    expect((await status(url)).problems).toEqual(["database has migration 20000101000000_elsewhere that is not in prisma/migrations"]);

    const url2 = await createEmptyDatabase("migrate_unfinished");
    const dir = copyOfMigrations();
    await migrate(url2, { dir });
    addMigration(dir, "29991231000000_crashed", `SELECT 1;`);
    await withClient(url2, (c) =>
      c.query(`INSERT INTO "_prisma_migrations" (id, checksum, migration_name, applied_steps_count) VALUES (gen_random_uuid(), $1, '29991231000000_crashed', 0)`, [
        sha256("29991231000000_crashed", dir),
      ]),
    );
    expect(await status(url2, dir)).toEqual({
      applied: files,
      pending: ["29991231000000_crashed"],
      problems: ["migration 29991231000000_crashed started but did not finish"],
    });
  });
});
