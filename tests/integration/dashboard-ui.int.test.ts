// The dashboard page's endpoints and links (V-01, A-01): where every card leads for a period and a
// region; the overdue-objections figure leading to a list that shows that objection; the ranking
// settings action (saved with its audit row, a sum other than 100 refused next to the field, a city
// supervisor refused); the refresh action (audit row, summaries rebuilt, once a minute per user).
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { encode } from "next-auth/jwt";
import { renderToStaticMarkup } from "react-dom/server";
import { db } from "@/lib/db";
import type { Actor } from "@/lib/auth/session";
import { createDepartment, createSession, uniqueSuffix } from "@/tests/helpers/factory";
import { makeActor } from "@/tests/helpers/catalog";
import { licenceFor, makeObjectionWorld, raiseByDept, type ObjectionWorld } from "@/tests/helpers/objections";
import { accessLink, cardLinks, completenessKind, dashboardHref, href, licenceLinks, objectionLinks, qualityLink, sealUseLinks } from "@/lib/supervision/dashboard/links";
import { dashboardQuery } from "@/lib/supervision/dashboard/schema";
import { dashboard } from "@/lib/supervision/dashboard/figures";
import { refreshDashboard } from "@/lib/supervision/dashboard/refresh";
import { objectionFilter } from "@/lib/objections/schema";
import { listObjections } from "@/lib/objections/queries";

const jar = { cookie: null as string | null };

vi.mock("next/headers", () => ({
  cookies: () =>
    Promise.resolve({
      get: (name: string) => (name === "certseal.session" && jar.cookie ? { name, value: jar.cookie } : undefined),
      getAll: () => (jar.cookie ? [{ name: "certseal.session", value: jar.cookie }] : []),
    }),
  headers: () => Promise.resolve(new Headers({ host: "localhost:3000", "user-agent": "vitest", origin: "http://localhost:3000", "sec-fetch-site": "same-origin" })),
}));
vi.mock("next/cache", () => ({ revalidatePath: () => {}, revalidateTag: () => {} }));
vi.mock("next/navigation", () => ({
  useRouter: () => ({ refresh: () => undefined, push: () => undefined }),
  usePathname: () => "/supervision/dashboard",
  useSearchParams: () => new URLSearchParams(),
  notFound: () => {
    throw new Error("NEXT_NOT_FOUND");
  },
  forbidden: () => {
    throw new Error("NEXT_FORBIDDEN");
  },
  redirect: (to: string) => {
    throw new Error(`NEXT_REDIRECT ${to}`);
  },
}));

async function signInAs(actor: Actor) {
  const s = await createSession(actor.userId);
  jar.cookie = await encode({ token: { sid: s.id, sub: actor.userId }, secret: process.env.NEXTAUTH_SECRET! });
}

/** The rendered element carrying data-testid `id`: its href and its text. */
function fig(html: string, id: string): { href: string | null; text: string } | null {
  const m = new RegExp(`<(a|span)[^>]*data-testid="${id}"[^>]*>([\\s\\S]*?)</\\1>`).exec(html);
  if (!m) return null;
  const h = /href="([^"]*)"/.exec(m[0]);
  return { href: h ? h[1].replaceAll("&amp;", "&") : null, text: m[2].replace(/<[^>]+>/g, "").replaceAll("&amp;", "&") };
}

async function renderDashboard(actor: Actor, sp: Record<string, string> = {}) {
  await signInAs(actor);
  const Page = (await import("@/app/(portal)/supervision/dashboard/page")).default;
  return renderToStaticMarkup(await Page({ searchParams: Promise.resolve(sp) }));
}

const params = (h: string) => Object.fromEntries(new URL(h, "http://x").searchParams);
const path = (h: string) => new URL(h, "http://x").pathname;

let w: ObjectionWorld;
let city: Awaited<ReturnType<typeof createDepartment>>;
let citySupervisor: Actor;
let original: { weightTimeliness: number; weightCompleteness: number; weightObjections: number; listStaleDays: number } | null = null;

