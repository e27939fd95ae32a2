"use server";
// The holiday calendar (O-04): set or remove a day, mark a year covered, preview and confirm an
// import. Each action checks calendar.manage (and the service a province-wide scope).
import { revalidatePath } from "next/cache";
import { action } from "@/lib/action";
import { formFiles, formText, uploadAction } from "@/lib/upload-action";
import { dayRemoveInput, daySetInput, importConfirmInput, importPreviewInput, yearCoverInput } from "@/lib/calendar/schema";
import { confirmImport, previewImport, removeDay, setDay, setYearCovered } from "@/lib/calendar/service";

const PAGE = "/admin/calendar";

export const setDayAction = action({ permission: "calendar.manage", schema: daySetInput }, async (a, i) => {
  const r = await setDay(a, i);
  revalidatePath(PAGE);
  return r;
});

export const removeDayAction = action({ permission: "calendar.manage", schema: dayRemoveInput }, async (a, i) => {
  await removeDay(a, i);
  revalidatePath(PAGE);
  return null;
});

export const setYearCoveredAction = action({ permission: "calendar.manage", schema: yearCoverInput }, async (a, i) => {
  await setYearCovered(a, i);
  revalidatePath(PAGE);
  return null;
});

/** 预检: nothing is written. The file travels as a schema field; its content decides JSON or XLSX. */
export const previewImportAction = uploadAction(
  {
    permission: "calendar.manage",
    schema: importPreviewInput,
    fields: (fd) => ({ year: Number(formText(fd, "year")), file: formFiles(fd, "file")[0] }),
    field: "attachments",
    minFiles: 0,
    maxFiles: 0,
    maxBytes: 0,
    allowed: [],
  },
  async (a, i) => previewImport(a, i.year, { name: i.file.name, data: new Uint8Array(await i.file.arrayBuffer()) }),
);

export const confirmImportAction = action({ permission: "calendar.manage", schema: importConfirmInput }, async (a, i) => {
  const r = await confirmImport(a, i);
  revalidatePath(PAGE);
  return r;
});
