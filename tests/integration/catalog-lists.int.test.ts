// Issuance and use lists (L-02, L-03, U-01): a catalog administrator keeps a department's lists
// through the page actions; every change leaves a history row with its field difference and an
// audit event, and the list pages show who changed what, when. Viewers see the lists of their
// scope only; the use check allows what a use-list entry covers and refuses and logs the rest.
import { beforeAll, describe, expect, it, vi } from "vitest";
import { encode } from "next-auth/jwt";
import { db } from "@/lib/db";
import type { Actor } from "@/lib/auth/session";
import { canUse } from "@/lib/catalog/lists";
import { entryHistory, listFormOptions, listHistory, listIssuance, listUse, issuanceListFilter, useListFilter } from "@/lib/catalog/list-queries";
import { listFilter } from "@/lib/catalog/schema";
import { createDepartment, createSession } from "@/tests/helpers/factory";
import { createDraftType, createReleasedType, expectAppError, makeActor, makeCatalogWorld, type CatalogWorld } from "@/tests/helpers/catalog";

const jar = { cookie: null as string | null };
vi.mock("next/headers", () => ({
  cookies: () => Promise.resolve({ get: (name: string) => (name === "certseal.session" && jar.cookie ? { name, value: jar.cookie } : undefined) }),
  headers: () => Promise.resolve(new Headers({ host: "localhost:3000", "user-agent": "vitest", origin: "http://localhost:3000", "sec-fetch-site": "same-origin" })),
}));
vi.mock("next/cache", () => ({ revalidatePath: () => {}, revalidateTag: () => {} }));

async function signInAs(a: Actor) {
  const s = await createSession(a.userId);
  jar.cookie = await encode({ token: { sid: s.id, sub: a.userId }, secret: process.env.NEXTAUTH_SECRET! });
}

type Diff = Record<string, { from: unknown; to: unknown }>;
const changesOf = async (entryId: string) =>
  (await db().listChange.findMany({ where: { entryId }, orderBy: { id: "asc" } })).map((c) => ({ action: c.action, actorName: c.actorName, diff: c.diff as Diff }));
const auditOf = async (entryId: string) =>
  (await db().auditEvent.findMany({ where: { targetId: entryId, action: "list.change" }, orderBy: { seq: "asc" } })).map((e) => e.detail as { change: string; fields: string[]; list: string });

let w: CatalogWorld;
let listAdmin: Actor, issuer: Actor, user: Actor, supervisor: Actor;
let bureau: Awaited<ReturnType<typeof createDepartment>>;
let typeA: Awaited<ReturnType<typeof createReleasedType>>, typeB: Awaited<ReturnType<typeof createReleasedType>>;
let actions: typeof import("@/app/(portal)/lists/actions");

beforeAll(async () => {
  w = await makeCatalogWorld();
  // the city's issuing department also has a using bureau below it
  await db().department.update({ where: { id: w.issuing.id }, data: { isUsing: true } });
  bureau = await createDepartment({ parent: w.issuing, level: "COUNTY", parts: { isUsing: true, isIssuing: true } });
  listAdmin = await makeActor(w.issuing, [{ role: "CATALOG_ADMIN", scope: "SUBTREE" }], "清单管理员");
  issuer = await makeActor(w.issuing, [{ role: "ISSUER_OPERATOR", scope: "OWN" }], "发证业务员");
  user = await makeActor(bureau, [{ role: "USING_OPERATOR", scope: "OWN" }], "用证业务员");
  supervisor = await makeActor(w.province, [{ role: "SUPERVISOR", scope: "PROVINCE" }], "监督员");
  typeA = await createReleasedType(w);
  typeB = await createReleasedType(w, { matters: [{ name: "食品经营许可", code: "SC-SP-0101" }, { name: "食品经营许可变更", code: "SC-SP-0102" }] });
  actions = await import("@/app/(portal)/lists/actions");
});

