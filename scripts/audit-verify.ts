// `npm run audit:verify`: walks the SM3 audit chain and reports the first broken sequence number.
// Without DATABASE_URL it uses the embedded default in .data/ the way `npm start` does: attaches
// to the PostgreSQL already running on its port, or starts it and stops it again afterwards.
import { existsSync } from "node:fs";
import path from "node:path";
import { portIsOpen, startEmbeddedPostgres } from "@/lib/db/embedded";
import { localSecrets } from "@/lib/db/secrets";

const dataDir = path.join(process.cwd(), ".data");

function fail(msg: string): never {
  console.error(`certseal: ${msg}`);
  process.exit(2);
}

async function main(): Promise<number> {
  let stopPg: () => Promise<void> = async () => {};
  if (!process.env.DATABASE_URL) {
    // Never generate secrets or initialise a new cluster here: there would be no chain to verify.
    if (!existsSync(path.join(dataDir, "secrets.json")))
      fail("DATABASE_URL is not set and there is no embedded database in .data/ (run `npm start` once first).");
    const s = localSecrets(dataDir);
    const pgPort = Number(process.env.CERTSEAL_PG_PORT ?? 54329);
    const pgDir = path.join(dataDir, "pg");
    if (!(await portIsOpen(pgPort)) && !existsSync(path.join(pgDir, "PG_VERSION")))
      fail(`no embedded PostgreSQL cluster in .data/pg and nothing listening on port ${pgPort} (run \`npm start\` once first).`);
    const pg = await startEmbeddedPostgres({ dataDir: pgDir, port: pgPort, password: s.PG_PASSWORD, quiet: true }).catch((e: unknown) =>
      fail(`cannot start or attach to the embedded PostgreSQL in .data/pg on port ${pgPort}: ${(e as Error).message}`),
    );
    stopPg = pg.stop;
    process.env.DATABASE_URL = pg.url("certseal");
    process.env.NEXTAUTH_SECRET ??= s.NEXTAUTH_SECRET;
    process.env.CERTSEAL_KEK ??= s.CERTSEAL_KEK;
  }
  try {
    const { verifyAuditChain } = await import("@/lib/audit/log");
    const { db } = await import("@/lib/db");
    try {
      const r = await verifyAuditChain();
      if (r.ok) {
        console.log(`audit chain OK: ${r.checked} events`);
        return 0;
      }
      console.log(`audit chain BROKEN at seq ${r.firstBroken} (${r.reason})`);
      return 1;
    } finally {
      await db().$disconnect();
    }
  } finally {
    await stopPg();
  }
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => fail((e as Error).message ?? String(e)),
);
