// Supervision reports (V-04): a monthly and an annual report for a region built from known data
// (two licences, an objection, a rectification order) after the summaries are rebuilt; the XLSX
// parsed back (sheets, a headline number equal to the figure, ranking rows, the order); the PDF
// unsealed, with the seal's box where the signing panel puts a seal by default; sealing it only
// through a seal-use request of the management department's seal (S-10), approved, signed by the
// custodian (S-12), entered in the use register (S-11) and verified by the public verifier; the
// refusals (no seal, another department's applicant, no seal.apply, bad input); the route's
// refusals (wrong role 403, bad period 400 JSON, another region 404), its download headers, and the
// audit row (A-01); the dashboard's words; a province-wide report named after the root department
// and sealed by the province's management department.
import ExcelJS from "exceljs";
import { encode } from "next-auth/jwt";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import type { Actor } from "@/lib/auth/session";
import { sm3Hex } from "@/lib/crypto/sm3";
import { applySeal, produceSeal, startReview } from "@/lib/seals/service";
import { runFiling } from "@/lib/seals/filing";
import { extractSignature, pdfPageSizes } from "@/lib/pdf/sealed-pdf";
import type { Box } from "@/lib/supervision/reports/pdf";
import { verifyUpload } from "@/lib/seal-use/verify";
import { issueOrder } from "@/lib/supervision/rectification";
import { closeSpotCheck, createSpotCheck, recordSpotItem } from "@/lib/supervision/spot-checks";
import { refreshDashboard } from "@/lib/supervision/dashboard/refresh";
import { dashboardScope, licenceFigures } from "@/lib/supervision/dashboard/figures";
import { shanghaiMonth } from "@/lib/supervision/dashboard/schema";
import { reportData } from "@/lib/supervision/reports/data";
import { exportReport } from "@/lib/supervision/reports/export";
import { A4, renderReportPdf } from "@/lib/supervision/reports/pdf";
import { DEFAULT_SEAL_MM, requestReportSeal } from "@/lib/supervision/reports/seal";
import { defaultStampCentre } from "@/lib/pdf/stamp-default";
import { setCustodians } from "@/lib/seals/service";
import { saveFlow } from "@/lib/seal-use/flows";
import { signRequestDocument } from "@/lib/seal-use/signing";
import { signatureFile, unapprovedUse } from "@/lib/seal-use/queries";
import { dateIn, decideStep, loadRequest, userStep } from "@/tests/helpers/seal-use";
import { reportWorkbook, SHEET_NAMES } from "@/lib/supervision/reports/xlsx";
import { mmToPt } from "@/lib/pdf/sealed-pdf";
import { reportHref, reportQuery, reportSealInput, reportSealReason, type ReportQuery } from "@/lib/supervision/reports/schema";
import { createDepartment, createSession, uniqueSuffix, type TestDept } from "@/tests/helpers/factory";
import { makeActor } from "@/tests/helpers/catalog";
import { licenceFor, makeObjectionWorld, raiseByDept, type ObjectionWorld } from "@/tests/helpers/objections";
import type { CheckedUpload } from "@/lib/uploads";
import { GET } from "@/app/api/supervision/reports/route";

const jar = { cookie: null as string | null };
vi.mock("next/headers", () => ({
  cookies: () => Promise.resolve({ get: (name: string) => (name === "certseal.session" && jar.cookie ? { name, value: jar.cookie } : undefined) }),
  headers: () => Promise.resolve(new Headers({ host: "localhost:3000", "user-agent": "vitest" })),
}));

async function signInAs(a: Actor) {
  const s = await createSession(a.userId);
  jar.cookie = await encode({ token: { sid: s.id, sub: a.userId }, secret: process.env.NEXTAUTH_SECRET! });
}

const material: CheckedUpload = { filename: "证明.pdf", mime: "application/pdf", size: 13, sm3: sm3Hex("%PDF-1.4 test"), data: new Uint8Array(Buffer.from("%PDF-1.4 test")) };

let w: ObjectionWorld;
let cityMgmt: TestDept;
let citySupervisor: Actor;
let provinceSealId: string;
let provinceSealName: string;
let reporter: Actor;
let sealApprover: Actor;
let sealCustodian: Actor;
let orderNumber: string;
let spotNumber: string;
const month = shanghaiMonth(new Date());
const year = month.slice(0, 4);

