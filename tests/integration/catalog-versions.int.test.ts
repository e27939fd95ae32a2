// Licence catalog versions (L-01, L-04): a type's versions go draft → under review → released →
// retired; drafts are edited in place under a revision number, a released version is never edited
// (editing makes the next draft) nor deleted, and the licences issued under it keep pointing at
// it. Only a management department's catalog administrator reviews; batches refuse the whole
// request when one type is out of scope. Assertions are on the rows: versions, the type, history
// (CatalogChange with its field-by-field diff), `catalog.change` audit events, and what
// PostgreSQL itself refuses.
import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { typeCreateSchema } from "@/lib/catalog/schema";
import { batch, contentOf, createType, saveDraft } from "@/lib/catalog/service";
import { createDepartment } from "@/tests/helpers/factory";
import { databaseUrl, withClient } from "@/tests/helpers/db";
import {
  catalogAuditOf,
  changesOf,
  contentFor,
  createDraftType,
  createReleasedType,
  expectAppError,
  insertLicence,
  insertSeal,
  makeActor,
  makeCatalogWorld,
  newTypeCode,
  sqlError,
  typeRow,
  versionOf,
  versionsOf,
  type CatalogWorld,
} from "@/tests/helpers/catalog";

const FORBIDDEN_REVIEW = "只有管理部门的目录管理员可以审核发布证照类型";
const STALE = "该类型已被他人修改，请刷新后再编辑";
const INSUFFICIENT_PRIVILEGE = "42501";

let w: CatalogWorld;
beforeAll(async () => {
  w = await makeCatalogWorld();
});

const actions = async (typeId: string) => (await changesOf(typeId)).map((c) => `${c.action}@${c.versionNumber}`);
const auditChanges = async (typeId: string) => (await catalogAuditOf(typeId)).map((a) => `${a.detail.change}@${a.detail.version}`);

