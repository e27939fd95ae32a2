// Timeliness (L-05) and the emergency path (L-12): synchronisation deadlines by mode in working
// days, the delay recorded on the licence, incidents with a stored 3-working-day completion
// deadline after recovery, and licences completed under an incident.
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { syncTiming } from "@/lib/licenses/service";
import { calendar, type Calendar } from "@/lib/calendar";
import { createIncident, listIncidents, recoverIncident } from "@/lib/licenses/incidents";
import { issue, licenceRow, makeLicenceWorld, type LicenceWorld } from "@/tests/helpers/licences";

const at = (s: string) => new Date(`${s}+08:00`);
let w: LicenceWorld;
let cal: Calendar;
beforeAll(async () => {
  w = await makeLicenceWorld();
  cal = await calendar(); // the holiday table, seeded from chinese-days
}, 60_000);

describe("synchronisation deadlines (L-05)", () => {
  it("online: the same day; offline: 1 working day; bulk: 5 working days, across weekends and holidays", () => {
    // Friday 2 October 2026 is inside the National Day holiday (1–7 Oct); Saturday 10 Oct is an adjusted working day
    const friday = at("2026-09-25T16:00:00");
    expect(syncTiming("ONLINE", friday, friday, null, cal).syncDueAt.toISOString()).toBe(at("2026-09-25T23:59:59.999").toISOString());
    expect(syncTiming("OFFLINE", friday, friday, null, cal).syncDueAt.toISOString()).toBe(at("2026-09-28T23:59:59.999").toISOString());
    const beforeHoliday = at("2026-09-30T18:00:00");
    expect(syncTiming("OFFLINE", beforeHoliday, beforeHoliday, null, cal).syncDueAt.toISOString()).toBe(at("2026-10-08T23:59:59.999").toISOString());
    expect(syncTiming("BULK", beforeHoliday, beforeHoliday, null, cal).syncDueAt.toISOString()).toBe(at("2026-10-13T23:59:59.999").toISOString()); // 8, 9, 10 (adjusted Saturday), 12, 13 Oct
  });

  it("records the delay in working days between 业务办结 and synchronisation", () => {
    const t = syncTiming("OFFLINE", at("2026-12-04T17:00:00"), at("2026-12-08T09:00:00"), null, cal);
    expect(t.syncDelayDays).toBe(2);
    expect(t.syncedAt > t.syncDueAt).toBe(true);
  });

  it("stores the business completion time, the mode and the deadline on an issued licence", async () => {
    const local = new Date(Date.now() - 2 * 86_400_000 + 8 * 3600_000).toISOString().slice(0, 16);
    const { id } = await issue(w, { businessCompletedAt: local, syncMode: "OFFLINE" });
    const l = await licenceRow(id);
    expect(l.syncMode).toBe("OFFLINE");
    expect(l.businessCompletedAt.toISOString()).toBe(new Date(`${local}:00+08:00`).toISOString());
    expect(l.syncDueAt > l.businessCompletedAt).toBe(true);
    expect(l.syncDelayDays).toBeGreaterThanOrEqual(0);
  });
});

describe("emergency incidents (L-12)", () => {
  it("records an incident, its recovery with a 3-working-day deadline, and the licences completed under it", async () => {
    const startedLocal = new Date(Date.now() - 3 * 3600_000 + 8 * 3600_000).toISOString().slice(0, 16);
    const { id } = await createIncident(w.issuer, { title: "政务外网中断", description: "省政务外网光缆中断，无法连接电子证照库", startedAt: startedLocal });
    // not recovered yet: licences cannot point to it
    await expect(issue(w, { incidentId: id })).rejects.toThrow(/尚未恢复/);
    const endedLocal = new Date(Date.now() - 3600_000 + 8 * 3600_000).toISOString().slice(0, 16);
    const { completeDueAt } = await recoverIncident(w.issuer, { id, rev: 0, endedAt: endedLocal });
    const row = await db().emergencyIncident.findUniqueOrThrow({ where: { id } });
    expect(row.completeDueAt!.toISOString()).toBe(completeDueAt);
    expect(row.completeDueAt!.getTime()).toBeGreaterThan(row.endedAt!.getTime() + 2 * 86_400_000);
    // a second recovery is refused (conditional update)
    await expect(recoverIncident(w.issuer2, { id, rev: 0, endedAt: endedLocal })).rejects.toThrow(/已登记恢复/);
    const { id: licenceId } = await issue(w, { incidentId: id, syncMode: "OFFLINE" });
    const l = await licenceRow(licenceId);
    expect(l.incidentId).toBe(id);
    expect(l.syncDueAt.getTime()).toBeGreaterThanOrEqual(row.completeDueAt!.getTime());
    const list = await listIncidents(w.issuer);
    expect(list.find((x) => x.id === id)).toMatchObject({ licences: 1, late: 0 });
    const audit = await db().auditEvent.findMany({ where: { targetType: "EmergencyIncident", targetId: id }, orderBy: { seq: "asc" } });
    expect(audit.map((a) => (a.detail as { change: string }).change)).toEqual(["CREATE", "RECOVER"]);
  });

  it("keeps incidents to their department: another department's issuer can neither see nor recover it", async () => {
    const startedLocal = new Date(Date.now() - 3 * 3600_000 + 8 * 3600_000).toISOString().slice(0, 16);
    const { id } = await createIncident(w.issuer, { title: "机房断电", description: "机房断电，发证系统停止服务", startedAt: startedLocal });
    const e = await recoverIncident(w.otherIssuer, { id, rev: 0, endedAt: startedLocal }).catch((x: unknown) => x);
    expect((e as AppError).code).toBe("NOT_FOUND");
    expect((await listIncidents(w.otherIssuer)).some((x) => x.id === id)).toBe(false);
    await expect(issue(w, { incidentId: id }, w.issuer)).rejects.toThrow(/尚未恢复/);
  });
});
