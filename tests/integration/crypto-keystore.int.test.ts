// The database key store (lib/crypto/keystore.ts) against a real PostgreSQL: private keys are
// stored only wrapped, every signature is counted, disabled keys never sign, and tampering with a
// stored key is refused with a clear error (S-04, A-02, A-03).
import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { DbKeyStore, kekIdOf, keyStore, KeyStoreError } from "@/lib/crypto/keystore";
import { sm2PublicKeyOf, sm2Verify } from "@/lib/crypto/sm2";
import { unwrapKey } from "@/lib/crypto/sm4";
import { env } from "@/lib/env";
import { referenceVerify } from "../helpers/crypto";
import { databaseUrl, pgError, withClient } from "../helpers/db";

const kek = () => Buffer.from(env().CERTSEAL_KEK, "hex");
const msg = (s: string) => new TextEncoder().encode(s);

async function rawRow(id: string) {
  return withClient(databaseUrl(), async (c) => {
    const r = await c.query<{ json: string; wrapped: Buffer; useCount: string; lastUsedAt: Date | null; kekId: string; publicKey: string }>(
      `SELECT row_to_json(k)::text AS json, k."wrappedPrivateKey" AS wrapped, k."useCount"::text AS "useCount", k."lastUsedAt", k."kekId", k."publicKey"
         FROM "CryptoKey" k WHERE k."id" = $1`,
      [id],
    );
    return r.rows[0];
  });
}

/** Edits a key row as a superuser with triggers off, as an attacker with database access would. */
function tamper(sql: string, params: unknown[]) {
  return withClient(databaseUrl(), async (c) => {
    await c.query(`SET session_replication_role = replica`);
    await c.query(sql, params);
  });
}

async function failure(p: Promise<unknown>): Promise<KeyStoreError> {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(KeyStoreError);
  return e as KeyStoreError;
}

