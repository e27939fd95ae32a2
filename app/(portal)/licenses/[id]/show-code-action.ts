"use server";
// 亮证 and the printed QR code of a licence (U-03, U-06, L-07). Thin actions: the service
// (lib/licenses/qr.ts) re-checks that the actor is an issuer of the licence's department or a
// supervisor over it (revoking: issuers only) and writes the licence.qr audit event.
import { revalidatePath } from "next/cache";
import QRCode from "qrcode";
import { z } from "zod";
import { action, type ActionResult } from "@/lib/action";
import { createShowCodeFor, revokePrintedCodes, SHOW_CODE_TTL_SECONDS } from "@/lib/licenses/qr";

const licenceIdInput = z.object({ licenceId: z.string().uuid("证照不存在") });

export type ShowCode = {
  /** the verification URL the QR code holds (shown once; only its SM3 is stored) */
  url: string;
  /** ISO instant after which the code is refused */
  expiresAt: string;
  ttlSeconds: number;
  /** the QR code as an SVG data URL, for an <img> */
  qrDataUrl: string;
};

const create = action({ permission: "authenticated", schema: licenceIdInput }, async (actor, { licenceId }): Promise<ShowCode> => {
  const code = await createShowCodeFor(actor, licenceId);
  const svg = await QRCode.toString(code.url, { type: "svg", errorCorrectionLevel: "M", margin: 2 });
  return { url: code.url, expiresAt: code.expiresAt.toISOString(), ttlSeconds: SHOW_CODE_TTL_SECONDS, qrDataUrl: `data:image/svg+xml;base64,${Buffer.from(svg).toString("base64")}` };
});

/** A 亮证 code for the licence: valid 300 seconds, one use. */
export async function createShowCode(licenceId: string): Promise<ActionResult<ShowCode>> {
  return create({ licenceId });
}

const revoke = action({ permission: "licence.issue", schema: licenceIdInput }, async (actor, { licenceId }) => {
  const r = await revokePrintedCodes(actor, licenceId);
  revalidatePath(`/licenses/${licenceId}`);
  return r;
});

/** Revokes every QR code printed on the licence's files so far (the next download carries a new one). */
export async function revokePrintedQr(licenceId: string): Promise<ActionResult<{ qrEpoch: number }>> {
  return revoke({ licenceId });
}
