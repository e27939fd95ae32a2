// The identifier + verification code form (U-06): the same schema in the browser and the action.
import "@/lib/validation/zod-zh";
import { z } from "zod";

export const lookupInput = z.object({
  identifier: z.string().trim().min(1, "请填写电子证照标识").max(100, "电子证照标识不超过 100 个字符"),
  code: z
    .string()
    .trim()
    .min(1, "请填写核验码")
    .max(20, "核验码为 8 位字母或数字")
    .refine((s) => /^[0-9A-Za-z\s-]+$/.test(s), "核验码为 8 位字母或数字"),
});
export type LookupInput = z.infer<typeof lookupInput>;
