// Known-answer tests from STANDARDS.md: SM3 (GB/T 32905), SM4 (GB/T 32907), and the SM2 signature
// example of GB/T 32918.5 / GM/T 0003.5 Annex A (user ID 1234567812345678, message "message digest").
import { describe, expect, it } from "vitest";
import { sm2PublicKeyOf, sm2Sign, sm2Verify, sm2Z } from "@/lib/crypto/sm2";
import { sm2SignatureFromDer, sm2SignatureToDer } from "@/lib/crypto/sm2-der";
import { sm3Hex } from "@/lib/crypto/sm3";
import { sm4CbcDecrypt, sm4CbcEncrypt, sm4EcbBlock } from "@/lib/crypto/sm4";
import { opensslVerify, referenceVerify } from "@/tests/helpers/crypto";

const A = {
  privateKey: "3945208F7B2144B13F36E38AC6D39F95889393692860B51A42FB81EF4DF7C5B8",
  publicKey:
    "04" + "09F9DF311E5421A150DD7D161E4BC5C672179FAD1833FC076BB08FF356F35020" + "CCEA490CE26775A52DC6EA718CC1AA600AED05FBF35E084A6632F6072DA9AD13",
  z: "B2E14C5C79C6DF5B85F4FE7ED8DB7A262B9DA7E07CCB0EA9F4747B8CCDA8A4F3",
  e: "F0B43E94BA45ACCAACE692ED534382EB17E6AB5A19CE7B31F4486FDFC0D28640",
  r: "F5A03B0648D2C4630EEAC513E1BB81A15944DA3827D5B74143AC7EACEEE720B3",
  s: "B1B6AA29DF212FD8763182BC0D421CA1BB9038FD1F7F42D4840B69C485BBC1AA",
  message: new TextEncoder().encode("message digest"),
};
const lower = (s: string) => s.toLowerCase();

describe("A-03 SM3 known answers (GB/T 32905)", () => {
  it('A-03 SM3("abc") and SM3("abcd" × 16) match the standard', () => {
    expect(sm3Hex("abc")).toBe("66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0");
    expect(sm3Hex("abcd".repeat(16))).toBe("debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732");
  });
});

describe("A-03 SM4 known answers (GB/T 32907)", () => {
  const key = Buffer.from("0123456789abcdeffedcba9876543210", "hex");

  it("A-03 SM4 encrypts the standard's block: key = plaintext = 0123…3210 → 681edf34…4246", () => {
    expect(sm4EcbBlock(key, key).toString("hex")).toBe("681edf34d206965e86b3e94f536e4246");
  });

  it("A-03 SM4-CBC round-trips and its first block equals ECB of plaintext ⊕ IV", () => {
    const iv = Buffer.alloc(16);
    const data = Buffer.from("电子印章 SM4-CBC 往返测试", "utf8");
    const ct = sm4CbcEncrypt(key, iv, data);
    expect(sm4CbcDecrypt(key, iv, ct).equals(data)).toBe(true);
    const zeroIvCt = sm4CbcEncrypt(key, iv, key);
    expect(zeroIvCt.subarray(0, 16).toString("hex")).toBe("681edf34d206965e86b3e94f536e4246");
  });
});

describe("S-04 SM2 signature example of GB/T 32918.5 Annex A", () => {
  it("S-04 the Annex A private key gives the Annex A public key", () => {
    expect(sm2PublicKeyOf(lower(A.privateKey))).toBe(lower(A.publicKey));
  });

  it("S-04 recomputes Z for user ID 1234567812345678 and e = SM3(Z ‖ M)", () => {
    const z = sm2Z(A.publicKey);
    expect(z).toBe(lower(A.z));
    expect(sm3Hex(Buffer.concat([Buffer.from(z, "hex"), A.message]))).toBe(lower(A.e));
  });

  it("S-04 the Annex A signature (r, s), DER-encoded with asn1js, verifies with our SM2, sm-crypto and OpenSSL", () => {
    const der = sm2SignatureToDer(A.r, A.s);
    expect(sm2SignatureFromDer(der)).toEqual({ r: BigInt(`0x${A.r}`), s: BigInt(`0x${A.s}`) });
    expect(sm2Verify(A.publicKey, A.message, der)).toBe(true);
    expect(referenceVerify(lower(A.publicKey), A.message, der)).toBe(true);
    expect(opensslVerify(lower(A.publicKey), A.message, der)).toBe(true);
  });

  it("S-04 the Annex A signature does not verify for another message or a changed s", () => {
    const der = sm2SignatureToDer(A.r, A.s);
    expect(sm2Verify(A.publicKey, new TextEncoder().encode("message digesT"), der)).toBe(false);
    const s2 = (BigInt(`0x${A.s}`) + 1n).toString(16);
    expect(sm2Verify(A.publicKey, A.message, sm2SignatureToDer(A.r, s2))).toBe(false);
  });

  it("S-04 a fresh signature with the Annex A key verifies everywhere (k is random, so r differs)", () => {
    const sig = sm2Sign(lower(A.privateKey), A.publicKey, A.message);
    expect(sm2SignatureFromDer(sig).r).not.toBe(BigInt(`0x${A.r}`));
    expect(sm2Verify(A.publicKey, A.message, sig)).toBe(true);
    expect(referenceVerify(lower(A.publicKey), A.message, sig)).toBe(true);
  });
});
