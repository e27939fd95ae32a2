-- Objections (O-01 … O-06, issue 7): deadlines stored at receipt, each step an append-only event,
-- escalation at most once per deadline, per-region deadline settings, and the licence's count of
-- open (marked) objections for the 异议中 badge and filter.

-- CreateTable
CREATE TABLE "ObjectionSetting" (
    "areaCode" CHAR(6) NOT NULL,
    "markDays" INTEGER NOT NULL,
    "resolveDays" INTEGER NOT NULL,
    "updatedById" UUID,
    "rev" INTEGER NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,
    CONSTRAINT "ObjectionSetting_pkey" PRIMARY KEY ("areaCode"),
    CONSTRAINT "ObjectionSetting_days_check" CHECK ("markDays" BETWEEN 1 AND 30 AND "resolveDays" BETWEEN "markDays" AND 60)
);

-- CreateTable
CREATE TABLE "Objection" (
    "id" UUID NOT NULL,
    "number" VARCHAR(20) NOT NULL,
    "licenceId" UUID NOT NULL,
    "issuerDeptId" UUID NOT NULL,
    "source" VARCHAR(10) NOT NULL,
    "applicantDeptId" UUID,
    "applicantUserId" UUID,
    "applicantName" VARCHAR(100) NOT NULL,
    "contactEnc" BYTEA,
    "contactMasked" VARCHAR(40),
    "lookupHash" CHAR(64),
    "fields" JSONB NOT NULL,
    "description" VARCHAR(2000) NOT NULL,
    "status" VARCHAR(10) NOT NULL,
    "outcome" VARCHAR(10),
    "routeStage" VARCHAR(12),
    "regionCode" CHAR(6) NOT NULL,
    "receivedAt" TIMESTAMPTZ(3) NOT NULL,
    "markDueAt" TIMESTAMPTZ(3) NOT NULL,
    "resolveDueAt" TIMESTAMPTZ(3) NOT NULL,
    "calendarCovered" BOOLEAN NOT NULL DEFAULT true,
    "markedAt" TIMESTAMPTZ(3),
    "markedById" UUID,
    "markNote" VARCHAR(500),
    "resolvedAt" TIMESTAMPTZ(3),
    "resolvedById" UUID,
    "resolution" VARCHAR(2000),
    "correctedLicenceId" UUID,
    "withdrawnAt" TIMESTAMPTZ(3),
    "remindedAt" TIMESTAMPTZ(3),
    "rev" INTEGER NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,
    CONSTRAINT "Objection_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "Objection_status_check" CHECK ("status" IN ('SUBMITTED', 'MARKED', 'RESOLVED', 'WITHDRAWN')),
    CONSTRAINT "Objection_outcome_check" CHECK (("status" = 'RESOLVED') = ("outcome" IS NOT NULL) AND ("outcome" IS NULL OR "outcome" IN ('CORRECTED', 'UPHELD', 'REJECTED'))),
    CONSTRAINT "Objection_source_check" CHECK ("source" IN ('HOLDER', 'DEPT'))
);

