-- Seal use (S-10 … S-13): approval flows, requests, steps, signatures, permanent use records;
-- and the shared rate-limit table.

-- 印章管理员: keeps the approval flows; separate from those who apply to use seals.
ALTER TYPE "Role" ADD VALUE 'SEAL_ADMIN' AFTER 'SEAL_MAKER_REVIEWER';

-- CreateEnum
CREATE TYPE "ApprovalMode" AS ENUM ('ANY', 'ALL');
CREATE TYPE "SealUseStatus" AS ENUM ('DRAFT', 'PENDING', 'APPROVED', 'PARTLY_USED', 'USED', 'REJECTED', 'WITHDRAWN', 'EXPIRED');
CREATE TYPE "SealUseStepKind" AS ENUM ('APPROVAL', 'CUSTODIAN');
CREATE TYPE "SealUseStepStatus" AS ENUM ('WAITING', 'ACTIVE', 'APPROVED', 'REJECTED', 'CANCELLED');
CREATE TYPE "SealUseDecision" AS ENUM ('PENDING', 'APPROVED', 'REJECTED', 'TRANSFERRED', 'SKIPPED');
CREATE TYPE "SealUseSignatureStatus" AS ENUM ('RESERVED', 'DONE', 'FAILED');

-- CreateTable
CREATE TABLE "ApprovalFlow" (
    "id" UUID NOT NULL,
    "scopeKey" VARCHAR(80) NOT NULL,
    "holderDeptId" UUID NOT NULL,
    "sealKind" "SealKind",
    "sealId" UUID,
    "name" VARCHAR(100) NOT NULL,
    "currentVersion" INTEGER NOT NULL DEFAULT 1,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,
    CONSTRAINT "ApprovalFlow_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "ApprovalFlowVersion" (
    "id" UUID NOT NULL,
    "flowId" UUID NOT NULL,
    "number" INTEGER NOT NULL,
    "steps" JSONB NOT NULL,
    "note" VARCHAR(200),
    "createdById" UUID,
    "createdByName" VARCHAR(100) NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "ApprovalFlowVersion_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "SealUseRequest" (
    "id" UUID NOT NULL,
    "seq" BIGSERIAL NOT NULL,
    "sealId" UUID NOT NULL,
    "holderDeptId" UUID NOT NULL,
    "applicantId" UUID NOT NULL,
    "applicantName" VARCHAR(100) NOT NULL,
    "reason" VARCHAR(500) NOT NULL,
    "remarks" VARCHAR(1000),
    "count" INTEGER NOT NULL,
    "usedCount" INTEGER NOT NULL DEFAULT 0,
    "validUntil" TIMESTAMPTZ(3) NOT NULL,
    "status" "SealUseStatus" NOT NULL,
    "round" INTEGER NOT NULL DEFAULT 0,
    "flowVersionId" UUID,
    "currentStep" INTEGER,
    "submittedAt" TIMESTAMPTZ(3),
    "approvedAt" TIMESTAMPTZ(3),
    "closedAt" TIMESTAMPTZ(3),
    "version" INTEGER NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,
    CONSTRAINT "SealUseRequest_pkey" PRIMARY KEY ("id"),
    -- the approved count is never exceeded, whatever the application does
    CONSTRAINT "SealUseRequest_count_check" CHECK ("count" >= 1 AND "usedCount" >= 0 AND "usedCount" <= "count")
);

