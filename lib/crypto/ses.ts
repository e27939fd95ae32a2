// GB/T 38540-2020 electronic seal structures ("version 4"), encoded and decoded with asn1js as
// STANDARDS.md lays them out (field order and tags as in the public v4 implementations):
//
//   SESeal        ::= SEQUENCE { eSealInfo SES_SealInfo, cert OCTET STRING (maker certificate),
//                                signAlgID OBJECT IDENTIFIER, signedValue BIT STRING }
//   SES_SealInfo  ::= SEQUENCE { header SEQUENCE { ID IA5String "ES", version INTEGER 4, vid IA5String },
//                                esID IA5String, property SES_ESPropertyInfo, picture SES_ESPictrueInfo,
//                                extDatas ExtensionDatas OPTIONAL }
//   SES_ESPropertyInfo ::= SEQUENCE { type INTEGER, name UTF8String, certListType INTEGER,
//                                certList SES_CertList, createDate, validStart, validEnd GeneralizedTime }
//   SES_CertList  ::= CHOICE { certs SEQUENCE OF OCTET STRING (type 1),
//                                certDigestList SEQUENCE OF SEQUENCE { type PrintableString, value OCTET STRING } (type 2) }
//   SES_ESPictrueInfo ::= SEQUENCE { type IA5String, data OCTET STRING, width INTEGER, height INTEGER } (mm)
//   ExtData       ::= SEQUENCE { extnID OBJECT IDENTIFIER, critical BOOLEAN DEFAULT FALSE, extnValue OCTET STRING }
//   SES_Signature ::= SEQUENCE { toSign TBS_Sign, cert OCTET STRING (signer certificate),
//                                signatureAlgID OBJECT IDENTIFIER, signature BIT STRING,
//                                timeStamp [0] EXPLICIT BIT STRING OPTIONAL }
//   TBS_Sign      ::= SEQUENCE { version INTEGER 4, eseal SESeal, timeInfo GeneralizedTime,
//                                dataHash BIT STRING (SM3 of the document), propertyInfo IA5String,
//                                extDatas [0] EXPLICIT ExtensionDatas OPTIONAL }
//
// The maker signs DER(eSealInfo); the signer signs DER(TBS_Sign); both SM2 with SM3.
import "server-only";
import * as asn1js from "asn1js";
import { AppError } from "@/lib/errors";
import { poolVerifier, verifyCertificateChain } from "@/lib/crypto/ca";
import { keyStore, type KeyStore } from "@/lib/crypto/keystore";
import { cryptoText } from "@/lib/crypto/messages";
import { OID, SES } from "@/lib/crypto/oids";
import { sm3Hex } from "@/lib/crypto/sm3";
import { bytesEqual, parseCertificate, toSeconds, type ChainResult, type ParsedName, type Sm2Verifier } from "@/lib/crypto/x509";

export type PictureType = "PNG" | "SVG" | "ofd";
export type ExtData = { extnID: string; critical?: boolean; extnValue: Uint8Array };

export type SealInfo = {
  /** vendor id (header.vid) */
  vid: string;
  /** seal code: 6-digit area code + 8-digit sequence */
  esID: string;
  property: {
    /** our own seal-type enum, mapped to an integer (GB/T 38540 leaves it to the implementer) */
    type: number;
    name: string;
    /** DER certificates of the signers allowed to use the seal */
    certList: Uint8Array[];
    createDate: Date;
    validStart: Date;
    validEnd: Date;
  };
  picture: { type: PictureType; data: Uint8Array; width: number; height: number };
  extDatas?: ExtData[];
};

export type DecodedSeal = {
  der: Uint8Array;
  /** DER(eSealInfo) exactly as in `der`: what the maker signed */
  infoDer: Uint8Array;
  header: { id: string; version: number; vid: string };
  esID: string;
  property: {
    type: number;
    name: string;
    certListType: number;
    /** DER certificates (certListType 1) */
    certList: Uint8Array[];
    /** certificate digests (certListType 2) */
    certDigests: { type: string; value: Uint8Array }[];
    createDate: Date;
    validStart: Date;
    validEnd: Date;
  };
  picture: { type: string; data: Uint8Array; width: number; height: number };
  extDatas?: ExtData[];
  makerCert: Uint8Array;
  signAlgID: string;
  signedValue: Uint8Array;
};

