// What the benches share: a throwaway embedded PostgreSQL sized for a million licences (1 GB of
// shared buffers; every other setting PostgreSQL's default), migrated, with a fresh key; or, with
// BENCH_DATABASE_URL (and BENCH_KEK, BENCH_LABEL), a database generated before. And the statistics.
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import type { Actor } from "@/lib/auth/session";
import type { RoleName, Scope } from "@/lib/auth/permissions";

export type BenchDatabase = { url: string; stop: () => Promise<void>; label: string; generated: string; existing: boolean };

export async function startBenchDatabase(prefix: string): Promise<BenchDatabase> {
  if (process.env.BENCH_DATABASE_URL) {
    process.env.CERTSEAL_KEK = process.env.BENCH_KEK ?? process.env.CERTSEAL_KEK;
    return { url: process.env.BENCH_DATABASE_URL, stop: async () => {}, label: process.env.BENCH_LABEL ?? "bench", generated: "existing database", existing: true };
  }
  const { ensureDatabase, freePort, startEmbeddedPostgres } = await import("@/lib/db/embedded");
  const { migrate } = await import("@/lib/db/migrate");
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), `certseal-bench-${prefix}-`));
  const opts = { dataDir: path.join(tmp, "pg"), port: await freePort(), password: randomBytes(12).toString("hex"), quiet: true, ephemeral: true };
  let server = await startEmbeddedPostgres(opts);
  const admin = new pg.Client({ connectionString: server.adminUrl });
  await admin.connect();
  await admin.query("ALTER SYSTEM SET shared_buffers = '1GB'");
  await admin.end();
  await server.stop();
  server = await startEmbeddedPostgres(opts);
  await ensureDatabase(server.adminUrl, "bench");
  const url = server.url("bench");
  await migrate(url);
  process.env.CERTSEAL_KEK = randomBytes(32).toString("hex");
  return {
    url,
    label: "bench",
    generated: "",
    existing: false,
    stop: async () => {
      await server.stop();
      fs.rmSync(tmp, { recursive: true, force: true });
    },
  };
}

export const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];
export const p95 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.ceil(xs.length * 0.95) - 1];
export const fmtMs = (x: number) => (x < 10 ? x.toFixed(1) : x.toFixed(0));

export function machineLine(): string {
  return `node ${process.version}, ${os.cpus().length} cores (${os.cpus()[0]?.model ?? "?"}), load average ${os.loadavg().map((l) => l.toFixed(2)).join(" ")}`;
}

/** A signed-in actor for calling the portal's query functions directly (no session row). */
export function benchActor(name: string, dept: { id: string; path: string; name: string }, role: RoleName, scope: Scope, level: "PROVINCE" | "CITY" | "COUNTY" = "CITY"): Actor {
  return {
    sessionId: "bench".padEnd(64, "0"),
    userId: "00000000-0000-4000-8000-000000000000",
    username: name,
    name,
    departmentId: dept.id,
    departmentPath: dept.path,
    departmentName: dept.name,
    departmentLevel: level,
    roles: [{ role, scope }],
    mustChangePassword: null,
    ip: null,
    userAgent: "bench",
  };
}