describe("drafts (L-01)", () => {
  it("create makes version 1 a DRAFT of the proposing department, with a 'create' history row and audit event", async () => {
    const t = await createDraftType(w);

    expect(await typeRow(t.id)).toMatchObject({ typeCode: t.typeCode, name: t.content.name, ownerDeptId: w.issuing.id, latestVersion: 1, releasedVersion: null, retiredAt: null });
    const versions = await versionsOf(t.id);
    expect(versions).toHaveLength(1);
    expect(versions[0]).toMatchObject({ number: 1, status: "DRAFT", rev: 0, createdById: w.admin.userId, submittedAt: null, releasedAt: null, retiredAt: null });
    expect(versions[0]).toMatchObject({ definingAuthorityCode: t.authorityCode, issuingDeptIds: [w.issuing.id], numberRule: "{area}{year}{seq:6}", validity: { kind: "YEARS", n: 5 } });
    expect(contentOf(versions[0])).toEqual(t.content);

    const [created, ...more] = await changesOf(t.id);
    expect(more).toEqual([]);
    expect(created).toMatchObject({ action: "create", versionNumber: 1, actorId: w.admin.userId, comment: `类型代码 ${t.typeCode}` });
    expect(created.actorName).toContain("发证目录管理员");
    // creating is a change from nothing: every field, each from null
    expect(Object.keys(created.diff).sort()).toEqual(Object.keys(t.content).sort());
    expect(Object.values(created.diff).every((d) => d.from === null)).toBe(true);
    expect(created.diff.name).toEqual({ from: null, to: t.content.name });
    expect(created.diff.faceFields.to).toEqual(t.content.faceFields);

    const audit = await catalogAuditOf(t.id);
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actorId: w.admin.userId, targetType: "LicenceType", targetId: t.id });
    expect(audit[0].detail).toMatchObject({ action: "catalog.change", change: "create", version: 1, comment: `类型代码 ${t.typeCode}` });
    expect([...audit[0].detail.fields].sort()).toEqual(Object.keys(t.content).sort());
  });

  it("saveDraft edits the draft in place (rev + 1, an 'edit' row with the change); a stale rev is refused with CONFLICT and changes nothing", async () => {
    const t = await createDraftType(w);
    const [before] = await versionsOf(t.id);
    const renamed = { ...t.content, name: `${t.content.name}（修订）` };

    expect(await saveDraft(w.admin, { typeId: t.id, rev: 0, content: renamed })).toEqual({ id: t.id, version: 1 });
    const [after, ...none] = await versionsOf(t.id);
    expect(none).toEqual([]);
    expect(after).toMatchObject({ id: before.id, number: 1, status: "DRAFT", rev: 1, name: renamed.name });
    expect(contentOf(after)).toEqual(renamed);
    // an unreleased type is listed under its draft's name
    expect(await typeRow(t.id)).toMatchObject({ name: renamed.name, latestVersion: 1, releasedVersion: null });

    const edit = (await changesOf(t.id))[1];
    expect(edit).toMatchObject({ action: "edit", versionNumber: 1, actorId: w.admin.userId, comment: null });
    expect(edit.diff.name).toEqual({ from: t.content.name, to: renamed.name });
    const audit = await catalogAuditOf(t.id);
    expect(audit.map((a) => a.detail.change)).toEqual(["create", "edit"]);
    expect(audit[1].detail.fields).toContain("name");

    // someone else saved first: the editor still holds rev 0
    await expectAppError(saveDraft(w.admin, { typeId: t.id, rev: 0, content: { ...renamed, legalBasis: "《过期的表单》第一条" } }), "CONFLICT", STALE);
    expect(await versionOf(t.id, 1)).toEqual(after);
    expect(await actions(t.id)).toEqual(["create@1", "edit@1"]);
    expect(await auditChanges(t.id)).toEqual(["create@1", "edit@1"]);

    // with the current rev the next edit goes through
    expect(await saveDraft(w.admin, { typeId: t.id, rev: 1, content: { ...renamed, legalBasis: "《四川省测试经营管理条例》第十三条" } })).toEqual({ id: t.id, version: 1 });
    expect(await versionOf(t.id, 1)).toMatchObject({ rev: 2, legalBasis: "《四川省测试经营管理条例》第十三条" });
    expect((await changesOf(t.id))[2].diff.legalBasis).toEqual({ from: t.content.legalBasis, to: "《四川省测试经营管理条例》第十三条" });
  });

  it("the history diff names only the fields that changed (JSON fields come back from jsonb with their keys reordered and read as changed)", async () => {
    // lib/catalog/service.ts contentDiff compares JSON.stringify(before[k]) with JSON.stringify(after[k]);
    // `before` is contentOf(row), and PostgreSQL jsonb returns object keys sorted (shorter first), so
    // validity {kind, n} comes back {n, kind}, matters {name, code} → {code, name}, and each face
    // field reordered: untouched JSON fields are recorded as changed, and a save without change
    // writes an "edit" row. The same holds for the "new_version" diff of an edited released type.
    const t = await createDraftType(w);
    const renamed = { ...t.content, name: `${t.content.name}（更名）` };
    await saveDraft(w.admin, { typeId: t.id, rev: 0, content: renamed });
    await saveDraft(w.admin, { typeId: t.id, rev: 1, content: renamed }); // nothing changed
    const changes = await changesOf(t.id);
    const audit = await catalogAuditOf(t.id);

    const r = await createReleasedType(w);
    const released = await versionOf(r.id, 1);
    await saveDraft(w.admin, { typeId: r.id, rev: released.rev, content: { ...r.content, legalBasis: "《四川省测试经营管理条例》第二十条" } });
    const newVersion = (await changesOf(r.id)).find((c) => c.action === "new_version")!;

    expect({
      editDiff: Object.keys(changes[1].diff).sort(),
      editAuditFields: audit[1].detail.fields,
      historyRowsOfSaveWithoutChange: changes.length - 2,
      newVersionDiff: Object.keys(newVersion.diff).sort(),
    }).toEqual({ editDiff: ["name"], editAuditFields: ["name"], historyRowsOfSaveWithoutChange: 0, newVersionDiff: ["legalBasis"] });
  });
});

