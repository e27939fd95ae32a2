"use server";
// 申请加盖电子印章 (V-04 with S-10): the report becomes a seal-use request of the management
// department's seal. supervision.read here (the report, in the caller's scope); the service also
// requires seal.apply in the seal's holder department.
import { revalidatePath } from "next/cache";
import { action } from "@/lib/action";
import { requestReportSeal } from "@/lib/supervision/reports/seal";
import { reportSealInput } from "@/lib/supervision/reports/schema";

export const requestReportSealAction = action({ permission: "supervision.read", schema: reportSealInput }, async (a, i) => {
  const r = await requestReportSeal(a, i);
  revalidatePath("/seal-use");
  revalidatePath("/seal-use/approvals");
  return r;
});
