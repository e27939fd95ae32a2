// Issue 8's journey (V-01, V-02, V-04): a provincial supervisor opens the dashboard, rebuilds its
// figures, clicks the market-regulation bureau's "overdue objections" and lands on the filtered
// queue, and issues a rectification order to that bureau with those objections as evidence; the
// bureau's operator responds with an attachment; the supervisor accepts and closes it; the monthly
// report downloads as XLSX (parsed back) and as an unsealed PDF, and the supervisor files it for
// the centre's seal (申请加盖电子印章): the centre's approver approves, the custodian confirms and
// seals it at the box the report keeps for it, and the public verification page finds it sealed.
import ExcelJS from "exceljs";
import { expect, test, type Page } from "@playwright/test";
import { auditCount, decideOnRequest, loginToPortal, one, openFromApprovalQueue, sql, unique } from "./helpers";

test.describe.configure({ mode: "serial" });

const run = unique();
const number = `YY20261120${String(Date.now() % 1e6).padStart(6, "0")}`;
let deptId = "";
let deptName = "";
let orderPath = "";
let orderNumber = "";

const nav = (page: Page, name: string) => page.getByRole("navigation", { name: "主菜单" }).getByRole("link", { name, exact: true }).click();

test("[setup] an objection to one of the bureau's licences, received 8 days ago and never marked", async () => {
  const l = await one<{ id: string; issuerDeptId: string; name: string }>(
    `SELECT l.id, l."issuerDeptId", d.name FROM "Licence" l JOIN "Department" d ON d.id = l."issuerDeptId" JOIN "User" u ON u."departmentId" = d.id
     WHERE u.username = 'issuer' AND l.status = 'VALID' ORDER BY l."issuedAt" LIMIT 1`,
  );
  deptId = l.issuerDeptId;
  deptName = l.name;
  await sql(
    `INSERT INTO "Objection" ("id", "number", "licenceId", "issuerDeptId", "source", "applicantName", "fields", "description", "status", "regionCode", "receivedAt", "markDueAt", "resolveDueAt", "updatedAt")
     VALUES (gen_random_uuid(), $1, $2, $3, 'HOLDER', '端到端测试申请人', '[]'::jsonb, $4, 'SUBMITTED', '510000', now() - interval '8 days', now() - interval '7 days', now() - interval '1 day', now())`,
    [number, l.id, deptId, `经营场所登记有误（E2E ${run}）`],
  );
});

test("[SUPERVISOR] the dashboard's overdue objections of the bureau lead to the filtered queue, and from there to a rectification order (V-01, V-02)", async ({ page }) => {
  await loginToPortal(page, "supervisor");
  await nav(page, "监督看板");
  await expect(page.getByRole("heading", { level: 1 })).toContainText("监督看板");
  await page.getByTestId("refresh-stats").click();
  await expect(page.getByRole("status").filter({ hasText: "已刷新" })).toBeVisible({ timeout: 60_000 });
  await page.reload();
  const cell = page.getByTestId(`obj-overdue-${deptId}`);
  await expect(cell).toBeVisible();
  const shown = Number((await cell.textContent())!.trim());
  expect(shown).toBeGreaterThanOrEqual(1);
  await cell.click();
  await expect(page).toHaveURL(new RegExp(`/objections\\?overdue=1&issuer=${deptId}`));
  // the queue shows as many rows as the figure promised, ours among them
  await expect(page.getByRole("row").filter({ hasText: number })).toBeVisible();
  await expect(page.locator("tbody tr")).toHaveCount(shown);

  await page.getByTestId("order-from-overdue").click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("下达整改通知");
  await expect(page.getByLabel("被责令整改部门")).toHaveValue(deptId);
  await expect(page.getByLabel("问题类别")).toHaveValue("CORRECTION");
  await page.getByRole("textbox", { name: /^标题/ }).fill(`逾期未处理电子证照异议（E2E ${run}）`);
  await page.getByLabel("问题说明和整改要求").fill("你单位有电子证照异议超过标注和办结时限未处理，请于期限内完成核查、更正并反馈整改情况。");
  await page.getByLabel("整改期限（工作日，1–90）").fill("5");
  await page.getByRole("button", { name: "下达整改通知" }).click();
  await expect(page).toHaveURL(/\/supervision\/orders\/[0-9a-f-]{36}$/, { timeout: 20_000 });
  orderPath = new URL(page.url()).pathname;
  await expect(page.getByTestId("order-status")).toHaveText("待整改");
  await expect(page.getByTestId("order-evidence")).toContainText(number);
  orderNumber = (await one<{ number: string }>(`SELECT number FROM "RectificationOrder" WHERE id = $1`, [orderPath.split("/").pop()])).number;
  expect(await auditCount(`action = 'rectification.issue' AND "targetId" = $1`, [orderPath.split("/").pop()])).toBe(1);
});

