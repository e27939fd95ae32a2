-- Supervision (issue 8, V-02, V-03): rectification orders with responses and an append-only
-- history, notices about overdue orders, and spot checks reproducible from their seed.

-- CreateTable
CREATE TABLE "RectificationOrder" (
    "id" UUID NOT NULL,
    "number" VARCHAR(20) NOT NULL,
    "deptId" UUID NOT NULL,
    "issuerDeptId" UUID NOT NULL,
    "category" VARCHAR(12) NOT NULL,
    "title" VARCHAR(200) NOT NULL,
    "description" VARCHAR(4000) NOT NULL,
    "evidence" JSONB NOT NULL,
    "dueDays" INTEGER NOT NULL,
    "issuedAt" TIMESTAMPTZ(3) NOT NULL,
    "dueAt" TIMESTAMPTZ(3) NOT NULL,
    "calendarCovered" BOOLEAN NOT NULL DEFAULT true,
    "status" VARCHAR(10) NOT NULL,
    "round" INTEGER NOT NULL DEFAULT 1,
    "respondedAt" TIMESTAMPTZ(3),
    "closedAt" TIMESTAMPTZ(3),
    "closedById" UUID,
    "closeNote" VARCHAR(2000),
    "createdById" UUID NOT NULL,
    "rev" INTEGER NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,
    CONSTRAINT "RectificationOrder_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "RectificationOrder_status_check" CHECK ("status" IN ('ISSUED', 'RESPONDED', 'RETURNED', 'CLOSED')),
    CONSTRAINT "RectificationOrder_category_check" CHECK ("category" IN ('CATALOG', 'SHARING', 'CORRECTION', 'RECTIFY', 'OTHER')),
    CONSTRAINT "RectificationOrder_dueDays_check" CHECK ("dueDays" BETWEEN 1 AND 90)
);

