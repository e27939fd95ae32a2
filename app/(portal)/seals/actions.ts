"use server";
import { revalidatePath } from "next/cache";
import type { z } from "zod";
import { action } from "@/lib/action";
import { formText as text, uploadAction as genericUploadAction, type UploadActionOptions } from "@/lib/upload-action";
import { enqueueFiling } from "@/lib/jobs/boss";
import {
  MATERIAL_MAX_BYTES,
  MATERIAL_MAX_FILES,
  sealApplySchema,
  sealCancelSchema,
  sealIdSchema,
  sealProduceSchema,
  sealProtectionChangeSchema,
  sealProtectionResetSchema,
  sealRejectSchema,
  sealReplaceSchema,
  sealCustodiansSchema,
  sealImprintSchema,
} from "@/lib/seals/schema";
import {
  applySeal,
  cancelSeal,
  changeProtectionPassword,
  produceSeal,
  rejectSeal,
  renewSeal,
  replaceSeal,
  resetProtectionPassword,
  startReview,
  setCustodians,
  uploadImprint,
} from "@/lib/seals/service";

/** Proof materials: PDF or image, the seals issue's limits. */
function uploadAction<S extends z.ZodType, R>(
  opts: Omit<UploadActionOptions<S>, "maxBytes" | "maxFiles" | "allowed"> & Partial<Pick<UploadActionOptions<S>, "maxFiles" | "allowed">>,
  fn: Parameters<typeof genericUploadAction<S, R>>[1],
) {
  return genericUploadAction({ maxBytes: MATERIAL_MAX_BYTES, maxFiles: MATERIAL_MAX_FILES, allowed: ["pdf", "png", "jpeg"], ...opts }, fn);
}

const sealRenewSchema = sealProduceSchema.pick({ sealId: true, validYears: true });

function done<T>(r: T, ...sealIds: string[]): T {
  revalidatePath("/seals");
  revalidatePath("/seals/review");
  for (const id of sealIds) revalidatePath(`/seals/${id}`);
  return r;
}

/** Filing starts at once; if the queue is unreachable, the row-based sweeper still files it. */
async function queueFiling(sealId: string) {
  try {
    await enqueueFiling(sealId);
  } catch (e) {
    console.error(`[certseal] enqueueFiling ${sealId} failed; the sweeper will file it`, e);
  }
}

export const applySealAction = uploadAction(
  {
    permission: "seal.apply",
    schema: sealApplySchema,
    field: "materials",
    minFiles: 1,
    fields: (fd) => ({
      holderDeptId: text(fd, "holderDeptId"),
      kind: text(fd, "kind"),
      businessType: text(fd, "businessType") || null,
      positionType: text(fd, "positionType") || null,
      name: text(fd, "name"),
      holderPersonName: text(fd, "holderPersonName") ?? "",
      useMode: text(fd, "useMode"),
      physicalRef: text(fd, "physicalRef"),
      applyReason: text(fd, "applyReason"),
    }),
  },
  async (a, i, materials) => done(await applySeal(a, i, materials)),
);

export const startReviewAction = action({ permission: "seal.make", schema: sealIdSchema }, async (a, i) => done(await startReview(a, i.sealId), i.sealId));

export const rejectSealAction = action({ permission: "seal.make", schema: sealRejectSchema }, async (a, i) => done(await rejectSeal(a, i.sealId, i.reason), i.sealId));

export const produceSealAction = action({ permission: "seal.make", schema: sealProduceSchema }, async (a, i) => {
  const r = await produceSeal(a, i);
  await queueFiling(r.id);
  return done(r, i.sealId);
});

export const cancelSealAction = action({ permission: "seal.make", schema: sealCancelSchema }, async (a, i) => done(await cancelSeal(a, i), i.sealId));

/** Returns the successor seal; the old one is cancelled. */
export const replaceSealAction = action({ permission: "seal.make", schema: sealReplaceSchema }, async (a, i) => {
  const r = await replaceSeal(a, i);
  await queueFiling(r.id);
  return done(r, i.sealId, r.id);
});

export const renewSealAction = action({ permission: "seal.make", schema: sealRenewSchema }, async (a, i) => {
  const r = await renewSeal(a, i);
  return done({ id: r.id, validEnd: r.validEnd.toISOString() }, i.sealId);
});

/** S-06: the holder department renews its own seal within 30 days of expiry. */
export const holderRenewSealAction = action({ permission: "seal.apply", schema: sealRenewSchema }, async (a, i) => {
  const r = await renewSeal(a, i, new Date(), "seal.apply");
  return done({ id: r.id, validEnd: r.validEnd.toISOString() }, i.sealId);
});

export const changeProtectionAction = action({ permission: "seal.apply", schema: sealProtectionChangeSchema }, async (a, i) =>
  done(await changeProtectionPassword(a, { sealId: i.sealId, current: i.current, next: i.next }), i.sealId),
);

export const resetProtectionAction = uploadAction(
  {
    permission: "seal.make",
    schema: sealProtectionResetSchema,
    field: "proof",
    minFiles: 1,
    fields: (fd) => ({ sealId: text(fd, "sealId"), next: text(fd, "next") }),
  },
  async (a, i, proof) => done(await resetProtectionPassword(a, i, proof), i.sealId),
);

export const setCustodiansAction = action({ permission: "seal.apply", schema: sealCustodiansSchema }, async (a, i) => done(await setCustodians(a, i), i.sealId));

/** S-03: the seal-making unit may use the filed imprint (a PNG scan) instead of the generated picture. */
export const uploadImprintAction = uploadAction(
  {
    permission: "seal.make",
    schema: sealImprintSchema,
    field: "imprint",
    minFiles: 1,
    maxFiles: 1,
    allowed: ["png"],
    fields: (fd) => ({ sealId: text(fd, "sealId"), widthMm: Number(text(fd, "widthMm")), heightMm: Number(text(fd, "heightMm")) }),
  },
  async (a, i, files) => done(await uploadImprint(a, i, files[0]), i.sealId),
);
