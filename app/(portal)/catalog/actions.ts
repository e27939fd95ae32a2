"use server";
// Catalog actions (L-01, L-04): each authorises, parses with the shared schema and calls one service
// function, which checks the owner department's scope, the version's state and the reviewer rule.
import { revalidatePath } from "next/cache";
import { action } from "@/lib/action";
import { retireSchema, reviewSchema, typeCreateSchema, typeIdsSchema, typeUpdateSchema } from "@/lib/catalog/schema";
import { batch, createType, saveDraft } from "@/lib/catalog/service";
import { facePreviewSchema, renderFacePreview } from "@/lib/catalog/queries";

function done<T>(r: T, ids: string[] = []): T {
  revalidatePath("/catalog");
  revalidatePath("/catalog/review");
  for (const id of ids) revalidatePath(`/catalog/${id}`);
  return r;
}

export const createTypeAction = action({ permission: "catalog.manage", schema: typeCreateSchema }, async (a, i) => done(await createType(a, i)));

/** Saves the draft; on a released type this makes the next version's draft. */
export const saveDraftAction = action({ permission: "catalog.manage", schema: typeUpdateSchema }, async (a, i) => done(await saveDraft(a, i), [i.typeId]));

export const submitTypesAction = action({ permission: "catalog.manage", schema: typeIdsSchema }, async (a, i) => done(await batch(a, i.typeIds, "submit"), i.typeIds));

/** Release or return (management department's catalog administrators only; the service checks). */
export const reviewTypesAction = action({ permission: "catalog.manage", schema: reviewSchema }, async (a, i) =>
  done(await batch(a, i.typeIds, i.decision === "RELEASE" ? "release" : "return", i.comment || null), i.typeIds),
);

export const retireTypesAction = action({ permission: "catalog.manage", schema: retireSchema }, async (a, i) => done(await batch(a, i.typeIds, "retire", i.reason), i.typeIds));

/** The face template's live preview: a sample licence as a base64 PDF (nothing is stored). */
export const previewFaceAction = action({ permission: "catalog.manage", schema: facePreviewSchema }, (a, i) => renderFacePreview(a, i));