export type DecodedSignature = {
  der: Uint8Array;
  /** DER(TBS_Sign) exactly as in `der`: what the signer signed */
  tbsDer: Uint8Array;
  version: number;
  seal: DecodedSeal;
  timeInfo: Date;
  dataHash: Uint8Array;
  propertyInfo: string;
  extDatas?: ExtData[];
  signerCert: Uint8Array;
  signatureAlgID: string;
  signature: Uint8Array;
  timeStamp?: Uint8Array;
};

/** A structure that is not a valid GB/T 38540 v4 seal or signature. */
export class SesFormatError extends Error {}

// ---- encoding helpers --------------------------------------------------------------------------

const ASCII = /^[\x20-\x7e]*$/;
const ia5 = (value: string, what: string) => {
  if (!ASCII.test(value)) throw new SesFormatError(`${what} must be printable ASCII (IA5String)`);
  return new asn1js.IA5String({ value });
};
const int = (value: number) => new asn1js.Integer({ value });
const gtime = (d: Date) => new asn1js.GeneralizedTime({ valueDate: toSeconds(d) });
const octets = (b: Uint8Array) => new asn1js.OctetString({ valueHex: b });
const bits = (b: Uint8Array) => new asn1js.BitString({ valueHex: b });
const oid = (value: string) => new asn1js.ObjectIdentifier({ value });
const explicit0 = (inner: asn1js.BaseBlock) => new asn1js.Constructed({ idBlock: { tagClass: 3, tagNumber: 0 }, value: [inner] });

function encodeExtDatas(ext: ExtData[]): asn1js.Sequence {
  return new asn1js.Sequence({
    value: ext.map((e) => new asn1js.Sequence({ value: [oid(e.extnID), ...(e.critical ? [new asn1js.Boolean({ value: true })] : []), octets(e.extnValue)] })),
  });
}

function checkInfo(info: SealInfo) {
  const p = info.property;
  const okDate = (d: Date) => d instanceof Date && !Number.isNaN(d.getTime());
  if (!info.esID || !info.vid) throw new SesFormatError("esID and vid are required");
  if (!Number.isInteger(p.type) || !p.name || p.certList.length === 0) throw new SesFormatError("property needs an integer type, a name and at least one certificate");
  if (![p.createDate, p.validStart, p.validEnd].every(okDate) || !(p.validEnd > p.validStart)) throw new SesFormatError("property dates are invalid");
  const pic = info.picture;
  if (!["PNG", "SVG", "ofd"].includes(pic.type) || pic.data.byteLength === 0) throw new SesFormatError("picture must be PNG, SVG or ofd data");
  if (![pic.width, pic.height].every((n) => Number.isInteger(n) && n > 0 && n < 1000)) throw new SesFormatError("picture width and height are whole millimetres");
}

/** DER(SES_SealInfo): the bytes the maker signs. */
export function encodeSealInfo(info: SealInfo): Uint8Array {
  checkInfo(info);
  const p = info.property;
  const seq = new asn1js.Sequence({
    value: [
      new asn1js.Sequence({ value: [ia5(SES.headerId, "header.ID"), int(SES.version), ia5(info.vid, "vid")] }),
      ia5(info.esID, "esID"),
      new asn1js.Sequence({
        value: [
          int(p.type),
          new asn1js.Utf8String({ value: p.name }),
          int(SES.certListCertificates),
          new asn1js.Sequence({ value: p.certList.map(octets) }),
          gtime(p.createDate),
          gtime(p.validStart),
          gtime(p.validEnd),
        ],
      }),
      new asn1js.Sequence({ value: [ia5(info.picture.type, "picture.type"), octets(info.picture.data), int(info.picture.width), int(info.picture.height)] }),
      ...(info.extDatas?.length ? [encodeExtDatas(info.extDatas)] : []),
    ],
  });
  return new Uint8Array(seq.toBER(false));
}

/** SESeal from its signed parts (exported for tests that need to forge one). */
export function assembleSeal(infoDer: Uint8Array, makerCert: Uint8Array, signedValue: Uint8Array, signAlgID: string = OID.sm2WithSm3): Uint8Array {
  const seq = new asn1js.Sequence({ value: [parseDer(infoDer, "eSealInfo"), octets(makerCert), oid(signAlgID), bits(signedValue)] });
  return new Uint8Array(seq.toBER(false));
}

