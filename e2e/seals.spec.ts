// Issue 3's journey (S-02 … S-07): an applicant applies with materials → the seal-making reviewer
// produces → filing is recorded → the seal is active with its picture and certificate → it is
// cancelled with a reason and can no longer sign.
import { expect, test } from "@playwright/test";
import { field, loginToPortal, logout, one, sql, unique } from "./helpers";

test.describe.configure({ mode: "serial" });

const run = unique();
const physicalRef = `E2E-${run}`.slice(0, 40);
let sealId = "";

test("[SEAL_APPLICANT] applies for a seal with proof materials", async ({ page }) => {
  await loginToPortal(page, "applicant");
  await page.getByRole("navigation", { name: "主菜单" }).getByRole("link", { name: "电子印章" }).click();
  await page.getByRole("link", { name: "申请电子印章" }).click();
  await expect(page).toHaveURL(/\/seals\/apply/);

  // nothing filled in: the errors stand next to the fields, and nothing is written
  const before = await one<{ n: number }>(`SELECT count(*)::int AS n FROM "Seal"`);
  await page.getByRole("button", { name: "提交申请" }).click();
  await expect(field(page, "申请事由").getByRole("alert")).toBeVisible();
  expect((await one<{ n: number }>(`SELECT count(*)::int AS n FROM "Seal"`)).n).toBe(before.n);

  await field(page, "持有部门").locator("select").selectOption({ label: "四川省市场监督管理局" });
  await field(page, "印章类型").locator("select").selectOption({ label: "业务专用章" });
  await field(page, "业务类型").locator("select").selectOption({ label: "财务专用章" });
  await field(page, "印章名称").locator("input").fill("四川省市场监督管理局");
  await field(page, "实物印章备案号").locator("input").fill(physicalRef);
  await field(page, "申请事由").locator("textarea").fill("财务电子化，需启用财务专用章");
  await page.locator('input[type=file][name=materials]').setInputFiles({ name: "刻章备案回执.pdf", mimeType: "application/pdf", buffer: Buffer.from("%PDF-1.4\n% e2e proof\n") });
  await page.getByRole("button", { name: "提交申请" }).click();

  await expect(page).toHaveURL(/\/seals\/[0-9a-f-]{36}$/);
  sealId = page.url().split("/").pop()!;
  await expect(page.getByText("已申请").first()).toBeVisible();
  const row = await one<{ status: string; kind: string; businessType: string }>(`SELECT status, kind, "businessType" FROM "Seal" WHERE id = $1`, [sealId]);
  expect(row).toEqual({ status: "APPLIED", kind: "BUSINESS", businessType: "FINANCE" });
  const mats = await sql<{ filename: string; mime: string }>(`SELECT filename, mime FROM "SealMaterial" WHERE "sealId" = $1`, [sealId]);
  expect(mats).toEqual([{ filename: "刻章备案回执.pdf", mime: "application/pdf" }]);
  await logout(page);
});

test("[SEAL_MAKER_REVIEWER] takes the application, produces the seal, and filing activates it", async ({ page }) => {
  await loginToPortal(page, "maker");
  await page.getByRole("navigation", { name: "主菜单" }).getByRole("link", { name: "制章审核" }).click();
  await page.goto(`/seals/${sealId}`);
  await page.getByTestId("seal-actions").getByRole("button", { name: "受理" }).click();
  await expect(page.getByText("已受理，申请进入审核")).toBeVisible();
  await page.getByTestId("seal-actions").getByRole("button", { name: "制作印章" }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByRole("button", { name: "制作" }).click();
  await expect(page.getByText("印章已制作，正在备案")).toBeVisible({ timeout: 30_000 });

  // the job worker files it (S-05) and the seal becomes active
  await expect
    .poll(async () => (await one<{ status: string }>(`SELECT status FROM "Seal" WHERE id = $1`, [sealId])).status, { timeout: 45_000 })
    .toBe("ACTIVE");
  const s = await one<{ esId: string; filingNumber: string; certificateId: string }>(`SELECT "esId", "filingNumber", "certificateId" FROM "Seal" WHERE id = $1`, [sealId]);
  expect(s.filingNumber).toBe(`BA${s.esId}`);
  await page.reload();
  await expect(page.getByTestId("seal-picture")).toBeVisible();
  await expect(page.getByText(s.esId).first()).toBeVisible();
  await expect(page.getByText(s.filingNumber).first()).toBeVisible();

  // picture, certificate and seal structure download
  const pic = await page.request.get(`/api/seals/${sealId}/picture`);
  expect(pic.status()).toBe(200);
  expect((await pic.body()).subarray(1, 4).toString()).toBe("PNG");
  const cer = await page.request.get(`/api/seals/${sealId}/certificate`);
  expect(cer.headers()["content-type"]).toContain("application/pkix-cert");
  expect((await cer.body())[0]).toBe(0x30);
  const audit = await sql<{ action: string }>(`SELECT action FROM "AuditEvent" WHERE "targetId" = $1 ORDER BY seq`, [sealId]);
  expect(audit.map((a) => a.action)).toEqual(["seal.apply", "seal.transition", "seal.transition", "seal.filing"]);
});

test("[SEAL_MAKER_REVIEWER] cancels the seal with a reason; it is no longer offered for signing", async ({ page }) => {
  await loginToPortal(page, "maker");
  await page.goto(`/seals/${sealId}`);
  await page.getByTestId("seal-actions").getByRole("button", { name: "注销" }).click();
  const dialog = page.getByRole("dialog");
  await field(page, "注销原因").locator("select").selectOption("NO_LONGER_USED");
  await field(page, "补充说明").locator("textarea").fill("财务系统停用");
  page.once("dialog", (d) => void d.accept());
  await dialog.getByRole("button", { name: "注销" }).click();
  await expect(page.getByText("印章已注销")).toBeVisible();
  await expect(page.getByTestId("seal-actions").getByRole("button", { name: "注销" })).toHaveCount(0);
  const s = await one<{ status: string; cancelReason: string; cancelReasonText: string }>(`SELECT status, "cancelReason", "cancelReasonText" FROM "Seal" WHERE id = $1`, [sealId]);
  expect(s).toEqual({ status: "CANCELLED", cancelReason: "NO_LONGER_USED", cancelReasonText: "财务系统停用" });
  // "offered for signing" = active seals within validity; the cancelled one is not among them
  const signable = await sql(`SELECT id FROM "Seal" WHERE status = 'ACTIVE' AND now() BETWEEN "validStart" AND "validEnd" AND id = $1`, [sealId]);
  expect(signable).toHaveLength(0);
  const { esId } = await one<{ esId: string }>(`SELECT "esId" FROM "Seal" WHERE id = $1`, [sealId]);
  await page.goto(`/seals?status=ACTIVE&pageSize=100`);
  await expect(page.locator("table.grid")).toBeVisible();
  await expect(page.getByText(esId)).toHaveCount(0);
  await page.goto(`/seals?status=CANCELLED&pageSize=100`);
  await expect(page.getByText(esId)).toBeVisible();
});