describe("review (L-04)", () => {
  it("submit → UNDER_REVIEW, locked for editing; only a management department's catalog admin releases or returns; return → DRAFT with the comment; release → RELEASED", async () => {
    const t = await createDraftType(w);
    const t0 = Date.now();
    expect(await batch(w.admin, [t.id], "submit")).toEqual({ done: [t.id], failed: [] });
    let v1 = await versionOf(t.id, 1);
    expect(v1).toMatchObject({ status: "UNDER_REVIEW", rev: 1, submittedById: w.admin.userId, reviewedById: null });
    expect(v1.submittedAt!.getTime()).toBeGreaterThanOrEqual(t0 - 1000);

    // under review nobody edits it, not even the reviewer
    await expectAppError(saveDraft(w.admin, { typeId: t.id, rev: 1, content: { ...t.content, legalBasis: "《审核中修改》第一条" } }), "CONFLICT", "正在审核中");
    await expectAppError(saveDraft(w.reviewer, { typeId: t.id, rev: 1, content: { ...t.content, legalBasis: "《审核中修改》第一条" } }), "CONFLICT", "正在审核中");

    // the proposing department's admin (no management department) may not review: refused per type
    expect(await batch(w.admin, [t.id], "release", "自己发布")).toEqual({ done: [], failed: [{ id: t.id, error: FORBIDDEN_REVIEW }] });
    expect(await batch(w.admin, [t.id], "return", "自己退回")).toEqual({ done: [], failed: [{ id: t.id, error: FORBIDDEN_REVIEW }] });
    // province-wide scope is not enough either: the department must be a management department
    const wideIssuer = await makeActor(w.otherIssuing, [{ role: "CATALOG_ADMIN", scope: "PROVINCE" }], "外市全省目录管理员");
    expect(await batch(wideIssuer, [t.id], "release", "越权发布")).toEqual({ done: [], failed: [{ id: t.id, error: FORBIDDEN_REVIEW }] });
    // another city's admin does not even see it
    await expectAppError(batch(w.otherAdmin, [t.id], "release", "越权发布"), "NOT_FOUND");
    expect(await versionOf(t.id, 1)).toEqual(v1);
    expect(await actions(t.id)).toEqual(["create@1", "submit@1"]);

    // returned with the reviewer's comment: a draft again, editable
    expect(await batch(w.reviewer, [t.id], "return", "请补充设定依据的条款")).toEqual({ done: [t.id], failed: [] });
    v1 = await versionOf(t.id, 1);
    expect(v1).toMatchObject({ status: "DRAFT", rev: 2, reviewedById: w.reviewer.userId, reviewComment: "请补充设定依据的条款", releasedAt: null });
    expect(await typeRow(t.id)).toMatchObject({ releasedVersion: null, latestVersion: 1 });
    const fixed = { ...t.content, legalBasis: "《四川省测试经营管理条例》第十二条第二款" };
    expect(await saveDraft(w.admin, { typeId: t.id, rev: 2, content: fixed })).toEqual({ id: t.id, version: 1 });

    // resubmitted (the old comment is cleared) and released
    expect(await batch(w.admin, [t.id], "submit")).toEqual({ done: [t.id], failed: [] });
    expect(await versionOf(t.id, 1)).toMatchObject({ status: "UNDER_REVIEW", reviewComment: null });
    expect(await batch(w.reviewer, [t.id], "release", "同意发布")).toEqual({ done: [t.id], failed: [] });
    v1 = await versionOf(t.id, 1);
    expect(v1).toMatchObject({ status: "RELEASED", reviewedById: w.reviewer.userId, reviewComment: "同意发布", retiredAt: null, legalBasis: fixed.legalBasis });
    expect(v1.releasedAt).not.toBeNull();
    expect(await typeRow(t.id)).toMatchObject({ releasedVersion: 1, latestVersion: 1, retiredAt: null, name: t.content.name });
    // a released version is not reviewed again
    expect((await batch(w.reviewer2, [t.id], "release")).failed).toEqual([{ id: t.id, error: `「${t.content.name}」当前为已发布，不能发布` }]);

    const changes = await changesOf(t.id);
    expect(changes.map((c) => [c.action, c.actorId, c.comment])).toEqual([
      ["create", w.admin.userId, `类型代码 ${t.typeCode}`],
      ["submit", w.admin.userId, null],
      ["return", w.reviewer.userId, "请补充设定依据的条款"],
      ["edit", w.admin.userId, null],
      ["submit", w.admin.userId, null],
      ["release", w.reviewer.userId, "同意发布"],
    ]);
    expect(changes.filter((c) => c.action !== "create" && c.action !== "edit").map((c) => c.diff)).toEqual([
      { status: { from: "DRAFT", to: "UNDER_REVIEW" } },
      { status: { from: "UNDER_REVIEW", to: "DRAFT" } },
      { status: { from: "DRAFT", to: "UNDER_REVIEW" } },
      { status: { from: "UNDER_REVIEW", to: "RELEASED" } },
    ]);
    expect(changes[3].diff.legalBasis).toEqual({ from: t.content.legalBasis, to: fixed.legalBasis });
    const audit = await catalogAuditOf(t.id);
    expect(audit.map((a) => [a.detail.change, a.actorId, a.detail.comment])).toEqual(changes.map((c) => [c.action, c.actorId, c.comment]));
    expect(audit.filter((a) => !["create", "edit"].includes(a.detail.change)).every((a) => a.detail.fields.join() === "status")).toBe(true);
  });
});

