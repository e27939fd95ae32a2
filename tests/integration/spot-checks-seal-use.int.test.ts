// Spot checks of seal uses (V-03, 随机抽查): two holder departments with signed uses made through the
// real approval and signing path; a SEAL_USE sample takes N completed signatures per department by
// the documented SM3(seed ‖ signature id) rule, is reproduced from the stored seed (a use signed
// afterwards changes nothing), records results with pass rates per department, and refuses a
// supervisor whose region does not hold the department. A seal-use request's number is accepted as
// rectification-order evidence for its department only (V-02).
import { beforeAll, describe, expect, it, vi } from "vitest";
import { db } from "@/lib/db";
import { seedHolidays } from "@/lib/calendar/seed";
import { signRequestDocument } from "@/lib/seal-use/signing";
import { requestNumber } from "@/lib/seal-use/labels";
import { closeSpotCheck, createSpotCheck, getSpotCheck, listSpotChecks, recordSpotItem, reproduceSpotCheck } from "@/lib/supervision/spot-checks";
import { sampleIds } from "@/lib/supervision/spot-checks-sample";
import { spotCheckFilter } from "@/lib/supervision/spot-checks-schema";
import { issueOrder } from "@/lib/supervision/rectification";
import type { Actor } from "@/lib/auth/session";
import { AppError } from "@/lib/errors";
import { approveAll, makeActor, makeSealUseWorld, newRequest, signInputFor, type World } from "@/tests/helpers/seal-use";

vi.mock("next/headers", () => ({ headers: () => Promise.resolve(new Headers({ "user-agent": "vitest" })), cookies: () => Promise.resolve({ get: () => undefined }) }));

let a: World;
let b: World;
let supervisor: Actor;
let citySupervisor: Actor;
const uses = new Map<string, string[]>(); // holder department → signature ids
let firstRequestA: string;

/** One approved request of `count` uses, signed `count` times by the custodian; returns the request id. */
async function signedUses(w: World, count: number): Promise<string> {
  const id = await newRequest(w, { count, reason: `抽查测试用印 ${count} 次` });
  await approveAll(w, id);
  const input = await signInputFor(id);
  for (let i = 0; i < count; i++) {
    const out = await signRequestDocument(w.custodian, input);
    uses.set(w.dept.id, [...(uses.get(w.dept.id) ?? []), out.signatureId]);
  }
  return id;
}

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
  await seedHolidays(db());
  a = await makeSealUseWorld();
  b = await makeSealUseWorld();
  firstRequestA = await signedUses(a, 3);
  await signedUses(a, 2);
  await signedUses(b, 3);
  // a provincial supervisor (province-wide) and a city supervisor whose region is A's sibling city only
  supervisor = await makeActor(a.province, [{ role: "SUPERVISOR", scope: "PROVINCE" }], "省级监督员");
  citySupervisor = await makeActor(a.otherDept, [{ role: "SUPERVISOR", scope: "SUBTREE" }], "绵阳监督员");
}, 600_000);

