// Writing the access log (A-01, V-01) from the verification routes and the licence pages: one
// row per verification (public) and per use of a licence by another department in the portal.
// Holder codes and verification codes are never written; only the outcome, the licence and its
// department, the using department and the client IP.
import "server-only";
import { headers } from "next/headers";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import type { Actor } from "@/lib/auth/session";
import { can, hasPermission } from "@/lib/auth/permissions";
import { ipFrom } from "@/lib/http/request";
import { logAccess, type AccessChannel } from "@/lib/supervision/access-log";
import { hit, type RateLimitRule } from "@/lib/security/rate-limit";

/**
 * Requests refused by a rate limit are written once per address and minute, not once each: the
 * log is kept a year and cannot be cleaned, so a flood must not grow it (nor swamp the figures).
 */
const REFUSED_LOG: RateLimitRule = { bucket: "access-log-refused", limit: 1, windowSeconds: 60 };

export type VerifyFailure = "NOT_FOUND" | "BAD_CODE" | "EXPIRED_CODE" | "USED_CODE" | "REVOKED_CODE" | "ALTERED" | "NO_SIGNATURE" | "INVALID" | "RATE_LIMITED" | "ERROR";
export type VerifyOutcome = { ok: true; licenceId: string; issuerDeptId: string | null } | { ok: false; failure: VerifyFailure; licenceId?: string | null; issuerDeptId?: string | null };

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The client IP as the rate limiter sees it (next/headers). */
export async function requestIp(): Promise<string | null> {
  try {
    return ipFrom(await headers());
  } catch {
    return null;
  }
}

/** The failure code of an error a verification route ended with. */
export function failureOf(e: unknown): VerifyFailure {
  if (e instanceof AppError) {
    if (e.code === "RATE_LIMITED") return "RATE_LIMITED";
    if (e.code === "INVALID_INPUT" || e.code === "BAD_ORIGIN") return "INVALID";
    if (e.code === "NOT_FOUND") return "NOT_FOUND";
  }
  return "ERROR";
}

/** One verification (kind VERIFY); never throws. */
export async function recordVerify(channel: "QR" | "SHOW" | "CODE" | "UPLOAD", ip: string | null, o: VerifyOutcome): Promise<void> {
  if (!o.ok && o.failure === "RATE_LIMITED") {
    const first = await hit(REFUSED_LOG, ip ?? "unknown").then((r) => r.allowed, () => false);
    if (!first) return;
  }
  await logAccess({
    kind: "VERIFY",
    channel,
    licenceId: o.licenceId ?? null,
    issuerDeptId: o.issuerDeptId ?? null,
    ok: o.ok,
    failure: o.ok ? null : o.failure,
    ip,
  });
}

/** The licence's managing department, or null (unknown licence, or the lookup failed). */
export async function issuerOfLicence(licenceId: string): Promise<string | null> {
  if (!UUID_RE.test(licenceId)) return null;
  try {
    return (await db().licence.findUnique({ where: { id: licenceId }, select: { issuerDeptId: true } }))?.issuerDeptId ?? null;
  } catch {
    return null;
  }
}

/** The licence (id, managing department) an identifier names, or null. */
export async function licenceOfIdentifier(identifier: string): Promise<{ id: string; issuerDeptId: string } | null> {
  try {
    return await db().licence.findUnique({ where: { identifier }, select: { id: true, issuerDeptId: true } });
  } catch {
    return null;
  }
}

/** The licence a 亮证 code (by its SM3) was made for, whether or not it is still usable. */
export async function licenceOfShowCode(hash: string): Promise<{ id: string; issuerDeptId: string } | null> {
  if (!/^[0-9a-f]{64}$/.test(hash)) return null;
  try {
    const row = await db().licenceShowCode.findUnique({ where: { tokenHash: hash }, select: { licence: { select: { id: true, issuerDeptId: true } } } });
    return row?.licence ?? null;
  } catch {
    return null;
  }
}

/**
 * A use of a licence in the portal (kind USE): recorded only for a user holding licence.use whose
 * department is not the licence's managing department and who does not see it as its supervisor
 * (the issuing department's own views and supervisors' views are not uses). `allowed` false: the
 * page or the download refused it (FORBIDDEN), recorded when the licence exists. Never throws.
 */
export async function recordPortalUse(actor: Actor | null, licenceId: string, channel: Extract<AccessChannel, "PORTAL" | "FILE">, scenario: "VIEW" | "DATA", allowed: boolean): Promise<void> {
  if (!actor || !hasPermission(actor, "licence.use") || !UUID_RE.test(licenceId)) return;
  let dept: { id: string; path: string } | null = null;
  try {
    dept = (await db().licence.findUnique({ where: { id: licenceId }, select: { issuerDept: { select: { id: true, path: true } } } }))?.issuerDept ?? null;
  } catch (err) {
    console.error("access log not written:", (err as Error).message);
    return;
  }
  if (!dept || dept.id === actor.departmentId || can(actor, "supervision.read", dept)) return;
  await logAccess({
    kind: "USE",
    channel,
    scenario,
    licenceId,
    issuerDeptId: dept.id,
    userDeptId: actor.departmentId,
    userId: actor.userId,
    ok: allowed,
    failure: allowed ? null : "FORBIDDEN",
    ip: await requestIp(),
  });
}
