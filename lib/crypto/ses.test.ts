// GB/T 38540 v4 seal (SESeal) and signature (SES_Signature) structures: encode/decode round trip,
// and every verification failure detected with its Chinese explanation (S-04, S-07, S-12).
import * as asn1js from "asn1js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import { OID } from "@/lib/crypto/oids";
import {
  assembleSeal,
  assembleSignature,
  assembleSignatureTrusted,
  decodeSeal,
  decodeSignature,
  encodeSealInfo,
  encodeTbsSign,
  makeSeal,
  signDocument,
  tbsSignEncoder,
  verifySignature,
  type CheckKey,
  type SealInfo,
  type VerificationReport,
} from "@/lib/crypto/ses";
import { sm3Hex } from "@/lib/crypto/sm3";
import { localVerifier, memoryKeyStore, openssl, opensslVerify, referenceVerify, testCa, withTempDir } from "@/tests/helpers/crypto";
import { writeFileSync } from "node:fs";
import path from "node:path";

const DAY = 86_400_000;
const ks = memoryKeyStore();
let ca: Awaited<ReturnType<typeof testCa>>;
type Issued = Awaited<ReturnType<Awaited<ReturnType<typeof testCa>>["issue"]>>;
let maker: Issued;
let signer: Issued;
let outsider: Issued;
let info: SealInfo;
let sealDer: Uint8Array;
const document = new TextEncoder().encode("%PDF-1.7 关于印发电子印章管理办法的通知 …");
const second = (d: Date) => new Date(Math.floor(d.getTime() / 1000) * 1000);
const signedAt = second(new Date(Date.now() - 60_000));

beforeAll(async () => {
  ca = await testCa(ks);
  maker = await ca.issue({ commonName: "测试印章制作单位", serialNumber: "91510100MA0000000A" });
  signer = await ca.issue({ commonName: "成都市测试局合同专用章", organization: "成都市测试局", serialNumber: "11510100MB0000000X" });
  outsider = await ca.issue({ commonName: "另一个单位的印章", serialNumber: "11510100MB0000001X" });
  info = {
    vid: "certseal",
    esID: "51010020260001",
    property: {
      type: 4,
      name: "成都市测试局合同专用章",
      certList: [signer.der],
      createDate: second(new Date(Date.now() - 2 * DAY)),
      validStart: second(new Date(Date.now() - 2 * DAY)),
      validEnd: second(new Date(Date.now() + 300 * DAY)),
    },
    picture: { type: "PNG", data: Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]), width: 42, height: 42 },
    extDatas: [{ extnID: "1.2.156.3005.99.1", critical: true, extnValue: new TextEncoder().encode("filing:510100-0001") }],
  };
  sealDer = await makeSeal(info, maker.keyId, maker.der, { keyStore: ks });
});
afterAll(() => ks.pool.close());

const opts = () => ({ chain: ca.chain, verify: localVerifier, sealStatus: () => Promise.resolve("ACTIVE" as const) });
const sign = (over: Partial<Parameters<typeof signDocument>[0]> = {}) =>
  signDocument({ sealDer, signerKeyId: signer.keyId, signerCertDer: signer.der, document, propertyInfo: "doc:2026-0001", time: signedAt, ...over }, { keyStore: ks });
const failed = (r: VerificationReport) => r.checks.filter((c) => !c.ok).map((c) => c.key);
const message = (r: VerificationReport, key: CheckKey) => r.checks.find((c) => c.key === key)!.message;

