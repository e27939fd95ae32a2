"use server";
// Seal-use request actions: every one authorises, parses with the shared schema and calls the
// service, which checks state, department scope and the separation rules again.
import { revalidatePath } from "next/cache";
import { action } from "@/lib/action";
import { formText, uploadAction } from "@/lib/upload-action";
import {
  addApproverSchema,
  decideSchema,
  DOCUMENT_MAX_BYTES,
  DOCUMENT_MAX_FILES,
  requestCreateSchema,
  requestIdSchema,
  requestUpdateSchema,
  signSchema,
  transferSchema,
  withdrawSchema,
} from "@/lib/seal-use/schema";
import { addApprover, createRequest, decide, submitRequest, transferStep, updateRequest, withdrawRequest } from "@/lib/seal-use/service";
import { signRequestDocument } from "@/lib/seal-use/signing";

function done<T>(r: T, id?: string): T {
  revalidatePath("/seal-use");
  revalidatePath("/seal-use/approvals");
  revalidatePath("/seal-use/records");
  if (id) revalidatePath(`/seal-use/${id}`);
  return r;
}

const documents = { field: "documents", minFiles: 0, maxFiles: DOCUMENT_MAX_FILES, maxBytes: DOCUMENT_MAX_BYTES, allowed: ["pdf" as const] };
const fields = (fd: FormData) => ({
  reason: formText(fd, "reason"),
  count: formText(fd, "count"),
  validUntil: formText(fd, "validUntil"),
  remarks: formText(fd, "remarks") ?? "",
  submit: formText(fd, "submit") === "1",
});

export const createRequestAction = uploadAction(
  { permission: "seal.apply", schema: requestCreateSchema, ...documents, fields: (fd) => ({ ...fields(fd), sealId: formText(fd, "sealId") }) },
  async (a, i, docs) => done(await createRequest(a, i, docs)),
);

export const updateRequestAction = uploadAction(
  {
    permission: "seal.apply",
    schema: requestUpdateSchema,
    ...documents,
    fields: (fd) => ({
      ...fields(fd),
      requestId: formText(fd, "requestId"),
      keepDocumentIds: fd.getAll("keepDocumentIds").filter((v) => typeof v === "string"),
      baseVersion: Number(formText(fd, "baseVersion")),
    }),
  },
  async (a, i, docs) => done(await updateRequest(a, i, docs), i.requestId),
);

export const submitRequestAction = action({ permission: "seal.apply", schema: requestIdSchema }, async (a, i) => done(await submitRequest(a, i.requestId), i.requestId));

export const withdrawRequestAction = action({ permission: "seal.apply", schema: withdrawSchema }, async (a, i) => done(await withdrawRequest(a, i), i.requestId));

/** An approver's decision on an approval step. */
export const decideAction = action({ permission: "seal.approve", schema: decideSchema }, async (a, i) => done(await decide(a, i), i.requestId));

/** The custodian's confirmation step (centralised use). */
export const confirmAction = action({ permission: "seal.custody", schema: decideSchema }, async (a, i) => done(await decide(a, i, undefined, "seal.custody"), i.requestId));

export const transferAction = action({ permission: "seal.approve", schema: transferSchema }, async (a, i) => done(await transferStep(a, i), i.requestId));

export const addApproverAction = action({ permission: "seal.approve", schema: addApproverSchema }, async (a, i) => done(await addApprover(a, i), i.requestId));

/** Centralised use: the seal's custodian signs. */
export const signAction = action({ permission: "seal.custody", schema: signSchema }, async (a, i) => done(await signRequestDocument(a, i), i.requestId));

/** Distributed use: the applicant signs with the seal's protection password. */
export const holderSignAction = action({ permission: "seal.apply", schema: signSchema }, async (a, i) => done(await signRequestDocument(a, i, undefined, "seal.apply"), i.requestId));
