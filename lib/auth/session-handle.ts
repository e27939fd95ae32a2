import "server-only";
import { env } from "@/lib/env";
import { hmacSm3Hex } from "@/lib/crypto/sm3";

/**
 * A public handle for a session (the online-users page): the session id itself is the secret the
 * cookie carries, so it never leaves the server; the handle is a keyed hash of it.
 */
export function sessionHandle(sessionId: string): string {
  return hmacSm3Hex(Buffer.from(env().NEXTAUTH_SECRET), `session-handle:${sessionId}`).slice(0, 32);
}
