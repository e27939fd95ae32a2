// Spot checks (V-03): a check over two departments with known licences (six in Chengdu, three in
// Mianyang, so N per department is exercised on both) writes the sample, is
// reproducible from its seed (a licence issued after asOf changes nothing), records results with
// one winner per item revision, closes with figures per department, and refuses supervisors out of
// scope and operators.
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { insertLicence, makeActor } from "@/tests/helpers/catalog";
import { issue, makeLicenceWorld, type LicenceWorld } from "@/tests/helpers/licences";
import { closeSpotCheck, createSpotCheck, getSpotCheck, listSpotChecks, recordSpotItem, reproduceSpotCheck } from "@/lib/supervision/spot-checks";
import { sampleIds } from "@/lib/supervision/spot-checks-sample";
import { spotCheckFilter } from "@/lib/supervision/spot-checks-schema";
import type { Actor } from "@/lib/auth/session";
import { AppError } from "@/lib/errors";

let w: LicenceWorld;
let licenceIds: string[];
let otherIds: string[];
let citySupervisor: Actor;

async function refusal(p: Promise<unknown>): Promise<AppError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof AppError) return e;
    throw e;
  }
  throw new Error("expected a refusal");
}

beforeAll(async () => {
  w = await makeLicenceWorld();
  licenceIds = [];
  for (let i = 0; i < 6; i++) licenceIds.push((await issue(w)).id);
  // the Mianyang department's licences of the same type (written directly: it has no seal of its own here)
  const version = (await db().licence.findUniqueOrThrow({ where: { id: licenceIds[0] }, select: { typeVersionId: true } })).typeVersionId;
  otherIds = [];
  for (let i = 0; i < 3; i++) otherIds.push((await insertLicence(w.type.id, version, w.otherIssuing.id)).id);
  citySupervisor = await makeActor(w.otherIssuing, [{ role: "SUPERVISOR", scope: "SUBTREE" }], "绵阳监督员");
}, 300_000);

const audits = (id: string) => db().auditEvent.findMany({ where: { targetType: "SpotCheck", targetId: id }, orderBy: { seq: "asc" } });