describe("S-04 SESeal (GB/T 38540 v4)", () => {
  it("S-04 encodes and decodes every field of the seal", () => {
    const s = decodeSeal(sealDer);
    expect(s.header).toEqual({ id: "ES", version: 4, vid: "certseal" });
    expect(s.esID).toBe(info.esID);
    expect(s.property).toEqual({ ...info.property, certListType: 1, certDigests: [] });
    expect(s.picture).toEqual(info.picture);
    expect(s.extDatas).toEqual(info.extDatas);
    expect(Buffer.from(s.makerCert).equals(Buffer.from(maker.der))).toBe(true);
    expect(s.signAlgID).toBe(OID.sm2WithSm3);
    expect(Buffer.from(s.infoDer).equals(Buffer.from(encodeSealInfo(info)))).toBe(true);
  });

  it("S-04 the maker signed DER(eSealInfo): our SM2, sm-crypto and OpenSSL (distid) agree", () => {
    const s = decodeSeal(sealDer);
    expect(referenceVerify(maker.publicKey, s.infoDer, s.signedValue)).toBe(true);
    expect(opensslVerify(maker.publicKey, s.infoDer, s.signedValue)).toBe(true);
  });

  it("S-04 OpenSSL's ASN.1 parser reads the structure with the standard's types", () => {
    const dump = withTempDir((dir) => {
      const f = path.join(dir, "seal.der");
      writeFileSync(f, sealDer);
      return openssl(["asn1parse", "-inform", "der", "-in", f]);
    });
    expect(dump).toMatch(/IA5STRING\s+:ES\n.*INTEGER\s+:04\n.*IA5STRING\s+:certseal\n.*IA5STRING\s+:51010020260001/);
    expect(dump).toMatch(/UTF8STRING\s+:成都市测试局合同专用章/);
    expect(dump).toMatch(/GENERALIZEDTIME/);
    expect(dump).toMatch(/IA5STRING\s+:PNG/);
    expect(dump).toMatch(/OBJECT\s+:SM2-with-SM3\n.*BIT STRING/);
  });

  it("S-04 refuses a maker key that does not match the maker certificate", async () => {
    await expect(makeSeal(info, signer.keyId, maker.der, { keyStore: ks })).rejects.toBeInstanceOf(AppError);
  });

  it("S-04 decoding refuses non-DER input, trailing bytes, and a wrong header", () => {
    expect(() => decodeSeal(Uint8Array.from([...sealDer, 0]))).toThrow();
    // the same seal with a long-form length on the outer SEQUENCE: valid BER, not DER
    const body = sealDer.subarray(sealDer[1] & 0x80 ? 2 + (sealDer[1] & 0x7f) : 2);
    const len = body.length;
    const ber = Uint8Array.from([0x30, 0x84, len >>> 24, (len >>> 16) & 0xff, (len >>> 8) & 0xff, len & 0xff, ...body]);
    expect(() => decodeSeal(ber)).toThrow(/DER/);
    expect(() => encodeSealInfo({ ...info, esID: "印章" })).toThrow(/IA5String/);
  });
});

describe("S-12 SES_Signature (GB/T 38540 v4)", () => {
  it("S-12 encodes and decodes the signature: version 4, the whole seal, time, SM3 of the document, property info", async () => {
    const der = await sign({ extDatas: [{ extnID: "1.2.3.4", extnValue: Uint8Array.of(1, 2) }] });
    const s = decodeSignature(der);
    expect(s.version).toBe(4);
    expect(Buffer.from(s.seal.der).equals(Buffer.from(sealDer))).toBe(true);
    expect(s.timeInfo).toEqual(signedAt);
    expect(Buffer.from(s.dataHash).toString("hex")).toBe(sm3Hex(document));
    expect(s.propertyInfo).toBe("doc:2026-0001");
    expect(s.extDatas).toEqual([{ extnID: "1.2.3.4", critical: false, extnValue: Uint8Array.of(1, 2) }]);
    expect(Buffer.from(s.signerCert).equals(Buffer.from(signer.der))).toBe(true);
    expect(s.signatureAlgID).toBe(OID.sm2WithSm3);
    expect(s.timeStamp).toBeUndefined();
    // extDatas is [0] EXPLICIT inside TBS_Sign
    const tbs = asn1js.fromBER(s.tbsDer).result as asn1js.Sequence;
    expect(tbs.valueBlock.value[5].idBlock).toMatchObject({ tagClass: 3, tagNumber: 0, isConstructed: true });
  });

  it("S-12 the batch encoder (seal checked once, spliced) writes exactly the bytes of encodeTbsSign and assembleSignature", async () => {
    const s = decodeSignature(await sign({ extDatas: [{ extnID: "1.2.3.4", extnValue: Uint8Array.of(1, 2) }] }));
    const encode = tbsSignEncoder(sealDer);
    for (const f of [
      { timeInfo: signedAt, dataHash: Buffer.from(sm3Hex(document), "hex"), propertyInfo: "doc:2026-0001" },
      { timeInfo: signedAt, dataHash: Buffer.from(sm3Hex("x"), "hex"), propertyInfo: "certseal:licence:1.2.156.3005.2.X", extDatas: [{ extnID: "1.2.3.4", extnValue: Uint8Array.of(1, 2) }] },
    ]) {
      const fast = encode(f);
      expect(Buffer.from(fast).equals(Buffer.from(encodeTbsSign({ sealDer, ...f })))).toBe(true);
      expect(Buffer.from(assembleSignatureTrusted(fast, s.signerCert, s.signature)).equals(Buffer.from(assembleSignature(fast, s.signerCert, s.signature)))).toBe(true);
    }
    expect(() => tbsSignEncoder(Uint8Array.of(0x30, 0x05, 0x01))).toThrow(); // not one complete value
  });

  it("S-12 carries an optional timeStamp as [0] EXPLICIT BIT STRING through a round trip", async () => {
    const s = decodeSignature(await sign());
    const withTs = assembleSignature(s.tbsDer, s.signerCert, s.signature, { timeStamp: Uint8Array.of(9, 8, 7) });
    expect(decodeSignature(withTs).timeStamp).toEqual(Uint8Array.of(9, 8, 7));
  });

  it("S-12 the signer signed DER(TBS_Sign): sm-crypto and OpenSSL (distid) verify it", async () => {
    const s = decodeSignature(await sign());
    expect(referenceVerify(signer.publicKey, s.tbsDer, s.signature)).toBe(true);
    expect(opensslVerify(signer.publicKey, s.tbsDer, s.signature)).toBe(true);
  });

  it("S-12 refuses to sign for a signer whose certificate is not in the seal's certList", async () => {
    const err = await signDocument({ sealDer, signerKeyId: outsider.keyId, signerCertDer: outsider.der, document, propertyInfo: "x" }, { keyStore: ks }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).userMessage).toMatch(/不在该印章的证书列表中/);
  });

  it("S-12 refuses a signer key that does not match the listed certificate", async () => {
    await expect(sign({ signerKeyId: outsider.keyId })).rejects.toThrow(/公钥与签名密钥不一致/);
  });

  it("S-07 refuses to sign outside the seal's validity", async () => {
    await expect(sign({ time: new Date(Date.now() + 400 * DAY) })).rejects.toThrow(/不在有效期内/);
    await expect(sign({ time: new Date(Date.now() - 30 * DAY) })).rejects.toThrow(/不在有效期内/);
  });
});

