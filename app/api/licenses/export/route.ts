// XLSX export of the licence table (U-02 internal view): the same filter, scope and order as the
// /licenses page, at most EXPORT_MAX_ROWS rows, holder codes masked (Holder.codeMasked; the full
// code is never read here). Signed-in users with licence.issue or supervision.read; a department
// filter outside their scope is 404; rate-limited per user; audited (licence.export).
import ExcelJS from "exceljs";
import { withTx } from "@/lib/db";
import { appendAudit } from "@/lib/audit/log";
import { auditActorOf, currentActor } from "@/lib/auth/session";
import { AppError, ERROR_STATUS, errorId, type ErrorCode } from "@/lib/errors";
import { t } from "@/lib/i18n/zh-CN";
import { RATE_LIMITS, enforce } from "@/lib/security/rate-limit";
import { EXPORT_MAX_ROWS, FILTER_KEYS, LICENCE_STATUS_LABELS, licenceFilter } from "@/lib/licenses/list-schema";
import { canListLicences, licencesForExport, type LicenceRow } from "@/lib/licenses/queries";
import { contentDisposition } from "@/lib/http/content-disposition";

export const dynamic = "force-dynamic";

const HEADERS = { "cache-control": "no-store", "x-content-type-options": "nosniff" } as const;
const SHANGHAI_MS = 8 * 3_600_000;

function jsonError(code: ErrorCode, error: string): Response {
  return Response.json({ code, error }, { status: ERROR_STATUS[code], headers: HEADERS });
}

const COLUMNS: { header: string; key: string; width: number }[] = [
  { header: "证照编号", key: "licenceNumber", width: 26 },
  { header: "证照标识", key: "identifier", width: 76 },
  { header: "证照类型", key: "typeName", width: 26 },
  { header: "持证主体", key: "holderName", width: 30 },
  { header: "持证主体代码（脱敏）", key: "holderCodeMasked", width: 22 },
  { header: "发证部门", key: "issuerName", width: 30 },
  { header: "现管理部门", key: "managingDeptName", width: 30 },
  { header: "发证日期", key: "issuedAt", width: 12 },
  { header: "有效期至", key: "validTo", width: 12 },
  { header: "状态", key: "status", width: 10 },
  { header: "质押", key: "restricted", width: 8 },
  { header: "异议中", key: "underObjection", width: 8 },
];

async function workbook(rows: LicenceRow[], truncated: boolean): Promise<Uint8Array> {
  const wb = new ExcelJS.Workbook();
  wb.creator = "certseal";
  const ws = wb.addWorksheet("证照", { views: [{ state: "frozen", ySplit: 1 }] });
  ws.columns = COLUMNS;
  ws.getRow(1).font = { bold: true };
  for (const r of rows)
    ws.addRow({
      licenceNumber: r.licenceNumber,
      identifier: r.identifier,
      typeName: r.typeName,
      holderName: r.holderName,
      holderCodeMasked: r.holderCodeMasked,
      issuerName: r.issuerName,
      managingDeptName: r.managingDeptName,
      issuedAt: new Date(Date.parse(r.issuedAt) + SHANGHAI_MS).toISOString().slice(0, 10),
      validTo: r.validTo ?? "长期",
      status: LICENCE_STATUS_LABELS[r.status] ?? r.status,
      restricted: r.restricted ? "已质押" : "",
      // O-02: marked and not yet resolved, as the list's badge shows it
      underObjection: r.openObjections > 0 ? "是" : "否",
    });
  if (truncated) {
    const note = ws.addRow([`已达导出上限：仅导出了前 ${EXPORT_MAX_ROWS} 条，请缩小查询范围后分批导出`]);
    note.font = { bold: true, color: { argb: "FFD4380D" } };
  }
  return new Uint8Array(await wb.xlsx.writeBuffer());
}

export async function GET(req: Request): Promise<Response> {
  try {
    const actor = await currentActor();
    if (!actor) return jsonError("UNAUTHENTICATED", t.errors.unauthenticated);
    if (actor.mustChangePassword) return jsonError("PASSWORD_CHANGE_REQUIRED", t.errors.passwordChangeRequired);
    if (!canListLicences(actor)) return jsonError("FORBIDDEN", t.errors.forbidden);
    await enforce(RATE_LIMITS.recordsExport, actor.userId, auditActorOf(actor));

    const f = licenceFilter.parse(Object.fromEntries(new URL(req.url).searchParams));
    const { rows, truncated } = await licencesForExport(actor, f);
    const body = await workbook(rows, truncated);
    // the filter as applied (h is the keyed hash of a holder code, never the code)
    const filter = Object.fromEntries(FILTER_KEYS.flatMap((k) => (f[k] ? [[k, String(f[k])]] : []))) as Record<string, string>;
    await withTx((tx) => appendAudit(tx, auditActorOf(actor), { action: "licence.export", rows: rows.length, filter }, { type: "Licence", id: null }));

    const day = new Date(Date.now() + SHANGHAI_MS).toISOString().slice(0, 10).replace(/-/g, "");
    return new Response(new Uint8Array(body), {
      status: 200,
      headers: {
        ...HEADERS,
        "content-type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "content-length": String(body.byteLength),
        "content-disposition": contentDisposition(`licences-${day}.xlsx`, `证照-${day}.xlsx`),
      },
    });
  } catch (e) {
    if (e instanceof AppError) return jsonError(e.code, e.userMessage);
    const id = errorId();
    console.error(`[certseal] internal error ${id}`, e);
    return jsonError("INTERNAL", t.errors.internal(id));
  }
}
