// The Prisma client, once, over node-postgres (Prisma 7 driver adapter: no Rust engine).
// Password hashes are omitted from every query unless a caller asks for them explicitly.
import "server-only";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient, Prisma } from "@/lib/generated/prisma/client";
import { env } from "@/lib/env";

function create() {
  const adapter = new PrismaPg({ connectionString: env().DATABASE_URL, max: 10 });
  return new PrismaClient({ adapter, omit: { user: { passwordHash: true }, passwordHistory: { hash: true } } });
}

export type Db = ReturnType<typeof create>;
export type Tx = Parameters<Parameters<Db["$transaction"]>[0]>[0];

const g = globalThis as unknown as { __certsealDb?: Db };

export function db(): Db {
  g.__certsealDb ??= create();
  return g.__certsealDb;
}

/** Every multi-row change goes through here: one transaction, read committed, bounded time. */
export function withTx<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
  return db().$transaction(fn, { maxWait: 10_000, timeout: 30_000 });
}

export { Prisma };
