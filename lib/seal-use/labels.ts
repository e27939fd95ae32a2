// Chinese names of seal-use states (shared by pages, exports and messages).
export const SEAL_USE_STATUS_LABELS = {
  DRAFT: "草稿",
  PENDING: "审批中",
  APPROVED: "已批准",
  PARTLY_USED: "部分用印",
  USED: "已用印",
  REJECTED: "已驳回",
  WITHDRAWN: "已撤回",
  EXPIRED: "已过期",
} as const;
export type SealUseStatusName = keyof typeof SEAL_USE_STATUS_LABELS;

export const STEP_STATUS_LABELS = { WAITING: "未开始", ACTIVE: "审批中", APPROVED: "已通过", REJECTED: "已驳回", CANCELLED: "已取消" } as const;
export const DECISION_LABELS = { PENDING: "待处理", APPROVED: "同意", REJECTED: "驳回", TRANSFERRED: "已转办", SKIPPED: "无需处理" } as const;
export const MODE_LABELS = { ANY: "或签（任一人同意）", ALL: "会签（全部同意）" } as const;
export const ORIGIN_LABELS: Record<string, string> = { FLOW: "流程", ADDED: "加签", TRANSFER: "转办" };

/** The request number shown to people: YY + year + 6-digit sequence. */
export function requestNumber(seq: bigint | number, createdAt: Date): string {
  return `YY${createdAt.getUTCFullYear()}${String(seq).padStart(6, "0")}`;
}
