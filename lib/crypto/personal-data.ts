// Personal data at rest (P-02; SECURITY.md): holder codes and contacts are kept SM4-encrypted
// (encrypt-then-MAC envelope of lib/crypto/sm4.ts) and found through a keyed SM3 hash. Both keys
// are derived from the key-encryption key, with their own labels, so neither is the KEK itself.
import "server-only";
import { createHmac } from "node:crypto";
import { derivedKey } from "@/lib/crypto/derived-key";
import { unwrapKey, wrapKey } from "@/lib/crypto/sm4";

type Keys = { enc: Buffer; index: Buffer };

function keys(): Keys {
  return { enc: derivedKey("certseal personal data: encryption key"), index: derivedKey("certseal personal data: search index key") };
}

/** SM4 envelope of a personal value; `purpose` binds it to its column (a code cannot pose as a contact). */
export function encryptPersonal(value: string, purpose: string): Uint8Array<ArrayBuffer> {
  return new Uint8Array(wrapKey(keys().enc, Buffer.from(value, "utf8"), purpose));
}

export function decryptPersonal(envelope: Uint8Array, purpose: string): string {
  return unwrapKey(keys().enc, envelope, purpose).toString("utf8");
}

/** Keyed SM3 (HMAC-SM3) of a normalised value: equal values give equal hashes, nothing else leaks. */
export function personalIndex(value: string, purpose: string): string {
  return createHmac("sm3", keys().index).update(`${purpose}\u0000${value}`).digest("hex");
}
