// The access log (A-01, V-01): every public verification (QR link, 亮证 code, identifier + code,
// uploaded file) writes one row with its channel, result and failure; uses of a licence in the
// portal by another department write USE rows, the issuer's and supervisors' own views do not;
// the table refuses UPDATE and DELETE; the supervisors' list filters, pages and keeps to their
// scope; and the dashboard's use and verification figures count exactly these rows.
import { randomUUID } from "node:crypto";
import { renderToStaticMarkup } from "react-dom/server";
import { encode } from "next-auth/jwt";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { db } from "@/lib/db";
import type { Actor } from "@/lib/auth/session";
import { renderLicenceFile, licenceFaceInput } from "@/lib/licenses/file";
import { renderLicenceFace } from "@/lib/pdf/licence-face";
import { buildIdentifier } from "@/lib/licenses/identifier";
import { createShowCodeFor, printedToken, revokePrintedCodes } from "@/lib/licenses/qr";
import { hit } from "@/lib/security/rate-limit";
import { logAccess } from "@/lib/supervision/access-log";
import { accessLogFilter, listAccessLog, maskIp } from "@/lib/supervision/access-log-queries";
import { refreshDashboard } from "@/lib/supervision/dashboard/refresh";
import { accessFigures, dashboardScope } from "@/lib/supervision/dashboard/figures";
import { dashboardQuery, shanghaiMonth } from "@/lib/supervision/dashboard/schema";
import { createSession, testIp } from "@/tests/helpers/factory";
import { makeActor } from "@/tests/helpers/catalog";
import { issue, licenceRow, makeLicenceWorld, type LicenceWorld } from "@/tests/helpers/licences";
import { POST as verifyPOST } from "@/app/api/verify/route";
import { POST as lookupPOST } from "@/app/api/verify/licence/route";
import { POST as showPOST } from "@/app/api/verify/show/route";
import { GET as fileGET } from "@/app/api/licenses/[id]/file/route";
import QrVerifyPage from "@/app/verify/l/[token]/page";
import LicencePage from "@/app/(portal)/licenses/[id]/page";
import AccessLogPage from "@/app/(portal)/supervision/access-log/page";

type Jar = { cookie: string | null; ip: string };
const jar = vi.hoisted((): Jar => ({ cookie: null, ip: "203.0.113.9" }));
vi.mock("next/headers", () => ({
  cookies: () => Promise.resolve({ get: (name: string) => (name === "certseal.session" && jar.cookie ? { name, value: jar.cookie } : undefined) }),
  headers: () => Promise.resolve(new Headers({ host: "localhost:3000", "user-agent": "vitest", "x-forwarded-for": jar.ip, origin: "http://localhost:3000", "sec-fetch-site": "same-origin" })),
}));
vi.mock("next/cache", () => ({ revalidatePath: () => undefined }));
vi.mock("next/navigation", () => ({
  notFound: () => {
    throw new Error("NEXT_NOT_FOUND");
  },
  forbidden: () => {
    throw new Error("NEXT_FORBIDDEN");
  },
  redirect: (to: string) => {
    throw new Error(`NEXT_REDIRECT ${to}`);
  },
  useRouter: () => ({ push: () => undefined, refresh: () => undefined }),
  usePathname: () => "/",
  useSearchParams: () => new URLSearchParams(),
}));

let w: LicenceWorld;
let lic: { id: string; identifier: string };
const t0 = new Date(Date.now() - 1000);

beforeAll(async () => {
  w = await makeLicenceWorld();
  lic = await issue(w);
}, 120_000);

async function signInAs(actor: { userId: string } | null) {
  if (!actor) {
    jar.cookie = null;
    return;
  }
  const s = await createSession(actor.userId);
  jar.cookie = await encode({ token: { sid: s.id, sub: actor.userId }, secret: process.env.NEXTAUTH_SECRET! });
}

