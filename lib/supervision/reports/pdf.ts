// The report as an A4 PDF (V-04): title, headline figures, charts drawn with pdf-lib primitives
// (issuance by month, objections resolved on time by department, ranking scores), tables of the
// ranking, orders and spot checks, and a signature block with room for the management department's
// seal, stamped when a seal-use request for the report is approved and signed (seal.ts, S-10 …
// S-12). Text is set in the project's Noto Serif SC subset (lib/pdf/fonts.ts).
//
// Layout runs first and records drawing operations; the fonts are embedded once with every string
// drawn; then the operations are played. Same data and time → same bytes: no dates in the metadata,
// subset tags derived from the text, pdf-lib's seeded generator for resource names, a classic xref
// table so the seal can be added by an incremental update.
import "server-only";
import { PDFDocument, rgb, type PDFFont, type PDFPage, type RGB } from "pdf-lib";
import { embedSerif, missingCharacters, textWidth } from "@/lib/pdf/fonts";
import { mmToPt, type StampPosition } from "@/lib/pdf/sealed-pdf";
import { defaultStampCentre } from "@/lib/pdf/stamp-default";
import type { ReportData } from "@/lib/supervision/reports/data";
import { fmtDate, fmtPct, fmtTime, headlines, SYNC_LABELS } from "@/lib/supervision/reports/format";
import { FINDING_KINDS, FINDING_LABELS } from "@/lib/supervision/dashboard/figures";
import { NO_LIST_LABEL, UNAPPROVED_SIGNATURE_LABEL } from "@/lib/supervision/labels";
import { REFRESH_EVERY_MINUTES } from "@/lib/supervision/dashboard/refresh";

type Style = "regular" | "bold";
type Op =
  | { t: "text"; page: number; x: number; y: number; s: string; size: number; style: Style; color: RGB }
  | { t: "rect"; page: number; x: number; y: number; w: number; h: number; fill?: RGB; border?: RGB }
  | { t: "line"; page: number; x1: number; y1: number; x2: number; y2: number; color: RGB; width: number };

export const A4 = { width: 595.28, height: 841.89 };
const M = 48;
const FOOT = 30;
const CONTENT_W = A4.width - 2 * M;
const BLACK = rgb(0.1, 0.1, 0.1);
const GREY = rgb(0.45, 0.45, 0.45);
const LIGHT = rgb(0.93, 0.94, 0.96);
const RULE = rgb(0.78, 0.8, 0.84);
const RED = rgb(0.81, 0.07, 0.13);
const BLUE = rgb(0.09, 0.47, 0.95);
const TEAL = rgb(0.07, 0.65, 0.6);
const ORANGE = rgb(0.98, 0.55, 0.09);
const TABLE_MAX_ROWS = 60;
const SEAL_TEXT_GAP = 12;

/** A rectangle on a page (1-based, like StampPosition), lower-left corner and size in points. */
export type Box = { page: number; x: number; y: number; w: number; h: number };
/** Where the seal goes and the text drawn on its page, for checking that the seal covers no text. */
export type SignatureLayout = { seal: Box; text: { s: string; box: Box }[] };

/** The rectangle a text line covers: its advance width, from the descender to the ascender. */
const textBox = (o: { page: number; x: number; y: number; s: string; size: number; style: Style }): Box => ({
  page: o.page + 1,
  x: o.x,
  y: o.y - 0.25 * o.size,
  w: textWidth(o.style, o.s, o.size),
  h: 1.25 * o.size,
});

/** The chart's top: a round number at or above the largest bar whose half is whole (0, 10, 20; not 0, 6, 11). */
export function axisTop(max: number): number {
  if (max <= 10) return Math.max(2, Math.ceil(max / 2) * 2);
  const m = 10 ** Math.floor(Math.log10(max));
  return [1, 2, 4, 5, 10].map((k) => k * m).find((v) => v >= max) ?? 10 * m;
}

/** Drops characters the font cannot draw (they would print as empty boxes). */
function clean(s: string): string {
  const missing = missingCharacters(s);
  return missing.length ? Array.from(s).map((c) => (missing.includes(c) ? "?" : c)).join("") : s;
}

/** `s` cut with "…" to fit `width`. */
function fit(s: string, width: number, size: number, style: Style): string {
  if (textWidth(style, s, size) <= width) return s;
  const chars = Array.from(s);
  while (chars.length && textWidth(style, `${chars.join("")}…`, size) > width) chars.pop();
  return `${chars.join("")}…`;
}

