"use server";
// 存量电子化 (L-09): upload (kept with its dry run queued), confirm, pause, resume, cancel. Each
// action authorises (licence.issue) and the service checks the department scope again.
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { action } from "@/lib/action";
import { formFiles, formText, uploadAction } from "@/lib/upload-action";
import { IMPORT_MAX_BYTES, importIdInput, uploadFields } from "@/lib/licenses/bulk/schema";
import { cancelImport, confirmImport, pauseImport, resumeImport, uploadImport } from "@/lib/licenses/bulk/service";

const PAGE = "/licenses/import";

const uploadSchema = uploadFields.and(
  z.object({
    file: z
      .instanceof(File, { message: "请选择要导入的 CSV 或 XLSX 文件" })
      .refine((f) => f.size > 0, "请选择要导入的 CSV 或 XLSX 文件")
      .refine((f) => f.size <= IMPORT_MAX_BYTES, `文件不能超过 ${IMPORT_MAX_BYTES / 1048576} MB`),
  }),
);

/**
 * Upload. lib/uploads.ts knows PDF and images only, so the file travels as a schema field (size
 * checked there) and the service decides CSV or XLSX by its bytes.
 */
export const uploadImportAction = uploadAction(
  {
    permission: "licence.issue",
    schema: uploadSchema,
    fields: (fd) => ({ typeId: formText(fd, "typeId"), businessCompletedAt: formText(fd, "businessCompletedAt"), file: formFiles(fd, "file")[0] }),
    field: "attachments",
    minFiles: 0,
    maxFiles: 0,
    maxBytes: 0,
    allowed: [],
  },
  async (a, i) => {
    const r = await uploadImport(a, { typeId: i.typeId, businessCompletedAt: i.businessCompletedAt }, { name: i.file.name, data: new Uint8Array(await i.file.arrayBuffer()) });
    revalidatePath(PAGE);
    return r;
  },
);

export const confirmImportAction = action({ permission: "licence.issue", schema: importIdInput }, async (a, i) => {
  await confirmImport(a, i.importId);
  revalidatePath(PAGE);
  return { ok: true };
});

export const pauseImportAction = action({ permission: "licence.issue", schema: importIdInput }, async (a, i) => {
  await pauseImport(a, i.importId);
  revalidatePath(PAGE);
  return { ok: true };
});

export const resumeImportAction = action({ permission: "licence.issue", schema: importIdInput }, async (a, i) => {
  await resumeImport(a, i.importId);
  revalidatePath(PAGE);
  return { ok: true };
});

export const cancelImportAction = action({ permission: "licence.issue", schema: importIdInput }, async (a, i) => {
  await cancelImport(a, i.importId);
  revalidatePath(PAGE);
  return { ok: true };
});
