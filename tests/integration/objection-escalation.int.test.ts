// Deadlines that survive restarts (O-05): the sweep reminds the issuing department once at half
// time and escalates each missed deadline exactly once to the management department (a record,
// an event, a notification), whatever runs it — two sweeps at once, a worker stopped and started
// again — because overdue is computed from the stored deadlines and the escalation is claimed by
// a unique index. The sweep's clock is injected; the pg-boss schedule runs the same function.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type PgBoss from "pg-boss";
import { db } from "@/lib/db";
import { boss, QUEUES, stopBoss } from "@/lib/jobs/boss";
import { startWorkers } from "@/lib/jobs/worker";
import { sweepObjections } from "@/lib/objections/jobs";
import { markObjection, resolveObjection } from "@/lib/objections/service";
import { objectionDetail } from "@/lib/objections/queries";
import { createDepartment, uniqueSuffix } from "@/tests/helpers/factory";
import { makeActor } from "@/tests/helpers/catalog";
import { licenceFor, makeObjectionWorld, notificationsTo, objectionEvents, objectionRow, raiseByDept, shanghai, type ObjectionWorld } from "@/tests/helpers/objections";

let w: ObjectionWorld;
let workers: PgBoss | undefined;
beforeAll(async () => {
  w = await makeObjectionWorld();
}, 180_000);

afterAll(async () => {
  await workers?.stop({ graceful: false, wait: true });
  await stopBoss();
});

const escalations = (objectionId: string) => db().objectionEscalation.findMany({ where: { objectionId }, orderBy: { kind: "asc" } });
const linked = async (userId: string, kind: string, id: string) => (await notificationsTo(userId, kind)).filter((n) => n.link === `/objections/${id}`);