const q = (over: Partial<ReportQuery> = {}): ReportQuery => reportQuery.parse({ kind: "monthly", period: month, format: "xlsx", region: w.province.id, ...over });

beforeAll(async () => {
  w = await makeObjectionWorld();
  // the province's management department holds an active seal made through the real lifecycle
  const sealApplicant = await makeActor(w.province, [{ role: "SEAL_APPLICANT", scope: "OWN" }], "管理部门印章经办人");
  provinceSealName = `${w.province.name}电子公章`;
  const { id } = await applySeal(
    sealApplicant,
    { holderDeptId: w.province.id, kind: "LEGAL_NAME", businessType: null, positionType: null, name: provinceSealName, holderPersonName: "", useMode: "CENTRALISED", physicalRef: `SC-${uniqueSuffix()}`, applyReason: "监督报告签章" },
    [material],
  );
  await startReview(w.maker, id);
  await produceSeal(w.maker, { sealId: id, validYears: 2, protectionPassword: "" });
  expect((await runFiling(id)).status).toBe("FILED");
  provinceSealId = id;
  // its seal use: a supervisor who also applies for the seal, an approver, the custodian, a flow
  reporter = await makeActor(w.province, [{ role: "SUPERVISOR", scope: "PROVINCE" }, { role: "SEAL_APPLICANT", scope: "OWN" }], "报告经办人");
  sealApprover = await makeActor(w.province, [{ role: "SEAL_APPROVER", scope: "OWN" }], "中心负责人");
  sealCustodian = await makeActor(w.province, [{ role: "SEAL_CUSTODIAN", scope: "OWN" }], "公章保管人");
  await setCustodians(sealApplicant, { sealId: id, administratorId: sealApplicant.userId, custodianIds: [sealCustodian.userId] });
  const flowAdmin = await makeActor(w.province, [{ role: "SEAL_ADMIN", scope: "OWN" }], "印章管理员");
  await saveFlow(flowAdmin, { holderDeptId: w.province.id, sealKind: null, sealId: id, name: "公章用印审批", steps: [userStep("中心负责人审批", "ANY", [sealApprover])], note: "", baseVersion: 0 });
  // a city's management department without any seal, with its own supervisor
  cityMgmt = await createDepartment({ parent: w.province, level: "CITY", area: "510700", parts: { isManagement: true }, name: `绵阳市测试大数据局-${uniqueSuffix()}` });
  citySupervisor = await makeActor(cityMgmt, [{ role: "SUPERVISOR", scope: "SUBTREE" }], "市级监督员");

  const a = await licenceFor(w);
  await licenceFor(w);
  await raiseByDept(w.user, a.id);
  orderNumber = (await issueOrder(w.supervisor, { deptId: w.issuing.id, category: "CORRECTION", title: "未按期办结异议", description: "异议超过办结时限仍未办结，请限期整改。", evidence: [], dueDays: 10 })).number;
  // a spot check of both licences, one passed and one failed, closed now
  const check = await createSpotCheck(w.supervisor, { kind: "LICENCE", deptIds: [w.issuing.id], perDept: 2, seed: "a1b2" });
  spotNumber = check.number;
  const [i1, i2] = await db().spotCheckItem.findMany({ where: { checkId: check.id }, orderBy: { ordinal: "asc" } });
  await recordSpotItem(w.supervisor, { itemId: i1.id, rev: 0, result: "PASS" });
  await recordSpotItem(w.supervisor, { itemId: i2.id, rev: 0, result: "FAIL", findings: "照面地址与源数据不一致" });
  await closeSpotCheck(w.supervisor, { id: check.id, rev: 0, summary: "抽查 2 件，1 件不合格" });
  await refreshDashboard({ wait: true });
}, 300_000);

