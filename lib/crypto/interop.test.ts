// Interoperability, tested rather than assumed (ARCHITECTURE.md "Signing"): our SM2 signatures
// verify with the original sm-crypto and with OpenSSL 3 (distid 1234567812345678), and theirs
// verify with ours (S-04, A-03).
import { randomBytes } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { sm2 as referenceSm2 } from "sm-crypto";
import { describe, expect, it } from "vitest";
import { sm2GenerateKeyPair, sm2Sign, sm2Verify } from "@/lib/crypto/sm2";
import { openssl, opensslVerify, referenceVerify, withTempDir } from "@/tests/helpers/crypto";

const messages = [new Uint8Array(0), new TextEncoder().encode("abc"), new TextEncoder().encode("电子证照 2026"), new Uint8Array(randomBytes(4096))];

describe("A-03 SM2 interoperability", () => {
  it("A-03 our signatures verify with sm-crypto (hash, der, userId) for empty, short, Chinese and 4 KiB messages", () => {
    const k = sm2GenerateKeyPair();
    for (const m of messages) expect(referenceVerify(k.publicKey, m, sm2Sign(k.privateKey, k.publicKey, m)), `length ${m.length}`).toBe(true);
  });

  it("A-03 sm-crypto's signatures verify with ours", () => {
    const k = referenceSm2.generateKeyPairHex();
    for (const m of messages) {
      const sig = referenceSm2.doSignature(Array.from(m), k.privateKey, { hash: true, der: true, publicKey: k.publicKey, userId: "1234567812345678" });
      expect(sm2Verify(k.publicKey, m, Buffer.from(sig, "hex")), `length ${m.length}`).toBe(true);
    }
  });

  it("A-03 our signatures verify with `openssl dgst -sm3 -verify … -sigopt distid:1234567812345678`", () => {
    const k = sm2GenerateKeyPair();
    for (const m of messages.slice(1)) expect(opensslVerify(k.publicKey, m, sm2Sign(k.privateKey, k.publicKey, m))).toBe(true);
  });

  it("A-03 a signature made by OpenSSL with distid verifies with ours; with OpenSSL's empty default ID it does not", () => {
    withTempDir((dir) => {
      const f = (n: string) => path.join(dir, n);
      openssl(["genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:SM2", "-out", f("key.pem")]);
      openssl(["pkey", "-in", f("key.pem"), "-pubout", "-outform", "der", "-out", f("pub.der")]);
      const publicKey = readFileSync(f("pub.der")).subarray(-65).toString("hex");
      const m = new TextEncoder().encode("signed by OpenSSL");
      writeFileSync(f("msg"), m);
      openssl(["dgst", "-sm3", "-sign", f("key.pem"), "-sigopt", "distid:1234567812345678", "-out", f("sig"), f("msg")]);
      expect(sm2Verify(publicKey, m, readFileSync(f("sig")))).toBe(true);
      expect(opensslVerify(publicKey, m, readFileSync(f("sig")))).toBe(true);
      openssl(["dgst", "-sm3", "-sign", f("key.pem"), "-out", f("sig0"), f("msg")]);
      expect(sm2Verify(publicKey, m, readFileSync(f("sig0")))).toBe(false);
    });
  });
});
