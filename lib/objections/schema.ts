// Objections (O-01 … O-06) as data: statuses, outcomes, the cross-region stages, event labels, the
// evidence limits, and the zod schemas of every form and of the queue's filter (the same on client
// and server). Pure: safe in client components. The rules are in service.ts.
import "@/lib/validation/zod-zh";
import { z } from "zod";
import { PAGE_SIZES } from "@/lib/pagination";

export const OBJECTION_STATUSES = ["SUBMITTED", "MARKED", "RESOLVED", "WITHDRAWN"] as const;
export type ObjectionStatus = (typeof OBJECTION_STATUSES)[number];
export const OBJECTION_STATUS_LABELS: Record<ObjectionStatus, string> = {
  SUBMITTED: "待标注",
  MARKED: "已标注",
  RESOLVED: "已办结",
  WITHDRAWN: "已撤回",
};

export const OBJECTION_OUTCOMES = ["CORRECTED", "UPHELD", "REJECTED"] as const;
export type ObjectionOutcome = (typeof OBJECTION_OUTCOMES)[number];
export const OUTCOME_LABELS: Record<ObjectionOutcome, string> = {
  CORRECTED: "已更正",
  UPHELD: "经核实数据无误",
  REJECTED: "不予采纳",
};

/** Cross-region objections (O-06): AT_PROVINCE → AT_ISSUER → (resolved) RETURNING → RETURNED. */
export const ROUTE_STAGES = ["AT_PROVINCE", "AT_ISSUER", "RETURNING", "RETURNED"] as const;
export type RouteStage = (typeof ROUTE_STAGES)[number];
export const ROUTE_STAGE_LABELS: Record<RouteStage, string> = {
  AT_PROVINCE: "待省级转办",
  AT_ISSUER: "已转发证部门",
  RETURNING: "待省级反馈",
  RETURNED: "已反馈申请方",
};

export const OBJECTION_SOURCES = ["HOLDER", "DEPT"] as const;
export type ObjectionSource = (typeof OBJECTION_SOURCES)[number];
export const SOURCE_LABELS: Record<ObjectionSource, string> = { HOLDER: "持证主体", DEPT: "用证部门" };

/** Timeline labels of ObjectionEvent kinds. */
export const OBJECTION_EVENT_LABELS: Record<string, string> = {
  SUBMIT: "提出异议",
  ROUTE: "跨区域，转省级管理部门",
  FORWARD: "省级转办至发证部门",
  MARK: "异议标注",
  RESOLVE: "办结",
  CORRECT: "更正（变更为新版本）",
  RETURN: "省级反馈申请方",
  WITHDRAW: "申请方撤回",
  REMIND: "过半提醒",
  ESCALATE: "超期督办",
  FOLLOW: "随证照转至新版本",
  TRANSFER: "随证照划转承接部门",
};

export const ESCALATION_KIND_LABELS: Record<"MARK" | "RESOLVE", string> = { MARK: "标注超期", RESOLVE: "办结超期" };

/** Evidence files (O-01): PDF or images, checked by magic bytes. */
export const EVIDENCE_LIMITS = { maxFiles: 5, maxBytes: 5 * 1024 * 1024, allowed: ["pdf", "jpeg", "png"] as ("pdf" | "jpeg" | "png")[] };

/** Lookup codes: 8 characters without 0/O/1/I. */
export const LOOKUP_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ";
export const NUMBER_RE = /^YY\d{14}$/;
const LOOKUP_RE = new RegExp(`^[${LOOKUP_ALPHABET}]{8}$`);

// ---------------------------------------------------------------------------------------------
// Form schemas

const id = z.string({ error: "异议不存在" }).uuid("异议不存在");
const rev = z.number({ error: "请刷新页面后重试" }).int().min(0);
const note = z.string().trim().max(500, "备注不超过 500 字").default("");
const description = z.string({ error: "请说明异议内容" }).trim().min(5, "请说明哪里有误（至少 5 个字）").max(2000, "异议说明不超过 2000 字");
const reason = z.string({ error: "请填写办结理由" }).trim().min(5, "请填写办结理由（至少 5 个字）").max(2000, "办结理由不超过 2000 字");