export type TbsSignFields = { sealDer: Uint8Array; timeInfo: Date; dataHash: Uint8Array; propertyInfo: string; extDatas?: ExtData[]; version?: number };

/** DER(TBS_Sign): the bytes the signer signs. */
export function encodeTbsSign(f: TbsSignFields): Uint8Array {
  const seq = new asn1js.Sequence({
    value: [
      int(f.version ?? SES.version),
      parseDer(f.sealDer, "eseal"),
      gtime(f.timeInfo),
      bits(f.dataHash),
      ia5(f.propertyInfo, "propertyInfo"),
      ...(f.extDatas?.length ? [explicit0(encodeExtDatas(f.extDatas))] : []),
    ],
  });
  return new Uint8Array(seq.toBER(false));
}

/** DER length octets (X.690 §8.1.3, definite form). */
function derLength(n: number): Uint8Array {
  if (n < 0x80) return Uint8Array.of(n);
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff);
  return Uint8Array.of(0x80 | bytes.length, ...bytes);
}

/** A DER SEQUENCE of members that are each already DER: the bytes asn1js writes, without re-parsing them. */
function derSequence(members: Uint8Array[]): Uint8Array {
  const len = members.reduce((n, m) => n + m.byteLength, 0);
  const head = derLength(len);
  const out = new Uint8Array(1 + head.byteLength + len);
  out[0] = 0x30;
  out.set(head, 1);
  let at = 1 + head.byteLength;
  for (const m of members) {
    out.set(m, at);
    at += m.byteLength;
  }
  return out;
}

const berOf = (b: asn1js.BaseBlock) => new Uint8Array(b.toBER(false));

/**
 * encodeTbsSign for many documents signed with one seal (bulk issuing): the seal is checked to be
 * DER once, then spliced into each TBS_Sign as it is — the same bytes as encodeTbsSign, without
 * re-parsing a ~20 KB SESeal per document.
 */
export function tbsSignEncoder(sealDer: Uint8Array): (f: Omit<TbsSignFields, "sealDer">) => Uint8Array {
  parseDer(sealDer, "eseal");
  return (f) =>
    derSequence([
      berOf(int(f.version ?? SES.version)),
      sealDer,
      berOf(gtime(f.timeInfo)),
      berOf(bits(f.dataHash)),
      berOf(ia5(f.propertyInfo, "propertyInfo")),
      ...(f.extDatas?.length ? [berOf(explicit0(encodeExtDatas(f.extDatas)))] : []),
    ]);
}

/** assembleSignature for a TBS_Sign this process has just encoded (trusted DER: spliced, not re-parsed). */
export function assembleSignatureTrusted(tbsDer: Uint8Array, signerCert: Uint8Array, signature: Uint8Array): Uint8Array {
  return derSequence([tbsDer, berOf(octets(signerCert)), berOf(oid(OID.sm2WithSm3)), berOf(bits(signature))]);
}

/** SES_Signature from its signed parts (exported for tests that need to forge one). */
export function assembleSignature(tbsDer: Uint8Array, signerCert: Uint8Array, signature: Uint8Array, opts: { signatureAlgID?: string; timeStamp?: Uint8Array } = {}): Uint8Array {
  const seq = new asn1js.Sequence({
    value: [
      parseDer(tbsDer, "toSign"),
      octets(signerCert),
      oid(opts.signatureAlgID ?? OID.sm2WithSm3),
      bits(signature),
      ...(opts.timeStamp ? [explicit0(bits(opts.timeStamp))] : []),
    ],
  });
  return new Uint8Array(seq.toBER(false));
}

// ---- decoding helpers (strict: DER only, exact types) -------------------------------------------

function parseDer(der: Uint8Array, what: string): asn1js.AsnType {
  const parsed = asn1js.fromBER(der);
  if (parsed.offset === -1 || parsed.offset !== der.byteLength) throw new SesFormatError(`${what}: not one BER value`);
  if (!bytesEqual(new Uint8Array(parsed.result.toBER(false)), der)) throw new SesFormatError(`${what}: ${cryptoText.ses.notDer}`);
  return parsed.result;
}

