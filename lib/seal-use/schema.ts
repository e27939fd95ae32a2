// zod schemas of seal use (S-10 … S-13): the same schemas validate the browser forms and the
// server actions.
import "@/lib/validation/zod-zh";
import { z } from "zod";
import { SEAL_KINDS } from "@/lib/seals/kinds";
import { pageQuery } from "@/lib/pagination";

export const DOCUMENT_MAX_BYTES = 10 * 1048576;
export const DOCUMENT_MAX_FILES = 5;
export const MAX_FLOW_STEPS = 10;
export const MAX_STEP_APPROVERS = 20;
export const MAX_USE_COUNT = 100;

/** Roles a step may name as "a role within a department". */
export const APPROVER_ROLES = ["SEAL_APPROVER"] as const;

export const approverRef = z.discriminatedUnion("type", [
  z.object({ type: z.literal("USER"), userId: z.string().uuid("请选择审批人") }),
  z.object({ type: z.literal("ROLE"), role: z.enum(APPROVER_ROLES), departmentId: z.string().uuid("请选择部门") }),
]);
export type ApproverRef = z.infer<typeof approverRef>;

export const flowStep = z.object({
  name: z.string().trim().min(1, "请填写环节名称").max(50, "环节名称不超过 50 字"),
  mode: z.enum(["ANY", "ALL"], { message: "请选择审批方式" }),
  approvers: z.array(approverRef).min(1, "每个环节至少一名审批人").max(MAX_STEP_APPROVERS, `每个环节最多 ${MAX_STEP_APPROVERS} 名审批人`),
});
export type FlowStep = z.infer<typeof flowStep>;
export const flowSteps = z.array(flowStep).min(1, "至少一个审批环节").max(MAX_FLOW_STEPS, `最多 ${MAX_FLOW_STEPS} 个审批环节`);

/** A department's default flow for a seal kind, or one seal's own flow. */
export const flowSaveSchema = z
  .object({
    holderDeptId: z.string().uuid("请选择部门"),
    sealKind: z.enum(SEAL_KINDS).nullable(),
    sealId: z.string().uuid().nullable(),
    name: z.string().trim().min(2, "请填写流程名称").max(50, "流程名称不超过 50 字"),
    steps: flowSteps,
    note: z.string().trim().max(200, "修改说明不超过 200 字"),
    /** the version the editor started from (0 for a new flow): a concurrent edit is refused */
    baseVersion: z.number().int().min(0),
  })
  .superRefine((v, ctx) => {
    if ((v.sealKind === null) === (v.sealId === null))
      ctx.addIssue({ code: "custom", path: ["sealKind"], message: "请选择印章类型（部门默认流程）或具体印章（印章专用流程）" });
  });
export type FlowSaveInput = z.infer<typeof flowSaveSchema>;

/** Calendar date YYYY-MM-DD (the request is valid through the end of that day, Asia/Shanghai). */
const dateOnly = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "请选择有效期").refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)), "日期无效");

export const requestFields = z.object({
  sealId: z.string().uuid("请选择印章"),
  reason: z.string().trim().min(2, "请填写用印事由").max(500, "用印事由不超过 500 字"),
  count: z.coerce.number({ message: "请填写用印数" }).int("用印数须为整数").min(1, "用印数至少为 1").max(MAX_USE_COUNT, `用印数不超过 ${MAX_USE_COUNT}`),
  validUntil: dateOnly,
  remarks: z.string().trim().max(1000, "备注不超过 1000 字"),
  /** save as a draft, or submit for approval at once */
  submit: z.boolean(),
});
export type RequestFields = z.infer<typeof requestFields>;

export const requestCreateSchema = requestFields;
export const requestUpdateSchema = requestFields.omit({ sealId: true }).extend({
  requestId: z.string().uuid(),
  /** documents kept from before (others are removed from the request, never deleted) */
  keepDocumentIds: z.array(z.string().uuid()).max(DOCUMENT_MAX_FILES),
  baseVersion: z.number().int().min(0),
});
export type RequestUpdateInput = z.infer<typeof requestUpdateSchema>;

export const requestIdSchema = z.object({ requestId: z.string().uuid() });
const comment = z.string().trim().max(500, "意见不超过 500 字");
export const decideSchema = z
  .object({ requestId: z.string().uuid(), stepId: z.string().uuid(), decision: z.enum(["APPROVED", "REJECTED"]), comment })
  .superRefine((v, ctx) => {
    if (v.decision === "REJECTED" && v.comment.length < 2) ctx.addIssue({ code: "custom", path: ["comment"], message: "驳回须填写意见" });
  });
export const transferSchema = z.object({ requestId: z.string().uuid(), stepId: z.string().uuid(), toUserId: z.string().uuid("请选择转办对象"), comment: comment.min(2, "请填写转办说明") });
export const addApproverSchema = z.object({ requestId: z.string().uuid(), stepId: z.string().uuid(), userId: z.string().uuid("请选择加签人"), comment: comment.min(2, "请填写加签说明") });
export const withdrawSchema = z.object({ requestId: z.string().uuid(), comment: comment });

export const positionSchema = z.object({
  page: z.number().int().min(1, "页码无效"),
  x: z.number().finite().min(0).max(14400),
  y: z.number().finite().min(0).max(14400),
});
export const signSchema = z.object({
  requestId: z.string().uuid(),
  documentId: z.string().uuid("请选择要签章的文件"),
  position: positionSchema,
  riding: z.boolean(),
  protectionPassword: z.string().max(64, "保护口令不超过 64 位"),
});
export type SignInput = z.infer<typeof signSchema>;

export const SEAL_USE_STATUSES = ["DRAFT", "PENDING", "APPROVED", "PARTLY_USED", "USED", "REJECTED", "WITHDRAWN", "EXPIRED"] as const;

export const requestFilter = pageQuery.extend({
  status: z.enum(SEAL_USE_STATUSES).optional().catch(undefined),
  q: z.string().trim().max(50).optional().catch(undefined),
  mine: z.enum(["1"]).optional().catch(undefined),
  /** the holder department; its subtree is included */
  dept: z.string().uuid().optional().catch(undefined),
  /** submitted / fully approved on these Asia/Shanghai days (inclusive): the dashboard's drill-downs */
  submittedFrom: dateOnly.optional().catch(undefined),
  submittedTo: dateOnly.optional().catch(undefined),
  approvedFrom: dateOnly.optional().catch(undefined),
  approvedTo: dateOnly.optional().catch(undefined),
});
export type RequestFilter = z.infer<typeof requestFilter>;

export const recordFilter = pageQuery.extend({
  q: z.string().trim().max(50).optional().catch(undefined),
  sealId: z.string().uuid().optional().catch(undefined),
  deptId: z.string().uuid().optional().catch(undefined),
  from: dateOnly.optional().catch(undefined),
  to: dateOnly.optional().catch(undefined),
});
export type RecordFilter = z.infer<typeof recordFilter>;
