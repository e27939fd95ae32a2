import "@/lib/validation/zod-zh";
import { z } from "zod";
import { BUSINESS_TYPES, CANCEL_REASONS, POSITION_TYPES, REPLACE_REASONS, SEAL_KINDS } from "@/lib/seals/kinds";

export const sealApplySchema = z
  .object({
    holderDeptId: z.string().uuid("请选择持有部门"),
    kind: z.enum(SEAL_KINDS, { message: "请选择印章类型" }),
    businessType: z.enum(BUSINESS_TYPES).nullable(),
    positionType: z.enum(POSITION_TYPES).nullable(),
    name: z.string().trim().min(2, "印章名称至少 2 个字").max(40, "印章名称不超过 40 个字"),
    holderPersonName: z.string().trim().max(20, "姓名不超过 20 个字"),
    useMode: z.enum(["CENTRALISED", "DISTRIBUTED"], { message: "请选择使用模式" }),
    physicalRef: z.string().trim().min(4, "请填写实物印章备案号").max(60, "备案号过长").regex(/^[0-9A-Za-z\-]+$/, "备案号只能包含字母、数字和 -"),
    applyReason: z.string().trim().min(2, "请填写申请事由").max(500, "申请事由不超过 500 字"),
  })
  .superRefine((v, ctx) => {
    if (v.kind === "BUSINESS" && !v.businessType) ctx.addIssue({ code: "custom", path: ["businessType"], message: "业务专用章须选择业务类型" });
    if (v.kind === "POSITION" && !v.positionType) ctx.addIssue({ code: "custom", path: ["positionType"], message: "职务名章须选择职务" });
    if ((v.kind === "POSITION" || v.kind === "PERSONAL") && v.holderPersonName.length < 2)
      ctx.addIssue({ code: "custom", path: ["holderPersonName"], message: "名章须填写持有人姓名" });
  });
export type SealApplyInput = z.infer<typeof sealApplySchema>;

export const sealIdSchema = z.object({ sealId: z.string().uuid() });
export const sealRejectSchema = z.object({ sealId: z.string().uuid(), reason: z.string().trim().min(2, "请填写驳回理由").max(500) });

const protection = z.string().min(8, "保护口令至少 8 位").max(64, "保护口令不超过 64 位");
export const sealProduceSchema = z.object({
  sealId: z.string().uuid(),
  validYears: z.number({ message: "请填写 1 至 5 的整数年数" }).int("请填写 1 至 5 的整数年数").min(1, "至少 1 年").max(5, "不超过 5 年"),
  protectionPassword: z.union([z.literal(""), protection]),
});
export const sealCancelSchema = z.object({
  sealId: z.string().uuid(),
  reason: z.enum(Object.keys(CANCEL_REASONS) as [keyof typeof CANCEL_REASONS, ...(keyof typeof CANCEL_REASONS)[]], { message: "请选择注销原因" }),
  text: z.string().trim().max(500, "说明不超过 500 字"),
});
export const sealReplaceSchema = z.object({
  sealId: z.string().uuid(),
  reason: z.enum(Object.keys(REPLACE_REASONS) as [keyof typeof REPLACE_REASONS, ...(keyof typeof REPLACE_REASONS)[]], { message: "请选择更换原因" }),
  text: z.string().trim().max(500, "说明不超过 500 字"),
  protectionPassword: z.union([z.literal(""), protection]),
});
export const sealProtectionChangeSchema = z
  .object({ sealId: z.string().uuid(), current: z.string().min(1, "请输入当前口令").max(64), next: protection, confirm: z.string().max(64) })
  .refine((v) => v.next === v.confirm, { path: ["confirm"], message: "两次输入的口令不一致" });
export const sealProtectionResetSchema = z.object({ sealId: z.string().uuid(), next: protection });

export const MATERIAL_MAX_BYTES = 2 * 1024 * 1024;
export const MATERIAL_MAX_FILES = 4;

/** P-03 / S-09: the seal's named administrator and its custodians (保管人). */
export const sealCustodiansSchema = z.object({
  sealId: z.string().uuid(),
  administratorId: z.string().uuid("请选择印章管理员").nullable(),
  custodianIds: z.array(z.string().uuid()).max(10, "保管人不超过 10 名"),
});

/** S-03: the filed imprint's size in millimetres (20–60 mm, as the physical seal rules allow). */
export const sealImprintSchema = z.object({
  sealId: z.string().uuid(),
  widthMm: z.number({ message: "请输入宽度" }).int("请输入整数").min(15, "不小于 15 毫米").max(60, "不大于 60 毫米"),
  heightMm: z.number({ message: "请输入高度" }).int("请输入整数").min(15, "不小于 15 毫米").max(60, "不大于 60 毫米"),
});
