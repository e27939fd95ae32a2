// Issue 4's journey (S-10 … S-13): the applicant submits a PDF → two approvers approve → the
// custodian confirms and signs at a chosen position → the use record shows the reason, approvers
// and count → the public verification page confirms the downloaded PDF and rejects it with one
// byte changed.
import { readFileSync } from "node:fs";
import { expect, test } from "@playwright/test";
import { PDFDocument, StandardFonts } from "pdf-lib";
import { decideOnRequest, field, loginToPortal, logout, one, openFromApprovalQueue, sql, unique } from "./helpers";

test.describe.configure({ mode: "serial" });

const run = unique();
const reason = `E2E 用印：签订技术服务合同 ${run}`;
let requestId = "";
let sealedPdf: Buffer = Buffer.alloc(0);

async function contractPdf(): Promise<Buffer> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  for (let i = 1; i <= 2; i++) {
    const page = doc.addPage([595.28, 841.89]);
    page.drawText(`Technical service contract ${run} - page ${i}`, { x: 60, y: 760, size: 16, font });
  }
  return Buffer.from(await doc.save());
}

test("[SEAL_APPLICANT] submits a request with the PDF to seal", async ({ page }) => {
  await loginToPortal(page, "applicant");
  await page.getByRole("navigation", { name: "主菜单" }).getByRole("link", { name: "用印申请" }).click();
  await page.getByRole("link", { name: "新建用印申请" }).click();
  await expect(page).toHaveURL(/\/seal-use\/new$/);

  // no reason and no file: errors next to the fields, nothing written
  const before = await one<{ n: number }>(`SELECT count(*)::int AS n FROM "SealUseRequest"`);
  await field(page, "印章").locator("select").selectOption({ index: 1 });
  await page.getByRole("button", { name: "提交审批" }).click();
  await expect(field(page, "用印事由").getByRole("alert")).toContainText("请填写用印事由");
  expect((await one<{ n: number }>(`SELECT count(*)::int AS n FROM "SealUseRequest"`)).n).toBe(before.n);

  await field(page, "用印事由").locator("textarea").fill(reason);
  await field(page, "用印数（次）").locator("input").fill("1");
  await page.locator("input[type=file][name=documents]").setInputFiles({ name: "技术服务合同.pdf", mimeType: "application/pdf", buffer: await contractPdf() });
  await page.getByRole("button", { name: "提交审批" }).click();

  await expect(page).toHaveURL(/\/seal-use\/[0-9a-f-]{36}$/);
  requestId = page.url().split("/").pop()!;
  await expect(page.locator("h1")).toContainText("审批中");
  await expect(page.getByTestId("approval-steps")).toContainText("部门负责人审批");
  await expect(page.getByTestId("approval-steps")).toContainText("保管人确认");
  const row = await one<{ status: string; reason: string; count: number }>(`SELECT status, reason, count FROM "SealUseRequest" WHERE id = $1`, [requestId]);
  expect(row).toEqual({ status: "PENDING", reason, count: 1 });
  await logout(page);
});

test("[SEAL_APPROVER] two approvers approve in turn", async ({ page }) => {
  await loginToPortal(page, "approver1");
  await openFromApprovalQueue(page, reason, requestId);
  await expect(page.getByTestId("documents")).toContainText("技术服务合同.pdf");
  await page.getByTestId("documents").getByRole("button", { name: "预览" }).click();
  await expect(page.getByRole("region", { name: "文档预览" })).toContainText("共 2 页", { timeout: 20_000 });
  await decideOnRequest(page, "同意", "同意用印");
  await logout(page);

  await loginToPortal(page, "approver2");
  await openFromApprovalQueue(page, reason, requestId);
  await decideOnRequest(page, "同意", "同意");
  await expect(page.getByTestId("approval-steps")).toContainText("冯审批");
  await logout(page);
});

