// XLSX export and import of licence types and of both lists (L-01 … L-03): a catalog administrator
// exports through the routes, re-imports the file unchanged (nothing changes: no version, no
// history row), changes one cell (exactly that changes), uploads a bad file (the dry run names
// row, column and reason and writes nothing), and confirms a dry run whose last row has become
// invalid since (nothing is imported). Only the author confirms, within an hour, once.
import ExcelJS from "exceljs";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { encode } from "next-auth/jwt";
import { db } from "@/lib/db";
import type { Actor } from "@/lib/auth/session";
import { batch, saveDraft } from "@/lib/catalog/service";
import { saveIssuanceEntry, saveUseEntry, setEntryStatus } from "@/lib/catalog/lists";
import { commitImport, dryRunImport, exportWorkbook, importView, readWorkbook, type ImportKind, type Rec } from "@/lib/catalog/xlsx";
import { createDepartment, createSession } from "@/tests/helpers/factory";
import { createDraftType, createReleasedType, expectAppError, insertSeal, makeActor, makeCatalogWorld, newTypeCode, versionOf, versionsOf, type CatalogWorld } from "@/tests/helpers/catalog";
import { GET as typesExport } from "@/app/api/catalog/export/route";
import { GET as listExport } from "@/app/api/lists/[list]/export/route";

const jar = { cookie: null as string | null };
vi.mock("next/headers", () => ({
  cookies: () => Promise.resolve({ get: (name: string) => (name === "certseal.session" && jar.cookie ? { name, value: jar.cookie } : undefined) }),
  headers: () => Promise.resolve(new Headers({ host: "localhost:3000", "user-agent": "vitest", origin: "http://localhost:3000", "sec-fetch-site": "same-origin" })),
}));
vi.mock("next/cache", () => ({ revalidatePath: () => {}, revalidateTag: () => {} }));

async function signInAs(a: Actor) {
  const s = await createSession(a.userId);
  jar.cookie = await encode({ token: { sid: s.id, sub: a.userId }, secret: process.env.NEXTAUTH_SECRET! });
  // each test exports several times: start every sign-in with a fresh export allowance
  await db().rateLimit.deleteMany({ where: { key: `export:${a.userId}` } });
}

type Res = Response;
async function download(res: Res): Promise<Uint8Array> {
  expect(res.status, await res.clone().text().catch(() => "")).toBe(200);
  expect(res.headers.get("content-type")).toBe("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
  return new Uint8Array(await res.arrayBuffer());
}
const exportTypes = async (qs: string) => download(await typesExport(new Request(`http://localhost:3000/api/catalog/export${qs}`)));
const exportList = async (list: "issuance" | "use", qs: string) => download(await listExport(new Request(`http://localhost:3000/api/lists/${list}/export${qs}`), { params: Promise.resolve({ list }) }));

/** Changes one cell of the rows matching `where` (column codes → values); columns are found by their header code. */
async function editCell(bytes: Uint8Array, sheet: string, where: Record<string, string>, code: string, value: string): Promise<Uint8Array> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(Buffer.from(bytes) as unknown as Parameters<typeof wb.xlsx.load>[0]);
  const ws = wb.getWorksheet(sheet)!;
  const col = (c: string) => {
    let found = 0;
    ws.getRow(1).eachCell((cell, i) => {
      if (typeof cell.value === "string" && cell.value.endsWith(`(${c})`)) found = i;
    });
    expect(found, `column ${c}`).toBeGreaterThan(0);
    return found;
  };
  const target = col(code);
  let hits = 0;
  ws.eachRow((row, n) => {
    if (n > 1 && Object.entries(where).every(([k, v]) => row.getCell(col(k)).value === v)) {
      row.getCell(target).value = value;
      hits++;
    }
  });
  expect(hits, `rows matching ${JSON.stringify(where)}`).toBe(1);
  return new Uint8Array(await wb.xlsx.writeBuffer());
}

async function rowsOf(kind: ImportKind, bytes: Uint8Array) {
  const r = await readWorkbook(kind, bytes);
  expect(r.report).toEqual([]);
  return r.sheets;
}

const dryRun = (a: Actor, kind: ImportKind, data: Uint8Array, name = "导入.xlsx") => dryRunImport(a, kind, { name, data });

