import "server-only";
import { hash, verify } from "@node-rs/argon2";

// argon2id (algorithm 2), OWASP's second recommended profile: 19 MiB, 2 passes.
const OPTIONS = { algorithm: 2, memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

export function hashPassword(password: string): Promise<string> {
  return hash(password, OPTIONS);
}

export async function verifyPassword(stored: string, password: string): Promise<boolean> {
  try {
    return await verify(stored, password);
  } catch {
    return false;
  }
}

let dummy: Promise<string> | undefined;
/** Spends the same time as a real check when the user does not exist. */
export async function burnVerify(password: string): Promise<void> {
  dummy ??= hashPassword("certseal-dummy-password-Aa1!");
  await verifyPassword(await dummy, password);
}