-- CreateTable
CREATE TABLE "RectificationResponse" (
    "id" UUID NOT NULL,
    "orderId" UUID NOT NULL,
    "round" INTEGER NOT NULL,
    "measures" VARCHAR(4000) NOT NULL,
    "responderId" UUID NOT NULL,
    "responderName" VARCHAR(100) NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "RectificationResponse_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "RectificationAttachment" (
    "id" UUID NOT NULL,
    "responseId" UUID NOT NULL,
    "fileName" VARCHAR(200) NOT NULL,
    "mime" VARCHAR(100) NOT NULL,
    "size" INTEGER NOT NULL,
    "sm3" CHAR(64) NOT NULL,
    "data" BYTEA NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "RectificationAttachment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "RectificationEvent" (
    "id" BIGSERIAL NOT NULL,
    "orderId" UUID NOT NULL,
    "kind" VARCHAR(20) NOT NULL,
    "fromStatus" VARCHAR(10),
    "toStatus" VARCHAR(10),
    "actorId" UUID,
    "actorName" VARCHAR(100) NOT NULL,
    "deptId" UUID,
    "note" VARCHAR(2000),
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "RectificationEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SupervisionNotice" (
    "id" UUID NOT NULL,
    "number" VARCHAR(20) NOT NULL,
    "title" VARCHAR(200) NOT NULL,
    "body" VARCHAR(8000) NOT NULL,
    "orderIds" UUID[] NOT NULL,
    "publisherDeptId" UUID NOT NULL,
    "publishedById" UUID NOT NULL,
    "publishedByName" VARCHAR(100) NOT NULL,
    "publishedAt" TIMESTAMPTZ(3) NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "SupervisionNotice_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SpotCheck" (
    "id" UUID NOT NULL,
    "number" VARCHAR(20) NOT NULL,
    "kind" VARCHAR(10) NOT NULL,
    "deptIds" UUID[] NOT NULL,
    "perDept" INTEGER NOT NULL,
    "seed" VARCHAR(64) NOT NULL,
    "asOf" TIMESTAMPTZ(3) NOT NULL,
    "periodFrom" TIMESTAMPTZ(3),
    "status" VARCHAR(10) NOT NULL,
    "summary" VARCHAR(2000),
    "createdById" UUID NOT NULL,
    "createdByName" VARCHAR(100) NOT NULL,
    "closedAt" TIMESTAMPTZ(3),
    "rev" INTEGER NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,
    CONSTRAINT "SpotCheck_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "SpotCheck_kind_check" CHECK ("kind" IN ('LICENCE', 'SEAL_USE')),
    CONSTRAINT "SpotCheck_status_check" CHECK ("status" IN ('OPEN', 'DONE')),
    CONSTRAINT "SpotCheck_perDept_check" CHECK ("perDept" BETWEEN 1 AND 200)
);

-- CreateTable
CREATE TABLE "SpotCheckItem" (
    "id" UUID NOT NULL,
    "checkId" UUID NOT NULL,
    "deptId" UUID NOT NULL,
    "targetId" UUID NOT NULL,
    "ordinal" INTEGER NOT NULL,
    "result" VARCHAR(10),
    "findings" VARCHAR(2000),
    "checkedById" UUID,
    "checkedAt" TIMESTAMPTZ(3),
    "rev" INTEGER NOT NULL DEFAULT 0,
    CONSTRAINT "SpotCheckItem_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "SpotCheckItem_result_check" CHECK ("result" IS NULL OR "result" IN ('PASS', 'FAIL'))
);

-- CreateIndex
CREATE UNIQUE INDEX "RectificationOrder_number_key" ON "RectificationOrder"("number");
CREATE INDEX "RectificationOrder_deptId_status_dueAt_idx" ON "RectificationOrder"("deptId", "status", "dueAt");
CREATE INDEX "RectificationOrder_status_dueAt_idx" ON "RectificationOrder"("status", "dueAt");
CREATE INDEX "RectificationOrder_issuedAt_idx" ON "RectificationOrder"("issuedAt");
CREATE UNIQUE INDEX "RectificationResponse_orderId_round_key" ON "RectificationResponse"("orderId", "round");
CREATE INDEX "RectificationAttachment_responseId_idx" ON "RectificationAttachment"("responseId");
CREATE INDEX "RectificationEvent_orderId_at_idx" ON "RectificationEvent"("orderId", "at");
CREATE UNIQUE INDEX "SupervisionNotice_number_key" ON "SupervisionNotice"("number");
CREATE INDEX "SupervisionNotice_publishedAt_idx" ON "SupervisionNotice"("publishedAt");
CREATE UNIQUE INDEX "SpotCheck_number_key" ON "SpotCheck"("number");
CREATE INDEX "SpotCheck_createdAt_idx" ON "SpotCheck"("createdAt");
CREATE UNIQUE INDEX "SpotCheckItem_checkId_targetId_key" ON "SpotCheckItem"("checkId", "targetId");
CREATE INDEX "SpotCheckItem_checkId_deptId_ordinal_idx" ON "SpotCheckItem"("checkId", "deptId", "ordinal");

-- AddForeignKey
ALTER TABLE "RectificationOrder" ADD CONSTRAINT "RectificationOrder_deptId_fkey" FOREIGN KEY ("deptId") REFERENCES "Department"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "RectificationOrder" ADD CONSTRAINT "RectificationOrder_issuerDeptId_fkey" FOREIGN KEY ("issuerDeptId") REFERENCES "Department"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "RectificationResponse" ADD CONSTRAINT "RectificationResponse_orderId_fkey" FOREIGN KEY ("orderId") REFERENCES "RectificationOrder"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "RectificationAttachment" ADD CONSTRAINT "RectificationAttachment_responseId_fkey" FOREIGN KEY ("responseId") REFERENCES "RectificationResponse"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "RectificationEvent" ADD CONSTRAINT "RectificationEvent_orderId_fkey" FOREIGN KEY ("orderId") REFERENCES "RectificationOrder"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "SpotCheckItem" ADD CONSTRAINT "SpotCheckItem_checkId_fkey" FOREIGN KEY ("checkId") REFERENCES "SpotCheck"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- The record of supervision: orders, responses, files, notices and checks are never deleted;
-- events are never changed; a notice once published is not edited.
CREATE FUNCTION "supervision_refuse_change"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% is append-only', TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
END
$$;
CREATE TRIGGER "RectificationEvent_no_change" BEFORE UPDATE OR DELETE ON "RectificationEvent" FOR EACH ROW EXECUTE FUNCTION "supervision_refuse_change"();
CREATE TRIGGER "RectificationEvent_no_truncate" BEFORE TRUNCATE ON "RectificationEvent" FOR EACH STATEMENT EXECUTE FUNCTION "supervision_refuse_change"();
CREATE TRIGGER "RectificationResponse_no_change" BEFORE UPDATE OR DELETE ON "RectificationResponse" FOR EACH ROW EXECUTE FUNCTION "supervision_refuse_change"();
CREATE TRIGGER "RectificationAttachment_no_change" BEFORE UPDATE OR DELETE ON "RectificationAttachment" FOR EACH ROW EXECUTE FUNCTION "supervision_refuse_change"();
CREATE TRIGGER "SupervisionNotice_no_change" BEFORE UPDATE OR DELETE ON "SupervisionNotice" FOR EACH ROW EXECUTE FUNCTION "supervision_refuse_change"();
CREATE TRIGGER "RectificationOrder_no_delete" BEFORE DELETE ON "RectificationOrder" FOR EACH ROW EXECUTE FUNCTION "refuse_delete"();
CREATE TRIGGER "SpotCheck_no_delete" BEFORE DELETE ON "SpotCheck" FOR EACH ROW EXECUTE FUNCTION "refuse_delete"();
CREATE TRIGGER "SpotCheckItem_no_delete" BEFORE DELETE ON "SpotCheckItem" FOR EACH ROW EXECUTE FUNCTION "refuse_delete"();
