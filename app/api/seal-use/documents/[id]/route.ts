import { documentFile } from "@/lib/seal-use/queries";
import { fileResponse, guarded } from "../../guard";

export const dynamic = "force-dynamic";

/** A document submitted for sealing (for approvers' preview), to those who may see the request. */
export async function GET(_req: Request, { params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return guarded(id, async (actor) => {
    const d = await documentFile(actor, id);
    return fileResponse(d.data, { type: "application/pdf", filename: `document-${id.slice(0, 8)}.pdf` });
  });
}
