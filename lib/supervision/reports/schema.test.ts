// The report query (V-04): the route's strict parse with Chinese messages, the months of a period,
// the title's period label and the page's download links.
import { describe, expect, it } from "vitest";
import { periodLabel, reportHref, reportMonths, reportQuery, reportSealReason } from "./schema";

const REGION = "5b0d6c3e-8f1a-4c2b-9d3e-1a2b3c4d5e6f";

describe("report query (V-04)", () => {
  it("V-04 accepts a month for a monthly and a year for an annual report", () => {
    expect(reportQuery.parse({ kind: "monthly", period: "2026-11", format: "pdf" })).toEqual({ kind: "monthly", period: "2026-11", format: "pdf", subject: "region" });
    expect(reportQuery.parse({ kind: "annual", period: "2026", format: "xlsx", region: REGION, subject: "dept" })).toMatchObject({ region: REGION, subject: "dept" });
  });

  it("V-04 refuses bad periods, kinds, formats, regions and unknown parameters in Chinese", () => {
    const msg = (v: unknown) => {
      const r = reportQuery.safeParse(v);
      return r.success ? null : r.error.issues[0].message;
    };
    expect(msg({ kind: "monthly", period: "2026-13", format: "pdf" })).toBe("月度报告的期间须为 YYYY-MM，例如 2026-11");
    expect(msg({ kind: "annual", period: "2026-11", format: "pdf" })).toBe("年度报告的期间须为 YYYY，例如 2026");
    expect(msg({ kind: "annual", period: "1999", format: "pdf" })).toBe("报告年份须在 2000–2100 之间");
    expect(msg({ kind: "weekly", period: "2026", format: "pdf" })).toContain("报告类型");
    expect(msg({ kind: "annual", period: "2026", format: "docx" })).toContain("导出格式");
    expect(msg({ kind: "annual", period: "2026", format: "pdf", region: "x" })).toBe("地区（部门）编号格式不正确");
    expect(msg({ kind: "annual", period: "2026", format: "pdf", subject: "dept" })).toBe("按单个部门出报告时须选择部门");
    expect(reportQuery.safeParse({ kind: "annual", period: "2026", format: "pdf", extra: "1" }).success).toBe(false);
  });

  it("V-04 a period's months and label", () => {
    expect(reportMonths({ kind: "monthly", period: "2026-11" })).toEqual({ from: "2026-11", to: "2026-11" });
    expect(reportMonths({ kind: "annual", period: "2026" })).toEqual({ from: "2026-01", to: "2026-12" });
    expect(periodLabel({ kind: "monthly", period: "2026-01" })).toBe("2026年1月");
    expect(periodLabel({ kind: "annual", period: "2026" })).toBe("2026年度");
  });

  it("V-04 the download links carry the choice", () => {
    expect(reportHref({ kind: "monthly", period: "2026-11", format: "xlsx" })).toBe("/api/supervision/reports?kind=monthly&period=2026-11&format=xlsx");
    expect(reportHref({ kind: "annual", period: "2026", format: "pdf", region: REGION, subject: "dept" })).toBe(`/api/supervision/reports?kind=annual&period=2026&format=pdf&region=${REGION}&subject=dept`);
    expect(reportHref({ kind: "annual", period: "2026", format: "pdf", subject: "dept" })).not.toContain("subject");
  });
});

describe("reportSealReason", () => {
  it("names the report once, with the chosen region when there is one", () => {
    expect(reportSealReason({ kind: "monthly", period: "2026-11" })).toBe("2026年11月监督报告加盖电子印章");
    expect(reportSealReason({ kind: "annual", period: "2026" })).toBe("2026年度监督报告加盖电子印章");
    expect(reportSealReason({ kind: "monthly", period: "2026-03" }, "成都市人民政府")).toBe("成都市人民政府2026年3月监督报告加盖电子印章");
  });
});