describe("supervision reports (V-04)", () => {
  it("V-04 the report's figures are the dashboard's, with the period's orders and the management department", async () => {
    const d = await reportData(w.supervisor, q());
    const s = await dashboardScope(w.supervisor, w.province.id);
    const lic = await licenceFigures(s, { from: month, to: month, region: w.province.id });
    expect(d.licences.issued).toBe(2);
    expect(d.licences.issued).toBe(lic.issued);
    expect(d.objections.received).toBe(1);
    expect(d.orders.issued).toBe(1);
    expect(d.orders.rows[0]).toMatchObject({ number: orderNumber, deptName: w.issuing.name, status: "待整改", overdueDays: 0 });
    expect(d.management).toEqual({ id: w.province.id, name: w.province.name });
    expect(d.title).toBe(`${w.province.name} 电子证照与电子印章监督报告（${Number(year)}年${Number(month.slice(5))}月）`);
    expect(d.freshness.every((f) => f.refreshedAt !== null)).toBe(true);
    expect(d.spotChecks).toEqual([
      expect.objectContaining({ number: spotNumber, kind: "电子证照", checked: 2, passed: 1, passRate: 50, byDept: [{ deptName: w.issuing.name, sampled: 2, checked: 2, passed: 1, failed: 1, passRate: 50 }] }),
    ]);
    const row = d.ranking.rows.find((r) => r.deptId === w.issuing.id);
    expect(row).toMatchObject({ deptName: w.issuing.name, licences: 2, rank: 1 });

    // one department alone: the order and licences of the issuing department only
    const one = await reportData(w.supervisor, q({ region: w.issuing.id, subject: "dept" }));
    expect(one.departments).toBe(1);
    expect(one.licences.issued).toBe(2);
    expect(one.objections.received).toBe(1);
    expect(one.ranking.rows.map((r) => r.deptId)).toEqual([w.issuing.id]);
    const using = await reportData(w.supervisor, q({ region: w.using.id, subject: "dept" }));
    expect(using.licences.issued).toBe(0);
    expect(using.orders.issued).toBe(0);

    // the annual report covers the twelve months of the year
    const annual = await reportData(w.supervisor, q({ kind: "annual", period: year }));
    expect(annual.licences.byMonth.map((m) => m.month)).toHaveLength(12);
    expect(annual.licences.issued).toBe(2);
    expect(annual.title).toContain(`（${year}年度）`);
  });

  it("V-04 the XLSX opens with every sheet, the headline number, the ranking and the order; A-01 the export is audited", async () => {
    const f = await exportReport(w.supervisor, q());
    expect(f.contentType).toBe("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    expect(f.fileName).toBe(`${w.province.name}-监督报告-${Number(year)}年${Number(month.slice(5))}月.xlsx`);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(f.body) as unknown as ArrayBuffer);
    expect(wb.worksheets.map((s) => s.name)).toEqual([...SHEET_NAMES]);
    for (const s of wb.worksheets) expect(s.views[0]).toMatchObject({ state: "frozen", ySplit: 1 });

    const overview = wb.getWorksheet("概览")!;
    const value = (label: string) => {
      let v: unknown;
      overview.eachRow((r) => {
        if (r.getCell(1).value === label) v = r.getCell(2).value;
      });
      return v;
    };
    expect(overview.getRow(1).values).toEqual([undefined, "项目", "数值"]);
    expect(value("本期签发证照")).toBe(2);
    expect(value("受理异议")).toBe(1);
    expect(value("本期下达整改通知")).toBe(1);
    expect(value("签章管理部门")).toBe(w.province.name);

    const rank = wb.getWorksheet("部门排名")!;
    expect(rank.getRow(1).values).toEqual([undefined, "名次", "部门", "证照总数", "汇聚及时率(%)", "数据完整率(%)", "异议按时办理率(%)", "综合得分"]);
    const issuingRow = rank.getRows(2, rank.rowCount - 1)!.find((r) => r.getCell(2).value === w.issuing.name)!;
    expect(issuingRow.getCell(1).value).toBe(1);
    expect(issuingRow.getCell(3).value).toBe(2);
    let formula = "";
    rank.eachRow((r) => {
      const v = r.getCell(1).value;
      if (typeof v === "string" && v.startsWith("计算公式")) formula = v;
    });
    expect(formula).toContain("综合得分 =");

    const orders = wb.getWorksheet("整改通知")!;
    expect(orders.getRow(2).getCell(1).value).toBe(orderNumber);
    expect(orders.getRow(2).getCell(2).value).toBe(w.issuing.name);
    expect(orders.getRow(2).getCell(5).value).toBe("待整改");

    const spot = wb.getWorksheet("抽查")!;
    expect([2, 4, 5, 6, 7, 8, 9].map((c) => spot.getRow(2).getCell(c).value)).toEqual(["电子证照", w.issuing.name, 2, 2, 1, 1, 50]);
    expect(spot.getRow(2).getCell(1).value).toBe(spotNumber);

    // 证照汇聚: every month row has its 按时 count (0 for a month without licences), summing to 合计;
    // the sync modes in the dashboard's words, without an empty column
    const rowsOf = (ws: ExcelJS.Worksheet) => ws.getRows(1, ws.rowCount)!.map((r) => (r.values as unknown[]).slice(1));
    const after = (rows: unknown[][], title: string) => {
      const i = rows.findIndex((r) => r[0] === title);
      expect(i, title).toBeGreaterThan(0);
      return rows.slice(i + 1);
    };
    const lic = rowsOf(wb.getWorksheet("证照汇聚")!);
    expect(lic[0]).toEqual(["月份", "新签发", "存量汇聚", "及时率(%)", "按时"]);
    expect(lic[1][0]).toBe(month);
    expect(typeof lic[1][4]).toBe("number");
    expect(lic[2][0]).toBe("合计");
    expect(lic[1][4]).toBe(lic[2][4]);
    const [syncHeader, ...syncRows] = after(lic, "按汇聚方式");
    expect(syncHeader).toEqual(["汇聚方式", "数量", "按时", "及时率(%)"]);
    expect(syncRows.map((r) => r[0])).toEqual(["实时（即时汇聚）", "离线（1 个工作日内）", "批量（5 个工作日内）"]);
    const annualWb = new ExcelJS.Workbook();
    await annualWb.xlsx.load(Buffer.from(await reportWorkbook(await reportData(w.supervisor, q({ kind: "annual", period: year })))) as unknown as ArrayBuffer);
    const yearRows = rowsOf(annualWb.getWorksheet("证照汇聚")!).slice(1, 13);
    expect(yearRows.map((r) => r[0])).toHaveLength(12);
    for (const r of yearRows) expect(typeof r[4], String(r[0])).toBe("number");
    expect(yearRows.filter((r) => r[1] === 0 && r[2] === 0).every((r) => r[4] === 0 && r[3] === "—")).toBe(true);
    const yearTotal = rowsOf(annualWb.getWorksheet("证照汇聚")!)[13];
    expect(yearTotal[0]).toBe("合计");
    expect(yearRows.reduce((a, r) => a + (r[4] as number), 0)).toBe(yearTotal[4]);

    // 用证核验: the using departments' and scenarios' tables have no empty column
    const acc = rowsOf(wb.getWorksheet("用证核验")!);
    expect(after(acc, "用证部门")[0]).toEqual(["部门", "用证", "失败"]);
    expect(after(acc, "用证场景")[0]).toEqual(["场景", "用证", "失败"]);
    expect(after(acc, "核验渠道")[0]).toEqual(["渠道", "核验", "失败"]);
    expect(acc.find((r) => r[0] === "合计")?.[4]).toBeDefined();

    // the two quality figures by the dashboard's names
    expect(value(`无完整审批的签章（应为 0）`)).toBe(0);
    expect(rowsOf(wb.getWorksheet("数据质量")!).some((r) => r[0] === "无发证清单的证照类型")).toBe(true);

    const audit = await db().auditEvent.findFirst({ where: { actorId: w.supervisor.userId, action: "supervision.report" }, orderBy: { seq: "desc" } });
    expect(audit?.detail).toMatchObject({ kind: "monthly", format: "xlsx", period: month, scope: `region:${w.province.id}`, sm3: sm3Hex(f.body) });
  });

  it("V-04 the PDF is A4, renders the same for the same data and time, is not sealed, and keeps the seal's box where the signing panel stamps by default", async () => {
    const now = new Date();
    const d = await reportData(w.supervisor, q({ format: "pdf" }), now);
    const seal = await db().seal.findUniqueOrThrow({ where: { id: provinceSealId } });
    const size = { widthMm: seal.pictureWidthMm!, heightMm: seal.pictureHeightMm! };
    const a = await renderReportPdf(d, size);
    const b = await renderReportPdf(await reportData(w.supervisor, q({ format: "pdf" }), now), size);
    expect(sm3Hex(a.pdf)).toBe(sm3Hex(b.pdf));
    expect(Buffer.from(a.pdf).includes(Buffer.from("NotoSerifSC"))).toBe(true);

    // the seal's box is on the last page, centred where the position picker puts a seal of that size
    // by default (so the custodian need not move it); as GB/T 9704 lays out an official document,
    // the issuing unit and the date in Chinese are centred under it and it covers the date, and it
    // covers none of the text above (上不压正文) nor the note on sealing
    const { seal: box, text } = a.signature;
    const centre = defaultStampCentre(A4, mmToPt(size.widthMm), mmToPt(size.heightMm));
    expect(a.stamp).toEqual({ page: a.pages, x: centre.x, y: centre.y });
    expect(a.stamp).toEqual({ page: box.page, x: box.x + box.w / 2, y: box.y + box.h / 2 });
    expect(box.w).toBeCloseTo(mmToPt(size.widthMm), 5);
    expect(box.h).toBeCloseTo(mmToPt(size.heightMm), 5);
    const overlaps = (p: Box, r: Box) => p.page === r.page && p.x < r.x + r.w && r.x < p.x + p.w && p.y < r.y + r.h && r.y < p.y + p.h;
    const [y, m, dd] = new Date(now.getTime() + 8 * 3600_000).toISOString().slice(0, 10).split("-").map(Number);
    const dateText = `${y}年${m}月${dd}日`;
    expect(text.filter((t) => overlaps(box, t.box)).map((t) => t.s)).toEqual([w.province.name, dateText]);
    const date = text.find((t) => t.s === dateText)!;
    expect(Math.abs(date.box.x + date.box.w / 2 - centre.x)).toBeLessThan(1);
    expect(date.box.y).toBeGreaterThan(box.y);
    expect(date.box.y + date.box.h).toBeLessThan(box.y + box.h);
    const note = text.find((t) => t.s.includes("签章验证"))!;
    expect(note.s).toContain("经用印审批后加盖");
    expect(note.box.x + note.box.w).toBeLessThanOrEqual(box.x);

    const f = await exportReport(w.supervisor, q({ format: "pdf" }), now);
    expect(f.contentType).toBe("application/pdf");
    expect(sm3Hex(f.body)).toBe(sm3Hex(a.pdf));
    for (const p of await pdfPageSizes(f.body)) expect(p).toEqual({ width: A4.width, height: A4.height });
    // downloading stamps nothing: no signature, and the verifier says so
    expect(await extractSignature(f.body)).toBeNull();
    expect(await verifyUpload({ pdf: f.body })).toMatchObject({ found: false, valid: false });
    const audit = await db().auditEvent.findFirst({ where: { actorId: w.supervisor.userId, action: "supervision.report" }, orderBy: { seq: "desc" } });
    expect(audit?.detail).toMatchObject({ format: "pdf", sealRequest: null, sm3: sm3Hex(f.body) });
  });

  it("S-10 … S-12 sealing the report is a seal-use request of the management department's seal: approved, signed by the custodian at the default box, in the use register, valid on /verify", async () => {
    const now = new Date();
    const input = reportSealInput.parse({ kind: "monthly", period: month, region: w.province.id, reason: reportSealReason({ kind: "monthly", period: month }), validUntil: dateIn(7) });
    const before = await db().sealUseRecord.count({ where: { sealId: provinceSealId } });
    // the report as it stands now (the request itself then counts among the period's seal-use requests)
    const d = await reportData(reporter, q({ format: "pdf" }), now);
    const seal = await db().seal.findUniqueOrThrow({ where: { id: provinceSealId } });
    const rendered = await renderReportPdf(d, { widthMm: seal.pictureWidthMm!, heightMm: seal.pictureHeightMm! });
    const { id, number } = await requestReportSeal(reporter, input, now);

    // submitted for approval at once, with the report as its only document
    const req = await loadRequest(id);
    expect(req).toMatchObject({ status: "PENDING", sealId: provinceSealId, applicantId: reporter.userId, count: 1, reason: `${Number(year)}年${Number(month.slice(5))}月监督报告加盖电子印章` });
    const docs = await db().sealUseDocument.findMany({ where: { requestId: id, removedAt: null } });
    expect(docs).toHaveLength(1);
    expect(docs[0]).toMatchObject({ filename: `${w.province.name}-监督报告-${Number(year)}年${Number(month.slice(5))}月.pdf`, sm3: sm3Hex(rendered.pdf), pages: rendered.pages });
    const audit = await db().auditEvent.findFirst({ where: { actorId: reporter.userId, action: "supervision.report" }, orderBy: { seq: "desc" } });
    expect(audit?.detail).toMatchObject({ format: "pdf", sealRequest: number, sm3: sm3Hex(rendered.pdf) });
    // nothing is stamped before approval
    expect(await db().sealUseRecord.count({ where: { sealId: provinceSealId } })).toBe(before);

    // the flow's approver, then the custodian's confirmation (centralised use)
    for (const actor of [sealApprover, sealCustodian]) {
      const r = await loadRequest(id);
      const step = r.steps.find((x) => x.round === r.round && x.status === "ACTIVE")!;
      await decideStep(actor, id, step.id);
    }
    expect((await loadRequest(id)).status).toBe("APPROVED");
    const out = await signRequestDocument(sealCustodian, { requestId: id, documentId: docs[0].id, position: rendered.stamp, riding: false, protectionPassword: "" });
    expect((await loadRequest(id)).status).toBe("USED");

    const rec = await db().sealUseRecord.findUniqueOrThrow({ where: { signatureId: out.signatureId } });
    expect(rec).toMatchObject({ requestId: id, reason: req.reason, documentSm3: sm3Hex(rendered.pdf), operatorId: sealCustodian.userId, countUsed: 1, remaining: 0 });
    const file = await signatureFile(reporter, out.signatureId);
    const report = await verifyUpload({ pdf: new Uint8Array(file.pdf) });
    expect(report).toMatchObject({ found: true, valid: true, seal: { name: provinceSealName, holderDept: w.province.name } });
    expect(report.checks.every((c) => c.ok)).toBe(true);
    // and supervision's invariant finds nothing wrong with it (other files' forged rows may share the database)
    const invariant = await unapprovedUse();
    expect(invariant.sample).not.toContain(`signature:${out.signatureId}`);
    expect(invariant.sample).not.toContain(`record:${rec.id}`);
  }, 120_000);

  it("S-10 a report is filed for sealing only by a seal applicant of the department holding the seal, only while it has one, and bad input changes nothing", async () => {
    const input = (over: Record<string, unknown> = {}) => reportSealInput.parse({ kind: "monthly", period: month, reason: "监督报告加盖电子印章", validUntil: dateIn(7), ...over });
    const count = () => db().sealUseRequest.count();
    const start = await count();

    // a supervisor without seal.apply
    await expect(requestReportSeal(w.supervisor, input({ region: w.province.id }))).rejects.toMatchObject({ code: "FORBIDDEN" });
    // a seal applicant of a department that is not the seal's holder (the report of its own region is sealed by the province)
    const outsider = await makeActor(w.issuing, [{ role: "SUPERVISOR", scope: "SUBTREE" }, { role: "SEAL_APPLICANT", scope: "OWN" }], "发证部门监督员");
    const e1 = await requestReportSeal(outsider, input({ region: w.issuing.id })).catch((x: unknown) => x);
    expect(e1).toBeInstanceOf(AppError);
    expect((e1 as AppError).userMessage).toBe(`该报告加盖「${w.province.name}」的电子印章，须由该部门的用印申请人提出申请`);
    // a management department without an active seal: a clear refusal; the unsealed PDF still downloads
    const cityApplicant = await makeActor(cityMgmt, [{ role: "SUPERVISOR", scope: "SUBTREE" }, { role: "SEAL_APPLICANT", scope: "OWN" }], "市级报告经办人");
    const e2 = await requestReportSeal(cityApplicant, input()).catch((x: unknown) => x);
    expect((e2 as AppError).code).toBe("CONFLICT");
    expect((e2 as AppError).userMessage).toContain(`管理部门「${cityMgmt.name}」没有有效的电子印章`);
    const unsealed = await exportReport(citySupervisor, reportQuery.parse({ kind: "monthly", period: month, format: "pdf" }));
    expect(Buffer.from(unsealed.body).subarray(0, 5).toString("latin1")).toBe("%PDF-");
    // the seal's own rules: a validity in the past
    const e3 = await requestReportSeal(reporter, input({ region: w.province.id, validUntil: dateIn(-2) })).catch((x: unknown) => x);
    expect((e3 as AppError).fieldErrors).toMatchObject({ validUntil: "有效期不能早于今天" });
    expect(await count()).toBe(start);

    // the boundary: reason required, the report's period checked, no unknown keys
    const bad = reportSealInput.safeParse({ kind: "monthly", period: "2026-13", reason: " ", validUntil: dateIn(7) });
    expect(bad.success).toBe(false);
    const messages = Object.fromEntries(bad.error!.issues.map((i) => [i.path.join("."), i.message]));
    expect(messages).toMatchObject({ reason: "请填写用印事由", period: "月度报告的期间须为 YYYY-MM，例如 2026-11" });
    expect(reportSealInput.safeParse({ ...input(), format: "pdf" }).success).toBe(false);
    // the room kept for a department without a seal is the usual 42 mm
    const d = await reportData(citySupervisor, reportQuery.parse({ kind: "monthly", period: month, format: "pdf" }));
    const r = await renderReportPdf(d, DEFAULT_SEAL_MM);
    expect(sm3Hex(r.pdf)).toBe(sm3Hex((await renderReportPdf(d, { widthMm: 42, heightMm: 42 })).pdf));
  }, 120_000);

  it("V-04 a provincial supervisor's report without a region is named after the root department and sealed by the province's management department", async () => {
    // a tree like the real one: the root (人民政府) is no management department; its provincial
    // management department (大数据中心) holds the seal and the supervisor
    const root = await createDepartment({ level: "PROVINCE", name: `测试省人民政府-${uniqueSuffix()}` });
    const mgmt = await createDepartment({ parent: root, level: "PROVINCE", area: "510000", parts: { isManagement: true }, name: `测试省大数据中心-${uniqueSuffix()}` });
    const applicant = await makeActor(mgmt, [{ role: "SEAL_APPLICANT", scope: "OWN" }], "大数据中心印章经办人");
    const sealName = `${mgmt.name}电子公章`;
    const { id: sealId } = await applySeal(
      applicant,
      { holderDeptId: mgmt.id, kind: "LEGAL_NAME", businessType: null, positionType: null, name: sealName, holderPersonName: "", useMode: "CENTRALISED", physicalRef: `SC-${uniqueSuffix()}`, applyReason: "监督报告签章" },
      [material],
    );
    await startReview(w.maker, sealId);
    await produceSeal(w.maker, { sealId, validYears: 2, protectionPassword: "" });
    expect((await runFiling(sealId)).status).toBe("FILED");
    const provincial = await makeActor(mgmt, [{ role: "SUPERVISOR", scope: "PROVINCE" }, { role: "SEAL_APPLICANT", scope: "OWN" }], "省级监督员");
    const flowAdmin = await makeActor(mgmt, [{ role: "SEAL_ADMIN", scope: "OWN" }], "印章管理员");
    const approver = await makeActor(mgmt, [{ role: "SEAL_APPROVER", scope: "OWN" }], "中心负责人");
    const custodian = await makeActor(mgmt, [{ role: "SEAL_CUSTODIAN", scope: "OWN" }], "公章保管人");
    await setCustodians(applicant, { sealId, administratorId: applicant.userId, custodianIds: [custodian.userId] });
    await saveFlow(flowAdmin, { holderDeptId: mgmt.id, sealKind: "LEGAL_NAME", sealId: null, name: "公章用印审批", steps: [userStep("中心负责人审批", "ANY", [approver])], note: "", baseVersion: 0 });

    const now = new Date();
    const whole = reportQuery.parse({ kind: "monthly", period: month, format: "xlsx" });
    const d = await reportData(provincial, whole, now);
    expect(d.subject).toEqual({ id: null, name: root.name, kind: "all" });
    expect(d.management).toEqual({ id: mgmt.id, name: mgmt.name });
    expect(d.title.startsWith(`${root.name} 电子证照与电子印章监督报告`)).toBe(true);

    const x = await exportReport(provincial, whole, now);
    expect(x.fileName).toBe(`${root.name}-监督报告-${Number(year)}年${Number(month.slice(5))}月.xlsx`);
    expect(x.asciiName).toBe(`supervision-report-${month}.xlsx`);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(x.body) as unknown as ArrayBuffer);
    const overview = new Map(wb.getWorksheet("概览")!.getRows(1, 8)!.map((r) => [r.getCell(1).value, r.getCell(2).value]));
    expect(overview.get("报告对象")).toBe(root.name);
    expect(overview.get("签章管理部门")).toBe(mgmt.name);

    const p = await exportReport(provincial, { ...whole, format: "pdf" }, now);
    expect(p.fileName).toBe(`${root.name}-监督报告-${Number(year)}年${Number(month.slice(5))}月.pdf`);
    const audit = await db().auditEvent.findFirst({ where: { actorId: provincial.userId, action: "supervision.report" }, orderBy: { seq: "desc" } });
    expect(audit?.detail).toMatchObject({ format: "pdf", scope: "all", subject: root.name, sealRequest: null, sm3: sm3Hex(p.body) });
    // sealing it asks for the province's management department's seal, through that department's flow
    const { id } = await requestReportSeal(provincial, reportSealInput.parse({ kind: "monthly", period: month, reason: "报送全省监督报告", validUntil: dateIn(7) }), now);
    const req = await loadRequest(id);
    expect(req).toMatchObject({ sealId, holderDeptId: mgmt.id, status: "PENDING" });
    expect(req.steps.find((x) => x.status === "ACTIVE")?.assignees.map((a) => a.userId)).toEqual([approver.userId]);
  }, 120_000);

  it("V-04 the route: 403 for a using operator, 400 JSON for a bad period, 404 for another region, the file with a Chinese name", async () => {
    const get = (params: Record<string, string>) => GET(new Request(`http://localhost:3000/api/supervision/reports?${new URLSearchParams(params)}`));

    jar.cookie = null;
    expect((await get({ kind: "monthly", period: month, format: "xlsx" })).status).toBe(401);

    await signInAs(w.user);
    const forbidden = await get({ kind: "monthly", period: month, format: "xlsx" });
    expect(forbidden.status).toBe(403);

    await signInAs(w.supervisor);
    const bads: Record<string, string>[] = [
      { kind: "monthly", period: "2026-13", format: "xlsx" },
      { kind: "annual", period: "2026-11", format: "xlsx" },
      { kind: "monthly", period: month, format: "docx" },
      { kind: "weekly", period: month, format: "xlsx" },
      { kind: "monthly", period: month, format: "xlsx", region: "not-a-uuid" },
    ];
    for (const params of bads) {
      const r = await get(params);
      expect(r.status, JSON.stringify(params)).toBe(400);
      const body = (await r.json()) as { code: string; error: string };
      expect(body.code).toBe("INVALID_INPUT");
      expect(body.error).toMatch(/[\u4e00-\u9fa5]/);
    }
    const bad = (await (await get({ kind: "monthly", period: "2026-13", format: "xlsx" })).json()) as { error: string };
    expect(bad.error).toBe("月度报告的期间须为 YYYY-MM，例如 2026-11");

    await signInAs(citySupervisor);
    const other = await get({ kind: "monthly", period: month, format: "xlsx", region: w.province.id });
    expect(other.status).toBe(404);
    expect(((await other.json()) as { code: string }).code).toBe("NOT_FOUND");

    await signInAs(w.supervisor);
    const ok = await GET(new Request(`http://localhost:3000${reportHref({ kind: "annual", period: year, format: "pdf", region: w.province.id })}`));
    expect(ok.status).toBe(200);
    expect(ok.headers.get("content-type")).toBe("application/pdf");
    expect(ok.headers.get("cache-control")).toBe("no-store");
    expect(ok.headers.get("content-disposition")).toBe(
      `attachment; filename="supervision-report-${year}.pdf"; filename*=UTF-8''${encodeURIComponent(`${w.province.name}-监督报告-${year}年度.pdf`)}`,
    );
    const pdf = new Uint8Array(await ok.arrayBuffer());
    expect(Buffer.from(pdf).subarray(0, 5).toString("latin1")).toBe("%PDF-");
    expect((await verifyUpload({ pdf })).found).toBe(false);
  });
});
