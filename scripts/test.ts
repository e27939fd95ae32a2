// `npm test`: typecheck, lint, unit tests, integration tests (their own embedded PostgreSQL in a
// temporary directory), and Playwright end-to-end tests in Chromium against a production build
// served on another throwaway PostgreSQL. Ends with one line: `N passed, N failed`.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { ensureDatabase, freePort, startEmbeddedPostgres } from "@/lib/db/embedded";
import { migrate } from "@/lib/db/migrate";

const root = process.cwd();
const only = process.argv.slice(2); // e.g. `npm test -- unit e2e`
const want = (s: string) => only.length === 0 || only.includes(s);
let passed = 0;
let failed = 0;
const lines: string[] = [];
// the failing tests by name, repeated under the summary so a truncated CI log still says which
const failures: string[] = [];

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  return new Promise((resolve) => {
    const p = spawn(cmd, args, { stdio: "inherit", env });
    p.on("exit", (code) => resolve(code ?? 1));
  });
}

function chromium(): string | null {
  const candidates = [process.env.CHROMIUM_PATH, "/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"];
  return candidates.find((c) => c && existsSync(c)) ?? null;
}

async function step(name: string, fn: () => Promise<{ p: number; f: number }>) {
  const t0 = Date.now();
  console.log(`\n=== ${name} ===`);
  let r: { p: number; f: number };
  const named = failures.length;
  try {
    r = await fn();
  } catch (e) {
    console.error(e);
    r = { p: 0, f: 1 };
  }
  // a step that failed without naming tests (typecheck, lint, a build): say so under the summary too
  if (r.f > 0 && failures.length === named) failures.push(`${name}: failed, see its output above`);
  passed += r.p;
  failed += r.f;
  lines.push(`${name.padEnd(12)} ${r.p} passed, ${r.f} failed (${Math.round((Date.now() - t0) / 1000)} s)`);
}

const bin = (name: string) => path.join(root, "node_modules/.bin", name);

function firstLine(message: string | undefined): string {
  return (message ?? "").split("\n").find((l) => l.trim() !== "")?.trim().slice(0, 300) ?? "";
}

type PwSuite = { title: string; file?: string; specs?: { title: string; ok: boolean; tests: { results: { error?: { message?: string } }[] }[] }[]; suites?: PwSuite[] };
function playwrightFailures(suites: PwSuite[] | undefined) {
  for (const s of suites ?? []) {
    for (const spec of s.specs ?? []) {
      if (spec.ok) continue;
      const err = spec.tests.flatMap((t) => t.results).find((r) => r.error)?.error?.message;
      failures.push(`e2e: ${s.file ?? s.title} › ${spec.title}\n    ${firstLine(err?.replace(/\u001b\[[0-9;]*m/g, ""))}`);
    }
    playwrightFailures(s.suites);
  }
}

async function vitest(project: string) {
  const out = path.join(os.tmpdir(), `certseal-vitest-${project}-${process.pid}.json`);
  const code = await run(bin("vitest"), ["run", "--project", project, "--reporter=default", "--reporter=json", `--outputFile=${out}`]);
  if (!existsSync(out)) return { p: 0, f: 1 };
  const j = JSON.parse(readFileSync(out, "utf8")) as {
    numPassedTests: number;
    numFailedTests: number;
    numTotalTestSuites: number;
    testResults: { name: string; status: string; message?: string; assertionResults: { status: string; fullName: string; failureMessages?: string[] }[] }[];
  };
  rmSync(out, { force: true });
  for (const s of j.testResults) {
    const file = path.relative(root, s.name);
    const bad = s.assertionResults.filter((a) => a.status === "failed");
    for (const a of bad) failures.push(`${project}: ${file} › ${a.fullName}\n    ${firstLine(a.failureMessages?.[0])}`);
    if (s.status === "failed" && bad.length === 0) failures.push(`${project}: ${file}\n    ${firstLine(s.message)}`);
  }
  const suiteFailures = j.testResults.filter((s) => s.status === "failed").length;
  const f = j.numFailedTests || (code !== 0 ? Math.max(1, suiteFailures) : 0);
  return { p: j.numPassedTests, f };
}

