// The queue's time-left wording and colours (O-05): green above half the time, amber below, red
// when overdue; "已标注"/"已办结" once the step is done.
import { describe, expect, it } from "vitest";
import { spanText, timeLeft } from "@/app/(portal)/objections/time-left";

const H = 3_600_000;

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

  it("is green above half the span, amber at or below half, red once overdue", () => {
    expect(timeLeft(30 * H, 40 * H, "已标注")).toEqual({ text: "剩余 1 天 6 小时", tone: "ok" });
    expect(timeLeft(20 * H, 40 * H, "已标注")).toEqual({ text: "剩余 20 小时", tone: "warn" });
    expect(timeLeft(5 * H, 40 * H, "已标注")).toEqual({ text: "剩余 5 小时", tone: "warn" });
    expect(timeLeft(-27 * H, 40 * H, "已标注")).toEqual({ text: "超期 1 天 3 小时", tone: "danger" });
  });

  it("says the step is done when the deadline is met", () => {
    expect(timeLeft(null, 40 * H, "已办结")).toEqual({ text: "已办结", tone: "" });
  });
});
