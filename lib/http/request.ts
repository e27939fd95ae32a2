import "server-only";
import { headers } from "next/headers";
import { env } from "@/lib/env";

export type RequestInfo = { ip: string | null; userAgent: string | null };

export function ipFrom(h: { get(name: string): string | null }): string | null {
  const fwd = h.get("x-forwarded-for");
  if (fwd) return fwd.split(",")[0].trim().slice(0, 64) || null;
  return h.get("x-real-ip")?.slice(0, 64) ?? null;
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
