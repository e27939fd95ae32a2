"use server";
// Rectification order actions (V-02): thin — authorise, parse with the shared schema, call the
// service, which checks the department scope and makes the conditional update with its event,
// audit and notifications. Each is a public POST endpoint: none trusts the page that showed it.
import { revalidatePath } from "next/cache";
import { action, authorize, failure, fieldErrorsOf, type ActionResult } from "@/lib/action";
import { formFiles, formText } from "@/lib/upload-action";
import { AppError } from "@/lib/errors";
import { t } from "@/lib/i18n/zh-CN";
import { closeInput, evidenceCandidatesInput, issueOrderInput, respondInput, returnOrderInput } from "@/lib/supervision/rectification-schema";
import { evidenceCandidates } from "@/lib/supervision/rectification-evidence";
import { checkAttachments, type CheckedAttachment } from "@/lib/supervision/rectification-files";
import { closeOrder, issueOrder, respondOrder, returnOrder } from "@/lib/supervision/rectification";

function done<T>(r: T, id?: string): T {
  revalidatePath("/supervision/orders");
  if (id) revalidatePath(`/supervision/orders/${id}`);
  return r;
}

/** 下达整改通知 */
export const issueOrderAction = action({ permission: "supervision.manage", schema: issueOrderInput }, async (a, i) => done(await issueOrder(a, i)));

/** The picker's candidates for a department in scope: its overdue objections and data-quality findings (a read). */
export const evidenceCandidatesAction = action({ permission: "supervision.manage", schema: evidenceCandidatesInput }, async (a, i) => evidenceCandidates(a, i));

/** 验收办结 */
export const closeOrderAction = action({ permission: "supervision.manage", schema: closeInput }, async (a, i) => done(await closeOrder(a, i), i.id));

/** 退回 (the due date kept or extended) */
export const returnOrderAction = action({ permission: "supervision.manage", schema: returnOrderInput }, async (a, i) => done(await returnOrder(a, i), i.id));

/** 反馈整改情况: the measures and up to 5 attachments (PDF/JPEG/PNG/DOCX/XLSX by magic bytes, ≤ 10 MB each). */
export async function respondOrderAction(fd: FormData): Promise<ActionResult<{ responseId: string }>> {
  try {
    const actor = await authorize("rectification.respond");
    if (!(fd instanceof FormData)) return { ok: false, code: "INVALID_INPUT", error: t.errors.invalidInput };
    const parsed = respondInput.safeParse({ id: formText(fd, "id"), rev: formText(fd, "rev"), measures: formText(fd, "measures") });
    let files: CheckedAttachment[] = [];
    let fileError: AppError | null = null;
    try {
      files = await checkAttachments(formFiles(fd, "attachments"));
    } catch (e) {
      if (!(e instanceof AppError) || e.code !== "INVALID_INPUT") throw e;
      fileError = e;
    }
    if (!parsed.success || fileError)
      return {
        ok: false,
        code: "INVALID_INPUT",
        error: parsed.success && fileError ? fileError.userMessage : t.errors.invalidInput,
        fieldErrors: { ...(parsed.success ? {} : fieldErrorsOf(parsed.error)), ...fileError?.fieldErrors },
      };
    return { ok: true, data: done(await respondOrder(actor, parsed.data, files), parsed.data.id) };
  } catch (e) {
    return failure(e);
  }
}
