// Rectification orders (责令限期整改) and notices (通报), V-02, as data: categories, statuses,
// event labels, attachment limits, and the zod schemas of every form and of the list's filter (the
// same on client and server). Pure: safe in client components. The rules are in rectification.ts.
import "@/lib/validation/zod-zh";
import { z } from "zod";
import { PAGE_SIZES } from "@/lib/pagination";

/** Sichuan licence measures Art. 20, Xuchang Art. 31. */
export const RECTIFICATION_CATEGORIES = ["CATALOG", "SHARING", "CORRECTION", "RECTIFY", "OTHER"] as const;
export type RectificationCategory = (typeof RECTIFICATION_CATEGORIES)[number];
export const CATEGORY_LABELS: Record<RectificationCategory, string> = {
  CATALOG: "未按规定维护目录",
  SHARING: "拒绝或拖延共享",
  CORRECTION: "未按规定更正错误数据",
  RECTIFY: "未按要求整改",
  OTHER: "其他",
};

export const RECTIFICATION_STATUSES = ["ISSUED", "RESPONDED", "RETURNED", "CLOSED"] as const;
export type RectificationStatus = (typeof RECTIFICATION_STATUSES)[number];
export const RECTIFICATION_STATUS_LABELS: Record<RectificationStatus, string> = {
  ISSUED: "待整改",
  RESPONDED: "已反馈",
  RETURNED: "已退回",
  CLOSED: "已办结",
};
/** Statuses in which the department still owes a response (the deadline runs). */
export const OPEN_FOR_RESPONSE: readonly RectificationStatus[] = ["ISSUED", "RETURNED"];

export const RECTIFICATION_EVENT_LABELS: Record<string, string> = {
  ISSUE: "下达整改通知",
  RESPOND: "部门反馈整改情况",
  RETURN: "退回重新整改",
  CLOSE: "验收办结",
  NOTICE: "通报",
};

export const EVIDENCE_KINDS = ["OBJECTION", "LICENCE", "SEAL_USE", "SPOT_CHECK", "ORDER", "LINK"] as const;
export type EvidenceKind = (typeof EVIDENCE_KINDS)[number];
export const EVIDENCE_KIND_LABELS: Record<EvidenceKind, string> = {
  OBJECTION: "异议",
  LICENCE: "电子证照",
  SEAL_USE: "用印申请",
  SPOT_CHECK: "抽查",
  ORDER: "整改通知",
  LINK: "链接",
};
/** What a user types for each kind (the numbers the pages show); the server resolves it to the row. */
export const EVIDENCE_REF_HINTS: Record<EvidenceKind, string> = {
  OBJECTION: "异议编号，如 YY20261201000001",
  LICENCE: "证照标识（1.2.156…）或证照编号",
  SEAL_USE: "用印申请编号，如 YY2026000001",
  SPOT_CHECK: "抽查编号，如 CC20261201001",
  ORDER: "整改通知编号，如 ZG202612010001",
  LINK: "站内路径（/开头）或 https 地址",
};
export const OBJECTION_NUMBER_RE = /^YY\d{14}$/;
export const SEAL_USE_NUMBER_RE = /^YY\d{10,}$/;
export const SPOT_CHECK_REF_RE = /^CC\d{11}$/;
const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Response attachments: ≤ 5 files, ≤ 10 MiB each; the type decided by magic bytes. */
export const ATTACHMENT_KINDS = ["pdf", "jpeg", "png", "docx", "xlsx"] as const;
export type AttachmentKind = (typeof ATTACHMENT_KINDS)[number];
export const ATTACHMENT_LIMITS = { maxFiles: 5, maxBytes: 10 * 1024 * 1024 };
export const ATTACHMENT_ACCEPT = ".pdf,.jpg,.jpeg,.png,.docx,.xlsx";

export const ORDER_NUMBER_RE = /^ZG\d{12}$/;

