// Worker thread of lib/crypto/pool.ts: unwraps a private key, signs, and forgets it.
//
// A plain .mjs file (no TypeScript, no "@/" imports) so that Node runs it as it is under tsx,
// vitest and the Next.js production server alike; the pool locates it on disk (see pool.ts).
// Besides lib/crypto/sm2.ts, this is the one other place that calls sm-crypto-v2. The options
// below must give what sm2.ts gives with { hash: true, publicKey, userId: "1234567812345678", der: true }:
// the digest e = SM3(Z ‖ M) is taken with Node's native SM3 and signed with { hash: false }.
//
// Private keys are unwrapped here and nowhere else during signing: the main thread (which serves
// requests and renders pages) only ever holds the wrapped bytes. The unwrap format is the one of
// lib/crypto/sm4.ts `wrapKey` — version(1) ‖ iv(16) ‖ SM4-CBC(key) ‖ HMAC-SM3(body ‖ aad)(32), with
// the encryption and MAC keys derived from the KEK by HMAC-SM3 — and lib/crypto/pool.test.ts
// checks that both agree.
import { createDecipheriv, createHash, createHmac, timingSafeEqual } from "node:crypto";
import { parentPort, workerData } from "node:worker_threads";
import { sm2 } from "sm-crypto-v2";

const USER_ID = "1234567812345678";
const WRAP_VERSION = 1;
const HEX_PUB = /^04[0-9a-f]{128}$/;

/** @type {{ enc: Buffer, mac: Buffer } | null} */
let subKeys = null;
if (workerData && workerData.kek) {
  const kek = Buffer.from(workerData.kek);
  if (kek.length !== 32) throw new Error("sign worker: the key-encryption key must be 32 bytes");
  subKeys = {
    enc: createHmac("sm3", kek).update("certseal key wrap: encryption").digest().subarray(0, 16),
    mac: createHmac("sm3", kek).update("certseal key wrap: authentication").digest(),
  };
  kek.fill(0);
}

class WorkerError extends Error {
  /** @param {string} code @param {string} message */
  constructor(code, message) {
    super(message);
    this.code = code;
  }
}

/** @param {Uint8Array} wrapped @param {string} aad @returns {Buffer} */
function unwrap(wrapped, aad) {
  if (!subKeys) throw new WorkerError("NO_KEK", "this pool was started without a key-encryption key");
  const w = Buffer.from(wrapped.buffer, wrapped.byteOffset, wrapped.byteLength);
  if (w.length < 1 + 16 + 16 + 32 || w[0] !== WRAP_VERSION) throw new WorkerError("UNWRAP", "wrapped key has an unknown format");
  const body = w.subarray(0, w.length - 32);
  const tag = w.subarray(w.length - 32);
  const expected = createHmac("sm3", subKeys.mac).update(body).update(aad).digest();
  if (!timingSafeEqual(tag, expected)) throw new WorkerError("UNWRAP", "wrapped key failed its integrity check (tampered, another key's, or another KEK)");
  const d = createDecipheriv("sm4-cbc", subKeys.enc, body.subarray(1, 17));
  const key = Buffer.concat([d.update(body.subarray(17)), d.final()]);
  if (key.length !== 32) {
    key.fill(0);
    throw new WorkerError("UNWRAP", "wrapped key does not hold a 32-byte SM2 private key");
  }
  return key;
}

/** Z of each public key (user ID 1234567812345678), computed once. @type {Map<string, Uint8Array>} */
const zCache = new Map();
/** @param {string} publicKey 04‖x‖y in hex */
function zOf(publicKey) {
  let z = zCache.get(publicKey);
  if (!z) {
    z = sm2.getZ(publicKey.slice(2), USER_ID);
    if (zCache.size >= 256) zCache.clear();
    zCache.set(publicKey, z);
  }
  return z;
}

