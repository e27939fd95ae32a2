// The licence download routes' guard (L-07): a signed-in issuer of the licence's department or a
// supervisor over it (the same rule as 亮证, lib/licenses/qr.ts); outside that scope "not found".
// Every download is audited: the file carries the holder code in full, as a paper licence does.
import "server-only";
import { withTx } from "@/lib/db";
import { appendAudit } from "@/lib/audit/log";
import { auditActorOf, currentActor, type Actor } from "@/lib/auth/session";
import { hasPermission } from "@/lib/auth/permissions";
import { AppError, errorId } from "@/lib/errors";
import { t } from "@/lib/i18n/zh-CN";
import { licenceForViewer } from "@/lib/licenses/qr";
import { isUuid, jsonError } from "@/app/api/seals/guard";
import { contentDisposition } from "@/lib/http/content-disposition";

const HEADERS = { "cache-control": "no-store", "x-content-type-options": "nosniff" } as const;

type Viewed = Awaited<ReturnType<typeof licenceForViewer>>;

/** Runs `fn` for a permitted actor and a licence in scope; records licence.download; maps refusals to JSON. */
export async function licenceDownload(id: string, what: "PDF" | "SES", fn: (licence: Viewed, actor: Actor) => Promise<{ body: Uint8Array; type: string; fileName: string; asciiName: string }>): Promise<Response> {
  try {
    const actor = await currentActor();
    if (!actor) return jsonError("UNAUTHENTICATED", t.errors.unauthenticated);
    if (actor.mustChangePassword) return jsonError("PASSWORD_CHANGE_REQUIRED", t.errors.passwordChangeRequired);
    if (!hasPermission(actor, "licence.issue") && !hasPermission(actor, "supervision.read")) return jsonError("FORBIDDEN", t.errors.forbidden);
    if (!isUuid(id)) return jsonError("NOT_FOUND", t.errors.notFound);
    const licence = await licenceForViewer(actor, id);
    const file = await fn(licence, actor);
    await withTx((tx) => appendAudit(tx, auditActorOf(actor), { action: "licence.download", what, identifier: licence.identifier }, { type: "Licence", id: licence.id }));
    return new Response(new Uint8Array(file.body), {
      status: 200,
      headers: {
        ...HEADERS,
        "content-type": file.type,
        "content-length": String(file.body.byteLength),
        "content-disposition": contentDisposition(file.asciiName, file.fileName),
      },
    });
  } catch (e) {
    if (e instanceof AppError) return jsonError(e.code, e.userMessage);
    const ref = errorId();
    console.error(`[certseal] internal error ${ref}`, e);
    return jsonError("INTERNAL", t.errors.internal(ref));
  }
}

/** The identifier as an ASCII file name (it is 0–9, A–Z and dots). */
export function asciiBase(identifier: string): string {
  return identifier.replace(/[^0-9A-Za-z.]/g, "_");
}
