// Rate limits stored in PostgreSQL (SECURITY.md: public verification, public forms, exports,
// signing), so every web replica shares the count. A fixed window per key: one atomic upsert
// counts the hit and says whether it is within the limit. A refusal is audited once per window.
import "server-only";
import { db, withTx } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { appendAudit, type AuditActor } from "@/lib/audit/log";

export type RateLimitRule = { bucket: string; limit: number; windowSeconds: number };

export const RATE_LIMITS = {
  publicVerify: { bucket: "verify", limit: 20, windowSeconds: 60 },
  recordsExport: { bucket: "export", limit: 10, windowSeconds: 600 },
  signing: { bucket: "sign", limit: 60, windowSeconds: 60 },
} as const satisfies Record<string, RateLimitRule>;

/** Counts one hit for `who` (an IP or a user id); returns whether it is allowed and the count. */
export async function hit(rule: RateLimitRule, who: string, now = new Date()): Promise<{ allowed: boolean; count: number; retryAfter: number }> {
  const key = `${rule.bucket}:${who}`.slice(0, 200);
  const windowStart = new Date(Math.floor(now.getTime() / (rule.windowSeconds * 1000)) * rule.windowSeconds * 1000);
  const rows = await db().$queryRaw<{ count: number }[]>`
    INSERT INTO "RateLimit" ("key", "windowStart", "count") VALUES (${key}, ${windowStart}, 1)
    ON CONFLICT ("key") DO UPDATE SET
      "count" = CASE WHEN "RateLimit"."windowStart" = EXCLUDED."windowStart" THEN "RateLimit"."count" + 1 ELSE 1 END,
      "windowStart" = EXCLUDED."windowStart"
    RETURNING "count"`;
  const count = rows[0].count;
  const retryAfter = Math.ceil((windowStart.getTime() + rule.windowSeconds * 1000 - now.getTime()) / 1000);
  return { allowed: count <= rule.limit, count, retryAfter };
}

/** Throws RATE_LIMITED (429) when over the limit; the first refusal of a window is audited. */
export async function enforce(rule: RateLimitRule, who: string, actor: AuditActor, now = new Date()): Promise<void> {
  const r = await hit(rule, who, now);
  if (r.allowed) return;
  if (r.count === rule.limit + 1)
    await withTx((tx) => appendAudit(tx, actor, { action: "ratelimit.exceeded", bucket: rule.bucket, limit: rule.limit }, { type: "RateLimit", id: null }));
  throw new AppError("RATE_LIMITED", `操作过于频繁，请 ${r.retryAfter} 秒后再试`);
}
