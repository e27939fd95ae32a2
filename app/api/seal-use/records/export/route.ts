// XLSX export of the use records (S-11): the same filter and scope as the records page, rate-limited
// per user, audited with the row count and the filter.
import ExcelJS from "exceljs";
import { db, withTx } from "@/lib/db";
import { appendAudit } from "@/lib/audit/log";
import { auditActorOf, currentActor, type Actor } from "@/lib/auth/session";
import { can, hasPermission, type Permission } from "@/lib/auth/permissions";
import { AppError, ERROR_STATUS, errorId, type ErrorCode } from "@/lib/errors";
import { t } from "@/lib/i18n/zh-CN";
import { RATE_LIMITS, enforce } from "@/lib/security/rate-limit";
import { EXPORT_MAX_ROWS, recordsForExport, type RecordRow } from "@/lib/seal-use/queries";
import { recordFilter, type RecordFilter } from "@/lib/seal-use/schema";
import { DECISION_LABELS } from "@/lib/seal-use/labels";
import { contentDisposition } from "@/lib/http/content-disposition";

export const dynamic = "force-dynamic";

/** Mirrors VIEW_PERMS in lib/seal-use/queries.ts (the page uses the same list). */
const VIEW_PERMISSIONS: Permission[] = ["seal.apply", "seal.approve", "seal.custody", "supervision.read"];
const HEADERS = { "cache-control": "no-store", "x-content-type-options": "nosniff" } as const;
const SHANGHAI_MS = 8 * 3_600_000;

function jsonError(code: ErrorCode, error: string): Response {
  return Response.json({ code, error }, { status: ERROR_STATUS[code], headers: HEADERS });
}

/** Excel dates have no zone: write the Shanghai wall-clock time (UTC+8, no daylight saving). */
const shanghai = (iso: string) => new Date(Date.parse(iso) + SHANGHAI_MS);
const shanghaiText = (iso: string) => shanghai(iso).toISOString().slice(0, 16).replace("T", " ");

const COLUMNS: { header: string; key: string; width: number }[] = [
  { header: "用印时间", key: "at", width: 20 },
  { header: "印章名称", key: "sealName", width: 24 },
  { header: "印章编码", key: "esId", width: 17 },
  { header: "持有部门", key: "deptName", width: 24 },
  { header: "申请编号", key: "requestNumber", width: 16 },
  { header: "用印事由", key: "reason", width: 36 },
  { header: "审批情况", key: "approvals", width: 46 },
  { header: "本次用印数", key: "countUsed", width: 11 },
  { header: "累计已用", key: "usedTotal", width: 10 },
  { header: "剩余次数", key: "remaining", width: 10 },
  { header: "文件名称", key: "documentName", width: 30 },
  { header: "原文件 SM3", key: "documentSm3", width: 68 },
  { header: "签名原文 SM3（盖章后、嵌入签名前）", key: "signedSm3", width: 68 },
  { header: "签章文件 SM3（下载的 PDF）", key: "sealedSm3", width: 68 },
  { header: "经办人", key: "operatorName", width: 20 },
  { header: "签章编号", key: "signatureId", width: 38 },
];

function approvalsText(r: RecordRow): string {
  return r.approvals
    .map((a) => `${a.step}：${a.user} ${DECISION_LABELS[a.decision as keyof typeof DECISION_LABELS] ?? a.decision}${a.at ? ` ${shanghaiText(a.at)}` : ""}${a.comment ? `（${a.comment}）` : ""}`)
    .join("\n");
}

