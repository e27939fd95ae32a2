// GET the licence file (L-07): the PDF with its SES_Signature attached, byte-identical every time.
import { renderLicenceFile } from "@/lib/licenses/file";
import { currentActor } from "@/lib/auth/session";
import { recordPortalUse } from "@/lib/supervision/access-log-record";
import { asciiBase, licenceDownload } from "../download";

export const dynamic = "force-dynamic";

export async function GET(_req: Request, { params }: { params: Promise<{ id: string }> }): Promise<Response> {
  const { id } = await params;
  const res = await licenceDownload(id, "PDF", async (l) => {
    const f = await renderLicenceFile(l.id);
    return { body: f.pdf, type: "application/pdf", fileName: f.fileName, asciiName: `${asciiBase(l.identifier)}.pdf` };
  });
  // a download by another department is a use (A-01, V-01, scenario DATA); a refusal of an existing
  // licence is one too (FORBIDDEN); the issuer's and supervisors' own downloads are not recorded
  if (res.status === 200 || res.status === 403 || res.status === 404) await recordPortalUse(await currentActor().catch(() => null), id, "FILE", "DATA", res.status === 200);
  return res;
}
