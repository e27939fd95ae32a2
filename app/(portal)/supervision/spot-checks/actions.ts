"use server";
// Spot-check actions (V-03): thin — authorise, parse with the shared schema, call the service,
// which checks every department against the supervisor's scope and makes the conditional update
// with its audit event. Each is a public POST endpoint.
import { revalidatePath } from "next/cache";
import { action } from "@/lib/action";
import { closeSpotCheckInput, createSpotCheckInput, recordItemInput } from "@/lib/supervision/spot-checks-schema";
import { closeSpotCheck, createSpotCheck, recordSpotItem } from "@/lib/supervision/spot-checks";

export const createSpotCheckAction = action({ permission: "supervision.manage", schema: createSpotCheckInput }, async (actor, input) => {
  const r = await createSpotCheck(actor, input);
  revalidatePath("/supervision/spot-checks");
  return { id: r.id, number: r.number };
});

export const recordSpotItemAction = action({ permission: "supervision.manage", schema: recordItemInput }, async (actor, input) => {
  await recordSpotItem(actor, input);
  revalidatePath("/supervision/spot-checks", "layout");
  return null;
});

export const closeSpotCheckAction = action({ permission: "supervision.manage", schema: closeSpotCheckInput }, async (actor, input) => {
  await closeSpotCheck(actor, input);
  revalidatePath("/supervision/spot-checks", "layout");
  return null;
});
