// GET /api/supervision/reports?kind=monthly|annual&period=2026-11|2026&format=xlsx|pdf[&region=<deptId>[&subject=dept]]
// The monthly or annual supervision report (V-04) as XLSX or as an unsealed PDF (the management
// department's seal is added through seal-use approval: lib/supervision/reports/seal.ts).
// supervision.read; a region outside the caller's scope is 404; bad parameters are a 400 JSON
// error; rate-limited like the other exports; audited (supervision.report).
import { auditActorOf, currentActor } from "@/lib/auth/session";
import { hasPermission } from "@/lib/auth/permissions";
import { AppError, ERROR_STATUS, errorId, type ErrorCode } from "@/lib/errors";
import { t } from "@/lib/i18n/zh-CN";
import { contentDisposition } from "@/lib/http/content-disposition";
import { RATE_LIMITS, enforce } from "@/lib/security/rate-limit";
import { exportReport } from "@/lib/supervision/reports/export";
import { firstIssue, reportQuery } from "@/lib/supervision/reports/schema";

export const dynamic = "force-dynamic";

const HEADERS = { "cache-control": "no-store", "x-content-type-options": "nosniff" } as const;

function jsonError(code: ErrorCode, error: string, status: number = ERROR_STATUS[code]): Response {
  return Response.json({ code, error }, { status, headers: HEADERS });
}

export async function GET(req: Request): Promise<Response> {
  try {
    const actor = await currentActor();
    if (!actor) return jsonError("UNAUTHENTICATED", t.errors.unauthenticated);
    if (actor.mustChangePassword) return jsonError("PASSWORD_CHANGE_REQUIRED", t.errors.passwordChangeRequired);
    if (!hasPermission(actor, "supervision.read")) return jsonError("FORBIDDEN", t.errors.forbidden);
    const parsed = reportQuery.safeParse(Object.fromEntries(new URL(req.url).searchParams));
    if (!parsed.success) return jsonError("INVALID_INPUT", firstIssue(parsed.error), 400);
    await enforce(RATE_LIMITS.recordsExport, actor.userId, auditActorOf(actor));

    const f = await exportReport(actor, parsed.data);
    return new Response(new Uint8Array(f.body), {
      status: 200,
      headers: {
        ...HEADERS,
        "content-type": f.contentType,
        "content-length": String(f.body.byteLength),
        "content-disposition": contentDisposition(f.asciiName, f.fileName),
      },
    });
  } catch (e) {
    if (e instanceof AppError) return jsonError(e.code, e.userMessage);
    const id = errorId();
    console.error(`[certseal] internal error ${id}`, e);
    return jsonError("INTERNAL", t.errors.internal(id));
  }
}
