// GET the licence's SES_Signature (GB/T 38540 DER) as "<identifier>.ses": what the file carries,
// for verifiers that check the signature over the canonical encoding themselves.
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { fileText, signatureFileName } from "@/lib/licenses/file";
import { licenceSignatureDer, storedSignatureSelect } from "@/lib/licenses/signing";
import { asciiBase, licenceDownload } from "../download";

export const dynamic = "force-dynamic";

export async function GET(_req: Request, { params }: { params: Promise<{ id: string }> }): Promise<Response> {
  const { id } = await params;
  return licenceDownload(id, "SES", async (l) => {
    const row = await db().licence.findUniqueOrThrow({ where: { id: l.id }, select: storedSignatureSelect });
    const der = await licenceSignatureDer(db(), row);
    if (!der) throw new AppError("CONFLICT", fileText.unsigned);
    const name = signatureFileName(l.identifier);
    return { body: der, type: "application/octet-stream", fileName: name, asciiName: `${asciiBase(l.identifier)}.ses` };
  });
}
