import { db } from "@/lib/db";
import { fileBase, fileResponse, jsonError, sealForDownload } from "../../guard";

export const dynamic = "force-dynamic";

/** The GB/T 38540 SESeal structure (DER). */
export async function GET(_req: Request, { params }: { params: Promise<{ id: string }> }) {
  const r = await sealForDownload((await params).id);
  if (r instanceof Response) return r;
  const row = await db().seal.findUnique({ where: { id: r.seal.id }, select: { sealDer: true } });
  if (!row?.sealDer) return jsonError("NOT_FOUND", "该印章尚未制作");
  return fileResponse(row.sealDer, { type: "application/octet-stream", filename: `${fileBase(r.seal)}.esl` });
}