describe("versions: issued licences keep theirs (L-01)", () => {
  it("editing a released type makes v2 DRAFT and leaves v1 as it was; releasing v2 supersedes v1 (RETIRED), and a licence issued under v1 keeps pointing at v1", async () => {
    const t = await createReleasedType(w);
    const v1 = await versionOf(t.id, 1);
    const licence = await insertLicence(t.id, v1.id, w.issuing.id);

    const changed = { ...t.content, legalBasis: "《四川省测试经营管理条例》（2026 年修订）第十二条", validity: { kind: "YEARS" as const, n: 3 } };
    expect(await saveDraft(w.admin, { typeId: t.id, rev: v1.rev, content: changed })).toEqual({ id: t.id, version: 2 });
    const [v1Now, v2] = await versionsOf(t.id);
    expect(v1Now).toEqual(v1); // not a column touched, not even updatedAt
    expect(v2).toMatchObject({ number: 2, status: "DRAFT", rev: 0, createdById: w.admin.userId, legalBasis: changed.legalBasis, validity: { kind: "YEARS", n: 3 } });
    expect(contentOf(v2)).toEqual(changed);
    expect(await typeRow(t.id)).toMatchObject({ latestVersion: 2, releasedVersion: 1, name: t.content.name });
    const nv = (await changesOf(t.id)).at(-1)!;
    expect(nv).toMatchObject({ action: "new_version", versionNumber: 2, actorId: w.admin.userId, comment: "基于第 1 版修改" });
    expect(nv.diff.legalBasis).toEqual({ from: t.content.legalBasis, to: changed.legalBasis });
    expect(nv.diff.validity).toEqual({ from: { kind: "YEARS", n: 5 }, to: { kind: "YEARS", n: 3 } });

    // the new draft is edited in place like any draft (the released v1 is not touched)
    expect(await saveDraft(w.admin, { typeId: t.id, rev: 0, content: { ...changed, publicity: false } })).toEqual({ id: t.id, version: 2 });
    expect(await versionOf(t.id, 2)).toMatchObject({ rev: 1, publicity: false });
    expect(await versionOf(t.id, 1)).toEqual(v1);

    expect(await batch(w.admin, [t.id], "submit")).toEqual({ done: [t.id], failed: [] });
    expect(await versionOf(t.id, 1)).toEqual(v1); // still the released one while v2 is reviewed
    expect(await batch(w.reviewer, [t.id], "release", "同意发布第 2 版")).toEqual({ done: [t.id], failed: [] });

    const [old, current] = await versionsOf(t.id);
    expect(current).toMatchObject({ number: 2, status: "RELEASED", reviewedById: w.reviewer.userId });
    expect(old).toMatchObject({ id: v1.id, number: 1, status: "RETIRED" });
    expect(old.retiredAt).not.toBeNull();
    expect(contentOf(old)).toEqual(t.content);
    expect(old.releasedAt).toEqual(v1.releasedAt);
    expect(await typeRow(t.id)).toMatchObject({ releasedVersion: 2, latestVersion: 2, retiredAt: null });

    // issued licence keeps its version
    const kept = await db().licence.findUniqueOrThrow({ where: { id: licence.id }, include: { typeVersion: true } });
    expect(kept).toMatchObject({ typeId: t.id, typeVersionId: v1.id, status: "VALID" });
    expect(kept.typeVersion.number).toBe(1);
    expect(contentOf(kept.typeVersion)).toEqual(t.content);

    expect(await actions(t.id)).toEqual(["create@1", "submit@1", "release@1", "new_version@2", "edit@2", "submit@2", "supersede@1", "release@2"]);
    expect(await auditChanges(t.id)).toEqual(await actions(t.id));
  });
});

