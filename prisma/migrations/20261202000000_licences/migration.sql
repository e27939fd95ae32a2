-- Licences (issue 6): holders (P-02), issued licences with identifiers and signatures (L-05 … L-07),
-- lifecycle events and restrictions (L-08), number counters (L-06), bulk conversion jobs (L-09),
-- expiry reminders to holders (L-10), department transfers (L-11), emergency incidents (L-12) and
-- the on-screen 亮证 codes of the public verification page (U-06).

-- CreateEnum
CREATE TYPE "LicenceStatus" AS ENUM ('VALID', 'SUSPENDED', 'REVOKED', 'CANCELLED', 'ANNULLED', 'EXPIRED');

-- The minimal licence row of the catalog migration had no data yet; it becomes the real one.
DROP TABLE "Licence";

-- CreateTable
CREATE TABLE "Holder" (
    "id" UUID NOT NULL,
    "category" VARCHAR(20) NOT NULL,
    "codeType" VARCHAR(3) NOT NULL,
    "codeHash" CHAR(64) NOT NULL,
    "codeEnc" BYTEA NOT NULL,
    "codeMasked" VARCHAR(40) NOT NULL,
    "name" VARCHAR(200) NOT NULL,
    "contactEnc" BYTEA,
    "contactMasked" VARCHAR(40),
    "rev" INTEGER NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,
    CONSTRAINT "Holder_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "Licence" (
    "id" UUID NOT NULL,
    "identifier" VARCHAR(100) NOT NULL,
    "licenceNumber" VARCHAR(40) NOT NULL,
    "serial" VARCHAR(20) NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 1,
    "typeId" UUID NOT NULL,
    "typeVersionId" UUID NOT NULL,
    "typeCode" VARCHAR(21) NOT NULL,
    "name" VARCHAR(100) NOT NULL,
    "issuerDeptId" UUID NOT NULL,
    "originalIssuerDeptId" UUID NOT NULL,
    "issuerCode" CHAR(18) NOT NULL,
    "issuerName" VARCHAR(100) NOT NULL,
    "areaCode" CHAR(6) NOT NULL,
    "holderId" UUID NOT NULL,
    "holderCodeType" VARCHAR(3) NOT NULL,
    "holderCodeHash" CHAR(64) NOT NULL,
    "holderName" VARCHAR(200) NOT NULL,
    "matterCode" VARCHAR(60),
    "matterName" VARCHAR(200),
    "face" JSONB NOT NULL,
    "status" "LicenceStatus" NOT NULL DEFAULT 'VALID',
    "exclusive" BOOLEAN NOT NULL DEFAULT true,
    "restricted" BOOLEAN NOT NULL DEFAULT false,
    "issuedAt" TIMESTAMPTZ(3) NOT NULL,
    "validFrom" DATE NOT NULL,
    "validTo" DATE,
    "businessCompletedAt" TIMESTAMPTZ(3) NOT NULL,
    "syncMode" VARCHAR(10) NOT NULL,
    "syncedAt" TIMESTAMPTZ(3) NOT NULL,
    "syncDelayDays" INTEGER NOT NULL DEFAULT 0,
    "syncDueAt" TIMESTAMPTZ(3) NOT NULL,
    "incidentId" UUID,
    "importId" UUID,
    "predecessorId" UUID,
    "origin" VARCHAR(10) NOT NULL DEFAULT 'ISSUE',
    "sealId" UUID,
    "canonicalSm3" CHAR(64) NOT NULL,
    "signature" BYTEA,
    "signedAt" TIMESTAMPTZ(3),
    "fileSm3" CHAR(64),
    "verifyCode" VARCHAR(8) NOT NULL,
    "qrEpoch" INTEGER NOT NULL DEFAULT 0,
    "statusReason" VARCHAR(40),
    "statusChangedAt" TIMESTAMPTZ(3),
    "rev" INTEGER NOT NULL DEFAULT 0,
    "createdById" UUID,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,
    CONSTRAINT "Licence_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "Licence_syncMode_check" CHECK ("syncMode" IN ('ONLINE', 'OFFLINE', 'BULK')),
    CONSTRAINT "Licence_origin_check" CHECK ("origin" IN ('ISSUE', 'CHANGE', 'RENEW', 'BULK')),
    CONSTRAINT "Licence_version_check" CHECK ("version" BETWEEN 1 AND 999),
    CONSTRAINT "Licence_validity_check" CHECK ("validTo" IS NULL OR "validTo" >= "validFrom")
);

