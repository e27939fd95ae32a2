// Signing licences (L-07): an SES_Signature (GB/T 38540) over SM3 of the canonical encoding, made
// with an active seal that the type's released version binds and the issuing department holds.
import "server-only";
import { AppError } from "@/lib/errors";
import { db, type Db, type Tx } from "@/lib/db";
import { keyStore } from "@/lib/crypto/keystore";
import { assembleSignatureTrusted, decodeSeal, signerListed, tbsSignEncoder } from "@/lib/crypto/ses";
import { sm3Hex } from "@/lib/crypto/sm3";
import { propertyInfoOf } from "@/lib/licenses/canonical";

export type LicenceSigner = {
  sealId: string;
  sealName: string;
  sealDer: Uint8Array;
  keyId: string;
  certDer: Uint8Array;
  picturePng: Uint8Array;
  widthMm: number;
  heightMm: number;
  /** the SignSealSnapshot holding sealDer + certDer, which every licence it signs points at */
  snapshotId: string;
};

/**
 * The seal a department signs a type's licences with: the first (in the version's order) of the
 * version's seals that the department holds and that is active and valid at `now`.
 */
export async function signerFor(tx: Db | Tx, sealIds: readonly string[], deptId: string, now: Date): Promise<LicenceSigner> {
  const seals = await tx.seal.findMany({
    where: { id: { in: [...sealIds] }, holderDeptId: deptId, status: "ACTIVE" },
    select: { id: true, name: true, sealDer: true, keyId: true, certificateId: true, picturePng: true, pictureWidthMm: true, pictureHeightMm: true, validStart: true, validEnd: true },
  });
  const ordered = sealIds.map((id) => seals.find((s) => s.id === id)).filter((s) => s !== undefined);
  const seal = ordered.find((s) => s.validStart && s.validEnd && s.validStart <= now && now <= s.validEnd && s.sealDer && s.keyId && s.certificateId && s.picturePng);
  if (!seal) throw new AppError("CONFLICT", "本部门没有绑定到该证照类型、且在有效期内的电子印章，不能签发（请在证照目录中为该类型绑定本部门的印章）");
  const cert = await tx.certificate.findUniqueOrThrow({ where: { id: seal.certificateId! }, select: { der: true } });
  if (!signerListed(decodeSeal(seal.sealDer!), cert.der)) throw new AppError("CONFLICT", "印章的签章人证书与印章不符，不能签发");
  const snapshotId = await snapshotFor(seal.id, seal.sealDer!, cert.der);
  return {
    snapshotId,
    sealId: seal.id,
    sealName: seal.name,
    sealDer: seal.sealDer!,
    keyId: seal.keyId!,
    certDer: cert.der,
    picturePng: seal.picturePng!,
    widthMm: seal.pictureWidthMm ?? 42,
    heightMm: seal.pictureHeightMm ?? 42,
  };
}

// ---- compact storage ---------------------------------------------------------------------------
// A licence stores the SM2 signature value (about 72 bytes) and points at a SignSealSnapshot (the
// SESeal and signer certificate, about 20 KB, stored once per seal structure). The SES_Signature is
// rebuilt on demand: DER is deterministic, and every other member is on the licence row (signing
// time, data hash = canonicalSm3, propertyInfo from the identifier), so the rebuilt bytes are the
// signed ones (tests/integration/licence-issue compares them with OpenSSL).

const snapshotIds = new Map<string, string>();

/**
 * The snapshot of a seal structure and certificate, created on first use. Written outside the
 * caller's transaction: it is immutable reference data, harmless if the signing is rolled back, and
 * an id cached here is then always a committed row.
 */
async function snapshotFor(sealId: string, sealDer: Uint8Array, certDer: Uint8Array): Promise<string> {
  const digest = sm3Hex(Buffer.concat([sealDer, certDer]));
  const known = snapshotIds.get(digest);
  if (known) return known;
  await db().signSealSnapshot.createMany({ data: [{ sealId, digest, sealDer: new Uint8Array(sealDer), certDer: new Uint8Array(certDer) }], skipDuplicates: true });
  const row = await db().signSealSnapshot.findUniqueOrThrow({ where: { digest }, select: { id: true } });
  snapshotIds.set(digest, row.id);
  return row.id;
}

