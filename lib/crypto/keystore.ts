// The key store: stands for the crypto device (服务器密码机). It makes SM2 key pairs, keeps the
// private keys only wrapped under the key-encryption key (CERTSEAL_KEK; SM4-CBC + HMAC-SM3,
// encrypt-then-MAC, with the key id as additional data so a wrapped key cannot be moved to another
// row), signs by key id, counts every use, and never hands out a private key (S-04, A-03).
// `DbKeyStore` keeps the keys in PostgreSQL; an HSM can implement the same interface later.
//
// Signing happens in the worker pool (pool.ts): this module passes the wrapped key to a worker,
// which alone unwraps it. Key generation runs here, in the calling thread, since sm2GenerateKeyPair
// is the audited path; the plaintext lives for the few microseconds until wrapKey, and its buffer
// is zeroed (the hex string sm-crypto-v2 returns cannot be).
import "server-only";
import { randomUUID } from "node:crypto";
import { db, withTx, type Tx } from "@/lib/db";
import { env } from "@/lib/env";
import { AppError, type ErrorCode } from "@/lib/errors";
import { cryptoText } from "@/lib/crypto/messages";
import { signPool, SignPoolError, type SignPool } from "@/lib/crypto/pool";
import { sm2GenerateKeyPair } from "@/lib/crypto/sm2";
import { sm3Hex } from "@/lib/crypto/sm3";
import { wrapKey } from "@/lib/crypto/sm4";

export interface KeyStore {
  /** A new SM2 key pair; returns its id and public key (04‖x‖y, hex). */
  generate(label: string): Promise<{ keyId: string; publicKey: string }>;
  publicKey(keyId: string): Promise<string>;
  /** DER SM2 signature (SM3 with Z, user ID 1234567812345678) over `data`, made in the worker pool. */
  sign(keyId: string, data: Uint8Array): Promise<Uint8Array>;
  /** Signatures in the order of `items`; all or nothing. */
  signMany(items: { keyId: string; data: Uint8Array }[]): Promise<Uint8Array[]>;
  useCount(keyId: string): Promise<bigint>;
  /** Permanently stops a key from signing (its public key still verifies). */
  disable(keyId: string): Promise<void>;
}

export type KeyStoreFailure = "NOT_FOUND" | "DISABLED" | "UNWRAP_FAILED" | "OTHER_KEK";

const FAILURE: Record<KeyStoreFailure, { code: ErrorCode; text: string }> = {
  NOT_FOUND: { code: "NOT_FOUND", text: cryptoText.keyStore.notFound },
  DISABLED: { code: "CONFLICT", text: cryptoText.keyStore.disabled },
  UNWRAP_FAILED: { code: "INTERNAL", text: cryptoText.keyStore.unwrapFailed },
  OTHER_KEK: { code: "INTERNAL", text: cryptoText.keyStore.otherKek },
};

export class KeyStoreError extends AppError {
  constructor(
    readonly failure: KeyStoreFailure,
    readonly keyId: string,
    detail?: string,
  ) {
    super(FAILURE[failure].code, FAILURE[failure].text);
    this.name = "KeyStoreError";
    this.message = `key store: ${failure} for key ${keyId}${detail ? ` (${detail})` : ""}`;
  }
}

