// V-04: the report's bar chart has round gridlines (0, half, top), never 0, 6, 11.
import { describe, expect, it } from "vitest";
import { axisTop } from "@/lib/supervision/reports/pdf";

describe("report chart axis", () => {
  it("rounds the top up so that its half is a whole number", () => {
    expect([1, 2, 3, 9, 10, 11, 19, 21, 45, 99, 100, 101, 1234].map(axisTop)).toEqual([2, 2, 4, 10, 10, 20, 20, 40, 50, 100, 100, 200, 2000]);
    for (let n = 1; n <= 5000; n += 7) {
      const top = axisTop(n);
      expect(top).toBeGreaterThanOrEqual(n);
      expect(Number.isInteger(top / 2)).toBe(true);
    }
  });
});

describe("report text wrapping", () => {
  it("breaks between Chinese characters but keeps a time, a date or a number whole", async () => {
    const { wrap } = await import("@/lib/supervision/reports/pdf");
    const { textWidth } = await import("@/lib/pdf/fonts");
    const s = "统计数据更新时间：证照 2026-12-02 20:55；异议 2026-12-02 20:55；印章 2026-12-02 20:55（汇总表每 5 分钟更新一次）";
    for (const width of [120, 150, 200, 260]) {
      const lines = wrap(s, width, 8.5, "regular");
      expect(lines.join("").replace(/\s/g, "")).toBe(s.replace(/\s/g, ""));
      for (const l of lines) expect(textWidth("regular", l, 8.5)).toBeLessThanOrEqual(width);
      // every date and time is whole on one line
      const whole = (t: string) => t.match(/\d{4}-\d{2}-\d{2}|\d{2}:\d{2}/g)?.length ?? 0;
      expect(whole(lines.join("\n"))).toBe(whole(s));
    }
    // a run wider than the line is still broken, and nothing is lost
    expect(wrap("1234567890".repeat(8), 40, 8.5, "regular").join("")).toBe("1234567890".repeat(8));
  });
});