beforeAll(async () => {
  w = await makeObjectionWorld();
  city = await createDepartment({ parent: w.province, level: "CITY", area: "510700", parts: { isManagement: true }, name: `绵阳市看板测试大数据局-${uniqueSuffix()}` });
  citySupervisor = await makeActor(city, [{ role: "SUPERVISOR", scope: "SUBTREE" }], "市级监督员");
  const s = await db().supervisionSetting.findUnique({ where: { id: 1 } });
  if (s) original = { weightTimeliness: s.weightTimeliness, weightCompleteness: s.weightCompleteness, weightObjections: s.weightObjections, listStaleDays: s.listStaleDays };
}, 240_000);

afterAll(async () => {
  // the setting is one row shared by every test file: put it back as it was
  if (original) await db().supervisionSetting.update({ where: { id: 1 }, data: original });
  else await db().supervisionSetting.delete({ where: { id: 1 } }).catch(() => undefined);
});

describe("links (V-01): every figure leads to the filtered list behind it", () => {
  const q = { from: "2026-01", to: "2026-03" };
  const region = "7d1f6a53-3c8e-4d8e-9b7a-0a4f0a0c0b11";
  const qr = { ...q, region };

  it("[V-01] the period becomes YYYY-MM-DD dates of its first and last day (Asia/Shanghai), the region the list's department filter", () => {
    expect(licenceLinks.issued(q)).toBe("/licenses?issuedFrom=2026-01-01&issuedTo=2026-03-31&origin=ISSUED");
    expect(licenceLinks.aggregated(qr)).toBe(`/licenses?dept=${region}&issuedFrom=2026-01-01&issuedTo=2026-03-31&origin=BULK`);
    expect(licenceLinks.late(q)).toBe("/licenses?issuedFrom=2026-01-01&issuedTo=2026-03-31&late=1");
    expect(licenceLinks.sync(qr, "OFFLINE")).toBe(`/licenses?dept=${region}&issuedFrom=2026-01-01&issuedTo=2026-03-31&sync=OFFLINE`);
    expect(licenceLinks.dept(qr, "d1")).toBe("/licenses?dept=d1&issuedFrom=2026-01-01&issuedTo=2026-03-31");
    expect(params(licenceLinks.dept({ from: "2024-02", to: "2024-02" }, "d1"))).toEqual({ dept: "d1", issuedFrom: "2024-02-01", issuedTo: "2024-02-29" });
    expect(dashboardHref(qr)).toBe(`/supervision/dashboard?from=2026-01&to=2026-03&region=${region}`);
    expect(href("/x", { a: "", b: undefined, c: null, d: "1" })).toBe("/x?d=1");
    // a department's 数据完整率 opens the finding kind it has most of
    expect(completenessKind({ FACE_INVALID: 0, EXPIRED_VALID: 1, DUPLICATE_LIVE: 0 })).toBe("EXPIRED_VALID");
    expect(completenessKind({ FACE_INVALID: 1, EXPIRED_VALID: 1, DUPLICATE_LIVE: 2 })).toBe("DUPLICATE_LIVE");
    expect(completenessKind(undefined)).toBe("FACE_INVALID");
  });

  it("[V-01] every card's href for a province-wide query and for a region", () => {
    expect(cardLinks(q)).toEqual({
      "fig-licences-issued": "/licenses?issuedFrom=2026-01-01&issuedTo=2026-03-31&origin=ISSUED",
      "fig-licences-aggregated": "/licenses?issuedFrom=2026-01-01&issuedTo=2026-03-31&origin=BULK",
      "fig-licences-ontime": "/licenses?issuedFrom=2026-01-01&issuedTo=2026-03-31&late=1",
      "fig-sync-ONLINE": "/licenses?issuedFrom=2026-01-01&issuedTo=2026-03-31&sync=ONLINE",
      "fig-sync-OFFLINE": "/licenses?issuedFrom=2026-01-01&issuedTo=2026-03-31&sync=OFFLINE",
      "fig-sync-BULK": "/licenses?issuedFrom=2026-01-01&issuedTo=2026-03-31&sync=BULK",
      "fig-quality-FACE_INVALID": "/supervision/quality?kind=FACE_INVALID",
      "fig-quality-EXPIRED_VALID": "/supervision/quality?kind=EXPIRED_VALID",
      "fig-quality-DUPLICATE_LIVE": "/supervision/quality?kind=DUPLICATE_LIVE",
      "fig-quality-NO_LIST": "/supervision/quality?kind=NO_LIST",
      "fig-quality-STALE_LIST": "/supervision/quality?kind=STALE_LIST",
      "fig-objections-received": "/objections?from=2026-01-01&to=2026-03-31",
      "fig-objections-marked": "/objections?from=2026-01-01&to=2026-03-31&late=mark",
      "fig-objections-resolved": "/objections?from=2026-01-01&to=2026-03-31&late=resolve",
      "fig-objections-overdue": "/objections?overdue=1",
      "fig-objections-days": "/objections?from=2026-01-01&to=2026-03-31&status=RESOLVED",
      "fig-seals-active": "/seals?status=ACTIVE&valid=1",
      "fig-seals-expiring": "/seals?expiring=1",
      "fig-seals-filing": "/seals?overdue=1",
      "fig-seals-cancelled": "/seals?status=CANCELLED&cancelledFrom=2026-01-01&cancelledTo=2026-03-31",
      "fig-sealuse-requests": "/seal-use?submittedFrom=2026-01-01&submittedTo=2026-03-31",
      "fig-sealuse-approvals": "/seal-use?approvedFrom=2026-01-01&approvedTo=2026-03-31",
      "fig-sealuse-signatures": "/seal-use/records?from=2026-01-01&to=2026-03-31",
      "fig-unapproved-signatures": "/supervision/quality?kind=UNAPPROVED_SIGNATURE",
      "fig-access-verify": "/supervision/access-log?kind=VERIFY&from=2026-01-01&to=2026-03-31",
      "fig-access-verify-failed": "/supervision/access-log?kind=VERIFY&ok=0&from=2026-01-01&to=2026-03-31",
      "fig-access-use": "/supervision/access-log?kind=USE&from=2026-01-01&to=2026-03-31",
      "fig-access-use-failed": "/supervision/access-log?kind=USE&ok=0&from=2026-01-01&to=2026-03-31",
    });
    const r = cardLinks(qr);
    // the region narrows every list that has a subtree filter; the objection queue has none (its deptId is one department)
    expect(params(r["fig-licences-issued"]).dept).toBe(region);
    expect(params(r["fig-quality-STALE_LIST"])).toEqual({ kind: "STALE_LIST", region });
    expect(params(r["fig-seals-active"])).toEqual({ status: "ACTIVE", valid: "1", dept: region });
    expect(params(r["fig-seals-cancelled"])).toEqual({ status: "CANCELLED", cancelledFrom: "2026-01-01", cancelledTo: "2026-03-31", dept: region });
    expect(params(r["fig-sealuse-signatures"])).toEqual({ deptId: region, from: "2026-01-01", to: "2026-03-31" });
    expect(params(r["fig-access-verify-failed"])).toEqual({ kind: "VERIFY", region, ok: "0", from: "2026-01-01", to: "2026-03-31" });
    expect(params(r["fig-objections-overdue"])).toEqual({ overdue: "1", region });
    expect(params(r["fig-unapproved-signatures"])).toEqual({ kind: "UNAPPROVED_SIGNATURE", region });
    for (const h of Object.values(r)) expect(h.startsWith("/")).toBe(true);
  });

  it("[V-01] department cells: overdue objections of one department, quality findings, access by licence or using department, scenario and channel", () => {
    expect(objectionLinks.overdue("d1")).toBe("/objections?overdue=1&issuer=d1");
    expect(objectionLinks.overdue(undefined, "r1")).toBe("/objections?overdue=1&region=r1");
    expect(objectionLinks.received(q, "d1")).toBe("/objections?issuer=d1&from=2026-01-01&to=2026-03-31");
    expect(qualityLink(qr, "DUPLICATE_LIVE", "d1")).toBe(`/supervision/quality?kind=DUPLICATE_LIVE&dept=d1&region=${region}`);
    // a department's own link carries no region: the department is the filter
    expect(params(accessLink(qr, { kind: "USE", userDept: "d2", failed: true }))).toEqual({ kind: "USE", userDept: "d2", ok: "0", from: "2026-01-01", to: "2026-03-31" });
    expect(params(accessLink(q, { kind: "VERIFY", dept: "d1", channel: "QR" }))).toEqual({ kind: "VERIFY", dept: "d1", channel: "QR", from: "2026-01-01", to: "2026-03-31" });
    expect(params(accessLink(q, { kind: "USE", scenario: "DATA" }))).toEqual({ kind: "USE", scenario: "DATA", from: "2026-01-01", to: "2026-03-31" });
    expect(path(sealUseLinks.unapproved(q))).toBe("/supervision/quality");
  });

  it("[V-01] the overdue-objections figure of a department leads to a list that shows that objection", async () => {
    const l = await licenceFor(w);
    const o = await raiseByDept(w.user, l.id);
    await db().objection.update({ where: { id: o.id }, data: { markDueAt: new Date(Date.now() - 3_600_000) } });
    await refreshDashboard({ wait: true });
    const dq = dashboardQuery({});
    const d = await dashboard(w.supervisor, dq);
    const row = d.objections.byDept.find((r) => r.deptId === w.issuing.id);
    expect(row?.overdueNow).toBe(1);
    const link = objectionLinks.overdue(w.issuing.id);
    expect(path(link)).toBe("/objections");
    const list = await listObjections(w.supervisor, objectionFilter.parse(params(link)));
    expect(list.rows.map((r) => r.id)).toEqual([o.id]);
    // the card without a department lists it among the scope's overdue objections
    const all = await listObjections(w.supervisor, objectionFilter.parse({ ...params(cardLinks(dq)["fig-objections-overdue"]), pageSize: "100" }));
    expect(all.rows.map((r) => r.id)).toContain(o.id);
  }, 120_000);
});

