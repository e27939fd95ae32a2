"use server";
import { revalidatePath } from "next/cache";
import { action } from "@/lib/action";
import { sessionHandleSchema } from "@/lib/users/schema";
import { endOneSession } from "@/lib/users/service";

export const endSessionAction = action({ permission: "session.manage", schema: sessionHandleSchema }, async (a, i) => {
  const r = await endOneSession(a, i);
  revalidatePath("/admin/online");
  return r;
});
