// Certificates (X.509 v3, SM2-with-SM3) built with pkijs and signed through the key store: OpenSSL
// parses them and verifies their signatures with distid 1234567812345678 (S-04, A-03).
import * as pkijs from "pkijs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { OID } from "@/lib/crypto/oids";
import { sm2Verify } from "@/lib/crypto/sm2";
import { buildCertificate, nameOf, parseCertificate, randomSerial, sm2PublicKeyInfo, verifyIssuedBy } from "@/lib/crypto/x509";
import { localVerifier, memoryKeyStore, opensslVerify, opensslX509Text, referenceVerify, SM2_SPKI_PREFIX, testCa } from "@/tests/helpers/crypto";

const ks = memoryKeyStore();
let ca: Awaited<ReturnType<typeof testCa>>;
let leaf: Awaited<ReturnType<Awaited<ReturnType<typeof testCa>>["issue"]>>;
const DAY = 86_400_000;

beforeAll(async () => {
  ca = await testCa(ks);
  leaf = await ca.issue({ commonName: "成都市测试局合同专用章", organization: "成都市测试局", serialNumber: "11510100MB0000000X" });
});
afterAll(() => ks.pool.close());

describe("S-04 X.509 certificates of the platform CA", () => {
  it("S-04 the subjectPublicKeyInfo is id-ecPublicKey with the SM2 curve, byte for byte", () => {
    const spki = Buffer.from(sm2PublicKeyInfo(ca.publicKey).toSchema().toBER(false)).toString("hex");
    expect(spki).toBe(SM2_SPKI_PREFIX + ca.publicKey);
  });

  it("S-04 the root is self-signed v3 with SM2-with-SM3, CA true (critical), keyCertSign + cRLSign, SKI = AKI", () => {
    const r = ca.root;
    expect(r.version).toBe(2);
    expect(r.signatureAlgorithm).toBe(OID.sm2WithSm3);
    expect(r.tbsSignatureAlgorithm).toBe(OID.sm2WithSm3);
    expect(r.isCa).toBe(true);
    expect(r.subjectKeyId).toBe(r.authorityKeyId);
    expect(Buffer.from(r.issuerName).equals(Buffer.from(r.subjectName))).toBe(true);
    expect(sm2Verify(ca.publicKey, r.tbs, r.signature)).toBe(true);
    const text = opensslX509Text(ca.der);
    expect(text).toMatch(/Version: 3/);
    expect(text).toMatch(/Signature Algorithm: SM2-with-SM3/);
    expect(text).toMatch(/ASN1 OID: SM2/);
    expect(text).toMatch(/Basic Constraints: critical\s+CA:TRUE/);
    expect(text).toMatch(/Key Usage: critical\s+Certificate Sign, CRL Sign/);
    expect(text).toMatch(/Subject: C=CN, O=certseal 测试, CN=测试根证书/);
  });

  it("S-04 an issued certificate names the root as issuer and carries the holder's name and code", () => {
    const c = parseCertificate(leaf.der);
    expect(c.isCa).toBe(false);
    expect(c.subject).toEqual({ country: "CN", organization: "成都市测试局", commonName: "成都市测试局合同专用章", serialNumber: "11510100MB0000000X" });
    expect(Buffer.from(c.issuerName).equals(Buffer.from(ca.root.subjectName))).toBe(true);
    expect(c.authorityKeyId).toBe(ca.root.subjectKeyId);
    expect(c.publicKey).toBe(leaf.publicKey);
    const text = opensslX509Text(leaf.der);
    expect(text).toMatch(/Issuer: C=CN, O=certseal 测试, CN=测试根证书/);
    expect(text).toMatch(/Subject: C=CN, O=成都市测试局, CN=成都市测试局合同专用章, serialNumber=11510100MB0000000X/);
    expect(text).toMatch(/Key Usage: critical\s+Digital Signature, Non Repudiation/);
    expect(text).toMatch(/CA:FALSE/);
  });

  it("S-04 OpenSSL verifies each certificate's signature over its TBSCertificate with the root key and distid; so does sm-crypto", () => {
    for (const der of [ca.der, leaf.der]) {
      const c = parseCertificate(der);
      expect(opensslVerify(ca.publicKey, c.tbs, c.signature)).toBe(true);
      expect(referenceVerify(ca.publicKey, c.tbs, c.signature)).toBe(true);
    }
  });

  it("S-04 pkijs re-reads the DER unchanged (the signed TBS is the one in the certificate)", () => {
    const again = pkijs.Certificate.fromBER(leaf.der);
    expect(Buffer.from(again.toSchema(false).toBER(false)).equals(Buffer.from(leaf.der))).toBe(true);
  });

  it("S-04 validity uses UTCTime through 2049 and GeneralizedTime from 2050; times are whole seconds", async () => {
    const c = await ca.issue({ commonName: "长期证书", serialNumber: "1" }, { notBefore: new Date("2049-06-01T00:00:00.250Z"), notAfter: new Date("2051-06-01T00:00:00Z") });
    const p = parseCertificate(c.der);
    expect(p.notBefore.toISOString()).toBe("2049-06-01T00:00:00.000Z");
    expect(p.notAfter.toISOString()).toBe("2051-06-01T00:00:00.000Z");
    expect(opensslX509Text(c.der)).toMatch(/Not After : Jun {2}1 00:00:00 2051 GMT/);
  });

  it("S-04 names are one attribute per RDN and reject over-long or non-printable serial numbers", () => {
    expect(() => nameOf({ commonName: "x".repeat(65) })).toThrow();
    expect(() => nameOf({ commonName: "ok", serialNumber: "身份证" })).toThrow();
    const rdn = pkijs.RelativeDistinguishedNames.fromBER(nameOf({ commonName: "a", organization: "b", serialNumber: "c" }));
    expect(rdn.typesAndValues.map((t) => t.type)).toEqual([OID.country, OID.organization, OID.commonName, OID.serialNumber]);
  });
});

