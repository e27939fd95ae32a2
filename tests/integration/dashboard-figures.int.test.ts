// V-01: every dashboard figure against data built for it — licences issued and aggregated per
// department and month with their timeliness, the data-quality findings (a face failing the
// type's current version, expired but still valid, duplicate live licences against a version that
// now allows one per holder, types without an issuance list, lists not updated), objections,
// seals, seal use with the "signatures without a fully approved request" invariant, use and
// verification volumes from the access log, and the department ranking. The figures read the
// summaries the dashboard job rebuilds (`refreshDashboard`); the region is the world's own
// province department, so other test files' rows never enter the counts.
import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { batch, saveDraft } from "@/lib/catalog/service";
import { saveIssuanceEntry, setEntryStatus } from "@/lib/catalog/lists";
import { markObjection, resolveObjection, withdrawByDept } from "@/lib/objections/service";
import { logAccess } from "@/lib/supervision/access-log";
import { listObjections } from "@/lib/objections/queries";
import { objectionFilter } from "@/lib/objections/schema";
import { refreshDashboard } from "@/lib/supervision/dashboard/refresh";
import { accessFigures, dashboard, dashboardScope, licenceFigures, objectionSummary, qualityFigures, ranking, sealFigures, sealUseFigures, type Scope } from "@/lib/supervision/dashboard/figures";
import { compositeScore, dashboardQuery, shanghaiMonth, supervisionSettingInput, type DashboardQuery } from "@/lib/supervision/dashboard/schema";
import { shanghaiDate } from "@/lib/calendar/working-days";
import { createReleasedType, insertSeal, makeActor, typeRow, versionOf } from "@/tests/helpers/catalog";
import { faceFor, holderUscc, issue, issueBackdated } from "@/tests/helpers/licences";
import { makeObjectionWorld, raiseByDept, shanghai, type ObjectionWorld } from "@/tests/helpers/objections";
import { uniqueSuffix } from "@/tests/helpers/factory";
import type { IssueFormInput } from "@/lib/licenses/schema";
import type { TypeContent } from "@/lib/catalog/schema";

let w: ObjectionWorld;
let scope: Scope;
const THIS_MONTH = shanghaiMonth(new Date());
const NOW_Q: DashboardQuery = { from: THIS_MONTH, to: THIS_MONTH, region: undefined };
const JUNE_Q: DashboardQuery = { from: "2026-06", to: "2026-06", region: undefined };
const ids: Record<string, string> = {};

/** A licence of the world's main type whose face says 经营业态 `format`. */
async function issueAs(format: string, over: Partial<IssueFormInput> = {}) {
  const code = over.holder?.code ?? holderUscc();
  const name = over.holder?.name ?? `成都看板测试商贸有限公司${uniqueSuffix()}`;
  return issue(w, { holder: { category: "LEGAL_PERSON", codeType: "001", code, name, contact: "13812345678" }, face: { ...faceFor(name, code), format }, ...over });
}

/** Releases the next version of a type with `change` applied to its content. */
async function releaseNext(typeId: string, content: TypeContent, change: Partial<TypeContent>) {
  const t = await typeRow(typeId);
  const cur = await versionOf(typeId, t.releasedVersion!);
  await saveDraft(w.admin, { typeId, rev: cur.rev, content: { ...content, ...change } });
  expect(await batch(w.admin, [typeId], "submit")).toEqual({ done: [typeId], failed: [] });
  expect(await batch(w.reviewer, [typeId], "release", "同意发布")).toEqual({ done: [typeId], failed: [] });
}

/** Writes under session_replication_role = replica (fixtures the services would refuse). */
async function asReplica(fn: (tx: Parameters<Parameters<ReturnType<typeof db>["$transaction"]>[0]>[0]) => Promise<unknown>) {
  await db().$transaction(async (tx) => {
    await tx.$executeRaw`SET LOCAL session_replication_role = replica`;
    await fn(tx);
  });
}