describe("seal-use spot checks (V-03)", () => {
  it("V-03: draws N signed uses per department by SM3(seed ‖ signature id), reproducibly, and closes with pass rates", async () => {
    const A = uses.get(a.dept.id)!;
    const B = uses.get(b.dept.id)!;
    expect(A).toHaveLength(5);
    expect(B).toHaveLength(3);
    expect(await db().sealUseRecord.count({ where: { holderDeptId: a.dept.id } })).toBe(5);

    const seed = "5e".repeat(32);
    const c = await createSpotCheck(supervisor, { kind: "SEAL_USE", deptIds: [a.dept.id, b.dept.id], perDept: 2, seed });
    expect(c.empty).toEqual([]);
    const items = await db().spotCheckItem.findMany({ where: { checkId: c.id }, orderBy: [{ ordinal: "asc" }, { id: "asc" }] });
    const of = (deptId: string) => items.filter((i) => i.deptId === deptId).sort((x, y) => x.ordinal - y.ordinal);
    // N per department, each exactly the documented rule over that department's own signatures
    expect(of(a.dept.id).map((i) => i.targetId)).toEqual(sampleIds(seed, A, 2).map((s) => s.id));
    expect(of(b.dept.id).map((i) => i.targetId)).toEqual(sampleIds(seed, B, 2).map((s) => s.id));
    expect(of(a.dept.id).map((i) => i.ordinal)).toEqual([1, 2]);

    // a use signed after the check is not a candidate of it: reproduction gives the same rows
    await signedUses(a, 1);
    const again = await reproduceSpotCheck(supervisor, c.id);
    expect(again.matches).toBe(true);
    for (const d of again.depts) expect(d).toMatchObject({ same: true, missing: [], extra: [] });
    expect(again.depts.find((d) => d.deptId === a.dept.id)?.recomputed).toEqual(of(a.dept.id).map((i) => i.targetId));
    expect(again.depts.find((d) => d.deptId === b.dept.id)?.recomputed).toEqual(of(b.dept.id).map((i) => i.targetId));

    // the same seed with N above B's count: all of B's uses, N of A's (now 6)
    const wide = await createSpotCheck(supervisor, { kind: "SEAL_USE", deptIds: [a.dept.id, b.dept.id], perDept: 4, seed });
    const wideItems = await db().spotCheckItem.findMany({ where: { checkId: wide.id }, orderBy: { ordinal: "asc" } });
    expect(wideItems.filter((i) => i.deptId === a.dept.id).map((i) => i.targetId)).toEqual(sampleIds(seed, uses.get(a.dept.id)!, 4).map((s) => s.id));
    expect(new Set(wideItems.filter((i) => i.deptId === b.dept.id).map((i) => i.targetId))).toEqual(new Set(B));
    expect((await reproduceSpotCheck(supervisor, wide.id)).matches).toBe(true);

    // the detail shows what to compare with: the seal, the request number, the document, the operator
    const detail = await getSpotCheck(supervisor, c.id);
    expect(detail.kind).toBe("SEAL_USE");
    for (const it of detail.items) {
      expect(it.target.kind).toBe("SEAL_USE");
      if (it.target.kind !== "SEAL_USE") continue;
      const rec = await db().sealUseRecord.findUniqueOrThrow({ where: { signatureId: it.target.id } });
      expect(rec.holderDeptId).toBe(it.deptId);
      expect(it.target).toMatchObject({ href: `/seal-use/${rec.requestId}`, requestNumber: rec.requestNumber, sealName: rec.sealName, documentName: "合同.pdf" });
      expect(it.target.requestNumber).toMatch(/^YY\d{10}$/);
    }

    // results: A one pass one fail, B both pass
    const [a1, a2] = of(a.dept.id);
    const [b1, b2] = of(b.dept.id);
    await recordSpotItem(supervisor, { itemId: a1.id, rev: 0, result: "PASS" });
    await recordSpotItem(supervisor, { itemId: a2.id, rev: 0, result: "FAIL", findings: "用印事由与审批单不一致" });
    await recordSpotItem(supervisor, { itemId: b1.id, rev: 0, result: "PASS" });
    const early = await refusal(closeSpotCheck(supervisor, { id: c.id, rev: 0 }));
    expect(early.fieldErrors?.summary).toMatch(/还有 1 项未记录/);
    await recordSpotItem(supervisor, { itemId: b2.id, rev: 0, result: "PASS" });
    await closeSpotCheck(supervisor, { id: c.id, rev: 0, summary: "抽查用印 4 次，1 次不合格" });
    const done = await getSpotCheck(supervisor, c.id);
    expect(done.status).toBe("DONE");
    expect(done.figures.find((f) => f.deptId === a.dept.id)).toMatchObject({ sampled: 2, checked: 2, passed: 1, failed: 1, passRate: 0.5 });
    expect(done.figures.find((f) => f.deptId === b.dept.id)).toMatchObject({ sampled: 2, checked: 2, passed: 2, failed: 0, passRate: 1 });
    expect(done.items.find((i) => i.id === a2.id)).toMatchObject({ result: "FAIL", findings: "用印事由与审批单不一致" });
    const list = await listSpotChecks(supervisor, spotCheckFilter.parse({ number: c.number }));
    expect(list.rows[0]).toMatchObject({ kind: "SEAL_USE", status: "DONE", items: 4, checked: 4, passed: 3, passRate: 0.75 });
    const changes = (await db().auditEvent.findMany({ where: { targetType: "SpotCheck", targetId: c.id }, orderBy: { seq: "asc" } })).map((x) => (x.detail as { change: string; kind?: string }).change);
    expect(changes).toEqual(["CREATE", "RECORD", "RECORD", "RECORD", "RECORD", "CLOSE"]);
  }, 300_000);

  it("V-03: a supervisor whose region does not hold the department is refused, and sees nothing", async () => {
    const c = await createSpotCheck(supervisor, { kind: "SEAL_USE", deptIds: [a.dept.id], perDept: 1, seed: "77" });
    const item = await db().spotCheckItem.findFirstOrThrow({ where: { checkId: c.id } });
    expect((await refusal(createSpotCheck(citySupervisor, { kind: "SEAL_USE", deptIds: [a.dept.id], perDept: 1 }))).code).toBe("NOT_FOUND");
    expect((await refusal(createSpotCheck(citySupervisor, { kind: "SEAL_USE", deptIds: [a.otherDept.id, b.dept.id], perDept: 1 }))).code).toBe("NOT_FOUND");
    expect((await refusal(getSpotCheck(citySupervisor, c.id))).code).toBe("NOT_FOUND");
    expect((await refusal(reproduceSpotCheck(citySupervisor, c.id))).code).toBe("NOT_FOUND");
    expect((await refusal(recordSpotItem(citySupervisor, { itemId: item.id, rev: 0, result: "PASS" }))).code).toBe("NOT_FOUND");
    expect((await refusal(closeSpotCheck(citySupervisor, { id: c.id, rev: 0, summary: "越权关闭测试" }))).code).toBe("NOT_FOUND");
    expect((await listSpotChecks(citySupervisor, spotCheckFilter.parse({ number: c.number }))).rows).toHaveLength(0);
    // its own city: allowed, and empty (no seal there)
    const own = await createSpotCheck(citySupervisor, { kind: "SEAL_USE", deptIds: [a.otherDept.id], perDept: 1 });
    expect(own.empty).toEqual([a.otherDept.id]);
    // the holder department's custodian holds no supervision permission
    expect((await refusal(createSpotCheck(a.custodian, { kind: "SEAL_USE", deptIds: [a.dept.id], perDept: 1 }))).code).toBe("FORBIDDEN");
    expect(await db().spotCheckItem.findUniqueOrThrow({ where: { id: item.id } })).toMatchObject({ rev: 0, result: null });
  }, 120_000);
});