/** A fresh client IP, so each call's rows are found by it and the calls do not share a rate budget. */
const freshIp = () => (jar.ip = testIp());
const rowsOf = (ip: string) => db().accessLog.findMany({ where: { ip, at: { gte: t0 } }, orderBy: { id: "asc" } });
const rowsOfLicence = (licenceId: string, kind: "USE" | "VERIFY") => db().accessLog.findMany({ where: { licenceId, kind, at: { gte: t0 } }, orderBy: { id: "asc" } });
const shape = (r: { kind: string; channel: string; ok: boolean; failure: string | null; licenceId: string | null; issuerDeptId: string | null }) => ({
  kind: r.kind,
  channel: r.channel,
  ok: r.ok,
  failure: r.failure,
  licenceId: r.licenceId,
  issuerDeptId: r.issuerDeptId,
});

const lookup = (body: unknown) => lookupPOST(new Request("http://localhost:3000/api/verify/licence", { method: "POST", body: JSON.stringify(body), headers: { "content-type": "application/json" } }));
const show = (token: string) => showPOST(new Request("http://localhost:3000/api/verify/show", { method: "POST", body: JSON.stringify({ token }), headers: { "content-type": "application/json" } }));
const upload = (pdf: Uint8Array | Buffer, ip: string) => {
  const fd = new FormData();
  fd.set("pdf", new File([Buffer.from(pdf)], "证照.pdf"));
  return verifyPOST(new Request("http://localhost:3000/api/verify", { method: "POST", body: fd, headers: { "x-forwarded-for": ip } }));
};
const qrPage = async (token: string) => renderToStaticMarkup(await QrVerifyPage({ params: Promise.resolve({ token }) }));
const openDetail = (id: string) => LicencePage({ params: Promise.resolve({ id }), searchParams: Promise.resolve({}) });
const download = (id: string) => fileGET(new Request(`http://localhost:3000/api/licenses/${id}/file`), { params: Promise.resolve({ id }) });

/** Uses the verification bucket of the current IP up. */
async function exhaust(ip: string) {
  for (let i = 0; i < 20; i++) await hit({ bucket: "verify", limit: 20, windowSeconds: 60 }, ip);
}