describe("kept for ever: database guards and retirement (L-04)", () => {
  it("PostgreSQL refuses, even in plain SQL, an UPDATE of a released or retired version's content and a DELETE of a released, under-review or retired version or of a type (42501)", async () => {
    const t = await createReleasedType(w);
    const v1 = await versionOf(t.id, 1);
    const tableV = `"LicenceTypeVersion"`;

    for (const [set, params] of [
      [`name = 'x'`, []],
      [`"legalBasis" = $2`, ["《篡改》第一条"]],
      [`validity = '{"kind":"PERMANENT"}'::jsonb`, []],
      [`"faceFields" = '[]'::jsonb`, []],
      [`"issuingDeptIds" = ARRAY[$2]::uuid[]`, [w.otherIssuing.id]],
      [`"numberRule" = '{seq:6}'`, []],
    ] as const) {
      const e = await sqlError(`UPDATE ${tableV} SET ${set} WHERE id = $1`, [v1.id, ...params]);
      expect([set, e.code]).toEqual([set, INSUFFICIENT_PRIVILEGE]);
      expect(e.message).toContain("never edited");
    }
    let e = await sqlError(`DELETE FROM ${tableV} WHERE id = $1`, [v1.id]);
    expect([e.code, e.message]).toEqual([INSUFFICIENT_PRIVILEGE, expect.stringContaining("kept permanently")]);
    e = await sqlError(`DELETE FROM "LicenceType" WHERE id = $1`, [t.id]);
    expect([e.code, e.message]).toEqual([INSUFFICIENT_PRIVILEGE, expect.stringContaining("kept permanently")]);
    e = await sqlError(`DELETE FROM "CatalogChange" WHERE "typeId" = $1`, [t.id]);
    expect(e.code).toBe(INSUFFICIENT_PRIVILEGE);
    expect(await versionOf(t.id, 1)).toEqual(v1);

    // v2 released: v1 is now RETIRED and just as frozen
    await saveDraft(w.admin, { typeId: t.id, rev: v1.rev, content: { ...t.content, publicity: false } });
    await batch(w.admin, [t.id], "submit");
    await batch(w.reviewer, [t.id], "release");
    const retired = await versionOf(t.id, 1);
    expect(retired.status).toBe("RETIRED");
    expect((await sqlError(`UPDATE ${tableV} SET name = 'x' WHERE id = $1`, [retired.id])).code).toBe(INSUFFICIENT_PRIVILEGE);
    expect((await sqlError(`DELETE FROM ${tableV} WHERE id = $1`, [retired.id])).code).toBe(INSUFFICIENT_PRIVILEGE);

    // v3 under review cannot be deleted either; only a draft can (tried in a transaction rolled back)
    const v2 = await versionOf(t.id, 2);
    await saveDraft(w.admin, { typeId: t.id, rev: v2.rev, content: { ...t.content, publicity: true } });
    const v3 = await versionOf(t.id, 3);
    const draftDelete = await withClient(databaseUrl(), async (c) => {
      await c.query("BEGIN");
      try {
        return (await c.query(`DELETE FROM ${tableV} WHERE id = $1`, [v3.id])).rowCount;
      } finally {
        await c.query("ROLLBACK");
      }
    });
    expect(draftDelete).toBe(1);
    await batch(w.admin, [t.id], "submit");
    expect((await sqlError(`DELETE FROM ${tableV} WHERE id = $1`, [v3.id])).code).toBe(INSUFFICIENT_PRIVILEGE);
    expect((await versionsOf(t.id)).map((v) => `${v.number}:${v.status}`)).toEqual(["1:RETIRED", "2:RELEASED", "3:UNDER_REVIEW"]);
    expect(contentOf(await versionOf(t.id, 1))).toEqual(t.content);
  });

  it("PostgreSQL refuses to move a released version back to DRAFT (which would let it be edited and deleted in SQL)", async () => {
    // prisma/migrations/20261201010000_catalog/migration.sql, licence_type_version_guard: for
    // OLD.status IN ('RELEASED','RETIRED') it compares only the content columns, so `status` itself
    // may be set to anything ("only the move to RETIRED may change" is not enforced). Once the status
    // reads DRAFT the UPDATE branch no longer applies and the DELETE branch lets the row go: the
    // L-04 guarantee is two plain statements away. Tried in a transaction that is rolled back.
    const t = await createReleasedType(w);
    const v1 = await versionOf(t.id, 1);
    const steps = await withClient(databaseUrl(), async (c) => {
      const out: string[] = [];
      await c.query("BEGIN");
      try {
        for (const [label, text] of [
          ["rewind", `UPDATE "LicenceTypeVersion" SET status = 'DRAFT' WHERE id = $1`],
          ["edit", `UPDATE "LicenceTypeVersion" SET name = '篡改后的名称' WHERE id = $1`],
          ["delete", `DELETE FROM "LicenceTypeVersion" WHERE id = $1`],
        ]) {
          try {
            await c.query(text, [v1.id]);
            out.push(`${label}: done`);
          } catch (err) {
            out.push(`${label}: ${(err as { code?: string }).code}`);
            break;
          }
        }
      } finally {
        await c.query("ROLLBACK");
      }
      return out;
    });
    expect(await versionOf(t.id, 1)).toEqual(v1);
    expect(steps).toEqual([`rewind: ${INSUFFICIENT_PRIVILEGE}`]);
  });

  it("retire → RETIRED with retiredAt, never deleted; the pending draft goes with it; a retired type cannot be edited, resubmitted or retired again, and its licence keeps its version", async () => {
    const t = await createReleasedType(w);
    const v1 = await versionOf(t.id, 1);
    const licence = await insertLicence(t.id, v1.id, w.issuing.id);
    await saveDraft(w.admin, { typeId: t.id, rev: v1.rev, content: { ...t.content, publicity: false } });
    expect((await versionsOf(t.id)).map((v) => `${v.number}:${v.status}`)).toEqual(["1:RELEASED", "2:DRAFT"]);

    const at = new Date();
    expect(await batch(w.reviewer, [t.id], "retire", "设定依据已废止", at)).toEqual({ done: [t.id], failed: [] });
    const [r1, r2] = await versionsOf(t.id);
    expect(r1).toMatchObject({ id: v1.id, status: "RETIRED", retiredAt: at, releasedAt: v1.releasedAt });
    expect(contentOf(r1)).toEqual(t.content);
    expect(r2).toMatchObject({ number: 2, status: "RETIRED", retiredAt: at });
    expect(await typeRow(t.id)).toMatchObject({ retiredAt: at, releasedVersion: null, latestVersion: 2 });

    const retire = (await changesOf(t.id)).at(-1)!;
    expect(retire).toMatchObject({ action: "retire", versionNumber: 1, actorId: w.reviewer.userId, comment: "设定依据已废止", diff: { status: { from: "RELEASED", to: "RETIRED" } } });
    expect((await catalogAuditOf(t.id)).at(-1)!.detail).toEqual({ action: "catalog.change", change: "retire", version: 1, fields: ["status"], comment: "设定依据已废止" });

    // retired, not deleted: and the database will not delete it either
    expect((await sqlError(`DELETE FROM "LicenceType" WHERE id = $1`, [t.id])).code).toBe(INSUFFICIENT_PRIVILEGE);
    expect((await sqlError(`DELETE FROM "LicenceTypeVersion" WHERE "typeId" = $1`, [t.id])).code).toBe(INSUFFICIENT_PRIVILEGE);
    expect(await versionsOf(t.id)).toHaveLength(2);
    expect(await db().licence.findUniqueOrThrow({ where: { id: licence.id } })).toMatchObject({ typeVersionId: v1.id, status: "VALID" });

    // nothing more happens to a retired type
    const latest = await versionOf(t.id, 2);
    await expectAppError(saveDraft(w.admin, { typeId: t.id, rev: latest.rev, content: { ...t.content, legalBasis: "《复活》第一条" } }), "CONFLICT", "已停用");
    expect((await batch(w.admin, [t.id], "submit")).failed).toEqual([{ id: t.id, error: `「${t.content.name}」当前为已停用，不能提交审核` }]);
    expect((await batch(w.reviewer, [t.id], "retire", "再次停用")).failed).toEqual([{ id: t.id, error: `「${t.content.name}」当前为已停用，不能停用` }]);
    expect(await versionsOf(t.id)).toEqual([r1, r2]);
    expect(await actions(t.id)).toEqual(["create@1", "submit@1", "release@1", "new_version@2", "retire@2", "retire@1"]);
    expect(await auditChanges(t.id)).toEqual(await actions(t.id));
  });
});

