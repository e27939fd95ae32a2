// XLSX export of one year's holiday schedule (O-04): GET /admin/calendar/export?year=2026, for
// holders of calendar.manage, rate-limited per user. The file imports back unchanged.
import { auditActorOf, currentActor } from "@/lib/auth/session";
import { hasPermission } from "@/lib/auth/permissions";
import { AppError, ERROR_STATUS, errorId, type ErrorCode } from "@/lib/errors";
import { t } from "@/lib/i18n/zh-CN";
import { RATE_LIMITS, enforce } from "@/lib/security/rate-limit";
import { shanghaiDate } from "@/lib/calendar/working-days";
import { yearParam } from "@/lib/calendar/schema";
import { yearForExport } from "@/lib/calendar/queries";
import { exportYearXlsx } from "@/lib/calendar/xlsx";
import { contentDisposition } from "@/lib/http/content-disposition";

export const dynamic = "force-dynamic";

const HEADERS = { "cache-control": "no-store", "x-content-type-options": "nosniff" } as const;

function jsonError(code: ErrorCode, error: string): Response {
  return Response.json({ code, error }, { status: ERROR_STATUS[code], headers: HEADERS });
}

export async function GET(req: Request): Promise<Response> {
  try {
    const actor = await currentActor();
    if (!actor) return jsonError("UNAUTHENTICATED", t.errors.unauthenticated);
    if (actor.mustChangePassword) return jsonError("PASSWORD_CHANGE_REQUIRED", t.errors.passwordChangeRequired);
    if (!hasPermission(actor, "calendar.manage")) return jsonError("FORBIDDEN", t.errors.forbidden);
    await enforce(RATE_LIMITS.recordsExport, actor.userId, auditActorOf(actor));
    const year = yearParam(Number(shanghaiDate(new Date()).slice(0, 4))).parse(new URL(req.url).searchParams.get("year"));
    const { days, covered } = await yearForExport(actor, year);
    const body = await exportYearXlsx(year, days, covered);
    return new Response(new Uint8Array(body), {
      status: 200,
      headers: {
        ...HEADERS,
        "content-type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "content-length": String(body.byteLength),
        "content-disposition": contentDisposition(`holidays-${year}.xlsx`, `节假日安排-${year}.xlsx`),
      },
    });
  } catch (e) {
    if (e instanceof AppError) return jsonError(e.code, e.userMessage);
    const id = errorId();
    console.error(`[certseal] internal error ${id}`, e);
    return jsonError("INTERNAL", t.errors.internal(id));
  }
}