describe("S-12 verifying a signature: every failure is detected", () => {
  it("S-12 a genuine signature passes every check", async () => {
    const r = await verifySignature(document, await sign(), opts());
    expect(failed(r)).toEqual([]);
    expect(r.valid).toBe(true);
    expect(r.sealStatus).toBe("ACTIVE");
    expect(r.checks.map((c) => c.key)).toEqual(["documentUnchanged", "signerChainsToCa", "signerListedInSeal", "sealValidAtSigningTime", "sealStatusNow", "makerSignatureValid", "signatureValid"]);
    expect(r.signed).toMatchObject({ esID: info.esID, sealName: info.property.name, time: signedAt, propertyInfo: "doc:2026-0001" });
  });

  it("S-12 an altered document fails only documentUnchanged", async () => {
    const altered = Uint8Array.from(document);
    altered[altered.length - 1] ^= 1;
    const r = await verifySignature(altered, await sign(), opts());
    expect(r.valid).toBe(false);
    expect(failed(r)).toEqual(["documentUnchanged"]);
    expect(message(r, "documentUnchanged")).toMatch(/文档已被修改/);
  });

  it("S-12 altered seal bytes inside the signature break the maker's and the signer's signatures", async () => {
    const der = Buffer.from(await sign());
    const name = Buffer.from("成都市测试局合同专用章", "utf8");
    const at = der.indexOf(name, der.indexOf(Buffer.from("51010020260001")));
    der[at + name.length - 1] ^= 0x01; // still valid UTF-8? not needed: the structure still parses
    const r = await verifySignature(document, der, opts());
    expect(r.valid).toBe(false);
    expect(failed(r)).toEqual(expect.arrayContaining(["makerSignatureValid", "signatureValid"]));
    expect(message(r, "makerSignatureValid")).toMatch(/印章数据被篡改/);
  });

  it("S-12 a swapped-in certificate of another signer fails signerListedInSeal and signatureValid", async () => {
    const s = decodeSignature(await sign());
    const r = await verifySignature(document, assembleSignature(s.tbsDer, outsider.der, s.signature), opts());
    expect(failed(r).sort()).toEqual(["signatureValid", "signerListedInSeal"]);
  });

  it("S-12 a signer not in the seal's certList who signs anyway fails only signerListedInSeal", async () => {
    const tbs = encodeTbsSign({ sealDer, timeInfo: signedAt, dataHash: Buffer.from(sm3Hex(document), "hex"), propertyInfo: "doc" });
    const forged = assembleSignature(tbs, outsider.der, await ks.sign(outsider.keyId, tbs));
    const r = await verifySignature(document, forged, opts());
    expect(failed(r)).toEqual(["signerListedInSeal"]);
    expect(message(r, "signerListedInSeal")).toMatch(/无权使用该印章/);
  });

  it("S-07 a signature dated after the seal expired fails sealValidAtSigningTime", async () => {
    const late = second(new Date(info.property.validEnd.getTime() + DAY));
    const tbs = encodeTbsSign({ sealDer, timeInfo: late, dataHash: Buffer.from(sm3Hex(document), "hex"), propertyInfo: "doc" });
    const r = await verifySignature(document, assembleSignature(tbs, signer.der, await ks.sign(signer.keyId, tbs)), opts());
    expect(failed(r)).toEqual(["sealValidAtSigningTime"]);
    expect(message(r, "sealValidAtSigningTime")).toMatch(/不在印章有效期内/);
  });

  it("S-07 a signer certificate expired at the signing time fails signerChainsToCa", async () => {
    const expired = await ca.issue({ commonName: "过期证书", serialNumber: "3" }, { notBefore: new Date(Date.now() - 10 * DAY), notAfter: new Date(Date.now() - 5 * DAY) });
    const seal = await makeSeal({ ...info, property: { ...info.property, certList: [expired.der] } }, maker.keyId, maker.der, { keyStore: ks });
    const der = await signDocument({ sealDer: seal, signerKeyId: expired.keyId, signerCertDer: expired.der, document, propertyInfo: "doc", time: signedAt }, { keyStore: ks });
    const r = await verifySignature(document, der, opts());
    expect(failed(r)).toEqual(["signerChainsToCa"]);
    expect(message(r, "signerChainsToCa")).toMatch(/签章人证书未通过验证：证书在 .* 已过期/);
  });

  it("S-04 a tampered maker signature on an otherwise well-signed seal fails only makerSignatureValid", async () => {
    const s = decodeSeal(sealDer);
    const bad = Uint8Array.from(s.signedValue);
    bad[bad.length - 1] ^= 0x01;
    const forgedSeal = assembleSeal(s.infoDer, s.makerCert, bad);
    const r = await verifySignature(document, await sign({ sealDer: forgedSeal }), opts());
    expect(failed(r)).toEqual(["makerSignatureValid"]);
    expect(message(r, "makerSignatureValid")).toMatch(/制章人签名无效/);
  });

  it("S-04 a seal made with a maker certificate from another CA fails makerSignatureValid with the chain's reason", async () => {
    const other = await testCa(ks);
    const foreignMaker = await other.issue({ commonName: "非法制章单位", serialNumber: "4" });
    const seal = await makeSeal(info, foreignMaker.keyId, foreignMaker.der, { keyStore: ks });
    const r = await verifySignature(document, await sign({ sealDer: seal }), opts());
    expect(failed(r)).toEqual(["makerSignatureValid"]);
    expect(message(r, "makerSignatureValid")).toMatch(/制章人证书未通过验证/);
  });

  it("S-12 a tampered signature value fails signatureValid", async () => {
    const s = decodeSignature(await sign());
    const sig = Uint8Array.from(s.signature);
    sig[10] ^= 0x01;
    const r = await verifySignature(document, assembleSignature(s.tbsDer, s.signerCert, sig), opts());
    expect(failed(r)).toEqual(["signatureValid"]);
  });

  it("S-07 a seal cancelled after signing: the signature stays valid at signing time, the status is reported apart", async () => {
    const r = await verifySignature(document, await sign(), { ...opts(), sealStatus: () => Promise.resolve("CANCELLED" as const) });
    expect(r.valid).toBe(true);
    expect(r.sealStatus).toBe("CANCELLED");
    expect(failed(r)).toEqual(["sealStatusNow"]);
    expect(message(r, "sealStatusNow")).toMatch(/注销前所盖的签章仍然有效/);
  });

  it("S-07 without a status lookup, a seal past its end is reported EXPIRED and the signature stays valid", async () => {
    const r = await verifySignature(document, await sign(), { chain: ca.chain, verify: localVerifier, now: new Date(info.property.validEnd.getTime() + DAY) });
    expect(r.valid).toBe(true);
    expect(r.sealStatus).toBe("EXPIRED");
  });

  it("S-12 input that is not an SES_Signature fails every check with one explanation", async () => {
    const r = await verifySignature(document, new TextEncoder().encode("not a signature"), opts());
    expect(r.valid).toBe(false);
    expect(r.checks.every((c) => !c.ok && /无法解析/.test(c.message))).toBe(true);
  });
});