describe("batch actions", () => {
  it("does each type on its own: the ones in a state that refuses the action are listed in `failed`, the rest in `done`", async () => {
    const a = await createDraftType(w);
    const b = await createDraftType(w);
    const c = await createDraftType(w);
    await batch(w.admin, [c.id], "submit");

    const r = await batch(w.admin, [a.id, c.id, b.id, a.id], "submit");
    expect(r).toEqual({ done: [a.id, b.id], failed: [{ id: c.id, error: `「${c.content.name}」当前为审核中，不能提交审核` }] });
    for (const t of [a, b, c]) expect(await versionOf(t.id, 1)).toMatchObject({ status: "UNDER_REVIEW", rev: 1 });
    for (const t of [a, b, c]) expect(await actions(t.id)).toEqual(["create@1", "submit@1"]);
    for (const t of [a, b, c]) expect(await auditChanges(t.id)).toEqual(["create@1", "submit@1"]);

    // the reviewer releases two and finds the third already released
    await batch(w.reviewer, [b.id], "release");
    expect(await batch(w.reviewer, [a.id, b.id, c.id], "release", "批量发布")).toEqual({
      done: [a.id, c.id],
      failed: [{ id: b.id, error: `「${b.content.name}」当前为已发布，不能发布` }],
    });
    for (const t of [a, b, c]) expect(await versionOf(t.id, 1)).toMatchObject({ status: "RELEASED" });
    expect((await changesOf(a.id)).at(-1)).toMatchObject({ action: "release", comment: "批量发布" });
    expect((await changesOf(b.id)).filter((x) => x.action === "release")).toHaveLength(1);
  });

  it("a type outside the actor's scope (or unknown) refuses the whole batch with NOT_FOUND, and nothing changes", async () => {
    const mine = await createDraftType(w);
    const theirs = await createDraftType(w, { issuingDeptIds: [w.otherIssuing.id] }, w.otherAdmin, w.otherIssuing.id);
    const before = [await versionOf(mine.id, 1), await versionOf(theirs.id, 1)];

    await expectAppError(batch(w.admin, [mine.id, theirs.id], "submit"), "NOT_FOUND");
    await expectAppError(batch(w.otherAdmin, [theirs.id, mine.id], "submit"), "NOT_FOUND");
    await expectAppError(batch(w.admin, [mine.id, randomUUID()], "submit"), "NOT_FOUND");
    // nor may the other city's admin edit it
    await expectAppError(saveDraft(w.otherAdmin, { typeId: mine.id, rev: 0, content: { ...mine.content, publicity: false } }), "NOT_FOUND");

    expect([await versionOf(mine.id, 1), await versionOf(theirs.id, 1)]).toEqual(before);
    expect(await actions(mine.id)).toEqual(["create@1"]);
    expect(await actions(theirs.id)).toEqual(["create@1"]);
    expect(await auditChanges(mine.id)).toEqual(["create@1"]);
    expect(await auditChanges(theirs.id)).toEqual(["create@1"]);

    // the province-wide reviewer sees both
    expect(await batch(w.reviewer, [mine.id, theirs.id], "submit")).toEqual({ done: [mine.id, theirs.id], failed: [] });
  });
});

