-- Supervision dashboard (issue 8, V-01): the access log (A-01), summary tables rebuilt by the
-- dashboard job, data-quality findings, refresh times and the ranking's settings.

-- CreateTable
CREATE TABLE "AccessLog" (
    "id" BIGSERIAL NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "kind" VARCHAR(10) NOT NULL,
    "channel" VARCHAR(10) NOT NULL,
    "scenario" VARCHAR(20),
    "licenceId" UUID,
    "issuerDeptId" UUID,
    "userDeptId" UUID,
    "userId" UUID,
    "ok" BOOLEAN NOT NULL,
    "failure" VARCHAR(40),
    "ip" VARCHAR(64),
    CONSTRAINT "AccessLog_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "AccessLog_kind_check" CHECK ("kind" IN ('VERIFY', 'USE')),
    CONSTRAINT "AccessLog_channel_check" CHECK ("channel" IN ('QR', 'CODE', 'UPLOAD', 'SHOW', 'PORTAL', 'FILE'))
);
CREATE INDEX "AccessLog_at_idx" ON "AccessLog"("at");
CREATE INDEX "AccessLog_issuerDeptId_at_idx" ON "AccessLog"("issuerDeptId", "at");
CREATE INDEX "AccessLog_userDeptId_at_idx" ON "AccessLog"("userDeptId", "at");

-- Never edited; rows leave only after the 1-year retention (A-01).
CREATE FUNCTION "access_log_guard"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' AND OLD."at" < now() - interval '1 year' THEN
    RETURN OLD;
  END IF;
  RAISE EXCEPTION 'AccessLog is append-only (rows older than 1 year may be purged)' USING ERRCODE = 'insufficient_privilege';
END $$;
CREATE TRIGGER "AccessLog_no_change" BEFORE UPDATE OR DELETE ON "AccessLog" FOR EACH ROW EXECUTE FUNCTION "access_log_guard"();
CREATE TRIGGER "AccessLog_no_truncate" BEFORE TRUNCATE ON "AccessLog" FOR EACH STATEMENT EXECUTE FUNCTION "supervision_refuse_change"();

-- CreateTable
CREATE TABLE "StatLicenceMonth" (
    "deptId" UUID NOT NULL,
    "month" DATE NOT NULL,
    "origin" VARCHAR(10) NOT NULL,
    "syncMode" VARCHAR(10) NOT NULL,
    "issued" INTEGER NOT NULL,
    "onTime" INTEGER NOT NULL,
    CONSTRAINT "StatLicenceMonth_pkey" PRIMARY KEY ("deptId", "month", "origin", "syncMode")
);
CREATE INDEX "StatLicenceMonth_month_idx" ON "StatLicenceMonth"("month");

-- CreateTable
CREATE TABLE "StatObjectionMonth" (
    "deptId" UUID NOT NULL,
    "month" DATE NOT NULL,
    "received" INTEGER NOT NULL,
    "markCounted" INTEGER NOT NULL,
    "markedOnTime" INTEGER NOT NULL,
    "resolveCounted" INTEGER NOT NULL,
    "resolvedOnTime" INTEGER NOT NULL,
    "resolved" INTEGER NOT NULL,
    "resolveDays" INTEGER NOT NULL,
    "overdueNow" INTEGER NOT NULL,
    CONSTRAINT "StatObjectionMonth_pkey" PRIMARY KEY ("deptId", "month")
);
CREATE INDEX "StatObjectionMonth_month_idx" ON "StatObjectionMonth"("month");

-- CreateTable
CREATE TABLE "StatAccessMonth" (
    "month" DATE NOT NULL,
    "issuerDeptId" UUID NOT NULL,
    "userDeptId" UUID NOT NULL,
    "kind" VARCHAR(10) NOT NULL,
    "channel" VARCHAR(10) NOT NULL,
    "scenario" VARCHAR(20) NOT NULL,
    "total" INTEGER NOT NULL,
    "failed" INTEGER NOT NULL,
    CONSTRAINT "StatAccessMonth_pkey" PRIMARY KEY ("month", "issuerDeptId", "userDeptId", "kind", "channel", "scenario")
);
CREATE INDEX "StatAccessMonth_issuerDeptId_idx" ON "StatAccessMonth"("issuerDeptId");

-- CreateTable
CREATE TABLE "LicenceFinding" (
    "licenceId" UUID NOT NULL,
    "kind" VARCHAR(20) NOT NULL,
    "deptId" UUID NOT NULL,
    "typeId" UUID NOT NULL,
    "detail" VARCHAR(500) NOT NULL,
    "foundAt" TIMESTAMPTZ(3) NOT NULL,
    CONSTRAINT "LicenceFinding_pkey" PRIMARY KEY ("licenceId", "kind"),
    CONSTRAINT "LicenceFinding_kind_check" CHECK ("kind" IN ('FACE_INVALID', 'EXPIRED_VALID', 'DUPLICATE_LIVE'))
);
CREATE INDEX "LicenceFinding_deptId_kind_idx" ON "LicenceFinding"("deptId", "kind");
CREATE INDEX "LicenceFinding_kind_idx" ON "LicenceFinding"("kind");
ALTER TABLE "LicenceFinding" ADD CONSTRAINT "LicenceFinding_licenceId_fkey" FOREIGN KEY ("licenceId") REFERENCES "Licence"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- CreateTable
CREATE TABLE "StatRefresh" (
    "name" VARCHAR(40) NOT NULL,
    "refreshedAt" TIMESTAMPTZ(3) NOT NULL,
    "durationMs" INTEGER NOT NULL,
    "rows" INTEGER NOT NULL,
    CONSTRAINT "StatRefresh_pkey" PRIMARY KEY ("name")
);

-- CreateTable
CREATE TABLE "SupervisionSetting" (
    "id" INTEGER NOT NULL DEFAULT 1,
    "weightTimeliness" INTEGER NOT NULL DEFAULT 40,
    "weightCompleteness" INTEGER NOT NULL DEFAULT 30,
    "weightObjections" INTEGER NOT NULL DEFAULT 30,
    "listStaleDays" INTEGER NOT NULL DEFAULT 180,
    "updatedById" UUID,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "SupervisionSetting_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "SupervisionSetting_one_row" CHECK ("id" = 1),
    CONSTRAINT "SupervisionSetting_weights_check" CHECK ("weightTimeliness" >= 0 AND "weightCompleteness" >= 0 AND "weightObjections" >= 0 AND "weightTimeliness" + "weightCompleteness" + "weightObjections" = 100),
    CONSTRAINT "SupervisionSetting_stale_check" CHECK ("listStaleDays" BETWEEN 7 AND 3650)
);
INSERT INTO "SupervisionSetting" ("id") VALUES (1);
