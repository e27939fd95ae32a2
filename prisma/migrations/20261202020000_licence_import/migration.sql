-- 存量电子化 (L-09), what the background run needs beyond the licences migration: the rows the dry
-- run found already imported (skipped on the run), a bitmap of the rows it rejected (the run never
-- reads them again), the first problems for the page, the lease that lets exactly one worker run
-- an import (a restarted worker takes over a stale one), who confirmed it, and the rows the run
-- itself refused (a live licence issued since the dry run, say).
ALTER TABLE "LicenceImport"
    ADD COLUMN "existingRows" INTEGER NOT NULL DEFAULT 0,
    ADD COLUMN "rejectedMap" BYTEA,
    ADD COLUMN "problemPreview" JSONB,
    ADD COLUMN "runFailures" JSONB,
    ADD COLUMN "runToken" UUID,
    ADD COLUMN "confirmedById" UUID;

-- the sweeper looks for imports left running (or queued) by a stopped worker
CREATE INDEX "LicenceImport_status_heartbeatAt_idx" ON "LicenceImport"("status", "heartbeatAt");