describe("what a type may name (L-01)", () => {
  it("the type code is unique: a second create with the same code is INVALID_INPUT on typeCode, also when both race", async () => {
    const t = await createDraftType(w);
    const again = typeCreateSchema.parse({ typeCode: t.typeCode, ownerDeptId: w.issuing.id, content: contentFor(w, t.authorityCode) });
    const e = await expectAppError(createType(w.admin, again), "INVALID_INPUT", "证照类型代码已存在");
    expect(Object.keys(e.fieldErrors ?? {})).toEqual(["typeCode"]);
    expect(await db().licenceType.count({ where: { typeCode: t.typeCode } })).toBe(1);
    expect(await actions(t.id)).toEqual(["create@1"]);

    const { typeCode, authorityCode } = newTypeCode();
    const inputs = [0, 1].map(() => typeCreateSchema.parse({ typeCode, ownerDeptId: w.issuing.id, content: contentFor(w, authorityCode) }));
    const results = await Promise.allSettled(inputs.map((i) => createType(w.admin, i)));
    expect(results.map((r) => r.status).sort()).toEqual(["fulfilled", "rejected"]);
    const lost = results.find((r) => r.status === "rejected")!;
    expect(lost.reason).toMatchObject({ code: "INVALID_INPUT", fieldErrors: { typeCode: expect.any(String) } });
    const made = await db().licenceType.findMany({ where: { typeCode } });
    expect(made).toHaveLength(1);
    expect(await versionsOf(made[0].id)).toHaveLength(1);
    expect(await actions(made[0].id)).toEqual(["create@1"]);
  });

  it("issuing departments must be active issuing departments (field error content.issuingDeptIds), on create and on save", async () => {
    const notIssuing = await createDepartment({ parent: w.province, level: "CITY", parts: { isUsing: true } });
    const disabled = await createDepartment({ parent: w.province, level: "CITY", parts: { isIssuing: true }, status: "DISABLED" });
    for (const ids of [[notIssuing.id], [w.issuing.id, disabled.id], [randomUUID()]]) {
      const { typeCode, authorityCode } = newTypeCode();
      const input = typeCreateSchema.parse({ typeCode, ownerDeptId: w.issuing.id, content: contentFor(w, authorityCode, { issuingDeptIds: ids }) });
      const e = await expectAppError(createType(w.admin, input), "INVALID_INPUT");
      expect(e.fieldErrors).toEqual({ "content.issuingDeptIds": "发证部门须为启用的发证单位" });
      expect(await db().licenceType.count({ where: { typeCode } })).toBe(0);
    }

    const t = await createDraftType(w);
    const before = await versionOf(t.id, 1);
    const e = await expectAppError(saveDraft(w.admin, { typeId: t.id, rev: 0, content: { ...t.content, issuingDeptIds: [w.issuing.id, notIssuing.id] } }), "INVALID_INPUT");
    expect(Object.keys(e.fieldErrors ?? {})).toEqual(["content.issuingDeptIds"]);
    expect(await versionOf(t.id, 1)).toEqual(before);
    expect(await actions(t.id)).toEqual(["create@1"]);

    // another city's issuing department may issue it too
    const both = await createDraftType(w, { issuingDeptIds: [w.issuing.id, w.otherIssuing.id] });
    expect((await versionOf(both.id, 1)).issuingDeptIds.sort()).toEqual([w.issuing.id, w.otherIssuing.id].sort());
  });

  it("seals must be active seals of the type's issuing departments (field error content.sealIds)", async () => {
    const own = await insertSeal(w.issuing.id, w.admin.userId);
    const foreign = await insertSeal(w.otherIssuing.id, w.admin.userId);
    const cancelled = await insertSeal(w.issuing.id, w.admin.userId, "CANCELLED");

    const ok = await createDraftType(w, { sealIds: [own.id] });
    expect((await versionOf(ok.id, 1)).sealIds).toEqual([own.id]);

    for (const sealIds of [[foreign.id], [own.id, cancelled.id], [randomUUID()]]) {
      const { typeCode, authorityCode } = newTypeCode();
      const input = typeCreateSchema.parse({ typeCode, ownerDeptId: w.issuing.id, content: contentFor(w, authorityCode, { sealIds }) });
      const e = await expectAppError(createType(w.admin, input), "INVALID_INPUT");
      expect(e.fieldErrors).toEqual({ "content.sealIds": "签章印章须为所选发证部门的有效印章" });
      expect(await db().licenceType.count({ where: { typeCode } })).toBe(0);
    }
    const e = await expectAppError(saveDraft(w.admin, { typeId: ok.id, rev: 0, content: { ...ok.content, sealIds: [own.id, foreign.id] } }), "INVALID_INPUT");
    expect(Object.keys(e.fieldErrors ?? {})).toEqual(["content.sealIds"]);
    expect((await versionOf(ok.id, 1)).sealIds).toEqual([own.id]);

    // the other city's seal is fine once that city issues the type as well
    const shared = await createDraftType(w, { issuingDeptIds: [w.issuing.id, w.otherIssuing.id], sealIds: [own.id, foreign.id] });
    expect((await versionOf(shared.id, 1)).sealIds.sort()).toEqual([own.id, foreign.id].sort());
  });
});

