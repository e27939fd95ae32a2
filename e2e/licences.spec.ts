// Issue 6's journey (L-05 … L-08, P-02, U-06): an issuer operator issues a 食品经营许可证 from the
// face form (a wrong USCC check character is refused next to the field), downloads the signed PDF;
// the printed QR link opened signed out shows the licence as valid; after a suspension the page
// says suspended; the PDF itself verifies as the original, and with one byte changed as altered.
// No page or page payload carries the holder's full code.
import { readFileSync } from "node:fs";
import { expect, test, type Page } from "@playwright/test";
import { field, loginToPortal, one, unique } from "./helpers";
import { usccCheckChar } from "../lib/validation/codes";

test.describe.configure({ mode: "serial" });

const run = unique();
const org = `91510104${String(Date.now() % 1e9).padStart(9, "0")}`;
const code = org + usccCheckChar(org);
const wrongCode = org + (code[17] === "0" ? "1" : "0");
const holderName = `成都市锦江区蓉城小面馆 E2E ${run}`;
let licenceId = "";
let pdf: Buffer = Buffer.alloc(0);
let printedPath = "";

const nav = (page: Page, name: string) => page.getByRole("navigation", { name: "主菜单" }).getByRole("link", { name, exact: true }).click();

/** Neither the HTML (with its inline RSC payload) nor the RSC payload of a navigation contains the full code. */
async function expectNoFullCode(page: Page, url: string) {
  const html = await page.content();
  expect(html).not.toContain(code);
  const rsc = await page.request.get(url, { headers: { RSC: "1" } });
  expect(rsc.ok()).toBe(true);
  const body = await rsc.text();
  expect(body.length).toBeGreaterThan(100);
  expect(body).not.toContain(code);
}

test("[ISSUER_OPERATOR] issues a 食品经营许可证 from the face form, signed with the bureau's seal", async ({ page }) => {
  const type = await one<{ id: string }>(`SELECT id FROM "LicenceType" WHERE name = '食品经营许可证'`);
  await loginToPortal(page, "issuer");
  await nav(page, "签发证照");
  await expect(page).toHaveURL(/\/licenses\/new$/);
  await page.getByLabel("证照类型").selectOption(type.id);
  await field(page, "证件类型").locator("select").selectOption("001");
  await field(page, "证件号码").locator("input").fill(wrongCode);
  await field(page, "持证主体名称").locator("input").fill(holderName);
  await page.getByLabel("经营者名称").fill(holderName);
  await page.getByLabel("社会信用代码（身份证号码）").fill(code);
  await page.getByLabel("法定代表人（负责人）").fill("刘小川");
  await page.getByLabel("住所").fill("四川省成都市锦江区东大街下东大街段 199 号");
  await page.getByLabel("经营场所").fill("四川省成都市锦江区东大街下东大街段 199 号 1 层");
  await page.getByLabel("主体业态").selectOption("餐饮服务经营者");
  await page.getByLabel("经营项目").fill("热食类食品制售");
  const before = (await one<{ n: number }>(`SELECT count(*)::int AS n FROM "Licence"`)).n;
  await page.getByRole("button", { name: "签发并加盖电子印章" }).click();
  await expect(field(page, "证件号码").getByRole("alert")).toContainText("统一社会信用代码不正确");
  expect((await one<{ n: number }>(`SELECT count(*)::int AS n FROM "Licence"`)).n).toBe(before);

  await field(page, "证件号码").locator("input").fill(code);
  await page.getByRole("button", { name: "签发并加盖电子印章" }).click();
  await expect(page).toHaveURL(/\/licenses\/[0-9a-f-]{36}/, { timeout: 30_000 });
  licenceId = new URL(page.url()).pathname.split("/").pop()!;
  const row = await one<{ identifier: string; status: string; signed: boolean; holderName: string }>(
    `SELECT identifier, status::text, "signatureValue" IS NOT NULL AS signed, "holderName" FROM "Licence" WHERE id = $1`,
    [licenceId],
  );
  expect(row).toMatchObject({ status: "VALID", signed: true, holderName });
  await expect(page.getByTestId("licence-info")).toContainText(row.identifier);
  await expect(page.getByTestId("holder-code")).toHaveText(`${code.slice(0, 4)}**********${code.slice(-4)}`);
  await expect(page.getByTestId("signature-result")).toHaveText("签名有效");
  await expectNoFullCode(page, `/licenses/${licenceId}`);
  const audit = await one<{ n: number }>(`SELECT count(*)::int AS n FROM "AuditEvent" WHERE action = 'licence.issue' AND "targetId" = $1`, [licenceId]);
  expect(audit.n).toBe(1);

  const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "下载证照文件（PDF）" }).click()]);
  pdf = readFileSync((await download.path()));
  expect(pdf.subarray(0, 5).toString("latin1")).toBe("%PDF-");
  printedPath = new URL((await page.getByTestId("printed-url").textContent())!.trim()).pathname;
  expect(printedPath).toMatch(/^\/verify\/l\//);
});