async function waitForJob(id: string, ms = 30_000) {
  const b = await boss();
  const end = Date.now() + ms;
  for (;;) {
    const job = await b.getJobById(QUEUES.objectionSweep, id);
    if (job && (job.state === "completed" || job.state === "failed")) return job;
    if (Date.now() > end) throw new Error(`sweep job stayed ${job?.state}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

describe("the objection sweep (O-05)", () => {
  it("[O-05] reminds the issuing department's operators once, at half of the resolution time in working days", async () => {
    const l = await licenceFor(w);
    // received Monday 2026-11-02 10:00, due Monday 11-09 23:59:59.999 (5 working days): 3 of them are
    // used by Thursday's end, so half time is Friday 11-06 09:00 (the wall-clock middle was 05:00)
    const { id } = await raiseByDept(w.user, l.id, { now: shanghai("2026-11-02T10:00") });
    await sweepObjections(shanghai("2026-11-06T05:00"));
    await sweepObjections(shanghai("2026-11-06T08:55"));
    expect((await objectionRow(id)).remindedAt).toBeNull();
    expect(await linked(w.issuer.userId, "objection.remind", id)).toHaveLength(0);

    await sweepObjections(shanghai("2026-11-06T09:00"));
    await sweepObjections(shanghai("2026-11-06T12:00"));
    expect((await objectionRow(id)).remindedAt?.toISOString()).toBe(shanghai("2026-11-06T09:00").toISOString());
    expect((await objectionEvents(id)).filter((e) => e.kind === "REMIND")).toHaveLength(1);
    for (const op of [w.issuer, w.issuer2]) expect(await linked(op.userId, "objection.remind", id)).toHaveLength(1);
    // a reminder is not a state change: the page's revision is untouched
    expect((await objectionRow(id)).rev).toBe(0);
  });

  it("[O-05] half time skips holidays: an objection received the day before National Day is reminded on 10-12, not in the holiday", async () => {
    const l = await licenceFor(w);
    // received Wednesday 2026-09-30; 10-01…07 off; 5 working days: 10-08, 10-09, 10-10 (adjusted Saturday), 10-12, 10-13
    const { id } = await raiseByDept(w.user, l.id, { now: shanghai("2026-09-30T10:00") });
    expect((await objectionRow(id)).resolveDueAt.toISOString()).toBe(new Date("2026-10-13T23:59:59.999+08:00").toISOString());
    await sweepObjections(shanghai("2026-10-07T05:00")); // the wall-clock middle: no working day used yet
    await sweepObjections(shanghai("2026-10-12T08:55"));
    expect((await objectionRow(id)).remindedAt).toBeNull();
    await sweepObjections(shanghai("2026-10-12T09:00"));
    expect((await objectionRow(id)).remindedAt?.toISOString()).toBe(shanghai("2026-10-12T09:00").toISOString());
    expect(await linked(w.issuer.userId, "objection.remind", id)).toHaveLength(1);
  });

  it("[O-05] escalates each missed deadline exactly once: nothing before it, one record per kind after two concurrent sweeps, a worker stop and start, and the pg-boss job", async () => {
    workers = await startWorkers();
    const [sched] = await db().$queryRaw<{ cron: string; timezone: string | null }[]>`SELECT "cron", "timezone" FROM pgboss.schedule WHERE "name" = ${QUEUES.objectionSweep}`;
    expect(sched).toMatchObject({ cron: "*/5 * * * *", timezone: "Asia/Shanghai" });

    const l = await licenceFor(w);
    const { id } = await raiseByDept(w.user, l.id);
    const o = await objectionRow(id);
    await sweepObjections(new Date());
    expect(await escalations(id)).toHaveLength(0);

    // the workers stop (a restart); the clock moves past both deadlines; two sweeps run at once
    await workers.stop({ graceful: false, wait: true });
    workers = undefined;
    await stopBoss();
    const later = new Date(o.resolveDueAt.getTime() + 60_000);
    const auditBefore = await db().auditEvent.count({ where: { action: "objection.escalate" } });
    const [a, b] = await Promise.all([sweepObjections(later), sweepObjections(later)]);
    expect([a, b].filter((r) => r.escalations === 0 && r.reminders === 0)).toHaveLength(1);
    expect(a.escalations + b.escalations).toBeGreaterThanOrEqual(2);
    expect(await db().auditEvent.count({ where: { action: "objection.escalate" } })).toBe(auditBefore + 1);

    const check = async () => {
      const esc = await escalations(id);
      expect(esc.map((e) => [e.kind, e.dueAt.toISOString(), e.toDeptId])).toEqual([
        ["MARK", o.markDueAt.toISOString(), w.province.id],
        ["RESOLVE", o.resolveDueAt.toISOString(), w.province.id],
      ]);
      expect((await objectionEvents(id)).filter((e) => e.kind === "ESCALATE").map((e) => (e.data as { kind: string }).kind).sort()).toEqual(["MARK", "RESOLVE"]);
      const notes = await linked(w.supervisor.userId, "objection.escalate", id);
      expect(notes.map((n) => n.title).sort()).toEqual([`异议办结超期：${o.number}`, `异议标注超期：${o.number}`]);
    };
    await check();

    // started again: later sweeps, direct and through the queue, escalate nothing more
    workers = await startWorkers();
    await sweepObjections(new Date(later.getTime() + 86_400_000));
    const jobId = await (await boss()).send(QUEUES.objectionSweep, {});
    expect((await waitForJob(jobId!)).state).toBe("completed");
    await check();
    const detail = await objectionDetail(w.supervisor, id, later);
    expect(detail.escalations.map((e) => [e.kind, e.label, e.toDept])).toEqual([
      ["MARK", "标注超期", w.province.name],
      ["RESOLVE", "办结超期", w.province.name],
    ]);
    expect(detail.overdue).toEqual({ mark: true, resolve: true });
    // the remaining tests sweep with their own clocks only
    await workers.stop({ graceful: false, wait: true });
    workers = undefined;
    await stopBoss();
  });

  it("[O-05] an objection marked in time escalates only its resolution; one resolved in time never escalates", async () => {
    const l = await licenceFor(w);
    const received = shanghai("2026-11-16T10:00");
    const marked = await raiseByDept(w.user, l.id, { now: received });
    await markObjection(w.issuer, { id: marked.id, rev: 0, note: "" }, shanghai("2026-11-16T15:00"));
    const done = await raiseByDept(w.user2, l.id, { now: received });
    await markObjection(w.issuer, { id: done.id, rev: 0, note: "" }, shanghai("2026-11-16T15:00"));
    await resolveObjection(w.issuer, { id: done.id, rev: 1, outcome: "UPHELD", reason: "经核实证照信息无误" }, shanghai("2026-11-20T15:00"));
    await sweepObjections(shanghai("2026-11-30T09:00"));
    expect((await escalations(marked.id)).map((e) => e.kind)).toEqual(["RESOLVE"]);
    expect(await escalations(done.id)).toHaveLength(0);
    expect((await objectionEvents(done.id)).map((e) => e.kind)).toEqual(["SUBMIT", "MARK", "RESOLVE"]);
  });

  it("[O-05] escalates to the city's own management department when there is one", async () => {
    const cityMgmt = await createDepartment({ parent: w.province, level: "CITY", area: "510100", parts: { isManagement: true }, name: `成都市测试大数据局-${uniqueSuffix()}` });
    const citySupervisor = await makeActor(cityMgmt, [{ role: "SUPERVISOR", scope: "SUBTREE" }], "市级监督员");
    const l = await licenceFor(w);
    const { id } = await raiseByDept(w.user, l.id, { now: shanghai("2026-11-16T10:00") });
    // marking was due Tuesday 11-17 23:59:59.999, resolution Monday 11-23
    await sweepObjections(shanghai("2026-11-17T23:00"));
    expect(await escalations(id)).toHaveLength(0);
    await sweepObjections(shanghai("2026-11-18T09:00"));
    expect((await escalations(id)).map((e) => [e.kind, e.toDeptId])).toEqual([["MARK", cityMgmt.id]]);
    expect(await linked(citySupervisor.userId, "objection.escalate", id)).toHaveLength(1);
    expect(await linked(w.supervisor.userId, "objection.escalate", id)).toHaveLength(0);
  });
});