describe("A-01 / V-01 every verification writes one access-log row", () => {
  it("identifier + verification code (CODE): ok, BAD_CODE, NOT_FOUND, INVALID, RATE_LIMITED — the code itself is never stored", async () => {
    const l = await licenceRow(lic.id);
    const one = async (body: unknown, status: number) => {
      const ip = freshIp();
      expect((await lookup(body)).status).toBe(status);
      const rows = await rowsOf(ip);
      expect(rows).toHaveLength(1);
      expect(JSON.stringify(rows[0], (_k, v: unknown) => (typeof v === "bigint" ? String(v) : v))).not.toContain(l.verifyCode);
      return shape(rows[0]);
    };
    const base = { kind: "VERIFY", channel: "CODE" };
    expect(await one({ identifier: lic.identifier, code: l.verifyCode }, 200)).toEqual({ ...base, ok: true, failure: null, licenceId: lic.id, issuerDeptId: w.issuing.id });
    expect(await one({ identifier: lic.identifier, code: l.verifyCode === "ZZZZZZZZ" ? "YYYYYYYY" : "ZZZZZZZZ" }, 404)).toEqual({ ...base, ok: false, failure: "BAD_CODE", licenceId: lic.id, issuerDeptId: w.issuing.id });
    const unknown = buildIdentifier({ typeCode: l.typeCode, issuerCode: l.issuerCode, serial: "999999998", version: 1 });
    expect(await one({ identifier: unknown, code: l.verifyCode }, 404)).toEqual({ ...base, ok: false, failure: "NOT_FOUND", licenceId: null, issuerDeptId: null });
    expect(await one({ identifier: "", code: "" }, 422)).toEqual({ ...base, ok: false, failure: "INVALID", licenceId: null, issuerDeptId: null });
    expect(await one({ identifier: "not an identifier", code: "ABCDEFGH" }, 422)).toEqual({ ...base, ok: false, failure: "INVALID", licenceId: null, issuerDeptId: null });

    const ip = freshIp();
    await exhaust(ip);
    expect((await lookup({ identifier: lic.identifier, code: l.verifyCode })).status).toBe(429);
    expect((await rowsOf(ip)).map(shape)).toEqual([{ ...base, ok: false, failure: "RATE_LIMITED", licenceId: null, issuerDeptId: null }]);
    // a flood from one address is written once a minute, not once per refused request
    for (let i = 0; i < 5; i++) expect((await lookup({ identifier: lic.identifier, code: l.verifyCode })).status).toBe(429);
    expect(await rowsOf(ip)).toHaveLength(1);
  });

  it("printed QR code (QR): ok with the licence and its department; REVOKED_CODE after revoking; INVALID for a forged token; RATE_LIMITED", async () => {
    const other = await issue(w);
    let ip = freshIp();
    expect(await qrPage(printedToken(other.id, 0))).toContain(other.identifier);
    expect((await rowsOf(ip)).map(shape)).toEqual([{ kind: "VERIFY", channel: "QR", ok: true, failure: null, licenceId: other.id, issuerDeptId: w.issuing.id }]);

    await revokePrintedCodes(w.issuer, other.id);
    ip = freshIp();
    await qrPage(printedToken(other.id, 0));
    expect((await rowsOf(ip)).map(shape)).toEqual([{ kind: "VERIFY", channel: "QR", ok: false, failure: "REVOKED_CODE", licenceId: other.id, issuerDeptId: w.issuing.id }]);

    ip = freshIp();
    await qrPage("not-a-token-at-all");
    expect((await rowsOf(ip)).map(shape)).toEqual([{ kind: "VERIFY", channel: "QR", ok: false, failure: "INVALID", licenceId: null, issuerDeptId: null }]);

    ip = freshIp();
    await qrPage(printedToken(randomUUID(), 0));
    expect((await rowsOf(ip)).map(shape)).toEqual([{ kind: "VERIFY", channel: "QR", ok: false, failure: "NOT_FOUND", licenceId: null, issuerDeptId: null }]);

    ip = freshIp();
    await exhaust(ip);
    await qrPage(printedToken(lic.id, 0));
    expect((await rowsOf(ip)).map(shape)).toEqual([{ kind: "VERIFY", channel: "QR", ok: false, failure: "RATE_LIMITED", licenceId: null, issuerDeptId: null }]);
  });

  it("亮证 code (SHOW): opening the page writes nothing, the confirmation one ok row, a second confirmation USED_CODE, an expired code EXPIRED_CODE", async () => {
    const c = await createShowCodeFor(w.issuer, lic.id);
    let ip = freshIp();
    expect(await qrPage(c.token)).toContain('data-testid="show-code-open"');
    expect(await rowsOf(ip)).toHaveLength(0);
    expect((await show(c.token)).status).toBe(200);
    expect((await rowsOf(ip)).map(shape)).toEqual([{ kind: "VERIFY", channel: "SHOW", ok: true, failure: null, licenceId: lic.id, issuerDeptId: w.issuing.id }]);

    ip = freshIp();
    expect((await show(c.token)).status).toBe(409);
    await qrPage(c.token);
    expect((await rowsOf(ip)).map(shape)).toEqual([
      { kind: "VERIFY", channel: "SHOW", ok: false, failure: "USED_CODE", licenceId: lic.id, issuerDeptId: w.issuing.id },
      { kind: "VERIFY", channel: "SHOW", ok: false, failure: "USED_CODE", licenceId: lic.id, issuerDeptId: w.issuing.id },
    ]);

    const old = await createShowCodeFor(w.issuer, lic.id);
    await db().licenceShowCode.updateMany({ where: { licenceId: lic.id, usedAt: null }, data: { expiresAt: new Date(Date.now() - 1000) } });
    ip = freshIp();
    expect((await show(old.token)).status).toBe(409);
    expect((await rowsOf(ip)).map(shape)).toEqual([{ kind: "VERIFY", channel: "SHOW", ok: false, failure: "EXPIRED_CODE", licenceId: lic.id, issuerDeptId: w.issuing.id }]);

    ip = freshIp();
    expect((await show("garbage")).status).toBe(422);
    expect((await rowsOf(ip)).map(shape)).toEqual([{ kind: "VERIFY", channel: "SHOW", ok: false, failure: "INVALID", licenceId: null, issuerDeptId: null }]);
  });

  it("uploaded PDF (UPLOAD): the original ok, a changed byte ALTERED, an unsigned PDF NO_SIGNATURE, not a PDF INVALID, over the limit RATE_LIMITED", async () => {
    const f = await renderLicenceFile(lic.id);
    const one = async (pdf: Uint8Array | Buffer) => {
      const ip = testIp();
      await upload(pdf, ip);
      return (await rowsOf(ip)).map(shape);
    };
    const base = { kind: "VERIFY", channel: "UPLOAD" };
    expect(await one(f.pdf)).toEqual([{ ...base, ok: true, failure: null, licenceId: lic.id, issuerDeptId: w.issuing.id }]);
    const altered = Uint8Array.from(f.pdf);
    altered[Buffer.from(altered).indexOf(Buffer.from("stream", "latin1")) + 20] ^= 0x01;
    expect(await one(altered)).toEqual([{ ...base, ok: false, failure: "ALTERED", licenceId: lic.id, issuerDeptId: w.issuing.id }]);
    const { face } = await licenceFaceInput(lic.id);
    expect(await one(await renderLicenceFace(face))).toEqual([{ ...base, ok: false, failure: "NO_SIGNATURE", licenceId: null, issuerDeptId: null }]);
    expect(await one(Buffer.from("hello, not a pdf"))).toEqual([{ ...base, ok: false, failure: "INVALID", licenceId: null, issuerDeptId: null }]);
    const ip = testIp();
    await exhaust(ip);
    expect((await upload(f.pdf, ip)).status).toBe(429);
    expect((await rowsOf(ip)).map(shape)).toEqual([{ ...base, ok: false, failure: "RATE_LIMITED", licenceId: null, issuerDeptId: null }]);
  });
});

