-- Compact licence signatures (L-07, issue 6 bench/bulk-issue). A licence's SES_Signature carries
-- the whole SESeal (about 19.5 KB, most of it the seal picture); storing it on every row made the
-- licence table 1.6 GB per 100,000 licences and its writes the cost of bulk issuing. A licence now
-- keeps the SM2 signature value and points at the seal structure and signer certificate it was
-- made with, stored once; DER is deterministic, so the SES_Signature rebuilt from them, the
-- signing time, the data hash (canonicalSm3) and the identifier is byte for byte the one signed.
-- Licences signed before keep their whole "signature".

-- CreateTable
CREATE TABLE "SignSealSnapshot" (
    "id" UUID NOT NULL,
    "sealId" UUID NOT NULL,
    "digest" CHAR(64) NOT NULL,
    "sealDer" BYTEA NOT NULL,
    "certDer" BYTEA NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "SignSealSnapshot_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "SignSealSnapshot_digest_key" ON "SignSealSnapshot"("digest");
CREATE INDEX "SignSealSnapshot_sealId_idx" ON "SignSealSnapshot"("sealId");

-- AddForeignKey
ALTER TABLE "SignSealSnapshot" ADD CONSTRAINT "SignSealSnapshot_sealId_fkey" FOREIGN KEY ("sealId") REFERENCES "Seal"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AlterTable
ALTER TABLE "Licence" ADD COLUMN "signatureValue" BYTEA, ADD COLUMN "signSnapshotId" UUID;
ALTER TABLE "Licence" ADD CONSTRAINT "Licence_signSnapshotId_fkey" FOREIGN KEY ("signSnapshotId") REFERENCES "SignSealSnapshot"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- A snapshot is what signatures were made with: never changed, never deleted.
CREATE FUNCTION "sign_snapshot_refuse_change"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'SignSealSnapshot is immutable' USING ERRCODE = 'insufficient_privilege';
END
$$;
CREATE TRIGGER "SignSealSnapshot_no_change" BEFORE UPDATE OR DELETE ON "SignSealSnapshot"
  FOR EACH ROW EXECUTE FUNCTION "sign_snapshot_refuse_change"();
