// Objections (O-01 … O-03): submission by a using department and by a holder (holder code, rate
// limit, lookup code), marking (异议中 through Licence.openObjections), resolving inside and outside
// the stored deadlines (overdue flags in the queue), concurrent marking, correction through the
// licences change (new version, predecessor annulled), withdrawal, and permission/scope refusals.
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { sm3Hex } from "@/lib/crypto/sm3";
import { createDepartment, testIp, uniqueSuffix } from "@/tests/helpers/factory";
import { changeLicence } from "@/lib/licenses/lifecycle";
import { changeInput } from "@/lib/licenses/lifecycle-schema";
import { placeOf, regionName } from "@/lib/objections/common";
import { makeActor } from "@/tests/helpers/catalog";
import { correctObjection, markObjection, resolveObjection, withdrawByDept, withdrawByHolder } from "@/lib/objections/service";
import { deptObjectionForm, evidenceFile, listObjections, objectionDetail, openObjectionsOf, publicLookup, publicObjectionFields } from "@/lib/objections/queries";
import { objectionFilter } from "@/lib/objections/schema";
import { citizenId, eventsOf, faceFor, holderUscc, issue, licenceRow } from "@/tests/helpers/licences";
import {
  licenceFor,
  makeObjectionWorld,
  notificationsTo,
  objectionAudit,
  objectionByNumber,
  objectionEvents,
  objectionRow,
  openCount,
  pdf,
  raiseByDept,
  raiseByHolder,
  refusal,
  shanghai,
  type ObjectionWorld,
} from "@/tests/helpers/objections";

let w: ObjectionWorld;
beforeAll(async () => {
  w = await makeObjectionWorld();
}, 180_000);

const list = (actor = w.issuer, q: Record<string, string> = {}, now = new Date()) => listObjections(actor, objectionFilter.parse({ pageSize: "100", ...q }), now);

