// The licence lifecycle (L-08): every transition of the table with its event, reason, actor and
// audit; refusals that change nothing; final statuses kept final by the service and the database;
// one winner among concurrent operators; pledge and its release; change (变更) and renewal (延续)
// as new licences (version + 1) linked to their annulled predecessor; and the detail reader.
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { decodeSignature } from "@/lib/crypto/ses";
import { sm3Hex } from "@/lib/crypto/sm3";
import { validityEndDate } from "@/lib/catalog/validity";
import { shanghaiDate } from "@/lib/calendar/working-days";
import { parseIdentifier } from "@/lib/licenses/identifier";
import { holderCode } from "@/lib/licenses/holders";
import { runLicenceExpiry } from "@/lib/licenses/expiry";
import { publicLicenceView } from "@/lib/licenses/verify";
import { ANOTHER, canonicalOf, changeLicence, pledgeLicence, releasePledge, renewLicence, transitionLicence } from "@/lib/licenses/lifecycle";
import { changeFormData, licenceDetail } from "@/lib/licenses/detail";
import {
  changeInput,
  pledgeInput,
  releasePledgeInput,
  renewInput,
  TRANSITION_NAMES,
  TRANSITIONS,
  transitionInput,
  type TransitionName,
} from "@/lib/licenses/lifecycle-schema";
import { pgError } from "@/tests/helpers/db";
import { eventsOf, faceFor, holderUscc, issue, licenceAudit, licenceRow, makeLicenceWorld, type LicenceWorld, issueBackdated } from "@/tests/helpers/licences";
import type { Actor } from "@/lib/auth/session";

let w: LicenceWorld;
beforeAll(async () => {
  w = await makeLicenceWorld();
}, 120_000);

