// The bulk-conversion routes' guard (L-09): the same session, permission (licence.issue) and
// department scope as the import page; an import outside the caller's scope reads as not found.
// Every route here only reads (no mutation on GET).
import "server-only";
import { z } from "zod";
import { currentActor, type Actor } from "@/lib/auth/session";
import { hasPermission } from "@/lib/auth/permissions";
import { AppError, ERROR_STATUS, errorId, type ErrorCode } from "@/lib/errors";
import { t } from "@/lib/i18n/zh-CN";
import { contentDisposition } from "@/lib/http/content-disposition";

const HEADERS = { "cache-control": "no-store", "x-content-type-options": "nosniff" } as const;

export function jsonError(code: ErrorCode, error: string): Response {
  return Response.json({ code, error }, { status: ERROR_STATUS[code], headers: HEADERS });
}

export function json(body: unknown): Response {
  return Response.json(body, { headers: HEADERS });
}

export const isUuid = (s: string | null | undefined) => z.string().uuid().safeParse(s).success;

/** The signed-in issuer, or the refusal to send. */
export async function importActor(): Promise<Actor | Response> {
  const actor = await currentActor();
  if (!actor) return jsonError("UNAUTHENTICATED", t.errors.unauthenticated);
  if (actor.mustChangePassword) return jsonError("PASSWORD_CHANGE_REQUIRED", t.errors.passwordChangeRequired);
  if (!hasPermission(actor, "licence.issue")) return jsonError("FORBIDDEN", t.errors.forbidden);
  return actor;
}

/** AppErrors as their status; anything else logged with an id and answered 500. */
export function errorResponse(e: unknown): Response {
  if (e instanceof AppError) return jsonError(e.code, e.userMessage);
  const id = errorId();
  console.error(`[certseal] internal error ${id}`, e);
  return jsonError("INTERNAL", t.errors.internal(id));
}

/** An XLSX attachment under an ASCII name and a Chinese filename*. */
export function xlsxResponse(body: Uint8Array, ascii: string, chinese: string): Response {
  return new Response(new Uint8Array(body), {
    status: 200,
    headers: {
      ...HEADERS,
      "content-type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
      "content-length": String(body.byteLength),
      "content-disposition": contentDisposition(ascii, chinese),
    },
  });
}
