// Rate limits stored in PostgreSQL (SECURITY.md: public verification, public forms, exports,
// signing), so every web replica shares the count. A fixed window per key: one atomic upsert
// counts the hit and says whether it is within the limit. A refusal is audited once per window.
import "server-only";
import { db, withTx, type Db, type Tx } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { appendAudit, type AuditActor } from "@/lib/audit/log";

export type RateLimitRule = { bucket: string; limit: number; windowSeconds: number };

export const RATE_LIMITS = {
  publicVerify: { bucket: "verify", limit: 20, windowSeconds: 60 },
  recordsExport: { bucket: "export", limit: 10, windowSeconds: 600 },
  signing: { bucket: "sign", limit: 60, windowSeconds: 60 },
} as const satisfies Record<string, RateLimitRule>;

const keyOf = (rule: RateLimitRule, who: string) => `${rule.bucket}:${who}`.slice(0, 200);
const windowOf = (rule: RateLimitRule, now: Date) => new Date(Math.floor(now.getTime() / (rule.windowSeconds * 1000)) * rule.windowSeconds * 1000);

/**
 * Counts one hit for `who` (an IP or a user id); returns whether it is allowed and the count.
 * Given a transaction, the hit is part of it (undone with it) and the row stays locked until it
 * ends, so callers counting only what succeeds are serialised per key.
 */
export async function hit(rule: RateLimitRule, who: string, now = new Date(), client: Db | Tx = db()): Promise<{ allowed: boolean; count: number; retryAfter: number }> {
  const key = keyOf(rule, who);
  const windowStart = windowOf(rule, now);
  const rows = await client.$queryRaw<{ count: number }[]>`
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

/** The hits of `who` in the current window, without counting one. */
export async function peek(rule: RateLimitRule, who: string, now = new Date()): Promise<{ allowed: boolean; count: number; retryAfter: number }> {
  const windowStart = windowOf(rule, now);
  const row = await db().rateLimit.findUnique({ where: { key: keyOf(rule, who) }, select: { windowStart: true, count: true } });
  const count = row && row.windowStart.getTime() === windowStart.getTime() ? row.count : 0;
  const retryAfter = Math.ceil((windowStart.getTime() + rule.windowSeconds * 1000 - now.getTime()) / 1000);
  return { allowed: count < rule.limit, count, retryAfter };
}

/**
 * For a limit counted only on success (`hit` inside the transaction that succeeds): throws
 * RATE_LIMITED when `who` has used up the window, without counting this attempt. The first
 * refusal of a window is audited (a refusal counter of its own says which is first).
 */
export async function enforceUncounted(rule: RateLimitRule, who: string, actor: AuditActor, now = new Date()): Promise<void> {
  const r = await peek(rule, who, now);
  if (r.allowed) return;
  await refused(rule, who, actor, now, r.retryAfter);
}

/** Throws RATE_LIMITED for an attempt over a limit counted on success; audits the window's first. */
export async function refused(rule: RateLimitRule, who: string, actor: AuditActor, now: Date, retryAfter?: number): Promise<never> {
  const first = await hit({ bucket: `${rule.bucket}-refused`, limit: 1, windowSeconds: rule.windowSeconds }, who, now);
  if (first.count === 1)
    await withTx((tx) => appendAudit(tx, actor, { action: "ratelimit.exceeded", bucket: rule.bucket, limit: rule.limit }, { type: "RateLimit", id: null }));
  const wait = retryAfter ?? Math.ceil((windowOf(rule, now).getTime() + rule.windowSeconds * 1000 - now.getTime()) / 1000);
  throw new AppError("RATE_LIMITED", `操作过于频繁，请 ${wait} 秒后再试`);
}