test("[public] the printed QR link shows the licence valid to anyone; after a suspension it says suspended", async ({ page, browser }) => {
  const visitor = await browser.newContext();
  const pub = await visitor.newPage();
  await pub.goto(printedPath);
  await expect(pub.getByTestId("licence-status")).toContainText("有效");
  await expect(pub.getByTestId("licence-view")).toContainText("食品经营许可证");
  expect(await pub.content()).not.toContain(code);

  await loginToPortal(page, "issuer");
  await page.goto(`/licenses/${licenceId}`);
  await page.getByRole("button", { name: "暂扣", exact: true }).click();
  const dialog = page.locator(".modal");
  await dialog.getByRole("button", { name: "暂扣" }).click();
  await expect(dialog.locator("select[aria-invalid=true], textarea[aria-invalid=true]").first()).toBeVisible();
  await field(page, "原因").locator("select").selectOption("RECTIFICATION");
  await dialog.getByLabel("说明（文书编号、具体情形）").fill(`锦市监责改〔2026〕${run} 号：后厨卫生不合格，责令限期整改`);
  await dialog.getByRole("button", { name: "暂扣" }).click();
  await expect(page.getByTestId("status-note")).toBeVisible({ timeout: 20_000 });
  await expect(page.getByTestId("timeline")).toContainText("责令限期整改");
  expect((await one<{ status: string }>(`SELECT status::text FROM "Licence" WHERE id = $1`, [licenceId])).status).toBe("SUSPENDED");

  await pub.reload();
  await expect(pub.getByTestId("licence-status")).toContainText("暂扣");
  await visitor.close();
});

test("[public] the downloaded PDF verifies as the signed original; one changed byte is reported as altered", async ({ browser }) => {
  const visitor = await browser.newContext();
  const page = await visitor.newPage();
  await page.goto("/verify");
  await page.locator('input[type=file][name="pdf"]').setInputFiles({ name: "食品经营许可证.pdf", mimeType: "application/pdf", buffer: pdf });
  await page.getByRole("button", { name: "验证" }).click();
  await expect(page.getByTestId("verify-report")).toHaveAttribute("data-original", "true", { timeout: 30_000 });
  await expect(page.getByTestId("verify-report")).toContainText("电子证照原件，未被篡改");
  await expect(page.getByTestId("licence-status")).toContainText("暂扣");

  // with a signature file as the licence page offers it (.ses): accepted, and the PDF is still judged by its own signature
  await page.locator('input[type=file][name="sig"]').setInputFiles({ name: "食品经营许可证.ses", mimeType: "application/octet-stream", buffer: Buffer.from([0x30, 0x03, 0x02, 0x01, 0x01]) });
  await page.getByRole("button", { name: "验证" }).click();
  await expect(page.getByTestId("verify-report")).toHaveAttribute("data-original", "true", { timeout: 30_000 });
  await page.locator('input[type=file][name="sig"]').setInputFiles([]);

  const altered = Buffer.from(pdf);
  const at = altered.indexOf(Buffer.from("stream", "latin1")) + 40;
  expect(at).toBeGreaterThan(40);
  altered[at] ^= 0x01;
  await page.locator('input[type=file][name="pdf"]').setInputFiles({ name: "改动.pdf", mimeType: "application/pdf", buffer: altered });
  await page.getByRole("button", { name: "验证" }).click();
  await expect(page.getByTestId("verify-report")).toHaveAttribute("data-original", "false", { timeout: 30_000 });
  await expect(page.getByTestId("verify-report")).toContainText("不是有效的电子证照原件");
  await visitor.close();
});

test("[ISSUER_OPERATOR] a reversed date range in the licence query says why the list is empty", async ({ page }) => {
  await loginToPortal(page, "issuer");
  await page.goto("/licenses?issuedFrom=2026-12-31&issuedTo=2026-01-01");
  await expect(page.getByRole("status").filter({ hasText: "发证日期的起始日期晚于截止日期" })).toBeVisible();
  await expect(page.getByTestId("holder-code")).toHaveAttribute("placeholder", "完整的统一社会信用代码或身份证号");
});
