// Verifying licences (L-07, U-03, U-06): the stored signature against the canonical encoding
// rebuilt from the database, the public view of a licence (what anyone may see: masked holder,
// status, validity), the identifier + verification-code lookup, and the check of an uploaded
// licence PDF — is it the signed original, unaltered? Uploads stay in memory for the call.
import "server-only";
import { timingSafeEqual } from "node:crypto";
import { db } from "@/lib/db";
import { holderCodeType } from "@/lib/catalog/dictionaries";
import { shanghaiDate } from "@/lib/calendar/working-days";
import { cryptoText } from "@/lib/crypto/messages";
import { decodeSignature, verifySignature, type CheckKey, type SealStatus } from "@/lib/crypto/ses";
import { sm3Hex } from "@/lib/crypto/sm3";
import { bytesEqual } from "@/lib/crypto/x509";
import { propertyInfoOf } from "@/lib/licenses/canonical";
import { maskPersonName } from "@/lib/licenses/holder-code";
import { parseIdentifier } from "@/lib/licenses/identifier";
import { canonicalOf } from "@/lib/licenses/lifecycle";
import { renderLicenceFile } from "@/lib/licenses/file";
import { licenceSignatureDer } from "@/lib/licenses/signing";
import { extractSignature, type ExtractedSignature } from "@/lib/pdf/sealed-pdf";

const PROPERTY_PREFIX = propertyInfoOf("");

export type LicenceCheck = { key: string; ok: boolean; message: string };

/** Titles of the check keys, for pages. */
export const LICENCE_CHECK_TITLES: Record<string, string> = {
  signatureFound: "文件含电子证照签名",
  registered: "证照在平台登记",
  canonical: "证照数据与签发时一致",
  signed: "证照已签章",
  propertyInfo: "签名对应本证照",
  documentUnchanged: "签名与证照数据相符",
  signerChainsToCa: "签章人证书可信",
  signerListedInSeal: "签章人在印章授权列表中",
  sealValidAtSigningTime: "签章时印章在有效期内",
  sealStatusNow: "印章当前状态",
  makerSignatureValid: "制章人签名有效",
  signatureValid: "签名值有效",
  signatureCurrent: "签名为证照当前的签名",
  fileUnaltered: "文件与签发的原件一致",
};

export const licenceVerifyText = {
  canonicalOk: "由数据库重建的证照数据与签发时记录的 SM3 杂凑值一致",
  canonicalFail: "由数据库重建的证照数据与签发时记录的 SM3 杂凑值不一致（数据被改动，或发证部门名称已变更）",
  unsigned: "该证照没有签名数据",
  propertyOk: "签名保护的对象是本证照",
  propertyFail: "签名保护的对象不是本证照",
  documentOk: "签名中的杂凑值与证照数据一致，证照数据自签章后未被修改",
  documentFail: "签名中的杂凑值与证照数据不一致：证照数据或签名被改动",
  noSignature: "文件中未找到电子证照签名或电子签章：截图、打印件或经转换、另存的文件不是原件（电子证照请使用平台下载的证照文件或扫描证照二维码核验；已盖章的文件也可同时上传 .sig 签名文件）",
  signatureFound: "文件附有电子证照签名（GB/T 38540 SES_Signature）",
  notRegistered: "平台未登记签名所指的电子证照：文件不是本平台签发的原件",
  registered: "平台登记有该电子证照",
  signatureCurrentOk: "文件所附签名与平台登记的签名一致",
  signatureCurrentFail: "文件所附签名不是该证照当前的签名（证照已重新签章），请获取最新的证照文件",
  fileOk: "文件与平台签发的原件逐字节一致，未被篡改",
  fileFail: "文件与平台签发的原件不一致：文件已被篡改，或不是原件（也可能是二维码作废前的旧文件）",
  fileUnavailable: "平台无法生成该证照的原件用于比对",
  original: "该文件是平台签发的电子证照原件，签发后未被修改",
  notOriginal: (first: string) => `该文件不是有效的电子证照原件：${first}`,
  lookupFailed: "电子证照标识或核验码不正确",
  identifierFormat: "电子证照标识格式不正确（形如 1.2.156.3005.2.…，末位为校验码）",
} as const;

// ---- the stored signature -------------------------------------------------------------------

type RegisterRow = { status: string; validEnd: Date | null };

function registerStatus(row: RegisterRow | null, now: Date): SealStatus {
  if (!row) return "UNKNOWN";
  if (row.status === "CANCELLED") return "CANCELLED";
  if (row.status === "ACTIVE") return row.validEnd && row.validEnd < now ? "EXPIRED" : "ACTIVE";
  return "SUSPENDED";
}