-- 生命周期 (L-08): one row per transition; never changed.
CREATE TABLE "LicenceEvent" (
    "id" BIGSERIAL NOT NULL,
    "licenceId" UUID NOT NULL,
    "kind" VARCHAR(20) NOT NULL,
    "fromStatus" "LicenceStatus",
    "toStatus" "LicenceStatus",
    "reasonCode" VARCHAR(40),
    "reasonText" VARCHAR(500),
    "actorId" UUID,
    "actorName" VARCHAR(50) NOT NULL,
    "deptId" UUID,
    "data" JSONB,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "LicenceEvent_pkey" PRIMARY KEY ("id")
);

-- 质押 and other restrictions on a valid licence (L-08).
CREATE TABLE "LicenceRestriction" (
    "id" UUID NOT NULL,
    "licenceId" UUID NOT NULL,
    "kind" VARCHAR(20) NOT NULL,
    "pledgee" VARCHAR(200) NOT NULL,
    "startsOn" DATE NOT NULL,
    "endsOn" DATE NOT NULL,
    "note" VARCHAR(500),
    "createdById" UUID,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "releasedAt" TIMESTAMPTZ(3),
    "releasedById" UUID,
    CONSTRAINT "LicenceRestriction_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "LicenceRestriction_period_check" CHECK ("endsOn" >= "startsOn")
);

-- Sequences for identifier serials and licence numbers (L-06): one row per scope, taken under the
-- row lock of INSERT … ON CONFLICT DO UPDATE, so concurrent issuers never get the same value.
CREATE TABLE "LicenceCounter" (
    "scope" VARCHAR(200) NOT NULL,
    "value" BIGINT NOT NULL,
    CONSTRAINT "LicenceCounter_pkey" PRIMARY KEY ("scope")
);

-- 存量电子化 (L-09): an uploaded file, its dry run and its background run.
CREATE TABLE "LicenceImport" (
    "id" UUID NOT NULL,
    "deptId" UUID NOT NULL,
    "typeId" UUID NOT NULL,
    "typeVersionId" UUID NOT NULL,
    "fileName" VARCHAR(200) NOT NULL,
    "format" VARCHAR(4) NOT NULL,
    "fileSm3" CHAR(64) NOT NULL,
    "file" BYTEA NOT NULL,
    "status" VARCHAR(12) NOT NULL,
    "totalRows" INTEGER NOT NULL DEFAULT 0,
    "validRows" INTEGER NOT NULL DEFAULT 0,
    "rejectedRows" INTEGER NOT NULL DEFAULT 0,
    "cursor" INTEGER NOT NULL DEFAULT 0,
    "createdCount" INTEGER NOT NULL DEFAULT 0,
    "skippedCount" INTEGER NOT NULL DEFAULT 0,
    "failedCount" INTEGER NOT NULL DEFAULT 0,
    "report" BYTEA,
    "businessCompletedAt" TIMESTAMPTZ(3),
    "error" VARCHAR(1000),
    "createdById" UUID NOT NULL,
    "startedAt" TIMESTAMPTZ(3),
    "runStartedAt" TIMESTAMPTZ(3),
    "runStartCursor" INTEGER NOT NULL DEFAULT 0,
    "finishedAt" TIMESTAMPTZ(3),
    "heartbeatAt" TIMESTAMPTZ(3),
    "rev" INTEGER NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,
    CONSTRAINT "LicenceImport_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "LicenceImport_format_check" CHECK ("format" IN ('CSV', 'XLSX')),
    CONSTRAINT "LicenceImport_status_check" CHECK ("status" IN ('VALIDATING', 'VALIDATED', 'QUEUED', 'RUNNING', 'PAUSED', 'DONE', 'FAILED', 'CANCELLED'))
);