describe("spot checks (V-03)", () => {
  it("V-03: draws N per department by SM3(seed ‖ id), reproducibly, and closes with figures", async () => {
    const seed = "a1".repeat(32);
    const created = await createSpotCheck(w.supervisor, { kind: "LICENCE", deptIds: [w.issuing.id, w.otherIssuing.id], perDept: 4, seed });
    expect(created.number).toMatch(/^CC\d{11}$/);
    expect(created.empty).toEqual([]);

    const all = await db().spotCheckItem.findMany({ where: { checkId: created.id }, orderBy: [{ ordinal: "asc" }, { id: "asc" }] });
    expect(all).toHaveLength(4 + 3);
    const items = all.filter((i) => i.deptId === w.issuing.id);
    const others = all.filter((i) => i.deptId === w.otherIssuing.id);
    expect(items.map((i) => i.ordinal)).toEqual([1, 2, 3, 4]);
    // exactly the documented rule over each department's own licences; fewer than N gives them all
    expect(items.map((i) => i.targetId)).toEqual(sampleIds(seed, licenceIds, 4).map((s) => s.id));
    expect(others.map((i) => i.targetId)).toEqual(sampleIds(seed, otherIds, 4).map((s) => s.id));
    expect(new Set(others.map((i) => i.targetId))).toEqual(new Set(otherIds));
    // N = 2: two of each, each department's own smallest keys
    const two = await createSpotCheck(w.supervisor, { kind: "LICENCE", deptIds: [w.issuing.id, w.otherIssuing.id], perDept: 2, seed });
    const twoItems = await db().spotCheckItem.findMany({ where: { checkId: two.id }, orderBy: [{ ordinal: "asc" }, { id: "asc" }] });
    expect(twoItems.filter((i) => i.deptId === w.issuing.id).map((i) => i.targetId)).toEqual(sampleIds(seed, licenceIds, 2).map((s) => s.id));
    expect(twoItems.filter((i) => i.deptId === w.otherIssuing.id).map((i) => i.targetId)).toEqual(sampleIds(seed, otherIds, 2).map((s) => s.id));
    expect((await audits(created.id)).map((a) => (a.detail as { change: string }).change)).toEqual(["CREATE"]);

    // a licence issued after asOf is not a candidate: the recomputed sample is unchanged
    const later = await issue(w);
    expect(sampleIds(seed, [...licenceIds, later.id], 4)).toBeDefined();
    const again = await reproduceSpotCheck(w.supervisor, created.id);
    expect(again.matches).toBe(true);
    expect(again.depts.find((d) => d.deptId === w.issuing.id)?.recomputed).toEqual(items.map((i) => i.targetId));
    expect(again.depts.find((d) => d.deptId === w.otherIssuing.id)?.recomputed).toEqual(others.map((i) => i.targetId));

    // the same seed now (with the later licence a candidate) is the documented sample of the larger set
    const second = await createSpotCheck(w.supervisor, { kind: "LICENCE", deptIds: [w.issuing.id], perDept: 4, seed });
    const secondItems = await db().spotCheckItem.findMany({ where: { checkId: second.id }, orderBy: { ordinal: "asc" } });
    expect(secondItems.map((i) => i.targetId)).toEqual(sampleIds(seed, [...licenceIds, later.id], 4).map((s) => s.id));

    // the detail shows the licence to compare with, holder code masked
    const detail = await getSpotCheck(w.supervisor, created.id);
    // (items are listed per department, so find the one of Chengdu's first item)
    const t0 = detail.items.find((i) => i.id === items[0].id)!.target;
    expect(t0.kind).toBe("LICENCE");
    if (t0.kind === "LICENCE") {
      expect(t0.href).toBe(`/licenses/${items[0].targetId}`);
      expect(t0.holderCode).toContain("*");
    }
    expect(detail.seed).toBe(seed);

    // record: of two at the same revision exactly one wins
    const [a, b] = await Promise.allSettled([
      recordSpotItem(w.supervisor, { itemId: items[0].id, rev: 0, result: "PASS" }),
      recordSpotItem(w.supervisor, { itemId: items[0].id, rev: 0, result: "FAIL", findings: "持证主体名称与源数据不一致" }),
    ]);
    expect([a.status, b.status].sort()).toEqual(["fulfilled", "rejected"]);
    const lost = (a.status === "rejected" ? a.reason : (b as PromiseRejectedResult).reason) as AppError;
    expect(lost.code).toBe("CONFLICT");
    expect((await db().spotCheckItem.findUniqueOrThrow({ where: { id: items[0].id } })).rev).toBe(1);
    // FAIL needs findings
    const noFindings = await refusal(recordSpotItem(w.supervisor, { itemId: items[1].id, rev: 0, result: "FAIL", findings: "" }));
    expect(noFindings.fieldErrors?.findings).toMatch(/检查发现/);

    // set item 0 to PASS at its current revision (whichever won), item 1 FAIL, item 2 PASS
    await recordSpotItem(w.supervisor, { itemId: items[0].id, rev: 1, result: "PASS" });
    await recordSpotItem(w.supervisor, { itemId: items[1].id, rev: 0, result: "FAIL", findings: "证照状态与源系统不一致" });
    await recordSpotItem(w.supervisor, { itemId: items[2].id, rev: 0, result: "PASS" });

    // closing with an item unrecorded needs a summary saying why
    for (const o of others) await recordSpotItem(w.supervisor, { itemId: o.id, rev: 0, result: "PASS" });
    const early = await refusal(closeSpotCheck(w.supervisor, { id: created.id, rev: 0 }));
    expect(early.fieldErrors?.summary).toMatch(/还有 1 项未记录/);
    expect((await db().spotCheck.findUniqueOrThrow({ where: { id: created.id } })).status).toBe("OPEN");
    await recordSpotItem(w.supervisor, { itemId: items[3].id, rev: 0, result: "PASS" });
    await closeSpotCheck(w.supervisor, { id: created.id, rev: 0, summary: "抽查 7 件，1 件不合格，已责令整改" });
    const closed = await getSpotCheck(w.supervisor, created.id);
    expect(closed.status).toBe("DONE");
    expect(closed.figures.find((f) => f.deptId === w.issuing.id)).toMatchObject({ sampled: 4, checked: 4, passed: 3, failed: 1, passRate: 0.75 });
    expect(closed.figures.find((f) => f.deptId === w.otherIssuing.id)).toMatchObject({ sampled: 3, checked: 3, passed: 3, failed: 0, passRate: 1 });
    // closed: no more records, no second close
    expect((await refusal(recordSpotItem(w.supervisor, { itemId: items[3].id, rev: 1, result: "FAIL", findings: "补充" }))).code).toBe("CONFLICT");
    expect((await refusal(closeSpotCheck(w.supervisor, { id: created.id, rev: 1 }))).code).toBe("CONFLICT");
    const changes = (await audits(created.id)).map((x) => (x.detail as { change: string }).change);
    expect(changes[0]).toBe("CREATE");
    expect(changes.at(-1)).toBe("CLOSE");
    expect(changes.filter((c) => c === "RECORD")).toHaveLength(5 + 3);

    // the list shows it with its pass rate
    const list = await listSpotChecks(w.supervisor, spotCheckFilter.parse({ number: created.number }));
    expect(list.rows).toHaveLength(1);
    expect(list.rows[0]).toMatchObject({ number: created.number, status: "DONE", items: 7, passed: 6, passRate: 6 / 7 });
  }, 120_000);

  it("V-03: a random seed of 32 bytes when none is given; fewer candidates than N gives them all", async () => {
    const c = await createSpotCheck(w.supervisor, { kind: "LICENCE", deptIds: [w.issuing.id], perDept: 200 });
    const row = await db().spotCheck.findUniqueOrThrow({ where: { id: c.id } });
    expect(row.seed).toMatch(/^[0-9a-f]{64}$/);
    const n = await db().licence.count({ where: { issuerDeptId: w.issuing.id, issuedAt: { lte: row.asOf } } });
    expect(await db().spotCheckItem.count({ where: { checkId: c.id } })).toBe(n);
    expect((await reproduceSpotCheck(w.supervisor, c.id)).matches).toBe(true);
  }, 60_000);

  it("V-03: refuses another city's supervisor and an issuer operator", async () => {
    const c = await createSpotCheck(w.supervisor, { kind: "LICENCE", deptIds: [w.issuing.id], perDept: 2, seed: "0f" });
    const item = await db().spotCheckItem.findFirstOrThrow({ where: { checkId: c.id } });
    // the Mianyang supervisor: Chengdu's department is outside its region
    expect((await refusal(createSpotCheck(citySupervisor, { kind: "LICENCE", deptIds: [w.issuing.id], perDept: 2 }))).code).toBe("NOT_FOUND");
    expect((await refusal(getSpotCheck(citySupervisor, c.id))).code).toBe("NOT_FOUND");
    expect((await refusal(reproduceSpotCheck(citySupervisor, c.id))).code).toBe("NOT_FOUND");
    expect((await refusal(recordSpotItem(citySupervisor, { itemId: item.id, rev: 0, result: "PASS" }))).code).toBe("NOT_FOUND");
    expect((await refusal(closeSpotCheck(citySupervisor, { id: c.id, rev: 0, summary: "越权关闭测试" }))).code).toBe("NOT_FOUND");
    expect((await listSpotChecks(citySupervisor, spotCheckFilter.parse({ number: c.number }))).rows).toHaveLength(0);
    // but its own city is fine
    const own = await createSpotCheck(citySupervisor, { kind: "LICENCE", deptIds: [w.otherIssuing.id], perDept: 2 });
    expect((await listSpotChecks(citySupervisor, spotCheckFilter.parse({ number: own.number }))).rows).toHaveLength(1);
    // an issuer operator holds no supervision permission at all
    for (const p of [
      createSpotCheck(w.issuer, { kind: "LICENCE", deptIds: [w.issuing.id], perDept: 2 }),
      recordSpotItem(w.issuer, { itemId: item.id, rev: 0, result: "PASS" }),
      closeSpotCheck(w.issuer, { id: c.id, rev: 0, summary: "越权关闭测试" }),
      getSpotCheck(w.issuer, c.id),
      listSpotChecks(w.issuer, spotCheckFilter.parse({})),
    ])
      expect((await refusal(p)).code).toBe("FORBIDDEN");
    expect(await db().spotCheckItem.findUniqueOrThrow({ where: { id: item.id } })).toMatchObject({ rev: 0, result: null });
  }, 60_000);
});
