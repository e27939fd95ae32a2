// zod schemas of the licence catalog (L-01 … L-04) and the lists (L-02, L-03): the same schemas
// validate the browser forms, the XLSX import and the server actions.
import "@/lib/validation/zod-zh";
import { z } from "zod";
import { isValidUscc } from "@/lib/validation/codes";
import { pageQuery } from "@/lib/pagination";
import {
  AGGREGATION_MODES,
  FACE_LAYOUTS,
  HOLDER_CATEGORIES,
  HOLDER_CODE_TYPES,
  LICENCE_CATEGORIES,
  SHARING_ATTRIBUTES,
  USE_BASES,
  USE_SCENARIOS,
  VERSION_STATES,
} from "@/lib/catalog/dictionaries";
import { typeCodeSchema } from "@/lib/catalog/type-code";
import { validityRuleSchema } from "@/lib/catalog/validity";
import { numberRuleSchema } from "@/lib/catalog/number-rule";
import { faceFieldList } from "@/lib/catalog/face-fields";

const codes = <T extends readonly { code: string }[]>(list: T) => list.map((x) => x.code) as [T[number]["code"], ...T[number]["code"][]];

export const matterSchema = z.object({
  name: z.string().trim().min(2, "请填写事项名称").max(200, "事项名称不超过 200 字"),
  code: z.string().trim().min(1, "请填写事项编码").max(60, "事项编码不超过 60 位").regex(/^[0-9A-Za-z_.-]+$/, "事项编码只能包含字母、数字和 _ . -"),
});
export type Matter = z.infer<typeof matterSchema>;

const uniqueMatters = z
  .array(matterSchema)
  .max(50, "关联事项最多 50 个")
  .superRefine((list, ctx) => {
    const seen = new Set<string>();
    list.forEach((m, i) => {
      if (seen.has(m.code)) ctx.addIssue({ code: "custom", path: [i, "code"], message: "事项编码重复" });
      seen.add(m.code);
    });
  });

/** What a type version says (everything but its identity). */
export const typeContent = z
  .object({
    name: z.string().trim().min(2, "请填写证照类型名称").max(50, "名称不超过 50 字"),
    definingAuthority: z.string().trim().min(2, "请填写证照定义机构").max(100, "定义机构名称不超过 100 字"),
    definingAuthorityCode: z.string().trim().toUpperCase().refine(isValidUscc, "定义机构代码须为有效的统一社会信用代码"),
    category: z.enum(codes(LICENCE_CATEGORIES), { message: "请选择证照类别" }),
    holderCategories: z.array(z.enum(codes(HOLDER_CATEGORIES))).min(1, "请选择持证主体类别"),
    holderCodeTypes: z.array(z.enum(codes(HOLDER_CODE_TYPES))).min(1, "请选择至少一种持证主体代码类型"),
    validity: validityRuleSchema,
    legalBasis: z.string().trim().min(2, "请填写设定依据").max(2000, "设定依据不超过 2000 字"),
    matters: uniqueMatters,
    sharing: z.enum(codes(SHARING_ATTRIBUTES), { message: "请选择共享属性" }),
    sharingConditions: z.string().trim().max(1000, "共享条件不超过 1000 字"),
    publicity: z.boolean(),
    issuingDeptIds: z.array(z.string().uuid()).min(1, "请选择至少一个发证部门").max(500),
    sealIds: z.array(z.string().uuid()).max(50, "最多 50 枚印章"),
    numberRule: numberRuleSchema,
    allowMultiple: z.boolean(),
    faceFields: faceFieldList,
    faceLayout: z.enum(codes(FACE_LAYOUTS), { message: "请选择照面版式" }),
  })
  .superRefine((v, ctx) => {
    if (v.sharing === "CONDITIONAL" && v.sharingConditions.length < 2) ctx.addIssue({ code: "custom", path: ["sharingConditions"], message: "有条件共享须写明共享条件" });
  });
export type TypeContent = z.infer<typeof typeContent>;

export const typeCreateSchema = z
  .object({ typeCode: typeCodeSchema, ownerDeptId: z.string().uuid("请选择提出部门"), content: typeContent })
  .superRefine((v, ctx) => {
    if (v.typeCode.slice(0, 18) !== v.content.definingAuthorityCode.toUpperCase())
      ctx.addIssue({ code: "custom", path: ["typeCode"], message: "证照类型代码的前 18 位须为定义机构的统一社会信用代码" });
  });
