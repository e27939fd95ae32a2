"use server";
// 发布通报 (V-02): the service checks each order is overdue and in the publisher's scope.
import { revalidatePath } from "next/cache";
import { action } from "@/lib/action";
import { publishNoticeInput } from "@/lib/supervision/rectification-schema";
import { publishNotice } from "@/lib/supervision/notices";

export const publishNoticeAction = action({ permission: "supervision.manage", schema: publishNoticeInput }, async (a, i) => {
  const r = await publishNotice(a, i);
  revalidatePath("/supervision/notices");
  revalidatePath("/supervision/orders");
  return r;
});
