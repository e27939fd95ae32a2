// Runs `prisma generate` offline. The Prisma CLI wants its schema engine binary even to
// generate; when the real one is absent we point it at a stub, which generate never calls.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, writeFileSync, chmodSync, readdirSync } from "node:fs";
import path from "node:path";

const env = { ...process.env };
const enginesDir = path.resolve("node_modules/@prisma/engines");
const hasRealEngine =
  existsSync(enginesDir) && readdirSync(enginesDir).some((f) => f.startsWith("schema-engine"));
if (!hasRealEngine && !env.PRISMA_SCHEMA_ENGINE_BINARY) {
  const stubDir = path.resolve("node_modules/.cache/certseal");
  mkdirSync(stubDir, { recursive: true });
  const stub = path.join(stubDir, "schema-engine-stub");
  writeFileSync(stub, "#!/bin/sh\necho 'schema engine not available offline' >&2\nexit 1\n");
  chmodSync(stub, 0o755);
  env.PRISMA_SCHEMA_ENGINE_BINARY = stub;
  env.PRISMA_ENGINES_CHECKSUM_IGNORE_MISSING = "1";
}
env.PRISMA_HIDE_UPDATE_MESSAGE = "1";
env.CHECKPOINT_DISABLE = "1";
const r = spawnSync(process.execPath, [path.resolve("node_modules/prisma/build/index.js"), "generate"], {
  env,
  stdio: "inherit",
});
process.exit(r.status ?? 1);
