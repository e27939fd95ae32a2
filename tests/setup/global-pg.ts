// Global setup of the "integration" project: one throwaway embedded PostgreSQL in a fresh temporary
// directory on a free port (never .data/, the demo database), database `certseal_test` migrated
// with the project's own migrator. Workers receive the URLs and secrets through `provide`
// (read back in tests/setup/integration.ts); they are also put into process.env here.
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { ensureDatabase, freePort, startEmbeddedPostgres } from "../../lib/db/embedded";
import { migrate } from "../../lib/db/migrate";

export const TEST_DATABASE = "certseal_test";

declare module "vitest" {
  export interface ProvidedContext {
    databaseUrl: string;
    adminUrl: string;
    nextauthSecret: string;
    kek: string;
  }
}

export default async function setup(project: TestProject) {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "certseal-it-"));
  let stop: (() => Promise<void>) | undefined;
  const cleanup = async () => {
    try {
      await stop?.();
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  };
  try {
    const port = await freePort();
    const started = Date.now();
    const pg = await startEmbeddedPostgres({
      dataDir: path.join(tmp, "pg"),
      port,
      password: randomBytes(12).toString("hex"),
      quiet: true,
      ephemeral: true,
    });
    stop = pg.stop;
    await ensureDatabase(pg.adminUrl, TEST_DATABASE);
    const databaseUrl = pg.url(TEST_DATABASE);
    await migrate(databaseUrl);

    const values = {
      databaseUrl,
      adminUrl: pg.adminUrl,
      nextauthSecret: randomBytes(20).toString("hex"), // 40 characters
      kek: randomBytes(32).toString("hex"),
    };
    for (const [k, v] of Object.entries(values)) project.provide(k as keyof typeof values, v);
    Object.assign(process.env, {
      NODE_ENV: "test",
      DATABASE_URL: values.databaseUrl,
      CERTSEAL_TEST_ADMIN_URL: values.adminUrl,
      NEXTAUTH_SECRET: values.nextauthSecret,
      CERTSEAL_KEK: values.kek,
    });
    console.log(`[integration] PostgreSQL on port ${port} in ${tmp} (${Date.now() - started} ms)`);
  } catch (e) {
    await cleanup();
    throw e;
  }
  return cleanup;
}