describe("the page as the supervisor sees it (V-01)", () => {
  it("[V-01] the overdue card and the department's overdue cell show the number and lead to the filtered objection list; freshness and the invariant are shown", async () => {
    const html = await renderDashboard(w.supervisor);
    const card = fig(html, "fig-objections-overdue");
    expect(card?.href).toBe("/objections?overdue=1");
    expect(Number(card?.text.match(/当前超期(\d+)/)?.[1])).toBeGreaterThanOrEqual(1);
    expect(fig(html, `obj-overdue-${w.issuing.id}`)).toEqual({ href: `/objections?overdue=1&issuer=${w.issuing.id}`, text: "1" });
    expect(fig(html, "fig-unapproved-signatures")?.text).toContain("无完整审批的签章");
    expect(fig(html, "fig-licences-issued")?.href).toBe(cardLinks(dashboardQuery({}))["fig-licences-issued"]);
    expect(html).toMatch(/统计数据更新于 \d{2}:\d{2}（每 5 分钟自动刷新）/);
    expect(html).toContain("综合得分 = ");
    expect(html).toContain('data-testid="ranking-settings"');
  }, 60_000);

  it("[V-01] an empty period shows zeros and 本期无数据; a city supervisor sees no settings link and cannot choose a region outside the city", async () => {
    const empty = await renderDashboard(w.supervisor, { from: "2001-01", to: "2001-03", region: w.issuing.id });
    expect(fig(empty, "fig-licences-issued")?.text).toBe("新发证照0");
    expect(fig(empty, "fig-licences-ontime")?.text).toContain("—");
    expect(empty).toContain("本期无数据");
    expect(empty).toContain("统计期间 2001-01 至 2001-03");
    const cityHtml = await renderDashboard(citySupervisor);
    expect(cityHtml).not.toContain('data-testid="ranking-settings"');
    await expect(renderDashboard(citySupervisor, { region: w.issuing.id })).rejects.toThrow("NEXT_NOT_FOUND");
    await expect(renderDashboard(w.issuer)).rejects.toThrow("NEXT_FORBIDDEN");
  }, 60_000);
});