type Snapshot = { encode: ReturnType<typeof tbsSignEncoder>; certDer: Uint8Array };
const snapshots = new Map<string, Snapshot>();

async function snapshot(tx: Db | Tx, id: string): Promise<Snapshot> {
  const hit = snapshots.get(id);
  if (hit) return hit;
  const row = await tx.signSealSnapshot.findUniqueOrThrow({ where: { id }, select: { sealDer: true, certDer: true } });
  const s = { encode: tbsSignEncoder(new Uint8Array(row.sealDer)), certDer: new Uint8Array(row.certDer) };
  if (snapshots.size >= 256) snapshots.delete(snapshots.keys().next().value!);
  snapshots.set(id, s);
  return s;
}

export type StoredSignature = {
  identifier: string;
  canonicalSm3: string;
  signedAt: Date | null;
  signature: Uint8Array | null;
  signatureValue: Uint8Array | null;
  signSnapshotId: string | null;
};

/** The columns `licenceSignatureDer` needs, for a Prisma `select`. */
export const storedSignatureSelect = { identifier: true, canonicalSm3: true, signedAt: true, signature: true, signatureValue: true, signSnapshotId: true } as const;

/**
 * The licence's SES_Signature (GB/T 38540 DER): rebuilt from the compact columns, or the whole
 * structure stored by licences signed before compact storage. Null when unsigned.
 */
export async function licenceSignatureDer(tx: Db | Tx, row: StoredSignature): Promise<Uint8Array<ArrayBuffer> | null> {
  if (row.signatureValue && row.signatureValue.length > 0 && row.signSnapshotId && row.signedAt) {
    const s = await snapshot(tx, row.signSnapshotId);
    const tbs = s.encode({ timeInfo: seconds(row.signedAt), dataHash: Buffer.from(row.canonicalSm3, "hex"), propertyInfo: propertyInfoOf(row.identifier) });
    return new Uint8Array(assembleSignatureTrusted(tbs, s.certDer, row.signatureValue));
  }
  return row.signature && row.signature.length > 0 ? new Uint8Array(row.signature) : null;
}

/** GeneralizedTime carries whole seconds; the signature time is the issue time truncated. */
function seconds(d: Date): Date {
  return new Date(Math.floor(d.getTime() / 1000) * 1000);
}

/**
 * Signs the canonical encodings as SES_Signatures, in the order given; all or nothing. The private
 * key signs in the worker pool (several licences per call when bulk-issuing). Returns what a
 * licence row stores: the SM2 signature values (the SES_Signature's `signature` member) and the
 * signing time as `licenceSignatureDer` rebuilds it.
 */
export async function signLicences(signer: LicenceSigner, items: { identifier: string; canonical: Uint8Array }[], time: Date): Promise<{ signedAt: Date; values: Uint8Array<ArrayBuffer>[] }> {
  const timeInfo = seconds(time);
  const encode = tbsSignEncoder(signer.sealDer);
  const tbs = items.map((it) => encode({ timeInfo, dataHash: Buffer.from(sm3Hex(it.canonical), "hex"), propertyInfo: propertyInfoOf(it.identifier) }));
  const sigs = await keyStore().signMany(tbs.map((data) => ({ keyId: signer.keyId, data })));
  return { signedAt: timeInfo, values: sigs.map((v) => new Uint8Array(v)) };
}

/** The row members a signing writes (compact storage; the whole structure column is cleared). */
export function signedColumns(signer: LicenceSigner, signedAt: Date, value: Uint8Array<ArrayBuffer>) {
  return { signature: null, signatureValue: value, signSnapshotId: signer.snapshotId, signedAt, sealId: signer.sealId };
}