test("[SEAL_CUSTODIAN] confirms and signs at a chosen position", async ({ page }) => {
  await page.setViewportSize({ width: 1366, height: 768 }); // an office laptop
  await loginToPortal(page, "custodian");
  await openFromApprovalQueue(page, reason, requestId);
  await decideOnRequest(page, "确认用印", "已核对文件");
  await expect(page.locator("h1")).toContainText("已批准");

  const panel = page.getByTestId("sign-panel");
  const stage = panel.getByRole("application");
  await expect(stage).toBeVisible({ timeout: 20_000 });
  await expect(panel.getByText("正在加载", { exact: false })).toHaveCount(0, { timeout: 20_000 });
  // choose a spot in the upper left quarter of the last page
  const box = (await stage.boundingBox())!;
  await stage.click({ position: { x: box.width * 0.3, y: box.height * 0.3 } });
  const y = Number(await panel.getByLabel("印章中心 y 坐标（pt）").inputValue());
  expect(y).toBeGreaterThan(500); // the top part of an A4 page (842 pt high, origin bottom left)
  // with the page's top chosen, 盖章 is still on the screen (the panel's action row stays in view)
  await expect(panel.getByRole("button", { name: "盖章" })).toBeInViewport();

  await panel.getByRole("button", { name: "盖章" }).click();
  await expect(panel.getByRole("status").first()).toContainText("盖章完成", { timeout: 30_000 });
  await expect(page.getByTestId("use-count")).toContainText("已用 1 / 批准 1 次");
  await expect(page.locator("h1")).toContainText("已用印");
  // the last approved use is signed: the panel shrinks, and its result is still on the screen
  await expect(panel.getByRole("status").first()).toBeInViewport();

  const sig = await one<{ id: string; position: { page: number; y: number } }>(`SELECT id, position FROM "SealUseSignature" WHERE "requestId" = $1 AND status = 'DONE'`, [requestId]);
  expect(sig.position.page).toBe(2);
  expect(Math.abs(sig.position.y - y)).toBeLessThan(1);

  const [download] = await Promise.all([page.waitForEvent("download"), page.getByTestId("signatures").getByRole("link", { name: "签章 PDF" }).click()]);
  sealedPdf = readFileSync((await download.path()));
  expect(sealedPdf.subarray(0, 5).toString("latin1")).toBe("%PDF-");
});

test("[SEAL_CUSTODIAN] the use record shows reason, approvers and count", async ({ page }) => {
  await page.setViewportSize({ width: 1366, height: 768 });
  await loginToPortal(page, "custodian");
  await page.getByRole("navigation", { name: "主菜单" }).getByRole("link", { name: "用印登记" }).click();
  await page.locator('input[name="q"]').fill(run);
  await page.getByRole("button", { name: "查询" }).click();
  const row = page.locator("tr", { hasText: reason });
  await expect(row).toBeVisible();
  await expect(row).toContainText("王审批");
  await expect(row).toContainText("冯审批");
  await expect(row).toContainText("技术服务合同.pdf");
  // the register fits a 1366 px screen: no sideways scrolling inside its card
  const fit = await page.getByTestId("records-table").evaluate((t) => ({
    overflow: t.scrollWidth - (t.parentElement?.clientWidth ?? 0),
    columns: [...t.querySelectorAll("th")].map((th) => `${th.textContent}:${Math.round(th.getBoundingClientRect().width)}`).join(" "),
  }));
  expect(fit.overflow, fit.columns).toBeLessThanOrEqual(1);
  const rec = await one<{ reason: string; remaining: number; usedTotal: number }>(`SELECT reason, remaining, "usedTotal" FROM "SealUseRecord" WHERE "requestId" = $1`, [requestId]);
  expect(rec).toEqual({ reason, remaining: 0, usedTotal: 1 });
  const events = await sql(`SELECT 1 FROM "AuditEvent" WHERE action = 'seal_use.sign' AND "targetId" = $1`, [requestId]);
  expect(events).toHaveLength(1);
});

test("[PUBLIC] the verification page confirms the sealed PDF and rejects it with one byte changed", async ({ browser }) => {
  const context = await browser.newContext(); // nobody signed in
  const page = await context.newPage();
  await page.goto("/verify");
  await expect(page.getByRole("heading", { name: "电子签章验证" })).toBeVisible();

  await page.locator('input[type=file][name="pdf"]').setInputFiles({ name: "sealed.pdf", mimeType: "application/pdf", buffer: sealedPdf });
  await page.getByRole("button", { name: "验证" }).click();
  await expect(page.getByTestId("verify-report")).toContainText("签章有效", { timeout: 30_000 });
  await expect(page.getByTestId("verify-report")).toContainText("四川省市场监督管理局");

  const tampered = Buffer.from(sealedPdf);
  // one byte inside the first stream's data: the file still parses, but it is not what was signed
  const at = tampered.indexOf(Buffer.from("stream", "latin1")) + 20;
  expect(at).toBeGreaterThan(20);
  tampered[at] ^= 0x01;
  await page.locator('input[type=file][name="pdf"]').setInputFiles({ name: "tampered.pdf", mimeType: "application/pdf", buffer: tampered });
  await page.getByRole("button", { name: "验证" }).click();
  await expect(page.getByTestId("verify-report")).toContainText("签章无效", { timeout: 30_000 });
  await context.close();
});
