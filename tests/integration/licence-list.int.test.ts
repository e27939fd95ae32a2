// The licence table (U-02 internal view, P-02, L-05): every filter returns exactly the rows it
// should (checked against a plain reading of the rows), keyset paging returns every row once in
// each sort, forwards and backwards, through both of the query's plans; issuers see their own
// department, supervisors their region, others nothing; the holder-code search goes through the
// keyed hash and no page payload carries a full code; the XLSX export reads back with masked codes
// and is audited.
import ExcelJS from "exceljs";
import { randomInt } from "node:crypto";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { encode } from "next-auth/jwt";
import { db } from "@/lib/db";
import type { Actor } from "@/lib/auth/session";
import { shanghaiDate } from "@/lib/calendar/working-days";
import { buildIdentifier } from "@/lib/licenses/identifier";
import { maskHolderCode } from "@/lib/licenses/holder-code";
import { holderCodeHash, upsertHolderTx } from "@/lib/licenses/holders";
import { licenceFilter, LICENCE_SORTS, type LicenceFilter } from "@/lib/licenses/list-schema";
import { listLicences, type LicencePage } from "@/lib/licenses/queries";
import { createDepartment, createSession, uniqueSuffix, type TestDept } from "@/tests/helpers/factory";
import { expectAppError, makeActor } from "@/tests/helpers/catalog";
import { holderUscc, issue, makeLicenceWorld, type LicenceWorld } from "@/tests/helpers/licences";
import { holderCodeFilterAction } from "@/app/(portal)/licenses/_list/actions";
import { GET as exportLicences } from "@/app/api/licenses/export/route";

const jar = { cookie: null as string | null };
vi.mock("next/headers", () => ({
  cookies: () => Promise.resolve({ get: (name: string) => (name === "certseal.session" && jar.cookie ? { name, value: jar.cookie } : undefined) }),
  headers: () => Promise.resolve(new Headers({ host: "localhost:3000", "user-agent": "vitest", origin: "http://localhost:3000", "sec-fetch-site": "same-origin" })),
}));
vi.mock("next/cache", () => ({ revalidatePath: () => {}, revalidateTag: () => {} }));

async function signInAs(a: Actor) {
  const s = await createSession(a.userId);
  jar.cookie = await encode({ token: { sid: s.id, sub: a.userId }, secret: process.env.NEXTAUTH_SECRET! });
  await db().rateLimit.deleteMany({ where: { key: `export:${a.userId}` } });
}

type LicenceRowDb = { id: string; issuerDeptId: string; typeId: string; status: string; holderCodeHash: string; holderName: string; issuedAt: Date; validTo: Date | null; restricted: boolean; licenceNumber: string };

let w: LicenceWorld;
let county: TestDept;
let tag: string;
/** every holder code this file used, to prove none reaches a page */
const codes: string[] = [];
let codeX: string;
let typeVersionId: string;
let rows: LicenceRowDb[];
let ids: Record<string, string>;

const at = (local: string) => new Date(`${local}+08:00`);

/** A licence row written directly (statuses and dates the issue service would not give today). */
async function insert(dept: { id: string; uscc: string; areaCode: string; name: string }, o: { name: string; issuedAt: Date; validTo: string | null; status: "VALID" | "SUSPENDED" | "REVOKED" | "CANCELLED" | "ANNULLED" | "EXPIRED"; restricted?: boolean; code?: string }) {
  const code = o.code ?? holderUscc();
  if (!o.code) codes.push(code);
  const h = await upsertHolderTx(db(), { category: "LEGAL_PERSON", codeType: "001", code, name: o.name });
  const serial = String(randomInt(100_000_000_000, 999_999_999_999));
  const issuedDay = shanghaiDate(o.issuedAt);
  const row = await db().licence.create({
    data: {
      identifier: buildIdentifier({ typeCode: w.type.typeCode, issuerCode: dept.uscc, serial, version: 1 }),
      licenceNumber: `${dept.areaCode}${issuedDay.slice(0, 4)}${serial.slice(-6)}`,
      serial,
      typeId: w.type.id,
      typeVersionId,
      typeCode: w.type.typeCode,
      name: "测试经营许可证",
      issuerDeptId: dept.id,
      originalIssuerDeptId: dept.id,
      issuerCode: dept.uscc,
      issuerName: dept.name,
      areaCode: dept.areaCode,
      holderId: h.id,
      holderCodeType: "001",
      holderCodeHash: h.codeHash,
      holderName: o.name,
      face: {},
      status: o.status,
      restricted: o.restricted ?? false,
      issuedAt: o.issuedAt,
      validFrom: new Date(`${issuedDay}T00:00:00Z`),
      validTo: o.validTo ? new Date(`${o.validTo}T00:00:00Z`) : null,
      businessCompletedAt: o.issuedAt,
      syncMode: "ONLINE",
      syncedAt: o.issuedAt,
      syncDueAt: o.issuedAt,
      canonicalSm3: "0".repeat(64),
      verifyCode: "TESTLIST",
    },
  });
  return row.id;
}

