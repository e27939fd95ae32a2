import { describe, expect, it } from "vitest";
import { addWorkingDays, isWorkingDay, shanghaiDate, yearCovered } from "@/lib/calendar/working-days";

const at = (iso: string) => new Date(iso);

describe("working days (Asia/Shanghai, official schedule from chinese-days)", () => {
  it("knows weekends, statutory holidays and adjusted working weekends", () => {
    expect(isWorkingDay("2026-11-30")).toBe(true); // Monday
    expect(isWorkingDay("2026-11-29")).toBe(false); // Sunday
    expect(isWorkingDay("2026-10-01")).toBe(false); // National Day
    expect(isWorkingDay("2026-10-10")).toBe(true); // Saturday worked in lieu
    expect(isWorkingDay("2026-02-16")).toBe(false); // Spring Festival
    expect(isWorkingDay("2026-02-14")).toBe(true); // Saturday worked in lieu
  });

  it("does not count the receipt day and ends at 23:59:59.999 Shanghai time", () => {
    // Received Monday 2026-11-30 10:00 Shanghai → due Tuesday 2026-12-01 23:59:59.999 Shanghai
    const r = addWorkingDays(at("2026-11-30T02:00:00Z"), 1);
    expect(r.due.toISOString()).toBe("2026-12-01T15:59:59.999Z");
    expect(shanghaiDate(r.due)).toBe("2026-12-01");
    expect(r.covered).toBe(true);
  });

  it("uses the Shanghai date, not UTC, for an instant late in the evening", () => {
    // 2026-11-27 Friday 23:30 Shanghai = 15:30Z; the next working day is Monday 11-30
    expect(shanghaiDate(addWorkingDays(at("2026-11-27T15:30:00Z"), 1).due)).toBe("2026-11-30");
    // 2026-11-28 00:30 Shanghai (Saturday) = 2026-11-27T16:30Z → next working day Monday 11-30
    expect(shanghaiDate(addWorkingDays(at("2026-11-27T16:30:00Z"), 1).due)).toBe("2026-11-30");
  });

  it("skips the National Day week and counts the adjusted Saturday", () => {
    // Received 2026-09-30 (Wed): Oct 1–7 are holidays; 10-08 Thu, 10-09 Fri, 10-10 Sat (worked)
    expect(shanghaiDate(addWorkingDays(at("2026-09-30T02:00:00Z"), 1).due)).toBe("2026-10-08");
    expect(shanghaiDate(addWorkingDays(at("2026-09-30T02:00:00Z"), 3).due)).toBe("2026-10-10");
  });

  it("says when a year has no official schedule", () => {
    expect(yearCovered(2026)).toBe(true);
    expect(yearCovered(2099)).toBe(false);
    expect(addWorkingDays(at("2099-03-02T02:00:00Z"), 1).covered).toBe(false);
  });
});

describe("workingDaysBetween (L-05 timeliness)", () => {
  it("counts the working days after the first date up to the second", async () => {
    const { workingDaysBetween } = await import("@/lib/calendar/working-days");
    const at = (s: string) => new Date(`${s}+08:00`);
    expect(workingDaysBetween(at("2026-12-01T09:00:00"), at("2026-12-01T18:00:00"))).toBe(0);
    expect(workingDaysBetween(at("2026-12-01T09:00:00"), at("2026-12-02T08:00:00"))).toBe(1);
    // Friday → Monday: the weekend does not count
    expect(workingDaysBetween(at("2026-12-04T17:00:00"), at("2026-12-07T09:00:00"))).toBe(1);
    // 2026 National Day: 30 Sep (Wed) → 9 Oct (Fri); 1–7 Oct are holidays, Sat 10 Oct is a working day
    expect(workingDaysBetween(at("2026-09-30T12:00:00"), at("2026-10-09T12:00:00"))).toBe(2);
    expect(workingDaysBetween(at("2026-12-02T09:00:00"), at("2026-12-01T09:00:00"))).toBe(0);
  });
});
