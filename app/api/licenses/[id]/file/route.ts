// GET the licence file (L-07): the PDF with its SES_Signature attached, byte-identical every time.
import { renderLicenceFile } from "@/lib/licenses/file";
import { asciiBase, licenceDownload } from "../download";

export const dynamic = "force-dynamic";

export async function GET(_req: Request, { params }: { params: Promise<{ id: string }> }): Promise<Response> {
  const { id } = await params;
  return licenceDownload(id, "PDF", async (l) => {
    const f = await renderLicenceFile(l.id);
    return { body: f.pdf, type: "application/pdf", fileName: f.fileName, asciiName: `${asciiBase(l.identifier)}.pdf` };
  });
}
