// X.509 v3 certificates with SM2 keys and SM2-with-SM3 signatures (GM/T 0015, RFC 5280), encoded
// and parsed with pkijs/asn1js. WebCrypto (and so pkijs's own `sign`) has no SM2: the
// TBSCertificate is built and DER-encoded here, signed by the caller (the key store), and the
// signature value is set afterwards. Pure functions: no database (the platform CA is ca.ts).
import * as asn1js from "asn1js";
import * as pkijs from "pkijs";
import { cryptoText } from "@/lib/crypto/messages";
import { OID } from "@/lib/crypto/oids";
import { sm3Hex } from "@/lib/crypto/sm3";

export type CertSubject = {
  commonName: string;
  organization?: string;
  /** X.520 serialNumber: the holder's unified social credit code or ID number */
  serialNumber?: string;
};

export type ParsedName = { commonName?: string; organization?: string; serialNumber?: string; country?: string };

export type ParsedCertificate = {
  der: Uint8Array;
  /** the DER TBSCertificate exactly as in `der`: what the issuer signed */
  tbs: Uint8Array;
  signature: Uint8Array;
  signatureAlgorithm: string;
  tbsSignatureAlgorithm: string;
  version: number;
  /** lower-case hex of the serial number's content octets */
  serial: string;
  issuerName: Uint8Array;
  subjectName: Uint8Array;
  issuer: ParsedName;
  subject: ParsedName;
  notBefore: Date;
  notAfter: Date;
  /** 04‖x‖y in hex, or null when the key is not an SM2 key */
  publicKey: string | null;
  isCa: boolean;
  subjectKeyId: string | null;
  authorityKeyId: string | null;
  /** SM3 of the DER certificate, hex */
  sm3: string;
};

export class CertificateError extends Error {}

