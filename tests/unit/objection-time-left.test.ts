// The queue's time-left wording and colours (O-05): green until half of the working days are used,
// amber after (when the sweep reminds the department), red when overdue; "已标注"/"已办结" once the
// step is done. Deadlines count working days, so a day or more is worded in whole days and the
// cutoff is shown in Shanghai time next to it.
import { describe, expect, it } from "vitest";
import { cutoffText, spanText, timeLeft } from "@/app/(portal)/objections/time-left";
import { halfTimeAt, halfTimeState } from "@/lib/objections/half-time";
import { packageCalendar } from "@/lib/calendar/package-data";

const H = 3_600_000;
// received Tuesday 2026-12-01 10:00 Shanghai; resolution due Tuesday 2026-12-08 23:59:59.999
const receivedAt = "2026-12-01T02:00:00.000Z";
const dueAt = "2026-12-08T15:59:59.999Z";
const due = Date.parse(dueAt);
const at = (leftMs: number | null, doneText = "已办结", halfMs: number | null = leftMs) => timeLeft({ leftMs, halfMs, doneText });

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

  it("is green before half time, amber from it, red once overdue", () => {
    expect(at(5 * 24 * H, "已办结", 2 * H)).toEqual({ text: "剩余 5 天", tone: "ok" });
    expect(at(3 * 24 * H, "已办结", 0).tone).toBe("warn");
    expect(at(5 * H, "已办结", -H)).toEqual({ text: "剩余 5 小时", tone: "warn" });
    expect(at(-27 * H, "已办结", -99 * H)).toEqual({ text: "超期 1 天 3 小时", tone: "danger" });
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

describe("half time in working days (O-05)", () => {
  const cal = packageCalendar();
  const sh = (s: string) => new Date(`${s}+08:00`);
  it("is 09:00 of the working day after ⌈N/2⌉ of the N working days: a plain week", () => {
    // received Tuesday 12-01 10:00, 5 working days: due Tuesday 12-08; 3 used by Friday's end → Monday 12-07 09:00
    expect(halfTimeAt(cal, sh("2026-12-01T10:00"), new Date(dueAt)).toISOString()).toBe(sh("2026-12-07T09:00").toISOString());
    // one working day (the marking deadline): 09:00 of that day
    expect(halfTimeAt(cal, sh("2026-12-01T10:00"), sh("2026-12-02T23:59:59.999")).toISOString()).toBe(sh("2026-12-02T09:00").toISOString());
    // received on a Friday, 2 working days (Mon, Tue): Tuesday 09:00
    expect(halfTimeAt(cal, sh("2026-12-04T16:00"), sh("2026-12-08T23:59:59.999")).toISOString()).toBe(sh("2026-12-08T09:00").toISOString());
  });

  it("skips holidays and counts adjusted working weekends: National Day 2026", () => {
    // received Wednesday 09-30; 10-01…07 off; working days 10-08, 10-09, 10-10 (Saturday, adjusted), 10-12, 10-13 (due)
    // the wall-clock middle (10-07 05:00) falls in the holiday with no working day used; half time is Monday 10-12 09:00
    const received = sh("2026-09-30T10:00");
    const due = sh("2026-10-13T23:59:59.999");
    expect(cal.workingDaysBetween(received, due)).toBe(5);
    expect(halfTimeAt(cal, received, due).toISOString()).toBe(sh("2026-10-12T09:00").toISOString());
    const state = (now: string, status = "MARKED") => halfTimeState(cal, { status, receivedAt: received, markDueAt: sh("2026-10-08T23:59:59.999"), resolveDueAt: due }, sh(now));
    expect(state("2026-10-07T05:00").resolveHalfMs).toBeGreaterThan(0);
    expect(state("2026-10-12T08:59").resolveHalfMs).toBe(60_000);
    expect(state("2026-10-12T09:00").resolveHalfMs).toBe(0);
    // a step no longer running has no half time
    expect(state("2026-10-12T09:00")).toMatchObject({ markHalfMs: null });
    expect(state("2026-10-12T09:00", "RESOLVED")).toEqual({ markHalfMs: null, resolveHalfMs: null });
  });
});
