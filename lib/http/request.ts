import "server-only";
import { headers } from "next/headers";
import { env } from "@/lib/env";

export type RequestInfo = { ip: string | null; userAgent: string | null };

/**
 * The client address. Next sets X-Forwarded-For to the socket address when no proxy did; behind
 * reverse proxies, CERTSEAL_TRUSTED_PROXY_HOPS says how many of them append to it, and the entry
 * the outermost trusted proxy added is used (counted from the right: entries further left are
 * whatever the client sent). Production must sit behind a proxy that sets the header.
 */
export function ipFrom(h: { get(name: string): string | null }, hops = Number(process.env.CERTSEAL_TRUSTED_PROXY_HOPS ?? 0)): string | null {
  const entries = (h.get("x-forwarded-for") ?? "").split(",").map((s) => s.trim()).filter(Boolean);
  const pick = entries[Math.max(0, entries.length - 1 - Math.max(0, hops))];
  return pick ? pick.slice(0, 64) : null;
}

export async function requestInfo(): Promise<RequestInfo> {
  const h = await headers();
  return { ip: ipFrom(h) ?? "127.0.0.1", userAgent: h.get("user-agent")?.slice(0, 500) ?? null };
}

/**
 * CSRF defence for state changes (SECURITY.md): Next's own check lets a request without Origin
 * through, so we require an Origin on the allow-list and, when the browser sends it,
 * Sec-Fetch-Site: same-origin.
 */
export async function assertSameOrigin(): Promise<boolean> {
  const h = await headers();
  const origin = h.get("origin");
  if (!origin) return false;
  const site = h.get("sec-fetch-site");
  if (site && site !== "same-origin") return false;
  const host = h.get("x-forwarded-host") ?? h.get("host");
  const allowed = new Set<string>();
  if (host) {
    allowed.add(`http://${host}`);
    allowed.add(`https://${host}`);
  }
  const e = env();
  if (e.NEXTAUTH_URL) allowed.add(new URL(e.NEXTAUTH_URL).origin);
  for (const o of (e.CERTSEAL_ALLOWED_ORIGINS ?? "").split(",").map((s) => s.trim()).filter(Boolean)) allowed.add(o);
  return allowed.has(origin);
}

/**
 * A request body read as a stream, or null once it grows past `max` bytes: a missing or false
 * Content-Length cannot get past this (public upload routes).
 */
export async function readCapped(req: Request, max: number): Promise<Uint8Array | null> {
  if (!req.body) return new Uint8Array(0);
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      await reader.cancel();
      return null;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}