let w: CatalogWorld;
let admin: Actor;
let bureau: Awaited<ReturnType<typeof createDepartment>>;
let typeA: Awaited<ReturnType<typeof createReleasedType>>; // released, with a seal
let typeB: Awaited<ReturnType<typeof createDraftType>>; // draft
let typeC: Awaited<ReturnType<typeof createReleasedType>>; // released v1, draft v2
let t1: Awaited<ReturnType<typeof createReleasedType>>, t2: Awaited<ReturnType<typeof createReleasedType>>, t3: Awaited<ReturnType<typeof createReleasedType>>;
let ourTypes: string[];

/** Everything the imports could touch, to compare before and after. */
async function snapshot() {
  const depts = [w.issuing.id, bureau.id];
  return {
    types: await db().licenceType.findMany({ where: { id: { in: ourTypes } }, orderBy: { id: "asc" } }),
    versions: await db().licenceTypeVersion.findMany({ where: { typeId: { in: ourTypes } }, orderBy: { id: "asc" } }),
    catalogChanges: await db().catalogChange.count({ where: { typeId: { in: ourTypes } } }),
    issuance: await db().issuanceListEntry.findMany({ where: { deptId: { in: depts } }, orderBy: { id: "asc" } }),
    use: await db().useListEntry.findMany({ where: { deptId: { in: depts } }, orderBy: { id: "asc" } }),
    listChanges: await db().listChange.count({ where: { deptId: { in: depts } } }),
  };
}

beforeAll(async () => {
  w = await makeCatalogWorld();
  bureau = await createDepartment({ parent: w.issuing, level: "COUNTY", parts: { isUsing: true, isIssuing: true }, name: `锦江区测试局-${Date.now()}` });
  admin = await makeActor(w.issuing, [{ role: "CATALOG_ADMIN", scope: "SUBTREE" }], "导入管理员");
  const seal = await insertSeal(w.issuing.id, admin.userId);
  typeA = await createReleasedType(w, { sealIds: [seal.id], matters: [{ name: "测试经营许可核发", code: "SC-CS-0001" }, { name: "变更|注销；备案", code: "SC-CS-0002" }] });
  typeB = await createDraftType(w);
  typeC = await createReleasedType(w);
  const c1 = await versionOf(typeC.id, 1);
  await saveDraft(w.admin, { typeId: typeC.id, rev: c1.rev, content: { ...typeC.content, name: `${typeC.content.name}（修订）` } });
  // the county bureau issues these too, so it may put them on its issuance list (L-02)
  const both = { issuingDeptIds: [w.issuing.id, bureau.id] };
  [t1, t2, t3] = [await createReleasedType(w, both), await createReleasedType(w, both), await createReleasedType(w, both)];
  ourTypes = [typeA.id, typeB.id, typeC.id, t1.id, t2.id, t3.id];

  await saveIssuanceEntry(admin, { id: null, rev: 0, deptId: w.issuing.id, typeId: typeA.id, legalBasis: "《四川省测试经营管理条例》第十二条", matters: typeA.content.matters, holderCategory: "LEGAL_PERSON", aggregation: "ONLINE", publicity: true, validFrom: "2026-01-01", validTo: "" });
  await saveIssuanceEntry(admin, { id: null, rev: 0, deptId: w.issuing.id, typeId: t1.id, legalBasis: "依据一", matters: [], holderCategory: "NATURAL_PERSON", aggregation: "OFFLINE", publicity: false, validFrom: "2026-02-01", validTo: "2028-01-31" });
  await saveUseEntry(admin, { id: null, rev: 0, deptId: bureau.id, typeId: typeA.id, matterCode: "SC-CS-0001", matterName: "测试经营许可核发", scenarios: ["VIEW", "VERIFY"], basis: "FUNCTION", validFrom: "2026-01-01", validTo: "" });
  const all = await saveUseEntry(admin, { id: null, rev: 0, deptId: bureau.id, typeId: t1.id, matterCode: "", matterName: "", scenarios: ["DATA"], basis: "HOLDER_AUTH", validFrom: "2026-01-01", validTo: "2026-12-31" });
  await setEntryStatus(admin, { list: "USE", ids: [all.id], status: "DISABLED" });
});

