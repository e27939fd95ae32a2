// The licence file (L-07): the face rendered by the catalog's renderer (the same one as the live
// preview) from the type version's layout and fields, the seal picture of the seal that signed it,
// the issuer and issue date, the identifier and number, and a QR code with the printed
// verification URL (qr.ts); then the licence's stored SES_Signature embedded as "<identifier>.ses"
// by an incremental update (sealed-pdf.ts), so the signature travels with the file.
//
// Deterministic: the same licence (same row, seal picture, QR epoch and NEXTAUTH_URL) gives the
// same bytes every time — renderLicenceFace and embedSignature write no dates or random ids — which
// is how the public verification page tells an original from an altered copy (U-06): it renders
// the file again and compares SM3.
//
// On the file, holder codes and sensitive fields print in full, as on a paper licence; this is
// why every caller must check the reader's permission first (none is checked here).
import "server-only";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { chineseDate, displayValue, faceFieldList, type FaceFieldDef } from "@/lib/catalog/face-fields";
import { shanghaiDate } from "@/lib/calendar/working-days";
import { sm3Hex } from "@/lib/crypto/sm3";
import { renderLicenceFace, type FaceInput, type FaceLayout, type FaceLine } from "@/lib/pdf/licence-face";
import { embedSignature } from "@/lib/pdf/sealed-pdf";
import { printedQrUrl } from "@/lib/licenses/qr";
import { licenceSignatureDer, storedSignatureSelect } from "@/lib/licenses/signing";

export const fileText = {
  notFound: "电子证照不存在",
  unsigned: "该证照尚未签章，不能生成证照文件",
  validity: "有效期限",
  permanent: "长期",
  verifyCode: "核验码",
} as const;

const LAYOUTS: readonly FaceLayout[] = ["PORTRAIT_CERT", "LANDSCAPE_LICENCE", "CARD"];

// The field printed under the title as the holder's name: the same rule as the catalog's preview
// (lib/catalog/queries.ts), so an issued licence looks like the preview the type was released with.
const HOLDER_LABEL = /^(名称|姓名|企业名称|单位名称|持证人|持证主体|持证主体名称|持证人姓名|经营者名称|机构名称)$/;
const HOLDER_KEY = /^(name|holderName|holder|entityName|companyName|orgName|personName)$/;

function holderField(fields: readonly FaceFieldDef[]): FaceFieldDef | undefined {
  const text = fields.filter((f) => f.type === "TEXT");
  return text.find((f) => HOLDER_LABEL.test(f.label.trim())) ?? text.find((f) => HOLDER_KEY.test(f.key));
}

const isWide = (f: FaceFieldDef, value: string) => f.type === "ADDRESS" || f.type === "DATE_RANGE" || (f.type === "TEXT" && ((f.maxLength ?? 2000) > 60 || value.length > 24));

const ymd = (d: Date) => d.toISOString().slice(0, 10);

/** A file name without path separators or control characters. */
function safeName(s: string): string {
  return s.replace(/[\\/:*?"<>|\u0000-\u001f\u007f]/g, "_").slice(0, 150);
}

/** The face drawn on the file: what renderLicenceFace receives (exported for tests). */
export async function licenceFaceInput(licenceId: string): Promise<{ face: FaceInput; signature: Uint8Array | null; identifier: string; fileName: string }> {
  const l = await db().licence.findUnique({
    where: { id: licenceId },
    select: {
      id: true,
      licenceNumber: true,
      name: true,
      holderName: true,
      face: true,
      issuedAt: true,
      validFrom: true,
      validTo: true,
      qrEpoch: true,
      verifyCode: true,
      ...storedSignatureSelect,
      typeVersion: { select: { faceFields: true, faceLayout: true } },
      issuerDept: { select: { name: true } },
      seal: { select: { picturePng: true, pictureWidthMm: true, pictureHeightMm: true, holderDept: { select: { name: true } } } },
    },
  });
  if (!l) throw new AppError("NOT_FOUND", fileText.notFound);
  const fields = faceFieldList.parse(l.typeVersion.faceFields);
  const data = (l.face ?? {}) as Record<string, unknown>;
  const holder = holderField(fields);
  const lines: FaceLine[] = fields
    .filter((f) => f.type !== "IMAGE" && f !== holder)
    .map((f) => {
      const value = displayValue(f, data[f.key]) ?? "";
      return { label: f.label, value, wide: isWide(f, value) };
    })
    // an optional field left blank is not printed (a paper licence has no empty rows for it)
    .filter((line) => line.value.trim() !== "");
  // The licence's own validity, unless the face already carries a validity field.
  if (!fields.some((f) => f.label.includes("有效期"))) {
    const to = l.validTo ? chineseDate(ymd(l.validTo)) : fileText.permanent;
    lines.push({ label: fileText.validity, value: `${chineseDate(ymd(l.validFrom))} 至 ${to}`, wide: true });
  }
  // For checking by identifier + code on the public page (U-06), as the holder shows it.
  lines.push({ label: fileText.verifyCode, value: l.verifyCode });
  const seal = l.seal;
  const layout = LAYOUTS.includes(l.typeVersion.faceLayout as FaceLayout) ? (l.typeVersion.faceLayout as FaceLayout) : "PORTRAIT_CERT";
  const face: FaceInput = {
    layout,
    title: l.name,
    number: l.licenceNumber,
    holderName: (holder && displayValue(holder, data[holder.key])) || l.holderName,
    lines,
    // The department that stamped it: after a reorganisation (L-11) the successor re-seals with its
    // own seal and its own name goes under it.
    issuer: seal?.holderDept.name ?? l.issuerDept.name,
    issueDate: chineseDate(shanghaiDate(l.issuedAt)),
    seal: seal?.picturePng && seal.pictureWidthMm && seal.pictureHeightMm ? { png: new Uint8Array(seal.picturePng), widthMm: seal.pictureWidthMm, heightMm: seal.pictureHeightMm } : undefined,
    identifier: l.identifier,
    qrText: printedQrUrl(l.id, l.qrEpoch),
  };
  return { face, signature: await licenceSignatureDer(db(), l), identifier: l.identifier, fileName: safeName(`${l.name}-${l.licenceNumber}.pdf`) };
}

/**
 * The licence file as a PDF with its SES_Signature attached, its file name and its SM3 (hex).
 * Server only; no permission check here (callers check). Same licence → the same bytes.
 */
export async function renderLicenceFile(licenceId: string): Promise<{ pdf: Uint8Array; fileName: string; sm3: string }> {
  const { face, signature, identifier, fileName } = await licenceFaceInput(licenceId);
  if (!signature || signature.length === 0) throw new AppError("CONFLICT", fileText.unsigned);
  const pdf = embedSignature(await renderLicenceFace(face), signature, signatureFileName(identifier));
  return { pdf, fileName, sm3: sm3Hex(pdf) };
}

/** Name of the signature attachment in the file and of the `.ses` download. */
export function signatureFileName(identifier: string): string {
  return `${identifier}.ses`;
}
