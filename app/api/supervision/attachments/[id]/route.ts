// A rectification response's attachment (V-02), for the order's department's responders and for
// the supervisors whose scope covers that department; anyone else gets "not found". Served as an
// attachment, never sniffed, never cached: a generated ASCII name (filename=) and the uploader's
// own name, cleaned, as filename* (RFC 6266 / 5987).
import { currentActor } from "@/lib/auth/session";
import { AppError } from "@/lib/errors";
import { t } from "@/lib/i18n/zh-CN";
import { attachmentFile, mayReadOrders } from "@/lib/supervision/rectification-queries";
import { attachmentDownloadName } from "@/lib/supervision/rectification-files";
import { isUuid, jsonError } from "@/app/api/seals/guard";

export const dynamic = "force-dynamic";

export async function GET(_req: Request, { params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const actor = await currentActor();
  if (!actor) return jsonError("UNAUTHENTICATED", t.errors.unauthenticated);
  if (actor.mustChangePassword) return jsonError("PASSWORD_CHANGE_REQUIRED", t.errors.passwordChangeRequired);
  if (!mayReadOrders(actor)) return jsonError("FORBIDDEN", t.errors.forbidden);
  if (!isUuid(id)) return jsonError("NOT_FOUND", t.errors.notFound);
  try {
    const f = await attachmentFile(actor, id);
    const name = attachmentDownloadName(id, f.type, f.fileName);
    return new Response(new Uint8Array(f.body), {
      status: 200,
      headers: {
        "cache-control": "no-store",
        "x-content-type-options": "nosniff",
        "content-type": f.type,
        "content-length": String(f.body.byteLength),
        "content-disposition": `attachment; filename="${name.ascii}"; filename*=UTF-8''${name.encoded}`,
      },
    });
  } catch (e) {
    if (e instanceof AppError) return jsonError(e.code, e.userMessage);
    throw e;
  }
}
