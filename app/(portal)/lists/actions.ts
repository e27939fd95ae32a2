"use server";
// Issuance-list and use-list actions (L-02, L-03): each authorises catalog.manage, parses with the
// shared schema and calls the lists service, which checks the department scope, the type and the
// entry's version again and writes the history row and the audit event with the change.
import { revalidatePath } from "next/cache";
import { action } from "@/lib/action";
import { entryStatusSchema, issuanceEntrySchema, useEntrySchema } from "@/lib/catalog/schema";
import { saveIssuanceEntry, saveUseEntry, setEntryStatus } from "@/lib/catalog/lists";

function done<T>(r: T): T {
  revalidatePath("/lists/issuance");
  revalidatePath("/lists/use");
  return r;
}

/** Creates (id null) or updates an issuance-list entry. */
export const saveIssuanceEntryAction = action({ permission: "catalog.manage", schema: issuanceEntrySchema }, async (a, i) => done(await saveIssuanceEntry(a, i)));

/** Creates (id null) or updates a use-list entry. */
export const saveUseEntryAction = action({ permission: "catalog.manage", schema: useEntrySchema }, async (a, i) => done(await saveUseEntry(a, i)));

/** Enables or disables entries of one list (batch). */
export const setEntryStatusAction = action({ permission: "catalog.manage", schema: entryStatusSchema }, async (a, i) => done(await setEntryStatus(a, i)));