/**
 * Lines of `s` that fit `width`. Chinese text has no spaces, so a line may break between any two
 * Chinese characters; a run of Latin letters, digits and their punctuation (a time "20:55", a date,
 * a number) is kept whole unless it is wider than a line by itself.
 */
export function wrap(s: string, width: number, size: number, style: Style): string[] {
  const fits = (t: string) => textWidth(style, t, size) <= width;
  const tokens = s.match(/[0-9A-Za-z][0-9A-Za-z.,:/%+\-]*|[\s\S]/gu) ?? [];
  const out: string[] = [];
  let line = "";
  const push = () => {
    if (line.trim()) out.push(line.trimEnd());
    line = "";
  };
  for (const tok of tokens) {
    if (fits(line + tok)) {
      line += tok;
      continue;
    }
    if (line) push();
    if (!tok.trim()) continue; // no line starts with a space
    if (fits(tok)) {
      line = tok;
      continue;
    }
    // a token wider than a whole line: broken by characters as before
    for (const ch of Array.from(tok)) {
      if (line && !fits(line + ch)) push();
      line += ch;
    }
  }
  if (line) push();
  return out.length ? out : [""];
}

type Col = { header: string; width: number; align?: "left" | "right" };

class Layout {
  ops: Op[] = [];
  page = 0;
  y = A4.height - M;

