// Figures for supervision (issue 7 → issue 8): per issuing department and period, objections
// received, marked on time %, resolved on time %, currently overdue, and the average working
// days from receipt to resolution, built from objections with known times (injected clocks).
import { beforeAll, describe, expect, it } from "vitest";
import { objectionFigures } from "@/lib/objections/queries";
import { markObjection, resolveObjection, withdrawByDept } from "@/lib/objections/service";
import { makeActor } from "@/tests/helpers/catalog";
import { licenceFor, makeObjectionWorld, raiseByDept, refusal, shanghai, type ObjectionWorld } from "@/tests/helpers/objections";

let w: ObjectionWorld;
const JUNE = { from: shanghai("2026-06-01T00:00"), to: shanghai("2026-07-01T00:00") };
const NOW = shanghai("2026-12-01T09:00");

beforeAll(async () => {
  w = await makeObjectionWorld();
  const l = await licenceFor(w);
  const raise = (local: string, actor = w.user) => raiseByDept(actor, l.id, { now: shanghai(local) });
  const mark = (id: string, local: string) => markObjection(w.issuer, { id, rev: 0, note: "" }, shanghai(local));
  const resolve = (id: string, local: string) => resolveObjection(w.issuer, { id, rev: 1, outcome: "UPHELD", reason: "经核实证照信息无误" }, shanghai(local));

  // A: Monday 06-01, marked 06-02 and resolved Friday 06-05 — both on time (4 working days)
  const a = await raise("2026-06-01T10:00");
  await mark(a.id, "2026-06-02T10:00");
  await resolve(a.id, "2026-06-05T15:00");
  // B: Monday 06-01, marked 06-03 (due 06-02) and resolved Wednesday 06-10 (due Monday 06-08) — both late (7 working days)
  const b = await raise("2026-06-01T10:00", w.user2);
  await mark(b.id, "2026-06-03T09:00");
  await resolve(b.id, "2026-06-10T09:00");
  // C: Monday 06-15, marked on time, never resolved (due 06-23 across the Dragon Boat holiday 06-19): overdue now
  const c = await raise("2026-06-15T10:00");
  await mark(c.id, "2026-06-15T16:00");
  // D: withdrawn two hours after receipt: received, but no deadline came while it waited
  const d = await raise("2026-06-15T10:00", w.user2);
  await withdrawByDept(w.user2, { id: d.id, rev: 0 }, shanghai("2026-06-15T12:00"));
  // outside the period on both sides
  await raise("2026-05-31T23:59");
  await raise("2026-07-01T00:00");
}, 240_000);

describe("objection figures for supervision", () => {
  it("counts a department's objections received in the period: on-time marking and resolution, overdue now, average working days to resolve; a department with none gets zeros", async () => {
    const figures = await objectionFigures(w.supervisor, { ...JUNE, deptIds: [w.issuing.id, w.otherIssuing.id] }, NOW);
    expect(figures).toEqual([
      {
        deptId: w.issuing.id,
        deptName: w.issuing.name,
        received: 4,
        markCounted: 3,
        markedOnTime: 2,
        markedOnTimePct: 66.7,
        resolveCounted: 3,
        resolvedOnTime: 1,
        resolvedOnTimePct: 33.3,
        resolved: 2,
        overdueNow: 1,
        avgWorkingDaysToResolve: 5.5,
      },
      {
        deptId: w.otherIssuing.id,
        deptName: w.otherIssuing.name,
        received: 0,
        markCounted: 0,
        markedOnTime: 0,
        markedOnTimePct: null,
        resolveCounted: 0,
        resolvedOnTime: 0,
        resolvedOnTimePct: null,
        resolved: 0,
        overdueNow: 0,
        avgWorkingDaysToResolve: null,
      },
    ]);
  });

  it("an empty period gives zeros; without a department list every issuing department in scope is listed", async () => {
    const empty = await objectionFigures(w.supervisor, { from: shanghai("2025-01-01T00:00"), to: shanghai("2025-02-01T00:00"), deptIds: [w.issuing.id] }, NOW);
    expect(empty).toEqual([expect.objectContaining({ deptId: w.issuing.id, received: 0, markedOnTimePct: null, resolvedOnTimePct: null, overdueNow: 0, avgWorkingDaysToResolve: null })]);
    const all = await objectionFigures(w.supervisor, JUNE, NOW);
    expect(all.find((f) => f.deptId === w.issuing.id)).toMatchObject({ received: 4, overdueNow: 1 });
    expect(all.find((f) => f.deptId === w.otherIssuing.id)).toMatchObject({ received: 0 });
    // "now" matters for what is overdue: before C's deadline nothing was
    expect((await objectionFigures(w.supervisor, { ...JUNE, deptIds: [w.issuing.id] }, shanghai("2026-06-16T09:00")))[0]).toMatchObject({ overdueNow: 0 });
  });

  it("needs supervision.read, and only covers departments in the supervisor's scope", async () => {
    expect((await refusal(objectionFigures(w.issuer, JUNE, NOW))).code).toBe("FORBIDDEN");
    const citySupervisor = await makeActor(w.otherIssuing, [{ role: "SUPERVISOR", scope: "SUBTREE" }], "绵阳监督员");
    expect(await objectionFigures(citySupervisor, { ...JUNE, deptIds: [w.issuing.id] }, NOW)).toEqual([]);
    expect((await objectionFigures(citySupervisor, JUNE, NOW)).map((f) => f.deptId)).toEqual([w.otherIssuing.id]);
  });
});