describe("issuance list history", () => {
  it("records create, update and disable with who, what (field by field) and the audit events", async () => {
    await signInAs(listAdmin);
    const created = await actions.saveIssuanceEntryAction({
      id: null,
      rev: 0,
      deptId: w.issuing.id,
      typeId: typeA.id,
      legalBasis: "《四川省测试经营管理条例》第十二条",
      matters: [{ name: "测试经营许可核发", code: "SC-CS-0001" }],
      holderCategory: "LEGAL_PERSON",
      aggregation: "ONLINE",
      publicity: true,
      validFrom: "2026-01-01",
      validTo: "",
    });
    expect(created.ok).toBe(true);
    const id = (created as { ok: true; data: { id: string } }).data.id;

    // the same matters (jsonb hands them back with its own key order) and a new aggregation mode
    const updated = await actions.saveIssuanceEntryAction({
      id,
      rev: 0,
      deptId: w.issuing.id,
      typeId: typeA.id,
      legalBasis: "《四川省测试经营管理条例》第十二条",
      matters: [{ name: "测试经营许可核发", code: "SC-CS-0001" }],
      holderCategory: "LEGAL_PERSON",
      aggregation: "BULK",
      publicity: true,
      validFrom: "2026-01-01",
      validTo: "2030-12-31",
    });
    expect(updated).toEqual({ ok: true, data: { id } });
    expect(await actions.setEntryStatusAction({ list: "ISSUANCE", ids: [id], status: "DISABLED" })).toEqual({ ok: true, data: { changed: 1 } });

    const changes = await changesOf(id);
    expect(changes.map((c) => c.action)).toEqual(["create", "update", "disable"]);
    expect(changes.every((c) => c.actorName === `${listAdmin.name}(${listAdmin.username})`)).toBe(true);
    expect(changes[0].diff).toMatchObject({ aggregation: { from: null, to: "ONLINE" }, validFrom: { from: null, to: "2026-01-01" } });
    expect(changes[1].diff).toMatchObject({ aggregation: { from: "ONLINE", to: "BULK" }, validTo: { from: null, to: "2030-12-31" } });
    expect(changes[2].diff).toEqual({ status: { from: "ACTIVE", to: "DISABLED" } });
    expect((await auditOf(id)).map((a) => [a.change, a.list])).toEqual([
      ["create", "ISSUANCE"],
      ["update", "ISSUANCE"],
      ["disable", "ISSUANCE"],
    ]);

    // the page's history: newest first, labels and 原值 → 新值 in Chinese
    const h = await entryHistory(listAdmin, "ISSUANCE", id);
    expect(h.rows.map((r) => r.actionLabel)).toEqual(["停用", "修改", "新增"]);
    expect(h.rows[0].changes).toEqual([{ field: "status", label: "状态", from: "启用", to: "停用" }]);
    expect(h.rows[1].changes).toEqual(expect.arrayContaining([{ field: "aggregation", label: "汇聚方式", from: "实时", to: "批量" }, { field: "validTo", label: "失效日期", from: "（空）", to: "2030-12-31" }]));
    const recent = await listHistory(listAdmin, "ISSUANCE", listFilter.parse({ dept: w.issuing.id }));
    expect(recent.rows.filter((r) => r.entryId === id).map((r) => r.action)).toEqual(["disable", "update", "create"]);
    expect(recent.rows.find((r) => r.entryId === id)).toMatchObject({ deptName: w.issuing.name, typeCode: typeA.typeCode });

    // re-enabled: one more row, and the entry is back on the list
    expect(await actions.setEntryStatusAction({ list: "ISSUANCE", ids: [id], status: "ACTIVE" })).toEqual({ ok: true, data: { changed: 1 } });
    expect((await changesOf(id)).map((c) => c.action)).toEqual(["create", "update", "disable", "enable"]);
  });

  it("shows the list and its history only within the viewer's scope", async () => {
    const mine = await listIssuance(issuer, issuanceListFilter.parse({}));
    expect(mine.rows.length).toBeGreaterThan(0);
    expect(mine.rows.every((r) => r.deptId === w.issuing.id && !r.canManage)).toBe(true);
    const entry = mine.rows[0];
    // another city's catalog administrator: not found; a using operator: not an issuance-list viewer
    await expectAppError(entryHistory(w.otherAdmin, "ISSUANCE", entry.id), "NOT_FOUND");
    await expectAppError(listIssuance(user, issuanceListFilter.parse({})), "FORBIDDEN");
    expect((await listIssuance(w.otherAdmin, issuanceListFilter.parse({}))).rows.some((r) => r.id === entry.id)).toBe(false);
    expect((await listHistory(w.otherAdmin, "ISSUANCE", listFilter.parse({}))).rows.some((r) => r.entryId === entry.id)).toBe(false);
    // a province-wide supervisor sees it, and the department filter narrows to the subtree
    const all = await listIssuance(supervisor, issuanceListFilter.parse({ dept: w.issuing.id, sort: "type", dir: "asc" }));
    expect(all.rows.map((r) => r.id)).toContain(entry.id);
    expect(all.rows.every((r) => r.canManage === false)).toBe(true);
    expect((await listIssuance(listAdmin, issuanceListFilter.parse({ q: typeA.typeCode }))).rows.map((r) => r.id)).toEqual([entry.id]);
  });

  it("refuses another city's department, an unreleased type and a duplicate, writing nothing", async () => {
    await signInAs(listAdmin);
    const base = { id: null, rev: 0, typeId: typeB.id, legalBasis: "依据", matters: [], holderCategory: "LEGAL_PERSON", aggregation: "ONLINE", publicity: false, validFrom: "2026-01-01", validTo: "" };
    expect(await actions.saveIssuanceEntryAction({ ...base, deptId: w.otherIssuing.id })).toMatchObject({ ok: false, code: "NOT_FOUND" });
    const draft = await createDraftType(w);
    expect(await actions.saveIssuanceEntryAction({ ...base, deptId: w.issuing.id, typeId: draft.id })).toMatchObject({ ok: false, code: "INVALID_INPUT", fieldErrors: { typeId: "该证照类型未发布或已停用" } });
    expect(await actions.saveIssuanceEntryAction({ ...base, deptId: w.issuing.id, typeId: typeA.id })).toMatchObject({ ok: false, fieldErrors: { typeId: "发证清单中已有此证照类型" } });
    expect(await db().issuanceListEntry.count({ where: { deptId: w.otherIssuing.id } })).toBe(0);
    expect(await db().issuanceListEntry.count({ where: { typeId: draft.id } })).toBe(0);
  });

  it("offers the departments the administrator manages and the released types with what to prefill", async () => {
    const o = await listFormOptions(listAdmin, "ISSUANCE");
    expect(o.depts.map((d) => d.id).sort()).toEqual([w.issuing.id, bureau.id].sort());
    const a = o.types.find((t) => t.id === typeB.id)!;
    expect(a).toMatchObject({ typeCode: typeB.typeCode, legalBasis: typeB.content.legalBasis, matters: typeB.content.matters, issuingDeptIds: [w.issuing.id] });
    expect((await listFormOptions(issuer, "ISSUANCE")).depts).toEqual([]);
  });
});

