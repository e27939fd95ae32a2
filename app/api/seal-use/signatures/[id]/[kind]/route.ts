import { withTx } from "@/lib/db";
import { appendAudit } from "@/lib/audit/log";
import { auditActorOf } from "@/lib/auth/session";
import { t } from "@/lib/i18n/zh-CN";
import { signatureFile } from "@/lib/seal-use/queries";
import { fileResponse, guarded, jsonError } from "../../../guard";

export const dynamic = "force-dynamic";

/** The archived sealed PDF (`pdf`) or its SES_Signature (`sig`), to those in scope; audited (S-13). */
export async function GET(_req: Request, { params }: { params: Promise<{ id: string; kind: string }> }) {
  const { id, kind } = await params;
  if (kind !== "pdf" && kind !== "sig") return jsonError("NOT_FOUND", t.errors.notFound);
  return guarded(id, async (actor) => {
    const s = await signatureFile(actor, id);
    await withTx((tx) => appendAudit(tx, auditActorOf(actor), { action: "seal_use.download", what: kind, signatureId: id }, { type: "SealUseRequest", id: s.requestId }));
    return kind === "pdf"
      ? fileResponse(s.pdf, { type: "application/pdf", filename: `sealed-${id.slice(0, 8)}.pdf`, name: `${s.filename.replace(/[\u0000-\u001f\u007f"\\/]/g, "")}（已盖章）.pdf` })
      : fileResponse(s.der, { type: "application/octet-stream", filename: `${id}.sig` });
  });
}
