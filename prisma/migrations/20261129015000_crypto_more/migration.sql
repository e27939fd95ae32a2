-- One live platform root certificate (lib/crypto/ca.ts also serialises its creation with an advisory lock).
-- CreateIndex
CREATE UNIQUE INDEX "Certificate_live_root_key" ON "Certificate"("kind") WHERE "kind" = 'ROOT' AND "revokedAt" IS NULL;

-- A certificate's content never changes (A-02); only its revocation time may be set, once.
CREATE FUNCTION "certificate_guard"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW."id" IS DISTINCT FROM OLD."id" OR NEW."serial" IS DISTINCT FROM OLD."serial" OR NEW."kind" IS DISTINCT FROM OLD."kind"
     OR NEW."keyId" IS DISTINCT FROM OLD."keyId" OR NEW."issuerId" IS DISTINCT FROM OLD."issuerId" OR NEW."subject" IS DISTINCT FROM OLD."subject"
     OR NEW."der" IS DISTINCT FROM OLD."der" OR NEW."sm3" IS DISTINCT FROM OLD."sm3" OR NEW."notBefore" IS DISTINCT FROM OLD."notBefore"
     OR NEW."notAfter" IS DISTINCT FROM OLD."notAfter" OR NEW."createdAt" IS DISTINCT FROM OLD."createdAt" THEN
    RAISE EXCEPTION 'Certificate content is kept as issued: UPDATE refused' USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF OLD."revokedAt" IS NOT NULL AND NEW."revokedAt" IS DISTINCT FROM OLD."revokedAt" THEN
    RAISE EXCEPTION 'Certificate revocation is final: UPDATE refused' USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NEW;
END;
$$;
CREATE TRIGGER "Certificate_guard" BEFORE UPDATE ON "Certificate"
  FOR EACH ROW EXECUTE FUNCTION "certificate_guard"();

-- Key store rows behave like a crypto device's: the key pair never changes (a KEK rotation may
-- re-wrap it, changing wrappedPrivateKey and kekId together), the use counter never goes back,
-- and a disabled key stays disabled.
CREATE FUNCTION "crypto_key_guard"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW."id" IS DISTINCT FROM OLD."id" OR NEW."algorithm" IS DISTINCT FROM OLD."algorithm" OR NEW."publicKey" IS DISTINCT FROM OLD."publicKey"
     OR NEW."createdAt" IS DISTINCT FROM OLD."createdAt" THEN
    RAISE EXCEPTION 'CryptoKey key pair is immutable: UPDATE refused' USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF (NEW."wrappedPrivateKey" IS DISTINCT FROM OLD."wrappedPrivateKey") <> (NEW."kekId" IS DISTINCT FROM OLD."kekId") THEN
    RAISE EXCEPTION 'CryptoKey re-wrapping changes wrappedPrivateKey and kekId together: UPDATE refused' USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF NEW."useCount" < OLD."useCount" THEN
    RAISE EXCEPTION 'CryptoKey use counter never decreases: UPDATE refused' USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF OLD."disabledAt" IS NOT NULL AND NEW."disabledAt" IS DISTINCT FROM OLD."disabledAt" THEN
    RAISE EXCEPTION 'CryptoKey disabling is final: UPDATE refused' USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NEW;
END;
$$;
CREATE TRIGGER "CryptoKey_guard" BEFORE UPDATE ON "CryptoKey"
  FOR EACH ROW EXECUTE FUNCTION "crypto_key_guard"();