const localNow = () => new Date(Date.now() - 60_000 + 8 * 3600_000).toISOString().slice(0, 16);
const addDays = (ymd: string, n: number) => new Date(Date.parse(`${ymd}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
const ymd = (d: Date | null) => (d ? d.toISOString().slice(0, 10) : null);

function tr(licenceId: string, rev: number, transition: TransitionName, reasonCode?: string) {
  return transitionInput.parse({ licenceId, rev, transition, reasonCode: reasonCode ?? TRANSITIONS[transition].reasons[0].code, reasonText: `${TRANSITIONS[transition].label}：依据决定书第 1 号` });
}

async function failure(p: Promise<unknown>): Promise<AppError> {
  const e = await p.then(
    () => null,
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(AppError);
  return e as AppError;
}

const json0 = (x: unknown) => JSON.stringify(x);

async function liveCount(holderId: string) {
  return db().licence.count({ where: { typeId: w.type.id, holderId, status: { in: ["VALID", "SUSPENDED"] } } });
}

describe("status transitions (L-08)", () => {
  it("suspends and resumes a licence, recording reason, actor, department and time in an event and an audit event", async () => {
    const { id } = await issue(w);
    const before = Date.now();
    await transitionLicence(w.issuer, tr(id, 0, "suspend", "RECTIFICATION"));
    let l = await licenceRow(id);
    expect(l).toMatchObject({ status: "SUSPENDED", rev: 1, statusReason: "RECTIFICATION" });
    expect(l.statusChangedAt!.getTime()).toBeGreaterThanOrEqual(before - 1000);
    const [, ev] = await eventsOf(id);
    expect(ev).toMatchObject({ kind: "SUSPEND", fromStatus: "VALID", toStatus: "SUSPENDED", reasonCode: "RECTIFICATION", reasonText: "暂扣：依据决定书第 1 号", actorId: w.issuer.userId, deptId: w.issuing.id });
    const [audit] = await licenceAudit(id, "licence.transition");
    expect(audit.detail).toMatchObject({ transition: "suspend", from: "VALID", to: "SUSPENDED", reason: "责令限期整改" });

    await transitionLicence(w.issuer2, tr(id, 1, "resume"));
    l = await licenceRow(id);
    expect(l).toMatchObject({ status: "VALID", rev: 2, statusReason: "RECTIFIED" });
    expect((await eventsOf(id)).map((e) => [e.kind, e.fromStatus, e.toStatus, e.actorId])).toEqual([
      ["ISSUE", null, "VALID", w.issuer.userId],
      ["SUSPEND", "VALID", "SUSPENDED", w.issuer.userId],
      ["RESUME", "SUSPENDED", "VALID", w.issuer2.userId],
    ]);
    expect((await licenceAudit(id, "licence.transition")).length).toBe(2);
  });

  it.each([
    ["revoke", "VALID", "REVOKED"],
    ["revoke", "SUSPENDED", "REVOKED"],
    ["cancel", "VALID", "CANCELLED"],
    ["cancel", "SUSPENDED", "CANCELLED"],
    ["annul", "VALID", "ANNULLED"],
    ["annul", "SUSPENDED", "ANNULLED"],
  ] as const)("%s from %s gives the final status %s, after which every transition is refused", async (name, from, to) => {
    const { id } = await issue(w);
    let rev = 0;
    if (from === "SUSPENDED") await transitionLicence(w.issuer, tr(id, rev++, "suspend"));
    await transitionLicence(w.issuer, tr(id, rev++, name));
    expect(await licenceRow(id)).toMatchObject({ status: to, rev });
    for (const next of TRANSITION_NAMES) {
      const e = await failure(transitionLicence(w.issuer, tr(id, rev, next)));
      expect(e.code).toBe("CONFLICT");
      expect(e.userMessage).toMatch(/不能/);
    }
    const e = await failure(pledgeLicence(w.issuer, pledgeInput.parse({ licenceId: id, rev, pledgee: "某银行", startsOn: shanghaiDate(new Date()), endsOn: shanghaiDate(new Date()) })));
    expect(e.code).toBe("CONFLICT");
    expect(await licenceRow(id)).toMatchObject({ status: to, rev });
    // the database keeps it final too
    const refused = await pgError(() => db().$executeRaw`UPDATE "Licence" SET "status" = 'VALID' WHERE "id" = ${id}::uuid`);
    expect(refused.message).toMatch(/final/);
  });

  it("cancels or annuls an expired licence, but does not suspend, resume or revoke it", async () => {
    const a = await issueBackdated(w, "2015-01-01");
    const b = await issueBackdated(w, "2015-02-01");
    await runLicenceExpiry();
    expect((await licenceRow(a.id)).status).toBe("EXPIRED");
    const rev = (await licenceRow(a.id)).rev;
    for (const name of ["suspend", "resume", "revoke"] as const) {
      const e = await failure(transitionLicence(w.issuer, tr(a.id, rev, name)));
      expect(e.userMessage).toBe(`证照当前状态为「已过期」，不能${TRANSITIONS[name].label}`);
    }
    await transitionLicence(w.issuer, tr(a.id, rev, "cancel", "EXPIRED_NOT_RENEWED"));
    expect(await licenceRow(a.id)).toMatchObject({ status: "CANCELLED", statusReason: "EXPIRED_NOT_RENEWED" });
    await transitionLicence(w.issuer, tr(b.id, (await licenceRow(b.id)).rev, "annul", "ISSUED_IN_ERROR"));
    expect((await licenceRow(b.id)).status).toBe("ANNULLED");
  });

  it("refuses a wrong status, another department, a role without licence.issue, a missing or unlisted reason and a stale page, changing nothing", async () => {
    const { id } = await issue(w);
    expect((await failure(transitionLicence(w.issuer, tr(id, 0, "resume")))).userMessage).toBe("证照当前状态为「有效」，不能恢复");
    expect((await failure(transitionLicence(w.otherIssuer, tr(id, 0, "suspend")))).code).toBe("NOT_FOUND");
    expect((await failure(transitionLicence(w.user, tr(id, 0, "suspend")))).code).toBe("FORBIDDEN");
    expect((await failure(transitionLicence(w.supervisor, tr(id, 0, "revoke")))).code).toBe("FORBIDDEN");
    expect((await failure(transitionLicence(w.issuer, tr(id, 3, "suspend")))).userMessage).toBe(ANOTHER);

    const noText = transitionInput.safeParse({ licenceId: id, rev: 0, transition: "suspend", reasonCode: "RECTIFICATION", reasonText: "  " });
    expect(noText.success).toBe(false);
    expect(noText.error!.issues[0]).toMatchObject({ path: ["reasonText"], message: "请填写说明" });
    const noCode = transitionInput.safeParse({ licenceId: id, rev: 0, transition: "suspend", reasonCode: "", reasonText: "说明" });
    expect(noCode.error!.issues[0]).toMatchObject({ path: ["reasonCode"], message: "请选择原因" });
    const wrongCode = transitionInput.safeParse({ licenceId: id, rev: 0, transition: "suspend", reasonCode: "FRAUD", reasonText: "说明" });
    expect(wrongCode.error!.issues[0]).toMatchObject({ path: ["reasonCode"], message: "请从列表中选择原因" });

    expect(await licenceRow(id)).toMatchObject({ status: "VALID", rev: 0, statusReason: null });
    expect((await eventsOf(id)).map((e) => e.kind)).toEqual(["ISSUE"]);
    expect(await licenceAudit(id, "licence.transition")).toEqual([]);
  });

  it("gives exactly one winner when several operators suspend the same licence at once", async () => {
    const { id } = await issue(w);
    const actors: Actor[] = [w.issuer, w.issuer2, w.issuer, w.issuer2, w.issuer, w.issuer2];
    const results = await Promise.allSettled(actors.map((a) => transitionLicence(a, tr(id, 0, "suspend"))));
    expect(results.filter((r) => r.status === "fulfilled").length).toBe(1);
    for (const r of results) if (r.status === "rejected") expect((r.reason as AppError).userMessage).toBe(ANOTHER);
    expect(await licenceRow(id)).toMatchObject({ status: "SUSPENDED", rev: 1 });
    expect((await eventsOf(id)).filter((e) => e.kind === "SUSPEND").length).toBe(1);
    expect((await licenceAudit(id, "licence.transition")).length).toBe(1);
  });
});

describe("pledge (L-08)", () => {
  it("pledges a valid licence with pledgee and period, refuses a second pledge, and releases it", async () => {
    const { id } = await issue(w);
    const today = shanghaiDate(new Date());
    const input = pledgeInput.parse({ licenceId: id, rev: 0, pledgee: "中国工商银行成都分行", startsOn: today, endsOn: addDays(today, 365), note: "贷款合同 2026-001" });
    const { restrictionId } = await pledgeLicence(w.issuer, input);
    expect(await licenceRow(id)).toMatchObject({ status: "VALID", restricted: true, rev: 1 });
    const rs = await db().licenceRestriction.findUniqueOrThrow({ where: { id: restrictionId } });
    expect(rs).toMatchObject({ licenceId: id, kind: "PLEDGE", pledgee: "中国工商银行成都分行", note: "贷款合同 2026-001", releasedAt: null, createdById: w.issuer.userId });
    expect(ymd(rs.endsOn)).toBe(addDays(today, 365));
    expect((await licenceAudit(id, "licence.restriction"))[0].detail).toMatchObject({ change: "ADD", pledgee: "中国工商银行成都分行" });

    expect((await failure(pledgeLicence(w.issuer, { ...input, rev: 1 }))).userMessage).toMatch(/质押中/);
    expect((await failure(renewLicence(w.issuer, renewInput.parse({ licenceId: id, rev: 1, businessCompletedAt: localNow(), reasonText: "延续" })))).userMessage).toMatch(/请先解除质押/);
    // suspending a pledged licence is allowed; the pledge stays
    await transitionLicence(w.issuer, tr(id, 1, "suspend"));
    expect(await licenceRow(id)).toMatchObject({ status: "SUSPENDED", restricted: true });

    await releasePledge(w.issuer2, releasePledgeInput.parse({ licenceId: id, rev: 2, restrictionId, reasonText: "贷款已结清" }));
    expect(await licenceRow(id)).toMatchObject({ restricted: false, rev: 3 });
    const released = await db().licenceRestriction.findUniqueOrThrow({ where: { id: restrictionId } });
    expect(released.releasedAt).not.toBeNull();
    expect(released.releasedById).toBe(w.issuer2.userId);
    expect((await failure(releasePledge(w.issuer, releasePledgeInput.parse({ licenceId: id, rev: 3, restrictionId, reasonText: "再次解除" })))).userMessage).toBe("该质押已解除");
    expect((await eventsOf(id)).map((e) => e.kind)).toEqual(["ISSUE", "PLEDGE", "SUSPEND", "RELEASE_PLEDGE"]);
    expect((await licenceAudit(id, "licence.restriction")).map((a) => (a.detail as { change: string }).change)).toEqual(["ADD", "RELEASE"]);
  });

  it("refuses a pledge on a suspended licence, beyond the licence's validity, or by another department", async () => {
    const { id } = await issue(w);
    const l = await licenceRow(id);
    const today = shanghaiDate(new Date());
    const base = { licenceId: id, rev: 0, pledgee: "某银行", startsOn: today, endsOn: addDays(ymd(l.validTo)!, 1) };
    const e = await failure(pledgeLicence(w.issuer, pledgeInput.parse(base)));
    expect(e.fieldErrors?.endsOn).toMatch(/不能晚于证照有效期截止日/);
    expect(pledgeInput.safeParse({ ...base, endsOn: addDays(today, -1) }).error!.issues[0].message).toBe("结束日期不能早于开始日期");
    expect((await failure(pledgeLicence(w.otherIssuer, pledgeInput.parse({ ...base, endsOn: today })))).code).toBe("NOT_FOUND");
    await transitionLicence(w.issuer, tr(id, 0, "suspend"));
    expect((await failure(pledgeLicence(w.issuer, pledgeInput.parse({ ...base, rev: 1, endsOn: today })))).userMessage).toBe("证照当前状态为「暂扣」，不能质押");
    expect(await db().licenceRestriction.count({ where: { licenceId: id } })).toBe(0);
  });
});

describe("change and renewal (L-08)", () => {
  it("changes a licence into a new version 002 with the same serial, annuls the predecessor and signs the successor's canonical encoding", async () => {
    const code = holderUscc();
    const { id, identifier } = await issue(w, { holder: { category: "LEGAL_PERSON", codeType: "001", code, name: "变更前有限公司", contact: "" } });
    const old = await licenceRow(id);
    const face = { ...(old.face as Record<string, unknown>), holderName: "变更后有限公司", address: "四川省成都市武侯区天府大道 100 号", legalRep: "" };
    const r = await changeLicence(w.issuer, changeInput.parse({ licenceId: id, rev: 0, businessCompletedAt: localNow(), holderName: "变更后有限公司", face, reasonText: "名称和经营场所变更" }));

    const next = await licenceRow(r.id);
    expect(next.identifier).not.toBe(identifier);
    expect(parseIdentifier(next.identifier)).toMatchObject({ serial: old.serial, version: 2 });
    expect(next.identifier).toMatch(/\.002\.[0-9A-Z]$/);
    expect(next).toMatchObject({ version: 2, serial: old.serial, predecessorId: id, status: "VALID", origin: "CHANGE", holderName: "变更后有限公司", holderId: old.holderId, originalIssuerDeptId: w.issuing.id });
    // 许可证编号不变: the printed number stays; the identifier's version moves on
    expect(next.licenceNumber).toBe(old.licenceNumber);
    expect(ymd(next.validFrom)).toBe(ymd(old.validFrom));
    expect(ymd(next.validTo)).toBe(ymd(old.validTo));
    // a sensitive field left blank keeps its value (the page never receives it)
    expect(next.face).toMatchObject({ address: "四川省成都市武侯区天府大道 100 号", legalRep: (old.face as Record<string, string>).legalRep });
    expect(await licenceRow(id)).toMatchObject({ status: "ANNULLED", statusReason: "CHANGED", rev: 1 });
    // the public page says the old version was replaced, not revoked, and names the current one
    expect(await publicLicenceView(id)).toMatchObject({ status: "ANNULLED", statusLabel: "已变更，由新版本替代", successor: { identifier: next.identifier, statusLabel: "有效" } });

    const sig = decodeSignature(next.signature!);
    expect(Buffer.from(sig.dataHash).toString("hex")).toBe(next.canonicalSm3);
    expect(sm3Hex(await canonicalOf(next))).toBe(next.canonicalSm3);
    expect(await holderCode(next.holderId)).toBe(code);

    expect((await eventsOf(r.id)).map((e) => [e.kind, e.toStatus])).toEqual([["CHANGE", "VALID"]]);
    const oldEvents = await eventsOf(id);
    expect(oldEvents.map((e) => [e.kind, e.fromStatus, e.toStatus, e.reasonCode])).toEqual([
      ["ISSUE", null, "VALID", null],
      ["ANNUL", "VALID", "ANNULLED", "CHANGED"],
    ]);
    expect(oldEvents[1].data).toMatchObject({ successor: next.identifier });
    expect((await licenceAudit(r.id, "licence.successor"))[0].detail).toMatchObject({ kind: "CHANGE", identifier: next.identifier, predecessor: identifier });
    expect(await liveCount(old.holderId)).toBe(1);

    // a second change: version 003; the chain reads the same from every member
    const third = await changeLicence(w.issuer2, changeInput.parse({ licenceId: r.id, rev: 0, businessCompletedAt: localNow(), holderName: "变更后有限公司", face: { ...face, format: "批发" }, reasonText: "经营业态变更" }));
    expect((await licenceRow(third.id)).version).toBe(3);
    for (const [member, current] of [[id, 1], [r.id, 2], [third.id, 3]] as const) {
      const d = await licenceDetail(w.issuer, member);
      expect(d.chain.map((c) => [c.version, c.status, c.current])).toEqual([
        [1, "ANNULLED", current === 1],
        [2, "ANNULLED", current === 2],
        [3, "VALID", current === 3],
      ]);
    }
    expect(await liveCount(old.holderId)).toBe(1);
  });

  it("renews within 90 days of the end: same face and number, validity by the type's rule from the renewal decision; earlier it is refused", async () => {
    const early = await issue(w);
    expect((await failure(renewLicence(w.issuer, renewInput.parse({ licenceId: early.id, rev: 0, businessCompletedAt: localNow(), reasonText: "提前延续" })))).userMessage).toMatch(/届满前 90 日内/);
    expect((await licenceRow(early.id)).status).toBe("VALID");
    expect((await licenceDetail(w.issuer, early.id)).can.renew).toBe(false);

    const today = shanghaiDate(new Date());
    const y = Number(today.slice(0, 4)) - 5;
    const { id } = await issueBackdated(w, `${y}${addDays(today, 30).slice(4)}`);
    const old = await licenceRow(id);
    expect((await licenceDetail(w.issuer, id)).can.renew).toBe(true);
    const r = await renewLicence(w.issuer, renewInput.parse({ licenceId: id, rev: old.rev, businessCompletedAt: localNow(), reasonText: "到期前申请延续" }));
    const next = await licenceRow(r.id);
    expect(ymd(next.validFrom)).toBe(today);
    expect(ymd(next.validTo)).toBe(validityEndDate({ kind: "YEARS", n: 5 }, new Date(`${today}T12:00:00+08:00`)));
    expect(next).toMatchObject({ version: 2, origin: "RENEW", predecessorId: id, face: old.face, holderName: old.holderName, licenceNumber: old.licenceNumber });
    expect(await licenceRow(id)).toMatchObject({ status: "ANNULLED", statusReason: "RENEWED" });
    expect((await licenceAudit(r.id, "licence.successor"))[0].detail).toMatchObject({ kind: "RENEW" });
    expect(sm3Hex(await canonicalOf(next))).toBe(next.canonicalSm3);
  });

  it("renews an expired licence from today", async () => {
    const { id } = await issueBackdated(w, "2016-03-01");
    await runLicenceExpiry();
    const old = await licenceRow(id);
    expect(old.status).toBe("EXPIRED");
    const r = await renewLicence(w.issuer, renewInput.parse({ licenceId: id, rev: old.rev, businessCompletedAt: localNow(), reasonText: "过期后补办延续" }));
    const next = await licenceRow(r.id);
    expect(ymd(next.validFrom)).toBe(shanghaiDate(new Date()));
    expect(next.status).toBe("VALID");
    expect((await licenceRow(id)).status).toBe("ANNULLED");
    expect((await eventsOf(id)).map((e) => e.kind)).toEqual(["ISSUE", "EXPIRE", "ANNUL"]);
  });

  it("refuses to change a suspended licence or bad face data, and gives one winner to two changes of the same version", async () => {
    const { id } = await issue(w);
    const old = await licenceRow(id);
    const face = old.face as Record<string, unknown>;
    const bad = await failure(changeLicence(w.issuer, changeInput.parse({ licenceId: id, rev: 0, businessCompletedAt: localNow(), holderName: old.holderName, face: { ...face, format: "不存在的业态" }, reasonText: "变更" })));
    expect(bad.code).toBe("INVALID_INPUT");
    expect(bad.fieldErrors?.["face.format"]).toBeTruthy();
    // a new start date that would make the new version expired at once is refused as at issue, and nothing changes
    const expired = await failure(changeLicence(w.issuer, changeInput.parse({ licenceId: id, rev: 0, businessCompletedAt: localNow(), holderName: old.holderName, face, validFrom: "2019-01-01", reasonText: "起始日期改早" })));
    expect(expired.code).toBe("INVALID_INPUT");
    expect(expired.fieldErrors?.validFrom).toMatch(/不能签发已过期的证照/);
    expect((await licenceRow(id)).status).toBe(old.status);
    expect(await db().licence.count({ where: { predecessorId: id } })).toBe(0);
    expect((await failure(changeLicence(w.otherIssuer, changeInput.parse({ licenceId: id, rev: 0, businessCompletedAt: localNow(), holderName: old.holderName, face, reasonText: "变更" })))).code).toBe("NOT_FOUND");

    const two = await Promise.allSettled(
      [w.issuer, w.issuer2].map((a) => changeLicence(a, changeInput.parse({ licenceId: id, rev: 0, businessCompletedAt: localNow(), holderName: old.holderName, face: { ...face, area: "99" }, reasonText: "面积变更" }))),
    );
    expect(two.filter((x) => x.status === "fulfilled").length).toBe(1);
    const lost = two.find((x) => x.status === "rejected") as PromiseRejectedResult;
    expect((lost.reason as AppError).code).toBe("CONFLICT");
    expect(await db().licence.count({ where: { serial: old.serial, typeId: w.type.id } })).toBe(2);
    expect(await liveCount(old.holderId)).toBe(1);

    const { id: s } = await issue(w);
    await transitionLicence(w.issuer, tr(s, 0, "suspend"));
    const sl = await licenceRow(s);
    expect((await failure(changeLicence(w.issuer, changeInput.parse({ licenceId: s, rev: 1, businessCompletedAt: localNow(), holderName: sl.holderName, face: sl.face as Record<string, unknown>, reasonText: "变更" })))).userMessage).toBe("证照当前状态为「暂扣」，不能变更");
    expect(await db().licence.count({ where: { predecessorId: s } })).toBe(0);
  });
});

describe("detail reader (U-02)", () => {
  it("shows the issuer and the supervisor a masked licence with its timeline; others get not found", async () => {
    const code = holderUscc();
    const name = "详情测试有限公司";
    const face = { ...faceFor(name, code), legalRep: "欧阳明华", idNumber: "510104199003071237" };
    const { id } = await issue(w, { holder: { category: "LEGAL_PERSON", codeType: "001", code, name, contact: "13912345678" }, face });
    await transitionLicence(w.issuer, tr(id, 0, "suspend"));

    const d = await licenceDetail(w.issuer, id);
    expect(d.holder.codeMasked).toBe(code.slice(0, 4) + "*".repeat(10) + code.slice(-4));
    expect(d.face.find((f) => f.key === "legalRep")?.value).toBe("欧***");
    expect(d.face.find((f) => f.key === "idNumber")?.value).toBe("5101**********1237");
    expect(d.face.find((f) => f.key === "format")?.value).toBe("零售");
    // the face's code field holding the holder's own code is masked like the holder code
    expect(d.face.find((f) => f.key === "uscc")?.value).toBe(d.holder.codeMasked);
    expect(json0(d)).not.toContain(code);
    const json = json0(d);
    expect(json).not.toContain("510104199003071237");
    expect(json).not.toContain("欧阳明华");
    expect(json).not.toContain("13912345678");
    expect(d.timeline.map((t) => [t.label, t.reason])).toEqual([
      ["签发", ""],
      ["暂扣", "违法违规经营，依法暂扣"],
    ]);
    expect(d.can.transitions.map((t) => t.name).sort()).toEqual(["annul", "cancel", "resume", "revoke"]);
    expect(d.can).toMatchObject({ pledge: false, change: false, renew: false, reseal: false });

    const s = await licenceDetail(w.supervisor, id);
    expect(s.can.transitions).toEqual([]);
    expect(s.asIssuer).toBe(false);
    for (const a of [w.otherIssuer, w.user, w.sysadmin]) expect((await failure(licenceDetail(a, id))).code).toBe("NOT_FOUND");
  });

  it("gives the change form the face without its sensitive values", async () => {
    const code = holderUscc();
    const face = { ...faceFor("表单测试有限公司", code), legalRep: "司马光", idNumber: "510104199003071237" };
    const { id } = await issue(w, { holder: { category: "LEGAL_PERSON", codeType: "001", code, name: "表单测试有限公司", contact: "" }, face });
    const f = await changeFormData(w.issuer, id);
    expect(f.face).toMatchObject({ legalRep: "", idNumber: "", format: "零售", holderName: "表单测试有限公司" });
    expect(f.face).toMatchObject({ uscc: "" });
    expect(f.keptSensitive.sort()).toEqual(["idNumber", "legalRep", "uscc"]);
    expect(f.fields.find((x) => x.key === "legalRep")?.required).toBe(false);
    const json = JSON.stringify(f);
    expect(json).not.toContain(code);
    expect(json).not.toContain("司马光");
    expect((await failure(changeFormData(w.otherIssuer, id))).code).toBe("NOT_FOUND");
  });
});