function seq(b: unknown, what: string, min: number, max: number): asn1js.BaseBlock[] {
  if (!(b instanceof asn1js.Sequence)) throw new SesFormatError(`${what}: SEQUENCE expected`);
  const v = b.valueBlock.value;
  if (v.length < min || v.length > max) throw new SesFormatError(`${what}: ${min}–${max} elements expected, found ${v.length}`);
  return v;
}
const raw = (b: asn1js.BaseBlock) => Uint8Array.from(b.valueBeforeDecodeView);

function getInt(b: unknown, what: string): number {
  if (!(b instanceof asn1js.Integer)) throw new SesFormatError(`${what}: INTEGER expected`);
  const v = b.toBigInt();
  if (v > BigInt(Number.MAX_SAFE_INTEGER) || v < -BigInt(Number.MAX_SAFE_INTEGER)) throw new SesFormatError(`${what}: INTEGER out of range`);
  return Number(v);
}
function getIa5(b: unknown, what: string): string {
  if (!(b instanceof asn1js.IA5String)) throw new SesFormatError(`${what}: IA5String expected`);
  return b.valueBlock.value;
}
function getUtf8(b: unknown, what: string): string {
  if (!(b instanceof asn1js.Utf8String)) throw new SesFormatError(`${what}: UTF8String expected`);
  return b.valueBlock.value;
}
function getTime(b: unknown, what: string): Date {
  if (!(b instanceof asn1js.GeneralizedTime)) throw new SesFormatError(`${what}: GeneralizedTime expected`);
  const d = b.toDate();
  if (Number.isNaN(d.getTime())) throw new SesFormatError(`${what}: invalid time`);
  return d;
}
function getOctets(b: unknown, what: string): Uint8Array {
  if (!(b instanceof asn1js.OctetString) || b.idBlock.isConstructed) throw new SesFormatError(`${what}: OCTET STRING expected`);
  return Uint8Array.from(b.valueBlock.valueHexView);
}
function getBits(b: unknown, what: string): Uint8Array {
  if (!(b instanceof asn1js.BitString) || b.idBlock.isConstructed || b.valueBlock.unusedBits !== 0) throw new SesFormatError(`${what}: BIT STRING of whole octets expected`);
  return Uint8Array.from(b.valueBlock.valueHexView);
}
function getOid(b: unknown, what: string): string {
  if (!(b instanceof asn1js.ObjectIdentifier)) throw new SesFormatError(`${what}: OBJECT IDENTIFIER expected`);
  return b.valueBlock.toString();
}
function getExplicit0(b: asn1js.BaseBlock, what: string): asn1js.BaseBlock {
  if (b.idBlock.tagClass !== 3 || b.idBlock.tagNumber !== 0 || !(b instanceof asn1js.Constructed) || b.valueBlock.value.length !== 1)
    throw new SesFormatError(`${what}: [0] EXPLICIT expected`);
  return b.valueBlock.value[0];
}
function getExtDatas(b: unknown, what: string): ExtData[] {
  return seq(b, what, 0, 1000).map((e, i) => {
    const parts = seq(e, `${what}[${i}]`, 2, 3);
    const critical = parts.length === 3;
    if (critical && !(parts[1] instanceof asn1js.Boolean && parts[1].valueBlock.value)) throw new SesFormatError(`${what}[${i}].critical: TRUE expected (FALSE is the default, omitted in DER)`);
    return { extnID: getOid(parts[0], `${what}[${i}].extnID`), critical, extnValue: getOctets(parts[parts.length - 1], `${what}[${i}].extnValue`) };
  });
}

