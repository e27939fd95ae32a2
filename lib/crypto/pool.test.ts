// The worker pool signs with wrapped keys only; its worker's unwrap agrees with lib/crypto/sm4.ts,
// and any tampering with a wrapped key is refused (S-04: keys never leave the store in clear).
import { randomBytes, randomUUID } from "node:crypto";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, describe, expect, it, vi } from "vitest";
import { resolveWorkerFile, SignPool, SignPoolError } from "@/lib/crypto/pool";
import { sm2GenerateKeyPair, sm2Sign, sm2Verify } from "@/lib/crypto/sm2";
import { KeyUnwrapError, unwrapKey, wrapKey } from "@/lib/crypto/sm4";
import { opensslVerify, referenceVerify } from "@/tests/helpers/crypto";

const kek = randomBytes(32);
const pool = new SignPool({ kek, size: 2 });
const inThread = new SignPool({ kek, inThread: true });
afterAll(() => Promise.all([pool.close(), inThread.close()]));

function newKey() {
  const id = randomUUID();
  const pair = sm2GenerateKeyPair();
  const wrapped = wrapKey(kek, Buffer.from(pair.privateKey, "hex"), id);
  return { id, ...pair, wrapped };
}
const msg = (s: string) => new TextEncoder().encode(s);

describe("S-04 key wrapping (SM4-CBC + HMAC-SM3, encrypt-then-MAC)", () => {
  const secret = randomBytes(32);
  const aad = randomUUID();
  const wrapped = wrapKey(kek, secret, aad);

  it("S-04 round-trips and never contains the key in clear", () => {
    expect(unwrapKey(kek, wrapped, aad).equals(secret)).toBe(true);
    expect(wrapped.includes(secret)).toBe(false);
    expect(wrapped.toString("hex").includes(secret.toString("hex"))).toBe(false);
    expect(wrapKey(kek, secret, aad).equals(wrapped)).toBe(false); // fresh IV each time
  });

  it("S-04 refuses the wrapped key when any single byte is flipped", () => {
    for (let i = 0; i < wrapped.length; i++) {
      const t = Buffer.from(wrapped);
      t[i] ^= 0x01;
      expect(() => unwrapKey(kek, t, aad), `byte ${i}`).toThrow(KeyUnwrapError);
    }
  });

  it("S-04 refuses a wrong KEK, a wrong aad (another key id), and a truncated or extended envelope", () => {
    expect(() => unwrapKey(randomBytes(32), wrapped, aad)).toThrow(KeyUnwrapError);
    expect(() => unwrapKey(kek, wrapped, randomUUID())).toThrow(KeyUnwrapError);
    expect(() => unwrapKey(kek, wrapped, "")).toThrow(KeyUnwrapError);
    expect(() => unwrapKey(kek, wrapped.subarray(0, wrapped.length - 1), aad)).toThrow(KeyUnwrapError);
    expect(() => unwrapKey(kek, Buffer.concat([wrapped, Buffer.from([0])]), aad)).toThrow(KeyUnwrapError);
  });
});

