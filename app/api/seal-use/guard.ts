// Download guard for seal-use files: the same session and scope rules as the request page.
import "server-only";
import { currentActor, type Actor } from "@/lib/auth/session";
import { AppError } from "@/lib/errors";
import { hasPermission } from "@/lib/auth/permissions";
import { SEAL_USE_VIEW_PERMISSIONS } from "@/lib/seal-use/queries";
import { t } from "@/lib/i18n/zh-CN";
import { isUuid, jsonError } from "@/app/api/seals/guard";

export { fileResponse, isUuid, jsonError } from "@/app/api/seals/guard";

/** Runs `fn` for a signed-in actor with a well-formed id; maps refusals to JSON errors. */
export async function guarded(id: string, fn: (actor: Actor) => Promise<Response>): Promise<Response> {
  const actor = await currentActor();
  if (!actor) return jsonError("UNAUTHENTICATED", t.errors.unauthenticated);
  if (actor.mustChangePassword) return jsonError("PASSWORD_CHANGE_REQUIRED", t.errors.passwordChangeRequired);
  if (!SEAL_USE_VIEW_PERMISSIONS.some((p) => hasPermission(actor, p))) return jsonError("FORBIDDEN", t.errors.forbidden);
  if (!isUuid(id)) return jsonError("NOT_FOUND", t.errors.notFound);
  try {
    return await fn(actor);
  } catch (e) {
    if (e instanceof AppError) return jsonError(e.code, e.userMessage);
    throw e;
  }
}