-- 到期提醒 to holders (L-10): a record per licence and reminder kind, ready for an SMS gateway.
CREATE TABLE "HolderNotification" (
    "id" UUID NOT NULL,
    "holderId" UUID NOT NULL,
    "licenceId" UUID NOT NULL,
    "kind" VARCHAR(20) NOT NULL,
    "channel" VARCHAR(10) NOT NULL,
    "contactMasked" VARCHAR(40),
    "message" VARCHAR(500) NOT NULL,
    "status" VARCHAR(10) NOT NULL DEFAULT 'PENDING',
    "sentAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "HolderNotification_pkey" PRIMARY KEY ("id")
);

-- 部门撤并 (L-11): licences moved to a successor department.
CREATE TABLE "LicenceTransfer" (
    "id" UUID NOT NULL,
    "fromDeptId" UUID NOT NULL,
    "toDeptId" UUID NOT NULL,
    "count" INTEGER NOT NULL,
    "reason" VARCHAR(500) NOT NULL,
    "actorId" UUID,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "LicenceTransfer_pkey" PRIMARY KEY ("id")
);

-- 应急 (L-12): issuing could not happen in time; licences completed after recovery point here.
CREATE TABLE "EmergencyIncident" (
    "id" UUID NOT NULL,
    "deptId" UUID NOT NULL,
    "title" VARCHAR(200) NOT NULL,
    "description" VARCHAR(2000) NOT NULL,
    "startedAt" TIMESTAMPTZ(3) NOT NULL,
    "endedAt" TIMESTAMPTZ(3),
    "completeDueAt" TIMESTAMPTZ(3),
    "createdById" UUID,
    "rev" INTEGER NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,
    CONSTRAINT "EmergencyIncident_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "EmergencyIncident_period_check" CHECK ("endedAt" IS NULL OR "endedAt" >= "startedAt")
);

-- 亮证 codes shown on screen: 300 s, one use (STANDARDS.md). Only the SM3 of the token is kept.
CREATE TABLE "LicenceShowCode" (
    "tokenHash" CHAR(64) NOT NULL,
    "licenceId" UUID NOT NULL,
    "expiresAt" TIMESTAMPTZ(3) NOT NULL,
    "usedAt" TIMESTAMPTZ(3),
    "createdById" UUID,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "LicenceShowCode_pkey" PRIMARY KEY ("tokenHash")
);

-- CreateIndex
CREATE UNIQUE INDEX "Holder_codeType_codeHash_key" ON "Holder"("codeType", "codeHash");
CREATE INDEX "Holder_name_idx" ON "Holder"("name");
CREATE UNIQUE INDEX "Licence_identifier_key" ON "Licence"("identifier");
-- a change or renewal keeps the printed number (许可证编号不变) under a new version
CREATE UNIQUE INDEX "Licence_typeId_licenceNumber_version_key" ON "Licence"("typeId", "licenceNumber", "version");
CREATE INDEX "Licence_typeVersionId_idx" ON "Licence"("typeVersionId");
CREATE INDEX "Licence_holderId_idx" ON "Licence"("holderId");
CREATE INDEX "Licence_holderCodeHash_idx" ON "Licence"("holderCodeHash");
CREATE INDEX "Licence_predecessorId_idx" ON "Licence"("predecessorId");
CREATE INDEX "Licence_importId_idx" ON "Licence"("importId");
CREATE INDEX "Licence_issuerDeptId_issuedAt_id_idx" ON "Licence"("issuerDeptId", "issuedAt", "id");
CREATE INDEX "Licence_typeId_issuedAt_id_idx" ON "Licence"("typeId", "issuedAt", "id");
CREATE INDEX "Licence_status_validTo_idx" ON "Licence"("status", "validTo");
CREATE INDEX "Licence_issuedAt_id_idx" ON "Licence"("issuedAt", "id");
-- the one-live-licence rule (L-06 一数一源; STANDARDS.md): per type, a (holder code type, holder code)
-- pair has at most one valid or suspended licence unless the type allows several
CREATE UNIQUE INDEX "Licence_one_live" ON "Licence"("typeId", "holderCodeType", "holderCodeHash")
  WHERE "exclusive" AND "status" IN ('VALID', 'SUSPENDED');
