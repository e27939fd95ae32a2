"use server";
// Objection deadlines per region (O-02, O-03): each action checks calendar.manage; the service
// checks the region against the caller's scope and the row's rev.
import { revalidatePath } from "next/cache";
import { action } from "@/lib/action";
import { objectionSettingInput, objectionSettingResetInput } from "@/lib/calendar/schema";
import { resetObjectionSetting, saveObjectionSetting } from "@/lib/objections/settings";

const PAGE = "/admin/objection-settings";

export const saveObjectionSettingAction = action({ permission: "calendar.manage", schema: objectionSettingInput }, async (a, i) => {
  const r = await saveObjectionSetting(a, i);
  revalidatePath(PAGE);
  return r;
});

export const resetObjectionSettingAction = action({ permission: "calendar.manage", schema: objectionSettingResetInput }, async (a, i) => {
  await resetObjectionSetting(a, i);
  revalidatePath(PAGE);
  return null;
});
