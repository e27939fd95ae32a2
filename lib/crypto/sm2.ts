// SM2 (GB/T 32918) signatures through sm-crypto-v2 — this module and lib/crypto/sign-worker.mjs (the
// worker pool, same options) are the only ones that call it. Node's own crypto cannot set the SM2
// user ID, so its signatures do not interoperate (STANDARDS.md).
// Always { hash: true, publicKey, userId }: sm-crypto-v2's default is hash OFF, which silently
// produces non-standard signatures; a misspelt option would be ignored, so options live here only.
import { sm2 } from "sm-crypto-v2";

/** The default distinguishing identifier of GM/T 0009 (OpenSSL: -sigopt distid:1234567812345678). */
export const SM2_USER_ID = "1234567812345678";

export type Sm2KeyPair = { privateKey: string; publicKey: string };

const HEX_PRIV = /^[0-9a-f]{64}$/;
const HEX_PUB = /^04[0-9a-f]{128}$/;

function normPub(publicKey: string): string {
  const p = publicKey.toLowerCase();
  // Public keys without the 04 prefix make verification silently false in sm-crypto(-v2).
  const withPrefix = p.length === 128 ? `04${p}` : p;
  if (!HEX_PUB.test(withPrefix)) throw new Error("SM2 public key must be 65 bytes uncompressed (04‖x‖y) in hex");
  return withPrefix;
}

export function sm2GenerateKeyPair(): Sm2KeyPair {
  const k = sm2.generateKeyPairHex();
  return { privateKey: k.privateKey.padStart(64, "0"), publicKey: normPub(k.publicKey) };
}

export function sm2PublicKeyOf(privateKey: string): string {
  if (!HEX_PRIV.test(privateKey)) throw new Error("SM2 private key must be 32 bytes in hex");
  return normPub(sm2.getPublicKeyFromPrivateKey(privateKey));
}

/** Signs `message` (raw bytes, never a hex string) with SM3 and the Z value; DER-encoded (r, s). */
export function sm2Sign(privateKey: string, publicKey: string, message: Uint8Array): Uint8Array {
  const hex = sm2.doSignature(message, privateKey, { hash: true, publicKey: normPub(publicKey), userId: SM2_USER_ID, der: true });
  return Buffer.from(hex, "hex");
}

export type PreparedPublicKey = ReturnType<typeof sm2.precomputePublicKey> | string;

/** Precomputes a public key's multiples: verification with it is several times faster. */
export function sm2Prepare(publicKey: string): PreparedPublicKey {
  return sm2.precomputePublicKey(normPub(publicKey));
}

/** Verifies a DER signature; false for any malformed input (sm-crypto-v2 throws on some). */
export function sm2Verify(publicKey: string | PreparedPublicKey, message: Uint8Array, derSignature: Uint8Array): boolean {
  try {
    const key = typeof publicKey === "string" ? normPub(publicKey) : publicKey;
    return sm2.doVerifySignature(message, Buffer.from(derSignature).toString("hex"), key, { hash: true, der: true, userId: SM2_USER_ID });
  } catch {
    return false;
  }
}

/** Z = SM3(ENTL ‖ ID ‖ a ‖ b ‖ xG ‖ yG ‖ xA ‖ yA), for known-answer tests. */
export function sm2Z(publicKey: string, userId = SM2_USER_ID): string {
  return Buffer.from(sm2.getZ(normPub(publicKey), userId)).toString("hex");
}
