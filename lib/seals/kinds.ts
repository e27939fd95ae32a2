// Seal kinds (S-01) and their mapping to the SES_ESPropertyInfo `type` integer of GB/T 38540,
// which the standard leaves to the implementer: this table is the one place that defines it.
export const SEAL_KINDS = ["LEGAL_NAME", "INTERNAL_DEPT", "BRANCH", "BUSINESS", "POSITION", "PERSONAL"] as const;
export type SealKind = (typeof SEAL_KINDS)[number];
export const BUSINESS_TYPES = ["CONTRACT", "FINANCE", "INVOICE", "AUDIT", "CUSTOMS"] as const;
export type BusinessType = (typeof BUSINESS_TYPES)[number];
export const POSITION_TYPES = ["LEGAL_REP", "PRINCIPAL", "FINANCE_HEAD", "AUTHORISED_REP"] as const;
export type PositionType = (typeof POSITION_TYPES)[number];

export const SEAL_KIND_LABELS: Record<SealKind, string> = {
  LEGAL_NAME: "法定名称章",
  INTERNAL_DEPT: "内设机构章",
  BRANCH: "分支机构章",
  BUSINESS: "业务专用章",
  POSITION: "职务名章",
  PERSONAL: "个人名章",
};
export const BUSINESS_TYPE_LABELS: Record<BusinessType, string> = {
  CONTRACT: "合同专用章",
  FINANCE: "财务专用章",
  INVOICE: "发票专用章",
  AUDIT: "审验专用章",
  CUSTOMS: "报关专用章",
};
export const POSITION_TYPE_LABELS: Record<PositionType, string> = {
  LEGAL_REP: "法定代表人名章",
  PRINCIPAL: "主要负责人名章",
  FINANCE_HEAD: "财务负责人名章",
  AUTHORISED_REP: "授权代表人名章",
};

/** SES property `type`: 1–3 public seals, 11–15 business seals, 21–24 position seals, 31 personal. */
export const SES_TYPE_TABLE: { kind: SealKind; businessType?: BusinessType; positionType?: PositionType; sesType: number }[] = [
  { kind: "LEGAL_NAME", sesType: 1 },
  { kind: "INTERNAL_DEPT", sesType: 2 },
  { kind: "BRANCH", sesType: 3 },
  { kind: "BUSINESS", businessType: "CONTRACT", sesType: 11 },
  { kind: "BUSINESS", businessType: "FINANCE", sesType: 12 },
  { kind: "BUSINESS", businessType: "INVOICE", sesType: 13 },
  { kind: "BUSINESS", businessType: "AUDIT", sesType: 14 },
  { kind: "BUSINESS", businessType: "CUSTOMS", sesType: 15 },
  { kind: "POSITION", positionType: "LEGAL_REP", sesType: 21 },
  { kind: "POSITION", positionType: "PRINCIPAL", sesType: 22 },
  { kind: "POSITION", positionType: "FINANCE_HEAD", sesType: 23 },
  { kind: "POSITION", positionType: "AUTHORISED_REP", sesType: 24 },
  { kind: "PERSONAL", sesType: 31 },
];

export function sesTypeOf(kind: SealKind, businessType?: BusinessType | null, positionType?: PositionType | null): number {
  const row = SES_TYPE_TABLE.find(
    (r) => r.kind === kind && (r.businessType ?? null) === (kind === "BUSINESS" ? businessType ?? null : null) && (r.positionType ?? null) === (kind === "POSITION" ? positionType ?? null : null),
  );
  if (!row) throw new Error(`no SES type for ${kind}/${businessType ?? "-"}/${positionType ?? "-"}`);
  return row.sesType;
}

export function kindFromSesType(sesType: number) {
  return SES_TYPE_TABLE.find((r) => r.sesType === sesType) ?? null;
}

export function sealKindLabel(kind: SealKind, businessType?: BusinessType | null, positionType?: PositionType | null): string {
  if (kind === "BUSINESS" && businessType) return BUSINESS_TYPE_LABELS[businessType];
  if (kind === "POSITION" && positionType) return POSITION_TYPE_LABELS[positionType];
  return SEAL_KIND_LABELS[kind];
}

// S-07: the reasons the measures enumerate (SC-S Art.13–14, SCD Art.21–22, XA-S Art.16–17).
export const REPLACE_REASONS = {
  HOLDER_INFO_CHANGED: "持有主体相关信息变更（单位或机构变更、名称变更、法定代表人或经营者变更、持有人姓名变更）",
  PHYSICAL_SEAL_CHANGED: "实物印章发生变更",
  KEY_COMPROMISED: "电子印章相关密钥泄露",
  DEVICE_DAMAGED_OR_LOST: "电子印章或其存储设备损坏、被盗、遗失",
  OTHER_REPLACE: "其他需要更换并注销的情形",
} as const;
export const CANCEL_REASONS = {
  ORG_DISSOLVED: "单位或者机构注销、撤并",
  PHYSICAL_SEAL_RETIRED: "实物印章不再使用",
  NO_LONGER_USED: "电子印章不再使用",
  KEY_COMPROMISED: "电子印章相关密钥泄露",
  STOLEN_OR_LOST: "电子印章被盗或者遗失",
  OTHER_CANCEL: "其他需要注销的情形",
} as const;
export type ReplaceReason = keyof typeof REPLACE_REASONS;
export type CancelReason = keyof typeof CANCEL_REASONS;

export const SEAL_STATUS_LABELS = {
  APPLIED: "已申请",
  UNDER_REVIEW: "审核中",
  REJECTED: "已驳回",
  PRODUCED: "已制作待备案",
  ACTIVE: "有效",
  CANCELLED: "已注销",
} as const;

export const USE_MODE_LABELS = { CENTRALISED: "集中式（平台托管，凭授权使用）", DISTRIBUTED: "分散式（持有人凭保护口令使用）" } as const;

/** Picture size in millimetres by the holder's level (STANDARDS.md): province 50, city/county 45, others 42. */
export function renewalWindowOpens(validEnd: Date): Date {
  return new Date(validEnd.getTime() - 30 * 86_400_000);
}
