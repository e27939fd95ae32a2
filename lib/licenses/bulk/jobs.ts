// Queueing the two jobs of a bulk conversion (L-09). Sent after the row's commit; a send that is
// lost (the process stopped in between) is made good by the sweeper (requeueStaleImports).
import "server-only";
import { boss, QUEUES } from "@/lib/jobs/boss";

export type ImportJob = "check" | "run";
export type ImportJobSender = (job: ImportJob, importId: string) => Promise<unknown>;

/** Runs take minutes at most; a day of expiry only matters for a worker that died holding one. */
export const IMPORT_JOB_OPTIONS = { retryLimit: 0, expireInSeconds: 6 * 3600 } as const;

export function queueOf(job: ImportJob): string {
  return job === "check" ? QUEUES.licenceImportCheck : QUEUES.licenceImportRun;
}

export const enqueueImport: ImportJobSender = async (job, importId) => {
  const b = await boss();
  return b.send(queueOf(job), { importId }, IMPORT_JOB_OPTIONS);
};