const sealStatusAt = (now: Date) => async (esId: string): Promise<SealStatus> =>
  registerStatus(/^\d{14}$/.test(esId) ? await db().seal.findUnique({ where: { esId }, select: { status: true, validEnd: true } }) : null, now);

/** verifySignature's checks over `document`, in its order; `documentUnchanged` phrased for licence data. */
async function signatureChecks(document: Uint8Array, sigDer: Uint8Array, now: Date): Promise<{ checks: LicenceCheck[]; propertyInfo: string | null }> {
  const r = await verifySignature(document, sigDer, { sealStatus: sealStatusAt(now), now });
  const checks = r.checks.map((c) =>
    c.key === "documentUnchanged" ? { key: c.key, ok: c.ok, message: r.signed ? (c.ok ? licenceVerifyText.documentOk : licenceVerifyText.documentFail) : c.message } : { key: c.key, ok: c.ok, message: c.message },
  );
  return { checks, propertyInfo: r.signed?.propertyInfo ?? null };
}

/** The seal's status today is reported, but a seal cancelled later leaves earlier signatures valid. */
const decides = (c: LicenceCheck) => c.key !== ("sealStatusNow" satisfies CheckKey);

/**
 * Rebuilds the canonical encoding of a stored licence (holder code decrypted), checks its SM3
 * against `canonicalSm3`, and verifies the stored SES_Signature over those bytes. `ok` is every
 * check except `sealStatusNow`, which only reports the seal's status today.
 */
export async function checkStoredSignature(licenceId: string, now = new Date()): Promise<{ ok: boolean; checks: LicenceCheck[] }> {
  const row = await db().licence.findUniqueOrThrow({ where: { id: licenceId } });
  const canonical = await canonicalOf(row);
  const sameData = sm3Hex(canonical) === row.canonicalSm3;
  const checks: LicenceCheck[] = [{ key: "canonical", ok: sameData, message: sameData ? licenceVerifyText.canonicalOk : licenceVerifyText.canonicalFail }];
  const sig = await licenceSignatureDer(db(), row);
  if (!sig) {
    checks.push({ key: "signed", ok: false, message: licenceVerifyText.unsigned });
    return { ok: false, checks };
  }
  const { checks: sigChecks, propertyInfo } = await signatureChecks(canonical, sig, now);
  const own = propertyInfo === propertyInfoOf(row.identifier);
  checks.push({ key: "propertyInfo", ok: own, message: own ? licenceVerifyText.propertyOk : propertyInfo === null ? cryptoText.ses.unparsable : licenceVerifyText.propertyFail });
  checks.push(...sigChecks);
  return { ok: checks.filter(decides).every((c) => c.ok), checks };
}

// ---- the public view ------------------------------------------------------------------------

/** Statuses as the public pages say them (U-06). */
export const PUBLIC_STATUS_LABELS: Record<string, string> = {
  VALID: "有效",
  SUSPENDED: "暂扣",
  REVOKED: "吊销",
  CANCELLED: "注销",
  ANNULLED: "撤销",
  EXPIRED: "已过期",
};
const RESTRICTION_LABELS: Record<string, string> = { PLEDGE: "质押" };

export type PublicLicenceView = {
  identifier: string;
  /** 证照名称 */
  name: string;
  number: string;
  /** the department now responsible (after a reorganisation, the successor) */
  issuer: string;
  /** the department that issued it, when another one is now responsible (L-11) */
  originalIssuer: string | null;
  /** natural persons masked (张**), organisations in full */
  holderName: string;
  holderCodeType: string;
  /** always masked */
  holderCode: string;
  issuedOn: string;
  validFrom: string;
  validTo: string | null;
  /** effective status: a valid licence past its last day reads EXPIRED before the daily job runs */
  status: string;
  statusLabel: string;
  /** e.g. "质押（2026-01-01 至 2027-12-31）" */
  restriction: string | null;
  /** 异议中 (O-02) */
  underObjection: boolean;
  /** the newer version that replaced this one by a change or renewal, or null */
  successor: { identifier: string; number: string; status: string; statusLabel: string } | null;
};

/** A version replaced by 变更 or 延续 is annulled, but not for wrongdoing: say what happened. */
const REPLACED_LABELS: Record<string, string> = { CHANGED: "已变更，由新版本替代", RENEWED: "已延续，由新版本替代" };

/** A status as the public pages say it: a version replaced by 变更 or 延续 is not "撤销". */
export function publicStatusLabel(status: string, statusReason: string | null): string {
  return (status === "ANNULLED" && statusReason && REPLACED_LABELS[statusReason]) || (PUBLIC_STATUS_LABELS[status] ?? status);
}

const ymd = (d: Date) => d.toISOString().slice(0, 10);

