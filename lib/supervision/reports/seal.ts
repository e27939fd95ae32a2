// The report PDF and its seal (V-04). The management department seals its reports the way it seals
// anything else: a seal-use request with the report as its document, approved along the seal's
// flow (S-10), stamped and signed by the custodian on the server (S-12) and entered in the use
// register (S-11). Downloading the PDF gives the unsealed report, with room kept for the seal where
// the signing panel puts it by default; 申请加盖电子印章 on the report page files the request.
import "server-only";
import { db, withTx } from "@/lib/db";
import { appendAudit } from "@/lib/audit/log";
import { auditActorOf, type Actor } from "@/lib/auth/session";
import { hasPermission } from "@/lib/auth/permissions";
import { AppError } from "@/lib/errors";
import { t } from "@/lib/i18n/zh-CN";
import { sm3Hex } from "@/lib/crypto/sm3";
import { createRequest } from "@/lib/seal-use/service";
import { reportData, reportFileName, type ReportData } from "@/lib/supervision/reports/data";
import { renderReportPdf } from "@/lib/supervision/reports/pdf";
import { fmtTime } from "@/lib/supervision/reports/format";
import type { ReportQuery, ReportSealInput } from "@/lib/supervision/reports/schema";

/** A 42 mm round seal, the usual 法定名称章: the room kept when the department has no seal yet. */
export const DEFAULT_SEAL_MM = { widthMm: 42, heightMm: 42 } as const;

export type ReportSeal = { id: string; name: string; holderDeptId: string; widthMm: number; heightMm: number };

/** The legal-name seal (公章) first, then the oldest: the same seal for the same data. */
const KIND_ORDER: Record<string, number> = { LEGAL_NAME: 0 };

/** The management department's active, valid seal that seals its reports, or null. */
export async function managementSeal(management: { id: string }, now: Date): Promise<ReportSeal | null> {
  const seals = await db().seal.findMany({
    where: { holderDeptId: management.id, status: "ACTIVE", validStart: { lte: now }, validEnd: { gte: now }, sealDer: { not: null }, keyId: { not: null }, picturePng: { not: null } },
    select: { id: true, name: true, kind: true, holderDeptId: true, pictureWidthMm: true, pictureHeightMm: true, createdAt: true },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
  });
  const seal = seals.sort((a, b) => (KIND_ORDER[a.kind] ?? 1) - (KIND_ORDER[b.kind] ?? 1))[0];
  if (!seal || !seal.pictureWidthMm || !seal.pictureHeightMm) return null;
  return { id: seal.id, name: seal.name, holderDeptId: seal.holderDeptId, widthMm: seal.pictureWidthMm, heightMm: seal.pictureHeightMm };
}

/** The unsealed report PDF, with room for the management department's seal (its size, or 42 mm). */
export async function reportPdf(d: ReportData): Promise<{ pdf: Uint8Array; seal: ReportSeal | null; stamp: { page: number; x: number; y: number } }> {
  const seal = await managementSeal(d.management, d.generatedAt);
  const { pdf, stamp } = await renderReportPdf(d, seal ?? DEFAULT_SEAL_MM);
  return { pdf, seal, stamp };
}

/**
 * 申请加盖电子印章: the report as the document of a seal-use request for the management
 * department's seal, submitted for approval at once (count 1). Needs supervision.read (the report)
 * and seal.apply in the seal's holder department (createRequest checks the scope again); refusals
 * say what is missing. Audited as a report export (supervision.report) and as the request.
 */
export async function requestReportSeal(actor: Actor, input: ReportSealInput, now = new Date()): Promise<{ id: string; number: string }> {
  if (!hasPermission(actor, "supervision.read")) throw new AppError("FORBIDDEN", t.errors.forbidden);
  const q: ReportQuery = { kind: input.kind, period: input.period, region: input.region, subject: input.subject, format: "pdf" };
  // the region first: one outside the caller's scope is not found, whatever else is missing
  const d = await reportData(actor, q, now);
  if (!hasPermission(actor, "seal.apply")) throw new AppError("FORBIDDEN", "申请加盖电子印章须具有用印申请权限");
  const seal = await managementSeal(d.management, now);
  if (!seal)
    throw new AppError("CONFLICT", `管理部门「${d.management.name}」没有有效的电子印章，无法申请加盖（可先下载未盖章的 PDF 或 XLSX，或联系印章管理员为该部门制发电子印章）`);
  if (seal.holderDeptId !== actor.departmentId)
    throw new AppError("FORBIDDEN", `该报告加盖「${d.management.name}」的电子印章，须由该部门的用印申请人提出申请`);
  const { pdf } = await renderReportPdf(d, seal);
  const sm3 = sm3Hex(pdf);
  const doc = { filename: `${reportFileName(d)}.pdf`, mime: "application/pdf", size: pdf.byteLength, sm3, data: new Uint8Array(pdf) };
  // filed at the time it is filed (the report keeps its own generation time)
  const r = await createRequest(
    actor,
    { sealId: seal.id, reason: input.reason, count: 1, validUntil: input.validUntil, remarks: `由「监督报告」页生成：${d.title}（报告生成时间 ${fmtTime(d.generatedAt)}）`, submit: true },
    [doc],
  );
  await auditReport(actor, d, { format: "pdf", sealRequest: r.number, sm3 });
  return r;
}

/** The audit row of a report leaving the portal (an export, or a seal-use request for it). */
export async function auditReport(actor: Actor, d: ReportData, detail: { format: "xlsx" | "pdf"; sealRequest: string | null; sm3: string }) {
  const scope = d.subject.kind === "all" ? "all" : `${d.subject.kind}:${d.subject.id}`;
  await withTx((tx) =>
    appendAudit(
      tx,
      auditActorOf(actor),
      { action: "supervision.report", kind: d.query.kind, format: detail.format, period: d.query.period, scope, subject: d.subject.name, sealRequest: detail.sealRequest, sm3: detail.sm3 },
      { type: "SupervisionReport", id: null },
    ),
  );
}
