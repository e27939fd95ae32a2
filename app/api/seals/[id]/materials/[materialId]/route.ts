import { db } from "@/lib/db";
import { t } from "@/lib/i18n/zh-CN";
import { fileBase, fileResponse, isUuid, jsonError, sealForDownload } from "../../../guard";

export const dynamic = "force-dynamic";

const EXT: Record<string, string> = { "application/pdf": "pdf", "image/png": "png", "image/jpeg": "jpg" };

/** A proof material, as an attachment under a generated name with the type sniffed at upload. */
export async function GET(_req: Request, { params }: { params: Promise<{ id: string; materialId: string }> }) {
  const { id, materialId } = await params;
  const r = await sealForDownload(id);
  if (r instanceof Response) return r;
  if (!isUuid(materialId)) return jsonError("NOT_FOUND", t.errors.notFound);
  const m = await db().sealMaterial.findFirst({ where: { id: materialId, sealId: r.seal.id }, select: { id: true, purpose: true, mime: true, data: true } });
  if (!m) return jsonError("NOT_FOUND", t.errors.notFound);
  const type = EXT[m.mime] ? m.mime : "application/octet-stream";
  const filename = `${fileBase(r.seal)}-${m.purpose.toLowerCase().replace(/[^a-z]/g, "")}-${m.id.slice(0, 8)}.${EXT[m.mime] ?? "bin"}`;
  return fileResponse(m.data, { type, filename });
}