describe("concurrency", () => {
  it("two reviewers releasing the same type at once: one succeeds, one is refused, one 'release' history row", async () => {
    for (let round = 0; round < 3; round++) {
      const t = await createDraftType(w);
      await batch(w.admin, [t.id], "submit");
      const [r1, r2] = await Promise.all([batch(w.reviewer, [t.id], "release", "甲同意"), batch(w.reviewer2, [t.id], "release", "乙同意")]);

      expect([...r1.done, ...r2.done]).toEqual([t.id]);
      const failed = [...r1.failed, ...r2.failed];
      expect(failed).toHaveLength(1);
      expect(failed[0].error).toMatch(/已被他人处理|当前为已发布，不能发布/);
      const winner = r1.done.length ? w.reviewer : w.reviewer2;

      expect(await versionOf(t.id, 1)).toMatchObject({ status: "RELEASED", reviewedById: winner.userId, reviewComment: r1.done.length ? "甲同意" : "乙同意" });
      expect(await typeRow(t.id)).toMatchObject({ releasedVersion: 1, latestVersion: 1 });
      const releases = (await changesOf(t.id)).filter((c) => c.action === "release");
      expect(releases.map((c) => c.actorId)).toEqual([winner.userId]);
      expect((await catalogAuditOf(t.id)).filter((a) => a.detail.change === "release").map((a) => a.actorId)).toEqual([winner.userId]);
    }
  });

  it("two editors of a released type at once make one v2 draft; the other is refused with CONFLICT", async () => {
    const t = await createReleasedType(w);
    const v1 = await versionOf(t.id, 1);
    const results = await Promise.allSettled([
      saveDraft(w.admin, { typeId: t.id, rev: v1.rev, content: { ...t.content, legalBasis: "《甲的修改》第一条" } }),
      saveDraft(w.reviewer, { typeId: t.id, rev: v1.rev, content: { ...t.content, legalBasis: "《乙的修改》第一条" } }),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual(["fulfilled", "rejected"]);
    expect((results.find((r) => r.status === "rejected") as PromiseRejectedResult).reason).toMatchObject({ code: "CONFLICT" });
    expect((await versionsOf(t.id)).map((v) => `${v.number}:${v.status}`)).toEqual(["1:RELEASED", "2:DRAFT"]);
    expect(await versionOf(t.id, 1)).toEqual(v1);
    expect((await changesOf(t.id)).filter((c) => c.action === "new_version")).toHaveLength(1);
    expect(await typeRow(t.id)).toMatchObject({ latestVersion: 2, releasedVersion: 1 });
  });
});

describe("four eyes (L-04)", () => {
  it("whoever submitted a version cannot also release it; another reviewer can", async () => {
    const t = await createDraftType(w);
    // the management department's reviewer submits the draft himself …
    expect(await batch(w.reviewer, [t.id], "submit")).toEqual({ done: [t.id], failed: [] });
    // … so he may not release it
    const mine = await batch(w.reviewer, [t.id], "release", "自审");
    expect(mine.done).toEqual([]);
    expect(mine.failed[0].error).toContain("须由其他审核人发布");
    expect((await versionOf(t.id, 1)).status).toBe("UNDER_REVIEW");
    expect(await batch(w.reviewer2, [t.id], "release", "复核通过")).toEqual({ done: [t.id], failed: [] });
    expect((await versionOf(t.id, 1)).status).toBe("RELEASED");
  });
});
