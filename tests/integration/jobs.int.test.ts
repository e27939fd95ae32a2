// Background jobs run on pg-boss against the real database (ARCHITECTURE.md "Time"): a produced
// seal is filed by the worker, and a filing whose job was lost is picked up by the sweeper.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type PgBoss from "pg-boss";
import { db } from "@/lib/db";
import { createDepartment, createUser } from "@/tests/helpers/factory";
import { applySeal, produceSeal, startReview } from "@/lib/seals/service";
import { startWorkers } from "@/lib/jobs/worker";
import { boss, enqueueFiling, QUEUES, stopBoss } from "@/lib/jobs/boss";
import type { Actor } from "@/lib/auth/session";

vi.mock("next/headers", () => ({ headers: () => Promise.resolve(new Headers()), cookies: () => Promise.resolve({ get: () => undefined }) }));

let workers: PgBoss;
let applicant: Actor;
let maker: Actor;
let holderId: string;

const actor = (u: Awaited<ReturnType<typeof createUser>>, d: { path: string; name: string }): Actor => ({
  sessionId: "x".repeat(64), userId: u.id, username: u.username, name: u.name, departmentId: u.departmentId, departmentPath: d.path,
  departmentName: d.name, departmentLevel: "PROVINCE", roles: u.roles.map((r) => ({ role: r.role, scope: r.scope })), mustChangePassword: null, ip: null, userAgent: null,
});

async function produced(): Promise<string> {
  const { id } = await applySeal(applicant, { holderDeptId: holderId, kind: "BUSINESS", businessType: "CONTRACT", positionType: null, name: "测试合同章", holderPersonName: "", useMode: "CENTRALISED", physicalRef: "JOB-0001", applyReason: "任务测试" }, []);
  await startReview(maker, id);
  await produceSeal(maker, { sealId: id, validYears: 1, protectionPassword: "" });
  return id;
}

async function waitForStatus(id: string, status: string, ms = 30_000) {
  const end = Date.now() + ms;
  for (;;) {
    const s = await db().seal.findUniqueOrThrow({ where: { id } });
    if (s.status === status) return s;
    if (Date.now() > end) throw new Error(`seal stayed ${s.status}`);
    await new Promise((r) => setTimeout(r, 300));
  }
}

beforeAll(async () => {
  const p = await createDepartment({ level: "PROVINCE" });
  const holder = await createDepartment({ parent: p, level: "PROVINCE" });
  holderId = holder.id;
  applicant = actor(await createUser({ department: holder, roles: ["SEAL_APPLICANT"] }), holder);
  maker = actor(await createUser({ department: p, roles: [{ role: "SEAL_MAKER_REVIEWER", scope: "PROVINCE" }] }), p);
  workers = await startWorkers({ sweepCron: "* * * * *" });
});

afterAll(async () => {
  await workers?.stop({ graceful: false, wait: true });
  await stopBoss();
});

describe("pg-boss jobs", () => {
  it("S-05: the filing job files a produced seal and activates it", async () => {
    const id = await produced();
    await enqueueFiling(id);
    const s = await waitForStatus(id, "ACTIVE");
    expect(s.filingNumber).toBe(`BA${s.esId}`);
    expect(await db().sealFiling.findFirst({ where: { sealId: id } })).toMatchObject({ status: "FILED", attempts: 1 });
  });

  it("the sweeper re-queues a filing whose job was lost (restart safety)", async () => {
    const id = await produced(); // no job sent: as if the process died right after the commit
    const b = await boss();
    await b.send(QUEUES.sealFilingSweep, {});
    await waitForStatus(id, "ACTIVE");
  });
});
