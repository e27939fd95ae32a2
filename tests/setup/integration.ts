// Runs before every integration test file: points lib/env.ts at the test database started by
// tests/setup/global-pg.ts (whatever the shell's DATABASE_URL says), and after the file closes
// the Prisma client lib/db.ts cached on globalThis, since all files share one worker process.
import { afterAll, beforeAll, inject } from "vitest";

Object.assign(process.env, {
  NODE_ENV: "test",
  DATABASE_URL: inject("databaseUrl"),
  CERTSEAL_TEST_ADMIN_URL: inject("adminUrl"),
  NEXTAUTH_SECRET: inject("nextauthSecret"),
  CERTSEAL_KEK: inject("kek"),
});
delete process.env.NEXTAUTH_URL;
delete process.env.CERTSEAL_ALLOWED_ORIGINS;

// The official holiday schedule, as every deployment has it (idempotent: nothing after the first
// file). Its own short-lived client, so lib/db.ts has none yet when a file switches databases
// (useIsolatedDatabase).
beforeAll(async () => {
  const { seedHolidays } = await import("@/lib/calendar/seed");
  const { PrismaPg } = await import("@prisma/adapter-pg");
  const { PrismaClient } = await import("@/lib/generated/prisma/client");
  const client = new PrismaClient({ adapter: new PrismaPg({ connectionString: inject("databaseUrl"), max: 2 }) });
  try {
    await seedHolidays(client as unknown as Parameters<typeof seedHolidays>[0]);
  } finally {
    await client.$disconnect();
  }
});

afterAll(async () => {
  const g = globalThis as { __certsealDb?: { $disconnect(): Promise<void> } };
  const client = g.__certsealDb;
  delete g.__certsealDb;
  await client?.$disconnect();
});