beforeAll(async () => {
  w = await makeObjectionWorld();
  const cw = { province: w.province, issuing: w.issuing, otherIssuing: w.otherIssuing, reviewer: w.reviewer, reviewer2: w.reviewer2, admin: w.admin, otherAdmin: w.otherAdmin };

  // --- licences of this month in the issuing department (the other issuing department has none)
  const l1 = await issueAs("零售"); // online, on time; its face fails v2 (零售 dropped)
  const past = new Date(Date.now() - 10 * 86_400_000 + 8 * 3600_000).toISOString().slice(0, 16);
  const l2 = await issueAs("批发", { syncMode: "OFFLINE", businessCompletedAt: past }); // offline, 10 days late
  const code3 = holderUscc();
  const name3 = `成都看板过期测试有限公司${uniqueSuffix()}`;
  const l3 = await issueBackdated(w, "2019-01-01", { holder: { category: "LEGAL_PERSON", codeType: "001", code: code3, name: name3, contact: "13812345678" }, face: { ...faceFor(name3, code3), format: "批发" } });
  // l3 came in by bulk conversion (存量归集): expired 2023-12-31, still VALID
  await asReplica((tx) => tx.$executeRaw`UPDATE "Licence" SET "origin" = 'BULK', "syncMode" = 'BULK' WHERE "id" = ${l3.id}::uuid`);
  const l6 = await issueAs("批发");
  const l7 = await issueAs("餐饮");
  Object.assign(ids, { l1: l1.id, l2: l2.id, l3: l3.id, l6: l6.id, l7: l7.id });

  // --- a second type that allowed several per holder: two live licences of one holder, then v2 allows one
  const multi = await createReleasedType(cw, { sealIds: [w.sealId], issuingDeptIds: [w.issuing.id], allowMultiple: true });
  await saveIssuanceEntry(w.reviewer, {
    id: null, rev: 0, deptId: w.issuing.id, typeId: multi.id, legalBasis: "《测试条例》第十三条", matters: [{ name: "测试经营许可核发", code: "SC-CS-0001" }],
    holderCategory: "LEGAL_PERSON", aggregation: "ONLINE", publicity: false, validFrom: shanghaiDate(new Date(Date.now() - 86_400_000)), validTo: "",
  });
  const dupCode = holderUscc();
  const dupName = `成都看板重复测试有限公司${uniqueSuffix()}`;
  const holder = { category: "LEGAL_PERSON" as const, codeType: "001", code: dupCode, name: dupName, contact: "13812345678" };
  const l4 = await issue(w, { typeId: multi.id, holder, face: faceFor(dupName, dupCode) });
  const l5 = await issue(w, { typeId: multi.id, holder, face: faceFor(dupName, dupCode) });
  Object.assign(ids, { l4: l4.id, l5: l5.id });
  await releaseNext(multi.id, multi.content, { allowMultiple: false });
  // the main type's v2 drops 零售 from 经营业态: l1 (v1, 零售) no longer fits the current catalog
  const main = w.type as unknown as { id: string; content: TypeContent };
  await releaseNext(main.id, main.content, {
    faceFields: main.content.faceFields.map((f) => (f.key === "format" ? { ...f, options: ["批发", "餐饮"] } : f)),
  });
  // a released type of the department on nobody's issuance list
  const orphan = await createReleasedType(cw, { sealIds: [w.sealId], issuingDeptIds: [w.issuing.id] });
  ids.orphan = orphan.id;

  // --- objections received in June 2026 (as in objection-figures.int.test.ts)
  const raise = (local: string, actor = w.user) => raiseByDept(actor, l1.id, { now: shanghai(local) });
  const mark = (id: string, local: string) => markObjection(w.issuer, { id, rev: 0, note: "" }, shanghai(local));
  const resolve = (id: string, local: string) => resolveObjection(w.issuer, { id, rev: 1, outcome: "UPHELD", reason: "经核实证照信息无误" }, shanghai(local));
  const a = await raise("2026-06-01T10:00");
  await mark(a.id, "2026-06-02T10:00");
  await resolve(a.id, "2026-06-05T15:00");
  const b = await raise("2026-06-01T10:00", w.user2);
  await mark(b.id, "2026-06-03T09:00");
  await resolve(b.id, "2026-06-10T09:00");
  const c = await raise("2026-06-15T10:00");
  await mark(c.id, "2026-06-15T16:00");
  const d = await raise("2026-06-15T10:00", w.user2);
  await withdrawByDept(w.user2, { id: d.id, rev: 0 }, shanghai("2026-06-15T12:00"));

  // --- seals of the issuing department: the world's seal (active, filed, 2 years), one expiring in
  // 10 days and never filed though due, one cancelled in June
  const now = Date.now();
  const expiring = await insertSeal(w.issuing.id, w.issuer.userId, "ACTIVE");
  await db().seal.update({ where: { id: expiring.id }, data: { validStart: new Date(now - 300 * 86_400_000), validEnd: new Date(now + 10 * 86_400_000), fileDueAt: new Date(now - 3 * 86_400_000), producedAt: new Date(now - 4 * 86_400_000) } });
  const cancelled = await insertSeal(w.issuing.id, w.issuer.userId, "CANCELLED");
  await db().seal.update({ where: { id: cancelled.id }, data: { cancelledAt: shanghai("2026-06-20T10:00"), validEnd: new Date(now + 100 * 86_400_000) } });
  ids.sealExpiring = expiring.id;

  // --- seal use in June: two requests (one approved, signed after approval; one never approved but
  // a signature exists — what the invariant must catch)
  const request = async (approvedAt: Date | null, signedAt: Date) => {
    const r = await db().sealUseRequest.create({
      data: { sealId: w.sealId, holderDeptId: w.issuing.id, applicantId: w.issuer.userId, applicantName: "用印人", reason: "看板测试用印", count: 1, validUntil: new Date(now + 86_400_000), status: approvedAt ? "USED" : "PENDING", submittedAt: shanghai("2026-06-03T09:00"), approvedAt },
    });
    const doc = await db().sealUseDocument.create({ data: { requestId: r.id, filename: "测试.pdf", size: 10, sm3: "0".repeat(64), pages: 1, data: new Uint8Array(10), uploadedById: w.issuer.userId } });
    const sigId = randomUUID();
    await asReplica(async (tx) => {
      await tx.$executeRaw`
        INSERT INTO "SealUseSignature" ("id", "requestId", "documentId", "sealId", "signerId", "signerName", "status", "position", "createdAt", "completedAt")
        VALUES (${sigId}::uuid, ${r.id}::uuid, ${doc.id}::uuid, ${w.sealId}::uuid, ${w.issuer.userId}::uuid, '盖章人', 'DONE', '{}'::jsonb, ${signedAt}, ${signedAt})`;
      // the permanent use record (用印登记) comes with a signature of an approved request only
      if (approvedAt)
        await tx.$executeRaw`
          INSERT INTO "SealUseRecord" ("at", "sealId", "sealName", "esId", "holderDeptId", "requestId", "requestNumber", "reason", "approvals", "countUsed", "usedTotal", "remaining",
                                       "documentName", "documentSm3", "signedSm3", "sealedSm3", "operatorId", "operatorName", "signatureId")
          VALUES (${signedAt}, ${w.sealId}::uuid, '测试印章', '51010000000001', ${w.issuing.id}::uuid, ${r.id}::uuid, 'YY2026000001', '看板测试用印', '[]'::jsonb, 1, 1, 0,
                  '测试.pdf', ${"0".repeat(64)}, ${"0".repeat(64)}, ${"0".repeat(64)}, ${w.issuer.userId}::uuid, '盖章人', ${sigId}::uuid)`;
    });
    return r;
  };
  await request(shanghai("2026-06-04T09:00"), shanghai("2026-06-05T09:00"));
  ids.unapproved = (await request(null, shanghai("2026-06-05T10:00"))).id;

  // --- the access log in June: two QR verifications of l1, one failed code lookup of nobody's
  // licence (no department: outside any region), a use by the using department and a refused download
  const at = shanghai("2026-06-10T10:00");
  await logAccess({ kind: "VERIFY", channel: "QR", licenceId: l1.id, issuerDeptId: w.issuing.id, ok: true, at });
  await logAccess({ kind: "VERIFY", channel: "QR", licenceId: l1.id, issuerDeptId: w.issuing.id, ok: true, at });
  await logAccess({ kind: "VERIFY", channel: "CODE", ok: false, failure: "NOT_FOUND", at });
  await logAccess({ kind: "USE", channel: "PORTAL", scenario: "VIEW", licenceId: l1.id, issuerDeptId: w.issuing.id, userDeptId: w.using.id, userId: w.user.userId, ok: true, at });
  await logAccess({ kind: "USE", channel: "FILE", scenario: "DATA", licenceId: l1.id, issuerDeptId: w.issuing.id, userDeptId: w.using.id, userId: w.user.userId, ok: false, failure: "FORBIDDEN", at });

  await refreshDashboard({ wait: true });
  scope = await dashboardScope(w.supervisor, w.province.id);
}, 600_000);

