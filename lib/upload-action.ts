// The FormData counterpart of `action()` for uploads: authorise first, then parse the fields with
// the shared schema and check the files (magic bytes, size, count); errors of both come back
// together, the files' under `field`.
import "server-only";
import type { z } from "zod";
import { authorize, failure, fieldErrorsOf, type ActionResult } from "@/lib/action";
import type { Actor } from "@/lib/auth/session";
import type { Permission } from "@/lib/auth/permissions";
import { AppError } from "@/lib/errors";
import { checkUploads, type CheckedUpload, type UploadKind } from "@/lib/uploads";
import { t } from "@/lib/i18n/zh-CN";

export const formText = (fd: FormData, name: string) => {
  const v = fd.get(name);
  return typeof v === "string" ? v : undefined;
};
export const formFiles = (fd: FormData, name: string) => fd.getAll(name).filter((f): f is File => typeof f !== "string");

export type UploadActionOptions<S extends z.ZodType> = {
  permission: Permission;
  schema: S;
  fields: (fd: FormData) => unknown;
  field: string;
  minFiles: number;
  maxFiles: number;
  maxBytes: number;
  allowed: UploadKind[];
};

export function uploadAction<S extends z.ZodType, R>(
  opts: UploadActionOptions<S>,
  fn: (actor: Actor, input: z.infer<S>, uploads: CheckedUpload[]) => Promise<R>,
): (fd: FormData) => Promise<ActionResult<R>> {
  return async (fd: FormData) => {
    try {
      const actor = await authorize(opts.permission);
      if (!(fd instanceof FormData)) return { ok: false, code: "INVALID_INPUT", error: t.errors.invalidInput };
      const parsed = opts.schema.safeParse(opts.fields(fd));
      let uploads: CheckedUpload[] = [];
      let uploadError: AppError | null = null;
      try {
        uploads = await checkUploads(formFiles(fd, opts.field), {
          allowed: opts.allowed,
          maxBytes: opts.maxBytes,
          maxFiles: opts.maxFiles,
          minFiles: opts.minFiles,
          field: opts.field,
        });
      } catch (e) {
        if (!(e instanceof AppError) || e.code !== "INVALID_INPUT") throw e;
        uploadError = e;
      }
      if (!parsed.success || uploadError)
        return {
          ok: false,
          code: "INVALID_INPUT",
          error: parsed.success && uploadError ? uploadError.userMessage : t.errors.invalidInput,
          fieldErrors: { ...(parsed.success ? {} : fieldErrorsOf(parsed.error)), ...uploadError?.fieldErrors },
        };
      return { ok: true, data: await fn(actor, parsed.data, uploads) };
    } catch (e) {
      return failure(e);
    }
  };
}