describe("A-01 / V-01 uses in the portal", () => {
  it("another department's operator: a refused view and a refused download are USE rows (FORBIDDEN); the issuer's and the supervisor's own views write nothing", async () => {
    const l = await issue(w);
    await signInAs(w.issuer);
    await openDetail(l.id);
    expect((await download(l.id)).status).toBe(200);
    await signInAs(w.supervisor);
    await openDetail(l.id);
    expect((await download(l.id)).status).toBe(200);
    expect(await rowsOfLicence(l.id, "USE")).toHaveLength(0);

    await signInAs(w.user);
    const ip = freshIp();
    await expect(openDetail(l.id)).rejects.toThrow("NEXT_NOT_FOUND");
    expect((await download(l.id)).status).toBe(403);
    const rows = await rowsOfLicence(l.id, "USE");
    expect(rows.map((r) => ({ channel: r.channel, scenario: r.scenario, ok: r.ok, failure: r.failure, issuerDeptId: r.issuerDeptId, userDeptId: r.userDeptId, userId: r.userId, ip: r.ip }))).toEqual([
      { channel: "PORTAL", scenario: "VIEW", ok: false, failure: "FORBIDDEN", issuerDeptId: w.issuing.id, userDeptId: w.using.id, userId: w.user.userId, ip },
      { channel: "FILE", scenario: "DATA", ok: false, failure: "FORBIDDEN", issuerDeptId: w.issuing.id, userDeptId: w.using.id, userId: w.user.userId, ip },
    ]);
    // a licence that does not exist is no use of anything
    await expect(openDetail(randomUUID())).rejects.toThrow("NEXT_NOT_FOUND");
    expect(await db().accessLog.count({ where: { userId: w.user.userId, licenceId: null } })).toBe(0);
    await signInAs(null);
  });

  it("a user of another department who may open the licence (licence.use + an issuer role over it): the view and the download are ok USE rows", async () => {
    const l = await issue(w);
    const both: Actor = await makeActor(w.province, [{ role: "USING_OPERATOR", scope: "OWN" }, { role: "ISSUER_OPERATOR", scope: "SUBTREE" }], "省级用证员");
    await signInAs(both);
    freshIp();
    await openDetail(l.id);
    expect((await download(l.id)).status).toBe(200);
    const rows = await rowsOfLicence(l.id, "USE");
    expect(rows.map((r) => [r.channel, r.scenario, r.ok, r.failure, r.issuerDeptId, r.userDeptId])).toEqual([
      ["PORTAL", "VIEW", true, null, w.issuing.id, w.province.id],
      ["FILE", "DATA", true, null, w.issuing.id, w.province.id],
    ]);
    await signInAs(null);
  });
});

