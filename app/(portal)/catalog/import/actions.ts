"use server";
// XLSX import of types and lists: the upload is checked as a dry run (nothing imported) and kept
// with its report; only its author confirms it, within an hour, and then it is applied all or
// nothing (lib/catalog/xlsx.ts).
import { revalidatePath } from "next/cache";
import { action } from "@/lib/action";
import { formFiles, formText, uploadAction } from "@/lib/upload-action";
import { commitImport, confirmSchema, dryRunImport, dryRunSchema } from "@/lib/catalog/xlsx";

/**
 * Upload and dry run. lib/uploads.ts knows PDF and images only, so the file travels as a schema
 * field (size checked there) and dryRunImport checks its magic bytes (an XLSX is a ZIP).
 */
export const dryRunImportAction = uploadAction(
  {
    permission: "catalog.manage",
    schema: dryRunSchema,
    fields: (fd) => ({ kind: formText(fd, "kind"), file: formFiles(fd, "file")[0] }),
    field: "attachments",
    minFiles: 0,
    maxFiles: 0,
    maxBytes: 0,
    allowed: [],
  },
  async (a, i) => dryRunImport(a, i.kind, { name: i.file.name, data: new Uint8Array(await i.file.arrayBuffer()) }),
);

/** Applies a dry run of the caller's (all rows in one transaction). */
export const confirmImportAction = action({ permission: "catalog.manage", schema: confirmSchema }, async (a, i) => {
  const r = await commitImport(a, i.importId);
  for (const p of ["/catalog", "/catalog/import", "/lists/issuance", "/lists/use"]) revalidatePath(p);
  return r;
});
