// Two projects: "unit" (no database, files in parallel) and "integration" (one real embedded
// PostgreSQL started by tests/setup/global-pg.ts, files one after another).
//
// vitest 3 only accepts `fileParallelism` at the root, not per project; the integration project
// gets the same effect with `poolOptions.forks.singleFork` (all its files run in one child process,
// in sequence). Modules are still re-evaluated for every file, and tests/setup/integration.ts
// closes the cached Prisma client after each file so the next file starts clean.
import path from "node:path";
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const root = path.dirname(fileURLToPath(import.meta.url));

export default defineConfig({
  resolve: {
    alias: [
      // `import "server-only"` throws outside React's server condition; tests run lib/ code directly.
      { find: /^server-only$/, replacement: path.join(root, "tests/setup/empty.ts") },
      { find: /^@\//, replacement: `${root}/` },
    ],
  },
  test: {
    testTimeout: 60_000,
    hookTimeout: 60_000,
    teardownTimeout: 60_000,
    pool: "forks",
    projects: [
      {
        extends: true,
        test: {
          name: "unit",
          include: ["lib/**/*.test.ts", "tests/unit/**/*.test.ts"],
          exclude: ["**/*.int.test.ts", "**/node_modules/**", "lib/generated/**"],
          // Unit tests have no database: a stray query fails fast instead of finding a real server.
          env: {
            NODE_ENV: "test",
            DATABASE_URL: "postgresql://unit:unit@127.0.0.1:9/unit_tests_have_no_database",
            NEXTAUTH_SECRET: "unit-test-secret-unit-test-secret-0000000",
            CERTSEAL_KEK: "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff",
          },
        },
      },
      {
        extends: true,
        test: {
          name: "integration",
          include: ["lib/**/*.int.test.ts", "tests/integration/**/*.int.test.ts"],
          exclude: ["**/node_modules/**", "lib/generated/**"],
          globalSetup: ["tests/setup/global-pg.ts"],
          setupFiles: ["tests/setup/integration.ts"],
          poolOptions: { forks: { singleFork: true } },
        },
      },
    ],
  },
});
