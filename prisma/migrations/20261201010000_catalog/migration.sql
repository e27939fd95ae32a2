-- Licence catalog (L-01, L-04), issuance and use lists (L-02, L-03), their histories, the
-- catalog's XLSX imports, and the licence row that pins the type version it was issued under.

-- CreateEnum
CREATE TYPE "CatalogVersionStatus" AS ENUM ('DRAFT', 'UNDER_REVIEW', 'RELEASED', 'RETIRED');

-- CreateTable
CREATE TABLE "LicenceType" (
    "id" UUID NOT NULL,
    "typeCode" VARCHAR(21) NOT NULL,
    "name" VARCHAR(100) NOT NULL,
    "ownerDeptId" UUID NOT NULL,
    "releasedVersion" INTEGER,
    "latestVersion" INTEGER NOT NULL DEFAULT 1,
    "retiredAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,
    CONSTRAINT "LicenceType_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "LicenceTypeVersion" (
    "id" UUID NOT NULL,
    "typeId" UUID NOT NULL,
    "number" INTEGER NOT NULL,
    "status" "CatalogVersionStatus" NOT NULL,
    "name" VARCHAR(100) NOT NULL,
    "definingAuthority" VARCHAR(100) NOT NULL,
    "definingAuthorityCode" CHAR(18) NOT NULL,
    "category" VARCHAR(20) NOT NULL,
    "holderCategories" VARCHAR(20)[] NOT NULL,
    "holderCodeTypes" VARCHAR(3)[] NOT NULL,
    "validity" JSONB NOT NULL,
    "legalBasis" VARCHAR(2000) NOT NULL,
    "matters" JSONB NOT NULL,
    "sharing" VARCHAR(20) NOT NULL,
    "sharingConditions" VARCHAR(1000),
    "publicity" BOOLEAN NOT NULL DEFAULT false,
    "issuingDeptIds" UUID[] NOT NULL,
    "sealIds" UUID[] NOT NULL,
    "numberRule" VARCHAR(60) NOT NULL,
    "allowMultiple" BOOLEAN NOT NULL DEFAULT false,
    "faceFields" JSONB NOT NULL,
    "faceLayout" VARCHAR(20) NOT NULL,
    "createdById" UUID,
    "submittedAt" TIMESTAMPTZ(3),
    "submittedById" UUID,
    "reviewedAt" TIMESTAMPTZ(3),
    "reviewedById" UUID,
    "reviewComment" VARCHAR(500),
    "releasedAt" TIMESTAMPTZ(3),
    "retiredAt" TIMESTAMPTZ(3),
    "rev" INTEGER NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,
    CONSTRAINT "LicenceTypeVersion_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "CatalogChange" (
    "id" BIGSERIAL NOT NULL,
    "typeId" UUID NOT NULL,
    "versionNumber" INTEGER NOT NULL,
    "action" VARCHAR(30) NOT NULL,
    "actorId" UUID,
    "actorName" VARCHAR(100) NOT NULL,
    "diff" JSONB NOT NULL,
    "comment" VARCHAR(500),
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "CatalogChange_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "Licence" (
    "id" UUID NOT NULL,
    "typeId" UUID NOT NULL,
    "typeVersionId" UUID NOT NULL,
    "issuerDeptId" UUID NOT NULL,
    "status" VARCHAR(20) NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "Licence_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "IssuanceListEntry" (
    "id" UUID NOT NULL,
    "deptId" UUID NOT NULL,
    "typeId" UUID NOT NULL,
    "legalBasis" VARCHAR(2000) NOT NULL,
    "matters" JSONB NOT NULL,
    "holderCategory" VARCHAR(20) NOT NULL,
    "aggregation" VARCHAR(10) NOT NULL,
    "publicity" BOOLEAN NOT NULL DEFAULT false,
    "status" "RecordStatus" NOT NULL DEFAULT 'ACTIVE',
    "validFrom" DATE NOT NULL,
    "validTo" DATE,
    "rev" INTEGER NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,
    CONSTRAINT "IssuanceListEntry_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "UseListEntry" (
    "id" UUID NOT NULL,
    "deptId" UUID NOT NULL,
    "typeId" UUID NOT NULL,
    "matterCode" VARCHAR(60),
    "matterName" VARCHAR(200),
    "scenarios" VARCHAR(20)[] NOT NULL,
    "basis" VARCHAR(20) NOT NULL,
    "validFrom" DATE NOT NULL,
    "validTo" DATE,
    "status" "RecordStatus" NOT NULL DEFAULT 'ACTIVE',
    "rev" INTEGER NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,
    CONSTRAINT "UseListEntry_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "ListChange" (
    "id" BIGSERIAL NOT NULL,
    "list" VARCHAR(10) NOT NULL,
    "entryId" UUID NOT NULL,
    "deptId" UUID NOT NULL,
    "typeId" UUID NOT NULL,
    "action" VARCHAR(20) NOT NULL,
    "actorId" UUID,
    "actorName" VARCHAR(100) NOT NULL,
    "diff" JSONB NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "ListChange_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "CatalogImport" (
    "id" UUID NOT NULL,
    "kind" VARCHAR(20) NOT NULL,
    "actorId" UUID NOT NULL,
    "fileName" VARCHAR(200) NOT NULL,
    "sm3" CHAR(64) NOT NULL,
    "rows" JSONB NOT NULL,
    "report" JSONB NOT NULL,
    "errorCount" INTEGER NOT NULL,
    "status" VARCHAR(20) NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "committedAt" TIMESTAMPTZ(3),
    CONSTRAINT "CatalogImport_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "LicenceType_typeCode_key" ON "LicenceType"("typeCode");
CREATE INDEX "LicenceType_ownerDeptId_idx" ON "LicenceType"("ownerDeptId");
CREATE INDEX "LicenceType_name_idx" ON "LicenceType"("name");
CREATE UNIQUE INDEX "LicenceTypeVersion_typeId_number_key" ON "LicenceTypeVersion"("typeId", "number");
CREATE INDEX "LicenceTypeVersion_status_idx" ON "LicenceTypeVersion"("status");
CREATE INDEX "CatalogChange_typeId_at_idx" ON "CatalogChange"("typeId", "at");
CREATE INDEX "Licence_typeId_idx" ON "Licence"("typeId");
CREATE INDEX "Licence_typeVersionId_idx" ON "Licence"("typeVersionId");
CREATE UNIQUE INDEX "IssuanceListEntry_deptId_typeId_key" ON "IssuanceListEntry"("deptId", "typeId");
CREATE INDEX "IssuanceListEntry_typeId_idx" ON "IssuanceListEntry"("typeId");
CREATE INDEX "UseListEntry_deptId_typeId_idx" ON "UseListEntry"("deptId", "typeId");
CREATE INDEX "UseListEntry_typeId_idx" ON "UseListEntry"("typeId");
CREATE INDEX "ListChange_list_deptId_at_idx" ON "ListChange"("list", "deptId", "at");
CREATE INDEX "ListChange_entryId_at_idx" ON "ListChange"("entryId", "at");
CREATE INDEX "CatalogImport_actorId_createdAt_idx" ON "CatalogImport"("actorId", "createdAt");

-- AddForeignKey
ALTER TABLE "LicenceType" ADD CONSTRAINT "LicenceType_ownerDeptId_fkey" FOREIGN KEY ("ownerDeptId") REFERENCES "Department"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "LicenceTypeVersion" ADD CONSTRAINT "LicenceTypeVersion_typeId_fkey" FOREIGN KEY ("typeId") REFERENCES "LicenceType"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "CatalogChange" ADD CONSTRAINT "CatalogChange_typeId_fkey" FOREIGN KEY ("typeId") REFERENCES "LicenceType"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "Licence" ADD CONSTRAINT "Licence_typeVersionId_fkey" FOREIGN KEY ("typeVersionId") REFERENCES "LicenceTypeVersion"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "IssuanceListEntry" ADD CONSTRAINT "IssuanceListEntry_deptId_fkey" FOREIGN KEY ("deptId") REFERENCES "Department"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "IssuanceListEntry" ADD CONSTRAINT "IssuanceListEntry_typeId_fkey" FOREIGN KEY ("typeId") REFERENCES "LicenceType"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "UseListEntry" ADD CONSTRAINT "UseListEntry_deptId_fkey" FOREIGN KEY ("deptId") REFERENCES "Department"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "UseListEntry" ADD CONSTRAINT "UseListEntry_typeId_fkey" FOREIGN KEY ("typeId") REFERENCES "LicenceType"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- L-04: a released version is what issued licences point at; it is never edited or deleted.
CREATE FUNCTION "licence_type_version_guard"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    IF OLD."status" <> 'DRAFT' THEN
      RAISE EXCEPTION 'licence type version % (%) is kept permanently: DELETE refused', OLD."number", OLD."status" USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN OLD;
  END IF;
  -- once released, the status only moves on to RETIRED (never back), and the content never changes
  IF OLD."status" = 'RELEASED' AND NEW."status" NOT IN ('RELEASED', 'RETIRED') OR OLD."status" = 'RETIRED' AND NEW."status" <> 'RETIRED' THEN
    RAISE EXCEPTION 'licence type version % cannot go back from % to %', OLD."number", OLD."status", NEW."status" USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF OLD."status" IN ('RELEASED', 'RETIRED') AND (
       NEW."name", NEW."definingAuthority", NEW."definingAuthorityCode", NEW."category", NEW."holderCategories", NEW."holderCodeTypes",
       NEW."validity", NEW."legalBasis", NEW."matters", NEW."sharing", NEW."sharingConditions", NEW."publicity", NEW."issuingDeptIds",
       NEW."sealIds", NEW."numberRule", NEW."allowMultiple", NEW."faceFields", NEW."faceLayout"
     ) IS DISTINCT FROM (
       OLD."name", OLD."definingAuthority", OLD."definingAuthorityCode", OLD."category", OLD."holderCategories", OLD."holderCodeTypes",
       OLD."validity", OLD."legalBasis", OLD."matters", OLD."sharing", OLD."sharingConditions", OLD."publicity", OLD."issuingDeptIds",
       OLD."sealIds", OLD."numberRule", OLD."allowMultiple", OLD."faceFields", OLD."faceLayout"
     ) THEN
    RAISE EXCEPTION 'released licence type version % is never edited', OLD."number" USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NEW;
END;
$$;
CREATE TRIGGER "LicenceTypeVersion_guard" BEFORE UPDATE OR DELETE ON "LicenceTypeVersion"
  FOR EACH ROW EXECUTE FUNCTION "licence_type_version_guard"();
CREATE TRIGGER "LicenceType_no_delete" BEFORE DELETE ON "LicenceType" FOR EACH ROW EXECUTE FUNCTION "refuse_delete"();
-- the histories are append-only
CREATE FUNCTION "history_refuse_change"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$;
CREATE TRIGGER "CatalogChange_append_only" BEFORE UPDATE OR DELETE ON "CatalogChange" FOR EACH ROW EXECUTE FUNCTION "history_refuse_change"();
CREATE TRIGGER "ListChange_append_only" BEFORE UPDATE OR DELETE ON "ListChange" FOR EACH ROW EXECUTE FUNCTION "history_refuse_change"();