  ensure(h: number) {
    if (this.y - h < M + FOOT) this.newPage();
  }
  newPage() {
    this.page++;
    this.y = A4.height - M;
  }
  text(x: number, y: number, s: string, size: number, style: Style = "regular", color: RGB = BLACK) {
    this.ops.push({ t: "text", page: this.page, x, y, s: clean(s), size, style, color });
  }
  rect(x: number, y: number, w: number, h: number, fill?: RGB, border?: RGB) {
    this.ops.push({ t: "rect", page: this.page, x, y, w, h, fill, border });
  }
  line(x1: number, y1: number, x2: number, y2: number, color = RULE, width = 0.5) {
    this.ops.push({ t: "line", page: this.page, x1, y1, x2, y2, color, width });
  }
  para(s: string, size = 9.5, style: Style = "regular", color: RGB = BLACK) {
    for (const l of wrap(clean(s), CONTENT_W, size, style)) {
      this.ensure(size + 5);
      this.y -= size + 4;
      this.text(M, this.y, l, size, style, color);
    }
  }
  heading(s: string) {
    this.ensure(110);
    this.y -= 12;
    this.y -= 13;
    this.text(M, this.y, s, 12.5, "bold");
    this.y -= 6;
    this.line(M, this.y, A4.width - M, this.y, BLUE, 1);
    this.y -= 4;
  }
  sub(s: string) {
    this.ensure(40);
    this.y -= 16;
    this.text(M, this.y, s, 10, "bold", GREY);
    this.y -= 4;
  }
  table(cols: Col[], rows: string[][], opts: { alertRow?: (i: number) => boolean } = {}) {
    const size = 8.5;
    const rh = 15;
    const total = cols.reduce((a, c) => a + c.width, 0);
    const scale = CONTENT_W / total;
    const ws = cols.map((c) => c.width * scale);
    const header = () => {
      this.rect(M, this.y - rh, CONTENT_W, rh, LIGHT);
      let x = M;
      cols.forEach((c, i) => {
        const s = fit(c.header, ws[i] - 6, size, "bold");
        this.text(c.align === "right" ? x + ws[i] - 3 - textWidth("bold", s, size) : x + 3, this.y - rh + 4.5, s, size, "bold");
        x += ws[i];
      });
      this.y -= rh;
    };
    this.ensure(rh * 2 + 3);
    this.y -= 3;
    header();
    const shown = rows.slice(0, TABLE_MAX_ROWS);
    if (!shown.length) {
      this.y -= rh;
      this.text(M + 3, this.y + 4.5, "（本期无数据）", size, "regular", GREY);
    }
    shown.forEach((r, ri) => {
      if (this.y - rh < M + FOOT) {
        this.newPage();
        header();
      }
      this.y -= rh;
      let x = M;
      const color = opts.alertRow?.(ri) ? RED : BLACK;
      cols.forEach((c, i) => {
        const s = fit(clean(r[i] ?? ""), ws[i] - 6, size, "regular");
        this.text(c.align === "right" ? x + ws[i] - 3 - textWidth("regular", s, size) : x + 3, this.y + 4.5, s, size, "regular", color);
        x += ws[i];
      });
      this.line(M, this.y, A4.width - M, this.y);
    });
    if (rows.length > shown.length) this.para(`另有 ${rows.length - shown.length} 行未列出，详见 XLSX 报告。`, 8.5, "regular", GREY);
    this.y -= 4;
  }
  /** Horizontal bars: label, bar scaled to `max`, value text. */
  hbars(items: { label: string; value: number | null; text: string; color?: RGB }[], max: number) {
    const size = 8.5;
    const rh = 14;
    const labelW = 170;
    const valueW = 60;
    const barW = CONTENT_W - labelW - valueW;
    if (!items.length) {
      this.para("（本期无数据）", 8.5, "regular", GREY);
      return;
    }
    for (const it of items) {
      this.ensure(rh);
      this.y -= rh;
      this.text(M, this.y + 3.5, fit(clean(it.label), labelW - 8, size, "regular"), size);
      this.rect(M + labelW, this.y + 2, barW, rh - 5, LIGHT);
      if (it.value !== null && max > 0) this.rect(M + labelW, this.y + 2, Math.max(0.5, (barW * Math.min(it.value, max)) / max), rh - 5, it.color ?? BLUE);
      this.text(M + labelW + barW + 6, this.y + 3.5, it.text, size, "regular", it.value === null ? GREY : BLACK);
    }
    this.y -= 4;
  }
  /** Vertical stacked bars per month with a legend. */
  vbars(months: { label: string; parts: number[] }[], legend: { label: string; color: RGB }[]) {
    const h = 140;
    this.ensure(h + 40);
    const top = this.y - 8;
    const baseY = top - h;
    const max = axisTop(Math.max(1, ...months.map((m) => m.parts.reduce((a, b) => a + b, 0))));
    const axisX = M + 30;
    const areaW = CONTENT_W - 30;
    // axis and gridlines at 0, half and max
    for (const f of [0, 0.5, 1]) {
      const y = baseY + h * f;
      this.line(axisX, y, axisX + areaW, y, RULE, 0.4);
      const label = String(Math.round(max * f));
      this.text(axisX - 4 - textWidth("regular", label, 7.5), y - 2.5, label, 7.5, "regular", GREY);
    }
    const slot = areaW / Math.max(1, months.length);
    const bw = Math.min(28, slot * 0.6);
    months.forEach((m, i) => {
      const cx = axisX + slot * (i + 0.5);
      let y = baseY;
      m.parts.forEach((v, k) => {
        if (v <= 0) return;
        const bh = (h * v) / max;
        this.rect(cx - bw / 2, y, bw, bh, legend[k].color);
        y += bh;
      });
      const total = String(m.parts.reduce((a, b) => a + b, 0));
      this.text(cx - textWidth("regular", total, 7.5) / 2, y + 2, total, 7.5);
      this.text(cx - textWidth("regular", m.label, 7.5) / 2, baseY - 10, m.label, 7.5, "regular", GREY);
    });
    let lx = axisX;
    const ly = baseY - 24;
    for (const l of legend) {
      this.rect(lx, ly, 8, 8, l.color);
      this.text(lx + 11, ly + 1, l.label, 8);
      lx += 20 + textWidth("regular", l.label, 8);
    }
    this.y = ly - 6;
  }
}

const pctBars = (rows: { label: string; pct: number | null }[], color: RGB) =>
  rows.map((r) => ({ label: r.label, value: r.pct, text: fmtPct(r.pct), color: r.pct !== null && r.pct < 60 ? RED : color }));

const monthLabel = (m: string, annual: boolean) => (annual ? `${Number(m.slice(5))}月` : m);