function readSeal(node: asn1js.AsnType, der: Uint8Array): DecodedSeal {
  const [infoNode, certNode, algNode, valueNode] = seq(node, "SESeal", 4, 4);
  const [headerNode, esIdNode, propertyNode, pictureNode, extNode] = seq(infoNode, "eSealInfo", 4, 5);
  const [hId, hVersion, hVid] = seq(headerNode, "header", 3, 3);
  const header = { id: getIa5(hId, "header.ID"), version: getInt(hVersion, "header.version"), vid: getIa5(hVid, "header.vid") };
  if (header.id !== SES.headerId || header.version !== SES.version) throw new SesFormatError(`header: "ES" version 4 expected, found "${header.id}" version ${header.version}`);
  const p = seq(propertyNode, "property", 7, 7);
  const certListType = getInt(p[2], "property.certListType");
  const certList: Uint8Array[] = [];
  const certDigests: { type: string; value: Uint8Array }[] = [];
  const items = seq(p[3], "property.certList", 1, 1000);
  if (certListType === SES.certListCertificates) items.forEach((c, i) => certList.push(getOctets(c, `certList[${i}]`)));
  else if (certListType === SES.certListDigests)
    items.forEach((c, i) => {
      const [t, v] = seq(c, `certList[${i}]`, 2, 2);
      if (!(t instanceof asn1js.PrintableString)) throw new SesFormatError(`certList[${i}].type: PrintableString expected`);
      certDigests.push({ type: t.valueBlock.value, value: getOctets(v, `certList[${i}].value`) });
    });
  else throw new SesFormatError(`property.certListType: 1 or 2 expected, found ${certListType}`);
  const [picType, picData, picW, picH] = seq(pictureNode, "picture", 4, 4);
  return {
    der,
    infoDer: raw(infoNode),
    header,
    esID: getIa5(esIdNode, "esID"),
    property: {
      type: getInt(p[0], "property.type"),
      name: getUtf8(p[1], "property.name"),
      certListType,
      certList,
      certDigests,
      createDate: getTime(p[4], "property.createDate"),
      validStart: getTime(p[5], "property.validStart"),
      validEnd: getTime(p[6], "property.validEnd"),
    },
    picture: { type: getIa5(picType, "picture.type"), data: getOctets(picData, "picture.data"), width: getInt(picW, "picture.width"), height: getInt(picH, "picture.height") },
    ...(extNode ? { extDatas: getExtDatas(extNode, "eSealInfo.extDatas") } : {}),
    makerCert: getOctets(certNode, "SESeal.cert"),
    signAlgID: getOid(algNode, "SESeal.signAlgID"),
    signedValue: getBits(valueNode, "SESeal.signedValue"),
  };
}

export function decodeSeal(der: Uint8Array): DecodedSeal {
  const bytes = Uint8Array.from(der);
  return readSeal(parseDer(bytes, "SESeal"), bytes);
}

export function decodeSignature(der: Uint8Array): DecodedSignature {
  const bytes = Uint8Array.from(der);
  const [tbsNode, certNode, algNode, sigNode, tsNode] = seq(parseDer(bytes, "SES_Signature"), "SES_Signature", 4, 5);
  const [vNode, sealNode, timeNode, hashNode, propNode, extNode] = seq(tbsNode, "toSign", 5, 6);
  return {
    der: bytes,
    tbsDer: raw(tbsNode),
    version: getInt(vNode, "toSign.version"),
    seal: readSeal(sealNode, raw(sealNode)),
    timeInfo: getTime(timeNode, "toSign.timeInfo"),
    dataHash: getBits(hashNode, "toSign.dataHash"),
    propertyInfo: getIa5(propNode, "toSign.propertyInfo"),
    ...(extNode ? { extDatas: getExtDatas(getExplicit0(extNode, "toSign.extDatas"), "toSign.extDatas") } : {}),
    signerCert: getOctets(certNode, "SES_Signature.cert"),
    signatureAlgID: getOid(algNode, "SES_Signature.signatureAlgID"),
    signature: getBits(sigNode, "SES_Signature.signature"),
    ...(tsNode ? { timeStamp: getBits(getExplicit0(tsNode, "timeStamp"), "timeStamp") } : {}),
  };
}

// ---- making and signing ------------------------------------------------------------------------

async function certMatchesKey(certDer: Uint8Array, keyId: string, ks: KeyStore): Promise<boolean> {
  let pub: string | null;
  try {
    pub = parseCertificate(certDer).publicKey;
  } catch {
    return false;
  }
  return pub !== null && pub === (await ks.publicKey(keyId)).toLowerCase();
}

