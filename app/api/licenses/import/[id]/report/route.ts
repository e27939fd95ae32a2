// The rejected rows of a bulk conversion's dry run (L-09) as XLSX: row, column, reason, and the
// row's holder name, masked holder code and licence number (never a full code). Issuers of the
// import's department (licence.issue, in scope); others get 404. Rate-limited like exports and
// audited as a download of the import's data.
import { withTx } from "@/lib/db";
import { appendAudit } from "@/lib/audit/log";
import { auditActorOf } from "@/lib/auth/session";
import { RATE_LIMITS, enforce } from "@/lib/security/rate-limit";
import { importReport } from "@/lib/licenses/bulk/queries";
import { t } from "@/lib/i18n/zh-CN";
import { errorResponse, importActor, isUuid, jsonError, xlsxResponse } from "../../guard";

export const dynamic = "force-dynamic";

export async function GET(_req: Request, { params }: { params: Promise<{ id: string }> }): Promise<Response> {
  try {
    const actor = await importActor();
    if (actor instanceof Response) return actor;
    const { id } = await params;
    if (!isUuid(id)) return jsonError("NOT_FOUND", t.errors.notFound);
    const r = await importReport(actor, id);
    await enforce(RATE_LIMITS.recordsExport, actor.userId, auditActorOf(actor));
    await withTx((tx) => appendAudit(tx, auditActorOf(actor), { action: "licence.import", change: "REPORT_DOWNLOAD", importId: id, fileName: r.fileName }, { type: "LicenceImport", id }));
    const base = r.fileName.replace(/\.(csv|xlsx)$/i, "");
    return xlsxResponse(r.bytes, `import-rejected-${id.slice(0, 8)}.xlsx`, `${base}-被拒绝的行.xlsx`);
  } catch (e) {
    return errorResponse(e);
  }
}
