// The daily licence job (L-08 expiry, L-10 reminders): only valid or suspended licences past their
// last day (Asia/Shanghai) expire, each with an EXPIRE event; licences ending within 30 days get one
// holder notification (SMS when the holder left a contact) and the issuing department's issuer
// operators an in-app notice; a re-run creates nothing new; one audit event per run.
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { validityEndDate } from "@/lib/catalog/validity";
import { shanghaiDate } from "@/lib/calendar/working-days";
import { runLicenceExpiry, EXPIRY_REMINDER_KIND } from "@/lib/licenses/expiry";
import { transitionLicence } from "@/lib/licenses/lifecycle";
import { transitionInput } from "@/lib/licenses/lifecycle-schema";
import { eventsOf, holderUscc, issue, licenceRow, makeLicenceWorld, type LicenceWorld, issueBackdated } from "@/tests/helpers/licences";

let w: LicenceWorld;
beforeAll(async () => {
  w = await makeLicenceWorld();
}, 120_000);

const addDays = (ymd: string, n: number) => new Date(Date.parse(`${ymd}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
const ymd = (d: Date | null) => (d ? d.toISOString().slice(0, 10) : null);

/** The start date that makes the test type's 5-year validity end on `end`. */
function startFor(end: string): string {
  const next = addDays(end, 1);
  const start = `${Number(next.slice(0, 4)) - 5}${next.slice(4)}`;
  expect(validityEndDate({ kind: "YEARS", n: 5 }, new Date(`${start}T12:00:00+08:00`))).toBe(end);
  return start;
}

async function issueEnding(end: string, contact = "13812345678") {
  return issue(w, { validFrom: startFor(end), holder: { category: "LEGAL_PERSON", codeType: "001", code: holderUscc(), name: `到期测试有限公司${end}`, contact } });
}

async function suspend(id: string) {
  await transitionLicence(w.issuer, transitionInput.parse({ licenceId: id, rev: 0, transition: "suspend", reasonCode: "RECTIFICATION", reasonText: "整改" }));
}

async function expireAudits() {
  return db().auditEvent.findMany({ where: { action: "licence.expire" }, orderBy: { seq: "asc" } });
}

describe("daily expiry job (L-08)", () => {
  it("expires only valid and suspended licences past their last day, each with an EXPIRE event; a re-run changes nothing", async () => {
    const today = shanghaiDate(new Date());
    const past = await issueBackdated(w, "2015-01-01");
    const pastSuspended = await issueBackdated(w, "2015-06-01");
    await suspend(pastSuspended.id);
    const pastRevoked = await issueBackdated(w, "2014-01-01");
    await transitionLicence(w.issuer, transitionInput.parse({ licenceId: pastRevoked.id, rev: 0, transition: "revoke", reasonCode: "PENALTY", reasonText: "处罚" }));
    const endsToday = await issueEnding(today);
    const current = await issue(w);
    const auditsBefore = (await expireAudits()).length;

    const run = await runLicenceExpiry();
    expect(run.date).toBe(today);
    expect(run.expired).toBeGreaterThanOrEqual(2);
    expect(await licenceRow(past.id)).toMatchObject({ status: "EXPIRED", statusReason: "EXPIRED", rev: 1 });
    expect(await licenceRow(pastSuspended.id)).toMatchObject({ status: "EXPIRED", rev: 2 });
    expect((await licenceRow(pastRevoked.id)).status).toBe("REVOKED");
    expect((await licenceRow(endsToday.id)).status).toBe("VALID");
    expect((await licenceRow(current.id)).status).toBe("VALID");
    const [, ev] = await eventsOf(past.id);
    expect(ev).toMatchObject({ kind: "EXPIRE", fromStatus: "VALID", toStatus: "EXPIRED", reasonCode: "EXPIRED", actorId: null, data: { validTo: "2019-12-31" } });
    expect((await eventsOf(pastSuspended.id)).map((e) => [e.kind, e.fromStatus, e.toStatus])).toEqual([
      ["ISSUE", null, "VALID"],
      ["SUSPEND", "VALID", "SUSPENDED"],
      ["EXPIRE", "SUSPENDED", "EXPIRED"],
    ]);

    const again = await runLicenceExpiry();
    expect(again).toMatchObject({ expired: 0, reminders: 0, notified: 0 });
    expect((await eventsOf(past.id)).length).toBe(2);
    const audits = await expireAudits();
    expect(audits.length).toBe(auditsBefore + 2);
    expect(audits[audits.length - 2].detail).toMatchObject({ action: "licence.expire", count: run.expired, reminders: run.reminders, date: today });
    expect(audits[audits.length - 1].detail).toMatchObject({ count: 0, reminders: 0 });
  });

  it("expires a licence on the first day after its last day in Asia/Shanghai, in batches", async () => {
    const end = addDays(shanghaiDate(new Date()), 40);
    const a = await issueEnding(end);
    const b = await issueEnding(end);
    const c = await issueEnding(end);
    await runLicenceExpiry(new Date(`${end}T23:59:00+08:00`), 1);
    expect((await licenceRow(a.id)).status).toBe("VALID");
    const run = await runLicenceExpiry(new Date(`${addDays(end, 1)}T00:01:00+08:00`), 1);
    expect(run.expired).toBeGreaterThanOrEqual(3);
    for (const x of [a, b, c]) expect((await licenceRow(x.id)).status).toBe("EXPIRED");
  });
});

describe("expiry reminders 30 days ahead (L-10)", () => {
  it("creates one holder notification per licence (SMS with a contact, NONE without) and notifies the issuing department's issuer operators once", async () => {
    const today = shanghaiDate(new Date());
    const soon = await issueEnding(addDays(today, 10));
    const noContact = await issueEnding(addDays(today, 20), "");
    const edge = await issueEnding(addDays(today, 30));
    const later = await issueEnding(addDays(today, 31));
    const suspended = await issueEnding(addDays(today, 5));
    await suspend(suspended.id);

    const run = await runLicenceExpiry();
    expect(run.reminders).toBeGreaterThanOrEqual(3);
    const notes = await db().holderNotification.findMany({ where: { licenceId: { in: [soon.id, noContact.id, edge.id, later.id, suspended.id] } } });
    expect(notes.map((n) => n.licenceId).sort()).toEqual([soon.id, noContact.id, edge.id].sort());
    const soonRow = await licenceRow(soon.id);
    const sms = notes.find((n) => n.licenceId === soon.id)!;
    expect(sms).toMatchObject({ kind: EXPIRY_REMINDER_KIND, channel: "SMS", contactMasked: "138****5678", status: "PENDING", holderId: soonRow.holderId });
    expect(sms.message).toContain(soonRow.licenceNumber);
    expect(sms.message).toContain(w.issuing.name);
    expect(sms.message).toMatch(/\d{4}年\d{1,2}月\d{1,2}日到期/);
    expect(sms.message).not.toContain("13812345678");
    expect(notes.find((n) => n.licenceId === noContact.id)).toMatchObject({ channel: "NONE", contactMasked: null, status: "SKIPPED" });

    const inApp = await db().notification.findMany({ where: { kind: "licence.expiry", userId: { in: [w.issuer.userId, w.issuer2.userId, w.otherIssuer.userId, w.user.userId] } } });
    const mine = inApp.filter((n) => n.body.includes(soonRow.licenceNumber));
    expect(mine.map((n) => n.userId).sort()).toEqual([w.issuer.userId, w.issuer2.userId].sort());
    expect(mine[0].title).toBe("3 张证照将在 30 天内到期");

    const again = await runLicenceExpiry();
    expect(again).toMatchObject({ reminders: 0, notified: 0 });
    expect(await db().holderNotification.count({ where: { licenceId: { in: [soon.id, noContact.id, edge.id] } } })).toBe(3);
    expect(await db().notification.count({ where: { kind: "licence.expiry", userId: w.issuer.userId } })).toBe(inApp.filter((n) => n.userId === w.issuer.userId).length);
    expect(ymd((await licenceRow(soon.id)).validTo)).toBe(addDays(today, 10));
  });
});
