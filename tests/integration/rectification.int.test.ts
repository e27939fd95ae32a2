// Rectification orders and notices (V-02): the lifecycle issue → respond → return → respond →
// close with its events, audit rows and notifications; evidence validation; the overdue flag from
// the stored due date; concurrent close/return with one winner; scope refusals; notices about
// overdue orders in scope, read by anyone signed in; the attachments' type check and download
// scope; the list's filters.
import { beforeAll, describe, expect, it } from "vitest";
import JSZip from "jszip";
import { db } from "@/lib/db";
import { sm3Hex } from "@/lib/crypto/sm3";
import { addWorkingDays } from "@/lib/calendar";
import { shanghaiDate } from "@/lib/calendar/working-days";
import { closeOrder, issueOrder, respondOrder, returnOrder } from "@/lib/supervision/rectification";
import { attachmentFile, listOrders, orderDetail, overdueOrdersForNotice } from "@/lib/supervision/rectification-queries";
import { listNotices, noticeDetail, publishNotice } from "@/lib/supervision/notices";
import { orderFilter, orderPrefill, type IssueOrderFormInput } from "@/lib/supervision/rectification-schema";
import { sniffAttachment } from "@/lib/supervision/rectification-files";
import { evidenceCandidates } from "@/lib/supervision/rectification-evidence";
import { createSpotCheck } from "@/lib/supervision/spot-checks";
import { createDepartment, uniqueSuffix } from "@/tests/helpers/factory";
import { makeActor } from "@/tests/helpers/catalog";
import type { Actor } from "@/lib/auth/session";
import { licenceFor, makeObjectionWorld, notificationsTo, pdf, raiseByDept, refusal, type ObjectionWorld } from "@/tests/helpers/objections";

let w: ObjectionWorld;
let cityA: Awaited<ReturnType<typeof createDepartment>>;
let countyA: Awaited<ReturnType<typeof createDepartment>>;
let citySupervisor: Actor;
let countyResponder: Actor;
let objectionId: string;
let licenceId: string;
let otherLicenceId: string;

beforeAll(async () => {
  w = await makeObjectionWorld();
  // a city's management department with its own supervisor (SUBTREE) and a county department below it
  cityA = await createDepartment({ parent: w.province, level: "CITY", area: "510700", parts: { isManagement: true }, name: `绵阳市测试大数据局-${uniqueSuffix()}` });
  countyA = await createDepartment({ parent: cityA, level: "COUNTY", area: "510703", parts: { isIssuing: true }, name: `涪城区测试审批局-${uniqueSuffix()}` });
  citySupervisor = await makeActor(cityA, [{ role: "SUPERVISOR", scope: "SUBTREE" }], "市级监督员");
  countyResponder = await makeActor(countyA, [{ role: "ISSUER_OPERATOR", scope: "OWN" }], "区县发证员");
  const l = await licenceFor(w);
  licenceId = l.id;
  objectionId = (await raiseByDept(w.user, l.id)).id;
  otherLicenceId = (await licenceFor(w)).id;
}, 240_000);

function form(over: Partial<IssueOrderFormInput> = {}): IssueOrderFormInput {
  return { deptId: w.issuing.id, category: "CORRECTION", title: "未按期办结异议", description: "多件异议超过办结时限仍未办结，请限期整改。", evidence: [], dueDays: 10, ...over };
}

const docx = async () => {
  const z = new JSZip();
  z.file("[Content_Types].xml", "<Types/>");
  z.file("word/document.xml", "<w:document/>");
  return new File([Buffer.from(await z.generateAsync({ type: "uint8array" }))], "整改报告.docx");
};
const xlsx = async () => {
  const z = new JSZip();
  z.file("[Content_Types].xml", "<Types/>");
  z.file("xl/workbook.xml", "<workbook/>");
  return new File([Buffer.from(await z.generateAsync({ type: "uint8array" }))], "整改台账.xlsx");
};
const plainZip = async () => {
  const z = new JSZip();
  z.file("readme.txt", "hello");
  return new File([Buffer.from(await z.generateAsync({ type: "uint8array" }))], "伪装.docx");
};

const events = (orderId: string) => db().rectificationEvent.findMany({ where: { orderId }, orderBy: { id: "asc" } });
const auditOf = (orderId: string) => db().auditEvent.findMany({ where: { targetType: "RectificationOrder", targetId: orderId }, orderBy: { seq: "asc" } });
const row = (id: string) => db().rectificationOrder.findUniqueOrThrow({ where: { id } });
const list = (actor: Actor, q: Record<string, string> = {}, now = new Date()) => listOrders(actor, orderFilter.parse({ pageSize: "100", ...q }), now);