/** Produces an SESeal: the seal-making unit's key (`makerKeyId`, certified by `makerCertDer`) signs DER(eSealInfo) (S-04). */
export async function makeSeal(info: SealInfo, makerKeyId: string, makerCertDer: Uint8Array, opts: { keyStore?: KeyStore } = {}): Promise<Uint8Array> {
  const ks = opts.keyStore ?? keyStore();
  if (!(await certMatchesKey(makerCertDer, makerKeyId, ks))) throw new AppError("CONFLICT", cryptoText.ca.keyMismatch);
  const infoDer = encodeSealInfo(info);
  const signedValue = await ks.sign(makerKeyId, infoDer);
  return assembleSeal(infoDer, makerCertDer, signedValue);
}

export function signerListed(seal: DecodedSeal, signerCert: Uint8Array): boolean {
  if (seal.property.certListType === SES.certListCertificates) return seal.property.certList.some((c) => bytesEqual(c, signerCert));
  const digest = Buffer.from(sm3Hex(signerCert), "hex");
  return seal.property.certDigests.some((d) => bytesEqual(d.value, digest));
}

export type SignDocumentInput = {
  sealDer: Uint8Array;
  signerKeyId: string;
  signerCertDer: Uint8Array;
  document: Uint8Array;
  /** what is protected, e.g. the file id (IA5String) */
  propertyInfo: string;
  time?: Date;
  extDatas?: ExtData[];
};

/**
 * Signs a document with a seal: SES_Signature over SM3(document). Refuses a signer whose
 * certificate is not byte-for-byte in the seal's certList, whose key does not match that
 * certificate, or a time outside the seal's validity.
 */
export async function signDocument(input: SignDocumentInput, opts: { keyStore?: KeyStore } = {}): Promise<Uint8Array> {
  const ks = opts.keyStore ?? keyStore();
  const seal = decodeSeal(input.sealDer);
  const time = toSeconds(input.time ?? new Date());
  if (!signerListed(seal, input.signerCertDer)) throw new AppError("CONFLICT", cryptoText.ses.signerNotInSeal);
  if (!(await certMatchesKey(input.signerCertDer, input.signerKeyId, ks))) throw new AppError("CONFLICT", cryptoText.ses.signerKeyMismatch);
  const { validStart, validEnd } = seal.property;
  if (time < validStart || time > validEnd) throw new AppError("CONFLICT", cryptoText.ses.sealNotValidAt(time, validStart, validEnd));
  if (!input.propertyInfo || input.propertyInfo.length > 1000 || !ASCII.test(input.propertyInfo)) throw new AppError("INVALID_INPUT", cryptoText.ses.propertyInfo);
  const tbsDer = encodeTbsSign({
    sealDer: seal.der,
    timeInfo: time,
    dataHash: Buffer.from(sm3Hex(input.document), "hex"),
    propertyInfo: input.propertyInfo,
    extDatas: input.extDatas,
  });
  const signature = await ks.sign(input.signerKeyId, tbsDer);
  return assembleSignature(tbsDer, input.signerCertDer, signature);
}

// ---- verification ------------------------------------------------------------------------------

export type SealStatus = "ACTIVE" | "CANCELLED" | "EXPIRED" | "SUSPENDED" | "UNKNOWN";
export type CheckKey = "documentUnchanged" | "signerChainsToCa" | "signerListedInSeal" | "sealValidAtSigningTime" | "sealStatusNow" | "makerSignatureValid" | "signatureValid";
export type Check = { key: CheckKey; ok: boolean; message: string };

export type VerificationReport = {
  /** every check except sealStatusNow: a seal cancelled later leaves earlier signatures valid (S-07) */
  valid: boolean;
  /** the seal's status now, reported apart from `valid` (null when the signature could not be read) */
  sealStatus: SealStatus | null;
  checks: Check[];
  /** what was signed, by whom and when (absent when the structure could not be read) */
  signed?: { esID: string; sealName: string; signer: ParsedName | null; time: Date; propertyInfo: string };
};

export type VerifyOptions = {
  /** the seal's status in the register (the seal service provides it) */
  sealStatus?: (esID: string) => Promise<SealStatus>;
  now?: Date;
  /** chain verification; default: the platform CA (ca.ts, from the database) */
  chain?: (certDer: Uint8Array, at: Date) => Promise<ChainResult>;
  /** SM2 verification; default: the worker pool */
  verify?: Sm2Verifier;
};

