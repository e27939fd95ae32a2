// 部门撤并 (L-11): a system administrator moves a department's live licences to its successor
// (the original issuer stays recorded), the successor takes over their lifecycle, and its issuer
// operators re-seal them with their own seal: a new signature over the same canonical SM3.
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { encryptHolderCode } from "@/lib/licenses/holders";
import { AppError } from "@/lib/errors";
import { decodeSignature } from "@/lib/crypto/ses";
import { sm3Hex } from "@/lib/crypto/sm3";
import { applySeal, produceSeal, startReview } from "@/lib/seals/service";
import { runFiling } from "@/lib/seals/filing";
import { batch, saveDraft } from "@/lib/catalog/service";
import { licenceDetail } from "@/lib/licenses/detail";
import { canonicalOf, transitionLicence } from "@/lib/licenses/lifecycle";
import { resealInput, transferInput, transitionInput } from "@/lib/licenses/lifecycle-schema";
import { resealLicences, resealOverview, transferLicences, transferOverview } from "@/lib/licenses/transfer";
import { checkStoredSignature } from "@/lib/licenses/verify";
import { makeActor, versionOf } from "@/tests/helpers/catalog";
import { eventsOf, holderUscc, issue, licenceRow, makeLicenceWorld, type LicenceWorld } from "@/tests/helpers/licences";

let w: LicenceWorld;
let successorSealId: string;

beforeAll(async () => {
  w = await makeLicenceWorld();
  // the successor (the other city's issuing department, already named by the type) gets a seal of its own …
  const applicant = await makeActor(w.otherIssuing, [{ role: "SEAL_APPLICANT", scope: "OWN" }], "承接部门印章经办人");
  const { id } = await applySeal(
    applicant,
    { holderDeptId: w.otherIssuing.id, kind: "BUSINESS", businessType: "CONTRACT", positionType: null, name: w.otherIssuing.name, holderPersonName: "", useMode: "CENTRALISED", physicalRef: `SC-${w.otherIssuing.id.slice(0, 8)}`, applyReason: "电子证照签章" },
    [],
  );
  await startReview(w.maker, id);
  await produceSeal(w.maker, { sealId: id, validYears: 2, protectionPassword: "" });
  expect((await runFiling(id)).status).toBe("FILED");
  successorSealId = id;
  // … which a new released version of the type binds
  const v1 = await versionOf(w.type.id, 1);
  await saveDraft(w.admin, { typeId: w.type.id, rev: v1.rev, content: { ...w.type.content, sealIds: [w.sealId, successorSealId] } });
  expect(await batch(w.admin, [w.type.id], "submit")).toEqual({ done: [w.type.id], failed: [] });
  expect(await batch(w.reviewer, [w.type.id], "release", "绑定承接部门印章")).toEqual({ done: [w.type.id], failed: [] });
}, 180_000);

const tr = (licenceId: string, rev: number) => transitionInput.parse({ licenceId, rev, transition: "suspend", reasonCode: "RECTIFICATION", reasonText: "整改" });

