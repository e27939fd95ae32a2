// Issue 7's journey (O-01 … O-03): the issuer issues a 食品经营许可证; its holder, signed out, raises
// an objection to 经营场所 on the public page and gets a number and a lookup code; the issuer marks
// it in the queue and the licence's public verification page says 异议中; the issuer corrects the
// field, which issues version 2 (the old one annulled); the holder's lookup shows 已更正 with the
// new identifier, and neither the new version's verification page nor its detail page says 异议中.
import { expect, test, type Page } from "@playwright/test";
import { auditCount, field, loginToPortal, one, unique } from "./helpers";
import { usccCheckChar } from "../lib/validation/codes";

test.describe.configure({ mode: "serial" });

const run = unique();
const org = `91510104${String(Date.now() % 1e9).padStart(9, "0")}`;
const code = org + usccCheckChar(org);
const holderName = `成都市锦江区蓉城茶铺 E2E ${run}`;
const oldPremises = "四川省成都市锦江区东大街下东大街段 199 号 1 层";
const newPremises = "四川省成都市锦江区东大街下东大街段 201 号 1 层";
let licenceId = "";
let identifier = "";
let printedPath = "";
let number = "";
let lookupCode = "";
let objectionId = "";
let successorId = "";

const nav = (page: Page, name: string) => page.getByRole("navigation", { name: "主菜单" }).getByRole("link", { name, exact: true }).click();

