// Rate limits of the public pages and their actions (SECURITY.md): per client IP, in the database,
// audited once per window as an anonymous visitor. Verification shares the upload route's bucket.
import "server-only";
import { headers } from "next/headers";
import { AppError } from "@/lib/errors";
import { ipFrom } from "@/lib/http/request";
import { RATE_LIMITS, enforce, type RateLimitRule } from "@/lib/security/rate-limit";

/** The public notice search (U-02): more generous than verification, still bounded per IP. */
export const PUBLIC_NOTICE_LIMIT: RateLimitRule = { bucket: "notice", limit: 30, windowSeconds: 60 };

/** Counts one hit; the Chinese refusal when over the limit, else null. */
export async function publicLimit(rule: RateLimitRule = RATE_LIMITS.publicVerify): Promise<string | null> {
  const h = await headers();
  const ip = ipFrom(h);
  try {
    await enforce(rule, ip ?? "unknown", { id: null, name: "匿名访客", role: "-", dept: "-", ip, userAgent: h.get("user-agent")?.slice(0, 500) ?? null });
    return null;
  } catch (e) {
    if (e instanceof AppError && e.code === "RATE_LIMITED") return e.userMessage;
    throw e;
  }
}