/** Every page of a filter, following the `next` cursors; also checks `total` against the rows. */
async function all(actor: Actor, over: Partial<LicenceFilter>, countLimit?: number): Promise<string[]> {
  const f = licenceFilter.parse({ pageSize: 10, ...over });
  const out: string[] = [];
  let page: LicencePage = await listLicences(actor, f, { countLimit });
  for (let guard = 0; guard < 50; guard++) {
    out.push(...page.rows.map((r) => r.id));
    if (!page.next) break;
    page = await listLicences(actor, { ...f, after: page.next }, { countLimit });
  }
  return out;
}

/** What a filter means, read plainly from the rows (Asia/Shanghai calendar days). */
function expected(over: Partial<LicenceFilter>, depts?: string[]): string[] {
  const f = licenceFilter.parse(over);
  const day = (d: Date) => shanghaiDate(d);
  const vt = (r: LicenceRowDb) => (r.validTo ? r.validTo.toISOString().slice(0, 10) : null);
  return rows
    .filter((r) => {
      if (depts && !depts.includes(r.issuerDeptId)) return false;
      if (f.type && r.typeId !== f.type) return false;
      if (f.status && r.status !== f.status) return false;
      if (f.h && r.holderCodeHash !== f.h) return false;
      if (f.name && !r.holderName.startsWith(f.name)) return false;
      if (f.issuedFrom && day(r.issuedAt) < f.issuedFrom) return false;
      if (f.issuedTo && day(r.issuedAt) > f.issuedTo) return false;
      if ((f.expiresFrom || f.expiresTo) && vt(r) === null) return false;
      if (f.expiresFrom && vt(r)! < f.expiresFrom) return false;
      if (f.expiresTo && vt(r)! > f.expiresTo) return false;
      if (f.restricted && r.restricted !== (f.restricted === "yes")) return false;
      return true;
    })
    .map((r) => r.id)
    .sort();
}

/** The rows in a sort order: key, then id; a long-term licence has the latest validity end. */
function ordered(list: string[], sort: LicenceFilter["sort"], dir: "asc" | "desc"): string[] {
  const byId = new Map(rows.map((r) => [r.id, r]));
  const key = (r: LicenceRowDb): string =>
    sort === "issuedAt" ? String(r.issuedAt.getTime()).padStart(15, "0") : sort === "validTo" ? (r.validTo ? r.validTo.toISOString().slice(0, 10) : "9999-99-99") : r.licenceNumber;
  const out = [...list].sort((a, b) => {
    const ra = byId.get(a)!, rb = byId.get(b)!;
    const ka = key(ra), kb = key(rb);
    return ka < kb ? -1 : ka > kb ? 1 : a < b ? -1 : a > b ? 1 : 0;
  });
  return dir === "asc" ? out : out.reverse();
}