describe("A-01 the access log is never edited", () => {
  it("UPDATE and DELETE of a row are refused by the database", async () => {
    const ip = freshIp();
    await logAccess({ kind: "VERIFY", channel: "CODE", ok: false, failure: "BAD_CODE", ip });
    const [row] = await rowsOf(ip);
    await expect(db().$executeRaw`UPDATE "AccessLog" SET "ok" = true WHERE "id" = ${row.id}`).rejects.toThrow(/append-only/);
    await expect(db().$executeRaw`DELETE FROM "AccessLog" WHERE "id" = ${row.id}`).rejects.toThrow(/append-only/);
    expect((await db().accessLog.findUniqueOrThrow({ where: { id: row.id } })).ok).toBe(false);
  });
});

describe("A-01 / V-01 the access-log list (supervision.read)", () => {
  let citySupervisor: Actor;
  const at = (iso: string) => new Date(iso);
  beforeAll(async () => {
    citySupervisor = await makeActor(w.issuing, [{ role: "SUPERVISOR", scope: "SUBTREE" }], "市级监督员");
    const rows = [
      // 2025-03-15 00:30 Shanghai is 2025-03-14 16:30 UTC
      { at: at("2025-03-14T16:30:00Z"), kind: "VERIFY" as const, channel: "CODE" as const, issuerDeptId: w.issuing.id, ok: true, ip: "198.51.100.23" },
      { at: at("2025-03-14T15:30:00Z"), kind: "VERIFY" as const, channel: "QR" as const, issuerDeptId: w.issuing.id, ok: false, failure: "NOT_FOUND" },
      { at: at("2025-03-16T02:00:00Z"), kind: "USE" as const, channel: "PORTAL" as const, scenario: "VIEW", issuerDeptId: w.otherIssuing.id, userDeptId: w.issuing.id, ok: true },
      { at: at("2025-03-16T03:00:00Z"), kind: "VERIFY" as const, channel: "UPLOAD" as const, issuerDeptId: w.otherIssuing.id, ok: false, failure: "ALTERED" },
      { at: at("2025-03-16T04:00:00Z"), kind: "USE" as const, channel: "FILE" as const, scenario: "DATA", issuerDeptId: w.otherIssuing.id, userDeptId: w.using.id, ok: false, failure: "FORBIDDEN" },
    ];
    for (const r of rows) await logAccess({ ...r, licenceId: null });
    for (let i = 0; i < 12; i++) await logAccess({ at: new Date(Date.parse("2025-04-01T00:00:00Z") + i * 60_000), kind: "VERIFY", channel: "QR", issuerDeptId: w.issuing.id, ok: true });
  });
  const march = { from: "2025-03-01", to: "2025-03-31" };
  const list = (actor: Actor, q: Record<string, string>) => listAccessLog(actor, accessLogFilter.parse(q));

  it("a city supervisor sees the rows of its departments' licences and the uses they made, not another city's", async () => {
    const r = await list(citySupervisor, march);
    expect(r.rows.map((x) => [x.channel, x.issuerDept, x.userDept])).toEqual([
      ["PORTAL", w.otherIssuing.name, w.issuing.name],
      ["CODE", w.issuing.name, null],
      ["QR", w.issuing.name, null],
    ]);
    expect(r.total).toBe(3);
    expect(r.rows[1]).toMatchObject({ kindLabel: "核验", channelLabel: "标识码+核验码", ok: true, ip: "198.51.100.*" });
    expect(r.rows[0]).toMatchObject({ kindLabel: "用证", scenarioLabel: "视读" });
    expect(r.rows[2]).toMatchObject({ ok: false, failure: "NOT_FOUND", failureLabel: "证照不存在" });
    // filtering by the other city's department shows only what the city itself did with its licences
    expect((await list(citySupervisor, { ...march, dept: w.otherIssuing.id })).rows.map((x) => x.channel)).toEqual(["PORTAL"]);
    expect((await list(citySupervisor, { ...march, userDept: w.using.id })).rows).toHaveLength(0);
    // the dashboard's region (a subtree): the city's own rows; a region outside the scope shows none
    expect((await list(citySupervisor, { ...march, region: w.issuing.id })).rows.map((x) => x.channel)).toEqual(["PORTAL", "CODE", "QR"]);
    expect((await list(citySupervisor, { ...march, region: w.otherIssuing.id })).rows).toHaveLength(0);
    expect((await list(w.supervisor, { ...march, region: w.province.id })).rows.map((x) => x.channel)).toEqual(["FILE", "UPLOAD", "PORTAL", "CODE", "QR"]);
  });

  it("the provincial supervisor sees every row; kind, channel, scenario, ok, dept, userDept and the Shanghai dates filter", async () => {
    const p = (q: Record<string, string>) => list(w.supervisor, { ...march, ...q }).then((r) => r.rows.map((x) => x.channel));
    const mine = [w.issuing.id, w.otherIssuing.id];
    const scoped = async (q: Record<string, string>) => (await Promise.all(mine.map((dept) => p({ ...q, dept })))).flat().sort();
    expect(await scoped({})).toEqual(["CODE", "FILE", "PORTAL", "QR", "UPLOAD"]);
    expect(await scoped({ kind: "USE" })).toEqual(["FILE", "PORTAL"]);
    expect(await scoped({ channel: "UPLOAD" })).toEqual(["UPLOAD"]);
    expect(await scoped({ scenario: "DATA" })).toEqual(["FILE"]);
    expect(await scoped({ ok: "0" })).toEqual(["FILE", "QR", "UPLOAD"]);
    expect(await p({ userDept: w.using.id })).toEqual(["FILE"]);
    // 2025-03-15 in Shanghai: the CODE row (00:30), not the QR row (23:30 the day before)
    expect(await scoped({ from: "2025-03-15", to: "2025-03-15" })).toEqual(["CODE"]);
    expect(await scoped({ from: "2025-03-14", to: "2025-03-14" })).toEqual(["QR"]);
  });

  it("pages by keyset: 10 + 2 rows, next and back", async () => {
    const q = { from: "2025-04-01", to: "2025-04-01", dept: w.issuing.id, pageSize: "10" };
    const first = await list(citySupervisor, q);
    expect([first.rows.length, first.total, first.prev, first.next === null]).toEqual([10, 12, null, false]);
    const second = await list(citySupervisor, { ...q, after: first.next! });
    expect([second.rows.length, second.next, second.prev === null]).toEqual([2, null, false]);
    expect(new Set([...first.rows, ...second.rows].map((r) => r.id)).size).toBe(12);
    expect(Date.parse(first.rows[9].at)).toBeGreaterThan(Date.parse(second.rows[0].at));
    const back = await list(citySupervisor, { ...q, before: second.prev! });
    expect(back.rows.map((r) => r.id)).toEqual(first.rows.map((r) => r.id));
    expect(back.prev).toBeNull();
    // the provincial supervisor pages the same rows
    const prov = await list(w.supervisor, q);
    expect(prov.rows.map((r) => r.id)).toEqual(first.rows.map((r) => r.id));
  });

  it("the page shows the filtered rows with labels, badges, masked IPs and a next link; a using operator is sent to 403", async () => {
    await signInAs(citySupervisor);
    const html = renderToStaticMarkup(await AccessLogPage({ searchParams: Promise.resolve({ ...march, kind: "VERIFY" }) }));
    expect(html).toContain('data-testid="access-log-table"');
    expect(html).toContain("标识码+核验码");
    expect(html).toContain("证照不存在");
    expect(html).toContain("198.51.100.*");
    expect(html).not.toContain("198.51.100.23");
    expect(html).not.toContain("门户查看</td>");
    expect(html).toContain("共 2 条");
    const paged = renderToStaticMarkup(await AccessLogPage({ searchParams: Promise.resolve({ from: "2025-04-01", to: "2025-04-01", pageSize: "10" }) }));
    expect(paged).toMatch(/href="\/supervision\/access-log\?from=2025-04-01&amp;to=2025-04-01&amp;pageSize=10&amp;after=\d+\.\d+"/);
    await signInAs(w.user);
    await expect(AccessLogPage({ searchParams: Promise.resolve({}) })).rejects.toThrow("NEXT_FORBIDDEN");
    await signInAs(null);
  });

  it("masks IPs to /24", () => {
    expect(maskIp("203.0.113.77")).toBe("203.0.113.*");
    expect(maskIp("::ffff:10.1.2.3")).toBe("10.1.2.*");
    expect(maskIp("2001:db8:85a3:8d3:1319:8a2e:370:7348")).toBe("2001:db8:85a3::*");
    // compressed addresses are expanded before the cut: never shown whole
    expect(maskIp("2408::5")).toBe("2408:0:0::*");
    expect(maskIp("fe80::1")).toBe("fe80:0:0::*");
    expect(maskIp("2408:8000:1::")).toBe("2408:8000:1::*");
    expect(maskIp(null)).toBe("");
  });
});

