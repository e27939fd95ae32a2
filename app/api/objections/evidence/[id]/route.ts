// An objection's evidence file (O-01), for readers of that objection only (the same scope as the
// detail page: issuing side, applicant side, the province's router, supervisors); anyone else gets
// "not found". Served by lib/http/download.ts like the other uploaded files.
import { uploadDownload } from "@/lib/http/download";
import { evidenceDownloadName, evidenceFile, mayReadObjections } from "@/lib/objections/queries";

export const dynamic = "force-dynamic";

export async function GET(_req: Request, { params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return uploadDownload(id, mayReadObjections, evidenceFile, evidenceDownloadName);
}