beforeAll(async () => {
  w = await makeLicenceWorld();
  tag = `列${uniqueSuffix().slice(0, 4)}`;
  county = await createDepartment({ parent: w.issuing, level: "COUNTY", area: "510104", parts: { isIssuing: true }, name: `锦江区测试审批局-${uniqueSuffix()}` });
  typeVersionId = (await db().licenceTypeVersion.findFirstOrThrow({ where: { typeId: w.type.id, status: "RELEASED" } })).id;
  const other = await db().department.findUniqueOrThrow({ where: { id: w.otherIssuing.id } });
  codeX = holderUscc();
  codes.push(codeX);
  const holder = (name: string, code = holderUscc()) => {
    if (code !== codeX) codes.push(code);
    return { category: "LEGAL_PERSON" as const, codeType: "001", code, name, contact: "" };
  };
  // issued through the service today (signed); then pledged and suspended through direct updates
  const r1 = await issue(w, { holder: holder(`${tag}甲商贸有限公司`, codeX) });
  const r2 = await issue(w, { holder: holder(`${tag}乙餐饮有限公司`) });
  const r3 = await issue(w, { holder: holder(`${tag}丙大药房有限公司`) });
  const r4 = await issue(w, { holder: holder(`${tag}丁超市有限公司`) });
  await db().licence.update({ where: { id: r2.id }, data: { restricted: true } });
  await db().licence.update({ where: { id: r3.id }, data: { status: "SUSPENDED" } });
  ids = { r1: r1.id, r2: r2.id, r3: r3.id, r4: r4.id };
  const issuing = w.issuing;
  ids.d1 = await insert(issuing, { name: `${tag}甲建筑工程有限公司`, issuedAt: at("2020-03-15T10:00:00"), validTo: "2025-03-14", status: "EXPIRED" });
  ids.d2 = await insert(issuing, { name: `${tag}戊运输有限公司`, issuedAt: at("2021-06-01T09:00:00"), validTo: null, status: "REVOKED" });
  // the last minutes of 2024 and the first of 2025 in Beijing time (both 2024-12-31 in UTC)
  ids.d3 = await insert(issuing, { name: `${tag}己食品有限公司`, issuedAt: at("2024-12-31T23:30:00"), validTo: "2029-12-30", status: "ANNULLED" });
  ids.d4 = await insert(issuing, { name: `${tag}庚食品有限公司`, issuedAt: at("2025-01-01T00:10:00"), validTo: "2030-01-01", status: "VALID" });
  ids.d5 = await insert(other, { name: `${tag}辛外市有限公司`, issuedAt: at("2023-01-10T11:00:00"), validTo: "2028-01-09", status: "CANCELLED" });
  ids.d6 = await insert(other, { name: `${tag}壬外市有限公司`, issuedAt: at("2025-05-05T15:00:00"), validTo: "2030-05-04", status: "VALID" });
  // two county rows with the same issue instant and the same end: the id breaks the tie
  ids.d7 = await insert(county, { name: `${tag}癸县级有限公司`, issuedAt: at("2022-08-08T08:08:08"), validTo: "2027-08-07", status: "VALID", restricted: true });
  ids.d8 = await insert(county, { name: `${tag}子县级有限公司`, issuedAt: at("2022-08-08T08:08:08"), validTo: "2027-08-07", status: "SUSPENDED" });
  // the same holder as r1, cancelled long ago: the code search finds both
  ids.d9 = await insert(issuing, { name: `${tag}甲商贸有限公司`, issuedAt: at("2019-01-01T10:00:00"), validTo: "2024-01-01", status: "CANCELLED", code: codeX });
  // LIKE wildcards in a name are literal characters of the prefix
  ids.d10 = await insert(issuing, { name: `${tag}_百分%公司`, issuedAt: at("2025-02-02T10:00:00"), validTo: null, status: "VALID" });
  ids.d11 = await insert(issuing, { name: `${tag}X百分公司`, issuedAt: at("2025-02-03T10:00:00"), validTo: null, status: "VALID" });
  for (let i = 0; i < 9; i++) ids[`t${i}`] = await insert(issuing, { name: `${tag}丑同日${i}有限公司`, issuedAt: at("2023-03-03T12:00:00"), validTo: "2026-03-02", status: "VALID" });
  rows = await db().licence.findMany({
    where: { typeId: w.type.id },
    select: { id: true, issuerDeptId: true, typeId: true, status: true, holderCodeHash: true, holderName: true, issuedAt: true, validTo: true, restricted: true, licenceNumber: true },
  });
  expect(rows.length).toBe(24);
}, 120_000);

