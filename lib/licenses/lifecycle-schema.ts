// The licence lifecycle (L-08, L-10, L-11) as data: statuses, the one transition table, the
// enumerated reasons of each transition, and the zod schemas of the lifecycle forms (the same on
// client and server). Pure: safe in client components. The services are in lifecycle.ts.
import "@/lib/validation/zod-zh";
import { z } from "zod";

export const LICENCE_STATUSES = ["VALID", "SUSPENDED", "REVOKED", "CANCELLED", "ANNULLED", "EXPIRED"] as const;
export type LicenceStatusName = (typeof LICENCE_STATUSES)[number];

export const LICENCE_STATUS_LABELS: Record<LicenceStatusName, string> = {
  VALID: "有效",
  SUSPENDED: "暂扣",
  REVOKED: "已吊销",
  CANCELLED: "已注销",
  ANNULLED: "已撤销/废止",
  EXPIRED: "已过期",
};

/** Statuses no transition leaves (also enforced by the database trigger `licence_guard`). */
export const FINAL_STATUSES: readonly LicenceStatusName[] = ["REVOKED", "CANCELLED", "ANNULLED"];

export type Reason = { code: string; label: string };

/** 延续 is applied for within this many days before validity ends (or after it has ended). */
export const RENEWAL_WINDOW_DAYS = 90;

/** Why a licence ending on `validTo` (YYYY-MM-DD, null = permanent) cannot be renewed on `today`, or null. */
export function renewalBlock(validTo: string | null, today: string): string | null {
  if (!validTo) return "长期有效的证照无需延续";
  const days = Math.round((Date.parse(`${validTo}T00:00:00Z`) - Date.parse(`${today}T00:00:00Z`)) / 86_400_000);
  if (days > RENEWAL_WINDOW_DAYS) return `延续应在有效期届满前 ${RENEWAL_WINDOW_DAYS} 日内办理（本证有效期至 ${validTo}，还有 ${days} 日）`;
  return null;
}
type TransitionDef = { from: readonly LicenceStatusName[]; to: LicenceStatusName; label: string; kind: string; reasons: readonly Reason[] };

const OTHER: Reason = { code: "OTHER", label: "其他" };

/**
 * The transition table (STANDARDS.md "Status"; 行政许可法 Art.69 撤销, Art.70 注销). Every one is
 * done by an issuer operator (licence.issue) of the licence's current issuing department.
 */
export const TRANSITIONS = {
  suspend: {
    from: ["VALID"],
    to: "SUSPENDED",
    label: "暂扣",
    kind: "SUSPEND",
    reasons: [
      { code: "VIOLATION", label: "违法违规经营，依法暂扣" },
      { code: "RECTIFICATION", label: "责令限期整改" },
      { code: "INVESTIGATION", label: "涉嫌违法，正在调查" },
      { code: "HOLDER_REQUEST", label: "持证主体申请暂停" },
      OTHER,
    ],
  },
  resume: {
    from: ["SUSPENDED"],
    to: "VALID",
    label: "恢复",
    kind: "RESUME",
    reasons: [
      { code: "RECTIFIED", label: "整改完成" },
      { code: "SUSPENSION_ENDED", label: "暂扣期限届满" },
      { code: "SUSPENDED_IN_ERROR", label: "暂扣有误" },
      OTHER,
    ],
  },
  revoke: {
    from: ["VALID", "SUSPENDED"],
    to: "REVOKED",
    label: "吊销",
    kind: "REVOKE",
    reasons: [
      { code: "PENALTY", label: "行政处罚决定吊销" },
      { code: "SERIOUS_VIOLATION", label: "严重违法，依法吊销" },
      OTHER,
    ],
  },
  cancel: {
    from: ["VALID", "SUSPENDED", "EXPIRED"],
    to: "CANCELLED",
    label: "注销",
    kind: "CANCEL",
    reasons: [
      { code: "HOLDER_REQUEST", label: "持证主体申请注销" },
      { code: "EXPIRED_NOT_RENEWED", label: "有效期届满未延续" },
      { code: "HOLDER_DEATH", label: "公民死亡或丧失行为能力" },
      { code: "ORG_TERMINATED", label: "法人或其他组织依法终止" },
      { code: "FORCE_MAJEURE", label: "因不可抗力无法实施" },
      OTHER,
    ],
  },
  annul: {
    from: ["VALID", "SUSPENDED", "EXPIRED"],
    to: "ANNULLED",
    label: "撤销/废止",
    kind: "ANNUL",
    reasons: [
      { code: "ISSUED_IN_ERROR", label: "错误签发（信息有误）" },
      { code: "FRAUD", label: "以欺骗、贿赂等不正当手段取得" },
      { code: "UNQUALIFIED", label: "申请人不具备资格或不符合法定条件" },
      { code: "BEYOND_AUTHORITY", label: "超越法定职权作出" },
      { code: "PROCEDURE_VIOLATION", label: "违反法定程序作出" },
      { code: "ABOLISHED", label: "依据的法律法规废止" },
      OTHER,
    ],
  },
} as const satisfies Record<string, TransitionDef>;
export type TransitionName = keyof typeof TRANSITIONS;
export const TRANSITION_NAMES = Object.keys(TRANSITIONS) as [TransitionName, ...TransitionName[]];

/** Reasons recorded by the system, never chosen in a form. */
export const SYSTEM_REASONS: Record<string, string> = {
  CHANGED: "已变更，由新版本替代",
  RENEWED: "已延续，由新版本替代",
  EXPIRED: "有效期届满",
};

export function transitionAllowed(name: TransitionName, status: string): boolean {
  return (TRANSITIONS[name].from as readonly string[]).includes(status);
}