/** Identifies a key-encryption key without revealing it: the first 16 hex digits of SM3(KEK). */
export function kekIdOf(kek: Uint8Array): string {
  return sm3Hex(kek).slice(0, 16);
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

type KeyRow = { id: string; publicKey: string; wrappedPrivateKey: Uint8Array; kekId: string };
type Runner = Pick<Tx, "$queryRaw">;

class Rollback extends Error {
  constructor(readonly rows: KeyRow[]) {
    super("rollback");
  }
}

export class DbKeyStore implements KeyStore {
  private readonly kek: Uint8Array;
  private readonly kekId: string;
  private readonly pool: () => SignPool;
  private readonly publicKeys = new Map<string, string>();

  constructor(opts: { kek?: Uint8Array; pool?: SignPool } = {}) {
    this.kek = opts.kek ?? Buffer.from(env().CERTSEAL_KEK, "hex");
    this.kekId = kekIdOf(this.kek);
    this.pool = opts.pool ? () => opts.pool! : signPool;
  }

  async generate(label: string): Promise<{ keyId: string; publicKey: string }> {
    if (typeof label !== "string" || label.length < 1 || label.length > 100) throw new AppError("INVALID_INPUT", cryptoText.keyStore.badLabel);
    const keyId = randomUUID();
    const pair = sm2GenerateKeyPair();
    const secret = Buffer.from(pair.privateKey, "hex");
    const wrapped = wrapKey(this.kek, secret, keyId);
    secret.fill(0);
    await db().cryptoKey.create({
      data: { id: keyId, label, algorithm: "SM2", publicKey: pair.publicKey, wrappedPrivateKey: new Uint8Array(wrapped), kekId: this.kekId },
      select: { id: true },
    });
    this.publicKeys.set(keyId, pair.publicKey);
    return { keyId, publicKey: pair.publicKey };
  }

  async publicKey(keyId: string): Promise<string> {
    const cached = this.publicKeys.get(keyId);
    if (cached) return cached;
    if (!UUID.test(keyId)) throw new KeyStoreError("NOT_FOUND", keyId);
    const row = await db().cryptoKey.findUnique({ where: { id: keyId }, select: { publicKey: true } });
    if (!row) throw new KeyStoreError("NOT_FOUND", keyId);
    this.publicKeys.set(keyId, row.publicKey);
    return row.publicKey;
  }

  async sign(keyId: string, data: Uint8Array): Promise<Uint8Array> {
    const [sig] = await this.signMany([{ keyId, data }]);
    return sig;
  }

  /**
   * One UPDATE per call both counts the uses and fetches the wrapped keys, and only for keys that
   * are enabled and wrapped under this KEK — so a key disabled a moment earlier never signs. The
   * count is that of signing operations the store agreed to, like a device's counter.
   */
  async signMany(items: { keyId: string; data: Uint8Array }[]): Promise<Uint8Array[]> {
    if (items.length === 0) return [];
    const counts = new Map<string, number>();
    for (const { keyId } of items) {
      if (typeof keyId !== "string" || !UUID.test(keyId)) throw new KeyStoreError("NOT_FOUND", String(keyId));
      counts.set(keyId.toLowerCase(), (counts.get(keyId.toLowerCase()) ?? 0) + 1);
    }
    const ids = [...counts.keys()];
    const n = ids.map((id) => counts.get(id)!);
    const update = (q: Runner) =>
      q.$queryRaw<KeyRow[]>`
        UPDATE "CryptoKey" AS k SET "useCount" = k."useCount" + u.n, "lastUsedAt" = now()
          FROM unnest(${ids}::uuid[], ${n}::bigint[]) AS u(id, n)
         WHERE k."id" = u.id AND k."disabledAt" IS NULL AND k."kekId" = ${this.kekId}
        RETURNING k."id"::text AS "id", k."publicKey", k."wrappedPrivateKey", k."kekId"`;
    // A batch over several keys is counted all or nothing.
    const rows =
      ids.length === 1
        ? await update(db())
        : await withTx(async (tx) => {
            const r = await update(tx);
            if (r.length !== ids.length) throw new Rollback(r);
            return r;
          }).catch((e: unknown) => {
            if (e instanceof Rollback) return e.rows;
            throw e;
          });
    if (rows.length !== ids.length) await this.diagnose(ids, rows);

    const byId = new Map(rows.map((r) => [r.id.toLowerCase(), r]));
    const jobs = items.map(({ keyId, data }) => {
      const row = byId.get(keyId.toLowerCase())!;
      this.publicKeys.set(row.id, row.publicKey.trim());
      return { wrappedKey: row.wrappedPrivateKey, aad: row.id, publicKey: row.publicKey.trim(), data };
    });
    try {
      return await this.pool().signMany(jobs);
    } catch (e) {
      // duck-typed: the pool is a process singleton and may come from another module instance (HMR, tests)
      if (isPoolError(e) && e.code === "UNWRAP") throw new KeyStoreError("UNWRAP_FAILED", items[e.index ?? 0].keyId, e.message);
      throw e;
    }
  }

  /** Explains why some keys were not usable (none of them was counted). */
  private async diagnose(ids: string[], usable: KeyRow[]): Promise<never> {
    const ok = new Set(usable.map((r) => r.id.toLowerCase()));
    const missing = ids.filter((id) => !ok.has(id));
    const rows = await db().cryptoKey.findMany({ where: { id: { in: missing } }, select: { id: true, disabledAt: true, kekId: true } });
    for (const id of missing) {
      const row = rows.find((r) => r.id === id);
      if (!row) throw new KeyStoreError("NOT_FOUND", id);
      if (row.disabledAt) throw new KeyStoreError("DISABLED", id);
      if (row.kekId !== this.kekId) throw new KeyStoreError("OTHER_KEK", id, `wrapped under KEK ${row.kekId}, configured KEK is ${this.kekId}`);
    }
    throw new KeyStoreError("NOT_FOUND", missing[0]); // changed between the two queries
  }

  async useCount(keyId: string): Promise<bigint> {
    if (!UUID.test(keyId)) throw new KeyStoreError("NOT_FOUND", keyId);
    const row = await db().cryptoKey.findUnique({ where: { id: keyId }, select: { useCount: true } });
    if (!row) throw new KeyStoreError("NOT_FOUND", keyId);
    return row.useCount;
  }

  async disable(keyId: string): Promise<void> {
    if (!UUID.test(keyId)) throw new KeyStoreError("NOT_FOUND", keyId);
    const n = await db().cryptoKey.updateMany({ where: { id: keyId, disabledAt: null }, data: { disabledAt: new Date() } });
    if (n.count === 0 && !(await db().cryptoKey.findUnique({ where: { id: keyId }, select: { id: true } }))) throw new KeyStoreError("NOT_FOUND", keyId);
  }
}

let instance: KeyStore | undefined;

/** The key store (the database one); it signs through the process's worker pool. */
export function keyStore(): KeyStore {
  instance ??= new DbKeyStore();
  return instance;
}

function isPoolError(e: unknown): e is SignPoolError {
  return e instanceof SignPoolError || (e instanceof Error && e.name === "SignPoolError" && typeof (e as { code?: unknown }).code === "string");
}
