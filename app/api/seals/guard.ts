// The download routes' guard: the same session, permission and department scope as the detail
// page (sealDetail), so a seal outside the caller's scope reads as not found.
import "server-only";
import { z } from "zod";
import { currentActor, type Actor } from "@/lib/auth/session";
import { hasPermission } from "@/lib/auth/permissions";
import { AppError, ERROR_STATUS, type ErrorCode } from "@/lib/errors";
import { sealDetail } from "@/lib/seals/queries";
import { t } from "@/lib/i18n/zh-CN";
import { contentDisposition } from "@/lib/http/content-disposition";
import { SEAL_VIEW_PERMISSIONS } from "@/lib/seals/access";

const SECURITY_HEADERS = { "cache-control": "no-store", "x-content-type-options": "nosniff" } as const;

export function jsonError(code: ErrorCode, error: string): Response {
  return Response.json({ code, error }, { status: ERROR_STATUS[code], headers: SECURITY_HEADERS });
}

const notFound = () => jsonError("NOT_FOUND", t.errors.notFound);

export type SealForDownload = NonNullable<Awaited<ReturnType<typeof sealDetail>>>;

/** The seal, or the refusal to send instead. */
export async function sealForDownload(id: string): Promise<{ actor: Actor; seal: SealForDownload } | Response> {
  const actor = await currentActor();
  if (!actor) return jsonError("UNAUTHENTICATED", t.errors.unauthenticated);
  if (actor.mustChangePassword) return jsonError("PASSWORD_CHANGE_REQUIRED", t.errors.passwordChangeRequired);
  if (!SEAL_VIEW_PERMISSIONS.some((p) => hasPermission(actor, p))) return jsonError("FORBIDDEN", t.errors.forbidden);
  if (!z.string().uuid().safeParse(id).success) return notFound();
  try {
    const seal = await sealDetail(actor, id);
    return seal ? { actor, seal } : notFound();
  } catch (e) {
    if (e instanceof AppError && (e.code === "NOT_FOUND" || e.code === "FORBIDDEN")) return jsonError(e.code, e.userMessage);
    throw e;
  }
}

export function isUuid(s: string): boolean {
  return z.string().uuid().safeParse(s).success;
}

/** A file response: generated ASCII filename, never sniffed, never cached. */
/** `opts.filename` is the ASCII name (filename=); `opts.name`, when given, the readable one (filename*, RFC 6266 / 5987). */
export function fileResponse(body: Uint8Array, opts: { type: string; filename: string; inline?: boolean; name?: string }): Response {
  return new Response(new Uint8Array(body), {
    status: 200,
    headers: {
      ...SECURITY_HEADERS,
      "content-type": opts.type,
      "content-length": String(body.byteLength),
      "content-disposition": contentDisposition(opts.filename, opts.name, opts.inline),
    },
  });
}

/** The base of generated filenames: the esID, or the seal id before one is assigned. */
export function fileBase(seal: { id: string; esId: string | null }): string {
  return (seal.esId ?? seal.id).replace(/[^0-9A-Za-z-]/g, "");
}