test("[ISSUER_OPERATOR] issues a 食品经营许可证 for a fresh holder", async ({ page }) => {
  const type = await one<{ id: string }>(`SELECT id FROM "LicenceType" WHERE name = '食品经营许可证'`);
  await loginToPortal(page, "issuer");
  await nav(page, "签发证照");
  await page.getByLabel("证照类型").selectOption(type.id);
  await field(page, "证件类型").locator("select").selectOption("001");
  await field(page, "证件号码").locator("input").fill(code);
  await field(page, "持证主体名称").locator("input").fill(holderName);
  await page.getByLabel("经营者名称").fill(holderName);
  await page.getByLabel("社会信用代码（身份证号码）").fill(code);
  await page.getByLabel("法定代表人（负责人）").fill("刘小川");
  await page.getByLabel("住所", { exact: true }).fill("四川省成都市锦江区东大街下东大街段 199 号");
  await page.getByLabel("经营场所", { exact: true }).fill(oldPremises);
  await page.getByLabel("主体业态").selectOption("餐饮服务经营者");
  await page.getByLabel("经营项目").fill("热食类食品制售；饮品制售");
  await page.getByRole("button", { name: "签发并加盖电子印章" }).click();
  await expect(page).toHaveURL(/\/licenses\/[0-9a-f-]{36}/, { timeout: 30_000 });
  licenceId = new URL(page.url()).pathname.split("/").pop()!;
  identifier = (await one<{ identifier: string }>(`SELECT identifier FROM "Licence" WHERE id = $1`, [licenceId])).identifier;
  printedPath = new URL((await page.getByTestId("printed-url").textContent())!.trim()).pathname;
  expect(printedPath).toMatch(/^\/verify\/l\//);
  await expect(page.getByTestId("objection-badge")).toHaveCount(0);
});

test("[public] the holder raises an objection on the public page and gets a number and a lookup code (O-01)", async ({ browser }) => {
  const visitor = await browser.newContext();
  const page = await visitor.newPage();
  await page.goto("/objection");
  await page.getByLabel("电子证照标识").fill(identifier);
  // a wrong holder code shows no fields, with the one answer for either mistake
  await page.getByLabel("持证主体代码").fill(code.slice(0, 17) + (code[17] === "0" ? "1" : "0"));
  await page.getByRole("button", { name: "读取证照字段" }).click();
  await expect(page.getByRole("alert").first()).toContainText("证照标识或持证主体代码不正确");
  await expect(page.getByTestId("objection-fields")).toHaveCount(0);

  await page.getByLabel("持证主体代码").fill(code);
  await page.getByRole("button", { name: "读取证照字段" }).click();
  await expect(page.getByTestId("objection-fields")).toBeVisible();
  // labels only: no face value of the licence reaches the public page
  expect(await page.content()).not.toContain(oldPremises);
  await page.getByRole("button", { name: "提交异议" }).click();
  await expect(page.getByTestId("objection-fields").getByRole("alert")).toContainText("请至少选择一个有异议的字段");

  await page.getByLabel("对「经营场所」有异议").check();
  await page.getByLabel("经营场所的正确内容").fill(newPremises);
  await page.getByLabel("姓名或名称").fill("刘小川");
  await page.getByLabel("联系方式").fill("13900002222");
  await page.getByLabel("异议说明").fill("经营场所门牌号登记有误，实际为 201 号，附租赁合同。");
  await page.locator('input[type=file][name="evidence"]').setInputFiles({ name: "租赁合同.pdf", mimeType: "application/pdf", buffer: Buffer.from("%PDF-1.4\n% e2e lease\n%%EOF\n") });
  await page.getByRole("button", { name: "提交异议" }).click();
  await expect(page.getByTestId("objection-receipt")).toBeVisible({ timeout: 20_000 });
  number = (await page.getByTestId("objection-number").textContent())!.trim();
  lookupCode = (await page.getByTestId("objection-lookup-code").textContent())!.trim();
  expect(number).toMatch(/^YY\d{14}$/);
  expect(lookupCode).toMatch(/^[2-9A-HJ-NP-Z]{8}$/);
  await expect(page.getByTestId("objection-receipt")).toContainText("查询码只显示这一次");

  const row = await one<{ id: string; status: string; source: string; licenceId: string; evidence: number; lookupHash: string }>(
    `SELECT o.id, o.status, o.source, o."licenceId", o."lookupHash", (SELECT count(*)::int FROM "ObjectionEvidence" e WHERE e."objectionId" = o.id) AS evidence FROM "Objection" o WHERE o.number = $1`,
    [number],
  );
  expect(row).toMatchObject({ status: "SUBMITTED", source: "HOLDER", licenceId, evidence: 1 });
  expect(row.lookupHash).not.toContain(lookupCode);
  objectionId = row.id;
  expect(await auditCount(`action = 'objection.submit' AND "targetId" = $1`, [objectionId])).toBe(1);
  await visitor.close();
});

test("[ISSUER_OPERATOR] marks the objection from the queue; the licence's public verification page shows 异议中 (O-02)", async ({ page, browser }) => {
  await loginToPortal(page, "issuer");
  await nav(page, "异议处理");
  await expect(page).toHaveURL(/\/objections/);
  await page.getByLabel("异议编号").fill(number);
  await page.getByRole("button", { name: "查询" }).click();
  const row = page.getByTestId("objection-table").locator("tbody tr").filter({ hasText: number });
  await expect(row).toHaveCount(1);
  await expect(row).toContainText("待标注");
  await expect(row.getByTestId("mark-deadline").locator(".badge")).toContainText(/剩余|超期/);
  await row.getByRole("link", { name: number }).click();
  await expect(page).toHaveURL(new RegExp(`/objections/${objectionId}$`));
  await expect(page.getByTestId("objection-fields")).toContainText(newPremises);
  await expect(page.getByTestId("objection-evidence")).toContainText("租赁合同.pdf");
  expect(await page.content()).not.toContain(code);

  await page.getByRole("button", { name: "异议标注" }).click();
  const dialog = page.locator(".modal");
  await dialog.getByLabel("标注说明（可选）").fill("已受理，正在核实经营场所");
  await dialog.getByRole("button", { name: "标注" }).click();
  await expect(page.getByTestId("objection-status")).toContainText("已标注", { timeout: 20_000 });
  await expect(page.getByTestId("objection-timeline")).toContainText("已受理，正在核实经营场所");
  expect((await one<{ status: string; open: number }>(`SELECT o.status, l."openObjections" AS open FROM "Objection" o JOIN "Licence" l ON l.id = o."licenceId" WHERE o.id = $1`, [objectionId]))).toEqual({ status: "MARKED", open: 1 });
  expect(await auditCount(`action = 'objection.transition' AND "targetId" = $1 AND detail->>'transition' = 'mark'`, [objectionId])).toBe(1);

  // the licence page and the list show it too
  await page.goto(`/licenses/${licenceId}`);
  await expect(page.getByTestId("objection-badge")).toHaveText("异议中");
  await expect(page.getByTestId("licence-objections")).toContainText(number);
  await page.goto("/licenses?objection=1");
  await expect(page.getByTestId("licence-table").locator("tbody tr").filter({ hasText: holderName })).toContainText("异议中");

  const visitor = await browser.newContext();
  const pub = await visitor.newPage();
  await pub.goto(printedPath);
  await expect(pub.getByTestId("licence-view")).toContainText("食品经营许可证");
  await expect(pub.getByText("异议中").first()).toBeVisible();
  await visitor.close();
});

test("[ISSUER_OPERATOR] corrects 经营场所: the licence gets version 2 and the old one is annulled (O-03)", async ({ page }) => {
  await loginToPortal(page, "issuer");
  await page.goto(`/objections/${objectionId}`);
  await page.getByRole("link", { name: "更正证照" }).click();
  await expect(page).toHaveURL(new RegExp(`/objections/${objectionId}/correct$`));
  const premises = page.getByTestId("correct-form").getByLabel("经营场所", { exact: true });
  await expect(premises).toHaveValue(oldPremises);
  await page.getByRole("button", { name: "填入申请方认为正确的内容" }).click();
  await expect(premises).toHaveValue(newPremises);
  await page.getByRole("button", { name: "更正并签发新版本" }).click();
  await expect(page.getByLabel("更正说明")).toHaveAttribute("aria-invalid", "true");
  await page.getByLabel("更正说明").fill("经核实租赁合同，经营场所门牌号为 201 号，已更正。");
  await page.getByRole("button", { name: "更正并签发新版本" }).click();
  await expect(page).toHaveURL(/\/licenses\/[0-9a-f-]{36}\?done=change/, { timeout: 30_000 });
  successorId = new URL(page.url()).pathname.split("/").pop()!;
  expect(successorId).not.toBe(licenceId);
  await expect(page.getByTestId("licence-info")).toContainText("002（变更）");
  await expect(page.getByTestId("licence-face")).toContainText(newPremises);
  await expect(page.getByTestId("objection-badge")).toHaveCount(0);
  await expect(page.getByTestId("licence-objections")).toHaveCount(0);

  const next = await one<{ version: number; predecessorId: string; open: number; premises: string }>(
    `SELECT version, "predecessorId", "openObjections" AS open, face->>'premises' AS premises FROM "Licence" WHERE id = $1`,
    [successorId],
  );
  expect(next).toEqual({ version: 2, predecessorId: licenceId, open: 0, premises: newPremises });
  expect(await one<{ status: string; open: number }>(`SELECT status::text, "openObjections" AS open FROM "Licence" WHERE id = $1`, [licenceId])).toEqual({ status: "ANNULLED", open: 0 });
  expect(await one<{ status: string; outcome: string; corrected: string }>(`SELECT status, outcome, "correctedLicenceId" AS corrected FROM "Objection" WHERE id = $1`, [objectionId])).toEqual({
    status: "RESOLVED",
    outcome: "CORRECTED",
    corrected: successorId,
  });
  expect(await auditCount(`action = 'objection.transition' AND "targetId" = $1 AND detail->>'transition' = 'correct'`, [objectionId])).toBe(1);
  // the holder's notification record, ready for an SMS gateway
  const note = await one<{ channel: string; contact: string; message: string }>(`SELECT channel, "contactMasked" AS contact, message FROM "HolderNotification" WHERE kind = $1`, [`OBJ:${number}`.slice(0, 20)]);
  expect(note.channel).toBe("SMS");
  expect(note.contact).not.toContain("13900002222");
  expect(note.message).toContain("已更正");
});

test("[public] the holder's lookup shows 已更正 with the new identifier; the new version's verification page has no 异议中 (O-03)", async ({ browser }) => {
  const successor = await one<{ identifier: string; epoch: number }>(`SELECT identifier, "qrEpoch" AS epoch FROM "Licence" WHERE id = $1`, [successorId]);
  const visitor = await browser.newContext();
  const page = await visitor.newPage();
  await page.goto(`/objection/lookup?number=${number}`);
  await expect(page.getByLabel("异议编号")).toHaveValue(number);
  await page.getByLabel("查询码").fill(lookupCode);
  await page.getByRole("button", { name: "查询" }).click();
  await expect(page.getByTestId("objection-status")).toContainText("已办结：已更正", { timeout: 20_000 });
  await expect(page.getByTestId("objection-result")).toContainText("201 号");
  await expect(page.getByTestId("corrected-identifier")).toHaveText(successor.identifier);
  await expect(page.getByRole("button", { name: "撤回异议" })).toHaveCount(0);

  // the successor's own printed QR link: valid, not under objection
  const auth = await browser.newContext();
  const issuer = await auth.newPage();
  await loginToPortal(issuer, "issuer");
  await issuer.goto(`/licenses/${successorId}`);
  const successorPath = new URL((await issuer.getByTestId("printed-url").textContent())!.trim()).pathname;
  await auth.close();
  await page.goto(successorPath);
  await expect(page.getByTestId("licence-status")).toContainText("有效");
  await expect(page.getByTestId("licence-view")).not.toContainText("异议中");
  // and the annulled predecessor's page points at the successor, without 异议中 either
  await page.goto(printedPath);
  await expect(page.getByTestId("licence-view")).not.toContainText("异议中");
  await visitor.close();
});
