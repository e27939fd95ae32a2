// The job workers: registered by scripts/worker.ts (`npm run worker`, and beside the web server
// under `npm start`). Handlers are idempotent; deadlines live on rows, so a lost job only delays.
import "server-only";
import PgBoss from "pg-boss";
import { env } from "@/lib/env";
import { logBossError, QUEUES } from "@/lib/jobs/boss";
import { dueFilings, runFiling } from "@/lib/seals/filing";
import { sendRenewalReminders } from "@/lib/seals/reminders";
import { expireDueRequests, sendApprovalReminders } from "@/lib/seal-use/service";
import { releaseStaleReservations } from "@/lib/seal-use/signing";
import { checkImport, requeueStaleImports, runImport } from "@/lib/licenses/bulk/service";
import { IMPORT_JOB_OPTIONS, queueOf } from "@/lib/licenses/bulk/jobs";
import { runLicenceExpiry } from "@/lib/licenses/expiry";
import { sweepObjections } from "@/lib/objections/jobs";
import { refreshDashboard } from "@/lib/supervision/dashboard/refresh";

/** Seal use (S-10 … S-12): expiry of requests, 1-working-day reminders, crashed signings given back. */
export async function sealUseSweep(now = new Date()) {
  const released = await releaseStaleReservations(now);
  const expired = await expireDueRequests(now);
  const reminded = await sendApprovalReminders(now);
  return { released, expired, reminded };
}

export async function startWorkers(opts: { sweepCron?: string } = {}): Promise<PgBoss> {
  const boss = new PgBoss({ connectionString: env().DATABASE_URL, schema: "pgboss", max: 4 });
  boss.on("error", logBossError);
  await boss.start();
  for (const q of Object.values(QUEUES)) await boss.createQueue(q);

  await boss.work<{ sealId: string }>(QUEUES.sealFiling, async ([job]) => {
    const r = await runFiling(job.data.sealId);
    // Throwing hands the retry (with exponential backoff) to pg-boss.
    if (r.status === "FAILED") throw new Error(`filing failed: ${r.error}`);
  });
  await boss.work(QUEUES.sealFilingSweep, async () => {
    for (const f of await dueFilings()) {
      await boss.send(QUEUES.sealFiling, { sealId: f.sealId }, { singletonKey: f.sealId, retryLimit: 10, retryDelay: 30, retryBackoff: true });
    }
  });
  await boss.schedule(QUEUES.sealFilingSweep, opts.sweepCron ?? "* * * * *");
  await boss.work(QUEUES.sealRenewalReminders, async () => {
    await sendRenewalReminders();
  });
  // 09:00 Asia/Shanghai every day (S-06 renewal reminders)
  await boss.schedule(QUEUES.sealRenewalReminders, "0 9 * * *", undefined, { tz: "Asia/Shanghai" });
  await boss.work(QUEUES.sealUseSweep, async () => {
    await sealUseSweep();
  });
  await boss.schedule(QUEUES.sealUseSweep, opts.sweepCron ?? "*/5 * * * *");
  await boss.work(QUEUES.licenceExpiry, async () => {
    await runLicenceExpiry();
  });
  // 01:00 Asia/Shanghai every day (L-08 expiry, L-10 reminders 30 days ahead)
  await boss.schedule(QUEUES.licenceExpiry, "0 1 * * *", undefined, { tz: "Asia/Shanghai" });
  // objections (O-05): every 5 minutes; deadlines live on the rows, so a stopped worker only delays
  await boss.work(QUEUES.objectionSweep, async () => {
    await sweepObjections();
  });
  await boss.schedule(QUEUES.objectionSweep, opts.sweepCron ?? "*/5 * * * *", undefined, { tz: "Asia/Shanghai" });
  // the dashboard's summaries (V-01): every 5 minutes, and once at start; a rebuild already
  // running (another worker, a supervisor's button) makes this one a no-op
  await boss.work(QUEUES.dashboardRefresh, async () => {
    await refreshDashboard({ wait: false });
  });
  await boss.schedule(QUEUES.dashboardRefresh, opts.sweepCron ?? "*/5 * * * *", undefined, { tz: "Asia/Shanghai" });
  await boss.send(QUEUES.dashboardRefresh, {}, { singletonKey: "start" });
  // 存量电子化 (L-09): dry runs and confirmed runs, one at a time each; the sweeper re-queues the
  // imports a stopped worker left (at start, and every minute)
  await boss.work<{ importId: string }>(QUEUES.licenceImportCheck, async ([job]) => {
    await checkImport(job.data.importId);
  });
  await boss.work<{ importId: string }>(QUEUES.licenceImportRun, async ([job]) => {
    await runImport(job.data.importId);
  });
  const requeue = () => requeueStaleImports((job, importId) => boss.send(queueOf(job), { importId }, IMPORT_JOB_OPTIONS));
  await boss.work(QUEUES.licenceImportSweep, async () => {
    await requeue();
  });
  await boss.schedule(QUEUES.licenceImportSweep, opts.sweepCron ?? "* * * * *");
  await requeue();
  return boss;
}