describe("filters (U-02, L-05)", () => {
  const cases: [string, () => Partial<LicenceFilter>, () => string[] | null][] = [
    ["no filter (the type only)", () => ({}), () => null],
    ["status VALID", () => ({ status: "VALID" }), () => null],
    ["status SUSPENDED", () => ({ status: "SUSPENDED" }), () => [ids.r3, ids.d8]],
    ["status EXPIRED", () => ({ status: "EXPIRED" }), () => [ids.d1]],
    ["status REVOKED", () => ({ status: "REVOKED" }), () => [ids.d2]],
    ["status CANCELLED", () => ({ status: "CANCELLED" }), () => [ids.d5, ids.d9]],
    ["status ANNULLED", () => ({ status: "ANNULLED" }), () => [ids.d3]],
    ["issuer department (with its subtree)", () => ({ dept: w.issuing.id }), () => null],
    ["issuer department without children", () => ({ dept: county.id }), () => [ids.d7, ids.d8]],
    ["holder name prefix", () => ({ name: `${tag}甲` }), () => [ids.r1, ids.d1, ids.d9]],
    ["holder name prefix with LIKE wildcards taken literally", () => ({ name: `${tag}_百分%` }), () => [ids.d10]],
    ["issued on 2024-12-31 (Beijing time)", () => ({ issuedFrom: "2024-12-31", issuedTo: "2024-12-31" }), () => [ids.d3]],
    ["issued from 2025-01-01", () => ({ issuedFrom: "2025-01-01" }), () => null],
    ["issued up to 2021-06-01", () => ({ issuedTo: "2021-06-01" }), () => [ids.d1, ids.d2, ids.d9]],
    ["expiring 2027–2028", () => ({ expiresFrom: "2027-01-01", expiresTo: "2028-12-31" }), () => [ids.d5, ids.d7, ids.d8]],
    ["expiring from 2029 (long-term ones have no end date)", () => ({ expiresFrom: "2029-01-01" }), () => null],
    ["expiring up to 2025-03-14", () => ({ expiresTo: "2025-03-14" }), () => [ids.d1, ids.d9]],
    ["pledged", () => ({ restricted: "yes" }), () => [ids.r2, ids.d7]],
    ["not pledged", () => ({ restricted: "no" }), () => null],
    ["holder code (keyed hash)", () => ({ h: holderCodeHash(codeX) }), () => [ids.r1, ids.d9]],
    ["several at once", () => ({ status: "VALID", dept: w.issuing.id, issuedFrom: "2025-01-01", name: tag }), () => null],
  ];

  it.each(cases)("%s: exactly the matching rows, counted", async (_name, over, hand) => {
    const f = { type: w.type.id, ...over() };
    const depts = f.dept ? (f.dept === w.issuing.id ? [w.issuing.id, county.id] : [f.dept]) : undefined;
    const want = expected(f, depts);
    if (hand()) expect(want).toEqual([...hand()!].sort());
    expect(want.length).toBeGreaterThan(0);
    for (const countLimit of [undefined, 0]) {
      const got = await all(w.supervisor, f, countLimit);
      expect([...got].sort(), `countLimit ${countLimit}`).toEqual(want);
    }
    const page = await listLicences(w.supervisor, licenceFilter.parse({ ...f, pageSize: 100 }));
    expect(page.total).toBe(want.length);
    expect(page.totalCapped).toBe(false);
  });

  it("long-term licences are outside every expiry range and sort after every end date", async () => {
    const got = await all(w.supervisor, { type: w.type.id, expiresFrom: "2000-01-01" });
    expect(got).not.toContain(ids.d2);
    expect(got).not.toContain(ids.d10);
    const asc = await all(w.supervisor, { type: w.type.id, sort: "validTo", dir: "asc" });
    expect(asc.slice(-3).sort()).toEqual([ids.d2, ids.d10, ids.d11].sort());
  });

  it("drops malformed filter values instead of failing (a link from outside is never an error page)", async () => {
    const f = licenceFilter.parse({ type: w.type.id, status: "LOST", dept: "x", h: "ZZ", issuedFrom: "2025-02-30", restricted: "maybe", sort: "holderName", dir: "up", pageSize: "7", after: "!!" });
    expect(f).toMatchObject({ status: undefined, dept: undefined, h: undefined, issuedFrom: undefined, restricted: undefined, sort: "issuedAt", dir: "desc", pageSize: 20 });
    expect((await listLicences(w.supervisor, f)).total).toBe(24);
  });
});

