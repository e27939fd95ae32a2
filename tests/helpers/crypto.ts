// Crypto helpers for tests: an in-memory key store (same wrapping and worker pool as the database
// one, rows in a Map), an in-memory platform root, and wrappers around the `openssl` command.
import { execFileSync } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { sm2 as referenceSm2 } from "sm-crypto";
import type { KeyStore } from "@/lib/crypto/keystore";
import { SignPool } from "@/lib/crypto/pool";
import { sm2GenerateKeyPair, sm2Verify } from "@/lib/crypto/sm2";
import { wrapKey } from "@/lib/crypto/sm4";
import {
  buildCertificate,
  keyIdentifierOf,
  parseCertificate,
  randomSerial,
  verifyIssuedBy,
  type CertSubject,
  type ChainResult,
  type ParsedCertificate,
  type Sm2Verifier,
} from "@/lib/crypto/x509";

type Row = { label: string; publicKey: string; wrapped: Buffer; useCount: bigint; disabled: boolean };

/** KeyStore with wrapped keys in memory: for unit tests that must not need PostgreSQL. */
export class MemoryKeyStore implements KeyStore {
  readonly rows = new Map<string, Row>();
  constructor(
    readonly kek: Uint8Array,
    readonly pool: SignPool,
  ) {}

  async generate(label: string) {
    const keyId = randomUUID();
    const pair = sm2GenerateKeyPair();
    const secret = Buffer.from(pair.privateKey, "hex");
    this.rows.set(keyId, { label, publicKey: pair.publicKey, wrapped: wrapKey(this.kek, secret, keyId), useCount: 0n, disabled: false });
    secret.fill(0);
    return Promise.resolve({ keyId, publicKey: pair.publicKey });
  }
  private row(keyId: string): Row {
    const r = this.rows.get(keyId);
    if (!r) throw new Error(`no key ${keyId}`);
    return r;
  }
  publicKey(keyId: string) {
    return Promise.resolve(this.row(keyId).publicKey);
  }
  async sign(keyId: string, data: Uint8Array) {
    return (await this.signMany([{ keyId, data }]))[0];
  }
  signMany(items: { keyId: string; data: Uint8Array }[]) {
    for (const i of items) if (this.row(i.keyId).disabled) throw new Error(`key ${i.keyId} is disabled`);
    for (const i of items) this.row(i.keyId).useCount++;
    return this.pool.signMany(items.map((i) => ({ wrappedKey: this.row(i.keyId).wrapped, aad: i.keyId, publicKey: this.row(i.keyId).publicKey, data: i.data })));
  }
  useCount(keyId: string) {
    return Promise.resolve(this.row(keyId).useCount);
  }
  disable(keyId: string) {
    this.row(keyId).disabled = true;
    return Promise.resolve();
  }
}

export function memoryKeyStore(poolSize = 1): MemoryKeyStore {
  const kek = randomBytes(32);
  return new MemoryKeyStore(kek, new SignPool({ kek, size: poolSize }));
}

/** SM2 verification in the calling thread. */
export const localVerifier: Sm2Verifier = (publicKey, data, signature) => Promise.resolve(sm2Verify(publicKey, data, signature));

const DAY = 86_400_000;

/** An in-memory platform root and an issuer of certificates under it. */
export async function testCa(ks: KeyStore, opts: { notBefore?: Date; notAfter?: Date } = {}) {
  const { keyId, publicKey } = await ks.generate("test-root");
  const notBefore = opts.notBefore ?? new Date(Date.now() - 3650 * DAY);
  const notAfter = opts.notAfter ?? new Date(Date.now() + 3650 * DAY);
  const der = await buildCertificate({ serial: randomSerial(), subject: { commonName: "测试根证书", organization: "certseal 测试" }, publicKey, notBefore, notAfter, ca: true }, (tbs) =>
    ks.sign(keyId, tbs),
  );
  const root: ParsedCertificate = parseCertificate(der);

  async function issue(subject: CertSubject, o: { notBefore?: Date; notAfter?: Date; keyId?: string } = {}) {
    const key = o.keyId ? { keyId: o.keyId, publicKey: await ks.publicKey(o.keyId) } : await ks.generate(`cert ${subject.commonName}`);
    const certDer = await buildCertificate(
      {
        serial: randomSerial(),
        issuerName: root.subjectName,
        subject,
        publicKey: key.publicKey,
        notBefore: o.notBefore ?? new Date(Date.now() - 365 * DAY),
        notAfter: o.notAfter ?? new Date(Date.now() + 365 * DAY),
        ca: false,
        authorityKeyId: keyIdentifierOf(publicKey),
      },
      (tbs) => ks.sign(keyId, tbs),
    );
    return { keyId: key.keyId, publicKey: key.publicKey, der: certDer };
  }

  const chain = async (certDer: Uint8Array, at: Date): Promise<ChainResult> => {
    const r = await verifyIssuedBy(certDer, root, at, localVerifier);
    return { ok: r.ok, reasons: r.reasons };
  };

  return { keyId, publicKey, der, root, issue, chain };
}

/** The independent verifier: the original sm-crypto, with its own options. */
export function referenceVerify(publicKey: string, data: Uint8Array, derSignature: Uint8Array): boolean {
  return referenceSm2.doVerifySignature(Array.from(data), Buffer.from(derSignature).toString("hex"), publicKey, {
    hash: true,
    der: true,
    userId: "1234567812345678",
  });
}

/** SubjectPublicKeyInfo DER prefix of an SM2 key (id-ecPublicKey, curve SM2), before 04‖x‖y. */
export const SM2_SPKI_PREFIX = "3059301306072a8648ce3d020106082a811ccf5501822d034200";

/** A temporary directory for openssl's files, removed after `fn`. */
export function withTempDir<T>(fn: (dir: string) => T): T {
  const dir = mkdtempSync(path.join(os.tmpdir(), "certseal-openssl-"));
  try {
    return fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function openssl(args: string[], input?: Uint8Array): string {
  return execFileSync("openssl", args, { input, stdio: ["pipe", "pipe", "pipe"] }).toString("utf8");
}

/** `openssl dgst -sm3 -verify pub.pem -signature sig.der -sigopt distid:1234567812345678 msg`: true on "Verified OK". */
export function opensslVerify(publicKey: string, message: Uint8Array, derSignature: Uint8Array): boolean {
  return withTempDir((dir) => {
    const f = (n: string) => path.join(dir, n);
    writeFileSync(f("pub.der"), Buffer.from(SM2_SPKI_PREFIX + publicKey, "hex"));
    openssl(["pkey", "-pubin", "-inform", "der", "-in", f("pub.der"), "-out", f("pub.pem")]);
    writeFileSync(f("sig.der"), derSignature);
    writeFileSync(f("msg.bin"), message);
    try {
      return /Verified OK/.test(openssl(["dgst", "-sm3", "-verify", f("pub.pem"), "-signature", f("sig.der"), "-sigopt", "distid:1234567812345678", f("msg.bin")]));
    } catch {
      return false; // openssl exits 1 on "Verification failure"
    }
  });
}

/** `openssl x509 -inform der -text -noout` output (throws if OpenSSL cannot parse the certificate). */
export function opensslX509Text(der: Uint8Array): string {
  return withTempDir((dir) => {
    const file = path.join(dir, "cert.der");
    writeFileSync(file, der);
    return openssl(["x509", "-inform", "der", "-in", file, "-text", "-noout", "-nameopt", "utf8,sep_comma_plus_space"]);
  });
}