describe("submission (O-01)", () => {
  it("[O-01] a using department's objection keeps the fields with their current values (the holder's code masked), the evidence with its SM3, both deadlines, an event and an audit event, and tells the issuer's operators", async () => {
    const l = await licenceFor(w);
    const file = pdf("门牌证明.pdf");
    const bytes = new Uint8Array(await file.arrayBuffer());
    const before = new Date();
    const r = await raiseByDept(w.user, l.id, {
      files: [file],
      over: { fields: [{ key: "address", expected: "四川省成都市锦江区红星路三段2号" }, { key: "uscc", expected: "91510100MA6CJ7Q58R" }] },
    });
    const ymd = new Date(before.getTime() + 8 * 3600_000).toISOString().slice(0, 10).replaceAll("-", "");
    expect(r.number).toMatch(new RegExp(`^YY${ymd}\\d{6}$`));
    const o = await objectionRow(r.id);
    expect(o).toMatchObject({ number: r.number, licenceId: l.id, issuerDeptId: w.issuing.id, source: "DEPT", applicantDeptId: w.using.id, applicantUserId: w.user.userId, status: "SUBMITTED", outcome: null, routeStage: null, rev: 0 });
    expect(o.receivedAt.getTime()).toBeGreaterThanOrEqual(before.getTime() - 1000);
    expect(o.markDueAt.getTime()).toBeGreaterThan(o.receivedAt.getTime());
    expect(o.resolveDueAt.getTime()).toBeGreaterThan(o.markDueAt.getTime());
    const fields = o.fields as { key: string; label: string; current: string; expected: string; hidden: boolean }[];
    expect(fields[0]).toEqual({ key: "address", label: "经营场所", current: "四川省成都市锦江区红星路三段1号", expected: "四川省成都市锦江区红星路三段2号", hidden: false });
    expect(fields[1]).toMatchObject({ key: "uscc", label: "统一社会信用代码", hidden: true });
    expect(fields[1].current).toBe(`${l.code.slice(0, 4)}**********${l.code.slice(-4)}`);
    expect(JSON.stringify(o)).not.toContain(l.code);

    const [ev] = await db().objectionEvidence.findMany({ where: { objectionId: r.id } });
    expect(ev).toMatchObject({ fileName: "门牌证明.pdf", mime: "application/pdf", size: bytes.length, sm3: sm3Hex(bytes) });
    expect((await objectionEvents(r.id)).map((e) => [e.kind, e.fromStatus, e.toStatus, e.actorId, e.deptId])).toEqual([["SUBMIT", null, "SUBMITTED", w.user.userId, w.using.id]]);
    const [audit] = await objectionAudit(r.id, "objection.submit");
    expect(audit.detail).toMatchObject({ number: r.number, identifier: l.identifier, source: "DEPT", fields: 2, evidence: 1, routed: false });
    for (const op of [w.issuer, w.issuer2]) {
      const notes = (await notificationsTo(op.userId, "objection.new")).filter((n) => n.link === `/objections/${r.id}`);
      expect(notes).toHaveLength(1);
    }
    // submitted, not marked: not yet 异议中
    expect(await openCount(l.id)).toBe(0);
  });

  it("[O-01] refuses fields that are not on the licence, evidence that is not PDF/JPEG/PNG, too many or too large files, the issuing department itself, a department without the type on its use list, and a user without licence.use — writing nothing", async () => {
    const l = await licenceFor(w);
    const bad = await refusal(raiseByDept(w.user, l.id, { over: { fields: [{ key: "nosuchfield", expected: "x" }] } }));
    expect(bad).toMatchObject({ code: "INVALID_INPUT", fieldErrors: { "fields.0.key": "该证照没有这个字段" } });
    const dup = await refusal(raiseByDept(w.user, l.id, { over: { fields: [{ key: "address", expected: "a" }, { key: "address", expected: "b" }] } }));
    expect(dup.fieldErrors).toMatchObject({ "fields.1.key": "字段重复" });
    const short = await refusal(raiseByDept(w.user, l.id, { over: { description: "有误" } }));
    expect(short.fieldErrors?.description).toContain("至少 5 个字");
    const text = new File([Buffer.from("just text, not a pdf")], "说明.pdf", { type: "application/pdf" });
    expect((await refusal(raiseByDept(w.user, l.id, { files: [text] }))).fieldErrors?.evidence).toContain("说明.pdf");
    expect((await refusal(raiseByDept(w.user, l.id, { files: [1, 2, 3, 4, 5, 6].map((i) => pdf(`材料${i}.pdf`)) }))).userMessage).toBe("最多上传 5 个文件");
    const big = new File([Buffer.concat([Buffer.from("%PDF-1.4\n"), Buffer.alloc(5 * 1024 * 1024)])], "大文件.pdf", { type: "application/pdf" });
    expect((await refusal(raiseByDept(w.user, l.id, { files: [big] }))).code).toBe("INVALID_INPUT");

    expect(await refusal(raiseByDept(w.issuerUser, l.id))).toMatchObject({ code: "CONFLICT", userMessage: expect.stringContaining("发证部门不能对本部门签发的证照提出异议") });
    const unlisted = await makeActor(w.farUsing, [{ role: "USING_OPERATOR", scope: "OWN" }], "无清单用证员");
    await db().useListEntry.updateMany({ where: { deptId: w.farUsing.id, typeId: w.type.id }, data: { status: "DISABLED" } });
    try {
      expect(await refusal(raiseByDept(unlisted, l.id))).toMatchObject({ code: "FORBIDDEN", userMessage: expect.stringContaining("用证清单中没有") });
    } finally {
      await db().useListEntry.updateMany({ where: { deptId: w.farUsing.id, typeId: w.type.id }, data: { status: "ACTIVE" } });
    }
    expect((await refusal(raiseByDept(w.issuer, l.id))).code).toBe("FORBIDDEN");
    expect((await refusal(raiseByDept(w.user, "00000000-0000-4000-8000-000000000000"))).code).toBe("NOT_FOUND");
    expect(await db().objection.count({ where: { licenceId: l.id } })).toBe(0);
  });

  it("[O-01] a holder's objection needs the licence's holder code (the same answer for a wrong identifier), returns a number and a lookup code, and keeps the contact encrypted and masked", async () => {
    const l = await licenceFor(w);
    const other = await licenceFor(w);
    const wrongCode = await refusal(raiseByHolder(l.identifier, other.code));
    const wrongId = await refusal(raiseByHolder(`${l.identifier}X`, l.code));
    expect(wrongCode.userMessage).toBe("证照标识或持证主体代码不正确");
    expect(wrongId.userMessage).toBe(wrongCode.userMessage);
    expect(await db().objection.count({ where: { licenceId: l.id } })).toBe(0);

    const r = await raiseByHolder(l.identifier, l.code.toLowerCase(), { files: [pdf()] });
    expect(r.number).toMatch(/^YY\d{14}$/);
    expect(r.lookupCode).toMatch(/^[23456789ABCDEFGHJKLMNPQRSTUVWXYZ]{8}$/);
    const o = await objectionByNumber(r.number);
    expect(o).toMatchObject({ source: "HOLDER", applicantDeptId: null, applicantUserId: null, applicantName: "王小明", contactMasked: "139****1111", routeStage: null });
    expect(o.lookupHash).toMatch(/^[0-9a-f]{64}$/);
    expect(Buffer.from(o.contactEnc!).toString("latin1")).not.toContain("13900001111");
    expect(JSON.stringify({ ...o, contactEnc: null })).not.toContain(r.lookupCode);
    const [audit] = await objectionAudit(o.id, "objection.submit");
    // the holder is a company: the applicant's name is not a natural person's to mask (O-01 rule)
    expect(audit).toMatchObject({ actorId: null, actorName: "持证主体 王小明" });

    const seen = await publicLookup(r.number, r.lookupCode.toLowerCase());
    expect(seen).toMatchObject({ number: r.number, status: "SUBMITTED", outcome: null, licence: { identifier: l.identifier, underObjection: false }, canWithdraw: true, fields: ["经营业态"] });
    expect(await publicLookup(r.number, "AAAAAAAA")).toBeNull();
    expect(await publicLookup("YY20260101000001", r.lookupCode)).toBeNull();
  });

  it("[O-01] the public form limits the objections created per address, not the attempts: 10 refused submissions (a wrong file, a wrong holder code) use up nothing; after 5 objections in 10 minutes the 6th valid one is refused with RATE_LIMITED, audited once", async () => {
    const l = await licenceFor(w);
    const ip = testIp();
    const text = new File([Buffer.from("just text, not a pdf")], "说明.pdf", { type: "application/pdf" });
    for (let i = 0; i < 5; i++) expect((await refusal(raiseByHolder(l.identifier, l.code, { ip, files: [text] }))).code).toBe("INVALID_INPUT");
    for (let i = 0; i < 5; i++) expect((await refusal(raiseByHolder(l.identifier, "91510100MA6CJ7Q58R", { ip }))).code).toBe("INVALID_INPUT");
    expect(await db().rateLimit.findUnique({ where: { key: `objection:${ip}` } })).toBeNull();
    for (let i = 0; i < 5; i++) await raiseByHolder(l.identifier, l.code, { ip, files: [pdf()] });
    expect(await db().objection.count({ where: { licenceId: l.id } })).toBe(5);
    for (let i = 0; i < 2; i++) expect((await refusal(raiseByHolder(l.identifier, l.code, { ip }))).code).toBe("RATE_LIMITED");
    expect(await db().objection.count({ where: { licenceId: l.id } })).toBe(5);
    // the refusals are not counted; the first of the window is audited
    expect((await db().rateLimit.findUniqueOrThrow({ where: { key: `objection:${ip}` } })).count).toBe(5);
    expect(await db().auditEvent.count({ where: { action: "ratelimit.exceeded", ip, detail: { path: ["bucket"], equals: "objection" } } })).toBe(1);
    // another address is not affected
    await raiseByHolder(l.identifier, l.code, { ip: testIp() });
  });

  it("[O-01] submissions racing for an address's last try: exactly one is created, the others are refused with RATE_LIMITED and leave nothing behind", async () => {
    const l = await licenceFor(w);
    const ip = testIp();
    for (let i = 0; i < 4; i++) await raiseByHolder(l.identifier, l.code, { ip });
    const results = await Promise.allSettled([1, 2, 3].map(() => raiseByHolder(l.identifier, l.code, { ip })));
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    for (const r of results) if (r.status === "rejected") expect((r.reason as { code: string }).code).toBe("RATE_LIMITED");
    expect(await db().objection.count({ where: { licenceId: l.id } })).toBe(5);
    expect((await db().rateLimit.findUniqueOrThrow({ where: { key: `objection:${ip}` } })).count).toBe(5);
  });
});