describe("lifecycle (V-02)", () => {
  it("[V-02] issue → respond → return (extended) → respond → close, each with its event, audit row and notification to the other side", async () => {
    const before = new Date();
    const r = await issueOrder(w.supervisor, form({ evidence: [{ kind: "OBJECTION", id: objectionId, label: "" }, { kind: "LICENCE", id: licenceId, label: "" }] }));
    const ymd = shanghaiDate(before).replaceAll("-", "");
    expect(r.number).toMatch(new RegExp(`^ZG${ymd}\\d{4}$`));
    let o = await row(r.id);
    const expected = await addWorkingDays(o.issuedAt, 10);
    expect(o).toMatchObject({ deptId: w.issuing.id, issuerDeptId: w.province.id, status: "ISSUED", round: 1, dueDays: 10, rev: 0, calendarCovered: expected.covered });
    expect(o.dueAt.toISOString()).toBe(expected.due.toISOString());
    expect((o.evidence as { kind: string }[]).map((e) => e.kind)).toEqual(["OBJECTION", "LICENCE"]);
    for (const op of [w.issuer, w.issuer2, w.admin, w.issuerUser]) expect((await notificationsTo(op.userId, "rectification.issue")).filter((n) => n.link === `/supervision/orders/${r.id}`)).toHaveLength(1);
    // a user of another department is not told
    expect((await notificationsTo(w.otherIssuer.userId, "rectification.issue")).filter((n) => n.link === `/supervision/orders/${r.id}`)).toHaveLength(0);

    const detail0 = await orderDetail(w.issuer, r.id);
    expect(detail0?.evidence.map((e) => e.href)).toEqual([`/objections/${objectionId}`, `/licenses/${licenceId}`]);
    expect(detail0?.can).toEqual({ canRespond: true, canClose: false, canReturn: false });

    const file = pdf("整改报告.pdf");
    const bytes = new Uint8Array(await file.arrayBuffer());
    await respondOrder(w.issuer, { id: r.id, rev: 0, measures: "已逐件办结超期异议，并建立每日督办台账。" }, [file, await docx()]);
    o = await row(r.id);
    expect(o).toMatchObject({ status: "RESPONDED", rev: 1, round: 1 });
    const [resp1] = await db().rectificationResponse.findMany({ where: { orderId: r.id } });
    const atts = await db().rectificationAttachment.findMany({ where: { responseId: resp1.id }, orderBy: { fileName: "asc" } });
    expect(atts.map((a) => a.mime).sort()).toEqual(["application/pdf", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"]);
    expect(atts.find((a) => a.mime === "application/pdf")).toMatchObject({ sm3: sm3Hex(bytes), size: bytes.length });
    expect((await notificationsTo(w.supervisor.userId, "rectification.respond")).filter((n) => n.link === `/supervision/orders/${r.id}`)).toHaveLength(1);
    // a second response in the same round is refused
    expect(await refusal(respondOrder(w.issuer2, { id: r.id, rev: 1, measures: "重复的反馈内容，应当被拒绝。" }))).toMatchObject({ code: "CONFLICT" });

    const returned = await returnOrder(w.supervisor, { id: r.id, rev: 1, reason: "台账未附，请补充材料", extendDays: 3 });
    o = await row(r.id);
    expect(o).toMatchObject({ status: "RETURNED", round: 2, rev: 2 });
    expect(o.dueAt.toISOString()).toBe((await addWorkingDays(expected.due, 3)).due.toISOString());
    expect(returned.dueAt.toISOString()).toBe(o.dueAt.toISOString());
    expect((await notificationsTo(w.issuer.userId, "rectification.return")).filter((n) => n.link === `/supervision/orders/${r.id}`)).toHaveLength(1);

    await respondOrder(w.issuer2, { id: r.id, rev: 2, measures: "已补充督办台账（见附件）。" }, [await xlsx()]);
    expect(await row(r.id)).toMatchObject({ status: "RESPONDED", round: 2, rev: 3 });
    expect((await db().rectificationResponse.findMany({ where: { orderId: r.id }, orderBy: { round: "asc" } })).map((x) => [x.round, x.responderId])).toEqual([
      [1, w.issuer.userId],
      [2, w.issuer2.userId],
    ]);

    await closeOrder(w.supervisor, { id: r.id, rev: 3, note: "整改到位，予以办结" });
    o = await row(r.id);
    expect(o).toMatchObject({ status: "CLOSED", closedById: w.supervisor.userId, closeNote: "整改到位，予以办结", rev: 4 });
    expect((await notificationsTo(w.issuer.userId, "rectification.close")).filter((n) => n.link === `/supervision/orders/${r.id}`)).toHaveLength(1);

    expect((await events(r.id)).map((e) => [e.kind, e.fromStatus, e.toStatus, e.actorId])).toEqual([
      ["ISSUE", null, "ISSUED", w.supervisor.userId],
      ["RESPOND", "ISSUED", "RESPONDED", w.issuer.userId],
      ["RETURN", "RESPONDED", "RETURNED", w.supervisor.userId],
      ["RESPOND", "RETURNED", "RESPONDED", w.issuer2.userId],
      ["CLOSE", "RESPONDED", "CLOSED", w.supervisor.userId],
    ]);
    const audit = await auditOf(r.id);
    expect(audit.map((a) => a.action)).toEqual(["rectification.issue", "rectification.transition", "rectification.transition", "rectification.transition", "rectification.transition"]);
    expect(audit[0].detail).toMatchObject({ number: r.number, deptId: w.issuing.id, category: "CORRECTION", dueDays: 10, evidence: 2 });
    expect(audit.slice(1).map((a) => (a.detail as { transition: string }).transition)).toEqual(["respond", "return", "respond", "close"]);
    expect(audit[2].detail).toMatchObject({ from: "RESPONDED", to: "RETURNED", extendDays: 3 });
    // closed: nothing more
    expect(await refusal(returnOrder(w.supervisor, { id: r.id, rev: 4, reason: "再次退回的理由", extendDays: 0 }))).toMatchObject({ code: "CONFLICT", message: expect.any(String) });
    // events are append-only
    await expect(db().rectificationEvent.updateMany({ where: { orderId: r.id }, data: { note: "x" } })).rejects.toThrow();
  });

  it("[V-02] returning without an extension keeps the stored due date", async () => {
    const r = await issueOrder(w.supervisor, form({ dueDays: 5 }));
    const due = (await row(r.id)).dueAt;
    await respondOrder(w.admin, { id: r.id, rev: 0, measures: "已完成目录维护，补录缺失事项。" });
    await returnOrder(w.supervisor, { id: r.id, rev: 1, reason: "仍有事项未补录", extendDays: 0 });
    expect((await row(r.id)).dueAt.toISOString()).toBe(due.toISOString());
  });

  it("[V-02] of a close and a return at once exactly one wins", async () => {
    const r = await issueOrder(w.supervisor, form());
    await respondOrder(w.issuer, { id: r.id, rev: 0, measures: "已整改完毕，相关数据已更正。" });
    const results = await Promise.allSettled([
      closeOrder(w.supervisor, { id: r.id, rev: 1, note: "整改到位" }),
      returnOrder(w.supervisor, { id: r.id, rev: 1, reason: "整改不到位，退回", extendDays: 0 }),
    ]);
    expect(results.filter((x) => x.status === "fulfilled")).toHaveLength(1);
    const lost = results.find((x) => x.status === "rejected") as PromiseRejectedResult;
    expect(lost.reason).toMatchObject({ code: "CONFLICT" });
    const ev = await events(r.id);
    expect(ev.filter((e) => e.kind === "CLOSE" || e.kind === "RETURN")).toHaveLength(1);
    expect((await auditOf(r.id)).filter((a) => ["close", "return"].includes((a.detail as { transition?: string }).transition ?? ""))).toHaveLength(1);
  });
});

describe("evidence (V-02)", () => {
  it("[V-02] refuses an objection or a licence of another department and writes nothing", async () => {
    const before = await db().rectificationOrder.count();
    const e1 = await refusal(issueOrder(w.supervisor, form({ deptId: w.otherIssuing.id, evidence: [{ kind: "OBJECTION", id: objectionId, label: "" }] })));
    expect(e1).toMatchObject({ code: "INVALID_INPUT", fieldErrors: { "evidence.0.id": "该异议不存在或不属于被责令整改的部门" } });
    const e2 = await refusal(issueOrder(w.supervisor, form({ deptId: w.otherIssuing.id, evidence: [{ kind: "LICENCE", id: otherLicenceId, label: "" }] })));
    expect(e2).toMatchObject({ code: "INVALID_INPUT", fieldErrors: { "evidence.0.id": "该证照不存在或不是被责令整改的部门签发的" } });
    const e3 = await refusal(issueOrder(w.supervisor, form({ evidence: [{ kind: "OBJECTION", id: "not-a-uuid", label: "" }] })));
    expect(e3.code).toBe("INVALID_INPUT");
    for (const bad of ["//evil.example.com/x", "javascript:alert(1)", "http://plain.example.com"])
      expect(await refusal(issueOrder(w.supervisor, form({ evidence: [{ kind: "LINK", id: bad, label: "" }] })))).toMatchObject({ code: "INVALID_INPUT", fieldErrors: { "evidence.0.id": "链接须为站内路径（/开头）或 https 地址" } });
    const e4 = await refusal(issueOrder(w.supervisor, form({ dueDays: 91 })));
    expect(e4).toMatchObject({ code: "INVALID_INPUT", fieldErrors: { dueDays: "整改期限不超过 90 个工作日" } });
    expect(await db().rectificationOrder.count()).toBe(before);
  });

  it("[V-02] the new-order page's prefill keeps only well-formed department and evidence ids", () => {
    const id = "0b7f8e36-6a0e-4c84-9d0f-2d7f3a1c4b55";
    expect(orderPrefill({ dept: id, category: "SHARING", evidence: `objection:${id},licence:${id},bogus:1,<script>` })).toEqual({
      deptId: id,
      category: "SHARING",
      evidence: [
        { kind: "OBJECTION", id },
        { kind: "LICENCE", id },
      ],
    });
    expect(orderPrefill({ dept: "x", evidence: 3, category: "<script>" })).toEqual({ deptId: "", category: "", evidence: [] });
    // the dashboard's link with the same objection twice keeps it once
    expect(orderPrefill({ dept: id, evidence: `objection:${id},objection:${id.toUpperCase()}` }).evidence).toEqual([{ kind: "OBJECTION", id }]);
  });
});

describe("evidence by the numbers users see (V-02)", () => {
  it("[V-02] resolves an objection number, a licence identifier or number, a spot-check number and an order number to the rows, stored by id with their links", async () => {
    const obj = await db().objection.findUniqueOrThrow({ where: { id: objectionId }, select: { number: true } });
    const lic = await db().licence.findUniqueOrThrow({ where: { id: licenceId }, select: { identifier: true, licenceNumber: true, name: true } });
    const other = await db().licence.findUniqueOrThrow({ where: { id: otherLicenceId }, select: { licenceNumber: true, identifier: true } });
    expect(lic.identifier).toMatch(/^1\.2\.156\./);
    const check = await createSpotCheck(w.supervisor, { kind: "LICENCE", deptIds: [w.issuing.id], perDept: 1, seed: "e1" });
    const earlier = await issueOrder(w.supervisor, form({ title: "前次整改通知" }));

    const r = await issueOrder(
      w.supervisor,
      form({
        evidence: [
          { kind: "OBJECTION", id: obj.number.toLowerCase(), label: "" },
          { kind: "LICENCE", id: lic.identifier, label: "" },
          { kind: "LICENCE", id: other.licenceNumber, label: "编号有误" },
          { kind: "SPOT_CHECK", id: check.number, label: "" },
          { kind: "ORDER", id: ` ${earlier.number} `, label: "" },
        ],
      }),
    );
    const stored = (await row(r.id)).evidence as { kind: string; id: string; label: string }[];
    expect(stored).toEqual([
      { kind: "OBJECTION", id: objectionId, label: `异议 ${obj.number}` },
      { kind: "LICENCE", id: licenceId, label: `${lic.name} ${lic.identifier}` },
      { kind: "LICENCE", id: otherLicenceId, label: "编号有误" },
      { kind: "SPOT_CHECK", id: check.id, label: `抽查 ${check.number}` },
      { kind: "ORDER", id: earlier.id, label: `整改通知 ${earlier.number}` },
    ]);
    const detail = await orderDetail(w.supervisor, r.id);
    expect(detail?.evidence.map((e) => e.href)).toEqual([
      `/objections/${objectionId}`,
      `/licenses/${licenceId}`,
      `/licenses/${otherLicenceId}`,
      `/supervision/spot-checks/${check.id}`,
      `/supervision/orders/${earlier.id}`,
    ]);
  });

  it("[V-02] a number of another department, an unknown number, a malformed one or the same row twice is refused next to its row only, and nothing is written", async () => {
    const before = await db().rectificationOrder.count();
    const obj = await db().objection.findUniqueOrThrow({ where: { id: objectionId }, select: { number: true } });
    const lic = await db().licence.findUniqueOrThrow({ where: { id: licenceId }, select: { identifier: true } });
    // w.issuing's objection and licence offered against the Mianyang department
    const e1 = await refusal(
      issueOrder(
        w.supervisor,
        form({
          deptId: w.otherIssuing.id,
          evidence: [
            { kind: "LINK", id: "/objections?overdue=1", label: "" },
            { kind: "OBJECTION", id: obj.number, label: "" },
            { kind: "LICENCE", id: lic.identifier, label: "" },
          ],
        }),
      ),
    );
    expect(e1.code).toBe("INVALID_INPUT");
    expect(e1.fieldErrors).toEqual({ "evidence.1.id": "该异议不存在或不属于被责令整改的部门", "evidence.2.id": "该证照不存在或不是被责令整改的部门签发的" });
    // unknown numbers of every kind
    const e2 = await refusal(
      issueOrder(
        w.supervisor,
        form({
          evidence: [
            { kind: "OBJECTION", id: "YY19990101000001", label: "" },
            { kind: "SEAL_USE", id: "YY1999000001", label: "" },
            { kind: "SPOT_CHECK", id: "CC19990101001", label: "" },
            { kind: "ORDER", id: "ZG199901010001", label: "" },
            { kind: "LICENCE", id: "不存在的证照编号", label: "" },
          ],
        }),
      ),
    );
    expect(e2.fieldErrors).toEqual({
      "evidence.0.id": "该异议不存在或不属于被责令整改的部门",
      "evidence.1.id": "该用印申请不存在或不属于被责令整改的部门",
      "evidence.2.id": "该抽查不存在或未抽查被责令整改的部门",
      "evidence.3.id": "该整改通知不存在或不属于被责令整改的部门",
      "evidence.4.id": "该证照不存在或不是被责令整改的部门签发的",
    });
    // a malformed number says what to type
    const e3 = await refusal(issueOrder(w.supervisor, form({ evidence: [{ kind: "OBJECTION", id: "12345", label: "" }] })));
    expect(e3.fieldErrors).toEqual({ "evidence.0.id": "请填写异议编号，如 YY20261201000001" });
    // the same objection by id and by number
    const e4 = await refusal(issueOrder(w.supervisor, form({ evidence: [{ kind: "OBJECTION", id: objectionId, label: "" }, { kind: "OBJECTION", id: obj.number, label: "" }] })));
    expect(e4.fieldErrors).toEqual({ "evidence.1.id": "依据重复" });
    expect(await db().rectificationOrder.count()).toBe(before);
  });

  it("[V-02] the picker lists the chosen department's overdue objections and data-quality findings, only in the supervisor's scope", async () => {
    const obj = await db().objection.findUniqueOrThrow({ where: { id: objectionId }, select: { number: true, resolveDueAt: true, status: true } });
    const lic = await db().licence.findUniqueOrThrow({ where: { id: otherLicenceId }, select: { identifier: true, name: true, typeId: true } });
    await db().licenceFinding.create({ data: { licenceId: otherLicenceId, kind: "EXPIRED_VALID", deptId: w.issuing.id, typeId: lic.typeId, detail: "有效期至 2025-12-31，仍为有效", foundAt: new Date() } });
    try {
      // not overdue yet: only the finding
      const nowList = await evidenceCandidates(w.supervisor, { deptId: w.issuing.id });
      expect(nowList.objections.map((o) => o.id)).not.toContain(objectionId);
      expect(nowList.findings).toEqual([{ kind: "LICENCE", id: otherLicenceId, label: `已过有效期仍为有效：${lic.name} ${lic.identifier}`, detail: "有效期至 2025-12-31，仍为有效" }]);
      // past the resolve deadline: the objection is listed by its number
      const later = new Date(obj.resolveDueAt.getTime() + 86_400_000);
      const laterList = await evidenceCandidates(w.supervisor, { deptId: w.issuing.id }, later);
      expect(laterList.objections.find((o) => o.id === objectionId)).toMatchObject({ kind: "OBJECTION", label: `超期异议 ${obj.number}` });
      // another department has neither
      const elsewhere = await evidenceCandidates(w.supervisor, { deptId: w.otherIssuing.id }, later);
      expect(elsewhere.objections.map((o) => o.id)).not.toContain(objectionId);
      expect(elsewhere.findings).toEqual([]);
      // ticked candidates are accepted as evidence
      const r = await issueOrder(w.supervisor, form({ evidence: [laterList.objections.find((o) => o.id === objectionId)!, nowList.findings[0]].map(({ kind, id, label }) => ({ kind, id, label })) }));
      expect(((await row(r.id)).evidence as { label: string }[]).map((e) => e.label)).toEqual([`超期异议 ${obj.number}`, `已过有效期仍为有效：${lic.name} ${lic.identifier}`]);
      // a city supervisor cannot list a department outside its region; an operator holds no permission
      expect((await refusal(evidenceCandidates(citySupervisor, { deptId: w.issuing.id }))).code).toBe("NOT_FOUND");
      expect((await refusal(evidenceCandidates(w.supervisor, { deptId: "not-a-uuid" }))).code).toBe("NOT_FOUND");
      expect((await refusal(evidenceCandidates(w.issuer, { deptId: w.issuing.id }))).code).toBe("FORBIDDEN");
    } finally {
      await db().licenceFinding.deleteMany({ where: { licenceId: otherLicenceId, kind: "EXPIRED_VALID" } });
    }
  });
});

describe("evidence state on the order page (V-02 review)", () => {
  it("[V-02] the detail names each evidence row once, shows its current state (an objection's status and days overdue, a licence's status and number) and counts the evidence objections still open", async () => {
    const obj = await db().objection.findUniqueOrThrow({ where: { id: objectionId }, select: { number: true, status: true, markDueAt: true, resolveDueAt: true } });
    const lic = await db().licence.findUniqueOrThrow({ where: { id: licenceId }, select: { identifier: true, licenceNumber: true, type: { select: { name: true } } } });
    const other = await db().licence.findUniqueOrThrow({ where: { id: otherLicenceId }, select: { identifier: true, licenceNumber: true, type: { select: { name: true } } } });
    expect(obj.status).toBe("SUBMITTED");
    const r = await issueOrder(
      w.supervisor,
      form({
        evidence: [
          { kind: "OBJECTION", id: obj.number, label: "" },
          { kind: "LICENCE", id: lic.identifier, label: "" },
          { kind: "LICENCE", id: other.licenceNumber, label: "编号有误" },
          { kind: "LINK", id: "/objections?overdue=1", label: "" },
        ],
      }),
    );

    // before the deadlines: open, not overdue
    const d0 = await orderDetail(w.supervisor, r.id);
    expect(d0?.openObjections).toBe(1);
    expect(d0?.evidence[0]).toMatchObject({ text: `异议 ${obj.number}`, note: null, state: { label: "待标注", overdueDays: 0 } });

    // a day past the resolve deadline: both deadlines missed, the larger count shown, each in the hint
    const later = new Date(obj.resolveDueAt.getTime() + 86_400_000);
    const markDays = Math.ceil((later.getTime() - obj.markDueAt.getTime()) / 86_400_000);
    const d = await orderDetail(w.supervisor, r.id, later);
    expect(d?.openObjections).toBe(1);
    expect(d?.evidence.map((e) => ({ text: e.text, title: e.title, note: e.note, state: e.state?.label ?? null, overdueDays: e.state?.overdueDays ?? 0 }))).toEqual([
      { text: `异议 ${obj.number}`, title: null, note: null, state: "待标注", overdueDays: markDays },
      { text: `证照 ${lic.licenceNumber}（${lic.type.name}）`, title: lic.identifier, note: null, state: "有效", overdueDays: 0 },
      { text: `证照 ${other.licenceNumber}（${other.type.name}）`, title: other.identifier, note: "编号有误", state: "有效", overdueDays: 0 },
      { text: "链接 /objections?overdue=1", title: null, note: null, state: null, overdueDays: 0 },
    ]);
    expect(d?.evidence[0].state).toMatchObject({ tone: "danger", hint: `标注超期 ${markDays} 天，办结超期 1 天` });
    // the kind is said once, and a licence is not shown by its identifier
    for (const e of d?.evidence ?? []) {
      expect(e.text).not.toMatch(/^异议：|^(\S+)：\1/);
      expect(e.text).not.toContain("1.2.156.");
    }
    // the department's responder sees the same states
    expect((await orderDetail(w.issuer, r.id, later))?.openObjections).toBe(1);
  });
});

describe("overdue (V-02)", () => {
  it("[V-02] an order is overdue when ISSUED or RETURNED past its stored due date; the list flags it and filters on it", async () => {
    const past = new Date(Date.now() - 30 * 86_400_000);
    const late = await issueOrder(w.supervisor, form({ dueDays: 1, title: `超期测试-${uniqueSuffix()}` }), { now: past });
    const fresh = await issueOrder(w.supervisor, form({ dueDays: 10 }));
    const overdue = await list(w.supervisor, { overdue: "1", deptId: w.issuing.id });
    const ids = overdue.rows.map((x) => x.id);
    expect(ids).toContain(late.id);
    expect(ids).not.toContain(fresh.id);
    const lr = overdue.rows.find((x) => x.id === late.id)!;
    expect(lr.overdueDays).toBeGreaterThanOrEqual(25);
    expect((await orderDetail(w.issuer, late.id))?.overdueDays).toBe(lr.overdueDays);
    // the department sees the same flag; once responded it is no longer overdue
    await respondOrder(w.issuer, { id: late.id, rev: 0, measures: "已完成整改，并提交整改报告。" });
    expect((await list(w.issuer, { overdue: "1" })).rows.map((x) => x.id)).not.toContain(late.id);
    // with an injected "now" before the due date nothing is overdue
    expect((await list(w.supervisor, { overdue: "1", deptId: w.issuing.id }, past)).rows).toHaveLength(0);
  });
});

describe("scope (V-02)", () => {
  it("[V-02] another city's supervisor, a responder of another department, a using operator and a department user are refused", async () => {
    // a city supervisor cannot issue outside its city
    expect(await refusal(issueOrder(citySupervisor, form()))).toMatchObject({ code: "NOT_FOUND" });
    // a using operator (who holds rectification.respond) cannot issue
    expect(await refusal(issueOrder(w.user, form()))).toMatchObject({ code: "FORBIDDEN" });
    const r = await issueOrder(w.supervisor, form());
    expect(await refusal(respondOrder(w.otherIssuer, { id: r.id, rev: 0, measures: "不是本部门的整改通知。" }))).toMatchObject({ code: "NOT_FOUND" });
    expect(await refusal(respondOrder(w.supervisor, { id: r.id, rev: 0, measures: "监督员不能代为反馈。" }))).toMatchObject({ code: "FORBIDDEN" });
    await respondOrder(w.issuerUser, { id: r.id, rev: 0, measures: "本部门用证员反馈整改情况。" });
    expect(await refusal(closeOrder(w.issuerUser, { id: r.id, rev: 1, note: "自行办结" }))).toMatchObject({ code: "FORBIDDEN" });
    expect(await refusal(closeOrder(citySupervisor, { id: r.id, rev: 1, note: "越权办结" }))).toMatchObject({ code: "NOT_FOUND" });
    expect(await refusal(returnOrder(citySupervisor, { id: r.id, rev: 1, reason: "越权退回的理由", extendDays: 0 }))).toMatchObject({ code: "NOT_FOUND" });
    expect((await row(r.id)).status).toBe("RESPONDED");
    // reading: another department and another city's supervisor do not see it
    expect(await orderDetail(w.otherIssuer, r.id)).toBeNull();
    expect(await orderDetail(citySupervisor, r.id)).toBeNull();
    expect((await list(w.otherIssuer)).rows.map((x) => x.id)).not.toContain(r.id);
    expect((await list(w.supervisor)).rows.map((x) => x.id)).toContain(r.id);
    // a department user sees only its own department's orders
    expect((await list(w.issuer)).rows.every((x) => x.dept.id === w.issuing.id)).toBe(true);
    // the city supervisor can act in its own city
    const c = await issueOrder(citySupervisor, form({ deptId: countyA.id }));
    expect((await list(citySupervisor)).rows.map((x) => x.id)).toEqual([c.id]);
    await respondOrder(countyResponder, { id: c.id, rev: 0, measures: "区县部门已按要求完成整改。" });
    await closeOrder(citySupervisor, { id: c.id, rev: 1, note: "验收合格" });
    expect((await row(c.id)).status).toBe("CLOSED");
  });
});

describe("notices (V-02)", () => {
  it("[V-02] only overdue orders in the publisher's scope; events on each order; listed for a user of any department; never edited", async () => {
    const past = new Date(Date.now() - 40 * 86_400_000);
    const a = await issueOrder(w.supervisor, form({ dueDays: 2, title: "通报测试甲" }), { now: past });
    const b = await issueOrder(citySupervisor, form({ deptId: countyA.id, dueDays: 2, title: "通报测试乙" }), { now: past });
    const fresh = await issueOrder(w.supervisor, form({ title: "未超期的整改" }));
    // the city supervisor may not include an order outside its city; nobody may include a fresh one
    expect(await refusal(publishNotice(citySupervisor, { orderIds: [a.id, b.id], title: "关于整改超期的通报" }))).toMatchObject({ code: "NOT_FOUND" });
    expect(await refusal(publishNotice(w.supervisor, { orderIds: [a.id, fresh.id], title: "关于整改超期的通报" }))).toMatchObject({ code: "CONFLICT" });
    expect(await refusal(publishNotice(w.user, { orderIds: [a.id], title: "关于整改超期的通报" }))).toMatchObject({ code: "FORBIDDEN" });
    const candidates = (await overdueOrdersForNotice(citySupervisor)).map((x) => x.id);
    expect(candidates).toContain(b.id);
    expect(candidates).not.toContain(a.id);

    const n = await publishNotice(w.supervisor, { orderIds: [a.id, b.id], title: "关于整改超期的通报" });
    expect(n.number).toMatch(/^TB\d{11}$/);
    const stored = await db().supervisionNotice.findUniqueOrThrow({ where: { id: n.id } });
    expect(stored.body).toContain(`${(await row(a.id)).number}`);
    expect(stored.body).toContain(w.issuing.name);
    expect(stored.body).toMatch(/已超期 \d+ 天/);
    for (const id of [a.id, b.id]) expect((await events(id)).filter((e) => e.kind === "NOTICE")).toHaveLength(1);
    const [audit] = await db().auditEvent.findMany({ where: { targetType: "SupervisionNotice", targetId: n.id } });
    expect(audit.detail).toMatchObject({ action: "supervision.notice", number: n.number, orders: 2 });

    // anyone signed in reads it: a using operator of an unrelated department
    const listed = await listNotices(w.user, { page: 1, pageSize: 100, dir: "desc" });
    expect(listed.rows[0].id).toBe(n.id);
    const d = await noticeDetail(w.user, n.id);
    expect(d?.orders.map((o) => o.number).sort()).toEqual([(await row(a.id)).number, (await row(b.id)).number].sort());
    expect(d?.orders.every((o) => !o.readable)).toBe(true);
    // the notice is append-only
    await expect(db().supervisionNotice.update({ where: { id: n.id }, data: { title: "改过的标题" } })).rejects.toThrow();
  });
});

describe("attachments (V-02)", () => {
  it("[V-02] accepts PDF/JPEG/PNG/DOCX/XLSX by their bytes and refuses the rest, too many and too large; the download is scoped", async () => {
    expect(sniffAttachment(new Uint8Array(await (await docx()).arrayBuffer()))).toBe("docx");
    expect(sniffAttachment(new Uint8Array(await (await xlsx()).arrayBuffer()))).toBe("xlsx");
    expect(sniffAttachment(new Uint8Array(await (await plainZip()).arrayBuffer()))).toBeNull();
    const r = await issueOrder(w.supervisor, form());
    const fake = new File([Buffer.from("just text, not a pdf")], "假的.pdf", { type: "application/pdf" });
    expect(await refusal(respondOrder(w.issuer, { id: r.id, rev: 0, measures: "附件类型不正确的反馈。" }, [fake]))).toMatchObject({ code: "INVALID_INPUT", fieldErrors: { attachments: expect.stringContaining("假的.pdf") } });
    expect(await refusal(respondOrder(w.issuer, { id: r.id, rev: 0, measures: "附件类型不正确的反馈。" }, [await plainZip()]))).toMatchObject({ code: "INVALID_INPUT" });
    expect(await refusal(respondOrder(w.issuer, { id: r.id, rev: 0, measures: "附件过多的反馈内容。" }, Array.from({ length: 6 }, (_, i) => pdf(`${i}.pdf`))))).toMatchObject({ code: "INVALID_INPUT" });
    const big = new File([Buffer.concat([Buffer.from("%PDF-1.4\n"), Buffer.alloc(10 * 1024 * 1024)])], "大文件.pdf");
    expect(await refusal(respondOrder(w.issuer, { id: r.id, rev: 0, measures: "附件过大的反馈内容。" }, [big]))).toMatchObject({ code: "INVALID_INPUT" });
    expect((await row(r.id)).status).toBe("ISSUED");

    await respondOrder(w.issuer, { id: r.id, rev: 0, measures: "附件齐全的反馈内容。" }, [pdf("报告.pdf")]);
    const [att] = await db().rectificationAttachment.findMany({ where: { response: { orderId: r.id } } });
    expect((await attachmentFile(w.issuer2, att.id)).type).toBe("application/pdf");
    expect((await attachmentFile(w.supervisor, att.id)).fileName).toBe("报告.pdf");
    expect(await refusal(attachmentFile(w.otherIssuer, att.id))).toMatchObject({ code: "NOT_FOUND" });
    expect(await refusal(attachmentFile(citySupervisor, att.id))).toMatchObject({ code: "NOT_FOUND" });
    expect(await refusal(attachmentFile(w.user, att.id))).toMatchObject({ code: "NOT_FOUND" });
  });
});

describe("list filters (V-02)", () => {
  it("[V-02] status, department, category and issued-date range", async () => {
    const dept = await createDepartment({ parent: w.province, level: "CITY", parts: { isIssuing: true }, name: `成都市过滤测试局-${uniqueSuffix()}` });
    const d1 = new Date("2026-03-10T02:00:00Z");
    const d2 = new Date("2026-05-20T02:00:00Z");
    const a = await issueOrder(w.supervisor, form({ deptId: dept.id, category: "CATALOG" }), { now: d1 });
    const b = await issueOrder(w.supervisor, form({ deptId: dept.id, category: "SHARING" }), { now: d2 });
    const ids = async (q: Record<string, string>) => (await list(w.supervisor, { deptId: dept.id, ...q })).rows.map((x) => x.id);
    expect(await ids({})).toEqual([b.id, a.id]);
    expect(await ids({ category: "CATALOG" })).toEqual([a.id]);
    expect(await ids({ from: "2026-04-01" })).toEqual([b.id]);
    expect(await ids({ to: "2026-03-10" })).toEqual([a.id]);
    expect(await ids({ from: "2026-03-11", to: "2026-05-19" })).toEqual([]);
    expect(await ids({ status: "CLOSED" })).toEqual([]);
    expect(await ids({ status: "ISSUED" })).toEqual([b.id, a.id]);
    expect(await ids({ overdue: "1" })).toEqual([b.id, a.id]);
    expect(await ids({ status: "bogus" })).toEqual([b.id, a.id]);
  });
});
