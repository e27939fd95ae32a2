// zod schemas of the emergency-incident forms (L-12), shared by the dialog and the action.
import "@/lib/validation/zod-zh";
import { z } from "zod";
import { shanghaiInstant } from "@/lib/licenses/schema";

const LOCAL = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/;
const notFuture = (s: string) => shanghaiInstant(s).getTime() <= Date.now() + 5 * 60_000;

export const incidentCreateInput = z.object({
  title: z.string().trim().min(2, "请填写事件名称（至少 2 个字）").max(200, "不超过 200 个字"),
  description: z.string().trim().min(5, "请说明事件经过和影响范围（至少 5 个字）").max(2000, "不超过 2000 个字"),
  startedAt: z.string().regex(LOCAL, "请填写开始时间").refine(notFuture, "开始时间不能晚于现在"),
});
export const incidentRecoverInput = z.object({
  id: z.string().uuid(),
  rev: z.number().int().min(0),
  endedAt: z.string().regex(LOCAL, "请填写恢复时间").refine(notFuture, "恢复时间不能晚于现在"),
});

