// The report as a workbook (V-04): one sheet per part, Chinese headers, the header row frozen,
// widths set. Dates and times are written as Asia/Shanghai text so the file reads the same anywhere.
import "server-only";
import ExcelJS from "exceljs";
import { FINDING_KINDS, FINDING_LABELS } from "@/lib/supervision/dashboard/figures";
import type { ReportData } from "@/lib/supervision/reports/data";
import { USE_SCENARIO_LABELS } from "@/lib/catalog/dictionaries";
import { ACCESS_CHANNEL_LABELS, NO_LIST_LABEL, UNAPPROVED_SIGNATURE_LABEL } from "@/lib/supervision/labels";
import { fmtDate, fmtTime, headlines, SYNC_LABELS } from "@/lib/supervision/reports/format";

// use scenarios and verification channels by name, as the dashboard's tables show them
const scenarioLabel = (s: string) => (USE_SCENARIO_LABELS as Record<string, string>)[s] ?? s;
const channelLabel = (c: string) => (ACCESS_CHANNEL_LABELS as Record<string, string>)[c] ?? c;

export const SHEET_NAMES = ["概览", "部门排名", "证照汇聚", "异议处理", "数据质量", "印章与用印", "用证核验", "整改通知", "抽查"] as const;

type Col = { header: string; key: string; width: number };

function sheet(wb: ExcelJS.Workbook, name: (typeof SHEET_NAMES)[number], cols: Col[]): ExcelJS.Worksheet {
  const ws = wb.addWorksheet(name, { views: [{ state: "frozen", ySplit: 1 }] });
  ws.columns = cols;
  ws.getRow(1).font = { bold: true };
  return ws;
}

/** A titled block below the existing rows (sheets with more than one table). */
function block(ws: ExcelJS.Worksheet, title: string, header: string[]): void {
  ws.addRow([]);
  ws.addRow([title]).font = { bold: true };
  ws.addRow(header).font = { bold: true };
}