describe("marking and resolving (O-02, O-03)", () => {
  it("[O-02] an issuer operator marks the objection: MARKED with the note, the licence is under objection (openObjections, the holder's lookup), an event and an audit event", async () => {
    const l = await licenceFor(w);
    const r = await raiseByHolder(l.identifier, l.code);
    const o = await objectionByNumber(r.number);
    await markObjection(w.issuer, { id: o.id, rev: 0, note: "已受理，正在核实" });
    const m = await objectionRow(o.id);
    expect(m).toMatchObject({ status: "MARKED", markedById: w.issuer.userId, markNote: "已受理，正在核实", rev: 1 });
    expect(await openCount(l.id)).toBe(1);
    expect((await publicLookup(r.number, r.lookupCode))?.licence.underObjection).toBe(true);
    expect((await openObjectionsOf(w.issuer, l.id)).map((x) => x.number)).toEqual([r.number]);
    const evs = await objectionEvents(o.id);
    expect(evs.map((e) => [e.kind, e.fromStatus, e.toStatus, e.actorId])).toEqual([
      ["SUBMIT", null, "SUBMITTED", null],
      ["MARK", "SUBMITTED", "MARKED", w.issuer.userId],
    ]);
    const [audit] = await objectionAudit(o.id, "objection.transition");
    expect(audit.detail).toMatchObject({ number: r.number, transition: "mark", from: "SUBMITTED", to: "MARKED", late: false });
    // marking twice is refused, nothing counted twice
    expect((await refusal(markObjection(w.issuer2, { id: o.id, rev: 1, note: "" }))).userMessage).toBe("该异议已被其他人标注");
    expect(await openCount(l.id)).toBe(1);
  });

  it("[O-03] resolves as UPHELD with the reason: RESOLVED, the licence no longer under objection, the using department's applicant told in-app; resolving before marking is refused", async () => {
    const l = await licenceFor(w);
    const { id } = await raiseByDept(w.user, l.id);
    const early = await refusal(resolveObjection(w.issuer, { id, rev: 0, outcome: "UPHELD", reason: "经核实证照信息无误" }));
    expect(early).toMatchObject({ code: "CONFLICT", userMessage: "请先进行异议标注，再办结" });
    await markObjection(w.issuer, { id, rev: 0, note: "" });
    expect(await openCount(l.id)).toBe(1);
    await resolveObjection(w.issuer2, { id, rev: 1, outcome: "UPHELD", reason: "经核实，经营场所与登记一致，证照信息无误" });
    expect(await objectionRow(id)).toMatchObject({ status: "RESOLVED", outcome: "UPHELD", resolvedById: w.issuer2.userId, resolution: "经核实，经营场所与登记一致，证照信息无误", rev: 2 });
    expect(await openCount(l.id)).toBe(0);
    const notes = (await notificationsTo(w.user.userId, "objection.result")).filter((n) => n.link === `/objections/${id}`);
    expect(notes).toHaveLength(1);
    expect(notes[0].body).toContain("经核实数据无误。经核实，经营场所与登记一致，证照信息无误");
    const audits = await objectionAudit(id, "objection.transition");
    expect(audits.map((a) => (a.detail as { transition: string }).transition)).toEqual(["mark", "resolve"]);
    expect((await refusal(resolveObjection(w.issuer, { id, rev: 2, outcome: "REJECTED", reason: "再次办结的尝试" }))).userMessage).toBe("该异议已办结");
    expect((await refusal(withdrawByDept(w.user, { id, rev: 2 }))).userMessage).toBe("该异议已办结，不能撤回");
  });

  it("[O-02][O-03] marking and resolving within the stored deadlines are on time; outside them the queue flags overdue and the overdue / due-today filters find it", async () => {
    const l = await licenceFor(w);
    // received Monday 2026-11-02 10:00: mark by Tuesday 11-03, resolve by Monday 11-09 (no holidays in between)
    const received = shanghai("2026-11-02T10:00");
    const late = await raiseByDept(w.user, l.id, { now: received });
    const timely = await raiseByDept(w.user2, l.id, { now: received });
    const o = await objectionRow(late.id);
    expect(o.markDueAt.toISOString()).toBe("2026-11-03T15:59:59.999Z");
    expect(o.resolveDueAt.toISOString()).toBe("2026-11-09T15:59:59.999Z");
    const q = { identifier: l.identifier };

    // Tuesday 11:00: both inside the marking deadline
    let rows = (await list(w.issuer, q, shanghai("2026-11-03T11:00"))).rows;
    expect(rows).toHaveLength(2);
    for (const r of rows) expect(r).toMatchObject({ overdue: { mark: false, resolve: false }, markLeftMs: o.markDueAt.getTime() - shanghai("2026-11-03T11:00").getTime() });
    expect((await list(w.issuer, { ...q, dueToday: "1" }, shanghai("2026-11-03T11:00"))).total).toBe(2);
    await markObjection(w.issuer, { id: timely.id, rev: 0, note: "" }, shanghai("2026-11-03T11:00"));

    // Wednesday: the other one is overdue for marking
    rows = (await list(w.issuer, { ...q, overdue: "1" }, shanghai("2026-11-04T09:00"))).rows;
    expect(rows.map((r) => r.id)).toEqual([late.id]);
    expect(rows[0].overdue).toEqual({ mark: true, resolve: false });
    expect(rows[0].markLeftMs).toBeLessThan(0);
    await markObjection(w.issuer, { id: late.id, rev: 0, note: "迟到的标注" }, shanghai("2026-11-04T09:00"));
    expect((await objectionEvents(late.id)).find((e) => e.kind === "MARK")?.data).toMatchObject({ late: true });
    expect((await objectionAudit(late.id, "objection.transition"))[0].detail).toMatchObject({ late: true });
    expect((await objectionAudit(timely.id, "objection.transition"))[0].detail).toMatchObject({ late: false });
    rows = (await list(w.issuer, q, shanghai("2026-11-04T09:05"))).rows;
    for (const r of rows) expect(r).toMatchObject({ status: "MARKED", markLeftMs: null, overdue: { mark: false, resolve: false } });
    expect((await list(w.issuer, { ...q, overdue: "1" }, shanghai("2026-11-04T09:05"))).total).toBe(0);

    // Friday: one resolved in time; Monday 11-09 the other is due today; Tuesday it is overdue
    await resolveObjection(w.issuer, { id: timely.id, rev: 1, outcome: "REJECTED", reason: "申请方所述与登记材料不符" }, shanghai("2026-11-06T16:00"));
    expect((await list(w.issuer, { ...q, dueToday: "1" }, shanghai("2026-11-09T12:00"))).rows.map((r) => r.id)).toEqual([late.id]);
    rows = (await list(w.issuer, { ...q, overdue: "1" }, shanghai("2026-11-10T09:00"))).rows;
    expect(rows.map((r) => r.id)).toEqual([late.id]);
    expect(rows[0].overdue).toEqual({ mark: false, resolve: true });
    expect(rows[0].resolveLeftMs).toBeLessThan(0);
    const done = (await list(w.issuer, q, shanghai("2026-11-10T09:00"))).rows.find((r) => r.id === timely.id)!;
    expect(done).toMatchObject({ status: "RESOLVED", outcomeLabel: "不予采纳", resolveLeftMs: null, overdue: { mark: false, resolve: false } });
    await resolveObjection(w.issuer, { id: late.id, rev: 1, outcome: "UPHELD", reason: "经核实证照信息无误" }, shanghai("2026-11-10T09:00"));
    expect((await objectionAudit(late.id, "objection.transition"))[1].detail).toMatchObject({ transition: "resolve", late: true });
    expect((await list(w.issuer, { ...q, overdue: "1" }, shanghai("2026-11-10T09:05"))).total).toBe(0);
  });

  it("[O-02] two operators marking at once give exactly one marking; the other is told 该异议已被其他人标注", async () => {
    const l = await licenceFor(w);
    const { id } = await raiseByDept(w.user, l.id);
    const results = await Promise.allSettled([markObjection(w.issuer, { id, rev: 0, note: "甲" }), markObjection(w.issuer2, { id, rev: 0, note: "乙" })]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const lost = results.find((r): r is PromiseRejectedResult => r.status === "rejected")!;
    expect(lost.reason).toMatchObject({ code: "CONFLICT", userMessage: "该异议已被其他人标注" });
    expect(await openCount(l.id)).toBe(1);
    expect((await objectionEvents(id)).filter((e) => e.kind === "MARK")).toHaveLength(1);
    expect(await objectionAudit(id, "objection.transition")).toHaveLength(1);
  });
});

describe("correction (O-03)", () => {
  it("[O-03] a corrected resolution issues the new licence version with the new face, annuls the predecessor, links the objection (CORRECTED), clears 异议中, and the holder's lookup and notification record show the result", async () => {
    const l = await licenceFor(w);
    const r = await raiseByHolder(l.identifier, l.code);
    const o = await objectionByNumber(r.number);
    await markObjection(w.issuer, { id: o.id, rev: 0, note: "" });
    const detail = await objectionDetail(w.issuer, o.id);
    expect(detail.can).toMatchObject({ canMark: false, canResolve: true, canCorrect: true, canWithdraw: false });
    expect(detail.correction?.licenceId).toBe(l.id);
    const face = { ...detail.correction!.face, format: "餐饮" };

    const out = await correctObjection(w.issuer, { id: o.id, rev: 1, reason: "经核实，经营业态登记有误，已更正为餐饮", face, holderName: "", changeReason: "" });
    const next = await licenceRow(out.licenceId);
    const prev = await licenceRow(l.id);
    expect(next).toMatchObject({ version: 2, predecessorId: l.id, status: "VALID", origin: "CHANGE", openObjections: 0 });
    expect((next.face as Record<string, unknown>).format).toBe("餐饮");
    expect(prev).toMatchObject({ status: "ANNULLED", statusReason: "CHANGED", openObjections: 0 });
    expect(await objectionRow(o.id)).toMatchObject({ status: "RESOLVED", outcome: "CORRECTED", correctedLicenceId: next.id, resolution: "经核实，经营业态登记有误，已更正为餐饮", rev: 2 });
    expect((await eventsOf(l.id)).at(-1)).toMatchObject({ kind: "ANNUL", reasonText: `根据异议 ${r.number} 更正` });
    const evs = await objectionEvents(o.id);
    expect(evs.at(-1)).toMatchObject({ kind: "CORRECT", fromStatus: "MARKED", toStatus: "RESOLVED" });
    expect(evs.at(-1)?.data).toMatchObject({ outcome: "CORRECTED", successorId: next.id, version: 2 });

    const seen = await publicLookup(r.number, r.lookupCode);
    expect(seen).toMatchObject({ status: "RESOLVED", outcome: "CORRECTED", outcomeLabel: "已更正", correctedIdentifier: next.identifier, canWithdraw: false, licence: { underObjection: false } });
    const [hn] = await db().holderNotification.findMany({ where: { licenceId: l.id, kind: `OBJ:${r.number}` } });
    expect(hn).toMatchObject({ channel: "SMS", contactMasked: "139****1111", status: "PENDING" });
    expect(hn.message).toContain("已更正");
    expect(hn.message).toContain(next.identifier);
  });

  it("[O-03] a correction the licences service refuses (a face that fails the type's schema, a stale revision) changes nothing", async () => {
    const l = await licenceFor(w);
    const { id } = await raiseByDept(w.user, l.id);
    await markObjection(w.issuer, { id, rev: 0, note: "" });
    const d = await objectionDetail(w.issuer, id);
    const bad = await refusal(correctObjection(w.issuer, { id, rev: 1, reason: "更正经营业态为无效值", face: { ...d.correction!.face, format: "不存在的业态" }, holderName: "", changeReason: "" }));
    expect(bad.code).toBe("INVALID_INPUT");
    expect(Object.keys(bad.fieldErrors ?? {})).toContain("face.format");
    const stale = await refusal(correctObjection(w.issuer, { id, rev: 0, reason: "以过期的版本号更正", face: d.correction!.face, holderName: "", changeReason: "" }));
    expect(stale.code).toBe("CONFLICT");
    expect(await licenceRow(l.id)).toMatchObject({ status: "VALID", version: 1, openObjections: 1 });
    expect(await db().licence.count({ where: { predecessorId: l.id } })).toBe(0);
    expect(await objectionRow(id)).toMatchObject({ status: "MARKED", rev: 1 });
  });

  it("[O-03] a correction racing the applicant's withdrawal: exactly one wins, and a withdrawal that wins leaves no new licence version", async () => {
    const l = await licenceFor(w);
    const { id } = await raiseByDept(w.user, l.id);
    await markObjection(w.issuer, { id, rev: 0, note: "" });
    const d = await objectionDetail(w.issuer, id);
    const [c, wd] = await Promise.allSettled([
      correctObjection(w.issuer, { id, rev: 1, reason: "更正经营场所门牌号", face: { ...d.correction!.face, address: "四川省成都市锦江区红星路三段2号" }, holderName: "", changeReason: "" }),
      withdrawByDept(w.user, { id, rev: 1 }),
    ]);
    expect([c.status, wd.status].filter((s) => s === "fulfilled")).toHaveLength(1);
    const o = await objectionRow(id);
    const successors = await db().licence.count({ where: { predecessorId: l.id } });
    if (wd.status === "fulfilled") {
      expect(o.status).toBe("WITHDRAWN");
      expect(successors).toBe(0);
      expect(await licenceRow(l.id)).toMatchObject({ status: "VALID", openObjections: 0 });
    } else {
      expect(o).toMatchObject({ status: "RESOLVED", outcome: "CORRECTED" });
      expect(successors).toBe(1);
      expect(await licenceRow(l.id)).toMatchObject({ status: "ANNULLED", openObjections: 0 });
    }
  });
});

describe("withdrawal", () => {
  it("the applicant department withdraws a marked objection (异议中 ends); another using department cannot; the holder withdraws with the number and lookup code, a wrong code is refused", async () => {
    const l = await licenceFor(w);
    const { id } = await raiseByDept(w.user, l.id);
    await markObjection(w.issuer, { id, rev: 0, note: "" });
    expect(await openCount(l.id)).toBe(1);
    expect((await refusal(withdrawByDept(w.farUser, { id, rev: 1 }))).code).toBe("NOT_FOUND");
    await withdrawByDept(w.user2, { id, rev: 1 });
    expect(await objectionRow(id)).toMatchObject({ status: "WITHDRAWN", outcome: null, rev: 2 });
    expect((await objectionRow(id)).withdrawnAt).not.toBeNull();
    expect(await openCount(l.id)).toBe(0);
    expect((await objectionEvents(id)).at(-1)).toMatchObject({ kind: "WITHDRAW", fromStatus: "MARKED", toStatus: "WITHDRAWN", actorId: w.user2.userId });
    expect((await notificationsTo(w.issuer.userId, "objection.withdrawn")).some((n) => n.link === `/objections/${id}`)).toBe(true);
    expect((await refusal(markObjection(w.issuer, { id, rev: 2, note: "" }))).userMessage).toBe("申请方已撤回该异议");

    const r = await raiseByHolder(l.identifier, l.code);
    expect((await refusal(withdrawByHolder({ number: r.number, lookupCode: "AAAAAAAA" }, { ip: testIp() }))).userMessage).toBe("异议编号或查询码不正确");
    await withdrawByHolder({ number: r.number, lookupCode: r.lookupCode }, { ip: testIp() });
    expect(await publicLookup(r.number, r.lookupCode)).toMatchObject({ status: "WITHDRAWN", canWithdraw: false });
    expect((await objectionAudit((await objectionByNumber(r.number)).id, "objection.transition"))[0].detail).toMatchObject({ transition: "withdraw", from: "SUBMITTED", to: "WITHDRAWN" });
  });
});

describe("permissions and scope", () => {
  it("an issuer of another department cannot mark (not found) and does not see it; a using operator cannot mark; readers see it masked; evidence only for readers", async () => {
    const l = await licenceFor(w);
    const { id } = await raiseByDept(w.user, l.id, { files: [pdf("材料.pdf")], over: { fields: [{ key: "uscc", expected: "91510100MA6CJ7Q58R" }] } });
    expect((await refusal(markObjection(w.otherIssuer, { id, rev: 0, note: "" }))).code).toBe("NOT_FOUND");
    expect((await refusal(markObjection(w.user, { id, rev: 0, note: "" }))).code).toBe("FORBIDDEN");
    expect((await refusal(resolveObjection(w.supervisor, { id, rev: 0, outcome: "UPHELD", reason: "监督员不能办结" }))).code).toBe("FORBIDDEN");
    expect(await objectionRow(id)).toMatchObject({ status: "SUBMITTED", rev: 0 });

    expect((await list(w.otherIssuer, { identifier: l.identifier })).total).toBe(0);
    expect((await list(w.farUser, { identifier: l.identifier })).total).toBe(0);
    expect((await list(w.user, { identifier: l.identifier })).total).toBe(1);
    expect((await list(w.supervisor, { identifier: l.identifier })).total).toBe(1);
    expect((await refusal(list(w.sysadmin, {}))).code).toBe("FORBIDDEN");
    expect((await refusal(objectionDetail(w.otherIssuer, id))).code).toBe("NOT_FOUND");
    expect((await refusal(objectionDetail(w.farUser, id))).code).toBe("NOT_FOUND");

    const asIssuer = await objectionDetail(w.issuer, id);
    expect(asIssuer.can).toEqual({ canMark: true, canResolve: false, canCorrect: false, canForward: false, canReturn: false, canWithdraw: false });
    expect(asIssuer.fields[0]).toMatchObject({ key: "uscc", submitted: `${l.code.slice(0, 4)}**********${l.code.slice(-4)}`, current: `${l.code.slice(0, 4)}**********${l.code.slice(-4)}`, expected: "9151**********Q58R" });
    expect(JSON.stringify(asIssuer)).not.toContain(l.code);
    const asApplicant = await objectionDetail(w.user, id);
    expect(asApplicant.can).toMatchObject({ canMark: false, canWithdraw: true });

    const evId = asIssuer.evidence[0].id;
    const file = await evidenceFile(w.issuer, evId);
    expect(file).toMatchObject({ type: "application/pdf", fileName: "材料.pdf" });
    expect(file.body.subarray(0, 5).toString("latin1")).toBe("%PDF-");
    expect((await evidenceFile(w.user, evId)).fileName).toBe("材料.pdf");
    expect((await refusal(evidenceFile(w.otherIssuer, evId))).code).toBe("NOT_FOUND");
    expect((await refusal(evidenceFile(w.farUser, evId))).code).toBe("NOT_FOUND");
  });
});

describe("what the forms are offered", () => {
  it("[O-01] the licence page's form lists the face fields with masked values for a using department, and says why the issuing department may not object; the public form gets field labels only for a matching holder code", async () => {
    const l = await licenceFor(w);
    const form = await deptObjectionForm(w.user, l.id);
    expect(form.allowed).toBe(true);
    if (!form.allowed) return;
    expect(form.licence).toMatchObject({ id: l.id, identifier: l.identifier });
    expect(form.fields.find((f) => f.key === "address")).toEqual({ key: "address", label: "经营场所", current: "四川省成都市锦江区红星路三段1号" });
    expect(form.fields.find((f) => f.key === "uscc")?.current).toBe(`${l.code.slice(0, 4)}**********${l.code.slice(-4)}`);
    expect(form.fields.find((f) => f.key === "legalRep")?.current).toBe("张*");
    expect(JSON.stringify(form)).not.toContain(l.code);
    expect(await deptObjectionForm(w.issuerUser, l.id)).toEqual({ allowed: false, reason: "发证部门不能对本部门签发的证照提出异议" });
    expect((await refusal(deptObjectionForm(w.issuer, l.id))).code).toBe("FORBIDDEN");

    const labels = await publicObjectionFields(l.identifier, l.code);
    expect(labels?.fields.map((f) => f.label)).toContain("经营业态");
    expect(JSON.stringify(labels)).not.toContain("零售");
    expect(await publicObjectionFields(l.identifier, "91510100MA6CJ7Q58R")).toBeNull();
    expect(await publicObjectionFields("1.2.156.nothing", l.code)).toBeNull();
  });
});

describe("after the browser review (O-01, O-03, O-06)", () => {
  const localNow = () => new Date(Date.now() + 8 * 3600_000 - 60_000).toISOString().slice(0, 16);

  it("[O-01] a holder using a replaced version's identifier with the right code is told the current version (followed through every 变更), by the field choice and the submission; a wrong code still reveals nothing", async () => {
    const l = await licenceFor(w);
    const v1 = await licenceRow(l.id);
    const face = v1.face as Record<string, unknown>;
    const v2 = await changeLicence(w.issuer, changeInput.parse({ licenceId: l.id, rev: 0, businessCompletedAt: localNow(), holderName: v1.holderName, face: { ...face, format: "批发" }, reasonText: "经营业态变更" }));
    const v3 = await changeLicence(w.issuer, changeInput.parse({ licenceId: v2.id, rev: 0, businessCompletedAt: localNow(), holderName: v1.holderName, face: { ...face, format: "餐饮" }, reasonText: "经营业态再次变更" }));
    const current = (await licenceRow(v3.id)).identifier;
    const message = `该证照已变更为新版本，请对现行版本提出异议：${current}`;
    for (const old of [v1.identifier, (await licenceRow(v2.id)).identifier]) {
      expect(await refusal(raiseByHolder(old, l.code))).toMatchObject({ code: "CONFLICT", userMessage: message, fieldErrors: { identifier: message } });
      expect(await refusal(publicObjectionFields(old, l.code.toLowerCase()))).toMatchObject({ code: "CONFLICT", userMessage: message });
    }
    // the wrong code: the one answer for either mistake, nothing about versions
    const other = await licenceFor(w);
    const wrong = await refusal(raiseByHolder(v1.identifier, other.code));
    expect(wrong).toMatchObject({ code: "INVALID_INPUT", userMessage: "证照标识或持证主体代码不正确" });
    expect(JSON.stringify(wrong)).not.toContain(current);
    expect(await publicObjectionFields(v1.identifier, other.code)).toBeNull();
    expect(await db().objection.count({ where: { licenceId: { in: [l.id, v2.id, v3.id] } } })).toBe(0);
    // the current version takes the objection
    expect((await publicObjectionFields(current, l.code))?.fields.map((f) => f.key)).toContain("format");
    const r = await raiseByHolder(current, l.code);
    expect((await objectionByNumber(r.number)).licenceId).toBe(v3.id);
  });

  it("[O-01] a holder's name is masked only when the licence's holder is a natural person, the same in the queue, the detail, the timeline, the audit trail and the holder's lookup", async () => {
    const idn = citizenId();
    const person = await issue(w, { holder: { category: "NATURAL_PERSON", codeType: "111", code: idn, name: "张三丰", contact: "" }, face: { ...faceFor("张三丰", holderUscc()), idNumber: idn } });
    const company = await licenceFor(w);
    const companyName = (await licenceRow(company.id)).holderName;
    const cases = [
      { r: await raiseByHolder(person.identifier, idn, { over: { applicantName: "张三丰" } }), shown: "张**" },
      { r: await raiseByHolder(company.identifier, company.code, { over: { applicantName: companyName } }), shown: companyName },
    ];
    for (const { r, shown } of cases) {
      const o = await objectionByNumber(r.number);
      await withdrawByHolder({ number: r.number, lookupCode: r.lookupCode }, { ip: testIp() });
      const [row] = (await list(w.issuer, { number: r.number })).rows;
      expect(row.applicant).toMatchObject({ name: shown, label: `持证主体 ${shown}` });
      const d = await objectionDetail(w.issuer, o.id);
      expect(d.applicant.name).toBe(shown);
      expect(d.events.filter((e) => e.kind === "SUBMIT" || e.kind === "WITHDRAW").map((e) => e.actorName)).toEqual([`持证主体 ${shown}`, `持证主体 ${shown}`]);
      expect((await objectionEvents(o.id)).map((e) => e.actorName)).toEqual([`持证主体 ${shown}`, `持证主体 ${shown}`]);
      expect((await objectionAudit(o.id)).map((a) => a.actorName)).toEqual([`持证主体 ${shown}`, `持证主体 ${shown}`]);
      expect((await publicLookup(r.number, r.lookupCode))?.applicantName).toBe(shown);
    }
    expect(JSON.stringify(await objectionDetail(w.issuer, (await objectionByNumber(cases[0].r.number)).id))).not.toContain("张三丰");
  });

  it("[O-06] the detail names the objection's region (成都市, 四川省) from its departments: the management department, else the top city- or province-level one; its full name when it names no place; null for an unknown code", async () => {
    const s = uniqueSuffix();
    const gov = await createDepartment({ level: "PROVINCE", name: `四川省人民政府${s}` });
    await createDepartment({ parent: gov, level: "PROVINCE", name: `测试数据局${s}`, parts: { isManagement: true } });
    const city = await createDepartment({ parent: gov, level: "CITY", name: `成都市人民政府${s}` });
    const bureau = await createDepartment({ parent: city, level: "CITY", name: `测试审批局${s}` });
    // the management department names no place: its full name
    expect(await regionName(db(), "510000", bureau)).toBe(`测试数据局${s}`);
    expect(await regionName(db(), "510100", bureau)).toBe("成都市");
    const lone = await createDepartment({ level: "PROVINCE", name: `四川省大数据中心${s}`, parts: { isManagement: true } });
    expect(await regionName(db(), "510000", lone)).toBe("四川省");
    expect(await regionName(db(), "519900", bureau)).toBeNull();
    expect([placeOf("四川省人民政府"), placeOf("成都市市场监督管理局"), placeOf("阿坝藏族羌族自治州人民政府"), placeOf("国家税务总局四川省税务局"), placeOf("测试大数据中心")]).toEqual(["四川省", "成都市", "阿坝藏族羌族自治州", null, null]);

    const l = await licenceFor(w);
    const { id } = await raiseByDept(w.user, l.id);
    const d = await objectionDetail(w.issuer, id);
    expect(d.regionName).toBe(await regionName(db(), d.regionCode, await db().department.findUniqueOrThrow({ where: { id: w.issuing.id } })));
    // the world's province is 测试大数据中心-… (no place in its name), its city departments 成都市…
    expect(d.regionName).toBe(d.regionCode === "510000" ? w.province.name : "成都市");
  });
});
