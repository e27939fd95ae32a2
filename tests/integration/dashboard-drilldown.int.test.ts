// Where the dashboard's figures lead (V-01): every card's number equals the total of the filtered
// list behind it — late issuances per synchronisation mode and origin on the licence list, the
// data-quality findings and the other quality kinds on /supervision/quality, the seal figures on
// the seal list, seal-use requests and approvals on the request list — and a city supervisor is
// refused departments outside the city.
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import type { Actor } from "@/lib/auth/session";
import { refreshDashboard } from "@/lib/supervision/dashboard/refresh";
import { dashboardQuery, periodDates, type DashboardQuery } from "@/lib/supervision/dashboard/schema";
import { dashboardScope, licenceFigures, qualityFigures, sealFigures, sealUseFigures } from "@/lib/supervision/dashboard/figures";
import { qualityCounts, qualityQuery, qualityRows, qualityScope } from "@/lib/supervision/quality";
import { licenceFilter } from "@/lib/licenses/list-schema";
import { listLicences } from "@/lib/licenses/queries";
import { listSeals, sealFilter } from "@/lib/seals/queries";
import { listRequests } from "@/lib/seal-use/queries";
import { requestFilter } from "@/lib/seal-use/schema";
import { createDepartment, uniqueSuffix } from "@/tests/helpers/factory";
import { createReleasedType, insertLicence, insertSeal, makeActor } from "@/tests/helpers/catalog";
import { issue, issueBackdated, makeLicenceWorld, type LicenceWorld } from "@/tests/helpers/licences";
import { approveAll, makeSealUseWorld, newRequest, type World as SealUseWorld } from "@/tests/helpers/seal-use";

const DAY = 86_400_000;

/** Fixture: the licence was synchronised after its due time (the guard trigger freezes timing). */
async function makeLate(id: string) {
  await db().$transaction(async (tx) => {
    await tx.$executeRaw`SET LOCAL session_replication_role = replica`;
    await tx.$executeRaw`UPDATE "Licence" SET "syncDueAt" = "syncedAt" - interval '1 hour' WHERE id = ${id}::uuid`;
  });
}
async function makeBulk(id: string) {
  await db().$transaction(async (tx) => {
    await tx.$executeRaw`SET LOCAL session_replication_role = replica`;
    await tx.$executeRaw`UPDATE "Licence" SET "origin" = 'BULK', "syncMode" = 'BULK' WHERE id = ${id}::uuid`;
  });
}