async function workbook(rows: RecordRow[], truncated: boolean): Promise<Uint8Array> {
  const wb = new ExcelJS.Workbook();
  wb.creator = "certseal";
  const ws = wb.addWorksheet("用印登记", { views: [{ state: "frozen", ySplit: 1 }] });
  ws.columns = COLUMNS;
  ws.getRow(1).font = { bold: true };
  ws.getColumn("at").numFmt = "yyyy-mm-dd hh:mm:ss";
  for (const key of ["reason", "approvals", "documentName"]) ws.getColumn(key).alignment = { wrapText: true, vertical: "top" };
  for (const r of rows)
    ws.addRow({
      at: shanghai(r.at),
      sealName: r.sealName,
      esId: r.esId,
      deptName: r.deptName,
      requestNumber: r.requestNumber,
      reason: r.reason,
      approvals: approvalsText(r),
      countUsed: r.countUsed,
      usedTotal: r.usedTotal,
      remaining: r.remaining,
      documentName: r.documentName,
      documentSm3: r.documentSm3,
      signedSm3: r.signedSm3,
      sealedSm3: r.sealedSm3,
      operatorName: r.operatorName,
      signatureId: r.signatureId,
    });
  if (truncated) {
    const note = ws.addRow([`已达导出上限：仅导出了最近的 ${EXPORT_MAX_ROWS} 条记录，请缩小查询范围后分批导出`]);
    note.font = { bold: true, color: { argb: "FFD4380D" } };
  }
  return new Uint8Array(await wb.xlsx.writeBuffer());
}

/** A department or seal named in the filter must be in the caller's scope (else: not found). */
async function filterInScope(actor: Actor, f: RecordFilter): Promise<boolean> {
  const covers = (d: { id: string; path: string }) => VIEW_PERMISSIONS.some((p) => can(actor, p, d));
  if (f.deptId) {
    const d = await db().department.findUnique({ where: { id: f.deptId }, select: { id: true, path: true } });
    if (!d || !covers(d)) return false;
  }
  if (f.sealId) {
    const s = await db().seal.findUnique({ where: { id: f.sealId }, select: { holderDept: { select: { id: true, path: true } } } });
    if (!s || !covers(s.holderDept)) return false;
  }
  return true;
}

export async function GET(req: Request): Promise<Response> {
  try {
    const actor = await currentActor();
    if (!actor) return jsonError("UNAUTHENTICATED", t.errors.unauthenticated);
    if (actor.mustChangePassword) return jsonError("PASSWORD_CHANGE_REQUIRED", t.errors.passwordChangeRequired);
    if (!VIEW_PERMISSIONS.some((p) => hasPermission(actor, p))) return jsonError("FORBIDDEN", t.errors.forbidden);
    await enforce(RATE_LIMITS.recordsExport, actor.userId, auditActorOf(actor));

    // The query form's department select is named "dept" (DeptFilter); "deptId" is accepted too.
    const sp = Object.fromEntries(new URL(req.url).searchParams);
    const f = recordFilter.parse({ ...sp, deptId: sp.deptId ?? sp.dept });
    if (!(await filterInScope(actor, f))) return jsonError("NOT_FOUND", t.errors.notFound);

    const { rows, truncated } = await recordsForExport(actor, f);
    const body = await workbook(rows, truncated);
    const filter = Object.fromEntries(
      (["q", "sealId", "deptId", "from", "to"] as const).flatMap((k) => (f[k] ? [[k, f[k]]] : [])),
    ) as Record<string, string>;
    await withTx((tx) => appendAudit(tx, auditActorOf(actor), { action: "seal_use.export", rows: rows.length, filter }, { type: "SealUseRecord", id: null }));

    const day = new Date(Date.now() + SHANGHAI_MS).toISOString().slice(0, 10).replace(/-/g, "");
    return new Response(new Uint8Array(body), {
      status: 200,
      headers: {
        ...HEADERS,
        "content-type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "content-length": String(body.byteLength),
        "content-disposition": contentDisposition(`seal-use-records-${day}.xlsx`, `用印登记-${day}.xlsx`),
      },
    });
  } catch (e) {
    if (e instanceof AppError) return jsonError(e.code, e.userMessage);
    const id = errorId();
    console.error(`[certseal] internal error ${id}`, e);
    return jsonError("INTERNAL", t.errors.internal(id));
  }
}