describe("ranking settings action (V-01)", () => {
  it("[V-01] a provincial supervisor saves weights summing to 100 and the stale period: saved, audited with before and after", async () => {
    const { updateSettingsAction } = await import("@/app/(portal)/supervision/dashboard/actions");
    await signInAs(w.supervisor);
    const before = await db().supervisionSetting.findUnique({ where: { id: 1 } });
    const from = before ? `${before.weightTimeliness}/${before.weightCompleteness}/${before.weightObjections}, ${before.listStaleDays} 天` : "40/30/30, 180 天";
    const r = await updateSettingsAction({ weightTimeliness: "50", weightCompleteness: "25", weightObjections: "25", listStaleDays: "90" });
    expect(r).toEqual({ ok: true, data: { weightTimeliness: 50, weightCompleteness: 25, weightObjections: 25, listStaleDays: 90 } });
    const s = await db().supervisionSetting.findUniqueOrThrow({ where: { id: 1 } });
    expect(s).toMatchObject({ weightTimeliness: 50, weightCompleteness: 25, weightObjections: 25, listStaleDays: 90, updatedById: w.supervisor.userId });
    const audit = await db().auditEvent.findFirst({ where: { action: "supervision.settings", actorId: w.supervisor.userId }, orderBy: { seq: "desc" } });
    expect(audit).toMatchObject({ targetType: "SupervisionSetting", targetId: "1" });
    expect(audit?.detail).toMatchObject({ action: "supervision.settings", from, to: "50/25/25, 90 天" });
    // the dashboard's formula follows
    const d = await dashboard(w.supervisor, dashboardQuery({}));
    expect(d.ranking.formula).toContain("50% × 汇聚及时率");
  });

  it("[V-01] weights not summing to 100 are refused next to the field, in Chinese; nothing is saved", async () => {
    const { updateSettingsAction } = await import("@/app/(portal)/supervision/dashboard/actions");
    await signInAs(w.supervisor);
    const before = await db().supervisionSetting.findUniqueOrThrow({ where: { id: 1 } });
    const n = await db().auditEvent.count({ where: { action: "supervision.settings" } });
    const r = await updateSettingsAction({ weightTimeliness: 40, weightCompleteness: 30, weightObjections: 20, listStaleDays: 180 });
    expect(r).toMatchObject({ ok: false, code: "INVALID_INPUT", fieldErrors: { weightObjections: "三项权重之和须为 100" } });
    const bad = await updateSettingsAction({ weightTimeliness: 40, weightCompleteness: 30, weightObjections: 30, listStaleDays: 3 });
    expect(bad).toMatchObject({ ok: false, fieldErrors: { listStaleDays: "不少于 7 天" } });
    const after = await db().supervisionSetting.findUniqueOrThrow({ where: { id: 1 } });
    expect(after).toEqual(before);
    expect(await db().auditEvent.count({ where: { action: "supervision.settings" } })).toBe(n);
  });

  it("[V-01] a city supervisor (SUBTREE) and an issuer are refused; nothing is saved", async () => {
    const { updateSettingsAction } = await import("@/app/(portal)/supervision/dashboard/actions");
    const before = await db().supervisionSetting.findUniqueOrThrow({ where: { id: 1 } });
    await signInAs(citySupervisor);
    const r = await updateSettingsAction({ weightTimeliness: 34, weightCompleteness: 33, weightObjections: 33, listStaleDays: 30 });
    expect(r).toMatchObject({ ok: false, code: "FORBIDDEN", error: "只有省级监督人员可以修改排名公式和清单更新期限" });
    await signInAs(w.issuer);
    expect(await updateSettingsAction({ weightTimeliness: 34, weightCompleteness: 33, weightObjections: 33, listStaleDays: 30 })).toMatchObject({ ok: false, code: "FORBIDDEN" });
    expect(await db().supervisionSetting.findUniqueOrThrow({ where: { id: 1 } })).toEqual(before);
  });
});