describe("licence types", () => {
  it("export → re-import unchanged changes nothing (no version, no history row)", async () => {
    await signInAs(admin);
    const bytes = await exportTypes("");
    const [types, faces] = await rowsOf("TYPES", bytes);
    expect(types.map((r) => r.cells.typeCode).sort()).toEqual([typeA, typeB, typeC, t1, t2, t3].map((t) => t.typeCode).sort());
    const a = types.find((r) => r.cells.typeCode === typeA.typeCode)!.cells;
    expect(a).toMatchObject({ ownerDept: w.issuing.uscc, issuingDepts: w.issuing.uscc, validity: "5年", category: "证件", holderCategories: "法人；自然人", publicity: "是", state: "已发布" });
    expect(a.seals).toMatch(/^5101009\d{7}$/);
    expect(a.matters).toBe("测试经营许可核发|SC-CS-0001；变更\\|注销\\；备案|SC-CS-0002");
    expect(faces.filter((r) => r.cells.typeCode === typeA.typeCode).map((r) => r.cells.key)).toEqual(typeA.content.faceFields.map((f) => f.key));
    expect(types.find((r) => r.cells.typeCode === typeC.typeCode)!.cells).toMatchObject({ name: `${typeC.content.name}（修订）`, version: "第 2 版", state: "草稿" });

    const before = await snapshot();
    const dry = await dryRun(admin, "TYPES", bytes);
    expect(dry.summary).toEqual({ total: 6, create: 0, update: 0, unchanged: 6, errorRows: 0, errors: 0 });
    expect(await commitImport(admin, dry.importId)).toEqual({ created: 0, updated: 0, unchanged: 6 });
    expect(await snapshot()).toEqual(before);
    expect((await db().catalogImport.findUniqueOrThrow({ where: { id: dry.importId } })).status).toBe("COMMITTED");
    const audit = await db().auditEvent.findFirstOrThrow({ where: { action: "catalog.import", targetId: dry.importId } });
    expect(audit.detail).toMatchObject({ kind: "TYPES", rows: 0 });
    expect(await db().auditEvent.count({ where: { action: "catalog.export", actorId: admin.userId } })).toBeGreaterThan(0);
  });

  it("export → one cell changed → exactly that changes", async () => {
    await signInAs(admin);
    let bytes = await exportTypes(`?ids=${[typeA.id, typeB.id, typeC.id].join(",")}`);
    bytes = await editCell(bytes, "证照类型", { typeCode: typeA.typeCode }, "name", "测试经营许可证（新版）");
    const faceLabel = typeB.content.faceFields[0].label;
    bytes = await editCell(bytes, "照面字段", { typeCode: typeB.typeCode, order: "1" }, "label", `${faceLabel}（全称）`);
    const changesBefore = await db().catalogChange.findMany({ where: { typeId: { in: ourTypes } }, select: { id: true } });
    const cBefore = await versionsOf(typeC.id);

    const dry2 = await dryRun(admin, "TYPES", bytes);
    expect(dry2.summary).toEqual({ total: 3, create: 0, update: 2, unchanged: 1, errorRows: 0, errors: 0 });
    expect(await commitImport(admin, dry2.importId)).toEqual({ created: 0, updated: 2, unchanged: 1 });

    // A: released v1 untouched, a new draft v2 with only the name changed
    const aVersions = await versionsOf(typeA.id);
    expect(aVersions.map((v) => [v.number, v.status, v.name])).toEqual([
      [1, "RELEASED", typeA.content.name],
      [2, "DRAFT", "测试经营许可证（新版）"],
    ]);
    // B: its draft edited in place, only the face field's label
    const b = await versionsOf(typeB.id);
    expect(b).toHaveLength(1);
    expect((b[0].faceFields as { label: string }[])[0].label).toBe(`${faceLabel}（全称）`);
    // C: nothing
    expect(await versionsOf(typeC.id)).toEqual(cBefore);
    const added = await db().catalogChange.findMany({ where: { typeId: { in: ourTypes }, id: { notIn: changesBefore.map((c) => c.id) } }, orderBy: { id: "asc" } });
    // rows are applied in the file's order (by type code): compare as a set
    const byType = (x: unknown[], y: unknown[]) => String(x[0]).localeCompare(String(y[0]));
    expect(added.map((c) => [c.typeId, c.action, Object.keys(c.diff as object)]).sort(byType)).toEqual(
      [
        [typeA.id, "new_version", ["name"]],
        [typeB.id, "edit", ["faceFields"]],
      ].sort(byType),
    );
    const imported = await db().auditEvent.findFirstOrThrow({ where: { action: "catalog.import", targetId: dry2.importId } });
    expect(imported.detail).toMatchObject({ kind: "TYPES", rows: 2 });
    const events = await db().auditEvent.findMany({ where: { action: "catalog.change", targetId: { in: [typeA.id, typeB.id] }, seq: { lt: imported.seq } }, orderBy: { seq: "desc" }, take: 2 });
    expect(events.map((e) => [e.targetId, (e.detail as { change: string }).change]).sort(byType)).toEqual(
      [
        [typeA.id, "new_version"],
        [typeB.id, "edit"],
      ].sort(byType),
    );
  });

  it("a dry run names row, column and reason for every problem and writes nothing", async () => {
    await signInAs(admin);
    const [[base], faces] = await rowsOf("TYPES", await exportTypes(`?ids=${t1.id}`));
    const make = (over: Partial<Rec>) => {
      const { typeCode, authorityCode } = newTypeCode();
      return { ...base.cells, typeCode, definingAuthorityCode: authorityCode, name: `导入新类型-${typeCode.slice(-3)}`, ...over };
    };
    const good = make({});
    const badCategory = make({ category: "证书" });
    const otherCity = make({ ownerDept: w.otherIssuing.uscc });
    const badFace = make({});
    const rows = [good, badCategory, otherCity, { ...good, name: "重复行" }, badFace];
    const faceRows: Rec[] = [good, badCategory, otherCity, badFace].flatMap((t) => faces.map((f) => ({ ...f.cells, typeCode: t.typeCode })));
    const keyRow = faceRows.findIndex((f) => f.typeCode === badFace.typeCode);
    faceRows[keyRow] = { ...faceRows[keyRow], key: "HolderName" };
    const bytes = await exportWorkbook("TYPES", { main: rows, faces: faceRows });

    const before = await db().licenceType.count();
    const dry = await dryRun(admin, "TYPES", bytes);
    const view = await importView(admin, dry.importId);
    const items = view.report.map((r) => [r.sheet, r.row, r.column, r.message]);
    expect(items).toEqual(
      expect.arrayContaining([
        ["证照类型", 3, "证照类别", "「证书」不是有效的证照类别（可填：证件、执照、批文、证明、鉴定报告、其他）"],
        ["证照类型", 4, "提出部门代码", "部门不存在或不在您的管辖范围内"],
        ["证照类型", 5, "证照类型代码", "与第 2 行的证照类型代码重复"],
        ["证照类型", 6, "", "照面字段有错误，见「照面字段」工作表"],
        ["照面字段", keyRow + 2, "字段键", expect.stringContaining("字段键须以小写字母开头")],
      ]),
    );
    expect(view.report.some((r) => r.sheet === "证照类型" && r.row === 2)).toBe(false);
    expect(view.summary).toMatchObject({ total: 5, create: 1, errorRows: 5 });
    expect(view.plan).toEqual([{ row: 2, op: "create", label: `${good.typeCode} ${good.name}` }]);
    expect(await db().licenceType.count()).toBe(before);
    await expectAppError(commitImport(admin, dry.importId), "CONFLICT", "预检发现错误");
    expect(await db().licenceType.count()).toBe(before);

    // the good row alone: a new type, v1 draft, with its face fields, as createType makes it
    const ok = await dryRun(admin, "TYPES", await exportWorkbook("TYPES", { main: [good], faces: faceRows.filter((f) => f.typeCode === good.typeCode) }));
    expect(ok.summary).toMatchObject({ create: 1, errors: 0 });
    expect(await commitImport(admin, ok.importId)).toEqual({ created: 1, updated: 0, unchanged: 0 });
    const made = await db().licenceType.findUniqueOrThrow({ where: { typeCode: good.typeCode } });
    const v1 = await versionOf(made.id, 1);
    expect([made.ownerDeptId, made.latestVersion, made.releasedVersion, v1.status, v1.name]).toEqual([w.issuing.id, 1, null, "DRAFT", good.name]);
    expect(v1.faceFields).toEqual(t1.content.faceFields);
    expect((await db().catalogChange.findMany({ where: { typeId: made.id } })).map((c) => c.action)).toEqual(["create"]);
  });
});