async function failure(p: Promise<unknown>): Promise<AppError> {
  const e = await p.then(
    () => null,
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(AppError);
  return e as AppError;
}

describe("reorganisation (L-11)", () => {
  it("transfers the live licences to the successor, keeps the original issuer, and refuses what it must", async () => {
    const a = await issue(w);
    const b = await issue(w);
    await transitionLicence(w.issuer, tr(b.id, 0));
    const c = await issue(w);
    await transitionLicence(w.issuer, transitionInput.parse({ licenceId: c.id, rev: 0, transition: "revoke", reasonCode: "PENALTY", reasonText: "处罚" }));
    const before = await licenceRow(a.id);

    // refusals first: wrong role, a successor that does not issue, a department out of scope
    expect((await failure(transferLicences(w.issuer, transferInput.parse({ fromDeptId: w.issuing.id, toDeptId: w.otherIssuing.id, reason: "机构改革" })))).code).toBe("FORBIDDEN");
    const notIssuing = await failure(transferLicences(w.sysadmin, transferInput.parse({ fromDeptId: w.issuing.id, toDeptId: w.using.id, reason: "机构改革" })));
    expect(notIssuing.fieldErrors?.toDeptId).toBe("承接部门须为发证部门");
    const cityAdmin = await makeActor(w.otherIssuing, [{ role: "SYSTEM_ADMIN", scope: "SUBTREE" }], "市级系统管理员");
    expect((await failure(transferLicences(cityAdmin, transferInput.parse({ fromDeptId: w.issuing.id, toDeptId: w.otherIssuing.id, reason: "机构改革" })))).code).toBe("NOT_FOUND");
    expect(transferInput.safeParse({ fromDeptId: w.issuing.id, toDeptId: w.issuing.id, reason: "x" }).error!.issues[0].message).toBe("承接部门不能是原部门");
    expect((await licenceRow(a.id)).issuerDeptId).toBe(w.issuing.id);

    const r = await transferLicences(w.sysadmin, transferInput.parse({ fromDeptId: w.issuing.id, toDeptId: w.otherIssuing.id, reason: "川府发〔2026〕1 号：机构改革" }));
    expect(r.count).toBe(2);
    const moved = await licenceRow(a.id);
    expect(moved).toMatchObject({ issuerDeptId: w.otherIssuing.id, originalIssuerDeptId: w.issuing.id, issuerCode: before.issuerCode, identifier: before.identifier, canonicalSm3: before.canonicalSm3, sealId: w.sealId, rev: before.rev + 1 });
    expect(await licenceRow(b.id)).toMatchObject({ issuerDeptId: w.otherIssuing.id, status: "SUSPENDED" });
    expect(await licenceRow(c.id)).toMatchObject({ issuerDeptId: w.issuing.id, status: "REVOKED" });
    expect(await db().licenceTransfer.findUniqueOrThrow({ where: { id: r.transferId } })).toMatchObject({ fromDeptId: w.issuing.id, toDeptId: w.otherIssuing.id, count: 2, actorId: w.sysadmin.userId });
    const ev = (await eventsOf(a.id)).at(-1)!;
    expect(ev).toMatchObject({ kind: "TRANSFER", actorId: w.sysadmin.userId, data: { transferId: r.transferId, fromDeptId: w.issuing.id, toDeptId: w.otherIssuing.id } });
    const audit = await db().auditEvent.findMany({ where: { action: "licence.transfer", targetId: w.issuing.id } });
    expect(audit.map((x) => x.detail)).toEqual([expect.objectContaining({ count: 2, fromDeptId: w.issuing.id, toDeptId: w.otherIssuing.id })]);
    expect((await failure(transferLicences(w.sysadmin, transferInput.parse({ fromDeptId: w.issuing.id, toDeptId: w.otherIssuing.id, reason: "再次划转" })))).code).toBe("CONFLICT");

    // the successor now runs the lifecycle; the original issuer still sees the licence, but may not act on it
    await transitionLicence(w.otherIssuer, tr(a.id, moved.rev));
    expect((await licenceRow(a.id)).status).toBe("SUSPENDED");
    expect((await failure(transitionLicence(w.issuer, tr(a.id, moved.rev + 1)))).code).toBe("NOT_FOUND");
    const seen = await licenceDetail(w.issuer, a.id);
    expect(seen).toMatchObject({ asIssuer: false, originalIssuer: w.issuing.name, issuer: w.otherIssuing.name });
    expect(seen.can.transitions).toEqual([]);
    const theirs = await licenceDetail(w.otherIssuer, a.id);
    expect(theirs).toMatchObject({ asIssuer: true, originalIssuer: w.issuing.name, can: { reseal: true } });
    expect(theirs.timeline.map((t) => t.label)).toEqual(["签发", "划转", "暂扣"]);

    const overview = await transferOverview(w.sysadmin);
    expect(overview.departments.find((d) => d.id === w.otherIssuing.id)?.licences).toBeGreaterThanOrEqual(2);
    expect(overview.history[0]).toMatchObject({ count: 2, from: w.issuing.name, to: w.otherIssuing.name });
  });

  it("lets the successor re-seal its transferred licences: its own seal, a new signature over the same canonical SM3", async () => {
    const pending = await resealOverview(w.otherIssuer);
    expect(pending!.total).toBe(2);
    const ids = pending!.rows.map((r) => r.id);
    const before = await Promise.all(ids.map(licenceRow));
    for (const l of before) expect(l.sealId).toBe(w.sealId);

    expect((await failure(resealLicences(w.user, resealInput.parse({})))).code).toBe("FORBIDDEN");
    expect(await resealLicences(w.issuer, resealInput.parse({}))).toMatchObject({ resealed: 0, failed: [] });
    expect((await failure(resealLicences(w.issuer, resealInput.parse({ licenceIds: [ids[0]] })))).code).toBe("NOT_FOUND");

    const r = await resealLicences(w.otherIssuer, resealInput.parse({}));
    expect(r).toMatchObject({ resealed: 2, failed: [] });
    for (const old of before) {
      const l = await licenceRow(old.id);
      expect(l).toMatchObject({ sealId: successorSealId, canonicalSm3: old.canonicalSm3, originalIssuerDeptId: w.issuing.id, issuerDeptId: w.otherIssuing.id, identifier: old.identifier, rev: old.rev + 1, fileSm3: null });
      expect(Buffer.from(l.signature!).equals(Buffer.from(old.signature!))).toBe(false);
      const sig = decodeSignature(l.signature!);
      expect(Buffer.from(sig.dataHash).toString("hex")).toBe(old.canonicalSm3);
      expect(sig.seal.property.name).toBe(w.otherIssuing.name);
      expect(sm3Hex(await canonicalOf(l))).toBe(old.canonicalSm3);
      const check = await checkStoredSignature(l.id);
      expect(check.ok).toBe(true);
      expect((await eventsOf(l.id)).at(-1)).toMatchObject({ kind: "RESEAL", actorId: w.otherIssuer.userId, data: { previousSealId: w.sealId, sealId: successorSealId } });
    }
    const audit = await db().auditEvent.findMany({ where: { action: "licence.reseal", actorId: w.otherIssuer.userId } });
    expect(audit.map((x) => x.detail)).toEqual([expect.objectContaining({ count: 2, sealId: successorSealId })]);

    expect((await resealOverview(w.otherIssuer))!.total).toBe(0);
    expect(await resealLicences(w.otherIssuer, resealInput.parse({}))).toMatchObject({ resealed: 0 });
    expect((await failure(resealLicences(w.otherIssuer, resealInput.parse({ licenceIds: [ids[0]] })))).userMessage).toBe("该证照已由本部门签章，无需重新签章");
  });

  it("re-seals after the old department is renamed (the signed issuer name is kept on the row), and refuses when the rebuilt canonical bytes no longer match", async () => {
    const d = await issue(w);
    const e = await issue(w);
    await transferLicences(w.sysadmin, transferInput.parse({ fromDeptId: w.issuing.id, toDeptId: w.otherIssuing.id, reason: "第二批划转" }));
    const original = w.issuing.name;
    await db().department.update({ where: { id: w.issuing.id }, data: { name: `${original}（已撤并）` } });
    try {
      expect(await resealLicences(w.otherIssuer, resealInput.parse({ licenceIds: [d.id] }))).toMatchObject({ resealed: 1, failed: [] });
      expect((await licenceRow(d.id)).issuerName).toBe(original);
    } finally {
      await db().department.update({ where: { id: w.issuing.id }, data: { name: original } });
    }
    // the holder's stored code no longer matches what was signed: nothing is signed
    const before = await licenceRow(e.id);
    const holder = await db().holder.findUniqueOrThrow({ where: { id: before.holderId } });
    await db().holder.update({ where: { id: holder.id }, data: { codeEnc: encryptHolderCode(holderUscc()) } });
    try {
      const r = await resealLicences(w.otherIssuer, resealInput.parse({ licenceIds: [e.id] }));
      expect(r.resealed).toBe(0);
      expect(r.failed).toEqual([{ identifier: e.identifier, reason: expect.stringMatching(/不一致/) }]);
      const after = await licenceRow(e.id);
      expect(after).toMatchObject({ sealId: w.sealId, rev: before.rev });
      expect(Buffer.from(after.signature!).equals(Buffer.from(before.signature!))).toBe(true);
    } finally {
      await db().holder.update({ where: { id: holder.id }, data: { codeEnc: holder.codeEnc } });
    }
    expect(await resealLicences(w.otherIssuer, resealInput.parse({ licenceIds: [e.id] }))).toMatchObject({ resealed: 1, failed: [] });
  });
});
