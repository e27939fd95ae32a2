// Uploaded files served back (objection evidence, rectification attachments): one name rule and
// one guarded response, so every such route answers the same way.
import "server-only";
import { currentActor, type Actor } from "@/lib/auth/session";
import { AppError } from "@/lib/errors";
import { t } from "@/lib/i18n/zh-CN";
import { contentDisposition, rfc5987 } from "@/lib/http/content-disposition";
import { isUuid, jsonError } from "@/app/api/seals/guard";

export type DownloadName = { ascii: string; name: string; encoded: string };

/**
 * The names of a downloaded upload: a generated ASCII one (`<prefix>-<id8>.<ext>`, for filename=)
 * and the uploader's own, cleaned of path and control characters, clipped to 120 characters and
 * given an extension that matches its type (for filename*, RFC 6266 / 5987).
 */
export function uploadDownloadName(prefix: string, id: string, exts: readonly string[], fileName: string): DownloadName {
  const ext0 = exts[0] ?? "bin";
  const ascii = `${prefix}-${id.replace(/[^0-9A-Za-z-]/g, "").slice(0, 8)}.${ext0}`;
  const base = (fileName.split(/[\\/]/).pop() ?? "")
    .replace(/[\u0000-\u001f\u007f"*:<>?|]/g, "")
    .replace(/\s+/g, " ")
    .replace(/^[\s.]+|[\s.]+$/g, "");
  const clipped = Array.from(base).slice(0, 120).join("");
  const ext = /\.([0-9A-Za-z]{1,5})$/.exec(clipped)?.[1]?.toLowerCase();
  const name = !clipped ? ascii : ext && exts.includes(ext) ? clipped : `${clipped}.${ext0}`;
  const encoded = rfc5987(name);
  return { ascii, name, encoded };
}

/**
 * GET of one uploaded file: 401 without a session, 403 without the reader permission (`mayRead`),
 * 404 for a malformed id or a file outside the reader's scope (`load` throws NOT_FOUND), else the
 * file as an uncached, unsniffed attachment.
 */
export async function uploadDownload(
  id: string,
  mayRead: (actor: Actor) => boolean,
  load: (actor: Actor, id: string) => Promise<{ body: Uint8Array; type: string; fileName: string }>,
  nameOf: (id: string, type: string, fileName: string) => DownloadName,
): Promise<Response> {
  const actor = await currentActor();
  if (!actor) return jsonError("UNAUTHENTICATED", t.errors.unauthenticated);
  if (actor.mustChangePassword) return jsonError("PASSWORD_CHANGE_REQUIRED", t.errors.passwordChangeRequired);
  if (!mayRead(actor)) return jsonError("FORBIDDEN", t.errors.forbidden);
  if (!isUuid(id)) return jsonError("NOT_FOUND", t.errors.notFound);
  try {
    const f = await load(actor, id);
    const name = nameOf(id, f.type, f.fileName);
    return new Response(new Uint8Array(f.body), {
      status: 200,
      headers: {
        "cache-control": "no-store",
        "x-content-type-options": "nosniff",
        "content-type": f.type,
        "content-length": String(f.body.byteLength),
        "content-disposition": contentDisposition(name.ascii, name.name),
      },
    });
  } catch (e) {
    if (e instanceof AppError) return jsonError(e.code, e.userMessage);
    throw e;
  }
}