export type TypeCreateInput = z.infer<typeof typeCreateSchema>;

export const typeUpdateSchema = z.object({ typeId: z.string().uuid(), rev: z.number().int().min(0), content: typeContent });
export type TypeUpdateInput = z.infer<typeof typeUpdateSchema>;

export const typeIdsSchema = z.object({ typeIds: z.array(z.string().uuid()).min(1, "请选择证照类型").max(200, "一次最多处理 200 项") });
export const typeIdSchema = z.object({ typeId: z.string().uuid() });
export const reviewSchema = z
  .object({ typeIds: z.array(z.string().uuid()).min(1).max(200), decision: z.enum(["RELEASE", "RETURN"]), comment: z.string().trim().max(500, "意见不超过 500 字") })
  .superRefine((v, ctx) => {
    if (v.decision === "RETURN" && v.comment.length < 2) ctx.addIssue({ code: "custom", path: ["comment"], message: "退回须填写意见" });
  });
export const retireSchema = z.object({ typeIds: z.array(z.string().uuid()).min(1).max(200), reason: z.string().trim().min(2, "请填写停用原因").max(500) });

export const typeFilter = pageQuery.extend({
  q: z.string().trim().max(50).optional().catch(undefined),
  category: z.enum(codes(LICENCE_CATEGORIES)).optional().catch(undefined),
  state: z.enum(codes(VERSION_STATES)).optional().catch(undefined),
  dept: z.string().uuid().optional().catch(undefined),
});
export type TypeFilter = z.infer<typeof typeFilter>;

// ---- lists -------------------------------------------------------------------------------------

const dateOnly = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "请选择日期").refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)), "日期无效");
const periodFields = { validFrom: dateOnly, validTo: z.union([z.literal(""), dateOnly]) };
const periodCheck = (v: { validFrom: string; validTo: string }, ctx: z.RefinementCtx) => {
  if (v.validTo && v.validTo < v.validFrom) ctx.addIssue({ code: "custom", path: ["validTo"], message: "结束日期不能早于开始日期" });
};

export const issuanceEntrySchema = z
  .object({
    ...periodFields,
  id: z.string().uuid().nullable(),
  rev: z.number().int().min(0),
  deptId: z.string().uuid("请选择发证部门"),
  typeId: z.string().uuid("请选择证照类型"),
  legalBasis: z.string().trim().min(2, "请填写设定依据").max(2000),
  matters: uniqueMatters,
  holderCategory: z.enum(codes(HOLDER_CATEGORIES), { message: "请选择持证主体类别" }),
  aggregation: z.enum(codes(AGGREGATION_MODES), { message: "请选择汇聚方式" }),
  publicity: z.boolean(),
  })
  .superRefine(periodCheck);
export type IssuanceEntryInput = z.infer<typeof issuanceEntrySchema>;

export const useEntrySchema = z
  .object({
    ...periodFields,
  id: z.string().uuid().nullable(),
  rev: z.number().int().min(0),
  deptId: z.string().uuid("请选择用证部门"),
  typeId: z.string().uuid("请选择证照类型"),
  matterCode: z.string().trim().max(60).regex(/^[0-9A-Za-z_.-]*$/, "事项编码只能包含字母、数字和 _ . -"),
  matterName: z.string().trim().max(200),
  scenarios: z.array(z.enum(codes(USE_SCENARIOS))).min(1, "请选择至少一个用证场景"),
  basis: z.enum(codes(USE_BASES), { message: "请选择用证依据" }),
  })
  .superRefine(periodCheck);
export type UseEntryInput = z.infer<typeof useEntrySchema>;

export const entryStatusSchema = z.object({ list: z.enum(["ISSUANCE", "USE"]), ids: z.array(z.string().uuid()).min(1).max(200), status: z.enum(["ACTIVE", "DISABLED"]) });

export const listFilter = pageQuery.extend({
  q: z.string().trim().max(50).optional().catch(undefined),
  dept: z.string().uuid().optional().catch(undefined),
  status: z.enum(["ACTIVE", "DISABLED"]).optional().catch(undefined),
});
export type ListFilter = z.infer<typeof listFilter>;