describe("keyset paging", () => {
  for (const { code: sort } of LICENCE_SORTS)
    for (const dir of ["asc", "desc"] as const)
      it(`${sort} ${dir}: every row exactly once, in order, forwards and backwards, on both plans`, async () => {
        const want = ordered(expected({ type: w.type.id }), sort, dir);
        for (const countLimit of [undefined, 0]) {
          const f = licenceFilter.parse({ type: w.type.id, sort, dir, pageSize: 10 });
          const pages: LicencePage[] = [await listLicences(w.supervisor, f, { countLimit })];
          while (pages[pages.length - 1].next) pages.push(await listLicences(w.supervisor, { ...f, after: pages[pages.length - 1].next! }, { countLimit }));
          expect(pages.map((p) => p.rows.length)).toEqual([10, 10, 4]);
          expect(pages.flatMap((p) => p.rows.map((r) => r.id))).toEqual(want);
          expect(pages[0].prev).toBeNull();
          // back from the last page, page by page, to the first
          let back = pages[pages.length - 1];
          for (let i = pages.length - 2; i >= 0; i--) {
            back = await listLicences(w.supervisor, { ...f, before: back.prev! }, { countLimit });
            expect(back.rows.map((r) => r.id)).toEqual(pages[i].rows.map((r) => r.id));
          }
          expect(back.prev).toBeNull();
        }
      });

  it("pages across a subtree's departments (one ordered branch per department) in one order", async () => {
    const want = ordered(expected({ type: w.type.id }, [w.issuing.id, county.id]), "validTo", "desc");
    expect(await all(w.supervisor, { type: w.type.id, dept: w.issuing.id, sort: "validTo", dir: "desc" }, 0)).toEqual(want);
    const regional = await makeActor(w.issuing, [{ role: "SUPERVISOR", scope: "SUBTREE" }], "市级监督员");
    expect(await all(regional, { type: w.type.id, sort: "validTo", dir: "desc" }, 0)).toEqual(want);
  });

  it("ignores a cursor made for another sort (starts at the top)", async () => {
    const f = licenceFilter.parse({ type: w.type.id, sort: "issuedAt", dir: "desc", pageSize: 10 });
    const first = await listLicences(w.supervisor, f);
    const other = await listLicences(w.supervisor, { ...f, sort: "licenceNumber", after: first.next! });
    expect(other.rows.map((r) => r.id)).toEqual(ordered(expected({ type: w.type.id }), "licenceNumber", "desc").slice(0, 10));
  });
});

describe("scope (P-04)", () => {
  it("an issuer operator sees the licences of their own department only", async () => {
    expect((await all(w.issuer, { type: w.type.id })).sort()).toEqual(expected({ type: w.type.id }, [w.issuing.id]));
    const theirs = await all(w.otherIssuer, { type: w.type.id });
    expect(theirs.sort()).toEqual([ids.d5, ids.d6].sort());
  });

  it("an issuer of another department sees none of them, and a filter on them is not found", async () => {
    const theirs = await all(w.otherIssuer, { type: w.type.id });
    for (const id of expected({ type: w.type.id }, [w.issuing.id, county.id])) expect(theirs).not.toContain(id);
    await expectAppError(listLicences(w.otherIssuer, licenceFilter.parse({ dept: w.issuing.id })), "NOT_FOUND");
    await expectAppError(listLicences(w.issuer, licenceFilter.parse({ dept: county.id })), "NOT_FOUND");
  });

  it("a supervisor sees the region; roles without licence.issue or supervision.read see nothing", async () => {
    expect((await all(w.supervisor, { type: w.type.id })).length).toBe(24);
    await expectAppError(listLicences(w.user, licenceFilter.parse({})), "FORBIDDEN");
    await expectAppError(listLicences(w.sysadmin, licenceFilter.parse({})), "FORBIDDEN");
    await expectAppError(listLicences(w.reviewer, licenceFilter.parse({})), "FORBIDDEN");
  });
});

