// An objection's evidence file (O-01), for readers of that objection only (the same scope as the
// detail page: issuing side, applicant side, the province's router, supervisors); anyone else gets
// "not found". Served as an attachment under a generated name, never sniffed, never cached.
import { currentActor } from "@/lib/auth/session";
import { AppError } from "@/lib/errors";
import { t } from "@/lib/i18n/zh-CN";
import { evidenceFile, mayReadObjections } from "@/lib/objections/queries";
import { fileResponse, isUuid, jsonError } from "@/app/api/seals/guard";

export const dynamic = "force-dynamic";

const EXT: Record<string, string> = { "application/pdf": "pdf", "image/png": "png", "image/jpeg": "jpg" };

export async function GET(_req: Request, { params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const actor = await currentActor();
  if (!actor) return jsonError("UNAUTHENTICATED", t.errors.unauthenticated);
  if (actor.mustChangePassword) return jsonError("PASSWORD_CHANGE_REQUIRED", t.errors.passwordChangeRequired);
  if (!mayReadObjections(actor)) return jsonError("FORBIDDEN", t.errors.forbidden);
  if (!isUuid(id)) return jsonError("NOT_FOUND", t.errors.notFound);
  try {
    const f = await evidenceFile(actor, id);
    return fileResponse(f.body, { type: f.type, filename: `evidence-${id.slice(0, 8)}.${EXT[f.type] ?? "bin"}` });
  } catch (e) {
    if (e instanceof AppError) return jsonError(e.code, e.userMessage);
    throw e;
  }
}