export async function reportWorkbook(d: ReportData): Promise<Uint8Array> {
  const wb = new ExcelJS.Workbook();
  wb.creator = "certseal";
  wb.created = d.generatedAt;
  wb.modified = d.generatedAt;

  // 概览
  const o = sheet(wb, "概览", [
    { header: "项目", key: "k", width: 34 },
    { header: "数值", key: "v", width: 60 },
  ]);
  o.addRow({ k: "报告", v: d.title });
  o.addRow({ k: "报告类型", v: d.kindLabel });
  o.addRow({ k: "统计期间", v: d.months.from === d.months.to ? d.months.from : `${d.months.from} 至 ${d.months.to}` });
  o.addRow({ k: "报告对象", v: d.subject.name });
  o.addRow({ k: "覆盖部门数", v: d.departments });
  o.addRow({ k: "签章管理部门", v: d.management.name });
  o.addRow({ k: "生成时间", v: fmtTime(d.generatedAt) });
  for (const f of d.freshness) o.addRow({ k: `统计数据更新时间（${f.label}）`, v: f.refreshedAt ? fmtTime(f.refreshedAt) : "尚未生成" });
  o.addRow({});
  for (const h of headlines(d)) o.addRow({ k: h.label, v: h.value });

  // 部门排名
  const r = sheet(wb, "部门排名", [
    { header: "名次", key: "rank", width: 8 },
    { header: "部门", key: "dept", width: 36 },
    { header: "证照总数", key: "licences", width: 12 },
    { header: "汇聚及时率(%)", key: "timeliness", width: 16 },
    { header: "数据完整率(%)", key: "completeness", width: 16 },
    { header: "异议按时办理率(%)", key: "objections", width: 20 },
    { header: "综合得分", key: "score", width: 12 },
  ]);
  for (const x of d.ranking.rows)
    r.addRow({ rank: x.rank ?? "—", dept: x.deptName, licences: x.licences, timeliness: x.timeliness ?? "—", completeness: x.completeness ?? "—", objections: x.objections ?? "—", score: x.score ?? "—" });
  r.addRow([]);
  r.addRow([`计算公式：${d.ranking.formula}`]).font = { italic: true };

  // 证照汇聚
  const l = sheet(wb, "证照汇聚", [
    { header: "月份", key: "a", width: 36 },
    { header: "新签发", key: "b", width: 12 },
    { header: "存量汇聚", key: "c", width: 12 },
    { header: "及时率(%)", key: "d", width: 12 },
    { header: "按时", key: "e", width: 10 },
  ]);
  for (const m of d.licences.byMonth) l.addRow({ a: m.month, b: m.issued, c: m.aggregated, d: m.onTimePct ?? "—", e: m.onTime });
  l.addRow({ a: "合计", b: d.licences.issued, c: d.licences.aggregated, d: d.licences.onTimePct ?? "—", e: d.licences.onTime }).font = { bold: true };
  block(l, "按部门", ["部门", "新签发", "存量汇聚", "及时率(%)", "按时"]);
  for (const x of d.licences.byDept) l.addRow([x.deptName, x.issued, x.aggregated, x.onTimePct ?? "—", x.onTime]);
  block(l, "按汇聚方式", ["汇聚方式", "数量", "按时", "及时率(%)"]);
  for (const x of d.licences.sync) l.addRow([SYNC_LABELS[x.mode], x.total, x.onTime, x.pct ?? "—"]);

  // 异议处理
  const j = sheet(wb, "异议处理", [
    { header: "部门", key: "a", width: 36 },
    { header: "受理", key: "b", width: 10 },
    { header: "按时标注率(%)", key: "c", width: 16 },
    { header: "按时办结率(%)", key: "d", width: 16 },
    { header: "当前超期", key: "e", width: 12 },
    { header: "平均办结工作日", key: "f", width: 16 },
  ]);
  for (const x of d.objections.byDept) j.addRow({ a: x.deptName, b: x.received, c: x.markedOnTimePct ?? "—", d: x.resolvedOnTimePct ?? "—", e: x.overdueNow, f: x.avgWorkingDaysToResolve ?? "—" });
  j.addRow({ a: "合计", b: d.objections.received, c: d.objections.markedOnTimePct ?? "—", d: d.objections.resolvedOnTimePct ?? "—", e: d.objections.overdueNow, f: d.objections.avgWorkingDaysToResolve ?? "—" }).font = { bold: true };
  block(j, "按月", ["月份", "受理", "办结", "当前超期"]);
  for (const m of d.objections.byMonth) j.addRow([m.month, m.received, m.resolved, m.overdueNow]);

  // 数据质量
  const q = sheet(wb, "数据质量", [
    { header: "部门", key: "a", width: 36 },
    ...FINDING_KINDS.map((k, i) => ({ header: FINDING_LABELS[k], key: `f${i}`, width: 26 })),
  ]);
  for (const x of d.quality.byDept) q.addRow([x.deptName, ...FINDING_KINDS.map((k) => x.counts[k])]);
  q.addRow(["合计", ...FINDING_KINDS.map((k) => d.quality.findings[k])]).font = { bold: true };
  block(q, NO_LIST_LABEL, ["类型代码", "名称"]);
  for (const x of d.quality.typesWithoutList) q.addRow([x.typeCode, x.name]);
  block(q, `超过 ${d.quality.staleDays} 天未更新的清单`, ["部门", "清单", "有效条目", "最近更新"]);
  for (const x of d.quality.staleLists) q.addRow([x.deptName, x.list === "ISSUANCE" ? "发证清单" : "用证清单", x.entries, x.lastChangedAt ? fmtDate(x.lastChangedAt) : "从未"]);

  // 印章与用印
  const s = sheet(wb, "印章与用印", [
    { header: "项目", key: "k", width: 40 },
    { header: "数值", key: "v", width: 14 },
  ]);
  s.addRow({ k: "有效印章", v: d.seals.active });
  s.addRow({ k: "30 天内到期", v: d.seals.expiring30 });
  s.addRow({ k: "备案超过 24 小时", v: d.seals.filingOverdue });
  s.addRow({ k: "本期注销", v: d.seals.cancelled });
  s.addRow({ k: "用印申请", v: d.sealUse.requests });
  s.addRow({ k: "批准", v: d.sealUse.approvals });
  s.addRow({ k: "签章", v: d.sealUse.signatures });
  const bad = s.addRow({ k: `${UNAPPROVED_SIGNATURE_LABEL}（应为 0）`, v: d.sealUse.unapprovedSignatures });
  if (d.sealUse.unapprovedSignatures) bad.font = { bold: true, color: { argb: "FFCF1322" } };
  block(s, "按月", ["月份", "用印申请", "签章"]);
  for (const m of d.sealUse.byMonth) s.addRow([m.month, m.requests, m.signatures]);

  // 用证核验
  const a = sheet(wb, "用证核验", [
    { header: "部门", key: "a", width: 36 },
    { header: "核验", key: "b", width: 10 },
    { header: "用证", key: "c", width: 10 },
    { header: "失败", key: "d", width: 10 },
    { header: "失败率(%)", key: "e", width: 12 },
  ]);
  for (const x of d.access.byDept) a.addRow({ a: x.deptName, b: x.verify, c: x.use, d: x.failed, e: x.failurePct ?? "—" });
  const accessTotal = d.access.verify.total + d.access.use.total;
  const accessFailed = d.access.verify.failed + d.access.use.failed;
  // the rate as the departments' rows compute it (figures.ts pct), "—" without any access
  const accessPct = accessTotal ? Math.round((accessFailed / accessTotal) * 1000) / 10 : "—";
  a.addRow({ a: "合计", b: d.access.verify.total, c: d.access.use.total, d: accessFailed, e: accessPct }).font = { bold: true };
  block(a, "按月", ["月份", "核验", "用证", "失败"]);
  for (const m of d.access.byMonth) a.addRow([m.month, m.verify, m.use, m.failed]);
  block(a, "用证部门", ["部门", "用证", "失败"]);
  for (const x of d.access.byUserDept) a.addRow([x.deptName, x.use, x.failed]);
  block(a, "用证场景", ["场景", "用证", "失败"]);
  for (const x of d.access.byScenario) a.addRow([scenarioLabel(x.scenario), x.use, x.failed]);
  block(a, "核验渠道", ["渠道", "核验", "失败"]);
  for (const x of d.access.byChannel) a.addRow([channelLabel(x.channel), x.total, x.failed]);

  // 整改通知
  const z = sheet(wb, "整改通知", [
    { header: "通知编号", key: "number", width: 18 },
    { header: "整改部门", key: "dept", width: 32 },
    { header: "问题类别", key: "category", width: 20 },
    { header: "标题", key: "title", width: 30 },
    { header: "状态", key: "status", width: 10 },
    { header: "下达时间", key: "issuedAt", width: 18 },
    { header: "整改期限", key: "dueAt", width: 18 },
    { header: "反馈时间", key: "respondedAt", width: 18 },
    { header: "办结时间", key: "closedAt", width: 18 },
    { header: "超期", key: "overdue", width: 16 },
  ]);
  for (const x of d.orders.rows)
    z.addRow({
      number: x.number,
      dept: x.deptName,
      category: x.category,
      title: x.title,
      status: x.status,
      issuedAt: fmtTime(x.issuedAt),
      dueAt: fmtTime(x.dueAt),
      respondedAt: x.respondedAt ? fmtTime(x.respondedAt) : "",
      closedAt: x.closedAt ? fmtTime(x.closedAt) : "",
      overdue: x.overdueDays ? `超期 ${x.overdueDays} 天` : x.respondedLate ? "逾期反馈" : "",
    });

  // 抽查
  const c = sheet(wb, "抽查", [
    { header: "抽查编号", key: "a", width: 18 },
    { header: "类型", key: "b", width: 14 },
    { header: "完成时间", key: "c", width: 18 },
    { header: "部门", key: "d", width: 32 },
    { header: "抽取", key: "e", width: 8 },
    { header: "已检查", key: "f", width: 8 },
    { header: "合格", key: "g", width: 8 },
    { header: "不合格", key: "h", width: 8 },
    { header: "合格率(%)", key: "i", width: 12 },
  ]);
  for (const x of d.spotChecks) {
    for (const y of x.byDept) c.addRow({ a: x.number, b: x.kind, c: fmtTime(x.closedAt), d: y.deptName, e: y.sampled, f: y.checked, g: y.passed, h: y.failed, i: y.passRate ?? "—" });
    c.addRow({ a: x.number, b: x.kind, c: fmtTime(x.closedAt), d: "小计", f: x.checked, g: x.passed, h: x.checked - x.passed, i: x.passRate ?? "—" }).font = { bold: true };
  }

  return new Uint8Array(await wb.xlsx.writeBuffer());
}
