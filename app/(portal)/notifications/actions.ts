"use server";
import { revalidatePath } from "next/cache";
import { action } from "@/lib/action";
import { markRead, markReadSchema } from "@/lib/notifications";

// Self-service: a user marks only their own notifications read.
export const markReadAction = action({ permission: "authenticated", schema: markReadSchema }, async (a, i) => {
  const r = await markRead(a, i);
  revalidatePath("/notifications");
  return r;
});
