-- CreateEnum
CREATE TYPE "SealKind" AS ENUM ('LEGAL_NAME', 'INTERNAL_DEPT', 'BRANCH', 'BUSINESS', 'POSITION', 'PERSONAL');
CREATE TYPE "SealBusinessType" AS ENUM ('CONTRACT', 'FINANCE', 'INVOICE', 'AUDIT', 'CUSTOMS');
CREATE TYPE "SealPositionType" AS ENUM ('LEGAL_REP', 'PRINCIPAL', 'FINANCE_HEAD', 'AUTHORISED_REP');
CREATE TYPE "SealUseMode" AS ENUM ('CENTRALISED', 'DISTRIBUTED');
CREATE TYPE "SealStatus" AS ENUM ('APPLIED', 'UNDER_REVIEW', 'REJECTED', 'PRODUCED', 'ACTIVE', 'CANCELLED');
CREATE TYPE "FilingStatus" AS ENUM ('PENDING', 'FILED', 'FAILED');

-- CreateTable
CREATE TABLE "Seal" (
    "id" UUID NOT NULL,
    "esId" VARCHAR(14),
    "name" VARCHAR(100) NOT NULL,
    "kind" "SealKind" NOT NULL,
    "businessType" "SealBusinessType",
    "positionType" "SealPositionType",
    "holderDeptId" UUID NOT NULL,
    "holderPersonName" VARCHAR(50),
    "useMode" "SealUseMode" NOT NULL,
    "physicalRef" VARCHAR(60) NOT NULL,
    "administratorId" UUID,
    "applicantId" UUID NOT NULL,
    "applyReason" VARCHAR(500) NOT NULL,
    "status" "SealStatus" NOT NULL,
    "reviewerId" UUID,
    "rejectReason" VARCHAR(500),
    "pictureSvg" TEXT,
    "picturePng" BYTEA,
    "pictureSm3" CHAR(64),
    "pictureWidthMm" INTEGER,
    "pictureHeightMm" INTEGER,
    "keyId" UUID,
    "certificateId" UUID,
    "sealDer" BYTEA,
    "validStart" TIMESTAMPTZ(3),
    "validEnd" TIMESTAMPTZ(3),
    "producedAt" TIMESTAMPTZ(3),
    "fileDueAt" TIMESTAMPTZ(3),
    "filedAt" TIMESTAMPTZ(3),
    "filingNumber" VARCHAR(60),
    "protectionHash" TEXT,
    "protectionSetAt" TIMESTAMPTZ(3),
    "cancelledAt" TIMESTAMPTZ(3),
    "cancelReason" VARCHAR(40),
    "cancelReasonText" VARCHAR(500),
    "predecessorId" UUID,
    "version" INTEGER NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,
    CONSTRAINT "Seal_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "SealCustodian" (
    "id" UUID NOT NULL,
    "sealId" UUID NOT NULL,
    "userId" UUID NOT NULL,
    "addedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "SealCustodian_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "SealMaterial" (
    "id" UUID NOT NULL,
    "sealId" UUID NOT NULL,
    "purpose" VARCHAR(20) NOT NULL,
    "filename" VARCHAR(200) NOT NULL,
    "mime" VARCHAR(50) NOT NULL,
    "size" INTEGER NOT NULL,
    "sm3" CHAR(64) NOT NULL,
    "data" BYTEA NOT NULL,
    "uploadedById" UUID NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "SealMaterial_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "SealEvent" (
    "id" BIGSERIAL NOT NULL,
    "sealId" UUID NOT NULL,
    "action" VARCHAR(40) NOT NULL,
    "fromStatus" "SealStatus",
    "toStatus" "SealStatus",
    "actorId" UUID,
    "actorName" VARCHAR(100) NOT NULL,
    "reason" VARCHAR(500),
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "SealEvent_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "SealFiling" (
    "id" UUID NOT NULL,
    "sealId" UUID NOT NULL,
    "status" "FilingStatus" NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "lastError" VARCHAR(500),
    "nextTryAt" TIMESTAMPTZ(3),
    "filingNumber" VARCHAR(60),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,
    CONSTRAINT "SealFiling_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "LocalFilingRegistry" (
    "filingNumber" VARCHAR(60) NOT NULL,
    "esId" VARCHAR(14) NOT NULL,
    "payload" JSONB NOT NULL,
    "sm3" CHAR(64) NOT NULL,
    "receivedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "LocalFilingRegistry_pkey" PRIMARY KEY ("filingNumber")
);

CREATE TABLE "SealSequence" (
    "areaCode" CHAR(6) NOT NULL,
    "last" INTEGER NOT NULL DEFAULT 0,
    CONSTRAINT "SealSequence_pkey" PRIMARY KEY ("areaCode")
);

-- CreateIndex
CREATE UNIQUE INDEX "Seal_esId_key" ON "Seal"("esId");
CREATE INDEX "Seal_holderDeptId_status_idx" ON "Seal"("holderDeptId", "status");
CREATE INDEX "Seal_status_validEnd_idx" ON "Seal"("status", "validEnd");
CREATE INDEX "Seal_status_fileDueAt_idx" ON "Seal"("status", "fileDueAt");
CREATE UNIQUE INDEX "SealCustodian_sealId_userId_key" ON "SealCustodian"("sealId", "userId");
CREATE INDEX "SealMaterial_sealId_idx" ON "SealMaterial"("sealId");
CREATE INDEX "SealEvent_sealId_at_idx" ON "SealEvent"("sealId", "at");
CREATE INDEX "SealFiling_sealId_idx" ON "SealFiling"("sealId");
CREATE INDEX "SealFiling_status_nextTryAt_idx" ON "SealFiling"("status", "nextTryAt");
CREATE UNIQUE INDEX "LocalFilingRegistry_esId_key" ON "LocalFilingRegistry"("esId");

-- AddForeignKey
ALTER TABLE "Seal" ADD CONSTRAINT "Seal_holderDeptId_fkey" FOREIGN KEY ("holderDeptId") REFERENCES "Department"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "Seal" ADD CONSTRAINT "Seal_predecessorId_fkey" FOREIGN KEY ("predecessorId") REFERENCES "Seal"("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE "SealCustodian" ADD CONSTRAINT "SealCustodian_sealId_fkey" FOREIGN KEY ("sealId") REFERENCES "Seal"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "SealMaterial" ADD CONSTRAINT "SealMaterial_sealId_fkey" FOREIGN KEY ("sealId") REFERENCES "Seal"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "SealEvent" ADD CONSTRAINT "SealEvent_sealId_fkey" FOREIGN KEY ("sealId") REFERENCES "Seal"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "SealFiling" ADD CONSTRAINT "SealFiling_sealId_fkey" FOREIGN KEY ("sealId") REFERENCES "Seal"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- Seal production data and history are kept permanently (A-02).
CREATE TRIGGER "Seal_no_delete" BEFORE DELETE ON "Seal" FOR EACH ROW EXECUTE FUNCTION "refuse_delete"();
CREATE TRIGGER "SealEvent_no_delete" BEFORE DELETE ON "SealEvent" FOR EACH ROW EXECUTE FUNCTION "refuse_delete"();
CREATE TRIGGER "SealMaterial_no_delete" BEFORE DELETE ON "SealMaterial" FOR EACH ROW EXECUTE FUNCTION "refuse_delete"();
CREATE TRIGGER "LocalFilingRegistry_no_delete" BEFORE DELETE ON "LocalFilingRegistry" FOR EACH ROW EXECUTE FUNCTION "refuse_delete"();
