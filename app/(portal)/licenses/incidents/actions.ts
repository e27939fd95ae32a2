"use server";
import { revalidatePath } from "next/cache";
import { action } from "@/lib/action";
import { createIncident, incidentCreateInput, incidentRecoverInput, recoverIncident } from "@/lib/licenses/incidents";

export const createIncidentAction = action({ permission: "licence.issue", schema: incidentCreateInput }, async (actor, input) => {
  const r = await createIncident(actor, input);
  revalidatePath("/licenses/incidents");
  return r;
});

export const recoverIncidentAction = action({ permission: "licence.issue", schema: incidentRecoverInput }, async (actor, input) => {
  const r = await recoverIncident(actor, input);
  revalidatePath("/licenses/incidents");
  return r;
});
