// Issue 6's bulk conversion journey (L-09): the issuer downloads the import template of 食品经营许可证
// from the page, fills 2,000 rows into it, uploads it, sees the dry run's counts, confirms, watches
// the progress bar and ends with "完成" and 2,000 licences created by the background worker.
import { readFileSync } from "node:fs";
import ExcelJS from "exceljs";
import { expect, test } from "@playwright/test";
import { loginToPortal, one, sql, unique } from "./helpers";
import { usccCheckChar } from "../lib/validation/codes";

const ROWS = 2000;
const run = unique().toUpperCase();

function uscc(i: number): string {
  const first17 = `91510100${String(700_000_000 + Math.floor(Math.random() * 200_000_000) + i).slice(0, 9)}`;
  return first17 + usccCheckChar(first17)!;
}

test("[ISSUER_OPERATOR] imports 2,000 existing 食品经营许可证 from an XLSX: dry run, confirm, progress, done", async ({ page }) => {
  test.setTimeout(300_000);
  await loginToPortal(page, "issuer");
  await page.getByRole("navigation", { name: "主菜单" }).getByRole("link", { name: "存量导入", exact: true }).click();
  await expect(page).toHaveURL(/\/licenses\/import$/);
  await expect(page.locator("h1")).toHaveText("存量证照导入");
  const food = await one<{ id: string }>(`SELECT id FROM "LicenceType" WHERE name = '食品经营许可证'`);
  await page.getByTestId("import-type").selectOption(food.id);

  // the template the page offers: its header row is what the importer reads
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByTestId("import-template").click()]);
  const template = new ExcelJS.Workbook();
  await template.xlsx.load(readFileSync(await download.path()) as unknown as ArrayBuffer);
  const sheet = template.worksheets[0];
  const headers = (sheet.getRow(1).values as unknown[]).slice(1).map(String);
  expect(headers.slice(0, 4)).toEqual(["持证主体类别", "持证主体代码类型", "持证主体代码", "持证主体名称"]);
  expect(headers).toContain("社会信用代码（身份证号码）");

  const codes = new Set<string>();
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet("证照数据");
  ws.addRow(headers);
  for (let i = 0; codes.size < ROWS; i++) {
    const code = uscc(i);
    if (codes.has(code)) continue;
    codes.add(code);
    const name = `成都存量E2E餐饮有限公司${run}-${codes.size}`;
    const row: Record<string, string> = {
      持证主体类别: "法人",
      持证主体代码类型: "统一社会信用代码",
      持证主体代码: code,
      持证主体名称: name,
      证照编号: `JYE2E${run}${String(codes.size).padStart(5, "0")}`,
      关联事项编码: "SC-SJ-0101",
      业务办结时间: "2024-06-18 09:30",
      经营者名称: name,
      "社会信用代码（身份证号码）": code,
      "法定代表人（负责人）": "王建国",
      住所: "四川省成都市锦江区春熙路北段88号",
      经营场所: "四川省成都市锦江区春熙路北段88号附1号",
      主体业态: "餐饮服务经营者",
      经营项目: "热食类食品制售",
    };
    ws.addRow(headers.map((h) => row[h] ?? ""));
  }
  const file = Buffer.from(await wb.xlsx.writeBuffer());

  await page.getByTestId("import-file").setInputFiles({ name: `存量食品经营许可证-${run}.xlsx`, mimeType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", buffer: file });
  await page.getByTestId("import-upload").click();
  await expect(page).toHaveURL(/\/licenses\/import\?id=[0-9a-f-]{36}$/, { timeout: 30_000 });
  const importId = new URL(page.url()).searchParams.get("id")!;

  // the dry run (a background job): counts, nothing rejected
  const panel = page.getByTestId("import-panel");
  await expect(panel.getByTestId("import-status")).toHaveText("待确认", { timeout: 90_000 });
  await expect(panel.getByTestId("import-total")).toHaveText("2,000");
  await expect(panel.getByTestId("import-valid")).toHaveText("2,000");
  await expect(panel.getByTestId("import-rejected")).toHaveText("0");
  expect(await one<{ n: number }>(`SELECT count(*)::int AS n FROM "Licence" WHERE "importId" = $1`, [importId])).toEqual({ n: 0 });

  page.once("dialog", (d) => void d.accept());
  await panel.getByTestId("import-confirm").click();
  await expect(panel.getByTestId("import-progress")).toBeVisible({ timeout: 30_000 });
  await expect(panel.getByTestId("import-status")).toHaveText(/排队中|导入中|完成/);
  // rows per second and time left while it runs (unless it is already through)
  await expect(async () => {
    const status = await panel.getByTestId("import-status").textContent();
    if (status === "完成") return;
    await expect(panel.getByTestId("import-rate")).toContainText(/行\/秒|正在计算速度/);
  }).toPass({ timeout: 60_000 });

  await expect(panel.getByTestId("import-status")).toHaveText("完成", { timeout: 240_000 });
  await expect(panel.getByTestId("import-done")).toContainText("新建 2,000 份电子证照");
  await expect(panel.getByTestId("import-created")).toHaveText("2,000");
  await expect(panel.getByTestId("import-progress")).toHaveAttribute("aria-valuenow", "2000");

  const imp = await one<{ status: string; createdCount: number; skippedCount: number; failedCount: number; cursor: number }>(
    `SELECT status, "createdCount", "skippedCount", "failedCount", cursor FROM "LicenceImport" WHERE id = $1`,
    [importId],
  );
  expect(imp).toEqual({ status: "DONE", createdCount: ROWS, skippedCount: 0, failedCount: 0, cursor: ROWS });
  const licences = await one<{ n: number; bulk: number; numbers: number }>(
    `SELECT count(*)::int AS n, count(*) FILTER (WHERE origin = 'BULK' AND "syncMode" = 'BULK' AND "signatureValue" IS NOT NULL)::int AS bulk, count(DISTINCT "licenceNumber")::int AS numbers FROM "Licence" WHERE "importId" = $1`,
    [importId],
  );
  expect(licences).toEqual({ n: ROWS, bulk: ROWS, numbers: ROWS });
  const changes = await sql<{ change: string }>(`SELECT detail->>'change' AS change FROM "AuditEvent" WHERE "targetType" = 'LicenceImport' AND "targetId" = $1 ORDER BY seq`, [importId]);
  expect(changes.map((c) => c.change)).toEqual(["UPLOAD", "CHECKED", "CONFIRM", "CHUNK", "CHUNK", "CHUNK", "CHUNK", "DONE"]);
});
