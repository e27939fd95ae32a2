// SM4 (GB/T 32907) and HMAC-SM3 from Node's OpenSSL 3; key wrapping is SM4-CBC then HMAC-SM3 over
// the whole envelope (encrypt-then-MAC), since Node 20 has no SM4-GCM.
import { createCipheriv, createDecipheriv, createHmac, randomBytes, timingSafeEqual } from "node:crypto";

export function sm4EcbBlock(key: Uint8Array, block: Uint8Array): Buffer {
  const c = createCipheriv("sm4-ecb", key, null);
  c.setAutoPadding(false);
  return Buffer.concat([c.update(block), c.final()]);
}

export function sm4CbcEncrypt(key: Uint8Array, iv: Uint8Array, data: Uint8Array): Buffer {
  const c = createCipheriv("sm4-cbc", key, iv);
  return Buffer.concat([c.update(data), c.final()]);
}

export function sm4CbcDecrypt(key: Uint8Array, iv: Uint8Array, data: Uint8Array): Buffer {
  const d = createDecipheriv("sm4-cbc", key, iv);
  return Buffer.concat([d.update(data), d.final()]);
}

const VERSION = 1;

function subKeys(kek: Uint8Array) {
  if (kek.length !== 32) throw new Error("the key-encryption key must be 32 bytes");
  const enc = createHmac("sm3", kek).update("certseal key wrap: encryption").digest().subarray(0, 16);
  const mac = createHmac("sm3", kek).update("certseal key wrap: authentication").digest();
  return { enc, mac };
}

/** version(1) ‖ iv(16) ‖ SM4-CBC(secret) ‖ HMAC-SM3(version ‖ iv ‖ ciphertext ‖ aad)(32) */
export function wrapKey(kek: Uint8Array, secret: Uint8Array, aad = ""): Buffer {
  const { enc, mac } = subKeys(kek);
  const iv = randomBytes(16);
  const body = Buffer.concat([Buffer.from([VERSION]), iv, sm4CbcEncrypt(enc, iv, secret)]);
  const tag = createHmac("sm3", mac).update(body).update(aad).digest();
  return Buffer.concat([body, tag]);
}

export class KeyUnwrapError extends Error {}

export function unwrapKey(kek: Uint8Array, wrapped: Uint8Array, aad = ""): Buffer {
  const { enc, mac } = subKeys(kek);
  const w = Buffer.from(wrapped);
  if (w.length < 1 + 16 + 16 + 32 || w[0] !== VERSION) throw new KeyUnwrapError("wrapped key has an unknown format");
  const body = w.subarray(0, w.length - 32);
  const tag = w.subarray(w.length - 32);
  const expect = createHmac("sm3", mac).update(body).update(aad).digest();
  if (!timingSafeEqual(tag, expect)) throw new KeyUnwrapError("wrapped key failed its integrity check (tampered, or another KEK)");
  return sm4CbcDecrypt(enc, body.subarray(1, 17), body.subarray(17));
}