/** What anyone may see of a licence: no full holder code, natural persons' names masked. */
export async function publicLicenceView(licenceId: string, now = new Date()): Promise<PublicLicenceView | null> {
  const l = await db().licence.findUnique({
    where: { id: licenceId },
    select: {
      identifier: true,
      name: true,
      licenceNumber: true,
      holderName: true,
      holderCodeType: true,
      status: true,
      statusReason: true,
      openObjections: true,
      successors: { select: { identifier: true, licenceNumber: true, status: true, validTo: true }, orderBy: { version: "desc" }, take: 1 },
      issuedAt: true,
      validFrom: true,
      validTo: true,
      issuerDeptId: true,
      originalIssuerDeptId: true,
      issuerDept: { select: { name: true } },
      originalIssuerDept: { select: { name: true } },
      holder: { select: { category: true, codeMasked: true } },
      restrictions: { where: { releasedAt: null }, select: { kind: true, startsOn: true, endsOn: true }, orderBy: { startsOn: "asc" } },
    },
  });
  if (!l) return null;
  const today = shanghaiDate(now);
  const validTo = l.validTo ? ymd(l.validTo) : null;
  const status = l.status === "VALID" && validTo !== null && validTo < today ? "EXPIRED" : l.status;
  const active = l.restrictions.filter((r) => ymd(r.endsOn) >= today);
  const restriction = active.length ? active.map((r) => `${RESTRICTION_LABELS[r.kind] ?? r.kind}（${ymd(r.startsOn)} 至 ${ymd(r.endsOn)}）`).join("；") : null;
  return {
    identifier: l.identifier,
    name: l.name,
    number: l.licenceNumber,
    issuer: l.issuerDept.name,
    originalIssuer: l.originalIssuerDeptId !== l.issuerDeptId ? l.originalIssuerDept.name : null,
    holderName: l.holder.category === "NATURAL_PERSON" ? maskPersonName(l.holderName) : l.holderName,
    holderCodeType: holderCodeType(l.holderCodeType)?.label ?? l.holderCodeType,
    holderCode: l.holder.codeMasked,
    issuedOn: shanghaiDate(l.issuedAt),
    validFrom: ymd(l.validFrom),
    validTo,
    status,
    statusLabel: publicStatusLabel(status, l.statusReason),
    restriction,
    underObjection: l.openObjections > 0,
    successor: l.successors[0]
      ? (() => {
          const n = l.successors[0];
          const st = n.status === "VALID" && n.validTo && ymd(n.validTo) < today ? "EXPIRED" : n.status;
          return { identifier: n.identifier, number: n.licenceNumber, status: st, statusLabel: PUBLIC_STATUS_LABELS[st] ?? st };
        })()
      : null,
  };
}

// ---- identifier + verification code -----------------------------------------------------------

export type LookupResult = { ok: true; view: PublicLicenceView } | { ok: false; error: string; fieldErrors?: Record<string, string> };

/**
 * What the access log records of a lookup, beside the answer: the reason and the licence.
 * The route answers an unknown identifier and a wrong code alike and never sends these.
 */
export type LookupTrace = { reason: "FORMAT" | "NOT_FOUND" | "BAD_CODE" | null; licence: { id: string; issuerDeptId: string } | null };

/** Upper case, no spaces or dashes: how the 8-character code is compared. */
function normaliseCode(code: string): string {
  return code.replace(/[\s-]+/g, "").toUpperCase();
}

/**
 * 凭标识 + 核验码查验: a malformed identifier is named as such; an unknown identifier and a wrong
 * code get the same answer, so the form cannot be used to find out which identifiers exist.
 */
export async function lookupByVerifyCode(identifier: string, code: string, now = new Date()): Promise<LookupResult> {
  return (await tracedLookup(identifier, code, now)).result;
}

/** lookupByVerifyCode's answer with its trace for the access log. */
export async function tracedLookup(identifier: string, code: string, now = new Date()): Promise<{ result: LookupResult; trace: LookupTrace }> {
  const id = identifier.trim().toUpperCase();
  if (!parseIdentifier(id)) return { result: { ok: false, error: licenceVerifyText.identifierFormat, fieldErrors: { identifier: licenceVerifyText.identifierFormat } }, trace: { reason: "FORMAT", licence: null } };
  const l = await db().licence.findUnique({ where: { identifier: id }, select: { id: true, verifyCode: true, issuerDeptId: true } });
  // compared as SM3 digests (equal lengths for timingSafeEqual); "*" never occurs in a code
  const digest = (s: string) => Buffer.from(sm3Hex(s), "hex");
  const match = timingSafeEqual(digest(normaliseCode(code)), digest(l?.verifyCode ?? "*")) && !!l;
  const licence = l ? { id: l.id, issuerDeptId: l.issuerDeptId } : null;
  const failed: LookupResult = { ok: false, error: licenceVerifyText.lookupFailed };
  if (!l || !match) return { result: failed, trace: { reason: l ? "BAD_CODE" : "NOT_FOUND", licence } };
  const view = await publicLicenceView(l.id, now);
  return view ? { result: { ok: true, view }, trace: { reason: null, licence } } : { result: failed, trace: { reason: "NOT_FOUND", licence: null } };
}

