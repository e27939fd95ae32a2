// Database helpers for integration tests (the cluster is started by tests/setup/global-pg.ts).
import { randomBytes } from "node:crypto";
import pg from "pg";
import { inject } from "vitest";
import { migrate } from "@/lib/db/migrate";
import { env } from "@/lib/env";

/** URL of the cluster's `postgres` database, as the superuser that owns every test database. */
export function adminUrl(): string {
  return inject("adminUrl");
}

/** URL of the shared, migrated `certseal_test` database (or the one this file switched to). */
export function databaseUrl(): string {
  return process.env.DATABASE_URL!;
}

function urlFor(name: string): string {
  const u = new URL(adminUrl());
  u.pathname = `/${name}`;
  return u.toString();
}

/** Creates an empty database with a unique name in the test cluster; returns its URL. */
export async function createEmptyDatabase(prefix: string): Promise<string> {
  const name = `${prefix.toLowerCase().replace(/[^a-z0-9_]/g, "_")}_${randomBytes(4).toString("hex")}`;
  await withClient(adminUrl(), (c) => c.query(`CREATE DATABASE "${name}"`));
  return urlFor(name);
}

/** Creates a database and applies every migration with the project's migrator. */
export async function createMigratedDatabase(prefix: string): Promise<string> {
  const url = await createEmptyDatabase(prefix);
  await migrate(url);
  return url;
}

/**
 * Points lib/env.ts and lib/db.ts at a new (by default migrated) database of its own for the rest of this test
 * file (for tests that need a table to themselves, such as the whole audit chain). Call it in
 * beforeAll, before anything has used `db()`: both cache their first configuration.
 */
export async function useIsolatedDatabase(prefix: string, opts: { migrated?: boolean } = {}): Promise<string> {
  if ((globalThis as { __certsealDb?: unknown }).__certsealDb)
    throw new Error("useIsolatedDatabase: lib/db.ts already has a client; call it first in beforeAll");
  const url = opts.migrated === false ? await createEmptyDatabase(prefix) : await createMigratedDatabase(prefix);
  process.env.DATABASE_URL = url;
  if (env().DATABASE_URL !== url)
    throw new Error("useIsolatedDatabase: lib/env.ts was read before the switch; call it first in beforeAll");
  return url;
}

/** A plain node-postgres connection (as the database owner), closed after `fn`. */
export async function withClient<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

/** Runs `fn` and returns the PostgreSQL error it raised (fails the test if none). */
export async function pgError(fn: () => Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await fn();
  } catch (e) {
    const err = e as { code?: string; message?: string };
    if (typeof err.code === "string") return { code: err.code, message: err.message ?? "" };
    throw e;
  }
  throw new Error("expected the database to refuse the statement");
}
