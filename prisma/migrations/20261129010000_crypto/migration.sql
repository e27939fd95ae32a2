-- CreateEnum
CREATE TYPE "CertKind" AS ENUM ('ROOT', 'MAKER', 'SEAL');

-- CreateTable
CREATE TABLE "CryptoKey" (
    "id" UUID NOT NULL,
    "label" VARCHAR(100) NOT NULL,
    "algorithm" VARCHAR(10) NOT NULL DEFAULT 'SM2',
    "publicKey" CHAR(130) NOT NULL,
    "wrappedPrivateKey" BYTEA NOT NULL,
    "kekId" CHAR(16) NOT NULL,
    "useCount" BIGINT NOT NULL DEFAULT 0,
    "lastUsedAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "disabledAt" TIMESTAMPTZ(3),
    CONSTRAINT "CryptoKey_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "Certificate" (
    "id" UUID NOT NULL,
    "serial" VARCHAR(40) NOT NULL,
    "kind" "CertKind" NOT NULL,
    "keyId" UUID,
    "issuerId" UUID,
    "subject" VARCHAR(300) NOT NULL,
    "der" BYTEA NOT NULL,
    "sm3" CHAR(64) NOT NULL,
    "notBefore" TIMESTAMPTZ(3) NOT NULL,
    "notAfter" TIMESTAMPTZ(3) NOT NULL,
    "revokedAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "Certificate_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Certificate_serial_key" ON "Certificate"("serial");
CREATE INDEX "Certificate_kind_idx" ON "Certificate"("kind");
CREATE INDEX "Certificate_keyId_idx" ON "Certificate"("keyId");

-- AddForeignKey
ALTER TABLE "Certificate" ADD CONSTRAINT "Certificate_keyId_fkey" FOREIGN KEY ("keyId") REFERENCES "CryptoKey"("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE "Certificate" ADD CONSTRAINT "Certificate_issuerId_fkey" FOREIGN KEY ("issuerId") REFERENCES "Certificate"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- Certificates and keys are production data kept permanently (A-02): never deleted.
CREATE FUNCTION "refuse_delete"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% rows are kept permanently: DELETE refused', TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
END;
$$;
CREATE TRIGGER "CryptoKey_no_delete" BEFORE DELETE ON "CryptoKey" FOR EACH ROW EXECUTE FUNCTION "refuse_delete"();
CREATE TRIGGER "Certificate_no_delete" BEFORE DELETE ON "Certificate" FOR EACH ROW EXECUTE FUNCTION "refuse_delete"();