describe("issuance and use lists", () => {
  it("export → re-import of both lists changes nothing", async () => {
    await signInAs(admin);
    const before = await snapshot();
    for (const [list, kind] of [
      ["issuance", "ISSUANCE"],
      ["use", "USE"],
    ] as const) {
      const bytes = await exportList(list, `?dept=${w.issuing.id}`);
      const [rows] = await rowsOf(kind, bytes);
      expect(rows).toHaveLength(2);
      const dry = await dryRun(admin, kind, bytes);
      expect(dry.summary).toEqual({ total: 2, create: 0, update: 0, unchanged: 2, errorRows: 0, errors: 0 });
      expect(await commitImport(admin, dry.importId)).toEqual({ created: 0, updated: 0, unchanged: 2 });
    }
    expect(await snapshot()).toEqual(before);
    const [useRows] = await rowsOf("USE", await exportList("use", `?dept=${bureau.id}`));
    expect(useRows.map((r) => [r.cells.matterCode, r.cells.scenarios, r.cells.basis, r.cells.status]).sort()).toEqual(
      [
        ["", "信息获取", "持证人授权", "停用"],
        ["SC-CS-0001", "视读；核验", "依职能", "启用"],
      ].sort(),
    );
  });

  it("export → one cell changed → exactly that changes", async () => {
    await signInAs(admin);
    const issuanceBefore = await db().issuanceListEntry.findUniqueOrThrow({ where: { deptId_typeId: { deptId: w.issuing.id, typeId: typeA.id } } });
    const useEntry = await db().useListEntry.findFirstOrThrow({ where: { deptId: bureau.id, typeId: typeA.id } });
    const changesBefore = await db().listChange.findMany({ where: { deptId: { in: [w.issuing.id, bureau.id] } }, select: { id: true } });

    const iss = await editCell(await exportList("issuance", `?dept=${w.issuing.id}`), "发证清单", { typeCode: typeA.typeCode }, "aggregation", "批量");
    const d1 = await dryRun(admin, "ISSUANCE", iss);
    expect(d1.summary).toEqual({ total: 2, create: 0, update: 1, unchanged: 1, errorRows: 0, errors: 0 });
    expect(await commitImport(admin, d1.importId)).toEqual({ created: 0, updated: 1, unchanged: 1 });

    const use = await editCell(await exportList("use", `?dept=${bureau.id}`), "用证清单", { id: useEntry.id }, "status", "停用");
    const d2 = await dryRun(admin, "USE", use);
    expect(d2.summary).toMatchObject({ update: 1, unchanged: 1, errors: 0 });
    expect(await commitImport(admin, d2.importId)).toEqual({ created: 0, updated: 1, unchanged: 1 });

    const issuanceAfter = await db().issuanceListEntry.findUniqueOrThrow({ where: { id: issuanceBefore.id } });
    expect({ ...issuanceAfter, updatedAt: null, rev: null, aggregation: null }).toEqual({ ...issuanceBefore, updatedAt: null, rev: null, aggregation: null });
    expect(issuanceAfter.aggregation).toBe("BULK");
    expect((await db().useListEntry.findUniqueOrThrow({ where: { id: useEntry.id } })).status).toBe("DISABLED");
    const added = await db().listChange.findMany({ where: { deptId: { in: [w.issuing.id, bureau.id] }, id: { notIn: changesBefore.map((c) => c.id) } }, orderBy: { id: "asc" } });
    expect(added.map((c) => [c.entryId, c.action, c.diff])).toEqual([
      [issuanceBefore.id, "update", { aggregation: { from: "ONLINE", to: "BULK" } }],
      [useEntry.id, "disable", { status: { from: "ACTIVE", to: "DISABLED" } }],
    ]);
    expect(await db().auditEvent.count({ where: { action: "list.change", targetId: { in: [issuanceBefore.id, useEntry.id] } } })).toBeGreaterThanOrEqual(3);
  });

  it("a dry run names row, column and reason for every problem and writes nothing", async () => {
    const draft = await createDraftType(w);
    const row = (over: Partial<Rec>): Rec => ({
      dept: bureau.uscc,
      typeCode: t2.typeCode,
      legalBasis: "《测试条例》第三条",
      matters: "测试事项|SC-CS-0009",
      holderCategory: "法人",
      aggregation: "实时",
      publicity: "否",
      validFrom: "2026-03-01",
      validTo: "",
      status: "启用",
      id: "",
      ...over,
    });
    const bytes = await exportWorkbook("ISSUANCE", {
      main: [
        row({}),
        row({ typeCode: draft.typeCode }),
        row({ typeCode: t3.typeCode, validTo: "2026-01-01" }),
        row({ dept: w.otherIssuing.uscc }),
        row({ typeCode: t3.typeCode, aggregation: "实时同步", matters: "只有名称", validTo: "2026-01-01" }),
        row({}),
      ],
    });
    const before = await snapshot();
    const dry = await dryRun(admin, "ISSUANCE", bytes);
    const view = await importView(admin, dry.importId);
    expect(view.report.map((r) => [r.row, r.column, r.message])).toEqual([
      [3, "证照类型代码", "只有已发布的证照类型可以列入清单"],
      [4, "失效日期", "结束日期不能早于开始日期"],
      [5, "发证部门代码", "部门不存在或不在您的管辖范围内"],
      [6, "关联事项", "「只有名称」应写作「事项名称|事项编码」"],
      [6, "汇聚方式", "「实时同步」不是有效的汇聚方式（可填：实时、离线、批量）"],
      [6, "失效日期", "结束日期不能早于开始日期"],
      [7, "证照类型代码", "与第 2 行重复（同一部门、证照类型）"],
    ]);
    expect(view.summary).toMatchObject({ total: 6, create: 1, errorRows: 5, errors: 7 });
    expect(await snapshot()).toEqual(before);
  });

  it("confirms all or nothing: a row that became invalid after the dry run stops the whole import", async () => {
    const rows = [t1, t2, t3].map(
      (t): Rec => ({ dept: bureau.uscc, typeCode: t.typeCode, legalBasis: "《测试条例》第三条", matters: "", holderCategory: "法人", aggregation: "离线", publicity: "否", validFrom: "2026-03-01", validTo: "", status: "启用", id: "" }),
    );
    const dry = await dryRun(admin, "ISSUANCE", await exportWorkbook("ISSUANCE", { main: rows }));
    expect(dry.summary).toMatchObject({ create: 3, errors: 0 });
    // between the dry run and the confirmation the management department retires the last row's type
    expect(await batch(w.reviewer, [t3.id], "retire", "测试停用")).toEqual({ done: [t3.id], failed: [] });
    const before = await snapshot();
    await expectAppError(commitImport(admin, dry.importId), "INVALID_INPUT", "第 4 行：只有已发布的证照类型可以列入清单（本次导入未写入任何数据）");
    expect(await snapshot()).toEqual(before);
    expect(await db().issuanceListEntry.count({ where: { deptId: bureau.id } })).toBe(0);
    expect((await db().catalogImport.findUniqueOrThrow({ where: { id: dry.importId } })).status).toBe("DRY_RUN");
    expect(await db().auditEvent.count({ where: { action: "catalog.import", targetId: dry.importId } })).toBe(0);
  });
});

