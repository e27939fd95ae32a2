// The report PDF sealed by the management department (V-04): the same machinery as seal use (S-12,
// lib/seal-use/signing.ts) — the seal picture stamped visibly (stampSeal), an SES_Signature made in
// the key store over the stamped bytes (signDocument), embedded by an incremental update
// (embedSignature) — so the public verification page (/verify) checks it like any sealed document.
// Without an active, valid seal of the management department there is no report: never unsigned.
import "server-only";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { decodeSeal, signDocument, signerListed } from "@/lib/crypto/ses";
import { embedSignature, stampSeal } from "@/lib/pdf/sealed-pdf";
import type { ReportData } from "@/lib/supervision/reports/data";
import { renderReportPdf } from "@/lib/supervision/reports/pdf";

export type ReportSeal = { id: string; name: string; esId: string | null; sealDer: Uint8Array; keyId: string; certDer: Uint8Array; picturePng: Uint8Array; widthMm: number; heightMm: number };

/** The legal-name seal (公章) first, then the oldest: the same seal for the same data. */
const KIND_ORDER: Record<string, number> = { LEGAL_NAME: 0 };

/** The management department's seal that signs its reports, or a clear refusal. */
export async function managementSeal(management: { id: string; name: string }, now: Date): Promise<ReportSeal> {
  const seals = await db().seal.findMany({
    where: { holderDeptId: management.id, status: "ACTIVE", validStart: { lte: now }, validEnd: { gte: now }, sealDer: { not: null }, keyId: { not: null }, certificateId: { not: null }, picturePng: { not: null } },
    select: { id: true, name: true, esId: true, kind: true, sealDer: true, keyId: true, certificateId: true, picturePng: true, pictureWidthMm: true, pictureHeightMm: true, createdAt: true },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
  });
  const seal = seals.sort((a, b) => (KIND_ORDER[a.kind] ?? 1) - (KIND_ORDER[b.kind] ?? 1))[0];
  if (!seal || !seal.pictureWidthMm || !seal.pictureHeightMm)
    throw new AppError("CONFLICT", `管理部门「${management.name}」没有有效的电子印章，无法生成加盖电子印章的 PDF 报告（可先导出 XLSX，或联系印章管理员为该部门制发电子印章）`);
  const cert = await db().certificate.findUniqueOrThrow({ where: { id: seal.certificateId! }, select: { der: true } });
  if (!signerListed(decodeSeal(seal.sealDer!), cert.der)) throw new AppError("CONFLICT", `管理部门「${management.name}」的电子印章与签章人证书不符，无法签章`);
  return {
    id: seal.id,
    name: seal.name,
    esId: seal.esId,
    sealDer: new Uint8Array(seal.sealDer!),
    keyId: seal.keyId!,
    certDer: new Uint8Array(cert.der),
    picturePng: new Uint8Array(seal.picturePng!),
    widthMm: seal.pictureWidthMm,
    heightMm: seal.pictureHeightMm,
  };
}

/** The report PDF, stamped and signed with the management department's seal at `d.generatedAt`. */
export async function signedReportPdf(d: ReportData): Promise<{ pdf: Uint8Array; seal: { id: string; name: string } }> {
  const seal = await managementSeal(d.management, d.generatedAt);
  const { pdf, stamp } = await renderReportPdf(d, seal);
  const stamped = await stampSeal({ pdf, picturePng: seal.picturePng, widthMm: seal.widthMm, heightMm: seal.heightMm, position: stamp });
  const der = await signDocument({
    sealDer: seal.sealDer,
    signerKeyId: seal.keyId,
    signerCertDer: seal.certDer,
    document: stamped,
    propertyInfo: `certseal:supervision-report:${d.query.kind}:${d.query.period}:${d.subject.kind}:${d.subject.id ?? "all"}`,
    time: d.generatedAt,
  });
  return { pdf: embedSignature(stamped, der, `supervision-report-${d.query.period}.sig`), seal: { id: seal.id, name: seal.name } };
}