test("[ISSUER_OPERATOR] the bureau's operator finds the order and responds with an attachment (V-02)", async ({ page }) => {
  await loginToPortal(page, "issuer");
  await nav(page, "整改通知");
  await page.getByRole("link", { name: orderNumber }).click();
  await expect(page).toHaveURL(new RegExp(`${orderPath}$`));
  await page.getByRole("button", { name: "反馈整改情况" }).click();
  const dialog = page.getByRole("dialog");
  await dialog.locator("textarea").fill("已逐件核查超期异议，更正经营场所登记错误，并建立异议每日巡检制度。");
  await dialog.locator('input[type="file"]').setInputFiles({ name: "整改报告.pdf", mimeType: "application/pdf", buffer: Buffer.from("%PDF-1.4\n% e2e rectification report\n%%EOF\n") });
  await dialog.getByRole("button", { name: "提交反馈" }).click();
  await expect(page.getByTestId("order-status")).toHaveText("已反馈", { timeout: 20_000 });
  await expect(page.getByTestId("order-response")).toContainText("整改报告.pdf");
});

test("[SUPERVISOR] accepts the response and closes the order (V-02)", async ({ page }) => {
  await loginToPortal(page, "supervisor");
  await page.goto(orderPath);
  await page.getByRole("button", { name: "验收办结" }).click();
  const dialog = page.getByRole("dialog");
  await dialog.locator("textarea").fill("整改措施到位，予以办结。");
  await dialog.getByRole("button", { name: "办结" }).click();
  await expect(page.getByTestId("order-status")).toHaveText("已办结", { timeout: 20_000 });
  await expect(page.getByTestId("order-events")).toContainText("已反馈 → 已办结");
});

let sealRequestId = "";
let sealedReport: Buffer = Buffer.alloc(0);

test("[SUPERVISOR] the monthly report downloads as XLSX with the figures and as an unsealed PDF, and is filed for the management department's seal (V-04, S-10)", async ({ page }) => {
  await loginToPortal(page, "supervisor");
  await nav(page, "监督报告");
  await expect(page.getByTestId("report-kind")).toHaveValue("monthly");
  // the form offers last month by default; this month's report has today's order
  await page.getByTestId("report-month").fill(new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 7));

  const [xlsx] = await Promise.all([page.waitForEvent("download"), page.getByTestId("report-xlsx").click()]);
  expect(xlsx.suggestedFilename()).toMatch(/\.xlsx$/);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(await xlsx.path());
  expect(wb.worksheets.map((w) => w.name)).toEqual(expect.arrayContaining(["概览", "部门排名", "整改通知"]));
  const orders = wb.getWorksheet("整改通知")!;
  const cells: string[] = [];
  orders.eachRow((r) => r.eachCell((c) => cells.push(c.text)));
  expect(cells.join(" ")).toContain(orderNumber);
  expect(cells.join(" ")).toContain(deptName);

  const [pdf] = await Promise.all([page.waitForEvent("download"), page.getByTestId("report-pdf").click()]);
  expect(pdf.suggestedFilename()).toMatch(/\.pdf$/);
  const fs = await import("node:fs");
  const bytes = fs.readFileSync(await pdf.path());
  expect(bytes.subarray(0, 5).toString("latin1")).toBe("%PDF-");
  expect(await auditCount(`action = 'supervision.report'`, [])).toBeGreaterThanOrEqual(2);

  // sealing it is a seal-use request: an empty reason is refused next to the field, nothing is filed
  const before = await one<{ n: number }>(`SELECT count(*)::int AS n FROM "SealUseRequest"`);
  await page.getByTestId("report-seal").click();
  const panel = page.getByTestId("report-seal-request");
  await expect(panel.locator("textarea")).toHaveValue(/^\d{4}年\d{1,2}月监督报告加盖电子印章$/);
  await panel.locator("textarea").fill("");
  await panel.getByRole("button", { name: "提交用印申请" }).click();
  await expect(panel.getByRole("alert")).toContainText("请填写用印事由");
  expect((await one<{ n: number }>(`SELECT count(*)::int AS n FROM "SealUseRequest"`)).n).toBe(before.n);
  // a validity in the past is refused by the server next to the field, once, and files nothing
  await panel.locator("textarea").fill(`报送本月监督报告 ${run}`);
  await panel.locator('input[type="date"]').fill("2020-01-01");
  await panel.getByRole("button", { name: "提交用印申请" }).click();
  await expect(panel.getByText("有效期不能早于今天")).toHaveCount(1);
  expect((await one<{ n: number }>(`SELECT count(*)::int AS n FROM "SealUseRequest"`)).n).toBe(before.n);
  await panel.locator('input[type="date"]').fill(new Date(Date.now() + 8 * 3600_000 + 3 * 86_400_000).toISOString().slice(0, 10));
  await panel.getByRole("button", { name: "提交用印申请" }).click();
  await expect(page).toHaveURL(/\/seal-use\/[0-9a-f-]{36}$/, { timeout: 30_000 });
  sealRequestId = page.url().split("/").pop()!;
  await expect(page.locator("h1")).toContainText("审批中");
  await expect(page.getByTestId("approval-steps")).toContainText("中心负责人审批");
  await expect(page.getByTestId("approval-steps")).toContainText("保管人确认");
  await expect(page.getByTestId("documents")).toContainText("监督报告");
});

