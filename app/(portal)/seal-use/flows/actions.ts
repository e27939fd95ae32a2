"use server";
import { revalidatePath } from "next/cache";
import { z } from "zod";
import "@/lib/validation/zod-zh";
import { action } from "@/lib/action";
import { flowSaveSchema } from "@/lib/seal-use/schema";
import { flowTargets, saveFlow } from "@/lib/seal-use/flows";

const flowTargetsSchema = z.object({ deptId: z.string().uuid("请选择部门") });

/** S-10: saves a flow as its next version; requests already submitted keep theirs. */
export const saveFlowAction = action({ permission: "seal.flow", schema: flowSaveSchema }, async (a, i) => {
  const r = await saveFlow(a, i);
  // the request pages show whether a seal has a flow, so everything under /seal-use
  revalidatePath("/seal-use", "layout");
  return r;
});

/** The editor's choices once a department is picked: its seals, who may approve, which role departments. */
export const flowTargetsAction = action({ permission: "seal.flow", schema: flowTargetsSchema }, (a, i) => flowTargets(a, i.deptId));
