// zod schemas of the licence forms and actions (the same on client and server). The face itself
// is validated by faceSchema(version.faceFields) from lib/catalog/face-fields.ts.
import "@/lib/validation/zod-zh";
import { z } from "zod";
import { AGGREGATION_MODES, HOLDER_CATEGORIES, type HolderCategory } from "@/lib/catalog/dictionaries";
import { holderCodeProblem, HOLDER_CODE_MAX } from "@/lib/licenses/holder-code";

const uuid = z.string().uuid("请选择");
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DATETIME_LOCAL = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/;

/** "YYYY-MM-DDTHH:mm" as typed in a datetime-local input, read in Asia/Shanghai. */
export function shanghaiInstant(local: string): Date {
  return new Date(`${local.length === 16 ? `${local}:00` : local}+08:00`);
}

export const holderInput = z
  .object({
    category: z.enum(HOLDER_CATEGORIES.map((c) => c.code) as [HolderCategory, ...HolderCategory[]], { error: "请选择持证主体类别" }),
    codeType: z.string().regex(/^\d{3}$/, "请选择证件类型"),
    code: z.string().trim().min(1, "请填写持证主体代码").max(HOLDER_CODE_MAX, `不超过 ${HOLDER_CODE_MAX} 个字符`),
    name: z.string().trim().min(1, "请填写持证主体名称").max(200, "不超过 200 个字符"),
    contact: z
      .string()
      .trim()
      .max(40, "不超过 40 个字符")
      .refine((s) => s === "" || /^1\d{10}$/.test(s) || /^0\d{2,3}-?\d{7,8}$/.test(s), "请填写手机号或固定电话")
      .default(""),
  })
  .superRefine((h, ctx) => {
    const problem = holderCodeProblem(h.codeType, h.code, h.category);
    if (problem) ctx.addIssue({ code: "custom", path: [problem.includes("类型") || problem.includes("不能用于") ? "codeType" : "code"], message: problem });
  });
export type HolderFormInput = z.input<typeof holderInput>;

export const SYNC_MODE_CODES = AGGREGATION_MODES.map((m) => m.code) as ["ONLINE", "OFFLINE", "BULK"];

export const issueInput = z
  .object({
    typeId: uuid,
    holder: holderInput,
    matterCode: z.string().trim().max(60).default(""),
    businessCompletedAt: z.string().regex(DATETIME_LOCAL, "请填写业务办结时间"),
    validFrom: z.string().regex(DATE, "请填写有效期起始日期").or(z.literal("")).default(""),
    syncMode: z.enum(SYNC_MODE_CODES, { error: "请选择汇聚方式" }),
    incidentId: z.string().uuid().or(z.literal("")).default(""),
    face: z.record(z.string(), z.unknown()),
  })
  .superRefine((v, ctx) => {
    const at = shanghaiInstant(v.businessCompletedAt);
    if (Number.isNaN(at.getTime())) ctx.addIssue({ code: "custom", path: ["businessCompletedAt"], message: "业务办结时间不正确" });
    else if (at.getTime() > Date.now() + 5 * 60_000) ctx.addIssue({ code: "custom", path: ["businessCompletedAt"], message: "业务办结时间不能晚于现在" });
  });
export type IssueInput = z.infer<typeof issueInput>;
export type IssueFormInput = z.input<typeof issueInput>;

export const holderLookupInput = z.object({ codeType: z.string().regex(/^\d{3}$/), code: z.string().trim().min(1).max(HOLDER_CODE_MAX) });
