// Keys derived from the key-encryption key (CERTSEAL_KEK), one per purpose: HMAC-SM3(KEK, label).
// No purpose ever uses the KEK itself, and rotating the KEK rotates every derived key. Cached per
// label, and recomputed when the KEK changes (tests switch it).
import "server-only";
import { createHmac } from "node:crypto";
import { env } from "@/lib/env";

const cache = new Map<string, { kek: string; key: Buffer }>();

export function derivedKey(label: string): Buffer {
  const kek = env().CERTSEAL_KEK;
  const hit = cache.get(label);
  if (hit?.kek === kek) return hit.key;
  const key = createHmac("sm3", Buffer.from(kek, "hex")).update(label).digest();
  cache.set(label, { kek, key });
  return key;
}