export const objectionField = z.object({
  key: z.string({ error: "请选择有异议的字段" }).regex(/^[a-z][a-zA-Z0-9_]{0,39}$/, "请选择有异议的字段"),
  expected: z.string({ error: "请填写正确的内容" }).trim().min(1, "请填写您认为正确的内容").max(500, "正确内容不超过 500 字"),
});
export type ObjectionFieldInput = z.infer<typeof objectionField>;

const fields = z
  .array(objectionField, { error: "请选择有异议的字段" })
  .min(1, "请至少选择一个有异议的字段")
  .max(20, "一次最多对 20 个字段提出异议")
  .superRefine((list, ctx) => {
    const seen = new Set<string>();
    list.forEach((f, i) => {
      if (seen.has(f.key)) ctx.addIssue({ code: "custom", path: [i, "key"], message: "字段重复" });
      seen.add(f.key);
    });
  });

/** A using department's objection from the licence page (licence.use). */
export const deptObjectionInput = z.object({
  licenceId: z.string({ error: "证照不存在" }).uuid("证照不存在"),
  fields,
  description,
});
export type DeptObjectionInput = z.infer<typeof deptObjectionInput>;
export type DeptObjectionFormInput = z.input<typeof deptObjectionInput>;

const MOBILE = /^1[3-9]\d{9}$/;
const EMAIL = /^[^\s@]{1,64}@[^\s@]{1,190}\.[^\s@]{2,}$/;
export function contactKind(contact: string): "SMS" | "EMAIL" | null {
  const c = contact.replace(/\s+/g, "");
  if (MOBILE.test(c)) return "SMS";
  if (EMAIL.test(c) && c.length <= 200) return "EMAIL";
  return null;
}

/** A holder's objection on the public page (no sign-in; rate-limited by the service). */
export const holderObjectionInput = z.object({
  identifier: z.string({ error: "请填写证照标识" }).trim().min(1, "请填写证照标识").max(100, "证照标识不超过 100 位"),
  holderCode: z.string({ error: "请填写持证主体代码" }).trim().min(1, "请填写持证主体代码（统一社会信用代码或身份证号码）").max(40, "持证主体代码不超过 40 位"),
  applicantName: z.string({ error: "请填写姓名或名称" }).trim().min(1, "请填写姓名或名称").max(100, "姓名或名称不超过 100 字"),
  contact: z
    .string({ error: "请填写联系方式" })
    .trim()
    .min(1, "请填写联系方式（手机号码或电子邮箱）")
    .max(200, "联系方式不超过 200 个字符")
    .refine((c) => contactKind(c) !== null, "请填写正确的手机号码或电子邮箱"),
  fields,
  description,
});
export type HolderObjectionInput = z.infer<typeof holderObjectionInput>;
export type HolderObjectionFormInput = z.input<typeof holderObjectionInput>;

/**
 * The public form's identifier taken from the link of the verification card (/objection?identifier=…):
 * one value of the identifier's characters (GB/T 36904: digits, letters, dots), at most 100; anything
 * else is ignored (empty), never echoed into the page.
 */
const prefill = z.string().trim().min(1).max(100).regex(/^[0-9A-Za-z.]+$/);
export function prefilledIdentifier(raw: unknown): string {
  const r = prefill.safeParse(raw);
  return r.success ? r.data : "";
}

/** 异议标注 (O-02). */
export const markInput = z.object({ id, rev, note });
export type MarkInput = z.infer<typeof markInput>;

/** 办结 without a change (O-03): the data is right (UPHELD) or the objection is not accepted (REJECTED). */
export const resolveInput = z.object({
  id,
  rev,
  outcome: z.enum(["UPHELD", "REJECTED"], { error: "请选择办结结果" }),
  reason,
});
export type ResolveInput = z.infer<typeof resolveInput>;

/**
 * 更正 (O-03): a change (变更) of the licence with the new face, validated by the type's own schema
 * in the licences service; hidden (sensitive) fields left blank keep their values.
 */