describe("V-01 the dashboard's use and verification figures count the access log", () => {
  it("after refreshDashboard, accessFigures over the world's province equals the rows of this month", async () => {
    await refreshDashboard({ wait: true });
    const month = shanghaiMonth(new Date());
    const q = dashboardQuery({ from: month, to: month });
    const scope = await dashboardScope(w.supervisor, w.province.id);
    const f = await accessFigures(scope, q);
    const start = new Date(`${month}-01T00:00:00+08:00`);
    const inScope = { OR: [{ issuerDeptId: { in: scope.ids } }, { userDeptId: { in: scope.ids } }], at: { gte: start } };
    const count = (kind: "VERIFY" | "USE", ok?: boolean) => db().accessLog.count({ where: { ...inScope, kind, ...(ok === undefined ? {} : { ok }) } });
    const [verify, verifyFailed, use, useFailed] = await Promise.all([count("VERIFY"), count("VERIFY", false), count("USE"), count("USE", false)]);
    // with the licence known: CODE ok + BAD_CODE, QR ok + REVOKED_CODE, SHOW ok + 2 USED_CODE + EXPIRED_CODE, UPLOAD ok + ALTERED
    expect([verify, verifyFailed]).toEqual([10, 6]);
    // the two refused and the two allowed uses of the portal tests
    expect(use).toBe(4);
    expect([f.verify.total, f.verify.failed, f.use.total, f.use.failed]).toEqual([verify, verifyFailed, use, useFailed]);
    expect(f.byDept.find((d) => d.deptId === w.issuing.id)).toMatchObject({ verify, use });
    expect(f.byUserDept.find((d) => d.deptId === w.using.id)).toMatchObject({ use: 2, failed: 2 });
    expect(f.byScenario.map((s) => [s.scenario, s.use]).sort()).toEqual([["DATA", 2], ["VIEW", 2]]);
  });
});