// ---- an uploaded licence PDF ------------------------------------------------------------------

export type LicenceUploadCheck = LicenceCheck & { title: string };

export type LicenceUploadReport = {
  kind: "licence";
  /** a licence signature was found in the file */
  found: boolean;
  /** the signed original, unaltered: every check passed */
  original: boolean;
  summary: string;
  licence: PublicLicenceView | null;
  /** ISO time of signing (the signature's timeInfo) */
  signedAt: string | null;
  checks: LicenceUploadCheck[];
};

const titled = (c: LicenceCheck): LicenceUploadCheck => ({ ...c, title: LICENCE_CHECK_TITLES[c.key] ?? c.key });

/**
 * Checks an uploaded PDF as a licence file (U-06). Null when the PDF carries a signature that is
 * not a licence's (the caller verifies it as a sealed document). A PDF without any signature — a
 * screenshot, a print, a re-saved copy — is reported as not an original. With a licence signature:
 * the licence must be registered, the signature must verify over the canonical encoding rebuilt
 * from the database, and the file must be byte-for-byte the file the platform renders for it.
 */
export async function verifyLicenceUpload(pdf: Uint8Array, opts: { now?: Date; extracted?: ExtractedSignature | null } = {}): Promise<LicenceUploadReport | null> {
  const now = opts.now ?? new Date();
  const ex = opts.extracted !== undefined ? opts.extracted : await extractSignature(pdf);
  const report = (checks: LicenceCheck[], licence: PublicLicenceView | null, signedAt: string | null): LicenceUploadReport => {
    const failed = checks.filter((c) => decides(c) && !c.ok);
    const original = failed.length === 0;
    const status = licence ? `；证照当前状态：${licence.statusLabel}${licence.underObjection ? "（异议中）" : ""}` : "";
    return {
      kind: "licence",
      found: true,
      original,
      summary: (original ? licenceVerifyText.original : licenceVerifyText.notOriginal(failed[0].message)) + status,
      licence,
      signedAt,
      checks: checks.map(titled),
    };
  };
  if (!ex) return { kind: "licence", found: false, original: false, summary: licenceVerifyText.noSignature, licence: null, signedAt: null, checks: [] };
  let propertyInfo: string;
  let signedAt: string;
  try {
    const d = decodeSignature(ex.sigDer);
    propertyInfo = d.propertyInfo;
    signedAt = d.timeInfo.toISOString();
  } catch {
    return null;
  }
  if (!propertyInfo.startsWith(PROPERTY_PREFIX)) return null;

  const checks: LicenceCheck[] = [{ key: "signatureFound", ok: true, message: licenceVerifyText.signatureFound }];
  const identifier = propertyInfo.slice(PROPERTY_PREFIX.length);
  const row = parseIdentifier(identifier) ? await db().licence.findUnique({ where: { identifier } }) : null;
  if (!row) {
    checks.push({ key: "registered", ok: false, message: licenceVerifyText.notRegistered });
    return report(checks, null, signedAt);
  }
  checks.push({ key: "registered", ok: true, message: licenceVerifyText.registered });

  const canonical = await canonicalOf(row);
  const sameData = sm3Hex(canonical) === row.canonicalSm3;
  checks.push({ key: "canonical", ok: sameData, message: sameData ? licenceVerifyText.canonicalOk : licenceVerifyText.canonicalFail });
  const { checks: sigChecks } = await signatureChecks(canonical, ex.sigDer, now);
  checks.push(...sigChecks);
  const stored = await licenceSignatureDer(db(), row);
  const current = !!stored && bytesEqual(stored, ex.sigDer);
  checks.push({ key: "signatureCurrent", ok: current, message: current ? licenceVerifyText.signatureCurrentOk : licenceVerifyText.signatureCurrentFail });

  const uploaded = sm3Hex(pdf);
  let fresh: string | null = null;
  try {
    fresh = (await renderLicenceFile(row.id)).sm3;
  } catch {
    fresh = null;
  }
  const same = uploaded === fresh || (row.fileSm3 !== null && uploaded === row.fileSm3);
  checks.push({ key: "fileUnaltered", ok: same, message: same ? licenceVerifyText.fileOk : fresh === null ? licenceVerifyText.fileUnavailable : licenceVerifyText.fileFail });
  return report(checks, await publicLicenceView(row.id, now), signedAt);
}