/** Does `ref` look like something the server can resolve for `kind` (an internal id, or the number users see)? */
export function evidenceRefShapeOk(kind: Exclude<EvidenceKind, "LINK">, ref: string): boolean {
  if (UUID_RE.test(ref)) return true;
  const r = ref.toUpperCase();
  if (kind === "OBJECTION") return OBJECTION_NUMBER_RE.test(r);
  if (kind === "SEAL_USE") return SEAL_USE_NUMBER_RE.test(r);
  if (kind === "SPOT_CHECK") return SPOT_CHECK_REF_RE.test(r);
  if (kind === "ORDER") return ORDER_NUMBER_RE.test(r);
  // a licence: its identifier or its number (numbers follow each type's own rule)
  return /^[^\s<>"'`\\]{1,100}$/u.test(ref);
}
export const NOTICE_NUMBER_RE = /^TB\d{11}$/;

// ---------------------------------------------------------------------------------------------
// Form schemas

const uuid = (msg: string) => z.string({ error: msg }).uuid(msg);
const id = uuid("整改通知不存在");
const rev = z.number({ error: "请刷新页面后重试" }).int().min(0);

export const evidenceItem = z
  .object({
    kind: z.enum(EVIDENCE_KINDS, { error: "请选择依据类型" }),
    id: z.string({ error: "请填写依据" }).trim().min(1, "请填写依据").max(500, "依据不超过 500 个字符"),
    label: z.string().trim().max(200, "说明不超过 200 字").default(""),
  })
  .superRefine((e, ctx) => {
    if (e.kind === "LINK") {
      if ((!/^\/[A-Za-z0-9\-._~/?=&%]*$/.test(e.id) || e.id.startsWith("//")) && !/^https:\/\/[^\s"<>]+$/.test(e.id)) ctx.addIssue({ code: "custom", path: ["id"], message: "链接须为站内路径（/开头）或 https 地址" });
    } else if (!evidenceRefShapeOk(e.kind, e.id)) ctx.addIssue({ code: "custom", path: ["id"], message: `请填写${EVIDENCE_REF_HINTS[e.kind]}` });
  });
export type EvidenceItem = z.infer<typeof evidenceItem>;

export const issueOrderInput = z.object({
  deptId: uuid("请选择被责令整改的部门"),
  category: z.enum(RECTIFICATION_CATEGORIES, { error: "请选择问题类别" }),
  title: z.string({ error: "请填写标题" }).trim().min(4, "标题至少 4 个字").max(200, "标题不超过 200 字"),
  description: z.string({ error: "请说明问题和整改要求" }).trim().min(10, "请说明问题和整改要求（至少 10 个字）").max(4000, "问题说明不超过 4000 字"),
  evidence: z
    .array(evidenceItem, { error: "依据格式不正确" })
    .max(50, "依据最多 50 条")
    .default([])
    .superRefine((list, ctx) => {
      const seen = new Set<string>();
      list.forEach((e, i) => {
        const k = `${e.kind}:${e.id}`;
        if (seen.has(k)) ctx.addIssue({ code: "custom", path: [i, "id"], message: "依据重复" });
        seen.add(k);
      });
    }),
  dueDays: z.coerce.number({ error: "请填写整改期限" }).int("整改期限为整数个工作日").min(1, "整改期限至少 1 个工作日").max(90, "整改期限不超过 90 个工作日").default(10),
});
export type IssueOrderInput = z.infer<typeof issueOrderInput>;
export type IssueOrderFormInput = z.input<typeof issueOrderInput>;

export const respondInput = z.object({
  id,
  rev: z.coerce.number({ error: "请刷新页面后重试" }).int().min(0),
  measures: z.string({ error: "请填写整改措施" }).trim().min(10, "请填写整改措施和结果（至少 10 个字）").max(4000, "整改措施不超过 4000 字"),
});
export type RespondInput = z.infer<typeof respondInput>;

export const closeInput = z.object({
  id,
  rev,
  note: z.string({ error: "请填写验收意见" }).trim().min(2, "请填写验收意见（至少 2 个字）").max(2000, "验收意见不超过 2000 字"),
});
export type CloseInput = z.infer<typeof closeInput>;

export const returnOrderInput = z.object({
  id,
  rev,
  reason: z.string({ error: "请填写退回理由" }).trim().min(5, "请填写退回理由（至少 5 个字）").max(2000, "退回理由不超过 2000 字"),
  /** 0: the due date stays; else extended by this many working days from the stored due date */
  extendDays: z.coerce.number({ error: "延长期限为整数个工作日" }).int("延长期限为整数个工作日").min(0, "延长期限不能为负数").max(90, "延长期限不超过 90 个工作日").default(0),
});
export type ReturnOrderInput = z.infer<typeof returnOrderInput>;
export type ReturnOrderFormInput = z.input<typeof returnOrderInput>;

export const publishNoticeInput = z.object({
  orderIds: z.array(uuid("整改通知不存在"), { error: "请选择超期的整改通知" }).min(1, "请至少选择一个超期的整改通知").max(100, "一次最多通报 100 个整改通知"),
  title: z.string({ error: "请填写通报标题" }).trim().min(4, "通报标题至少 4 个字").max(200, "通报标题不超过 200 字"),
  /** blank: generated from the orders */
  body: z.string().trim().max(8000, "通报正文不超过 8000 字").default(""),
});
export type PublishNoticeInput = z.infer<typeof publishNoticeInput>;
export type PublishNoticeFormInput = z.input<typeof publishNoticeInput>;

// ---------------------------------------------------------------------------------------------
// The list's filter: read forgivingly from the URL (a bad value is dropped)

const isRealDate = (s: string) => {
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
};
const ymd = z.string().regex(/^\d{4}-\d{2}-\d{2}$/).refine(isRealDate);
const loose = <T extends z.ZodType>(s: T) => s.optional().catch(undefined);

export const orderFilter = z.object({
  page: z.coerce.number().int().min(1).max(100_000).catch(1),
  pageSize: z.coerce.number().int().refine((v) => (PAGE_SIZES as readonly number[]).includes(v)).catch(20),
  status: loose(z.enum(RECTIFICATION_STATUSES)),
  category: loose(z.enum(RECTIFICATION_CATEGORIES)),
  deptId: loose(z.string().uuid()),
  /** "1": ISSUED or RETURNED and past the stored due date */
  overdue: loose(z.enum(["1"])),
  number: loose(z.string().trim().toUpperCase().max(20)),
  /** issued on or after this day (Asia/Shanghai) */
  from: loose(ymd),
  /** issued on or before this day (Asia/Shanghai) */
  to: loose(ymd),
});
export type OrderFilter = z.infer<typeof orderFilter>;

/**
 * The new-order page's prefill (?dept=<id>&category=<C>&evidence=objection:<id>,licence:<id>):
 * values that do not parse are dropped, never echoed.
 */
export function orderPrefill(raw: { dept?: unknown; evidence?: unknown; category?: unknown }): {
  deptId: string;
  category: RectificationCategory | "";
  evidence: { kind: "OBJECTION" | "LICENCE"; id: string }[];
} {
  const deptId = z.string().uuid().safeParse(raw.dept).success ? (raw.dept as string) : "";
  const category = z.enum(RECTIFICATION_CATEGORIES).safeParse(raw.category).success ? (raw.category as RectificationCategory) : "";
  const evidence: { kind: "OBJECTION" | "LICENCE"; id: string }[] = [];
  if (typeof raw.evidence === "string")
    for (const part of raw.evidence.split(",").slice(0, 50)) {
      const m = /^(objection|licence):([0-9a-fA-F-]{36})$/.exec(part.trim());
      if (!m || !z.string().uuid().safeParse(m[2]).success) continue;
      const e = { kind: m[1] === "objection" ? ("OBJECTION" as const) : ("LICENCE" as const), id: m[2].toLowerCase() };
      if (!evidence.some((x) => x.kind === e.kind && x.id === e.id)) evidence.push(e);
    }
  return { deptId, category, evidence };
}

/** A department's candidate evidence, for the new-order form's picker. */
export const evidenceCandidatesInput = z.object({ deptId: uuid("请选择被责令整改的部门") });

/** Whole days past the due date (0 when not overdue). */
export function daysOverdue(dueAt: Date, now: Date): number {
  const ms = now.getTime() - dueAt.getTime();
  return ms > 0 ? Math.ceil(ms / 86_400_000) : 0;
}