describe("holder codes (P-02)", () => {
  it("the search action answers with the keyed hash only, for people who may list licences", async () => {
    await signInAs(w.issuer);
    const ok = await holderCodeFilterAction({ code: ` ${codeX.toLowerCase()} ` });
    expect(ok).toEqual({ ok: true, data: { h: holderCodeHash(codeX) } });
    expect(JSON.stringify(ok)).not.toContain(codeX);
    expect(await holderCodeFilterAction({ code: "12" })).toMatchObject({ ok: false, code: "INVALID_INPUT" });
    await signInAs(w.user);
    expect(await holderCodeFilterAction({ code: codeX })).toMatchObject({ ok: false, code: "FORBIDDEN" });
  });

  it("no page payload carries a full holder code; the masked ones are there", async () => {
    const payloads: string[] = [];
    for (const over of [{}, { h: holderCodeHash(codeX) }, { name: tag }]) payloads.push(JSON.stringify(await listLicences(w.supervisor, licenceFilter.parse({ type: w.type.id, pageSize: 100, ...over }))));
    for (const p of payloads) for (const code of codes) expect(p).not.toContain(code);
    expect(payloads[1]).toContain(maskHolderCode(codeX));
    // the rows carry no hash either: it exists only in the URL of a code search
    expect(payloads[1]).not.toContain(holderCodeHash(codeX));
  });
});

describe("XLSX export", () => {
  async function read(res: Response) {
    expect(res.status, await res.clone().text().catch(() => "")).toBe(200);
    expect(res.headers.get("content-disposition")).toMatch(/^attachment;/);
    expect(res.headers.get("cache-control")).toBe("no-store");
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(await res.arrayBuffer()) as unknown as Parameters<typeof wb.xlsx.load>[0]);
    const ws = wb.getWorksheet("证照")!;
    const header = (ws.getRow(1).values as unknown[]).slice(1);
    const out: Record<string, string>[] = [];
    ws.eachRow((row, n) => {
      if (n === 1) return;
      out.push(Object.fromEntries(header.map((h, i) => [String(h), row.getCell(i + 1).text])));
    });
    return out;
  }

  it("exports the filtered list in the table's order with masked codes, and audits it", async () => {
    await signInAs(w.issuer);
    const url = `http://localhost:3000/api/licenses/export?type=${w.type.id}&sort=licenceNumber&dir=asc&status=VALID`;
    const sheet = await read(await exportLicences(new Request(url)));
    const want = ordered(expected({ type: w.type.id, status: "VALID" }, [w.issuing.id]), "licenceNumber", "asc");
    const byId = new Map(rows.map((r) => [r.id, r]));
    expect(sheet.map((r) => r["证照编号"])).toEqual(want.map((id) => byId.get(id)!.licenceNumber));
    for (const r of sheet) {
      expect(r["持证主体代码（脱敏）"]).toMatch(/^\d{4}\*{10}[0-9A-Z]{4}$/);
      expect(r["状态"]).toBe("有效");
    }
    const text = JSON.stringify(sheet);
    for (const code of codes) expect(text).not.toContain(code);
    const audit = await db().auditEvent.findFirstOrThrow({ where: { action: "licence.export", actorId: w.issuer.userId }, orderBy: { seq: "desc" } });
    expect(audit.detail).toMatchObject({ action: "licence.export", rows: want.length, filter: { type: w.type.id, status: "VALID" } });
  });

  it("refuses no session (401), the wrong role (403) and another department's filter (404)", async () => {
    jar.cookie = null;
    expect((await exportLicences(new Request("http://localhost:3000/api/licenses/export"))).status).toBe(401);
    await signInAs(w.user);
    expect((await exportLicences(new Request("http://localhost:3000/api/licenses/export"))).status).toBe(403);
    await signInAs(w.otherIssuer);
    const res = await exportLicences(new Request(`http://localhost:3000/api/licenses/export?dept=${w.issuing.id}`));
    expect(res.status).toBe(404);
    expect(await db().auditEvent.count({ where: { action: "licence.export", actorId: w.otherIssuer.userId } })).toBe(0);
  });
});
