// `npm start`: the newcomer's one command. Without DATABASE_URL it starts the embedded PostgreSQL
// in .data/pg, generates development secrets into .data/, migrates, seeds the demo (idempotent),
// builds when the sources changed since the last build, and serves on http://localhost:3000.
import { spawn, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { localSecrets } from "@/lib/db/secrets";
import { ensureDatabase, startEmbeddedPostgres } from "@/lib/db/embedded";
import { migrate } from "@/lib/db/migrate";
import { DEMO_PASSWORD, DEMO_USERS } from "@/prisma/seed";

const root = process.cwd();
const dataDir = path.join(root, ".data");
const port = Number(process.env.PORT ?? 3000);
const production = process.env.NODE_ENV === "production";

function fail(msg: string): never {
  console.error(`\ncertseal: ${msg}\n`);
  process.exit(1);
}

function sourceStamp(): string {
  const h = createHash("sha256");
  const walk = (p: string) => {
    if (!existsSync(p)) return;
    const st = statSync(p);
    if (st.isDirectory()) {
      for (const f of readdirSync(p).sort()) if (!["node_modules", ".next", ".data", "generated"].includes(f)) walk(path.join(p, f));
    } else h.update(`${p}:${st.size}:${st.mtimeMs}\n`);
  };
  for (const p of ["app", "components", "lib", "public", "prisma/schema.prisma", "next.config.js", "proxy.ts", "instrumentation.ts", "package-lock.json", "tsconfig.json"]) walk(path.join(root, p));
  return h.digest("hex");
}

async function main() {
  const embedded = !process.env.DATABASE_URL;
  if (production && (!process.env.NEXTAUTH_SECRET || !process.env.CERTSEAL_KEK || embedded))
    fail("NODE_ENV=production needs DATABASE_URL, NEXTAUTH_SECRET (at least 32 random bytes) and CERTSEAL_KEK (64 hex characters) set explicitly; no secrets are generated and no demo data is created in production.");

  const env: NodeJS.ProcessEnv = { ...process.env };
  let stopPg: (() => Promise<void>) | undefined;
  if (!production) {
    const s = localSecrets(dataDir);
    env.NEXTAUTH_SECRET ??= s.NEXTAUTH_SECRET;
    env.CERTSEAL_KEK ??= s.CERTSEAL_KEK;
    if (embedded) {
      const pgPort = Number(process.env.CERTSEAL_PG_PORT ?? 54329);
      console.log(`certseal: starting the embedded PostgreSQL in .data/pg (port ${pgPort}) …`);
      const pg = await startEmbeddedPostgres({ dataDir: path.join(dataDir, "pg"), port: pgPort, password: s.PG_PASSWORD, quiet: true });
      await ensureDatabase(pg.adminUrl, "certseal");
      env.DATABASE_URL = pg.url("certseal");
      stopPg = pg.stop;
    }
  }
  env.NEXTAUTH_URL ??= `http://localhost:${port}`;
  Object.assign(process.env, env);

  const applied = await migrate(env.DATABASE_URL!, { log: (m) => console.log(`certseal: ${m}`) });
  if (!applied.length) console.log("certseal: migrations are current");
  // Reference data, not demo data: the official holiday schedule (O-04) for the years the shipped
  // chinese-days covers; a year an administrator has touched is left alone.
  {
    const { seedHolidays } = await import("@/lib/calendar/seed");
    const { db } = await import("@/lib/db");
    const h = await seedHolidays(db());
    if (h.years.length) console.log(`certseal: holidays seeded (${h.days} days, ${h.years.length} years)`);
  }
  const demo = !production && (embedded || env.CERTSEAL_DEMO === "1");
  if (demo) {
    const { seedDemo, seedDemoSeals, seedDemoFlows, seedDemoCatalog, seedDemoLicences, seedDemoObjections, disconnect } = await import("@/prisma/seed");
    const n = await seedDemo();
    console.log(n ? `certseal: demo data seeded (${n} rows)` : "certseal: demo data already present");
    const seals = await seedDemoSeals();
    if (seals) console.log(`certseal: demo seals produced and filed (${seals})`);
    const flows = await seedDemoFlows();
    if (flows) console.log(`certseal: demo approval flows saved (${flows})`);
    const types = await seedDemoCatalog();
    if (types) console.log(`certseal: demo licence types and lists seeded (${types} types)`);
    const licences = await seedDemoLicences();
    if (licences) console.log(`certseal: demo licences issued and signed (${licences})`);
    const objections = await seedDemoObjections();
    if (objections) console.log(`certseal: demo objections raised (${objections})`);
    const { signPool } = await import("@/lib/crypto/pool");
    await signPool().close();
    await disconnect();
  } else {
    const { db } = await import("@/lib/db");
    await db().$disconnect();
  }

  const nextBin = path.join(root, "node_modules/next/dist/bin/next");
  const stampFile = path.join(root, ".next/certseal-build-stamp");
  const stamp = sourceStamp();
  if (!existsSync(path.join(root, ".next/BUILD_ID")) || !existsSync(stampFile) || readFileSync(stampFile, "utf8") !== stamp) {
    console.log("certseal: building (first start or sources changed) …");
    const b = spawnSync(process.execPath, [nextBin, "build"], { stdio: "inherit", env: { ...env, NODE_ENV: "production" } });
    if (b.status !== 0) fail("the build failed (see above)");
    writeFileSync(stampFile, stamp);
  } else console.log("certseal: build is current, not rebuilding");

  const server = spawn(process.execPath, [nextBin, "start", "-p", String(port)], { stdio: ["ignore", "pipe", "inherit"], env: { ...env, NODE_ENV: "production" } });
  server.stdout.on("data", (d: Buffer) => process.stdout.write(d));
  // The background job workers (filing, reminders …) beside the web server; `npm run worker` alone.
  const worker = spawn(process.execPath, [path.join(root, "node_modules/tsx/dist/cli.mjs"), "--conditions=react-server", path.join(root, "scripts/worker.ts")], {
    stdio: "inherit",
    env: { ...env, NODE_ENV: "production" },
  });
  for (let i = 0; i < 120; i++) {
    await new Promise((r) => setTimeout(r, 500));
    try {
      const r = await fetch(`http://127.0.0.1:${port}/api/health`);
      if (r.ok) break;
    } catch {}
  }
  console.log(`\n  certseal is running: http://localhost:${port}\n`);
  if (demo) {
    console.log(`  Demo accounts (password ${DEMO_PASSWORD}):`);
    for (const u of DEMO_USERS) console.log(`    ${u.username.padEnd(11)} ${u.name}`);
    console.log("");
  }
  const shutdown = async () => {
    server.kill("SIGTERM");
    worker.kill("SIGTERM");
    await stopPg?.();
    process.exit(0);
  };
  process.on("SIGINT", () => void shutdown());
  process.on("SIGTERM", () => void shutdown());
  server.on("exit", (code) => {
    worker.kill("SIGTERM");
    void (stopPg?.() ?? Promise.resolve()).then(() => process.exit(code ?? 0));
  });
}

main().catch((e) => fail((e as Error).stack ?? String(e)));