const ORDER: CheckKey[] = ["documentUnchanged", "signerChainsToCa", "signerListedInSeal", "sealValidAtSigningTime", "sealStatusNow", "makerSignatureValid", "signatureValid"];

/** Verifies an SES_Signature over `document` and explains each failed check in Chinese. */
export async function verifySignature(document: Uint8Array, sesSignatureDer: Uint8Array, opts: VerifyOptions = {}): Promise<VerificationReport> {
  const chain = opts.chain ?? verifyCertificateChain;
  const verify = opts.verify ?? poolVerifier;
  const now = opts.now ?? new Date();
  const t = cryptoText.ses.checks;

  let s: DecodedSignature;
  try {
    s = decodeSignature(sesSignatureDer);
  } catch {
    return { valid: false, sealStatus: null, checks: ORDER.map((key) => ({ key, ok: false, message: cryptoText.ses.unparsable })) };
  }
  const seal = s.seal;
  const checks = new Map<CheckKey, Check>();
  const put = (key: CheckKey, ok: boolean, message: string) => checks.set(key, { key, ok, message });

  let signer: ReturnType<typeof parseCertificate> | null = null;
  try {
    signer = parseCertificate(s.signerCert);
  } catch {
    signer = null;
  }
  let maker: ReturnType<typeof parseCertificate> | null = null;
  try {
    maker = parseCertificate(seal.makerCert);
  } catch {
    maker = null;
  }

  const [signerChain, makerChain, makerSigOk, signerSigOk] = await Promise.all([
    chain(s.signerCert, s.timeInfo),
    chain(seal.makerCert, seal.property.createDate),
    maker?.publicKey && seal.signAlgID === OID.sm2WithSm3 ? verify(maker.publicKey, seal.infoDer, seal.signedValue, false) : false,
    signer?.publicKey && s.signatureAlgID === OID.sm2WithSm3 ? verify(signer.publicKey, s.tbsDer, s.signature, false) : false,
  ]);

  const hashOk = bytesEqual(s.dataHash, Buffer.from(sm3Hex(document), "hex"));
  put("documentUnchanged", hashOk, hashOk ? t.documentUnchanged.ok : t.documentUnchanged.fail);

  put("signerChainsToCa", signerChain.ok, signerChain.ok ? t.signerChainsToCa.ok : t.signerChainsToCa.fail(signerChain.reasons));

  const listed = signerListed(seal, s.signerCert);
  put("signerListedInSeal", listed, listed ? t.signerListedInSeal.ok : t.signerListedInSeal.fail);

  const { validStart, validEnd } = seal.property;
  const inValidity = s.timeInfo >= validStart && s.timeInfo <= validEnd;
  put("sealValidAtSigningTime", inValidity, inValidity ? t.sealValidAtSigningTime.ok : t.sealValidAtSigningTime.fail(s.timeInfo, validStart, validEnd));

  let status: SealStatus | null = null;
  if (opts.sealStatus) status = await opts.sealStatus(seal.esID);
  else if (now > validEnd) status = "EXPIRED";
  put("sealStatusNow", status === "ACTIVE", status === null ? t.sealStatusNow.notAsked : status === "ACTIVE" ? t.sealStatusNow.ok : t.sealStatusNow[status]);

  if (!makerChain.ok) put("makerSignatureValid", false, t.makerSignatureValid.chain(makerChain.reasons));
  else put("makerSignatureValid", makerSigOk, makerSigOk ? t.makerSignatureValid.ok : t.makerSignatureValid.fail);

  if (s.version !== SES.version) put("signatureValid", false, t.signatureValid.version);
  else if (s.signatureAlgID !== OID.sm2WithSm3) put("signatureValid", false, t.signatureValid.algorithm);
  else put("signatureValid", signerSigOk, signerSigOk ? t.signatureValid.ok : t.signatureValid.fail);

  const list = ORDER.map((k) => checks.get(k)!);
  return {
    valid: list.every((c) => c.key === "sealStatusNow" || c.ok),
    sealStatus: status,
    checks: list,
    signed: { esID: seal.esID, sealName: seal.property.name, signer: signer?.subject ?? null, time: s.timeInfo, propertyInfo: s.propertyInfo },
  };
}