async function refusal(p: Promise<unknown>): Promise<AppError> {
  const e = await p.then(
    () => null,
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(AppError);
  return e as AppError;
}

let w: LicenceWorld;
let q: DashboardQuery;
let dates: { from: string; to: string };
let expiredNumber: string;
let city: Awaited<ReturnType<typeof createDepartment>>;
let county: Awaited<ReturnType<typeof createDepartment>>;
let citySupervisor: Actor;
let noListTypeId: string;

beforeAll(async () => {
  w = await makeLicenceWorld();
  // the issuing department: 2 online (1 late), 2 offline (1 late), 1 converted in bulk (late)
  const on1 = await issue(w, { syncMode: "ONLINE" });
  const on2 = await issue(w, { syncMode: "ONLINE" });
  const off1 = await issue(w, { syncMode: "OFFLINE" });
  await issue(w, { syncMode: "OFFLINE" });
  const bulk = await issue(w, { syncMode: "ONLINE" });
  await makeLate(on1.id);
  await makeLate(off1.id);
  await makeBulk(bulk.id);
  await makeLate(bulk.id);
  const row = await db().licence.findUniqueOrThrow({ where: { id: on2.id }, select: { typeId: true, typeVersionId: true } });
  // another city's department: 1 online, late
  const other = await insertLicence(row.typeId, row.typeVersionId, w.otherIssuing.id);
  await makeLate(other.id);
  // an expired licence still marked valid (EXPIRED_VALID)
  const expired = await issueBackdated(w, "2019-01-01");
  expiredNumber = (await db().licence.findUniqueOrThrow({ where: { id: expired.id } })).licenceNumber;
  // a released type without any issuance list (NO_LIST)
  noListTypeId = (await createReleasedType({ province: w.province, issuing: w.issuing, otherIssuing: w.otherIssuing, reviewer: w.reviewer, reviewer2: w.reviewer2, admin: w.admin, otherAdmin: w.otherAdmin })).id;

  // a city with a county issuing department and its own supervisor (SUBTREE)
  city = await createDepartment({ parent: w.province, level: "CITY", area: "510700", parts: { isManagement: true }, name: `绵阳市测试监管局-${uniqueSuffix()}` });
  county = await createDepartment({ parent: city, level: "COUNTY", area: "510703", parts: { isIssuing: true }, name: `涪城区测试审批局-${uniqueSuffix()}` });
  citySupervisor = await makeActor(city, [{ role: "SUPERVISOR", scope: "SUBTREE" }], "市级监督员");
  const countyLate = await insertLicence(row.typeId, row.typeVersionId, county.id);
  await makeLate(countyLate.id);
  await insertLicence(row.typeId, row.typeVersionId, county.id);

  await refreshDashboard({ wait: true });
  q = dashboardQuery({ region: w.province.id });
  dates = periodDates(q);
}, 240_000);

const listTotal = async (actor: Actor, params: Record<string, string>) => (await listLicences(actor, licenceFilter.parse({ pageSize: "100", ...params }))).total;

describe("licence figures lead to the licence list (V-01, L-05)", () => {
  it("V-01: the late count of each synchronisation mode equals the licence list with late=1&sync=&dept=", async () => {
    const s = await dashboardScope(w.supervisor, w.province.id);
    const f = await licenceFigures(s, q);
    const period = { issuedFrom: dates.from, issuedTo: dates.to, dept: w.province.id };
    const late = Object.fromEntries(f.sync.map((m) => [m.mode, m.total - m.onTime]));
    // online: 1 + the other city's 1 + the county's 1; offline: 1; bulk: 1
    expect(late).toEqual({ ONLINE: 3, OFFLINE: 1, BULK: 1 });
    for (const m of f.sync) {
      expect(await listTotal(w.supervisor, { ...period, sync: m.mode, late: "1" })).toBe(m.total - m.onTime);
      expect(await listTotal(w.supervisor, { ...period, sync: m.mode })).toBe(m.total);
    }
    expect(await listTotal(w.supervisor, { ...period, late: "1" })).toBe(f.issued + f.aggregated - f.onTime);
  });

  it("V-01: issued and aggregated equal the list with origin=ISSUED and origin=BULK; per department too", async () => {
    const s = await dashboardScope(w.supervisor, w.province.id);
    const f = await licenceFigures(s, q);
    const period = { issuedFrom: dates.from, issuedTo: dates.to };
    expect(f.aggregated).toBe(1);
    expect(await listTotal(w.supervisor, { ...period, dept: w.province.id, origin: "BULK" })).toBe(f.aggregated);
    expect(await listTotal(w.supervisor, { ...period, dept: w.province.id, origin: "ISSUED" })).toBe(f.issued);
    const mine = f.byDept.find((d) => d.deptId === w.issuing.id)!;
    // 5 issued here today plus the backdated (expired) one
    expect(mine).toMatchObject({ issued: 5, aggregated: 1, onTime: 3 });
    expect(await listTotal(w.supervisor, { ...period, dept: w.issuing.id, late: "1" })).toBe(mine.issued + mine.aggregated - mine.onTime);
    // the ordered-index plan (a count limit below the matches) gives the same rows
    const few = await listLicences(w.supervisor, licenceFilter.parse({ ...period, dept: w.issuing.id, late: "1", pageSize: "10" }), { countLimit: 1 });
    expect(few.totalCapped).toBe(true);
    expect(few.rows).toHaveLength(3);
  });

  it("V-01: a bad filter value is dropped, not an error page", () => {
    const f = licenceFilter.parse({ sync: "SOMETIMES", late: "yes", origin: "X" });
    expect([f.sync, f.late, f.origin]).toEqual([undefined, undefined, undefined]);
  });
});

describe("data-quality figures lead to /supervision/quality (V-01)", () => {
  it("V-01: each kind's count on the card equals the rows of its tab", async () => {
    const s = await qualityScope(w.supervisor, { region: w.province.id });
    const card = await qualityFigures(s);
    const counts = await qualityCounts(s);
    expect(counts.EXPIRED_VALID).toBe(card.findings.EXPIRED_VALID);
    expect(counts.EXPIRED_VALID).toBe(1);
    for (const kind of ["FACE_INVALID", "EXPIRED_VALID", "DUPLICATE_LIVE", "NO_LIST", "STALE_LIST", "UNAPPROVED_SIGNATURE"] as const) {
      const r = await qualityRows(s, qualityQuery.parse({ kind, pageSize: "100" }));
      expect(r.data.total, kind).toBe(counts[kind]);
      expect(r.data.rows.length, kind).toBe(counts[kind]);
    }
    const expired = await qualityRows(s, qualityQuery.parse({ kind: "EXPIRED_VALID" }));
    expect(expired.data.rows[0]).toMatchObject({ licenceNumber: expiredNumber, deptName: w.issuing.name, statusLabel: "有效" });
    expect((expired.data.rows[0] as { holderCodeMasked: string }).holderCodeMasked).toMatch(/\*/);
    const noList = await qualityRows(s, qualityQuery.parse({ kind: "NO_LIST", pageSize: "100" }));
    expect(noList.data.rows.map((r) => (r as { id: string }).id)).toContain(noListTypeId);
    expect(noList.data.total).toBe(card.typesWithoutList.length);
    expect(counts.UNAPPROVED_SIGNATURE).toBe(0);
  });

  it("V-01: the department filter narrows to its subtree; the other city's department has no findings", async () => {
    const s = await qualityScope(w.supervisor, { region: w.province.id, dept: w.otherIssuing.id });
    expect(s.ids).toEqual([w.otherIssuing.id]);
    expect((await qualityCounts(s)).EXPIRED_VALID).toBe(0);
    const mine = await qualityScope(w.supervisor, { region: w.province.id, dept: w.issuing.id });
    expect((await qualityRows(mine, qualityQuery.parse({ kind: "EXPIRED_VALID" }))).data.total).toBe(1);
  });

  it("V-01: a city supervisor is refused departments and regions outside the city, on every list", async () => {
    expect((await refusal(qualityScope(citySupervisor, { dept: w.issuing.id }))).code).toBe("NOT_FOUND");
    expect((await refusal(qualityScope(citySupervisor, { region: w.province.id }))).code).toBe("NOT_FOUND");
    expect((await refusal(listLicences(citySupervisor, licenceFilter.parse({ dept: w.issuing.id, late: "1" })))).code).toBe("NOT_FOUND");
    // within the city: the county's late licence, and nothing of the province's findings
    const s = await qualityScope(citySupervisor, { dept: county.id });
    expect(s.ids).toEqual([county.id]);
    expect((await qualityCounts(s)).EXPIRED_VALID).toBe(0);
    const f = await licenceFigures(await dashboardScope(citySupervisor), q);
    const online = f.sync.find((m) => m.mode === "ONLINE")!;
    expect(online.total - online.onTime).toBe(1);
    expect(await listTotal(citySupervisor, { issuedFrom: dates.from, issuedTo: dates.to, sync: "ONLINE", late: "1" })).toBe(1);
    expect(await listTotal(citySupervisor, { issuedFrom: dates.from, issuedTo: dates.to, dept: county.id, sync: "ONLINE", late: "1" })).toBe(1);
  });
});

describe("seal figures lead to the seal list (V-01, S-05 … S-07)", () => {
  let sealQ: DashboardQuery;
  beforeAll(async () => {
    const now = Date.now();
    const applicant = w.issuer.userId;
    // w.sealId: active, valid for 2 years. One expiring in 10 days, one past its end (still ACTIVE),
    // one produced and not filed past its 24 hours, one cancelled today, one cancelled long ago.
    const expiring = await insertSeal(w.issuing.id, applicant);
    await db().seal.update({ where: { id: expiring.id }, data: { validEnd: new Date(now + 10 * DAY), filedAt: new Date(now - 30 * DAY) } });
    const ended = await insertSeal(w.issuing.id, applicant);
    await db().seal.update({ where: { id: ended.id }, data: { validEnd: new Date(now - DAY), filedAt: new Date(now - 700 * DAY) } });
    const unfiled = await insertSeal(w.otherIssuing.id, applicant);
    await db().seal.update({ where: { id: unfiled.id }, data: { status: "PRODUCED", fileDueAt: new Date(now - 3600_000), validEnd: new Date(now + 700 * DAY) } });
    const cancelled = await insertSeal(w.issuing.id, applicant, "CANCELLED");
    await db().seal.update({ where: { id: cancelled.id }, data: { cancelledAt: new Date(now - 60_000) } });
    const old = await insertSeal(w.issuing.id, applicant, "CANCELLED");
    await db().seal.update({ where: { id: old.id }, data: { cancelledAt: new Date(now - 800 * DAY) } });
    sealQ = dashboardQuery({ region: w.province.id });
  });

  const sealTotal = async (params: Record<string, string>) => (await listSeals(w.supervisor, sealFilter.parse({ pageSize: "100", dept: w.province.id, ...params }))).total;

  it("V-01: active, expiring within 30 days, filing overdue and cancelled in the period equal the seal list's filters", async () => {
    const s = await dashboardScope(w.supervisor, w.province.id);
    const f = await sealFigures(s, sealQ);
    expect(f).toEqual({ active: 2, expiring30: 1, filingOverdue: 1, cancelled: 1 });
    expect(await sealTotal({ status: "ACTIVE", valid: "1" })).toBe(f.active);
    expect(await sealTotal({ expiring: "30" })).toBe(f.expiring30);
    expect(await sealTotal({ filing: "overdue" })).toBe(f.filingOverdue);
    const p = periodDates(sealQ);
    expect(await sealTotal({ cancelledFrom: p.from, cancelledTo: p.to })).toBe(f.cancelled);
    // per department
    const own = await sealFigures(await dashboardScope(w.supervisor, w.issuing.id), sealQ);
    expect(await listSeals(w.supervisor, sealFilter.parse({ dept: w.issuing.id, expiring: "30" })).then((r) => r.total)).toBe(own.expiring30);
    expect(await listSeals(w.supervisor, sealFilter.parse({ dept: w.otherIssuing.id, filing: "overdue" })).then((r) => r.rows.map((x) => x.filingOverdue))).toEqual([true]);
  });

  it("V-01: the list's rows carry the flags the card counts", async () => {
    const r = await listSeals(w.supervisor, sealFilter.parse({ dept: w.province.id, expiring: "30" }));
    expect(r.rows.every((x) => x.expiringSoon && x.status === "ACTIVE")).toBe(true);
    expect(sealFilter.parse({ cancelledFrom: "2026-02-30", filing: "late" })).toMatchObject({ cancelledFrom: undefined, filing: undefined });
  });
});

describe("seal-use figures lead to the request list (V-01, S-10)", () => {
  let sw: SealUseWorld;
  let supervisor: Actor;
  beforeAll(async () => {
    sw = await makeSealUseWorld();
    supervisor = await makeActor(sw.province, [{ role: "SUPERVISOR", scope: "PROVINCE" }], "监督员");
    const a = await newRequest(sw);
    await approveAll(sw, a);
    await newRequest(sw);
    await newRequest(sw, { submit: false });
  }, 240_000);

  it("V-01: requests and approvals in the period equal the request list with submitted/approved dates", async () => {
    const sq = dashboardQuery({ region: sw.province.id });
    const p = periodDates(sq);
    const s = await dashboardScope(supervisor, sw.province.id);
    const f = await sealUseFigures(s, sq);
    expect([f.requests, f.approvals, f.unapprovedSignatures]).toEqual([2, 1, 0]);
    const total = async (params: Record<string, string>) => (await listRequests(supervisor, requestFilter.parse({ pageSize: "100", dept: sw.province.id, ...params }))).total;
    expect(await total({ submittedFrom: p.from, submittedTo: p.to })).toBe(f.requests);
    expect(await total({ approvedFrom: p.from, approvedTo: p.to })).toBe(f.approvals);
    expect(await total({})).toBe(3);
    // another department's subtree: none of these
    expect(await total({ dept: sw.otherDept.id })).toBe(0);
    const quality = await qualityRows(await qualityScope(supervisor, { region: sw.province.id }), qualityQuery.parse({ kind: "UNAPPROVED_SIGNATURE" }));
    expect(quality.data.total).toBe(0);
  });
});