test("[SEAL_APPROVER] the centre's approver approves the report's seal use", async ({ page }) => {
  await loginToPortal(page, "bdapprover");
  await openFromApprovalQueue(page, run, sealRequestId);
  await decideOnRequest(page, "同意", "报告内容已核对");
});

test("[SEAL_CUSTODIAN] the custodian confirms and seals the report where it keeps room for the seal; the public verification page finds it sealed by the management department", async ({ page, browser }) => {
  await loginToPortal(page, "bdcustodian");
  await openFromApprovalQueue(page, run, sealRequestId);
  await decideOnRequest(page, "确认用印", "同意盖章");
  await expect(page.locator("h1")).toContainText("已批准");
  const panel = page.getByTestId("sign-panel");
  await expect(panel.getByRole("application")).toBeVisible({ timeout: 20_000 });
  await expect(panel.getByText("正在加载", { exact: false })).toHaveCount(0, { timeout: 20_000 });
  // the default position is the box the report keeps, bottom right of its last page
  const pages = await one<{ pages: number }>(`SELECT pages FROM "SealUseDocument" WHERE "requestId" = $1`, [sealRequestId]);
  await panel.getByRole("button", { name: "盖章" }).click();
  await expect(panel.getByRole("status").first()).toContainText("盖章完成", { timeout: 30_000 });
  await expect(page.locator("h1")).toContainText("已用印");
  const sig = await one<{ position: { page: number; x: number; y: number } }>(`SELECT position FROM "SealUseSignature" WHERE "requestId" = $1 AND status = 'DONE'`, [sealRequestId]);
  expect(sig.position.page).toBe(pages.pages);
  expect(sig.position.x).toBeGreaterThan(595.28 / 2);
  expect(sig.position.y).toBeLessThan(841.89 / 3);
  const rec = await one<{ reason: string }>(`SELECT reason FROM "SealUseRecord" WHERE "requestId" = $1`, [sealRequestId]);
  expect(rec.reason).toBe(`报送本月监督报告 ${run}`);
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByTestId("signatures").getByRole("link", { name: "签章 PDF" }).click()]);
  expect(download.suggestedFilename()).toMatch(/-监督报告-\d{4}年\d{1,2}月（已盖章）\.pdf$/);
  const fs = await import("node:fs");
  sealedReport = fs.readFileSync(await download.path());

  // anyone can check the seal on the public verification page: the management department's
  const management = await one<{ name: string }>(`SELECT name FROM "Department" WHERE "isManagement" AND level = 'PROVINCE' ORDER BY "createdAt" LIMIT 1`);
  const context = await browser.newContext();
  const pub = await context.newPage();
  await pub.goto("/verify");
  await pub.locator('input[type=file][name="pdf"]').setInputFiles({ name: "report.pdf", mimeType: "application/pdf", buffer: sealedReport });
  await pub.getByRole("button", { name: "验证" }).click();
  await expect(pub.getByTestId("verify-report")).toContainText("签章有效", { timeout: 30_000 });
  await expect(pub.getByTestId("verify-report")).toContainText(management.name);
  await context.close();
});
