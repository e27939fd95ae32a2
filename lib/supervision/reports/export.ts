// One export of the supervision report (V-04), as the route serves it: gather the data for the
// actor's scope, build the XLSX or the sealed PDF, and audit the export (supervision.report).
import "server-only";
import { withTx } from "@/lib/db";
import { appendAudit } from "@/lib/audit/log";
import { auditActorOf, type Actor } from "@/lib/auth/session";
import { sm3Hex } from "@/lib/crypto/sm3";
import { reportData, reportFileName } from "@/lib/supervision/reports/data";
import { signedReportPdf } from "@/lib/supervision/reports/sign";
import { reportWorkbook } from "@/lib/supervision/reports/xlsx";
import type { ReportQuery } from "@/lib/supervision/reports/schema";

export type ReportFile = { body: Uint8Array; contentType: string; fileName: string; asciiName: string };

export const CONTENT_TYPES = {
  xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
  pdf: "application/pdf",
} as const;

export async function exportReport(actor: Actor, q: ReportQuery, now = new Date()): Promise<ReportFile> {
  const d = await reportData(actor, q, now);
  let body: Uint8Array;
  let sealId: string | null = null;
  if (q.format === "pdf") {
    const signed = await signedReportPdf(d);
    body = signed.pdf;
    sealId = signed.seal.id;
  } else body = await reportWorkbook(d);
  const scope = d.subject.kind === "all" ? "all" : `${d.subject.kind}:${d.subject.id}`;
  await withTx((tx) =>
    appendAudit(
      tx,
      auditActorOf(actor),
      { action: "supervision.report", kind: q.kind, format: q.format, period: q.period, scope, subject: d.subject.name, sealId, sm3: sm3Hex(body) },
      { type: "SupervisionReport", id: null },
    ),
  );
  const asciiName = `supervision-report-${q.period}${d.subject.kind === "dept" ? "-dept" : ""}.${q.format}`;
  return { body, contentType: CONTENT_TYPES[q.format], fileName: `${reportFileName(d)}.${q.format}`, asciiName };
}