const HEX_PUB = /^04[0-9a-f]{128}$/;
/** X.520 PrintableString characters (serialNumber and countryName). */
const PRINTABLE = /^[A-Za-z0-9 '()+,\-./:=?]+$/;
/** RFC 5280 upper bounds: ub-common-name 64, ub-organization-name 64, ub-serial-number 64. */
const MAX_NAME = 64;

const hex = (b: ArrayBuffer | Uint8Array) => Buffer.from(b instanceof Uint8Array ? b : new Uint8Array(b)).toString("hex");
export const bytesEqual = (a: Uint8Array, b: Uint8Array) => a.byteLength === b.byteLength && Buffer.from(a).equals(Buffer.from(b));

/** X.509 times carry whole seconds: round down so the database and the certificate agree. */
export function toSeconds(d: Date): Date {
  return new Date(Math.floor(d.getTime() / 1000) * 1000);
}

export function sm2AlgorithmIdentifier(): pkijs.AlgorithmIdentifier {
  // parameters absent, as OpenSSL writes SM2-with-SM3
  return new pkijs.AlgorithmIdentifier({ algorithmId: OID.sm2WithSm3 });
}

/** subjectPublicKeyInfo: id-ecPublicKey with the SM2 curve as parameter (GM/T 0015 §7.2). */
export function sm2PublicKeyInfo(publicKey: string): pkijs.PublicKeyInfo {
  const p = publicKey.toLowerCase();
  if (!HEX_PUB.test(p)) throw new CertificateError("SM2 public key must be 04‖x‖y in hex");
  return new pkijs.PublicKeyInfo({
    algorithm: new pkijs.AlgorithmIdentifier({ algorithmId: OID.ecPublicKey, algorithmParams: new asn1js.ObjectIdentifier({ value: OID.sm2 }) }),
    subjectPublicKey: new asn1js.BitString({ valueHex: Buffer.from(p, "hex") }),
  });
}

/** Key identifier: the first 20 bytes of SM3 over the public key point (RFC 5280 §4.2.1.2 allows any method). */
export function keyIdentifierOf(publicKey: string): Uint8Array {
  return new Uint8Array(Buffer.from(sm3Hex(Buffer.from(publicKey.toLowerCase(), "hex")), "hex").subarray(0, 20));
}

/** A positive 128-bit serial with a non-zero first octet (RFC 5280 §4.1.2.2: at most 20 octets). */
export function randomSerial(): Uint8Array {
  const b = new Uint8Array(16);
  globalThis.crypto.getRandomValues(b);
  b[0] = b[0] & 0x7f || 0x01;
  return b;
}

export function validSubject(s: CertSubject): boolean {
  const ok = (v: string | undefined, required: boolean) => (v === undefined ? !required : typeof v === "string" && v.trim().length > 0 && [...v].length <= MAX_NAME);
  return ok(s.commonName, true) && ok(s.organization, false) && ok(s.serialNumber, false) && (s.serialNumber === undefined || PRINTABLE.test(s.serialNumber));
}

/**
 * The DER Name for a subject: C, O, CN, serialNumber, one attribute per RDN (pkijs would put them
 * all in one multi-valued RDN, which is not how names are written).
 */
export function nameOf(s: CertSubject): Uint8Array<ArrayBuffer> {
  if (!validSubject(s)) throw new CertificateError(cryptoText.ca.invalidSubject);
  const rdns: [string, asn1js.BaseBlock][] = [[OID.country, new asn1js.PrintableString({ value: "CN" })]];
  if (s.organization) rdns.push([OID.organization, new asn1js.Utf8String({ value: s.organization })]);
  rdns.push([OID.commonName, new asn1js.Utf8String({ value: s.commonName })]);
  if (s.serialNumber) rdns.push([OID.serialNumber, new asn1js.PrintableString({ value: s.serialNumber })]);
  const name = new asn1js.Sequence({
    value: rdns.map(([type, value]) => new asn1js.Set({ value: [new asn1js.Sequence({ value: [new asn1js.ObjectIdentifier({ value: type }), value] })] })),
  });
  return new Uint8Array(name.toBER(false));
}

/** A readable one-line form of a name, e.g. for the Certificate.subject column. */
export function nameToString(n: ParsedName): string {
  return [n.commonName && `CN=${n.commonName}`, n.organization && `O=${n.organization}`, n.serialNumber && `SERIALNUMBER=${n.serialNumber}`, n.country && `C=${n.country}`]
    .filter(Boolean)
    .join(", ");
}

function timeOf(d: Date): pkijs.Time {
  // RFC 5280 §4.1.2.5: UTCTime through 2049, GeneralizedTime from 2050
  return new pkijs.Time({ type: d.getUTCFullYear() < 2050 ? 0 : 1, value: toSeconds(d) });
}

/** A named-bit-list BIT STRING in DER form: trailing zero bits dropped (X.690 §11.2.2). */
function namedBits(bits: number[]): asn1js.BitString {
  const last = Math.max(...bits);
  const bytes = new Uint8Array(Math.floor(last / 8) + 1);
  for (const b of bits) bytes[b >> 3] |= 0x80 >> (b & 7);
  return new asn1js.BitString({ valueHex: bytes, unusedBits: 7 - (last & 7) });
}

const KEY_USAGE = { digitalSignature: 0, nonRepudiation: 1, keyCertSign: 5, cRLSign: 6 } as const;

function extension(extnID: string, critical: boolean, value: asn1js.BaseBlock): pkijs.Extension {
  return new pkijs.Extension({ extnID, critical, extnValue: value.toBER(false) });
}

export type CertificateTemplate = {
  serial: Uint8Array;
  /** DER Name of the issuer (the issuer certificate's subject, byte for byte); omit for self-signed */
  issuerName?: Uint8Array;
  subject: CertSubject;
  publicKey: string;
  notBefore: Date;
  notAfter: Date;
  /** a CA certificate (keyCertSign, cRLSign) or an end-entity signing certificate (digitalSignature, nonRepudiation) */
  ca: boolean;
  /** the issuer's key identifier; defaults to the subject's own (self-signed) */
  authorityKeyId?: Uint8Array;
};

/**
 * Builds the certificate, has `sign` sign the DER TBSCertificate (SM2, via the key store), and
 * returns the DER certificate. Throws if the result does not parse back to the signed TBS.
 */
export async function buildCertificate(t: CertificateTemplate, sign: (tbs: Uint8Array) => Promise<Uint8Array>): Promise<Uint8Array<ArrayBuffer>> {
  const notBefore = toSeconds(t.notBefore);
  const notAfter = toSeconds(t.notAfter);
  if (!(notAfter > notBefore)) throw new CertificateError(cryptoText.ca.badValidity);
  const subject = pkijs.RelativeDistinguishedNames.fromBER(nameOf(t.subject));
  const ski = keyIdentifierOf(t.publicKey);
  const cert = new pkijs.Certificate();
  cert.version = 2; // v3
  cert.serialNumber = new asn1js.Integer({ valueHex: t.serial });
  cert.signature = sm2AlgorithmIdentifier();
  cert.issuer = t.issuerName ? pkijs.RelativeDistinguishedNames.fromBER(Uint8Array.from(t.issuerName)) : subject;
  cert.notBefore = timeOf(notBefore);
  cert.notAfter = timeOf(notAfter);
  cert.subject = subject;
  cert.subjectPublicKeyInfo = sm2PublicKeyInfo(t.publicKey);
  const usage = t.ca ? [KEY_USAGE.keyCertSign, KEY_USAGE.cRLSign] : [KEY_USAGE.digitalSignature, KEY_USAGE.nonRepudiation];
  cert.extensions = [
    extension(OID.basicConstraints, true, new pkijs.BasicConstraints({ cA: t.ca }).toSchema()),
    extension(OID.keyUsage, true, namedBits(usage)),
    extension(OID.subjectKeyIdentifier, false, new asn1js.OctetString({ valueHex: ski })),
    extension(OID.authorityKeyIdentifier, false, new pkijs.AuthorityKeyIdentifier({ keyIdentifier: new asn1js.OctetString({ valueHex: t.authorityKeyId ?? ski }) }).toSchema()),
  ];
  cert.signatureAlgorithm = sm2AlgorithmIdentifier();

  const tbs = new Uint8Array(cert.encodeTBS().toBER(false));
  const signature = await sign(tbs);
  cert.tbsView = tbs;
  cert.signatureValue = new asn1js.BitString({ valueHex: signature });
  const der = new Uint8Array(cert.toSchema(false).toBER(false));
  if (!bytesEqual(parseCertificate(der).tbs, tbs)) throw new CertificateError("the encoded certificate does not carry the TBSCertificate that was signed");
  return der;
}

function readName(rdn: pkijs.RelativeDistinguishedNames): ParsedName {
  const out: ParsedName = {};
  for (const tv of rdn.typesAndValues) {
    const v = (tv.value as { valueBlock?: { value?: unknown } }).valueBlock?.value;
    if (typeof v !== "string") continue;
    if (tv.type === OID.commonName) out.commonName = v;
    else if (tv.type === OID.organization) out.organization = v;
    else if (tv.type === OID.serialNumber) out.serialNumber = v;
    else if (tv.type === OID.country) out.country = v;
  }
  return out;
}

function sm2PublicKeyFrom(spki: pkijs.PublicKeyInfo): string | null {
  const params = spki.algorithm.algorithmParams as unknown;
  if (spki.algorithm.algorithmId !== OID.ecPublicKey || !(params instanceof asn1js.ObjectIdentifier) || params.valueBlock.toString() !== OID.sm2) return null;
  const point = spki.subjectPublicKey.valueBlock.valueHexView;
  if (point.byteLength !== 65 || point[0] !== 0x04) return null;
  return hex(point);
}

export function parseCertificate(der: Uint8Array): ParsedCertificate {
  let cert: pkijs.Certificate;
  try {
    const parsed = asn1js.fromBER(der);
    if (parsed.offset === -1 || parsed.offset !== der.byteLength) throw new Error("not one DER value");
    cert = new pkijs.Certificate({ schema: parsed.result });
  } catch (e) {
    throw new CertificateError(`${cryptoText.chain.unparsable} (${(e as Error).message})`);
  }
  let isCa = false;
  let subjectKeyId: string | null = null;
  let authorityKeyId: string | null = null;
  for (const ext of cert.extensions ?? []) {
    try {
      const v = ext.parsedValue as unknown;
      if (ext.extnID === OID.basicConstraints && v instanceof pkijs.BasicConstraints) isCa = Boolean(v.cA);
      if (ext.extnID === OID.subjectKeyIdentifier && v instanceof asn1js.OctetString) subjectKeyId = hex(v.valueBlock.valueHexView);
      if (ext.extnID === OID.authorityKeyIdentifier && v instanceof pkijs.AuthorityKeyIdentifier && v.keyIdentifier)
        authorityKeyId = hex(v.keyIdentifier.valueBlock.valueHexView);
    } catch {
      // an extension we cannot read is simply not used
    }
  }
  return {
    der: Uint8Array.from(der),
    tbs: Uint8Array.from(cert.tbsView),
    signature: Uint8Array.from(cert.signatureValue.valueBlock.valueHexView),
    signatureAlgorithm: cert.signatureAlgorithm.algorithmId,
    tbsSignatureAlgorithm: cert.signature.algorithmId,
    version: cert.version,
    serial: hex(cert.serialNumber.valueBlock.valueHexView),
    issuerName: new Uint8Array(cert.issuer.toSchema().toBER(false)),
    subjectName: new Uint8Array(cert.subject.toSchema().toBER(false)),
    issuer: readName(cert.issuer),
    subject: readName(cert.subject),
    notBefore: cert.notBefore.value,
    notAfter: cert.notAfter.value,
    publicKey: sm2PublicKeyFrom(cert.subjectPublicKeyInfo),
    isCa,
    subjectKeyId,
    authorityKeyId,
    sm3: sm3Hex(der),
  };
}

export type ChainResult = { ok: boolean; reasons: string[] };
export type Sm2Verifier = (publicKey: string, data: Uint8Array, signature: Uint8Array, hot: boolean) => Promise<boolean>;

/**
 * Checks that `der` was issued by `root` (or is `root` itself) and both were valid at `at`:
 * signature algorithm, issuer name, authority key id, SM2 signature over the TBSCertificate,
 * validity. Revocation is the caller's (it needs the register). Reasons are in Chinese.
 */
export async function verifyIssuedBy(der: Uint8Array, root: ParsedCertificate, at: Date, verify: Sm2Verifier): Promise<ChainResult & { cert?: ParsedCertificate }> {
  let cert: ParsedCertificate;
  try {
    cert = parseCertificate(der);
  } catch {
    return { ok: false, reasons: [cryptoText.chain.unparsable] };
  }
  const reasons: string[] = [];
  if (cert.signatureAlgorithm !== OID.sm2WithSm3 || cert.tbsSignatureAlgorithm !== OID.sm2WithSm3) reasons.push(cryptoText.chain.algorithm);
  if (!bytesEqual(cert.issuerName, root.subjectName)) reasons.push(cryptoText.chain.issuer);
  if (cert.authorityKeyId && root.subjectKeyId && cert.authorityKeyId !== root.subjectKeyId) reasons.push(cryptoText.chain.authorityKey);
  const signed = root.publicKey !== null && (await verify(root.publicKey, cert.tbs, cert.signature, true));
  if (!signed) reasons.push(cryptoText.chain.signature);
  const t = at.getTime();
  if (t < cert.notBefore.getTime()) reasons.push(cryptoText.chain.notYetValid(at, cert.notBefore));
  if (t > cert.notAfter.getTime()) reasons.push(cryptoText.chain.expired(at, cert.notAfter));
  if (!bytesEqual(cert.der, root.der) && (t < root.notBefore.getTime() || t > root.notAfter.getTime())) reasons.push(cryptoText.chain.rootNotValid(at));
  return { ok: reasons.length === 0, reasons, cert };
}
