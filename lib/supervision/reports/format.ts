// Formatting shared by the report's workbook and PDF: Asia/Shanghai dates, percentages, and the
// headline figures in the order both print them. Pure functions of the report's data.
import { UNAPPROVED_SIGNATURE_LABEL } from "@/lib/supervision/labels";
import type { ReportData } from "@/lib/supervision/reports/data";

const SHANGHAI_MS = 8 * 3_600_000;

/** "2026-11-05 14:03" (Asia/Shanghai). */
export const fmtTime = (d: Date) => new Date(d.getTime() + SHANGHAI_MS).toISOString().slice(0, 16).replace("T", " ");
/** "2026-11-05" (Asia/Shanghai). */
export const fmtDate = (d: Date) => new Date(d.getTime() + SHANGHAI_MS).toISOString().slice(0, 10);
/** "97.5%", or "—" without data. */
export const fmtPct = (p: number | null) => (p === null ? "—" : `${p}%`);

/** The sync modes as the dashboard names them: a copy of SYNC_LABELS in app/(portal)/supervision/dashboard/_ui/labels.ts (keep the two the same). */
export const SYNC_LABELS: Record<"ONLINE" | "OFFLINE" | "BULK", string> = { ONLINE: "实时（即时汇聚）", OFFLINE: "离线（1 个工作日内）", BULK: "批量（5 个工作日内）" };

export type Headline = { key: string; label: string; value: number | string; alert?: boolean };

/** The report's headline figures (概览 and the PDF's first section). Numbers stay numbers. */
export function headlines(d: ReportData): Headline[] {
  const pct = (p: number | null) => (p === null ? "—" : p);
  return [
    { key: "issued", label: "本期签发证照", value: d.licences.issued },
    { key: "aggregated", label: "本期存量汇聚证照", value: d.licences.aggregated },
    { key: "onTimePct", label: "汇聚及时率(%)", value: pct(d.licences.onTimePct) },
    { key: "objections", label: "受理异议", value: d.objections.received },
    { key: "markedOnTimePct", label: "异议按时标注率(%)", value: pct(d.objections.markedOnTimePct) },
    { key: "resolvedOnTimePct", label: "异议按时办结率(%)", value: pct(d.objections.resolvedOnTimePct) },
    { key: "objectionsOverdue", label: "当前超期异议", value: d.objections.overdueNow, alert: d.objections.overdueNow > 0 },
    { key: "avgResolve", label: "平均办结工作日", value: d.objections.avgWorkingDaysToResolve ?? "—" },
    { key: "findings", label: "数据质量问题（当前）", value: Object.values(d.quality.findings).reduce((a, b) => a + b, 0) },
    { key: "sealsActive", label: "有效电子印章", value: d.seals.active },
    { key: "sealSignatures", label: "本期用印签章", value: d.sealUse.signatures },
    { key: "unapproved", label: `${UNAPPROVED_SIGNATURE_LABEL}（应为 0）`, value: d.sealUse.unapprovedSignatures, alert: d.sealUse.unapprovedSignatures > 0 },
    { key: "verify", label: "核验次数", value: d.access.verify.total },
    { key: "use", label: "用证次数", value: d.access.use.total },
    { key: "ordersIssued", label: "本期下达整改通知", value: d.orders.issued },
    { key: "ordersClosed", label: "其中已办结", value: d.orders.closed },
    { key: "ordersOverdue", label: "其中当前超期", value: d.orders.overdueNow, alert: d.orders.overdueNow > 0 },
    { key: "spotChecks", label: "本期完成抽查", value: d.spotChecks.length },
  ];
}