describe("dashboard figures (V-01)", () => {
  it("licences issued and aggregated, per department and month, with timeliness per sync mode; a department with no licences is absent", async () => {
    const f = await licenceFigures(scope, NOW_Q);
    // issued: l1 l2 l4 l5 l6 l7; aggregated: l3 (bulk); late: l2 (offline, 10 days after completion)
    expect(f).toMatchObject({ issued: 6, aggregated: 1, onTime: 6, onTimePct: 85.7 });
    expect(f.sync).toEqual([
      { mode: "ONLINE", total: 5, onTime: 5, pct: 100 },
      { mode: "OFFLINE", total: 1, onTime: 0, pct: 0 },
      { mode: "BULK", total: 1, onTime: 1, pct: 100 },
    ]);
    expect(f.byMonth).toEqual([{ month: THIS_MONTH, issued: 6, aggregated: 1, onTimePct: 85.7 }]);
    expect(f.byDept).toEqual([{ deptId: w.issuing.id, deptName: w.issuing.name, issued: 6, aggregated: 1, onTime: 6, onTimePct: 85.7 }]);
    // an empty period
    const empty = await licenceFigures(scope, { from: "2025-01", to: "2025-02", region: undefined });
    expect(empty).toMatchObject({ issued: 0, aggregated: 0, onTimePct: null, byDept: [] });
    expect(empty.byMonth).toEqual([
      { month: "2025-01", issued: 0, aggregated: 0, onTimePct: null },
      { month: "2025-02", issued: 0, aggregated: 0, onTimePct: null },
    ]);
  });

  it("data quality: a face failing the current version, expired but valid, duplicate live licences, a type on no issuance list, lists not updated", async () => {
    const q = await qualityFigures(scope);
    expect(q.findings).toEqual({ FACE_INVALID: 1, EXPIRED_VALID: 1, DUPLICATE_LIVE: 2 });
    expect(q.byDept).toEqual([{ deptId: w.issuing.id, deptName: w.issuing.name, counts: { FACE_INVALID: 1, EXPIRED_VALID: 1, DUPLICATE_LIVE: 2 } }]);
    const rows = await db().licenceFinding.findMany({ where: { deptId: w.issuing.id }, orderBy: [{ kind: "asc" }] });
    expect(rows.map((r) => [r.kind, r.licenceId]).sort()).toEqual(
      [["DUPLICATE_LIVE", ids.l4], ["DUPLICATE_LIVE", ids.l5], ["EXPIRED_VALID", ids.l3], ["FACE_INVALID", ids.l1]].sort(),
    );
    expect(rows.find((r) => r.kind === "FACE_INVALID")!.detail).toMatch(/经营业态/);
    expect(rows.find((r) => r.kind === "EXPIRED_VALID")!.detail).toBe("有效期至 2023-12-31，仍为有效状态");
    expect(q.typesWithoutList.map((t) => t.id)).toEqual([ids.orphan]);
    // lists changed seconds ago are not stale; eleven years on (beyond any allowed setting) all are
    expect(q.staleLists).toEqual([]);
    const later = await qualityFigures(scope, new Date(Date.now() + 11 * 366 * 86_400_000));
    expect(later.staleLists.map((l) => `${l.deptName}/${l.list}/${l.entries}`).sort()).toEqual(
      [`${w.issuing.name}/ISSUANCE/2`, `${w.issuing.name}/USE/1`, `${w.using.name}/USE/1`, `${w.farUsing.name}/USE/1`].sort(),
    );
    // a list emptied (its only entry disabled) and then left alone is still a list, and goes stale
    const only = await db().useListEntry.findFirstOrThrow({ where: { deptId: w.farUsing.id, status: "ACTIVE" }, select: { id: true } });
    await setEntryStatus(w.reviewer, { list: "USE", ids: [only.id], status: "DISABLED" });
    try {
      expect((await qualityFigures(scope)).staleLists).toEqual([]);
      const emptied = (await qualityFigures(scope, new Date(Date.now() + 11 * 366 * 86_400_000))).staleLists.find((l) => l.deptId === w.farUsing.id);
      expect(emptied).toMatchObject({ list: "USE", entries: 0 });
    } finally {
      await setEntryStatus(w.reviewer, { list: "USE", ids: [only.id], status: "ACTIVE" });
    }
  });

  it("objections received in the period: on-time marking and resolution, average working days; overdue now whenever received; an empty period", async () => {
    const o = await objectionSummary(scope, JUNE_Q);
    expect(o).toMatchObject({ received: 4, markedOnTimePct: 66.7, resolvedOnTimePct: 33.3, overdueNow: 1, avgWorkingDaysToResolve: 5.5 });
    expect(o.byMonth).toEqual([{ month: "2026-06", received: 4, resolved: 2, overdueNow: 1 }]);
    expect(o.byDept).toEqual([
      { deptId: w.issuing.id, deptName: w.issuing.name, received: 4, markedOnTimePct: 66.7, resolvedOnTimePct: 33.3, overdueNow: 1, avgWorkingDaysToResolve: 5.5, handledOnTimePct: 50 },
    ]);
    // the on-time rates lead to the late ones: the queue filtered by late=mark / late=resolve has
    // exactly the counted-but-not-on-time objections (B marked late; B resolved late, C unresolved past due)
    const june = { from: "2026-06-01", to: "2026-06-30", issuer: w.issuing.id };
    const lateMark = await listObjections(w.supervisor, objectionFilter.parse({ ...june, late: "mark" }));
    const lateResolve = await listObjections(w.supervisor, objectionFilter.parse({ ...june, late: "resolve" }));
    expect(lateMark.total).toBe(1);
    expect(lateResolve.total).toBe(2);
    // the average's card leads to the objections it is taken over: received in June and resolved
    const resolved = await listObjections(w.supervisor, objectionFilter.parse({ ...june, status: "RESOLVED" }));
    expect(resolved.total).toBe(o.byMonth[0].resolved);
    expect(resolved.total).toBe(2);
    // a period with none received: overdue now is not bound to the period (the June one is still overdue,
    // and the queue it links to lists it)
    const none = await objectionSummary(scope, { from: "2026-05", to: "2026-05", region: undefined });
    expect(none).toMatchObject({ received: 0, markedOnTimePct: null, resolvedOnTimePct: null, overdueNow: 1, avgWorkingDaysToResolve: null });
    expect(none.byMonth).toEqual([{ month: "2026-05", received: 0, resolved: 0, overdueNow: 0 }]);
    expect(none.byDept).toEqual([expect.objectContaining({ deptId: w.issuing.id, received: 0, overdueNow: 1, markedOnTimePct: null })]);
  });

  it("seals: active, expiring within 30 days, filing overdue, cancelled in the period", async () => {
    expect(await sealFigures(scope, JUNE_Q)).toEqual({ active: 2, expiring30: 1, filingOverdue: 1, cancelled: 1 });
    expect(await sealFigures(scope, { from: "2026-07", to: "2026-07", region: undefined })).toEqual({ active: 2, expiring30: 1, filingOverdue: 1, cancelled: 0 });
  });

  it("seal use: requests, approvals, signatures (use records), and the signatures without a fully approved request (must be 0; here 1)", async () => {
    const u = await sealUseFigures(scope, JUNE_Q);
    // signatures of the period are the use records (the list the card opens); the unapproved one has none
    expect(u).toMatchObject({ requests: 2, approvals: 1, signatures: 1, unapprovedSignatures: 1 });
    expect(u.byMonth).toEqual([{ month: "2026-06", requests: 2, signatures: 1 }]);
    // the invariant counts every signature ever made in scope, whatever the period
    expect((await sealUseFigures(scope, { from: "2025-01", to: "2025-01", region: undefined })).unapprovedSignatures).toBe(1);
  });

  it("use and verification volumes from the access log: per licence department, using department, scenario and channel, with failure rates", async () => {
    const a = await accessFigures(scope, JUNE_Q);
    expect(a.verify).toEqual({ total: 2, failed: 0, failurePct: 0 });
    expect(a.use).toEqual({ total: 2, failed: 1, failurePct: 50 });
    expect(a.byMonth).toEqual([{ month: "2026-06", verify: 2, use: 2, failed: 1 }]);
    expect(a.byDept).toEqual([{ deptId: w.issuing.id, deptName: w.issuing.name, verify: 2, use: 2, failed: 1, failurePct: 25 }]);
    expect(a.byUserDept).toEqual([{ deptId: w.using.id, deptName: w.using.name, use: 2, failed: 1 }]);
    expect(a.byScenario.sort((x, y) => x.scenario.localeCompare(y.scenario))).toEqual([
      { scenario: "DATA", use: 1, failed: 1 },
      { scenario: "VIEW", use: 1, failed: 0 },
    ]);
    expect(a.byChannel).toEqual([{ channel: "QR", total: 2, failed: 0 }]);
  });

  it("ranks issuing departments by the shown formula; a department with no data is listed unranked", async () => {
    const r = await ranking(scope, { from: "2026-06", to: THIS_MONTH, region: undefined });
    const issuing = r.rows.find((x) => x.deptId === w.issuing.id)!;
    // 6 of 7 on time; 4 of the 7 live licences with a finding; (2 marked + 1 resolved on time) of 6 counted
    expect(issuing).toMatchObject({ rank: 1, licences: 7, timeliness: 85.7, completeness: 42.9, objections: 50 });
    expect(issuing.score).toBe(compositeScore(r.weights, { timeliness: 85.7, completeness: 42.9, objections: 50 }));
    expect(r.rows.find((x) => x.deptId === w.otherIssuing.id)).toMatchObject({ rank: null, licences: 0, timeliness: null, completeness: null, objections: null, score: null });
    expect(r.rows[0].deptId).toBe(w.issuing.id);
    expect(r.formula).toContain(`${r.weights.weightTimeliness}% × 汇聚及时率`);
    // a period with no activity ranks nobody on completeness alone
    const idle = await ranking(scope, { from: "2025-01", to: "2025-06", region: undefined });
    expect(idle.rows.find((x) => x.deptId === w.issuing.id)).toMatchObject({ rank: null, score: null, timeliness: null, objections: null, completeness: 42.9 });
  });

  it("the ranking settings refuse a blank weight next to its field instead of reading it as 0", () => {
    const r = supervisionSettingInput.safeParse({ weightTimeliness: "70", weightCompleteness: "", weightObjections: "30", listStaleDays: "180" });
    expect(r.success).toBe(false);
    expect(r.error!.issues.map((i) => [i.path.join("."), i.message])).toContainEqual(["weightCompleteness", "请填写 0–100 的整数"]);
    expect(supervisionSettingInput.parse({ weightTimeliness: "70", weightCompleteness: "0", weightObjections: "30", listStaleDays: "180" })).toMatchObject({ weightCompleteness: 0 });
  });

  it("rebuilds collapse: clicks waiting for a running rebuild that began after them do not rebuild again", async () => {
    const asked = new Date();
    const [a, b] = await Promise.all([refreshDashboard({ wait: true, freshSince: asked }), refreshDashboard({ wait: true, freshSince: asked })]);
    // at most one of them rebuilt (none, when another test file's rebuild began after `asked`); the
    // other found every summary rebuilt after it asked
    expect([a, b].filter((r) => !r.skipped).length).toBeLessThanOrEqual(1);
    expect([a, b].some((r) => r.skipped)).toBe(true);
    expect((await refreshDashboard({ wait: false, freshSince: new Date(Date.now() + 60_000) })).parts.length).toBe(4);
  });

  it("the composite score re-weights over the rates a department has", () => {
    const wts = { weightTimeliness: 40, weightCompleteness: 30, weightObjections: 30 };
    expect(compositeScore(wts, { timeliness: 100, completeness: 50, objections: 0 })).toBe(55);
    expect(compositeScore(wts, { timeliness: 100, completeness: 50, objections: null })).toBe(78.6);
    expect(compositeScore(wts, { timeliness: null, completeness: null, objections: null })).toBeNull();
  });

  it("scope: a city supervisor sees only its subtree, and another region reads as not found; the whole dashboard answers together", async () => {
    const city = await makeActor(w.otherIssuing, [{ role: "SUPERVISOR", scope: "SUBTREE" }], "绵阳监督员");
    await expect(dashboardScope(city, w.province.id)).rejects.toMatchObject({ code: "NOT_FOUND" });
    const own = await dashboardScope(city);
    expect(own.ids).toEqual([w.otherIssuing.id]);
    expect((await licenceFigures(own, NOW_Q)).issued).toBe(0);
    await expect(dashboardScope(w.user)).rejects.toMatchObject({ code: "FORBIDDEN" });
    const all = await dashboard(w.supervisor, dashboardQuery({ from: "2026-06", to: THIS_MONTH, region: w.province.id }));
    expect(all.region).toEqual({ id: w.province.id, name: w.province.name });
    expect(all.objections.received).toBe(4);
    expect(all.licences.issued).toBe(6);
    expect(all.freshness.every((f) => f.refreshedAt instanceof Date)).toBe(true);
  });
});