describe("S-04 chain verification against the root", () => {
  const now = new Date();

  it("S-04 accepts the root itself and a certificate it issued, at a time both are valid", async () => {
    expect((await verifyIssuedBy(ca.der, ca.root, now, localVerifier)).reasons).toEqual([]);
    expect((await verifyIssuedBy(leaf.der, ca.root, now, localVerifier)).ok).toBe(true);
  });

  it("S-04 rejects a tampered certificate, naming the bad signature", async () => {
    const t = Uint8Array.from(leaf.der);
    const at = Buffer.from(t).indexOf(Buffer.from("11510100MB0000000X"));
    t[at] = "2".charCodeAt(0);
    const r = await verifyIssuedBy(t, ca.root, now, localVerifier);
    expect(r.ok).toBe(false);
    expect(r.reasons.join()).toMatch(/证书签名无法用平台根证书的公钥验证/);
  });

  it("S-04 rejects a certificate from another CA with the very same name (key identifier and signature)", async () => {
    const other = await testCa(ks);
    const foreign = await other.issue({ commonName: "他处证书", serialNumber: "2" });
    const r = await verifyIssuedBy(foreign.der, ca.root, now, localVerifier);
    expect(r.reasons).toHaveLength(2);
    expect(r.reasons.join("\n")).toMatch(/颁发机构密钥标识与平台根证书不符/);
    expect(r.reasons.join("\n")).toMatch(/证书签名无法用平台根证书的公钥验证/);
  });

  it("S-04 rejects a certificate whose issuer name is not the root's subject", async () => {
    const signedByUs = await buildCertificate(
      { serial: randomSerial(), issuerName: nameOf({ commonName: "冒名根证书" }), subject: { commonName: "x" }, publicKey: leaf.publicKey, notBefore: new Date(now.getTime() - DAY), notAfter: new Date(now.getTime() + DAY), ca: false, authorityKeyId: Buffer.from(ca.root.subjectKeyId!, "hex") },
      (tbs) => ks.sign(ca.keyId, tbs),
    );
    const r = await verifyIssuedBy(signedByUs, ca.root, now, localVerifier);
    expect(r.reasons).toEqual(["证书签发者与平台根证书的主体不符，不是本平台签发的证书"]);
  });

  it("S-04 reports a certificate used before it starts or after it ends, in Beijing time", async () => {
    const early = await verifyIssuedBy(leaf.der, ca.root, new Date(Date.now() - 400 * DAY), localVerifier);
    expect(early.reasons.join()).toMatch(/尚未生效/);
    const late = await verifyIssuedBy(leaf.der, ca.root, new Date(Date.now() + 400 * DAY), localVerifier);
    expect(late.reasons.join()).toMatch(/已过期（有效期至 \d{4}-\d\d-\d\d \d\d:\d\d:\d\d）/);
  });

  it("S-04 rejects garbage and a certificate signed with another algorithm id", async () => {
    expect((await verifyIssuedBy(new Uint8Array([0x30, 0x00]), ca.root, now, localVerifier)).reasons).toEqual(["证书无法解析，不是有效的 X.509 证书"]);
    const t = Buffer.from(leaf.der);
    const oid = Buffer.from("06082a811ccf55018375", "hex"); // 1.2.156.10197.1.501
    const i = t.lastIndexOf(oid);
    t[i + oid.length - 1] = 0x76; // …1.502
    const r = await verifyIssuedBy(t, ca.root, now, localVerifier);
    expect(r.reasons.join()).toMatch(/证书签名算法不是 SM2/);
  });

  it("S-04 buildCertificate refuses an empty validity", async () => {
    await expect(
      buildCertificate({ serial: randomSerial(), subject: { commonName: "x" }, publicKey: ca.publicKey, notBefore: now, notAfter: now, ca: false }, () => Promise.resolve(new Uint8Array())),
    ).rejects.toThrow(/有效期无效/);
  });
});
