import { db } from "@/lib/db";
import { fileBase, fileResponse, jsonError, sealForDownload } from "../../guard";

export const dynamic = "force-dynamic";

/** The seal's X.509 certificate (DER). */
export async function GET(_req: Request, { params }: { params: Promise<{ id: string }> }) {
  const r = await sealForDownload((await params).id);
  if (r instanceof Response) return r;
  const cert = r.seal.certificateId ? await db().certificate.findUnique({ where: { id: r.seal.certificateId }, select: { der: true } }) : null;
  if (!cert) return jsonError("NOT_FOUND", "该印章尚未签发证书");
  return fileResponse(cert.der, { type: "application/pkix-cert", filename: `${fileBase(r.seal)}.cer` });
}

