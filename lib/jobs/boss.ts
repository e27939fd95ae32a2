// Background jobs on pg-boss in the same PostgreSQL (ARCHITECTURE.md): `npm start` runs the
// workers beside the web server, `npm run worker` runs them alone. Web requests only send jobs.
import "server-only";
import PgBoss from "pg-boss";
import { env } from "@/lib/env";

export const QUEUES = {
  sealFiling: "seal-filing",
  sealFilingSweep: "seal-filing-sweep",
  sealRenewalReminders: "seal-renewal-reminders",
  sealUseSweep: "seal-use-sweep",
  // 存量电子化 (L-09): the dry run, the confirmed run, and the sweeper that re-queues imports a stopped worker left
  licenceImportCheck: "licence-import-check",
  licenceImportRun: "licence-import-run",
  licenceImportSweep: "licence-import-sweep",
  licenceExpiry: "licence-expiry",
  // objections (O-05): half-time reminders and exactly-once escalation of missed deadlines
  objectionSweep: "objection-sweep",
  // supervision (V-01): the dashboard's summaries, rebuilt every 5 minutes
  dashboardRefresh: "dashboard-refresh",
} as const;

const g = globalThis as unknown as { __certsealBoss?: Promise<PgBoss> };

/** PostgreSQL going away (a shutdown, a restart): pg-boss retries; one line is enough. */
const CONNECTION_LOST = new Set(["57P01", "57P02", "57P03", "08006", "08001", "ECONNREFUSED", "ECONNRESET"]);

/** pg-boss's error event: a lost connection as one line, anything else with its stack. */
export function logBossError(e: unknown): void {
  const err = e as { code?: string; message?: string };
  if (err?.code && CONNECTION_LOST.has(err.code)) console.error(`[certseal] pg-boss: database connection lost (${err.code}: ${err.message ?? ""}); retrying`);
  else console.error("[certseal] pg-boss", e);
}

async function create(): Promise<PgBoss> {
  const boss = new PgBoss({ connectionString: env().DATABASE_URL, schema: "pgboss", supervise: false, schedule: false, max: 3 });
  boss.on("error", logBossError);
  await boss.start();
  for (const q of Object.values(QUEUES)) await boss.createQueue(q);
  return boss;
}

/** A sending-only client (no maintenance, no cron): what request handlers use. */
export function boss(): Promise<PgBoss> {
  g.__certsealBoss ??= create().catch((e) => {
    g.__certsealBoss = undefined;
    throw e;
  });
  return g.__certsealBoss;
}

/** Stops the shared client and forgets it, so the next boss() starts a fresh one (tests, shutdown). */
export async function stopBoss(): Promise<void> {
  const b = g.__certsealBoss;
  g.__certsealBoss = undefined;
  if (b) await (await b).stop({ graceful: false, wait: true });
}

/** Queues the filing of a produced seal; retries with exponential backoff (S-05). */
export async function enqueueFiling(sealId: string) {
  const b = await boss();
  await b.send(QUEUES.sealFiling, { sealId }, { singletonKey: sealId, retryLimit: 10, retryDelay: 30, retryBackoff: true });
}
