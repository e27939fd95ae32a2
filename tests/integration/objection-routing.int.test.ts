// Cross-region objections (O-06): a using department in another city (绵阳, 510700) objects to a
// licence issued in 成都 (510100); the objection goes to the provincial management department,
// which forwards it to the issuer and, once resolved, returns the result to the applicant. Each
// hop is an event and an `objection.route` audit event; the deadlines set at receipt never move.
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { correctObjection, forwardObjection, markObjection, resolveObjection, returnObjection } from "@/lib/objections/service";
import { listObjections, objectionDetail } from "@/lib/objections/queries";
import { objectionFilter } from "@/lib/objections/schema";
import { makeActor } from "@/tests/helpers/catalog";
import { licenceRow } from "@/tests/helpers/licences";
import { licenceFor, makeObjectionWorld, notificationsTo, objectionAudit, objectionEvents, objectionRow, openCount, raiseByDept, refusal, type ObjectionWorld } from "@/tests/helpers/objections";

let w: ObjectionWorld;
beforeAll(async () => {
  w = await makeObjectionWorld();
}, 180_000);

const linked = async (userId: string, kind: string, id: string) => (await notificationsTo(userId, kind)).filter((n) => n.link === `/objections/${id}`);

describe("cross-region routing (O-06)", () => {
  it("[O-06] goes to the province, is forwarded to the issuer, resolved, and returned to the applicant: every hop recorded, the deadlines unchanged", async () => {
    const l = await licenceFor(w);
    const { id } = await raiseByDept(w.farUser, l.id);
    const first = await objectionRow(id);
    const deadlines = [first.markDueAt.toISOString(), first.resolveDueAt.toISOString()];
    const same = async () => {
      const o = await objectionRow(id);
      expect([o.markDueAt.toISOString(), o.resolveDueAt.toISOString()]).toEqual(deadlines);
      return o;
    };
    expect(first).toMatchObject({ status: "SUBMITTED", routeStage: "AT_PROVINCE", applicantDeptId: w.farUsing.id, issuerDeptId: w.issuing.id });
    expect((await objectionEvents(id)).map((e) => e.kind)).toEqual(["SUBMIT", "ROUTE"]);
    expect((await objectionEvents(id))[1].data).toMatchObject({ stage: "AT_PROVINCE", toDeptId: w.province.id });
    expect(await linked(w.supervisor.userId, "objection.route", id)).toHaveLength(1);
    expect(await linked(w.issuer.userId, "objection.new", id)).toHaveLength(0);
    expect((await objectionAudit(id, "objection.submit"))[0].detail).toMatchObject({ routed: true, source: "DEPT" });

    // the issuer sees it but cannot mark before the province forwards it
    expect((await objectionDetail(w.issuer, id)).can.canMark).toBe(false);
    expect((await refusal(markObjection(w.issuer, { id, rev: 0, note: "" }))).userMessage).toContain("省级管理部门转办中");
    // only the province routes: not a using operator, not a city-level supervisor
    expect((await refusal(forwardObjection(w.farUser, { id, rev: 0, note: "" }))).code).toBe("FORBIDDEN");
    const citySupervisor = await makeActor(w.issuing, [{ role: "SUPERVISOR", scope: "SUBTREE" }], "市级监督员");
    expect((await refusal(forwardObjection(citySupervisor, { id, rev: 0, note: "" }))).code).toBe("FORBIDDEN");
    const asProvince = await objectionDetail(w.supervisor, id);
    expect(asProvince.can).toMatchObject({ canForward: true, canReturn: false, canMark: false });
    expect((await listObjections(w.supervisor, objectionFilter.parse({ stage: "AT_PROVINCE", identifier: l.identifier }))).total).toBe(1);

    await forwardObjection(w.supervisor, { id, rev: 0, note: "请发证部门核实" });
    expect(await same()).toMatchObject({ status: "SUBMITTED", routeStage: "AT_ISSUER", rev: 1 });
    expect(await linked(w.issuer.userId, "objection.new", id)).toHaveLength(1);
    expect((await refusal(forwardObjection(w.supervisor, { id, rev: 1, note: "" }))).userMessage).toBe("该异议已转办");

    await markObjection(w.issuer, { id, rev: 1, note: "" });
    expect(await openCount(l.id)).toBe(1);
    await resolveObjection(w.issuer, { id, rev: 2, outcome: "REJECTED", reason: "申请方所述地址为分支机构地址，不予采纳" });
    expect(await same()).toMatchObject({ status: "RESOLVED", outcome: "REJECTED", routeStage: "RETURNING", rev: 3 });
    expect(await openCount(l.id)).toBe(0);
    // the result goes back through the province, not straight to the applicant
    expect(await linked(w.farUser.userId, "objection.result", id)).toHaveLength(0);
    expect(await linked(w.supervisor.userId, "objection.return", id)).toHaveLength(1);
    expect((await objectionDetail(w.supervisor, id)).can).toMatchObject({ canReturn: true, canForward: false });
    expect((await refusal(returnObjection(w.farUser, { id, rev: 3, note: "" }))).code).toBe("FORBIDDEN");

    await returnObjection(w.supervisor, { id, rev: 3, note: "" });
    expect(await same()).toMatchObject({ status: "RESOLVED", routeStage: "RETURNED", rev: 4 });
    const told = await linked(w.farUser.userId, "objection.result", id);
    expect(told).toHaveLength(1);
    expect(told[0].body).toContain("不予采纳");
    expect((await refusal(returnObjection(w.supervisor, { id, rev: 4, note: "" }))).userMessage).toBe("该异议的结果已反馈");

    const events = await objectionEvents(id);
    expect(events.map((e) => [e.kind, e.actorId])).toEqual([
      ["SUBMIT", w.farUser.userId],
      ["ROUTE", w.farUser.userId],
      ["FORWARD", w.supervisor.userId],
      ["MARK", w.issuer.userId],
      ["RESOLVE", w.issuer.userId],
      ["RETURN", w.supervisor.userId],
    ]);
    const audits = await objectionAudit(id);
    expect(audits.map((a) => [a.action, (a.detail as { stage?: string; transition?: string }).stage ?? (a.detail as { transition?: string }).transition ?? null])).toEqual([
      ["objection.submit", null],
      ["objection.route", "AT_ISSUER"],
      ["objection.transition", "mark"],
      ["objection.transition", "resolve"],
      ["objection.route", "RETURNED"],
    ]);
  });

  it("[O-06] a cross-region correction also returns through the province; an objection from the issuer's own region is never routed", async () => {
    const l = await licenceFor(w);
    const { id } = await raiseByDept(w.farUser, l.id, { over: { fields: [{ key: "format", expected: "餐饮" }] } });
    await forwardObjection(w.supervisor, { id, rev: 0, note: "" });
    await markObjection(w.issuer, { id, rev: 1, note: "" });
    const d = await objectionDetail(w.issuer, id);
    const { licenceId } = await correctObjection(w.issuer, { id, rev: 2, reason: "经营业态已更正为餐饮", face: { ...d.correction!.face, format: "餐饮" }, holderName: "", changeReason: "" });
    expect(await objectionRow(id)).toMatchObject({ outcome: "CORRECTED", routeStage: "RETURNING", correctedLicenceId: licenceId });
    expect((await licenceRow(licenceId)).version).toBe(2);
    await returnObjection(w.supervisor, { id, rev: 3, note: "已更正" });
    const [told] = await linked(w.farUser.userId, "objection.result", id);
    expect(told.body).toContain((await licenceRow(licenceId)).identifier);

    const near = await raiseByDept(w.user, licenceId);
    expect((await objectionRow(near.id)).routeStage).toBeNull();
    expect((await objectionEvents(near.id)).map((e) => e.kind)).toEqual(["SUBMIT"]);
    expect(await db().objection.count({ where: { licenceId } })).toBe(1);
  });
});
