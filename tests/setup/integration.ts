// Runs before every integration test file: points lib/env.ts at the test database started by
// tests/setup/global-pg.ts (whatever the shell's DATABASE_URL says), and after the file closes
// the Prisma client lib/db.ts cached on globalThis, since all files share one worker process.
import { afterAll, inject } from "vitest";

Object.assign(process.env, {
  NODE_ENV: "test",
  DATABASE_URL: inject("databaseUrl"),
  CERTSEAL_TEST_ADMIN_URL: inject("adminUrl"),
  NEXTAUTH_SECRET: inject("nextauthSecret"),
  CERTSEAL_KEK: inject("kek"),
});
delete process.env.NEXTAUTH_URL;
delete process.env.CERTSEAL_ALLOWED_ORIGINS;

afterAll(async () => {
  const g = globalThis as { __certsealDb?: { $disconnect(): Promise<void> } };
  const client = g.__certsealDb;
  delete g.__certsealDb;
  await client?.$disconnect();
});
