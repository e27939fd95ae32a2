// SM3 (GB/T 32905) from Node's OpenSSL 3, which implements it natively; checked against the
// standard's vectors in sm3.test.ts.
import { createHash, createHmac } from "node:crypto";

export function sm3Hex(data: string | Uint8Array): string {
  return createHash("sm3").update(data).digest("hex");
}

export function hmacSm3Hex(key: Uint8Array, data: string | Uint8Array): string {
  return createHmac("sm3", key).update(data).digest("hex");
}
