// The queue's time-left wording and colours (O-05): green above half the time, amber below, red
// when overdue; "已标注"/"已办结" once the step is done. Deadlines count working days, so a day or
// more is worded in whole days and the cutoff is shown in Shanghai time next to it.
import { describe, expect, it } from "vitest";
import { cutoffText, spanText, timeLeft } from "@/app/(portal)/objections/time-left";

const H = 3_600_000;
// received Tuesday 2026-12-01 10:00 Shanghai; resolution due Tuesday 2026-12-08 23:59:59.999
const receivedAt = "2026-12-01T02:00:00.000Z";
const dueAt = "2026-12-08T15:59:59.999Z";
const due = Date.parse(dueAt);
const span = due - Date.parse(receivedAt);
const at = (leftMs: number | null, doneText = "已办结") => timeLeft({ leftMs, dueAt, receivedAt, doneText });

describe("objection time left (O-05)", () => {
  it("words spans in days, hours and minutes", () => {
    expect(spanText(5 * H)).toBe("5 小时");
    expect(spanText(27 * H)).toBe("1 天 3 小时");
    expect(spanText(48 * H)).toBe("2 天");
    expect(spanText(2 * H + 15 * 60_000)).toBe("2 小时 15 分钟");
    expect(spanText(12 * 60_000)).toBe("12 分钟");
    expect(spanText(30_000)).toBe("不足 1 分钟");
    expect(spanText(-27 * H)).toBe("1 天 3 小时");
  });

  it("gives whole days (no calendar hours) from a day left, hours and minutes below a day", () => {
    expect(at(7 * 24 * H + 13 * H).text).toBe("剩余 7 天");
    expect(at(24 * H).text).toBe("剩余 1 天");
    expect(at(24 * H - 1).text).toBe("剩余 23 小时");
    expect(at(2 * H + 15 * 60_000).text).toBe("剩余 2 小时 15 分钟");
  });

  it("is green above half the span, amber at or below half, red once overdue", () => {
    expect(at(span * 0.75)).toEqual({ text: "剩余 5 天", tone: "ok" });
    expect(at(span / 2).tone).toBe("warn");
    expect(at(5 * H)).toEqual({ text: "剩余 5 小时", tone: "warn" });
    expect(at(-27 * H)).toEqual({ text: "超期 1 天 3 小时", tone: "danger" });
  });

  it("says the step is done when the deadline is met", () => {
    expect(at(null, "已办结")).toEqual({ text: "已办结", tone: "" });
  });

  it("words the cutoff in Shanghai time, with the year only when it is another year", () => {
    expect(cutoffText(due, Date.parse(receivedAt))).toBe("12月8日 23:59");
    // 2026-12-31 16:00 UTC is already 2027-01-01 00:00 in Shanghai
    expect(cutoffText(Date.parse("2027-01-04T15:59:59.999Z"), Date.parse("2026-12-31T15:00:00Z"))).toBe("2027年1月4日 23:59");
    expect(cutoffText(Date.parse("2027-01-04T15:59:59.999Z"), Date.parse("2026-12-31T16:00:00Z"))).toBe("1月4日 23:59");
  });
});
