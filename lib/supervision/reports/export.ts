// One export of the supervision report (V-04), as the route serves it: gather the data for the
// actor's scope, build the XLSX or the PDF (unsealed: sealing goes through seal-use approval,
// seal.ts), and audit the export (supervision.report).
import "server-only";
import type { Actor } from "@/lib/auth/session";
import { sm3Hex } from "@/lib/crypto/sm3";
import { reportData, reportFileName } from "@/lib/supervision/reports/data";
import { auditReport, reportPdf } from "@/lib/supervision/reports/seal";
import { reportWorkbook } from "@/lib/supervision/reports/xlsx";
import type { ReportQuery } from "@/lib/supervision/reports/schema";

export type ReportFile = { body: Uint8Array; contentType: string; fileName: string; asciiName: string };

export const CONTENT_TYPES = {
  xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
  pdf: "application/pdf",
} as const;

export async function exportReport(actor: Actor, q: ReportQuery, now = new Date()): Promise<ReportFile> {
  const d = await reportData(actor, q, now);
  const body = q.format === "pdf" ? (await reportPdf(d)).pdf : await reportWorkbook(d);
  await auditReport(actor, d, { format: q.format, sealRequest: null, sm3: sm3Hex(body) });
  const asciiName = `supervision-report-${q.period}${d.subject.kind === "dept" ? "-dept" : ""}.${q.format}`;
  return { body, contentType: CONTENT_TYPES[q.format], fileName: `${reportFileName(d)}.${q.format}`, asciiName };
}
