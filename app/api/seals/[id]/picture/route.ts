import { db } from "@/lib/db";
import { fileBase, fileResponse, jsonError, sealForDownload } from "../../guard";

export const dynamic = "force-dynamic";

/** The seal picture as PNG; inline is safe for an image we generated ourselves. */
export async function GET(_req: Request, { params }: { params: Promise<{ id: string }> }) {
  const r = await sealForDownload((await params).id);
  if (r instanceof Response) return r;
  const row = await db().seal.findUnique({ where: { id: r.seal.id }, select: { picturePng: true } });
  if (!row?.picturePng) return jsonError("NOT_FOUND", "该印章尚未生成印模");
  return fileResponse(row.picturePng, { type: "image/png", filename: `${fileBase(r.seal)}.png`, inline: true });
}