describe("S-04 the signing pool (worker_threads)", () => {
  it("S-04 signs in workers with a wrapped key; the signature verifies with our SM2, sm-crypto and OpenSSL", async () => {
    const k = newKey();
    const data = msg("营业执照 电子证照 001");
    const sig = await pool.sign({ wrappedKey: k.wrapped, aad: k.id, publicKey: k.publicKey, data });
    expect(pool.mode).toBe("workers");
    expect(sm2Verify(k.publicKey, data, sig)).toBe(true);
    expect(referenceVerify(k.publicKey, data, sig)).toBe(true);
    expect(opensslVerify(k.publicKey, data, sig)).toBe(true);
  });

  it("S-04 keeps the order of a large batch over several keys", async () => {
    const keys = [newKey(), newKey(), newKey()];
    const jobs = Array.from({ length: 150 }, (_, i) => {
      const k = keys[i % keys.length];
      return { wrappedKey: k.wrapped, aad: k.id, publicKey: k.publicKey, data: msg(`document ${i}`) };
    });
    const sigs = await pool.signMany(jobs);
    expect(sigs).toHaveLength(150);
    sigs.forEach((s, i) => expect(sm2Verify(jobs[i].publicKey, jobs[i].data, s), `item ${i}`).toBe(true));
  });

  it("S-04 a single signature asked during a large batch goes before the batch's queued chunks", async () => {
    const k = newKey();
    const job = (s: string) => ({ wrappedKey: k.wrapped, aad: k.id, publicKey: k.publicKey, data: msg(s) });
    const batch = pool.signMany(Array.from({ length: 400 }, (_, i) => job(`bulk ${i}`)));
    const single = pool.sign(job("urgent"));
    let singleFirst = false;
    await Promise.race([single.then(() => (singleFirst = true)), batch]);
    expect(singleFirst).toBe(true);
    await batch;
  });

  it("S-04 the worker refuses a tampered wrapped key, a key moved to another id, and another KEK — naming the batch item", async () => {
    const k = newKey();
    const good = { wrappedKey: k.wrapped, aad: k.id, publicKey: k.publicKey, data: msg("x") };
    const tampered = Buffer.from(k.wrapped);
    tampered[20] ^= 0x80;
    for (const bad of [
      { ...good, wrappedKey: tampered },
      { ...good, aad: randomUUID() },
      { ...good, wrappedKey: wrapKey(randomBytes(32), Buffer.from(k.privateKey, "hex"), k.id) },
    ]) {
      const err = await pool.signMany([good, good, bad]).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(SignPoolError);
      expect((err as SignPoolError).code).toBe("UNWRAP");
      expect((err as SignPoolError).index).toBe(2);
    }
  });

  it("S-04 verifies in workers, precomputing hot (issuer) keys, and rejects wrong signatures", async () => {
    const k = newKey();
    const data = msg("verify me");
    const sig = sm2Sign(k.privateKey, k.publicKey, data);
    const other = sm2Sign(newKey().privateKey, k.publicKey, data);
    const results = await pool.verifyMany([
      { publicKey: k.publicKey, data, signature: sig, hot: true },
      { publicKey: k.publicKey, data, signature: sig },
      { publicKey: k.publicKey, data, signature: sig },
      { publicKey: k.publicKey, data: msg("verify me!"), signature: sig, hot: true },
      { publicKey: k.publicKey, data, signature: other },
      { publicKey: k.publicKey, data, signature: new Uint8Array([0x30, 0x02, 0x01]) },
    ]);
    expect(results).toEqual([true, true, true, false, false, false]);
  });

  it("S-04 in-thread signing (the fallback) gives the same results and the same refusals", async () => {
    const k = newKey();
    const data = msg("fallback");
    const sig = await inThread.sign({ wrappedKey: k.wrapped, aad: k.id, publicKey: k.publicKey, data });
    expect(inThread.mode).toBe("in-thread");
    expect(referenceVerify(k.publicKey, data, sig)).toBe(true);
    const err = await inThread.sign({ wrappedKey: k.wrapped, aad: "another id", publicKey: k.publicKey, data }).catch((e: unknown) => e);
    expect((err as SignPoolError).code).toBe("UNWRAP");
    expect(await inThread.verify({ publicKey: k.publicKey, data, signature: sig, hot: true })).toBe(true);
  });

  it("S-04 falls back to in-thread signing, with a warning, when the worker file cannot be found or fails to load", async () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    const k = newKey();
    const job = { wrappedKey: k.wrapped, aad: k.id, publicKey: k.publicKey, data: msg("no worker") };
    const missing = new SignPool({ kek, size: 1, workerFile: null });
    expect(sm2Verify(k.publicKey, job.data, await missing.sign(job))).toBe(true);
    expect(missing.mode).toBe("in-thread");
    const broken = new SignPool({ kek, size: 1, workerFile: path.join(import.meta.dirname, "does-not-exist.mjs") });
    expect(sm2Verify(k.publicKey, job.data, await broken.sign(job))).toBe(true);
    expect(broken.mode).toBe("in-thread");
    expect(warn).toHaveBeenCalledTimes(2);
    warn.mockRestore();
    await Promise.all([missing.close(), broken.close()]);
  });

  it("S-04 finds the worker beside its module from source, and under the working directory from a bundle", () => {
    const here = path.join(import.meta.dirname, "sign-worker.mjs");
    expect(resolveWorkerFile(pathToFileURL(path.join(import.meta.dirname, "pool.ts")).href, "/nonexistent")).toBe(here);
    const root = path.resolve(import.meta.dirname, "../..");
    expect(resolveWorkerFile("file:///srv/app/.next/server/chunks/ssr/pool_abc123.js", root)).toBe(here);
    expect(resolveWorkerFile("file:///srv/app/.next/server/chunks/ssr/pool_abc123.js", "/nonexistent")).toBeNull();
  });
});