async function e2e() {
  const browser = chromium();
  if (!browser) throw new Error("unreachable: checked at start");
  const tmp = mkdtempSync(path.join(os.tmpdir(), "certseal-e2e-"));
  const pgPort = await freePort();
  const pg = await startEmbeddedPostgres({ dataDir: path.join(tmp, "pg"), port: pgPort, password: "e2e-password", quiet: true, ephemeral: true });
  let server: ReturnType<typeof spawn> | undefined;
  let worker: ReturnType<typeof spawn> | undefined;
  try {
    await ensureDatabase(pg.adminUrl, "certseal_e2e");
    const databaseUrl = pg.url("certseal_e2e");
    await migrate(databaseUrl);
    const port = await freePort();
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      DATABASE_URL: databaseUrl,
      NEXTAUTH_SECRET: "e2e-secret-e2e-secret-e2e-secret-e2e-secret",
      CERTSEAL_KEK: "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff",
      NEXTAUTH_URL: `http://localhost:${port}`,
      CERTSEAL_DIST_DIR: ".next-test",
      NEXT_TELEMETRY_DISABLED: "1",
    };
    Object.assign(process.env, { DATABASE_URL: databaseUrl, NEXTAUTH_SECRET: env.NEXTAUTH_SECRET, CERTSEAL_KEK: env.CERTSEAL_KEK });
    const { seedDemo, seedDemoSeals, seedDemoFlows, seedDemoCatalog, seedDemoLicences, disconnect } = await import("@/prisma/seed");
    await seedDemo();
    const { seedHolidays } = await import("@/lib/calendar/seed");
    const { db } = await import("@/lib/db");
    await seedHolidays(db());
    await seedDemoSeals();
    await seedDemoFlows();
    await seedDemoCatalog();
    await seedDemoLicences();
    const { signPool } = await import("@/lib/crypto/pool");
    await signPool().close();
    await disconnect();
    const nextBin = path.join(root, "node_modules/next/dist/bin/next");
    console.log("building the portal for the end-to-end tests …");
    const b = spawnSync(process.execPath, [nextBin, "build"], { stdio: "inherit", env: { ...env, NODE_ENV: "production" } });
    if (b.status !== 0) return { p: 0, f: 1 };
    server = spawn(process.execPath, [nextBin, "start", "-p", String(port)], { stdio: ["ignore", "ignore", "inherit"], env: { ...env, NODE_ENV: "production" } });
    // the job workers, as `npm start` runs them beside the web server
    worker = spawn(process.execPath, [path.join(root, "node_modules/tsx/dist/cli.mjs"), "--conditions=react-server", path.join(root, "scripts/worker.ts")], {
      stdio: ["ignore", "ignore", "inherit"],
      env: { ...env, NODE_ENV: "production" },
    });
    let up = false;
    for (let i = 0; i < 120 && !up; i++) {
      await new Promise((r) => setTimeout(r, 500));
      up = await fetch(`http://127.0.0.1:${port}/api/health`).then((r) => r.ok, () => false);
    }
    if (!up) throw new Error("the portal did not become healthy");
    const out = path.join(tmp, "e2e.json");
    // E2E_ONLY=supervision,objections runs those specs only (while working on them)
    const specs = (process.env.E2E_ONLY ?? "").split(",").filter(Boolean).map((n) => `e2e/${n}.spec.ts`);
    await run(bin("playwright"), ["test", ...specs], {
      ...env,
      CHROMIUM_PATH: browser,
      E2E_BASE_URL: `http://localhost:${port}`,
      E2E_DATABASE_URL: databaseUrl,
      PLAYWRIGHT_JSON_OUTPUT_NAME: out,
    });
    if (!existsSync(out)) return { p: 0, f: 1 };
    const report = JSON.parse(readFileSync(out, "utf8")) as { stats: { expected: number; unexpected: number; flaky: number }; suites?: PwSuite[] };
    playwrightFailures(report.suites);
    const s = report.stats;
    return { p: s.expected + s.flaky, f: s.unexpected };
  } finally {
    server?.kill("SIGTERM");
    worker?.kill("SIGTERM");
    await pg.stop().catch(() => {});
    rmSync(tmp, { recursive: true, force: true });
  }
}

async function main() {
  if (want("e2e") && !chromium()) {
    console.error(
      "certseal: the end-to-end tests need Chromium and none was found (looked at $CHROMIUM_PATH, /usr/bin/chromium).\n" +
        "Install one, e.g. on Debian/Ubuntu: sudo apt-get update && sudo apt-get install -y chromium\n" +
        "or point CHROMIUM_PATH at an existing Chromium or Chrome binary.",
    );
    process.exit(2);
  }
  process.env.NEXT_TELEMETRY_DISABLED = "1";
  if (want("typecheck")) await step("typecheck", async () => ((await run(bin("tsc"), ["--noEmit", "-p", "."])) === 0 ? { p: 1, f: 0 } : { p: 0, f: 1 }));
  if (want("lint")) await step("lint", async () => ((await run(bin("eslint"), ["--max-warnings=0", "."])) === 0 ? { p: 1, f: 0 } : { p: 0, f: 1 }));
  if (want("unit")) await step("unit", () => vitest("unit"));
  if (want("integration")) await step("integration", () => vitest("integration"));
  if (want("e2e")) await step("e2e", e2e);
  if (failures.length > 0) console.log(`\nfailed:\n${failures.map((f) => `  ${f}`).join("\n")}`);
  console.log(`\n${lines.join("\n")}`);
  console.log(`\n${passed} passed, ${failed} failed`);
  process.exit(failed === 0 && passed > 0 ? 0 : 1);
}

void main();
