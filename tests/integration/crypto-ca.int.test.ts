// The platform CA (lib/crypto/ca.ts) on its own database: created once under concurrency, issues
// certificates that chain to it and that OpenSSL parses and verifies, keeps them unchanged and
// permanently, and honours revocation only from its time on (S-04, S-07, A-02).
import { beforeAll, describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import { ensurePlatformCa, issueCertificate, platformCa, ROOT_SUBJECT, verifyCertificateChain } from "@/lib/crypto/ca";
import { keyStore } from "@/lib/crypto/keystore";
import { OID } from "@/lib/crypto/oids";
import { decodeSignature, makeSeal, signDocument, verifySignature } from "@/lib/crypto/ses";
import { sm3Hex } from "@/lib/crypto/sm3";
import { parseCertificate } from "@/lib/crypto/x509";
import { db } from "@/lib/db";
import { opensslVerify, opensslX509Text } from "../helpers/crypto";
import { pgError, useIsolatedDatabase, withClient } from "../helpers/db";

let url: string;
beforeAll(async () => {
  url = await useIsolatedDatabase("crypto_ca");
});

const YEAR = 365.25 * 86_400_000;

describe("S-04 the platform CA", () => {
  it("S-04 two processes setting up at once create exactly one root key and ROOT certificate", async () => {
    const [a, b, c] = await Promise.all([ensurePlatformCa({ cache: false }), ensurePlatformCa({ cache: false }), ensurePlatformCa({ cache: false })]);
    expect(b.certificateId).toBe(a.certificateId);
    expect(c.certificateId).toBe(a.certificateId);
    expect(await db().certificate.count({ where: { kind: "ROOT" } })).toBe(1);
    expect(await db().cryptoKey.count({ where: { label: "platform-ca-root" } })).toBe(1);
    expect((await ensurePlatformCa()).certificateId).toBe(a.certificateId);
  });

  it("S-04 the ROOT row holds a self-signed SM2 certificate valid 20 years, parsed and verified by OpenSSL", async () => {
    const ca = (await platformCa())!;
    const row = await db().certificate.findUniqueOrThrow({ where: { id: ca.certificateId } });
    expect(row).toMatchObject({ kind: "ROOT", issuerId: null, keyId: ca.keyId, revokedAt: null, sm3: sm3Hex(row.der), serial: ca.cert.serial });
    expect(row.subject).toBe(`CN=${ROOT_SUBJECT.commonName}, O=${ROOT_SUBJECT.organization}, C=CN`);
    expect(Math.round((row.notAfter.getTime() - row.notBefore.getTime()) / YEAR)).toBe(20);
    const cert = parseCertificate(row.der);
    expect(cert.isCa).toBe(true);
    expect(cert.signatureAlgorithm).toBe(OID.sm2WithSm3);
    expect(opensslX509Text(row.der)).toMatch(/CA:TRUE/);
    expect(opensslVerify(ca.publicKey, cert.tbs, cert.signature)).toBe(true);
    expect(await verifyCertificateChain(row.der)).toEqual({ ok: true, reasons: [] });
  });

  it("A-02 the database allows one live ROOT only, keeps certificate content as issued, and never deletes it", async () => {
    const ca = (await platformCa())!;
    const e = await pgError(() =>
      withClient(url, (c) =>
        c.query(`INSERT INTO "Certificate" ("id", "serial", "kind", "subject", "der", "sm3", "notBefore", "notAfter") VALUES (gen_random_uuid(), 'x1', 'ROOT', 'x', '\\x00', repeat('0', 64), now(), now())`),
      ),
    );
    expect(e.code).toBe("23505");
    for (const sql of [`UPDATE "Certificate" SET "der" = '\\x00' WHERE "id" = $1`, `UPDATE "Certificate" SET "notAfter" = now() WHERE "id" = $1`, `DELETE FROM "Certificate" WHERE "id" = $1`])
      expect((await pgError(() => withClient(url, (c) => c.query(sql, [ca.certificateId])))).code).toBe("42501");
  });

  it("S-04 issues a seal certificate (2 years by default) that chains to the root; OpenSSL parses and verifies it", async () => {
    const ca = (await platformCa())!;
    const key = await keyStore().generate("seal key");
    const issued = await issueCertificate({ kind: "SEAL", subject: { commonName: "成都市测试局合同专用章", organization: "成都市测试局", serialNumber: "11510100MB0000000X" }, publicKey: key.publicKey, keyId: key.keyId });
    const row = await db().certificate.findUniqueOrThrow({ where: { id: issued.certificateId } });
    expect(row).toMatchObject({ kind: "SEAL", issuerId: ca.certificateId, keyId: key.keyId, serial: issued.serial, sm3: sm3Hex(issued.der) });
    expect(Buffer.from(row.der).equals(Buffer.from(issued.der))).toBe(true);
    expect(Math.round((row.notAfter.getTime() - row.notBefore.getTime()) / YEAR)).toBe(2);
    const cert = parseCertificate(issued.der);
    expect(cert.publicKey).toBe(key.publicKey);
    expect(cert.notBefore.getTime()).toBe(row.notBefore.getTime());
    expect(opensslX509Text(issued.der)).toMatch(/Subject: C=CN, O=成都市测试局, CN=成都市测试局合同专用章, serialNumber=11510100MB0000000X/);
    expect(opensslVerify(ca.publicKey, cert.tbs, cert.signature)).toBe(true);
    expect(await verifyCertificateChain(issued.der)).toEqual({ ok: true, reasons: [] });
    expect(await keyStore().useCount(ca.keyId)).toBe(2n); // the root signed itself and this certificate
  });

  it("S-04 refuses a key id whose key is not the certificate's, bad input, and validity beyond the root", async () => {
    const a = await keyStore().generate("a");
    const b = await keyStore().generate("b");
    const subject = { commonName: "x", serialNumber: "1" };
    await expect(issueCertificate({ kind: "SEAL", subject, publicKey: a.publicKey, keyId: b.keyId })).rejects.toMatchObject({ code: "CONFLICT" });
    await expect(issueCertificate({ kind: "SEAL", subject: { commonName: "", serialNumber: "1" }, publicKey: a.publicKey })).rejects.toBeInstanceOf(AppError);
    await expect(issueCertificate({ kind: "SEAL", subject, publicKey: "04abc" })).rejects.toMatchObject({ code: "INVALID_INPUT" });
    await expect(issueCertificate({ kind: "SEAL", subject, publicKey: a.publicKey, notAfter: new Date(Date.now() + 30 * YEAR) })).rejects.toMatchObject({ code: "INVALID_INPUT" });
  });

  it("S-07 a revoked certificate still verifies for times before its revocation, not after; revocation is final", async () => {
    const key = await keyStore().generate("revoked");
    const issued = await issueCertificate({ kind: "SEAL", subject: { commonName: "将注销的印章", serialNumber: "2" }, publicKey: key.publicKey });
    const before = new Date();
    await new Promise((r) => setTimeout(r, 20));
    const revokedAt = new Date();
    await db().certificate.update({ where: { id: issued.certificateId }, data: { revokedAt } });
    expect((await verifyCertificateChain(issued.der, before)).ok).toBe(true);
    const after = await verifyCertificateChain(issued.der, new Date(revokedAt.getTime() + 1000));
    expect(after.ok).toBe(false);
    expect(after.reasons.join()).toMatch(/证书已于 .* 注销/);
    expect((await pgError(() => withClient(url, (c) => c.query(`UPDATE "Certificate" SET "revokedAt" = NULL WHERE "id" = $1`, [issued.certificateId])))).code).toBe("42501");
  });

  it("S-04 reports an expired certificate and a tampered one", async () => {
    const key = await keyStore().generate("short");
    const issued = await issueCertificate({ kind: "MAKER", subject: { commonName: "制章单位", serialNumber: "3" }, publicKey: key.publicKey, notAfter: new Date(Date.now() + 86_400_000) });
    expect((await verifyCertificateChain(issued.der, new Date(Date.now() + 2 * 86_400_000))).reasons.join()).toMatch(/已过期/);
    const t = Uint8Array.from(issued.der);
    t[Buffer.from(t).indexOf(Buffer.from("制章单位"))] ^= 1;
    expect((await verifyCertificateChain(t)).reasons.join()).toMatch(/证书签名无法用平台根证书的公钥验证/);
  });
});

describe("S-12 sealing a document end to end with the database key store and CA", () => {
  it("S-04 S-12 maker and seal certificates from the CA, an SESeal, a signature that verifies with the default chain check", async () => {
    const ks = keyStore();
    const makerKey = await ks.generate("maker");
    const maker = await issueCertificate({ kind: "MAKER", subject: { commonName: "测试印章制作单位", serialNumber: "91510100MA0000000A" }, publicKey: makerKey.publicKey, keyId: makerKey.keyId });
    const sealKey = await ks.generate("seal");
    const sealCert = await issueCertificate({ kind: "SEAL", subject: { commonName: "测试局公章", serialNumber: "11510100MB0000000X" }, publicKey: sealKey.publicKey, keyId: sealKey.keyId });
    const now = new Date();
    const sealDer = await makeSeal(
      {
        vid: "certseal",
        esID: "51010020260002",
        property: { type: 1, name: "测试局公章", certList: [sealCert.der], createDate: now, validStart: now, validEnd: parseCertificate(sealCert.der).notAfter },
        picture: { type: "SVG", data: new TextEncoder().encode("<svg/>"), width: 42, height: 42 },
      },
      makerKey.keyId,
      maker.der,
    );
    const document = new TextEncoder().encode("一份需要盖章的文件");
    const sig = await signDocument({ sealDer, signerKeyId: sealKey.keyId, signerCertDer: sealCert.der, document, propertyInfo: "file:1" });
    expect(decodeSignature(sig).seal.esID).toBe("51010020260002");
    const report = await verifySignature(document, sig, { sealStatus: () => Promise.resolve("ACTIVE") });
    expect(report.checks.filter((c) => !c.ok)).toEqual([]);
    expect(report.valid).toBe(true);
    expect(await ks.useCount(sealKey.keyId)).toBe(1n);
    expect(await ks.useCount(makerKey.keyId)).toBe(1n);
  });
});