describe("confirming and the routes", () => {
  it("lets only the author confirm, within an hour, once", async () => {
    const rows: Rec[] = [{ dept: bureau.uscc, typeCode: t2.typeCode, matterCode: "", matterName: "", scenarios: "视读", basis: "依职能", validFrom: "2026-03-01", validTo: "", status: "启用", id: "" }];
    const dry = await dryRun(admin, "USE", await exportWorkbook("USE", { main: rows }));
    await expectAppError(commitImport(w.reviewer, dry.importId), "NOT_FOUND");
    await expectAppError(importView(w.reviewer, dry.importId), "NOT_FOUND");
    await expectAppError(commitImport(admin, dry.importId, new Date(Date.now() + 61 * 60_000)), "CONFLICT", "超过 1 小时");
    expect(await commitImport(admin, dry.importId)).toEqual({ created: 1, updated: 0, unchanged: 0 });
    await expectAppError(commitImport(admin, dry.importId), "CONFLICT", "不能重复导入");
    expect(await db().useListEntry.count({ where: { deptId: bureau.id, typeId: t2.id } })).toBe(1);
  });

  it("the upload action accepts an XLSX only, and the confirm action applies the dry run", async () => {
    const { dryRunImportAction, confirmImportAction } = await import("@/app/(portal)/catalog/import/actions");
    await signInAs(admin);
    const fd = (name: string, data: Uint8Array, kind = "USE") => {
      const f = new FormData();
      f.set("kind", kind);
      f.set("file", new File([Buffer.from(data)], name));
      return f;
    };
    const pdf = await dryRunImportAction(fd("清单.xlsx", new Uint8Array(Buffer.from("%PDF-1.7 not a workbook"))));
    expect(pdf).toMatchObject({ ok: false, code: "INVALID_INPUT", fieldErrors: { file: "文件内容不是 XLSX 工作簿（请另存为 .xlsx）" } });
    expect(await dryRunImportAction(fd("x.xlsx", new Uint8Array(0)))).toMatchObject({ ok: false, fieldErrors: { file: "请选择要导入的 XLSX 文件" } });
    const rows: Rec[] = [{ dept: bureau.uscc, typeCode: t1.typeCode, matterCode: "SC-X-1", matterName: "测试事项", scenarios: "核验；加注件下载", basis: "公示", validFrom: "2026-03-01", validTo: "", status: "启用", id: "" }];
    const r = await dryRunImportAction(fd("用证清单.xlsx", await exportWorkbook("USE", { main: rows })));
    expect(r).toMatchObject({ ok: true, data: { kind: "USE", summary: { create: 1, errors: 0 } } });
    const importId = (r as { ok: true; data: { importId: string } }).data.importId;
    expect(await confirmImportAction({ importId })).toEqual({ ok: true, data: { created: 1, updated: 0, unchanged: 0 } });
    const e = await db().useListEntry.findFirstOrThrow({ where: { deptId: bureau.id, typeId: t1.id, matterCode: "SC-X-1" } });
    expect([e.scenarios, e.basis]).toEqual([["VERIFY", "ANNOTATED_COPY"], "PUBLIC"]);
  });

  it("export routes refuse no session (401), the wrong role (403) and another city (404)", async () => {
    const operator = await makeActor(w.issuing, [{ role: "SEAL_APPLICANT", scope: "OWN" }], "无关角色");
    jar.cookie = null;
    expect((await typesExport(new Request("http://localhost:3000/api/catalog/export"))).status).toBe(401);
    expect((await listExport(new Request("http://localhost:3000/api/lists/use/export"), { params: Promise.resolve({ list: "use" }) })).status).toBe(401);
    await signInAs(operator);
    expect((await typesExport(new Request("http://localhost:3000/api/catalog/export"))).status).toBe(403);
    expect((await listExport(new Request("http://localhost:3000/api/lists/issuance/export"), { params: Promise.resolve({ list: "issuance" }) })).status).toBe(403);
    await signInAs(admin);
    const other = await createReleasedType(w);
    await signInAs(w.otherAdmin);
    expect((await typesExport(new Request(`http://localhost:3000/api/catalog/export?ids=${typeA.id}`))).status).toBe(404);
    expect((await typesExport(new Request(`http://localhost:3000/api/catalog/export?dept=${w.issuing.id}`))).status).toBe(404);
    expect((await listExport(new Request(`http://localhost:3000/api/lists/issuance/export?dept=${w.issuing.id}`), { params: Promise.resolve({ list: "issuance" }) })).status).toBe(404);
    const entry = await db().issuanceListEntry.findFirstOrThrow({ where: { deptId: w.issuing.id } });
    expect((await listExport(new Request(`http://localhost:3000/api/lists/issuance/export?ids=${entry.id}`), { params: Promise.resolve({ list: "issuance" }) })).status).toBe(404);
    expect((await listExport(new Request("http://localhost:3000/api/lists/nothing/export"), { params: Promise.resolve({ list: "nothing" }) })).status).toBe(404);
    // their own (empty) export is a workbook without our rows
    const [rows] = await rowsOf("TYPES", await exportTypes(""));
    expect(rows.some((r) => r.cells.typeCode === other.typeCode)).toBe(false);
    // the path names the list when the route is called without its parameter
    expect((await listExport(new Request("http://localhost:3000/api/lists/use/export"))).status).toBe(200);
  });
});