describe("use list and the use check", () => {
  let entryId: string;

  it("keeps a use-list entry with its history", async () => {
    await signInAs(listAdmin);
    const r = await actions.saveUseEntryAction({ id: null, rev: 0, deptId: bureau.id, typeId: typeB.id, matterCode: "SC-SP-0101", matterName: "食品经营许可", scenarios: ["VIEW", "VERIFY"], basis: "FUNCTION", validFrom: "2026-01-01", validTo: "" });
    expect(r.ok).toBe(true);
    entryId = (r as { ok: true; data: { id: string } }).data.id;
    const upd = await actions.saveUseEntryAction({ id: entryId, rev: 0, deptId: bureau.id, typeId: typeB.id, matterCode: "SC-SP-0101", matterName: "食品经营许可", scenarios: ["VIEW", "VERIFY", "DATA"], basis: "FUNCTION", validFrom: "2026-01-01", validTo: "" });
    expect(upd.ok).toBe(true);
    const changes = await changesOf(entryId);
    expect(changes.map((c) => c.action)).toEqual(["create", "update"]);
    expect(changes[1].diff).toEqual({ scenarios: { from: ["VIEW", "VERIFY"], to: ["VIEW", "VERIFY", "DATA"] } });
    const h = await entryHistory(user, "USE", entryId);
    expect(h.rows[0].changes).toEqual([{ field: "scenarios", label: "使用场景", from: "视读、核验", to: "视读、核验、信息获取" }]);
    // the using operator sees the own department's use list, not the issuing department's
    const list = await listUse(user, useListFilter.parse({ scenario: "DATA" }));
    expect(list.rows.map((x) => x.id)).toEqual([entryId]);
    await expectAppError(entryHistory(issuer, "USE", entryId), "FORBIDDEN");
  });

  it("allows a use the entry covers and refuses, and logs, one outside it", async () => {
    const at = new Date("2026-06-01T02:00:00Z");
    expect(await canUse(bureau.id, typeB.id, "SC-SP-0101", "VERIFY", { at })).toMatchObject({ allowed: true, entryId });
    const before = await db().auditEvent.count({ where: { action: "use.refused" } });
    const refused = await canUse(bureau.id, typeB.id, "SC-SP-0101", "ANNOTATED_COPY", { at });
    expect(refused).toMatchObject({ allowed: false, reason: "用证清单未允许「加注件下载」场景" });
    expect(await canUse(bureau.id, typeB.id, "SC-SP-0102", "VIEW", { at })).toMatchObject({ allowed: false, reason: "该事项不在用证清单中" });
    expect(await canUse(bureau.id, typeA.id, null, "VIEW", { at })).toMatchObject({ allowed: false, reason: "用证清单中没有该证照类型" });
    const logged = await db().auditEvent.findMany({ where: { action: "use.refused" }, orderBy: { seq: "desc" }, take: 3 });
    expect(await db().auditEvent.count({ where: { action: "use.refused" } })).toBe(before + 3);
    expect(logged.map((e) => (e.detail as { reason: string; deptId: string }).reason)).toEqual(["用证清单中没有该证照类型", "该事项不在用证清单中", "用证清单未允许「加注件下载」场景"]);
    expect(logged.every((e) => (e.detail as { deptId: string }).deptId === bureau.id)).toBe(true);

    // disabled: the use is refused from then on
    await signInAs(listAdmin);
    expect(await actions.setEntryStatusAction({ list: "USE", ids: [entryId], status: "DISABLED" })).toEqual({ ok: true, data: { changed: 1 } });
    expect(await canUse(bureau.id, typeB.id, "SC-SP-0101", "VERIFY", { at })).toMatchObject({ allowed: false, reason: "用证清单条目已停用" });
  });

  it("refuses a batch status change that reaches another city's entry, changing nothing", async () => {
    const other = await makeActor(w.otherIssuing, [{ role: "CATALOG_ADMIN", scope: "OWN" }], "外市管理员");
    await signInAs(other);
    expect(await actions.setEntryStatusAction({ list: "USE", ids: [entryId], status: "ACTIVE" })).toMatchObject({ ok: false, code: "NOT_FOUND" });
    expect((await db().useListEntry.findUniqueOrThrow({ where: { id: entryId } })).status).toBe("DISABLED");
  });
});
