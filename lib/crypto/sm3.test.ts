import { randomBytes } from "node:crypto";
import { sm3 as referenceSm3 } from "sm-crypto-v2";
import { describe, expect, it } from "vitest";
import { hmacSm3Hex, sm3Hex } from "@/lib/crypto/sm3";

// Vectors from STANDARDS.md (GB/T 32905-2016, appendix A).
describe("SM3 (Node's OpenSSL)", () => {
  it('hashes "abc"', () => {
    expect(sm3Hex("abc")).toBe("66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0");
  });

  it('hashes "abcd" × 16 (a 512-bit message)', () => {
    expect(sm3Hex("abcd".repeat(16))).toBe("debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732");
  });

  it("hashes bytes and their UTF-8 string the same", () => {
    expect(sm3Hex(new TextEncoder().encode("abc"))).toBe(sm3Hex("abc"));
    expect(sm3Hex(Buffer.from("审计", "utf8"))).toBe(sm3Hex("审计"));
  });

  it("agrees with the independent sm-crypto-v2 implementation on random inputs of every block boundary", () => {
    for (const len of [0, 1, 55, 56, 63, 64, 65, 119, 120, 128, 1000, 4096]) {
      const data = new Uint8Array(randomBytes(len));
      expect(sm3Hex(data), `length ${len}`).toBe(referenceSm3(data));
    }
    expect(sm3Hex("电子证照 ✓")).toBe(referenceSm3("电子证照 ✓"));
  });

  it("computes HMAC-SM3 like sm-crypto-v2", () => {
    for (const keyLen of [16, 32, 64, 65, 100]) {
      const key = new Uint8Array(randomBytes(keyLen));
      const data = new Uint8Array(randomBytes(77));
      expect(hmacSm3Hex(key, data), `key length ${keyLen}`).toBe(referenceSm3(data, { key, mode: "hmac" }));
    }
  });

  it("gives a 64-character lower-case hex digest", () => {
    expect(sm3Hex("")).toMatch(/^[0-9a-f]{64}$/);
    expect(sm3Hex("")).toBe("1ab21d8355cfa17f8e61194831e81a8f22bec8c728fefb747ed035eb5082aa2b");
  });
});