describe("seal-use evidence on a rectification order (V-02)", () => {
  it("[V-02] a seal-use request's number resolves to the request of the ordered department, and is refused for another", async () => {
    const r = await db().sealUseRequest.findUniqueOrThrow({ where: { id: firstRequestA }, select: { seq: true, createdAt: true } });
    const number = requestNumber(r.seq, r.createdAt);
    const base = { category: "OTHER" as const, title: "用印不规范", description: "抽查发现用印事由与审批单不一致，请限期整改。", dueDays: 5 };
    const o = await issueOrder(supervisor, { ...base, deptId: a.dept.id, evidence: [{ kind: "SEAL_USE", id: number.toLowerCase(), label: "" }] });
    const stored = (await db().rectificationOrder.findUniqueOrThrow({ where: { id: o.id } })).evidence as { kind: string; id: string; label: string }[];
    expect(stored).toEqual([{ kind: "SEAL_USE", id: firstRequestA, label: `用印申请 ${number}：抽查测试用印 3 次` }]);
    const wrong = await refusal(issueOrder(supervisor, { ...base, deptId: b.dept.id, evidence: [{ kind: "SEAL_USE", id: number, label: "" }] }));
    expect(wrong.fieldErrors).toEqual({ "evidence.0.id": "该用印申请不存在或不属于被责令整改的部门" });
  }, 60_000);
});