/** The correction's own note to the applicant (the form labels it 更正说明（将告知申请方）). */
const correctionReason = z.string({ error: "请填写更正说明" }).trim().min(5, "请填写更正说明（至少 5 个字）").max(2000, "更正说明不超过 2000 字");

export const correctInput = z.object({
  id,
  rev,
  reason: correctionReason,
  face: z.record(z.string(), z.unknown(), { error: "请填写照面信息" }),
  /** the holder's new name when it is in question; blank keeps the current one */
  holderName: z.string().trim().max(200, "不超过 200 个字符").default(""),
  /** the change's own note in the licence's timeline; blank gives "根据异议 … 更正" */
  changeReason: z.string().trim().max(500, "变更说明不超过 500 字").default(""),
});
export type CorrectInput = z.infer<typeof correctInput>;
export type CorrectFormInput = z.input<typeof correctInput>;

/** 转办 (O-06): the provincial management department forwards to the issuing department. */
export const forwardInput = z.object({ id, rev, note });
export type ForwardInput = z.infer<typeof forwardInput>;

/** 反馈 (O-06): the provincial management department returns the result to the applicant. */
export const returnInput = z.object({ id, rev, note });
export type ReturnInput = z.infer<typeof returnInput>;

/** 撤回 by the applicant department. */
export const withdrawInput = z.object({ id, rev });
export type WithdrawInput = z.infer<typeof withdrawInput>;

const number = z
  .string({ error: "请填写异议编号" })
  .transform((s) => s.replace(/\s+/g, "").toUpperCase())
  .refine((s) => NUMBER_RE.test(s), "异议编号为 YY 加 14 位数字");
const lookupCode = z
  .string({ error: "请填写查询码" })
  .transform((s) => s.replace(/\s+/g, "").toUpperCase())
  .refine((s) => LOOKUP_RE.test(s), "查询码为 8 位字母或数字");

/** The holder's public lookup and withdrawal: the number and the lookup code given at submission. */
export const lookupInput = z.object({ number, lookupCode });
export type LookupInput = z.infer<typeof lookupInput>;
export const holderWithdrawInput = lookupInput;
export type HolderWithdrawInput = LookupInput;

// ---------------------------------------------------------------------------------------------
// The queue's filter: read forgivingly from the URL (a bad value is dropped)

const isRealDate = (s: string) => {
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
};
const ymd = z.string().regex(/^\d{4}-\d{2}-\d{2}$/).refine(isRealDate);
const loose = <T extends z.ZodType>(s: T) => s.optional().catch(undefined);

export const objectionFilter = z.object({
  page: z.coerce.number().int().min(1).max(100_000).catch(1),
  pageSize: z.coerce.number().int().refine((v) => (PAGE_SIZES as readonly number[]).includes(v)).catch(20),
  status: loose(z.enum(OBJECTION_STATUSES)),
  /** "1": a deadline has passed and is not met */
  overdue: loose(z.enum(["1"])),
  /** "1": a deadline falls today (Asia/Shanghai) and is not met */
  dueToday: loose(z.enum(["1"])),
  /** the issuing or the applicant department */
  deptId: loose(z.string().uuid()),
  /** missed a deadline (the dashboard's on-time rates): "mark" — marked late, or its marking
   * deadline passed unmarked while it waited; "resolve" — likewise for resolution */
  late: loose(z.enum(["mark", "resolve"])),
  /** the issuing department only (the supervision dashboard counts objections by it) */
  issuer: loose(z.string().uuid()),
  /** issuing departments in this department's subtree (the dashboard's region) */
  region: loose(z.string().uuid()),
  stage: loose(z.enum(ROUTE_STAGES)),
  source: loose(z.enum(OBJECTION_SOURCES)),
  number: loose(z.string().trim().toUpperCase().max(20)),
  identifier: loose(z.string().trim().max(100)),
  /** received on or after this day (Asia/Shanghai) */
  from: loose(ymd),
  /** received on or before this day (Asia/Shanghai) */
  to: loose(ymd),
});
export type ObjectionFilter = z.infer<typeof objectionFilter>;
