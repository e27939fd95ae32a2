// Signing licences (L-07): an SES_Signature (GB/T 38540) over SM3 of the canonical encoding, made
// with an active seal that the type's released version binds and the issuing department holds.
import "server-only";
import { AppError } from "@/lib/errors";
import type { Db, Tx } from "@/lib/db";
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
  return {
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

/** GeneralizedTime carries whole seconds; the signature time is the issue time truncated. */
function seconds(d: Date): Date {
  return new Date(Math.floor(d.getTime() / 1000) * 1000);
}

/**
 * SES_Signatures over the canonical encodings, in the order given; all or nothing. The private
 * key signs in the worker pool (several licences per call when bulk-issuing).
 */
export async function signLicences(signer: LicenceSigner, items: { identifier: string; canonical: Uint8Array }[], time: Date): Promise<Uint8Array<ArrayBuffer>[]> {
  const timeInfo = seconds(time);
  const encode = tbsSignEncoder(signer.sealDer);
  const tbs = items.map((it) => encode({ timeInfo, dataHash: Buffer.from(sm3Hex(it.canonical), "hex"), propertyInfo: propertyInfoOf(it.identifier) }));
  const sigs = await keyStore().signMany(tbs.map((data) => ({ keyId: signer.keyId, data })));
  return tbs.map((t, i) => new Uint8Array(assembleSignatureTrusted(t, signer.certDer, sigs[i])));
}