/** Lays the report out; `seal` is the picture's size, for which room is kept at the end. */
function layout(d: ReportData, seal: { widthMm: number; heightMm: number }): { l: Layout; stamp: StampPosition; sealBox: Box } {
  const l = new Layout();
  const annual = d.query.kind === "annual";
  // title
  for (const line of wrap(clean(d.title), CONTENT_W, 16, "bold")) {
    l.y -= 22;
    l.text((A4.width - textWidth("bold", line, 16)) / 2, l.y, line, 16, "bold");
  }
  l.y -= 6;
  const sub = `统计期间：${d.months.from === d.months.to ? d.months.from : `${d.months.from} 至 ${d.months.to}`}　　覆盖部门：${d.departments} 个　　生成时间：${fmtTime(d.generatedAt)}`;
  l.y -= 12;
  l.text((A4.width - textWidth("regular", sub, 9)) / 2, l.y, sub, 9, "regular", GREY);
  l.y -= 4;
  l.para(`统计数据更新时间：${d.freshness.map((f) => `${f.label} ${f.refreshedAt ? fmtTime(f.refreshedAt) : "尚未生成"}`).join("；")}（汇总表每 ${REFRESH_EVERY_MINUTES} 分钟更新一次，本报告按上述时间的数据编制）`, 8.5, "regular", GREY);

  l.heading("一、主要指标");
  const hs = headlines(d);
  const pairs: string[][] = [];
  const alerts: boolean[] = [];
  for (let i = 0; i < hs.length; i += 2) {
    const a = hs[i];
    const b = hs[i + 1];
    pairs.push([a.label, String(a.value), b?.label ?? "", b ? String(b.value) : ""]);
    alerts.push(!!(a.alert || b?.alert));
  }
  l.table(
    [
      { header: "指标", width: 150 },
      { header: "数值", width: 70, align: "right" },
      { header: "指标", width: 150 },
      { header: "数值", width: 70, align: "right" },
    ],
    pairs,
    { alertRow: (i) => alerts[i] },
  );

  l.heading("二、证照签发与汇聚");
  l.sub("按月签发与汇聚数量");
  l.vbars(
    d.licences.byMonth.map((m) => ({ label: monthLabel(m.month, annual), parts: [m.issued, m.aggregated] })),
    [
      { label: "新签发", color: BLUE },
      { label: "存量汇聚", color: TEAL },
    ],
  );
  l.sub("汇聚及时率");
  l.table(
    [
      { header: "汇聚方式", width: 160 },
      { header: "数量", width: 80, align: "right" },
      { header: "按时", width: 80, align: "right" },
      { header: "及时率", width: 80, align: "right" },
    ],
    d.licences.sync.map((s) => [SYNC_LABELS[s.mode], String(s.total), String(s.onTime), fmtPct(s.pct)]),
  );
  l.sub("按部门");
  l.table(
    [
      { header: "部门", width: 220 },
      { header: "新签发", width: 70, align: "right" },
      { header: "存量汇聚", width: 70, align: "right" },
      { header: "及时率", width: 70, align: "right" },
    ],
    d.licences.byDept.map((x) => [x.deptName, String(x.issued), String(x.aggregated), fmtPct(x.onTimePct)]),
  );

  l.heading("三、异议处理");
  l.sub("各部门异议按时办结率");
  l.hbars(pctBars(d.objections.byDept.slice(0, 20).map((x) => ({ label: x.deptName, pct: x.resolvedOnTimePct })), TEAL), 100);
  l.table(
    [
      { header: "部门", width: 200 },
      { header: "受理", width: 50, align: "right" },
      { header: "按时标注率", width: 70, align: "right" },
      { header: "按时办结率", width: 70, align: "right" },
      { header: "当前超期", width: 60, align: "right" },
      { header: "平均办结工作日", width: 80, align: "right" },
    ],
    d.objections.byDept.map((x) => [x.deptName, String(x.received), fmtPct(x.markedOnTimePct), fmtPct(x.resolvedOnTimePct), String(x.overdueNow), x.avgWorkingDaysToResolve === null ? "—" : String(x.avgWorkingDaysToResolve)]),
    { alertRow: (i) => d.objections.byDept[i].overdueNow > 0 },
  );

  l.heading("四、部门排名");
  l.para(d.ranking.formula, 9, "regular", GREY);
  l.sub("综合得分");
  l.hbars(
    d.ranking.rows.filter((r) => r.score !== null).slice(0, 20).map((r) => ({ label: `${r.rank}. ${r.deptName}`, value: r.score, text: String(r.score), color: ORANGE })),
    100,
  );
  l.table(
    [
      { header: "名次", width: 40, align: "right" },
      { header: "部门", width: 200 },
      { header: "证照总数", width: 60, align: "right" },
      { header: "汇聚及时率", width: 70, align: "right" },
      { header: "数据完整率", width: 70, align: "right" },
      { header: "异议按时办理率", width: 80, align: "right" },
      { header: "综合得分", width: 60, align: "right" },
    ],
    d.ranking.rows.map((r) => [r.rank === null ? "—" : String(r.rank), r.deptName, String(r.licences), fmtPct(r.timeliness), fmtPct(r.completeness), fmtPct(r.objections), r.score === null ? "—" : String(r.score)]),
  );

  l.heading("五、数据质量（当前）");
  l.table(
    [
      { header: "问题", width: 260 },
      { header: "数量", width: 80, align: "right" },
    ],
    [
      ...FINDING_KINDS.map((k) => [FINDING_LABELS[k], String(d.quality.findings[k])]),
      [NO_LIST_LABEL, String(d.quality.typesWithoutList.length)],
      [`超过 ${d.quality.staleDays} 天未更新的清单`, String(d.quality.staleLists.length)],
    ],
  );

  l.heading("六、电子印章与用印");
  l.table(
    [
      { header: "指标", width: 260 },
      { header: "数值", width: 80, align: "right" },
    ],
    [
      ["有效印章", String(d.seals.active)],
      ["30 天内到期", String(d.seals.expiring30)],
      ["备案超过 24 小时", String(d.seals.filingOverdue)],
      ["本期注销", String(d.seals.cancelled)],
      ["用印申请", String(d.sealUse.requests)],
      ["批准", String(d.sealUse.approvals)],
      ["签章", String(d.sealUse.signatures)],
      [`${UNAPPROVED_SIGNATURE_LABEL}（应为 0）`, String(d.sealUse.unapprovedSignatures)],
    ],
    { alertRow: (i) => i === 7 && d.sealUse.unapprovedSignatures > 0 },
  );

  l.heading("七、用证与核验");
  l.para(
    `核验 ${d.access.verify.total} 次（失败 ${d.access.verify.failed} 次，失败率 ${fmtPct(d.access.verify.failurePct)}）；用证 ${d.access.use.total} 次（失败 ${d.access.use.failed} 次，失败率 ${fmtPct(d.access.use.failurePct)}）。`,
  );
  l.table(
    [
      { header: "发证部门", width: 220 },
      { header: "核验", width: 60, align: "right" },
      { header: "用证", width: 60, align: "right" },
      { header: "失败", width: 60, align: "right" },
      { header: "失败率", width: 60, align: "right" },
    ],
    d.access.byDept.map((x) => [x.deptName, String(x.verify), String(x.use), String(x.failed), fmtPct(x.failurePct)]),
  );

  l.heading("八、整改通知及办理结果");
  l.para(`本期下达 ${d.orders.issued} 件，已办结 ${d.orders.closed} 件，未办结 ${d.orders.open} 件，其中当前超期 ${d.orders.overdueNow} 件。`);
  l.table(
    [
      { header: "通知编号", width: 100 },
      { header: "整改部门", width: 115 },
      { header: "问题类别", width: 95 },
      { header: "状态", width: 50 },
      { header: "下达", width: 70 },
      { header: "期限", width: 70 },
      { header: "办结", width: 70 },
      { header: "超期", width: 60 },
    ],
    d.orders.rows.map((o) => [
      o.number,
      o.deptName,
      o.category,
      o.status,
      fmtTime(o.issuedAt).slice(0, 10),
      fmtTime(o.dueAt).slice(0, 10),
      o.closedAt ? fmtTime(o.closedAt).slice(0, 10) : "",
      o.overdueDays ? `超期${o.overdueDays}天` : o.respondedLate ? "逾期反馈" : "",
    ]),
    { alertRow: (i) => d.orders.rows[i].overdueDays > 0 },
  );

  l.heading("九、随机抽查");
  l.table(
    [
      { header: "抽查编号", width: 90 },
      { header: "类型", width: 80 },
      { header: "部门", width: 160 },
      { header: "抽取", width: 45, align: "right" },
      { header: "合格", width: 45, align: "right" },
      { header: "不合格", width: 45, align: "right" },
      { header: "合格率", width: 60, align: "right" },
    ],
    d.spotChecks.flatMap((c) => c.byDept.map((x) => [c.number, c.kind, x.deptName, String(x.sampled), String(x.passed), String(x.failed), fmtPct(x.passRate)])),
  );

  // signature block, as GB/T 9704 lays out an official document's: the issuing unit and the date
  // (in Chinese) centred under the seal, which covers the date (下压成文日期) and none of the text
  // above it (上不压正文). The seal's box is where the signing panel puts a seal by default (bottom
  // right of the last page, lib/pdf/stamp-default.ts), so the custodian who seals the report
  // through seal-use approval (S-10 … S-12) need not move it. The note on sealing sits to the left.
  const sealW = mmToPt(seal.widthMm);
  const sealH = mmToPt(seal.heightMm);
  const centre = defaultStampCentre(A4, sealW, sealH);
  const sealBox: Box = { page: 0, x: centre.x - sealW / 2, y: centre.y - sealH / 2, w: sealW, h: sealH };
  // the block needs the box's height above the bottom edge plus a gap below the content
  if (l.y - 20 < sealBox.y + sealH) l.newPage();
  sealBox.page = l.page + 1;
  const size = 10.5;
  const [gy, gm, gd] = fmtDate(d.generatedAt).split("-").map(Number);
  const lines = [d.management.name, `${gy}年${gm}月${gd}日`];
  lines.forEach((s, i) => {
    const text = fit(clean(s), CONTENT_W / 2, size, "regular");
    const w = textWidth("regular", text, size);
    // centred on the seal, kept inside the right margin, in its lower half (below the star): the
    // unit and the date "居印章中心偏下位置" (GB/T 9704)
    const x = Math.max(M, Math.min(centre.x - w / 2, A4.width - M - w));
    l.text(x, centre.y - 22 - i * 18, text, size);
  });
  const note = "本报告经用印审批后加盖管理部门电子印章，可在平台「签章验证」页核验";
  const noteSize = 8;
  const noteText = fit(clean(note), sealBox.x - SEAL_TEXT_GAP - M, noteSize, "regular");
  l.text(M, sealBox.y + 2, noteText, noteSize, "regular", GREY);
  const stamp: StampPosition = { page: sealBox.page, x: centre.x, y: centre.y };
  l.y = sealBox.y - 6;
  return { l, stamp, sealBox };
}

