// XLSX export of licence types with their face fields (L-01): the types with `ids=a,b,…` (the
// catalog table's batch export) or those the catalog page shows for its filter (q, category,
// state, dept); `template=1` gives the empty workbook to fill in. Signed-in users with
// catalog.manage or supervision.read, types in their scope only (an id or department outside it:
// 404), rate-limited per user, audited (catalog.export). The file imports back unchanged.
import { z } from "zod";
import { withTx } from "@/lib/db";
import { appendAudit } from "@/lib/audit/log";
import { auditActorOf, currentActor } from "@/lib/auth/session";
import { AppError, ERROR_STATUS, errorId, type ErrorCode } from "@/lib/errors";
import { t } from "@/lib/i18n/zh-CN";
import { RATE_LIMITS, enforce } from "@/lib/security/rate-limit";
import { typeFilter } from "@/lib/catalog/schema";
import { exportWorkbook, mayExportTypes, typesForExport, type SheetData } from "@/lib/catalog/xlsx";
import { contentDisposition } from "@/lib/http/content-disposition";

export const dynamic = "force-dynamic";

const HEADERS = { "cache-control": "no-store", "x-content-type-options": "nosniff" } as const;
const SHANGHAI_MS = 8 * 3_600_000;
const idList = z.array(z.string().uuid()).min(1).max(500);

function jsonError(code: ErrorCode, error: string): Response {
  return Response.json({ code, error }, { status: ERROR_STATUS[code], headers: HEADERS });
}

export async function GET(req: Request): Promise<Response> {
  try {
    const actor = await currentActor();
    if (!actor) return jsonError("UNAUTHENTICATED", t.errors.unauthenticated);
    if (actor.mustChangePassword) return jsonError("PASSWORD_CHANGE_REQUIRED", t.errors.passwordChangeRequired);
    if (!mayExportTypes(actor)) return jsonError("FORBIDDEN", t.errors.forbidden);
    await enforce(RATE_LIMITS.recordsExport, actor.userId, auditActorOf(actor));

    const sp = new URL(req.url).searchParams;
    const template = sp.get("template") === "1";
    let data: SheetData = { main: [], faces: [] };
    if (!template) {
      const rawIds = sp.get("ids");
      const ids = rawIds === null ? undefined : idList.safeParse(rawIds.split(",").filter(Boolean));
      // a malformed id list names nothing the caller may see
      if (ids && !ids.success) return jsonError("NOT_FOUND", t.errors.notFound);
      data = await typesForExport(actor, { ids: ids?.data, filter: typeFilter.parse(Object.fromEntries(sp)) });
      await withTx((tx) => appendAudit(tx, auditActorOf(actor), { action: "catalog.export", kind: "TYPES", rows: data.main.length }, { type: "LicenceType", id: null }));
    }
    const body = await exportWorkbook("TYPES", data);
    const day = new Date(Date.now() + SHANGHAI_MS).toISOString().slice(0, 10).replace(/-/g, "");
    const name = template ? ["licence-types-template.xlsx", "证照类型导入模板.xlsx"] : [`licence-types-${day}.xlsx`, `证照类型-${day}.xlsx`];
    return new Response(new Uint8Array(body), {
      status: 200,
      headers: {
        ...HEADERS,
        "content-type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "content-length": String(body.byteLength),
        "content-disposition": contentDisposition(name[0], name[1]),
      },
    });
  } catch (e) {
    if (e instanceof AppError) return jsonError(e.code, e.userMessage);
    const id = errorId();
    console.error(`[certseal] internal error ${id}`, e);
    return jsonError("INTERNAL", t.errors.internal(id));
  }
}
