// The canonical encoding of a licence (L-07): what its SM2 signature covers.
//
// Encoding, version "certseal-licence-v1":
//   UTF-8 of a JSON object, keys sorted by UTF-16 code unit at every level, no white space,
//   absent optional values as null (never omitted), strings as JSON.stringify writes them, numbers
//   as JavaScript prints them, dates as "YYYY-MM-DD" (Asia/Shanghai calendar dates) and instants as
//   ISO-8601 UTC with milliseconds. The members are:
//     format         "certseal-licence-v1"
//     identifier     电子证照标识 (GB/T 36904)
//     number         证照编号
//     name           证照名称
//     typeCode       证照类型代码; typeVersion: the catalog version number it was issued under
//     version        "001", "002", … (the identifier's version)
//     issuer         { name, code }: issuing authority and its 18-character code
//     areaCode       属地编码
//     holder         { name, codeType, code }: the holder code in full (it is signed, not shown)
//     matter         { code, name } or null
//     issuedAt       instant of issue
//     validFrom      first day of validity; validTo: last day, or null when permanent
//     face           照面信息: key → value as stored (date ranges as { from, to })
//     predecessor    identifier of the licence this one changes or renews, or null
// SM3 over these bytes is the dataHash of the SES_Signature (GB/T 38540) whose propertyInfo is
// "certseal:licence:<identifier>". Anyone holding the same data can rebuild the bytes exactly.
import { canonicalJson } from "@/lib/audit/canonical";
import { sm3Hex } from "@/lib/crypto/sm3";

export const CANONICAL_FORMAT = "certseal-licence-v1";

export type CanonicalLicence = {
  identifier: string;
  number: string;
  name: string;
  typeCode: string;
  typeVersion: number;
  version: number;
  issuer: { name: string; code: string };
  areaCode: string;
  holder: { name: string; codeType: string; code: string };
  matter: { code: string; name: string } | null;
  issuedAt: Date;
  validFrom: string;
  validTo: string | null;
  face: Record<string, unknown>;
  predecessor: string | null;
};

export function canonicalLicence(l: CanonicalLicence): Buffer {
  const body = {
    format: CANONICAL_FORMAT,
    identifier: l.identifier,
    number: l.number,
    name: l.name,
    typeCode: l.typeCode,
    typeVersion: l.typeVersion,
    version: String(l.version).padStart(3, "0"),
    issuer: { name: l.issuer.name, code: l.issuer.code },
    areaCode: l.areaCode,
    holder: { name: l.holder.name, codeType: l.holder.codeType, code: l.holder.code },
    matter: l.matter ? { code: l.matter.code, name: l.matter.name } : null,
    issuedAt: l.issuedAt.toISOString(),
    validFrom: l.validFrom,
    validTo: l.validTo,
    face: stripUndefined(l.face),
    predecessor: l.predecessor,
  };
  return Buffer.from(canonicalJson(body), "utf8");
}

export function canonicalSm3(l: CanonicalLicence): string {
  return sm3Hex(canonicalLicence(l));
}

/** propertyInfo of the licence's SES_Signature. */
export function propertyInfoOf(identifier: string): string {
  return `certseal:licence:${identifier}`;
}

function stripUndefined(face: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(face)) if (v !== undefined && v !== null && v !== "") out[k] = v;
  return out;
}
