// Public verification of a sealed PDF, or of a .sig with the document it covers (S-13): the report
// of verifySignature in plain Chinese, for anyone, without signing in. The uploads live only in
// memory for this call: nothing is written to the database or to disk.
import "server-only";
import { db } from "@/lib/db";
import { cryptoText } from "@/lib/crypto/messages";
import { verifySignature, type CheckKey, type SealStatus, type VerificationReport } from "@/lib/crypto/ses";
import { bytesEqual } from "@/lib/crypto/x509";
import { extractSignature } from "@/lib/pdf/sealed-pdf";

export const VERIFY_PDF_MAX_BYTES = 20 * 1048576;
export const VERIFY_SIG_MAX_BYTES = 64 * 1024;

export type PublicCheck = { key: CheckKey; ok: boolean; title: string; message: string };

export type PublicReport = {
  /** a signature was found in the PDF or uploaded beside it */
  found: boolean;
  /** every check passed except the seal's status now (a seal cancelled later leaves earlier signatures valid) */
  valid: boolean;
  /** one sentence: valid, or what failed */
  summary: string;
  seal?: { name: string; esId: string; holderDept: string };
  /** ISO time of signing (the signature's timeInfo) */
  signedAt?: string;
  checks: PublicCheck[];
};

export const verifyText = {
  titles: {
    documentUnchanged: "文件未被篡改",
    signerChainsToCa: "签章人证书可信",
    signerListedInSeal: "签章人在印章授权列表中",
    sealValidAtSigningTime: "签章时印章在有效期内",
    sealStatusNow: "印章当前状态",
    makerSignatureValid: "制章人签名有效",
    signatureValid: "签名值有效",
  } satisfies Record<CheckKey, string>,
  noSignature: "文件中未找到电子签章（请同时上传 .sig 签名文件）",
  appended: "签章后文件被追加修改（签名范围之外有新增内容）",
  valid: "签章有效：文件自签章后未被修改",
  invalid: (first: string, failed: number) => `签章无效：${first}${failed > 1 ? `（共 ${failed} 项检查未通过）` : ""}`,
} as const;

type RegisterRow = { status: string; validEnd: Date | null; holderDept: { name: string } };

/** The seal's status in our register: ACTIVE past its validity reads as EXPIRED; unknown esIDs as UNKNOWN. */
function registerStatus(row: RegisterRow | null, now: Date): SealStatus {
  if (!row) return "UNKNOWN";
  if (row.status === "CANCELLED") return "CANCELLED";
  if (row.status === "ACTIVE") return row.validEnd && row.validEnd < now ? "EXPIRED" : "ACTIVE";
  // produced but not yet filed, or otherwise not usable now
  return "SUSPENDED";
}

function publicReport(r: VerificationReport, row: RegisterRow | null, appendedExactly: boolean): PublicReport {
  if (!r.signed) {
    const message = cryptoText.ses.unparsable;
    return { found: true, valid: false, summary: verifyText.invalid(message, 1), checks: [{ key: "signatureValid", ok: false, title: verifyText.titles.signatureValid, message }] };
  }
  const checks: PublicCheck[] = r.checks.map((c) => {
    const base = { ...c, title: verifyText.titles[c.key] };
    if (c.key !== "documentUnchanged" || appendedExactly) return base;
    return { ...base, ok: false, message: c.ok ? verifyText.appended : `${c.message}；${verifyText.appended}` };
  });
  const valid = r.valid && appendedExactly;
  // The register's holder is shown only for a seal our maker signed: a forged seal may borrow a real esID.
  const makerOk = checks.some((c) => c.key === "makerSignatureValid" && c.ok);
  const holderDept = (makerOk && row?.holderDept.name) || r.signed.signer?.organization || "";
  const status = checks.find((c) => c.key === "sealStatusNow")!;
  const failed = checks.filter((c) => c.key !== "sealStatusNow" && !c.ok);
  return {
    found: true,
    valid,
    summary: valid ? (status.ok ? verifyText.valid : `${verifyText.valid}；${status.message}`) : verifyText.invalid(failed[0].message, failed.length),
    seal: { name: r.signed.sealName, esId: r.signed.esID, holderDept },
    signedAt: r.signed.time.toISOString(),
    checks,
  };
}

/**
 * Verifies an upload. Without `sig`, the signature embedded in the PDF is used. With `sig`, the
 * document is the PDF as uploaded — unless it is our sealed PDF carrying that very signature, in
 * which case the signed prefix is verified and nothing may follow our attachment update.
 */
export async function verifyUpload(input: { pdf: Uint8Array; sig?: Uint8Array }, opts: { now?: Date } = {}): Promise<PublicReport> {
  const now = opts.now ?? new Date();
  const embedded = await extractSignature(input.pdf);
  let document: Uint8Array;
  let sigDer: Uint8Array;
  let appendedExactly = true;
  if (input.sig) {
    sigDer = input.sig;
    const same = embedded !== null && bytesEqual(embedded.sigDer, input.sig);
    document = same ? embedded.signedBytes : input.pdf;
    if (same) appendedExactly = embedded.appendedExactly;
  } else {
    if (!embedded) return { found: false, valid: false, summary: verifyText.noSignature, checks: [] };
    sigDer = embedded.sigDer;
    document = embedded.signedBytes;
    appendedExactly = embedded.appendedExactly;
  }

  let row: RegisterRow | null = null;
  const sealStatus = async (esId: string): Promise<SealStatus> => {
    row = /^\d{14}$/.test(esId) ? await db().seal.findUnique({ where: { esId }, select: { status: true, validEnd: true, holderDept: { select: { name: true } } } }) : null;
    return registerStatus(row, now);
  };
  const report = await verifySignature(document, sigDer, { sealStatus, now });
  return publicReport(report, row, appendedExactly);
}