-- CreateTable
CREATE TABLE "ObjectionEvidence" (
    "id" UUID NOT NULL,
    "objectionId" UUID NOT NULL,
    "fileName" VARCHAR(200) NOT NULL,
    "mime" VARCHAR(100) NOT NULL,
    "size" INTEGER NOT NULL,
    "sm3" CHAR(64) NOT NULL,
    "data" BYTEA NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "ObjectionEvidence_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ObjectionEvent" (
    "id" BIGSERIAL NOT NULL,
    "objectionId" UUID NOT NULL,
    "kind" VARCHAR(20) NOT NULL,
    "fromStatus" VARCHAR(10),
    "toStatus" VARCHAR(10),
    "actorId" UUID,
    "actorName" VARCHAR(100) NOT NULL,
    "deptId" UUID,
    "note" VARCHAR(2000),
    "data" JSONB,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "ObjectionEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ObjectionEscalation" (
    "id" UUID NOT NULL,
    "objectionId" UUID NOT NULL,
    "kind" VARCHAR(10) NOT NULL,
    "dueAt" TIMESTAMPTZ(3) NOT NULL,
    "toDeptId" UUID,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "ObjectionEscalation_pkey" PRIMARY KEY ("id")
);

-- AlterTable
ALTER TABLE "Licence" ADD COLUMN "openObjections" INTEGER NOT NULL DEFAULT 0;
ALTER TABLE "Licence" ADD CONSTRAINT "Licence_openObjections_check" CHECK ("openObjections" >= 0);

-- CreateIndex
CREATE UNIQUE INDEX "Objection_number_key" ON "Objection"("number");
CREATE INDEX "Objection_issuerDeptId_status_resolveDueAt_idx" ON "Objection"("issuerDeptId", "status", "resolveDueAt");
CREATE INDEX "Objection_status_markDueAt_idx" ON "Objection"("status", "markDueAt");
CREATE INDEX "Objection_status_resolveDueAt_idx" ON "Objection"("status", "resolveDueAt");
CREATE INDEX "Objection_licenceId_idx" ON "Objection"("licenceId");
CREATE INDEX "Objection_applicantDeptId_receivedAt_idx" ON "Objection"("applicantDeptId", "receivedAt");
CREATE INDEX "Objection_receivedAt_idx" ON "Objection"("receivedAt");
CREATE INDEX "ObjectionEvidence_objectionId_idx" ON "ObjectionEvidence"("objectionId");
CREATE INDEX "ObjectionEvent_objectionId_at_idx" ON "ObjectionEvent"("objectionId", "at");
CREATE UNIQUE INDEX "ObjectionEscalation_objectionId_kind_key" ON "ObjectionEscalation"("objectionId", "kind");
-- the 异议中 filter of the licence list: few licences are under objection at any time
CREATE INDEX "Licence_under_objection" ON "Licence"("issuedAt" DESC, "id") WHERE "openObjections" > 0;

-- AddForeignKey
ALTER TABLE "Objection" ADD CONSTRAINT "Objection_licenceId_fkey" FOREIGN KEY ("licenceId") REFERENCES "Licence"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "Objection" ADD CONSTRAINT "Objection_correctedLicenceId_fkey" FOREIGN KEY ("correctedLicenceId") REFERENCES "Licence"("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE "Objection" ADD CONSTRAINT "Objection_issuerDeptId_fkey" FOREIGN KEY ("issuerDeptId") REFERENCES "Department"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "Objection" ADD CONSTRAINT "Objection_applicantDeptId_fkey" FOREIGN KEY ("applicantDeptId") REFERENCES "Department"("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE "ObjectionEvidence" ADD CONSTRAINT "ObjectionEvidence_objectionId_fkey" FOREIGN KEY ("objectionId") REFERENCES "Objection"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "ObjectionEvent" ADD CONSTRAINT "ObjectionEvent_objectionId_fkey" FOREIGN KEY ("objectionId") REFERENCES "Objection"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "ObjectionEscalation" ADD CONSTRAINT "ObjectionEscalation_objectionId_fkey" FOREIGN KEY ("objectionId") REFERENCES "Objection"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- Events and escalations are the record: never changed or deleted; an objection is never deleted.
CREATE FUNCTION "objection_record_refuse_change"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% is append-only', TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
END
$$;
CREATE TRIGGER "ObjectionEvent_no_change" BEFORE UPDATE OR DELETE ON "ObjectionEvent"
  FOR EACH ROW EXECUTE FUNCTION "objection_record_refuse_change"();
CREATE TRIGGER "ObjectionEvent_no_truncate" BEFORE TRUNCATE ON "ObjectionEvent"
  FOR EACH STATEMENT EXECUTE FUNCTION "objection_record_refuse_change"();
CREATE TRIGGER "ObjectionEscalation_no_change" BEFORE UPDATE OR DELETE ON "ObjectionEscalation"
  FOR EACH ROW EXECUTE FUNCTION "objection_record_refuse_change"();
CREATE TRIGGER "Objection_no_delete" BEFORE DELETE ON "Objection" FOR EACH ROW EXECUTE FUNCTION "refuse_delete"();
CREATE TRIGGER "ObjectionEvidence_no_delete" BEFORE DELETE ON "ObjectionEvidence" FOR EACH ROW EXECUTE FUNCTION "refuse_delete"();