-- holder name prefix search (byte order, so LIKE 'prefix%' can use it whatever the database collation)
CREATE INDEX "Licence_holderName_prefix" ON "Licence"("holderName" COLLATE "C", "issuedAt", "id");
CREATE INDEX "LicenceEvent_licenceId_at_idx" ON "LicenceEvent"("licenceId", "at");
CREATE INDEX "LicenceRestriction_licenceId_idx" ON "LicenceRestriction"("licenceId");
CREATE INDEX "LicenceImport_deptId_createdAt_idx" ON "LicenceImport"("deptId", "createdAt");
CREATE UNIQUE INDEX "HolderNotification_licenceId_kind_key" ON "HolderNotification"("licenceId", "kind");
CREATE INDEX "HolderNotification_holderId_idx" ON "HolderNotification"("holderId");
CREATE INDEX "EmergencyIncident_deptId_startedAt_idx" ON "EmergencyIncident"("deptId", "startedAt");
CREATE INDEX "LicenceShowCode_licenceId_idx" ON "LicenceShowCode"("licenceId");

-- AddForeignKey
ALTER TABLE "Licence" ADD CONSTRAINT "Licence_typeId_fkey" FOREIGN KEY ("typeId") REFERENCES "LicenceType"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "Licence" ADD CONSTRAINT "Licence_typeVersionId_fkey" FOREIGN KEY ("typeVersionId") REFERENCES "LicenceTypeVersion"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "Licence" ADD CONSTRAINT "Licence_issuerDeptId_fkey" FOREIGN KEY ("issuerDeptId") REFERENCES "Department"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "Licence" ADD CONSTRAINT "Licence_originalIssuerDeptId_fkey" FOREIGN KEY ("originalIssuerDeptId") REFERENCES "Department"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "Licence" ADD CONSTRAINT "Licence_holderId_fkey" FOREIGN KEY ("holderId") REFERENCES "Holder"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "Licence" ADD CONSTRAINT "Licence_predecessorId_fkey" FOREIGN KEY ("predecessorId") REFERENCES "Licence"("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE "Licence" ADD CONSTRAINT "Licence_incidentId_fkey" FOREIGN KEY ("incidentId") REFERENCES "EmergencyIncident"("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE "Licence" ADD CONSTRAINT "Licence_importId_fkey" FOREIGN KEY ("importId") REFERENCES "LicenceImport"("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE "Licence" ADD CONSTRAINT "Licence_sealId_fkey" FOREIGN KEY ("sealId") REFERENCES "Seal"("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE "LicenceEvent" ADD CONSTRAINT "LicenceEvent_licenceId_fkey" FOREIGN KEY ("licenceId") REFERENCES "Licence"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "LicenceRestriction" ADD CONSTRAINT "LicenceRestriction_licenceId_fkey" FOREIGN KEY ("licenceId") REFERENCES "Licence"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "LicenceImport" ADD CONSTRAINT "LicenceImport_deptId_fkey" FOREIGN KEY ("deptId") REFERENCES "Department"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "LicenceImport" ADD CONSTRAINT "LicenceImport_typeId_fkey" FOREIGN KEY ("typeId") REFERENCES "LicenceType"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "HolderNotification" ADD CONSTRAINT "HolderNotification_holderId_fkey" FOREIGN KEY ("holderId") REFERENCES "Holder"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "HolderNotification" ADD CONSTRAINT "HolderNotification_licenceId_fkey" FOREIGN KEY ("licenceId") REFERENCES "Licence"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "LicenceTransfer" ADD CONSTRAINT "LicenceTransfer_fromDeptId_fkey" FOREIGN KEY ("fromDeptId") REFERENCES "Department"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "LicenceTransfer" ADD CONSTRAINT "LicenceTransfer_toDeptId_fkey" FOREIGN KEY ("toDeptId") REFERENCES "Department"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "EmergencyIncident" ADD CONSTRAINT "EmergencyIncident_deptId_fkey" FOREIGN KEY ("deptId") REFERENCES "Department"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "LicenceShowCode" ADD CONSTRAINT "LicenceShowCode_licenceId_fkey" FOREIGN KEY ("licenceId") REFERENCES "Licence"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- Issued licences are never deleted (status changes only); events are never changed.
CREATE TRIGGER "Licence_no_delete" BEFORE DELETE ON "Licence" FOR EACH ROW EXECUTE FUNCTION "refuse_delete"();
CREATE TRIGGER "Holder_no_delete" BEFORE DELETE ON "Holder" FOR EACH ROW EXECUTE FUNCTION "refuse_delete"();
CREATE FUNCTION "licence_event_refuse_change"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'LicenceEvent is append-only' USING ERRCODE = 'insufficient_privilege';
END
$$;
CREATE TRIGGER "LicenceEvent_no_change" BEFORE UPDATE OR DELETE ON "LicenceEvent"
  FOR EACH ROW EXECUTE FUNCTION "licence_event_refuse_change"();
CREATE TRIGGER "LicenceEvent_no_truncate" BEFORE TRUNCATE ON "LicenceEvent"
  FOR EACH STATEMENT EXECUTE FUNCTION "licence_event_refuse_change"();

-- The signed content of a licence (every member of the canonical encoding, lib/licenses/canonical.ts)
-- never changes in place: a change (变更) or renewal (延续) is a new licence. Only status, restriction
-- flag, responsible department (L-11), QR epoch, file hash and re-signing by a successor may change.
CREATE FUNCTION "licence_guard"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW."identifier" <> OLD."identifier" OR NEW."licenceNumber" <> OLD."licenceNumber" OR NEW."version" <> OLD."version"
     OR NEW."typeVersionId" <> OLD."typeVersionId" OR NEW."holderId" <> OLD."holderId" OR NEW."holderCodeHash" <> OLD."holderCodeHash"
     OR NEW."face" <> OLD."face" OR NEW."issuerName" <> OLD."issuerName" OR NEW."issuerCode" <> OLD."issuerCode"
     OR NEW."name" <> OLD."name" OR NEW."typeCode" <> OLD."typeCode" OR NEW."serial" <> OLD."serial" OR NEW."areaCode" <> OLD."areaCode"
     OR NEW."holderName" <> OLD."holderName" OR NEW."holderCodeType" <> OLD."holderCodeType"
     OR NEW."matterCode" IS DISTINCT FROM OLD."matterCode" OR NEW."matterName" IS DISTINCT FROM OLD."matterName" OR NEW."canonicalSm3" <> OLD."canonicalSm3" OR NEW."originalIssuerDeptId" <> OLD."originalIssuerDeptId"
     OR NEW."validFrom" <> OLD."validFrom" OR NEW."validTo" IS DISTINCT FROM OLD."validTo" OR NEW."issuedAt" <> OLD."issuedAt" THEN
    RAISE EXCEPTION 'the signed content of licence % cannot change; issue a new version', OLD."identifier" USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  IF OLD."status" IN ('REVOKED', 'CANCELLED', 'ANNULLED') AND NEW."status" <> OLD."status" THEN
    RAISE EXCEPTION 'licence % is %; its status is final', OLD."identifier", OLD."status" USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  RETURN NEW;
END
$$;
CREATE TRIGGER "Licence_guard" BEFORE UPDATE ON "Licence" FOR EACH ROW EXECUTE FUNCTION "licence_guard"();
