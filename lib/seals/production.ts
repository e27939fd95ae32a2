// Making a seal's cryptographic material (S-03, S-04): a key pair in the key store, a seal
// certificate from the platform CA, the standard picture (or the kept one on renewal), and the
// SESeal (GB/T 38540 v4) signed by the seal-making unit's maker certificate.
import "server-only";
import { db } from "@/lib/db";
import { keyStore } from "@/lib/crypto/keystore";
import { issueCertificate } from "@/lib/crypto/ca";
import { makeSeal } from "@/lib/crypto/ses";
import { sm3Hex } from "@/lib/crypto/sm3";
import { pictureInfo, renderSealPng, renderSealSvg, standardSpec } from "@/lib/seals/picture";
import { sesTypeOf } from "@/lib/seals/kinds";
/** header.vid of our SESeal structures (GB/T 38540: the vendor identifier). */
export const SES_VENDOR_ID = "certseal";

import type { Seal, Department } from "@/lib/generated/prisma/client";

/**
 * The seal-making unit's maker key and certificate, made once per unit and reused. `validFrom`:
 * the createDate of the seal about to be made; a fresh maker certificate starts no later than
 * that, or the seal's maker signature would be checked at a time before its certificate began.
 */
export async function makerCredential(makerDeptId: string, validFrom?: Date) {
  const label = `maker:${makerDeptId}`;
  const now = new Date();
  const existing = await db().certificate.findFirst({
    where: { kind: "MAKER", revokedAt: null, notAfter: { gt: new Date(now.getTime() + 86_400_000) }, key: { label, disabledAt: null } },
    orderBy: { createdAt: "desc" },
  });
  if (existing?.keyId) return { keyId: existing.keyId, certDer: new Uint8Array(existing.der) };
  const dept = await db().department.findUniqueOrThrow({ where: { id: makerDeptId } });
  const k = await keyStore().generate(label);
  const cert = await issueCertificate({
    kind: "MAKER",
    subject: { commonName: `${dept.name}（印章制作）`.slice(0, 64), organization: dept.name.slice(0, 64), serialNumber: dept.uscc },
    publicKey: k.publicKey,
    keyId: k.keyId,
    notBefore: validFrom && validFrom < now ? validFrom : now,
  });
  return { keyId: k.keyId, certDer: cert.der };
}

export type MadeSeal = {
  keyId: string;
  certificateId: string;
  serial: string;
  sealDer: Uint8Array<ArrayBuffer>;
  pictureSvg: string | null;
  picturePng: Uint8Array<ArrayBuffer>;
  pictureSm3: string;
  widthMm: number;
  heightMm: number;
  /** disables the fresh key when the state change that would use it lost a race */
  discard(): Promise<void>;
};

export async function produceSealMaterial(opts: {
  seal: Seal & { holderDept: Department };
  esId: string;
  validStart: Date;
  validEnd: Date;
  makerDeptId: string;
  now: Date;
  /** renewal keeps the picture; `svg` null means a filed PNG imprint */
  keepPicture?: { svg: string | null; png: Uint8Array; sm3: string; widthMm: number; heightMm: number };
}): Promise<MadeSeal> {
  const { seal, esId } = opts;
  let picture = opts.keepPicture;
  // a filed imprint uploaded before production (S-03) is used as it is
  if (!picture && !seal.pictureSvg && seal.picturePng && seal.pictureSm3 && seal.pictureWidthMm && seal.pictureHeightMm)
    picture = { svg: null, png: seal.picturePng, sm3: seal.pictureSm3, widthMm: seal.pictureWidthMm, heightMm: seal.pictureHeightMm };
  if (!picture) {
    const spec = standardSpec({ kind: seal.kind, businessType: seal.businessType, level: seal.holderDept.level, name: seal.name, personName: seal.holderPersonName, taxNumber: seal.businessType === "INVOICE" ? seal.holderDept.uscc : null });
    const svg = renderSealSvg(spec);
    const info = pictureInfo(spec);
    picture = { svg, png: renderSealPng(svg), sm3: sm3Hex(svg), widthMm: info.widthMm, heightMm: info.heightMm };
  }
  const maker = await makerCredential(opts.makerDeptId, opts.now);
  const k = await keyStore().generate(`seal:${esId}`);
  const holderId = seal.holderDept.uscc;
  const cert = await issueCertificate({
    kind: "SEAL",
    subject: { commonName: (seal.holderPersonName ? `${seal.holderPersonName}（${seal.name}）` : seal.name).slice(0, 64), organization: seal.holderDept.name.slice(0, 64), serialNumber: holderId },
    publicKey: k.publicKey,
    keyId: k.keyId,
    notBefore: opts.validStart,
    notAfter: opts.validEnd,
  });
  const sealDer = await makeSeal(
    {
      vid: SES_VENDOR_ID,
      esID: esId,
      property: {
        type: sesTypeOf(seal.kind, seal.businessType, seal.positionType),
        name: seal.name,
        certList: [cert.der],
        createDate: opts.now,
        validStart: opts.validStart,
        validEnd: opts.validEnd,
      },
      picture: picture.svg
        ? { type: "SVG", data: Buffer.from(picture.svg, "utf8"), width: picture.widthMm, height: picture.heightMm }
        : { type: "PNG", data: picture.png, width: picture.widthMm, height: picture.heightMm },
    },
    maker.keyId,
    maker.certDer,
  );
  return {
    keyId: k.keyId,
    certificateId: cert.certificateId,
    serial: cert.serial,
    sealDer: new Uint8Array(sealDer),
    pictureSvg: picture.svg,
    picturePng: new Uint8Array(picture.png),
    pictureSm3: picture.sm3,
    widthMm: picture.widthMm,
    heightMm: picture.heightMm,
    discard: () => keyStore().disable(k.keyId),
  };
}
