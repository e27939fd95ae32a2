"use server";
import { revalidatePath } from "next/cache";
import { action } from "@/lib/action";
import { sessionIdSchema } from "@/lib/users/schema";
import { endOneSession } from "@/lib/users/service";

export const endSessionAction = action({ permission: "session.manage", schema: sessionIdSchema }, async (a, i) => {
  const r = await endOneSession(a, i);
  revalidatePath("/admin/online");
  return r;
});