CREATE TABLE "SealUseDocument" (
    "id" UUID NOT NULL,
    "requestId" UUID NOT NULL,
    "filename" VARCHAR(200) NOT NULL,
    "size" INTEGER NOT NULL,
    "sm3" CHAR(64) NOT NULL,
    "pages" INTEGER NOT NULL,
    "data" BYTEA NOT NULL,
    "uploadedById" UUID NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "removedAt" TIMESTAMPTZ(3),
    CONSTRAINT "SealUseDocument_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "SealUseStep" (
    "id" UUID NOT NULL,
    "requestId" UUID NOT NULL,
    "round" INTEGER NOT NULL,
    "index" INTEGER NOT NULL,
    "name" VARCHAR(100) NOT NULL,
    "kind" "SealUseStepKind" NOT NULL,
    "mode" "ApprovalMode" NOT NULL,
    "status" "SealUseStepStatus" NOT NULL,
    "activatedAt" TIMESTAMPTZ(3),
    "remindAt" TIMESTAMPTZ(3),
    "remindedAt" TIMESTAMPTZ(3),
    "finishedAt" TIMESTAMPTZ(3),
    CONSTRAINT "SealUseStep_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "SealUseAssignee" (
    "id" UUID NOT NULL,
    "stepId" UUID NOT NULL,
    "requestId" UUID NOT NULL,
    "userId" UUID NOT NULL,
    "userName" VARCHAR(100) NOT NULL,
    "origin" VARCHAR(20) NOT NULL,
    "addedById" UUID,
    "decision" "SealUseDecision" NOT NULL DEFAULT 'PENDING',
    "comment" VARCHAR(500),
    "decidedAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "SealUseAssignee_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "SealUseEvent" (
    "id" BIGSERIAL NOT NULL,
    "requestId" UUID NOT NULL,
    "round" INTEGER NOT NULL,
    "action" VARCHAR(40) NOT NULL,
    "actorId" UUID,
    "actorName" VARCHAR(100) NOT NULL,
    "comment" VARCHAR(500),
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "SealUseEvent_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "SealUseSignature" (
    "id" UUID NOT NULL,
    "requestId" UUID NOT NULL,
    "documentId" UUID NOT NULL,
    "sealId" UUID NOT NULL,
    "signerId" UUID NOT NULL,
    "signerName" VARCHAR(100) NOT NULL,
    "status" "SealUseSignatureStatus" NOT NULL,
    "position" JSONB NOT NULL,
    "riding" BOOLEAN NOT NULL DEFAULT false,
    "signedSm3" CHAR(64),
    "signatureDer" BYTEA,
    "sealedPdf" BYTEA,
    "sealedSm3" CHAR(64),
    "error" VARCHAR(500),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "completedAt" TIMESTAMPTZ(3),
    CONSTRAINT "SealUseSignature_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "SealUseRecord" (
    "id" BIGSERIAL NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL,
    "sealId" UUID NOT NULL,
    "sealName" VARCHAR(100) NOT NULL,
    "esId" VARCHAR(14) NOT NULL,
    "holderDeptId" UUID NOT NULL,
    "requestId" UUID NOT NULL,
    "requestNumber" VARCHAR(30) NOT NULL,
    "reason" VARCHAR(500) NOT NULL,
    "approvals" JSONB NOT NULL,
    "countUsed" INTEGER NOT NULL,
    "usedTotal" INTEGER NOT NULL,
    "remaining" INTEGER NOT NULL,
    "documentName" VARCHAR(200) NOT NULL,
    "documentSm3" CHAR(64) NOT NULL,
    "signedSm3" CHAR(64) NOT NULL,
    "sealedSm3" CHAR(64) NOT NULL,
    "operatorId" UUID NOT NULL,
    "operatorName" VARCHAR(100) NOT NULL,
    "signatureId" UUID NOT NULL,
    CONSTRAINT "SealUseRecord_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "RateLimit" (
    "key" VARCHAR(200) NOT NULL,
    "windowStart" TIMESTAMPTZ(3) NOT NULL,
    "count" INTEGER NOT NULL,
    CONSTRAINT "RateLimit_pkey" PRIMARY KEY ("key")
);

-- CreateIndex
CREATE UNIQUE INDEX "ApprovalFlow_scopeKey_key" ON "ApprovalFlow"("scopeKey");
CREATE UNIQUE INDEX "ApprovalFlow_sealId_key" ON "ApprovalFlow"("sealId");
CREATE INDEX "ApprovalFlow_holderDeptId_idx" ON "ApprovalFlow"("holderDeptId");
CREATE UNIQUE INDEX "ApprovalFlowVersion_flowId_number_key" ON "ApprovalFlowVersion"("flowId", "number");
CREATE UNIQUE INDEX "SealUseRequest_seq_key" ON "SealUseRequest"("seq");
CREATE INDEX "SealUseRequest_applicantId_status_idx" ON "SealUseRequest"("applicantId", "status");
CREATE INDEX "SealUseRequest_sealId_status_idx" ON "SealUseRequest"("sealId", "status");
CREATE INDEX "SealUseRequest_holderDeptId_createdAt_idx" ON "SealUseRequest"("holderDeptId", "createdAt");
CREATE INDEX "SealUseRequest_status_validUntil_idx" ON "SealUseRequest"("status", "validUntil");
CREATE INDEX "SealUseDocument_requestId_idx" ON "SealUseDocument"("requestId");
CREATE UNIQUE INDEX "SealUseStep_requestId_round_index_key" ON "SealUseStep"("requestId", "round", "index");
CREATE INDEX "SealUseStep_status_remindAt_idx" ON "SealUseStep"("status", "remindAt");
CREATE UNIQUE INDEX "SealUseAssignee_stepId_userId_key" ON "SealUseAssignee"("stepId", "userId");
CREATE INDEX "SealUseAssignee_userId_decision_idx" ON "SealUseAssignee"("userId", "decision");
CREATE INDEX "SealUseAssignee_requestId_idx" ON "SealUseAssignee"("requestId");
CREATE INDEX "SealUseEvent_requestId_at_idx" ON "SealUseEvent"("requestId", "at");
CREATE INDEX "SealUseSignature_requestId_idx" ON "SealUseSignature"("requestId");
CREATE INDEX "SealUseSignature_status_createdAt_idx" ON "SealUseSignature"("status", "createdAt");
CREATE UNIQUE INDEX "SealUseRecord_signatureId_key" ON "SealUseRecord"("signatureId");
CREATE INDEX "SealUseRecord_holderDeptId_at_idx" ON "SealUseRecord"("holderDeptId", "at");
CREATE INDEX "SealUseRecord_sealId_at_idx" ON "SealUseRecord"("sealId", "at");
CREATE INDEX "SealUseRecord_requestId_idx" ON "SealUseRecord"("requestId");

-- AddForeignKey
ALTER TABLE "ApprovalFlow" ADD CONSTRAINT "ApprovalFlow_holderDeptId_fkey" FOREIGN KEY ("holderDeptId") REFERENCES "Department"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "ApprovalFlow" ADD CONSTRAINT "ApprovalFlow_sealId_fkey" FOREIGN KEY ("sealId") REFERENCES "Seal"("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE "ApprovalFlowVersion" ADD CONSTRAINT "ApprovalFlowVersion_flowId_fkey" FOREIGN KEY ("flowId") REFERENCES "ApprovalFlow"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "SealUseRequest" ADD CONSTRAINT "SealUseRequest_sealId_fkey" FOREIGN KEY ("sealId") REFERENCES "Seal"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "SealUseRequest" ADD CONSTRAINT "SealUseRequest_holderDeptId_fkey" FOREIGN KEY ("holderDeptId") REFERENCES "Department"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "SealUseDocument" ADD CONSTRAINT "SealUseDocument_requestId_fkey" FOREIGN KEY ("requestId") REFERENCES "SealUseRequest"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "SealUseStep" ADD CONSTRAINT "SealUseStep_requestId_fkey" FOREIGN KEY ("requestId") REFERENCES "SealUseRequest"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "SealUseAssignee" ADD CONSTRAINT "SealUseAssignee_stepId_fkey" FOREIGN KEY ("stepId") REFERENCES "SealUseStep"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "SealUseEvent" ADD CONSTRAINT "SealUseEvent_requestId_fkey" FOREIGN KEY ("requestId") REFERENCES "SealUseRequest"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "SealUseSignature" ADD CONSTRAINT "SealUseSignature_requestId_fkey" FOREIGN KEY ("requestId") REFERENCES "SealUseRequest"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- Use records are permanent (S-11, S-13): no UPDATE, DELETE or TRUNCATE.
CREATE FUNCTION "seal_use_record_refuse_change"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'SealUseRecord is permanent: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$;
CREATE TRIGGER "SealUseRecord_no_change" BEFORE UPDATE OR DELETE ON "SealUseRecord"
  FOR EACH ROW EXECUTE FUNCTION "seal_use_record_refuse_change"();
CREATE TRIGGER "SealUseRecord_no_truncate" BEFORE TRUNCATE ON "SealUseRecord"
  FOR EACH STATEMENT EXECUTE FUNCTION "seal_use_record_refuse_change"();

-- No use record without a fully approved request (S-10): the database refuses it even if the
-- application were wrong. Every step of the request's current round must be approved.
CREATE FUNCTION "seal_use_record_require_approval"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  r RECORD;
BEGIN
  SELECT "status", "round", "approvedAt" INTO r FROM "SealUseRequest" WHERE "id" = NEW."requestId";
  IF r IS NULL OR r."approvedAt" IS NULL OR r."status" NOT IN ('APPROVED', 'PARTLY_USED', 'USED') THEN
    RAISE EXCEPTION 'seal use record refused: request % is not approved', NEW."requestId" USING ERRCODE = 'check_violation';
  END IF;
  IF NOT EXISTS (SELECT 1 FROM "SealUseStep" WHERE "requestId" = NEW."requestId" AND "round" = r."round")
     OR EXISTS (SELECT 1 FROM "SealUseStep" WHERE "requestId" = NEW."requestId" AND "round" = r."round" AND "status" <> 'APPROVED') THEN
    RAISE EXCEPTION 'seal use record refused: request % has steps not approved', NEW."requestId" USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END;
$$;
CREATE TRIGGER "SealUseRecord_require_approval" BEFORE INSERT ON "SealUseRecord"
  FOR EACH ROW EXECUTE FUNCTION "seal_use_record_require_approval"();

-- Kept permanently (A-02): requests, their documents, steps, decisions and signatures.
CREATE TRIGGER "SealUseRequest_no_delete" BEFORE DELETE ON "SealUseRequest" FOR EACH ROW EXECUTE FUNCTION "refuse_delete"();
CREATE TRIGGER "SealUseSignature_no_delete" BEFORE DELETE ON "SealUseSignature" FOR EACH ROW EXECUTE FUNCTION "refuse_delete"();
CREATE TRIGGER "SealUseAssignee_no_delete" BEFORE DELETE ON "SealUseAssignee" FOR EACH ROW EXECUTE FUNCTION "refuse_delete"();
CREATE TRIGGER "SealUseEvent_no_delete" BEFORE DELETE ON "SealUseEvent" FOR EACH ROW EXECUTE FUNCTION "refuse_delete"();