describe("settings page (V-01)", () => {
  it("[V-01] the provincial supervisor gets the form with the current weights; a city supervisor is sent to 403", async () => {
    const Page = (await import("@/app/(portal)/supervision/dashboard/settings/page")).default;
    await signInAs(w.supervisor);
    const s = await db().supervisionSetting.findUniqueOrThrow({ where: { id: 1 } });
    const html = renderToStaticMarkup(await Page());
    expect(html).toContain('data-testid="ranking-settings-form"');
    expect(html).toContain('name="weightTimeliness"');
    expect(html).toContain(`预览：综合得分 = ${s.weightTimeliness}% × 汇聚及时率 + ${s.weightCompleteness}% × 数据完整率`);
    expect(html).toContain("三项权重之和：100（须为 100）");
    expect(html).toContain(`当前公式：综合得分 = ${s.weightTimeliness}% × 汇聚及时率`);
    await signInAs(citySupervisor);
    await expect(Page()).rejects.toThrow("NEXT_FORBIDDEN");
  }, 60_000);
});

describe("refresh action (V-01, A-01)", () => {
  it("[V-01] 刷新统计 rebuilds every summary, writes the audit row with its time and rows, and is limited to once a minute per user", async () => {
    const { refreshDashboardAction } = await import("@/app/(portal)/supervision/dashboard/actions");
    // both calls must fall in one fixed one-minute window of the rate limit
    const sec = new Date().getSeconds();
    if (sec > 40) await new Promise((r) => setTimeout(r, (61 - sec) * 1000));
    const sup = await makeActor(w.province, [{ role: "SUPERVISOR", scope: "PROVINCE" }], "刷新监督员");
    await signInAs(sup);
    const t0 = new Date();
    const r = await refreshDashboardAction({});
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const refreshed = await db().statRefresh.findMany();
    expect(refreshed.map((x) => x.name).sort()).toEqual(["access", "findings", "licences", "objections"]);
    for (const x of refreshed) expect(x.refreshedAt.getTime()).toBeGreaterThanOrEqual(t0.getTime() - 1000);
    expect(new Date(r.data.refreshedAt).getTime()).toBeGreaterThanOrEqual(t0.getTime() - 1000);
    const audit = await db().auditEvent.findMany({ where: { action: "supervision.refresh", actorId: sup.userId } });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ targetType: "StatRefresh", targetId: null, detail: { action: "supervision.refresh", ms: r.data.ms, rows: r.data.rows } });
    expect(r.data.rows).toBeGreaterThan(0);

    const again = await refreshDashboardAction({});
    expect(again).toMatchObject({ ok: false, code: "RATE_LIMITED" });
    if (!again.ok) expect(again.error).toMatch(/^操作过于频繁，请 \d+ 秒后再试$/);
    expect(await db().auditEvent.count({ where: { action: "supervision.refresh", actorId: sup.userId } })).toBe(1);
    expect(await db().auditEvent.count({ where: { action: "ratelimit.exceeded", actorId: sup.userId } })).toBe(1);
  }, 120_000);

  it("[V-01] someone without supervision.read cannot refresh; unexpected input is refused", async () => {
    const { refreshDashboardAction } = await import("@/app/(portal)/supervision/dashboard/actions");
    await signInAs(w.issuer);
    const n = await db().auditEvent.count({ where: { action: "supervision.refresh", actorId: w.issuer.userId } });
    expect(await refreshDashboardAction({})).toMatchObject({ ok: false, code: "FORBIDDEN" });
    expect(await db().auditEvent.count({ where: { action: "supervision.refresh", actorId: w.issuer.userId } })).toBe(n);
    await signInAs(citySupervisor);
    expect(await refreshDashboardAction({ now: "2020-01-01" })).toMatchObject({ ok: false, code: "INVALID_INPUT" });
  });
});