/** The label of a reason code in any transition (or a system reason). */
export function reasonLabel(code: string | null | undefined): string {
  if (!code) return "";
  if (SYSTEM_REASONS[code]) return SYSTEM_REASONS[code];
  for (const t of Object.values(TRANSITIONS)) {
    const r = (t.reasons as readonly Reason[]).find((x) => x.code === code);
    if (r) return r.label;
  }
  return code;
}

/** Timeline labels of LicenceEvent kinds. */
export const EVENT_KIND_LABELS: Record<string, string> = {
  ISSUE: "签发",
  BULK: "存量导入",
  CHANGE: "变更（新版本）",
  RENEW: "延续（新版本）",
  SUSPEND: "暂扣",
  RESUME: "恢复",
  REVOKE: "吊销",
  CANCEL: "注销",
  ANNUL: "撤销/废止",
  EXPIRE: "到期",
  PLEDGE: "质押",
  RELEASE_PLEDGE: "解除质押",
  TRANSFER: "划转",
  RESEAL: "重新签章",
  QR_REVOKE: "作废已打印的二维码",
};

/** Pledge and change / renewal are allowed from these statuses. */
export const PLEDGE_FROM: readonly LicenceStatusName[] = ["VALID"];
export const CHANGE_FROM: readonly LicenceStatusName[] = ["VALID"];
export const RENEW_FROM: readonly LicenceStatusName[] = ["VALID", "EXPIRED"];

// ---------------------------------------------------------------------------------------------
// Form schemas

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DATETIME_LOCAL = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/;
const licenceId = z.string().uuid("证照不存在");
const rev = z.number({ error: "请刷新页面后重试" }).int().min(0);
const reasonText = z.string({ error: "请填写说明" }).trim().min(1, "请填写说明").max(500, "说明不超过 500 字");

function realDate(s: string): boolean {
  if (!DATE.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}
const date = (missing: string) => z.string({ error: missing }).trim().refine((s) => s !== "", missing).refine((s) => s === "" || realDate(s), "日期须为有效的年-月-日");

export const transitionInput = z
  .object({
    licenceId,
    rev,
    transition: z.enum(TRANSITION_NAMES, { error: "请选择操作" }),
    reasonCode: z.string({ error: "请选择原因" }).min(1, "请选择原因").max(40),
    reasonText,
  })
  .superRefine((v, ctx) => {
    const reasons = TRANSITIONS[v.transition].reasons as readonly Reason[];
    if (v.reasonCode && !reasons.some((r) => r.code === v.reasonCode)) ctx.addIssue({ code: "custom", path: ["reasonCode"], message: "请从列表中选择原因" });
  });
export type TransitionInput = z.infer<typeof transitionInput>;

export const pledgeInput = z
  .object({
    licenceId,
    rev,
    pledgee: z.string({ error: "请填写质权人" }).trim().min(1, "请填写质权人").max(200, "质权人不超过 200 字"),
    startsOn: date("请填写质押开始日期"),
    endsOn: date("请填写质押结束日期"),
    note: z.string().trim().max(500, "备注不超过 500 字").default(""),
  })
  .superRefine((v, ctx) => {
    if (realDate(v.startsOn) && realDate(v.endsOn) && v.endsOn < v.startsOn) ctx.addIssue({ code: "custom", path: ["endsOn"], message: "结束日期不能早于开始日期" });
  });
export type PledgeInput = z.infer<typeof pledgeInput>;

export const releasePledgeInput = z.object({ licenceId, rev, restrictionId: z.string().uuid("质押记录不存在"), reasonText });
export type ReleasePledgeInput = z.infer<typeof releasePledgeInput>;

const businessCompletedAt = z
  .string({ error: "请填写业务办结时间" })
  .regex(DATETIME_LOCAL, "请填写业务办结时间")
  .refine((s) => !Number.isNaN(new Date(`${s.length === 16 ? `${s}:00` : s}+08:00`).getTime()), "业务办结时间不正确");

export const renewInput = z.object({ licenceId, rev, businessCompletedAt, reasonText });
export type RenewInput = z.infer<typeof renewInput>;

/**
 * 变更: the new face (validated by the type's own schema on the server), the holder's name, and
 * optionally a new start of validity. Sensitive face fields are never sent to the page, so a blank
 * sensitive field means "unchanged".
 */
export const changeInput = z.object({
  licenceId,
  rev,
  businessCompletedAt,
  validFrom: z.string().trim().refine((s) => s === "" || realDate(s), "日期须为有效的年-月-日").default(""),
  holderName: z.string({ error: "请填写持证主体名称" }).trim().min(1, "请填写持证主体名称").max(200, "不超过 200 个字符"),
  face: z.record(z.string(), z.unknown()),
  reasonText,
});
export type ChangeInput = z.infer<typeof changeInput>;
export type ChangeFormInput = z.input<typeof changeInput>;

export const resealInput = z.object({ licenceIds: z.array(z.string().uuid()).max(500, "一次最多 500 张").default([]) });
export type ResealInput = z.infer<typeof resealInput>;

export const transferInput = z
  .object({
    fromDeptId: z.string({ error: "请选择原部门" }).uuid("请选择原部门"),
    toDeptId: z.string({ error: "请选择承接部门" }).uuid("请选择承接部门"),
    reason: z.string({ error: "请填写划转依据" }).trim().min(1, "请填写划转依据（如机构改革文件）").max(500, "不超过 500 字"),
  })
  .superRefine((v, ctx) => {
    if (v.fromDeptId === v.toDeptId) ctx.addIssue({ code: "custom", path: ["toDeptId"], message: "承接部门不能是原部门" });
  });
export type TransferInput = z.infer<typeof transferInput>;
