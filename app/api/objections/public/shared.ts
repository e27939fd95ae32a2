// Shared by the public objection routes (O-01, no sign-in): the refusal shape of the verification
// routes ({ code, error, fieldErrors? }), answers as { data }, the caller's address for the rate
// limits and the audit, and a per-IP limit for the reads.
import "server-only";
import { ipFrom } from "@/lib/http/request";
import { enforce, type RateLimitRule } from "@/lib/security/rate-limit";
import { HEADERS } from "@/app/api/verify/public-json";

export { answer, jsonBody, methodNotAllowed, refuse } from "@/app/api/verify/public-json";

/** The field choice confirms an identifier and holder code pair: bounded per IP like the lookup. */
export const OBJECTION_FIELDS_LIMIT: RateLimitRule = { bucket: "objection-fields", limit: 20, windowSeconds: 600 };

export type Meta = { ip: string | null; userAgent: string | null };

export function metaOf(req: Request): Meta {
  return { ip: ipFrom(req.headers), userAgent: req.headers.get("user-agent")?.slice(0, 500) ?? null };
}

export function ok(data: unknown): Response {
  return Response.json({ data }, { headers: HEADERS });
}

/** Counts one hit of `rule` for the caller's address; RATE_LIMITED (429) over the limit. */
export async function limit(rule: RateLimitRule, meta: Meta): Promise<void> {
  await enforce(rule, meta.ip ?? "unknown", { id: null, name: "匿名访客", role: "-", dept: "-", ip: meta.ip, userAgent: meta.userAgent });
}