/** The unsigned report PDF, where the seal goes (the centre of `signature.seal`) and the text around it. Same data and time → same bytes. */
export async function renderReportPdf(
  d: ReportData,
  seal: { widthMm: number; heightMm: number },
): Promise<{ pdf: Uint8Array; stamp: StampPosition; pages: number; signature: SignatureLayout }> {
  const { l, stamp, sealBox } = layout(d, seal);
  const pages = l.page + 1;
  // footers, now the page count is known
  for (let p = 0; p < pages; p++) {
    const s = clean(`${fit(d.title, 360, 7.5, "regular")}　第 ${p + 1} 页 / 共 ${pages} 页`);
    l.ops.push({ t: "text", page: p, x: (A4.width - textWidth("regular", s, 7.5)) / 2, y: M - 10, s, size: 7.5, style: "regular", color: GREY });
  }
  const doc = await PDFDocument.create({ updateMetadata: false });
  doc.setTitle(d.title);
  doc.setProducer("certseal");
  const fonts: Partial<Record<Style, PDFFont>> = {};
  for (const style of ["regular", "bold"] as const) {
    const drawn = l.ops.flatMap((o) => (o.t === "text" && o.style === style ? [o.s] : []));
    if (drawn.length) fonts[style] = await embedSerif(doc, style, drawn);
  }
  const pdfPages: PDFPage[] = Array.from({ length: pages }, () => doc.addPage([A4.width, A4.height]));
  // shapes first, then each style's text: text sits on top, and each page gets one font resource
  // per style (drawText with `font` would add one per call)
  for (const o of l.ops) {
    const page = pdfPages[o.page];
    if (o.t === "rect") page.drawRectangle({ x: o.x, y: o.y, width: o.w, height: o.h, color: o.fill, borderColor: o.border, borderWidth: o.border ? 0.5 : 0 });
    else if (o.t === "line") page.drawLine({ start: { x: o.x1, y: o.y1 }, end: { x: o.x2, y: o.y2 }, color: o.color, thickness: o.width });
  }
  for (const style of ["regular", "bold"] as const)
    pdfPages.forEach((page, p) => {
      const texts = l.ops.filter((o): o is Extract<Op, { t: "text" }> => o.t === "text" && o.page === p && o.style === style);
      if (!texts.length) return;
      page.setFont(fonts[style]!);
      for (const o of texts) page.drawText(o.s, { x: o.x, y: o.y, size: o.size, color: o.color });
    });
  const pdf = await doc.save({ useObjectStreams: false, addDefaultPage: false, updateFieldAppearances: false });
  const signature: SignatureLayout = {
    seal: sealBox,
    text: l.ops.flatMap((o) => (o.t === "text" && o.page + 1 === sealBox.page ? [{ s: o.s, box: textBox(o) }] : [])),
  };
  return { pdf, stamp, pages, signature };
}