describe("S-04 database key store", () => {
  it("S-04 A-02 persists only the wrapped private key: no 32-byte key in clear anywhere in the row", async () => {
    const { keyId, publicKey } = await keyStore().generate("测试 印章密钥");
    const row = await rawRow(keyId);
    const privateKey = unwrapKey(kek(), row.wrapped, keyId); // what only the KEK holder can do
    expect(privateKey).toHaveLength(32);
    expect(sm2PublicKeyOf(privateKey.toString("hex"))).toBe(publicKey);
    expect(row.wrapped.includes(privateKey)).toBe(false);
    expect(row.json.toLowerCase()).not.toContain(privateKey.toString("hex"));
    expect(row.json).not.toContain(privateKey.toString("base64"));
    expect(row.publicKey).toBe(publicKey);
    expect(row.kekId).toBe(kekIdOf(kek()));
    expect(row.useCount).toBe("0");
    expect(await keyStore().publicKey(keyId)).toBe(publicKey);
  });

  it("S-04 signs by key id and counts every signature with its last use time", async () => {
    const ks = keyStore();
    const a = await ks.generate("count a");
    const b = await ks.generate("count b");
    const data = msg("营业执照");
    const sig = await ks.sign(a.keyId, data);
    expect(sm2Verify(a.publicKey, data, sig)).toBe(true);
    expect(referenceVerify(a.publicKey, data, sig)).toBe(true);
    expect(await ks.useCount(a.keyId)).toBe(1n);
    expect((await rawRow(a.keyId)).lastUsedAt).toBeInstanceOf(Date);

    const items = [a, b, a, a, b].map((k, i) => ({ keyId: k.keyId, data: msg(`batch ${i}`) }));
    const sigs = await ks.signMany(items);
    sigs.forEach((s, i) => expect(sm2Verify(i % 5 === 1 || i % 5 === 4 ? b.publicKey : a.publicKey, items[i].data, s)).toBe(true));
    expect(await ks.useCount(a.keyId)).toBe(4n);
    expect(await ks.useCount(b.keyId)).toBe(2n);
  });

  it("S-04 counts exactly under concurrent signing", async () => {
    const ks = keyStore();
    const k = await ks.generate("concurrent");
    const sigs = await Promise.all(Array.from({ length: 30 }, (_, i) => ks.sign(k.keyId, msg(`c${i}`))));
    expect(sigs.every((s, i) => sm2Verify(k.publicKey, msg(`c${i}`), s))).toBe(true);
    expect(await ks.useCount(k.keyId)).toBe(30n);
  });

  it("S-07 refuses a disabled key, alone or in a batch, without counting anything", async () => {
    const ks = keyStore();
    const k = await ks.generate("to disable");
    const other = await ks.generate("still enabled");
    await ks.sign(k.keyId, msg("before"));
    await ks.disable(k.keyId);
    await ks.disable(k.keyId); // idempotent
    const e = await failure(ks.sign(k.keyId, msg("after")));
    expect(e.failure).toBe("DISABLED");
    expect(e.code).toBe("CONFLICT");
    expect(e.userMessage).toBe("签名密钥已停用，不能再用于签名");
    expect((await failure(ks.signMany([{ keyId: other.keyId, data: msg("1") }, { keyId: k.keyId, data: msg("2") }]))).failure).toBe("DISABLED");
    expect(await ks.useCount(k.keyId)).toBe(1n);
    expect(await ks.useCount(other.keyId)).toBe(0n);
  });

  it("S-04 reports unknown keys as not found", async () => {
    const ks = keyStore();
    for (const id of ["00000000-0000-4000-8000-000000000000", "not-a-uuid"]) {
      expect((await failure(ks.sign(id, msg("x")))).failure).toBe("NOT_FOUND");
      expect((await failure(ks.publicKey(id))).failure).toBe("NOT_FOUND");
      expect((await failure(ks.useCount(id))).failure).toBe("NOT_FOUND");
      expect((await failure(ks.disable(id))).failure).toBe("NOT_FOUND");
    }
  });

  it("S-04 a wrapped key tampered with in the database, or moved to another row, fails with a clear unwrap error", async () => {
    const ks = keyStore();
    const a = await ks.generate("tamper a");
    const b = await ks.generate("tamper b");
    await tamper(`UPDATE "CryptoKey" SET "wrappedPrivateKey" = set_byte("wrappedPrivateKey", 20, get_byte("wrappedPrivateKey", 20) # 1) WHERE "id" = $1`, [a.keyId]);
    const e = await failure(ks.sign(a.keyId, msg("x")));
    expect(e.failure).toBe("UNWRAP_FAILED");
    expect(e.message).toMatch(/UNWRAP_FAILED for key .*integrity check/);
    expect(e.userMessage).toMatch(/无法解封/);

    const c = await ks.generate("tamper c");
    await tamper(`UPDATE "CryptoKey" SET "wrappedPrivateKey" = (SELECT "wrappedPrivateKey" FROM "CryptoKey" WHERE "id" = $2) WHERE "id" = $1`, [c.keyId, b.keyId]);
    expect((await failure(ks.sign(c.keyId, msg("x")))).failure).toBe("UNWRAP_FAILED");
    expect(await ks.sign(b.keyId, msg("b still works"))).toBeInstanceOf(Uint8Array);
  });

  it("S-04 a key store configured with another KEK refuses the keys and names both KEK ids", async () => {
    const k = await keyStore().generate("other kek");
    const stranger = new DbKeyStore({ kek: randomBytes(32) });
    const e = await failure(stranger.sign(k.keyId, msg("x")));
    expect(e.failure).toBe("OTHER_KEK");
    expect(e.message).toContain(kekIdOf(kek()));
    expect(await keyStore().useCount(k.keyId)).toBe(0n);
  });

  it("A-02 the database keeps key rows like a device: no delete, fixed key pair, counter never back, disabling final", async () => {
    const ks = keyStore();
    const k = await ks.generate("guarded");
    await ks.sign(k.keyId, msg("x"));
    const url = databaseUrl();
    const refused = async (sql: string) => (await pgError(() => withClient(url, (c) => c.query(sql, [k.keyId])))).code;
    expect(await refused(`DELETE FROM "CryptoKey" WHERE "id" = $1`)).toBe("42501");
    expect(await refused(`UPDATE "CryptoKey" SET "publicKey" = repeat('0', 130) WHERE "id" = $1`)).toBe("42501");
    expect(await refused(`UPDATE "CryptoKey" SET "useCount" = 0 WHERE "id" = $1`)).toBe("42501");
    expect(await refused(`UPDATE "CryptoKey" SET "wrappedPrivateKey" = '\\x00' WHERE "id" = $1`)).toBe("42501");
    await ks.disable(k.keyId);
    expect(await refused(`UPDATE "CryptoKey" SET "disabledAt" = NULL WHERE "id" = $1`)).toBe("42501");
  });
});
