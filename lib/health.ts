import "server-only";
import pg from "pg";
import { env } from "@/lib/env";
import { migrationStatus } from "@/lib/db/migrate";

export type Health = { ok: boolean; version: string; database: "up" | "down"; migrations: "current" | "pending" | "unknown"; reason?: string };

export async function checkHealth(): Promise<Health> {
  const version = env().CERTSEAL_VERSION ?? process.env.npm_package_version ?? "0.1.0";
  const client = new pg.Client({ connectionString: env().DATABASE_URL, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
  } catch {
    return { ok: false, version, database: "down", migrations: "unknown", reason: "数据库无法连接" };
  }
  try {
    const s = await migrationStatus(client);
    if (s.problems.length) return { ok: false, version, database: "up", migrations: "unknown", reason: s.problems.join("; ") };
    if (s.pending.length) return { ok: false, version, database: "up", migrations: "pending", reason: `待执行的迁移: ${s.pending.join(", ")}` };
    return { ok: true, version, database: "up", migrations: "current" };
  } finally {
    await client.end().catch(() => {});
  }
}
