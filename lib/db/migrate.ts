// The project's migrator: applies prisma/migrations/<name>/migration.sql in order and records
// each in `_prisma_migrations` exactly as `prisma migrate deploy` does (same table, checksum =
// SHA-256 of the file), so either tool can take over a database the other migrated.
import { createHash, randomUUID } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import pg from "pg";

export const MIGRATIONS_DIR = path.resolve(process.cwd(), "prisma/migrations");
const LOCK_ID = 72707369; // the advisory lock id Prisma Migrate takes

export type MigrationFile = { name: string; sql: string; checksum: string };

export function listMigrations(dir = MIGRATIONS_DIR): MigrationFile[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(path.join(dir, d.name, "migration.sql")))
    .map((d) => d.name)
    .sort()
    .map((name) => {
      const sql = readFileSync(path.join(dir, name, "migration.sql"), "utf8");
      return { name, sql, checksum: createHash("sha256").update(sql).digest("hex") };
    });
}

const CREATE_TABLE = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
)`;

export type MigrationStatus = { applied: string[]; pending: string[]; problems: string[] };

export async function migrationStatus(client: pg.ClientBase, dir = MIGRATIONS_DIR): Promise<MigrationStatus> {
  const files = listMigrations(dir);
  const exists = await client.query(`SELECT to_regclass('"_prisma_migrations"') AS t`);
  const rows: { migration_name: string; checksum: string; finished_at: Date | null; rolled_back_at: Date | null }[] =
    exists.rows[0].t
      ? (await client.query(`SELECT migration_name, checksum, finished_at, rolled_back_at FROM "_prisma_migrations"`)).rows
      : [];
  const problems: string[] = [];
  const applied: string[] = [];
  const pending: string[] = [];
  for (const f of files) {
    const done = rows.filter((r) => r.migration_name === f.name && r.finished_at && !r.rolled_back_at);
    if (done.length === 0) {
      if (rows.some((r) => r.migration_name === f.name && !r.finished_at && !r.rolled_back_at))
        problems.push(`migration ${f.name} started but did not finish`);
      pending.push(f.name);
    } else {
      applied.push(f.name);
      if (done[0].checksum !== f.checksum) problems.push(`migration ${f.name} was changed after it was applied`);
    }
  }
  for (const r of rows) {
    if (r.finished_at && !r.rolled_back_at && !files.some((f) => f.name === r.migration_name))
      problems.push(`database has migration ${r.migration_name} that is not in prisma/migrations`);
  }
  return { applied, pending, problems };
}

/** Applies pending migrations; returns the names applied. Safe to run concurrently and repeatedly. */
export async function migrate(databaseUrl: string, opts: { dir?: string; log?: (s: string) => void } = {}): Promise<string[]> {
  const log = opts.log ?? (() => {});
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query("SELECT pg_advisory_lock($1)", [LOCK_ID]);
    await client.query(CREATE_TABLE);
    const status = await migrationStatus(client, opts.dir);
    if (status.problems.length) throw new Error(`cannot migrate: ${status.problems.join("; ")}`);
    const files = listMigrations(opts.dir).filter((f) => status.pending.includes(f.name));
    for (const f of files) {
      const id = randomUUID();
      await client.query("BEGIN");
      try {
        await client.query(
          `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, applied_steps_count) VALUES ($1, $2, $3, now(), 0)`,
          [id, f.checksum, f.name],
        );
        await client.query(f.sql);
        await client.query(
          `UPDATE "_prisma_migrations" SET finished_at = now(), applied_steps_count = 1 WHERE id = $1`,
          [id],
        );
        await client.query("COMMIT");
        log(`applied migration ${f.name}`);
      } catch (e) {
        await client.query("ROLLBACK");
        throw new Error(`migration ${f.name} failed: ${(e as Error).message}`);
      }
    }
    return files.map((f) => f.name);
  } finally {
    await client.query("SELECT pg_advisory_unlock($1)", [LOCK_ID]).catch(() => {});
    await client.end();
  }
}