/** @param {{ wrappedKey: Uint8Array, aad: string, publicKey: string, data: Uint8Array }} job */
function sign(job) {
  const publicKey = String(job.publicKey).toLowerCase();
  if (!HEX_PUB.test(publicKey)) throw new WorkerError("BAD_INPUT", "public key must be 04‖x‖y in hex");
  const key = unwrap(job.wrappedKey, job.aad);
  const privateKey = key.toString("hex");
  key.fill(0);
  // e = SM3(Z ‖ M) (GB/T 32918.2 §6.1) with Z for user ID 1234567812345678, exactly what
  // { hash: true, publicKey, userId } computes — but with Node's native SM3: sm-crypto-v2 hashes in
  // JavaScript, which for a 19.5 KB TBS_Sign (it holds the whole SESeal) cost ~6 ms a signature
  // against ~0.4 ms here (bench/bulk-issue). The signature is the standard one: pool.test.ts and
  // the OpenSSL interop tests verify it with { hash: true }.
  const e = createHash("sm3").update(zOf(publicKey)).update(job.data).digest();
  const hex = sm2.doSignature(e, privateKey, { hash: false, der: true });
  // A Uint8Array of its own: a view into Node's shared Buffer pool would be cloned whole.
  return new Uint8Array(Buffer.from(hex, "hex"));
}

// Precomputed public keys make verification several times faster, but precomputing costs about
// as much as ten plain verifications: precompute "hot" keys (issuers) at once, others on reuse.
const PREPARED_MAX = 64;
/** @type {Map<string, unknown>} */
const prepared = new Map();
/** @type {Map<string, number>} */
const seen = new Map();

/** @param {string} publicKey @param {boolean} hot */
function keyFor(publicKey, hot) {
  const hit = prepared.get(publicKey);
  if (hit) {
    prepared.delete(publicKey); // LRU: move to the end
    prepared.set(publicKey, hit);
    return hit;
  }
  const n = (seen.get(publicKey) ?? 0) + 1;
  if (!hot && n < 2) {
    if (seen.size > 4096) seen.clear();
    seen.set(publicKey, n);
    return publicKey;
  }
  seen.delete(publicKey);
  const p = sm2.precomputePublicKey(publicKey);
  prepared.set(publicKey, p);
  if (prepared.size > PREPARED_MAX) prepared.delete(prepared.keys().next().value);
  return p;
}

/** @param {{ publicKey: string, data: Uint8Array, signature: Uint8Array, hot?: boolean }} job */
function verify(job) {
  try {
    const publicKey = String(job.publicKey).toLowerCase();
    if (!HEX_PUB.test(publicKey)) return false;
    const sig = Buffer.from(job.signature.buffer, job.signature.byteOffset, job.signature.byteLength).toString("hex");
    return sm2.doVerifySignature(job.data, sig, keyFor(publicKey, Boolean(job.hot)), { hash: true, der: true, userId: USER_ID });
  } catch {
    return false; // sm-crypto-v2 throws on some malformed signatures
  }
}

parentPort.on("message", (msg) => {
  const { id, op, items } = msg;
  try {
    if (op === "sign") {
      const results = [];
      for (let i = 0; i < items.length; i++) {
        try {
          results.push(sign(items[i]));
        } catch (e) {
          throw Object.assign(e instanceof Error ? e : new Error(String(e)), { index: i });
        }
      }
      parentPort.postMessage({ id, ok: true, results }, results.map((r) => r.buffer));
    } else if (op === "verify") {
      parentPort.postMessage({ id, ok: true, results: items.map(verify) });
    } else if (op === "ping") {
      parentPort.postMessage({ id, ok: true, results: [] });
    } else {
      throw new WorkerError("BAD_INPUT", `unknown operation ${op}`);
    }
  } catch (e) {
    const err = /** @type {Error & { code?: string, index?: number }} */ (e);
    parentPort.postMessage({ id, ok: false, error: { code: err.code ?? "ERROR", message: err.message, index: err.index ?? null } });
  }
});

parentPort.postMessage({ ready: true });
