// Issue 5's journey (L-01, L-02, L-04, L-07): an issuing department's catalog administrator proposes
// a new licence type with five face fields and sees the live face preview → the management
// department's catalog administrator releases it → it goes on the issuance list → a bad XLSX
// import of that list shows the row errors and imports nothing.
import { readFileSync } from "node:fs";
import ExcelJS from "exceljs";
import { expect, test, type Page } from "@playwright/test";
import { field, loginToPortal, logout, one, sql, testUscc, unique } from "./helpers";

test.describe.configure({ mode: "serial" });

const run = unique();
const typeName = `E2E 摊贩登记证 ${run}`;
const authority = testUscc("510000"); // a fresh defining authority, so the type code is unique
const typeCode = `${authority}001`;
const legalBasis = `《四川省食品小作坊、小经营店及摊贩管理条例》第三十条（E2E ${run}）`;
const matter = { name: `食品摊贩登记 ${run}`, code: `SC-SJ-E2E-${run}` };
const SAMR = "四川省市场监督管理局";
let typeId = "";

const nav = (page: Page, name: string) => page.getByRole("navigation", { name: "主菜单" }).getByRole("link", { name, exact: true }).click();
const count = async (table: string) => (await one<{ n: number }>(`SELECT count(*)::int AS n FROM "${table}"`)).n;

/** The type code with a wrong check character in the defining authority's part. */
function badCheckChar(code: string): string {
  const wrong = code[17] === "0" ? "1" : "0";
  return `${code.slice(0, 17)}${wrong}${code.slice(18)}`;
}

test("[CATALOG_ADMIN of an issuing department] proposes a new type with five face fields and sees the live preview", async ({ page }) => {
  await loginToPortal(page, "catalogsamr");
  await nav(page, "证照目录");
  await page.getByRole("link", { name: "新建证照类型" }).click();
  await expect(page).toHaveURL(/\/catalog\/new$/);
  const editor = page.getByTestId("type-editor");

  // 基本信息, first with a type code whose check character is wrong
  await field(page, "证照类型代码").locator("input").fill(badCheckChar(typeCode));
  await field(page, "证照类型名称").locator("input").fill(typeName);
  await field(page, "证照类别").locator("select").selectOption("CERTIFICATE");
  await field(page, "证照定义机构").locator("input").fill("四川省市场监督管理局（E2E）");
  await page.getByTestId("holder-categories").getByRole("checkbox", { name: "法人", exact: true }).check();
  await page.getByTestId("holder-categories").getByRole("checkbox", { name: "非法人组织", exact: true }).check();
  await page.getByTestId("holder-code-types").getByRole("checkbox", { name: "001 统一社会信用代码" }).check();
  await editor.getByRole("radio", { name: "按年" }).check();
  await editor.getByLabel("年数").fill("3");
  await field(page, "设定依据").locator("textarea").fill(legalBasis);
  await page.getByTestId("matters").getByRole("button", { name: "＋ 添加事项" }).click();
  await page.getByLabel("第 1 个事项的名称").fill(matter.name);
  await page.getByLabel("第 1 个事项的编码").fill(matter.code);
  await page.getByTestId("issuing-depts").getByRole("checkbox", { name: SAMR, exact: true }).check();
  await field(page, "证照编号规则").locator("input").fill("TF{area}{year}{seq:6}");
  await expect(field(page, "证照编号规则").locator("em")).toHaveText(/^例：TF510000\d{4}000001$/);

  const typesBefore = await count("LicenceType");
  await editor.getByRole("button", { name: "保存草稿" }).click();
  await expect(field(page, "证照类型代码").getByRole("alert")).toContainText(`校验位应为 ${typeCode[17]}`);
  await expect(editor.getByRole("tab", { name: /基本信息/ })).toHaveAttribute("aria-selected", "true");
  await expect(page).toHaveURL(/\/catalog\/new/);
  expect(await count("LicenceType")).toBe(typesBefore);
  expect(await sql(`SELECT 1 FROM "LicenceType" WHERE name = $1`, [typeName])).toHaveLength(0);

  // the right code: the defining authority's code follows it
  await field(page, "证照类型代码").locator("input").fill(typeCode);
  await expect(field(page, "证照类型代码").locator("em")).toHaveText("代码格式正确");
  await expect(field(page, "定义机构代码").locator("input")).toHaveValue(authority);

  // 照面信息: five fields of different types
  await editor.getByRole("tab", { name: "照面信息" }).click();
  const faces = page.getByTestId("face-fields");
  const fields = [
    { key: "name", label: "名称", type: "TEXT" },
    { key: "uscc", label: "统一社会信用代码", type: "USCC" },
    { key: "issuedOn", label: "发证日期", type: "DATE" },
    { key: "kind", label: "类别", type: "ENUM" },
    { key: "address", label: "住所", type: "ADDRESS" },
  ];
  for (const [i, f] of fields.entries()) {
    const n = i + 1;
    if (i > 0) await page.getByRole("button", { name: "＋ 添加字段" }).click();
    await faces.getByLabel(`第 ${n} 个字段的字段键`).fill(f.key);
    await faces.getByLabel(`第 ${n} 个字段的名称`).fill(f.label);
    await faces.getByLabel(`第 ${n} 个字段的类型`).selectOption(f.type);
    await faces.getByLabel(`第 ${n} 个字段必填`).check();
  }
  await faces.getByLabel("第 4 个字段的选项（每行一个）").fill("固定摊点\n流动摊贩");
  await expect(faces).toContainText("2 个选项");
  await expect(faces.locator("tbody tr")).toHaveCount(5);

  // 照面模板: the live preview of a sample licence (pdf.js canvas)
  await editor.getByRole("tab", { name: "照面模板" }).click();
  await editor.getByRole("radio", { name: /竖版证书/ }).check();
  const preview = page.getByTestId("face-preview");
  await expect(preview.getByRole("region", { name: "文档预览" })).toBeVisible({ timeout: 20_000 });
  await expect(preview.getByRole("img", { name: "第 1 页 / 共 1 页" })).toBeVisible({ timeout: 20_000 });
  const canvas = preview.locator("canvas");
  await expect(canvas).toHaveCount(1, { timeout: 20_000 });
  const size = await canvas.evaluate((c: HTMLCanvasElement) => ({ w: c.width, h: c.height }));
  expect(size.w).toBeGreaterThan(100);
  expect(size.h).toBeGreaterThan(size.w); // portrait
  await expect(preview.getByRole("status")).toHaveText("预览为样例数据，与填写同步更新");
  await expect(preview.getByRole("alert")).toHaveCount(0);

  // save, then submit for review
  await editor.getByRole("button", { name: "保存草稿" }).click();
  await expect(page).toHaveURL(/\/catalog\/[0-9a-f-]{36}\?done=created/, { timeout: 20_000 });
  typeId = /\/catalog\/([0-9a-f-]{36})/.exec(page.url())![1];
  await expect(page.getByRole("status").filter({ hasText: "已创建证照类型（草稿）" })).toBeVisible();
  await page.getByTestId("type-editor").getByRole("button", { name: "提交审核" }).click();
  await expect(page).toHaveURL(/done=submit/, { timeout: 20_000 });
  await expect(page.getByRole("status").filter({ hasText: "已提交审核" })).toBeVisible();
  await expect(page.locator("h1")).toContainText("审核中");

  const type = await one<{ typeCode: string; name: string; owner: string; releasedVersion: number | null; latestVersion: number }>(
    `SELECT t."typeCode", t.name, d.name AS owner, t."releasedVersion", t."latestVersion" FROM "LicenceType" t JOIN "Department" d ON d.id = t."ownerDeptId" WHERE t.id = $1`,
    [typeId],
  );
  expect(type).toEqual({ typeCode, name: typeName, owner: SAMR, releasedVersion: null, latestVersion: 1 });
  const v = await one<{ status: string; definingAuthorityCode: string; faceFields: { key: string; type: string; options?: string[] }[]; issuing: string[]; matters: unknown; legalBasis: string; validity: unknown }>(
    `SELECT v.status, v."definingAuthorityCode", v."faceFields", v.matters, v."legalBasis", v.validity,
            ARRAY(SELECT d.name FROM "Department" d WHERE d.id = ANY(v."issuingDeptIds")) AS issuing
       FROM "LicenceTypeVersion" v WHERE v."typeId" = $1 AND v.number = 1`,
    [typeId],
  );
  expect(v.status).toBe("UNDER_REVIEW");
  expect(v.definingAuthorityCode).toBe(authority);
  expect(v.faceFields.map((f) => [f.key, f.type])).toEqual(fields.map((f) => [f.key, f.type]));
  expect(v.faceFields[3].options).toEqual(["固定摊点", "流动摊贩"]);
  expect(v.issuing).toEqual([SAMR]);
  expect(v.matters).toEqual([matter]);
  expect(v.legalBasis).toBe(legalBasis);
  expect(v.validity).toEqual({ kind: "YEARS", n: 3 });
  const changes = await sql<{ action: string; username: string }>(
    `SELECT c.action, u.username FROM "CatalogChange" c JOIN "User" u ON u.id = c."actorId" WHERE c."typeId" = $1 ORDER BY c.id`,
    [typeId],
  );
  expect(changes).toEqual([
    { action: "create", username: "catalogsamr" },
    { action: "submit", username: "catalogsamr" },
  ]);
  const audit = await sql<{ change: string }>(`SELECT detail->>'change' AS change FROM "AuditEvent" WHERE action = 'catalog.change' AND "targetId" = $1 ORDER BY seq`, [typeId]);
  expect(audit.map((a) => a.change)).toEqual(["create", "submit"]);
  await logout(page);
});

test("[CATALOG_ADMIN of the management department] releases it", async ({ page }) => {
  await loginToPortal(page, "catalog");
  await nav(page, "目录审核");
  const item = page.getByTestId("review-item").filter({ hasText: typeName });
  await expect(item).toBeVisible();
  await expect(item).toContainText(typeCode);
  await expect(item).toContainText("新类型");
  await expect(item).toContainText("何目录");
  await item.getByRole("button", { name: "发布" }).click();
  const dialog = page.getByRole("dialog", { name: `发布「${typeName}」` });
  await dialog.locator("textarea").fill("E2E 审核通过");
  await dialog.getByRole("button", { name: "发布" }).click();
  await expect(page.getByRole("status").filter({ hasText: "已发布，该版本即可用于签发证照。" })).toBeVisible({ timeout: 20_000 });
  await expect(page.getByTestId("review-item").filter({ hasText: typeName })).toHaveCount(0);

  const t = await one<{ releasedVersion: number; status: string; reviewer: string; reviewComment: string }>(
    `SELECT t."releasedVersion", v.status, u.username AS reviewer, v."reviewComment"
       FROM "LicenceType" t JOIN "LicenceTypeVersion" v ON v."typeId" = t.id AND v.number = 1 JOIN "User" u ON u.id = v."reviewedById" WHERE t.id = $1`,
    [typeId],
  );
  expect(t).toEqual({ releasedVersion: 1, status: "RELEASED", reviewer: "catalog", reviewComment: "E2E 审核通过" });
  const last = await one<{ action: string; username: string; comment: string }>(
    `SELECT c.action, u.username, c.comment FROM "CatalogChange" c JOIN "User" u ON u.id = c."actorId" WHERE c."typeId" = $1 ORDER BY c.id DESC LIMIT 1`,
    [typeId],
  );
  expect(last).toEqual({ action: "release", username: "catalog", comment: "E2E 审核通过" });

  // the catalog shows it as released
  await page.goto(`/catalog/${typeId}`);
  await expect(page.getByTestId("type-info")).toContainText("当前发布第 1 版");
  await logout(page);
});

test("[CATALOG_ADMIN of an issuing department] puts it on the issuance list", async ({ page }) => {
  await loginToPortal(page, "catalogsamr");
  await nav(page, "发证清单");
  await expect(page.locator("h1")).toHaveText("发证清单");
  const entriesBefore = await count("IssuanceListEntry");

  await page.getByTestId("entry-create").click();
  const dialog = page.getByRole("dialog", { name: "新增发证清单条目" });
  const dept = field(page, "发证部门").locator("select");
  const deptValue = await dept.locator("option", { hasText: SAMR }).first().getAttribute("value");
  expect(deptValue).toBeTruthy();
  await dept.selectOption(deptValue ?? "");
  await field(page, "证照类型（已发布）").locator("select").selectOption({ label: `${typeName}（${typeCode}）` });
  // prefilled from the released type
  await expect(dialog.locator("textarea")).toHaveValue(legalBasis);
  await expect(field(page, "事项名称 1").locator("input")).toHaveValue(matter.name);
  await expect(field(page, "事项编码").locator("input")).toHaveValue(matter.code);
  await expect(field(page, "持证主体类别").locator("select")).toHaveValue("LEGAL_PERSON");
  await expect(dialog.getByRole("note")).toHaveCount(0); // the department is one of the type's issuing departments
  await field(page, "汇聚方式").locator("select").selectOption("ONLINE");
  await dialog.getByRole("button", { name: "保存" }).click();
  await expect(dialog).toHaveCount(0, { timeout: 20_000 });
  await expect(page.getByRole("status").filter({ hasText: "已加入发证清单" })).toBeVisible();

  await page.locator('input[name="q"]').fill(run);
  await page.getByRole("button", { name: "查询" }).click();
  const row = page.getByTestId("issuance-table").locator("tbody tr", { hasText: typeName });
  await expect(row).toHaveCount(1);
  await expect(row).toContainText(SAMR);
  await expect(row).toContainText(typeCode);
  await expect(row).toContainText(matter.name);
  await expect(row).toContainText("实时");
  await expect(row).toContainText("启用");

  expect(await count("IssuanceListEntry")).toBe(entriesBefore + 1);
  const entry = await one<{ id: string; dept: string; legalBasis: string; aggregation: string; holderCategory: string; status: string }>(
    `SELECT e.id, d.name AS dept, e."legalBasis", e.aggregation, e."holderCategory", e.status FROM "IssuanceListEntry" e JOIN "Department" d ON d.id = e."deptId" WHERE e."typeId" = $1`,
    [typeId],
  );
  expect(entry).toMatchObject({ dept: SAMR, legalBasis, aggregation: "ONLINE", holderCategory: "LEGAL_PERSON", status: "ACTIVE" });
  const change = await one<{ action: string; username: string }>(
    `SELECT c.action, u.username FROM "ListChange" c JOIN "User" u ON u.id = c."actorId" WHERE c.list = 'ISSUANCE' AND c."entryId" = $1`,
    [entry.id],
  );
  expect(change).toEqual({ action: "create", username: "catalogsamr" });

  // the entry's history shows the creation
  await row.getByRole("link", { name: "历史" }).click();
  const history = page.getByTestId("entry-history");
  await expect(history).toContainText(typeName);
  const created = history.getByTestId("list-history").locator("tbody tr");
  await expect(created).toHaveCount(1);
  await expect(created).toContainText("新增");
  await expect(created).toContainText("何目录");
  await expect(created).toContainText("实时");
  await logout(page);
});

test("[SUPERVISOR] the province's whole issuance list fits a 1366 px screen", async ({ page }) => {
  await page.setViewportSize({ width: 1366, height: 768 });
  await loginToPortal(page, "supervisor");
  await page.goto("/lists/issuance");
  const table = page.getByTestId("issuance-table");
  await expect(table.locator("tbody tr").first()).toBeVisible();
  const fit = await table.evaluate((t) => ({
    overflow: t.scrollWidth - (t.parentElement?.clientWidth ?? 0),
    columns: [...t.querySelectorAll("th")].map((th) => `${th.textContent}:${Math.round(th.getBoundingClientRect().width)}`).join(" "),
  }));
  expect(fit.overflow, fit.columns).toBeLessThanOrEqual(1);
  await logout(page);
});

test("[CATALOG_ADMIN] a bad XLSX import shows the row errors and imports nothing", async ({ page }) => {
  await loginToPortal(page, "catalogsamr");
  await page.goto(`/lists/issuance?q=${encodeURIComponent(run)}`);
  await expect(page.getByTestId("issuance-table").locator("tbody tr", { hasText: typeName })).toHaveCount(1);

  // the export of this query: one row, our entry
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByTestId("list-export").click()]);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(readFileSync(await download.path()) as unknown as ArrayBuffer);
  const ws = wb.getWorksheet("发证清单")!;
  expect(ws).toBeTruthy();
  const col: Record<string, number> = {};
  ws.getRow(1).eachCell((c, i) => {
    const code = /\(([A-Za-z]+)\)$/.exec(c.text)?.[1];
    if (code) col[code] = i;
  });
  for (const k of ["dept", "typeCode", "validFrom", "id", "legalBasis"]) expect(col[k], `column ${k}`).toBeGreaterThan(0);
  expect(ws.getRow(2).getCell(col.typeCode).value).toBe(typeCode);
  expect(ws.getRow(3).getCell(col.typeCode).value ?? "").toBe("");

  // row 2: our entry with an invalid date; row 3: a new entry for a type code nobody defined
  const values = (ws.getRow(2).values as ExcelJS.CellValue[]).slice();
  ws.getRow(2).getCell(col.validFrom).value = "2026-13-01";
  ws.getRow(2).getCell(col.legalBasis).value = `${legalBasis}（修订）`;
  const row3 = ws.getRow(3);
  values.forEach((v, i) => {
    if (i > 0) row3.getCell(i).value = v;
  });
  row3.getCell(col.typeCode).value = `${authority}999`;
  row3.getCell(col.id).value = "";
  const file = Buffer.from(await wb.xlsx.writeBuffer());

  const counts = { entries: await count("IssuanceListEntry"), changes: await count("ListChange"), imports: await count("CatalogImport") };
  await page.getByTestId("list-import").click();
  await expect(page).toHaveURL(/\/catalog\/import\?kind=ISSUANCE/);
  await expect(page.locator("h1")).toHaveText("导入发证清单");
  await page.getByTestId("import-file").setInputFiles({ name: `发证清单-${run}.xlsx`, mimeType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", buffer: file });
  await page.getByTestId("import-dry-run").click();
  await expect(page).toHaveURL(/\/catalog\/import\?kind=ISSUANCE&id=[0-9a-f-]{36}/, { timeout: 20_000 });

  const report = page.getByTestId("import-report");
  await expect(report).toContainText(`发证清单-${run}.xlsx`);
  await expect(report.getByRole("alert")).toContainText("发现 2 个问题（2 行），本次未导入任何数据");
  const errors = report.getByTestId("import-errors").locator("tbody tr");
  await expect(errors).toHaveCount(2);
  await expect(errors.nth(0).locator("td")).toHaveText(["发证清单", "2", "生效日期", "日期无效"]);
  await expect(errors.nth(1).locator("td")).toHaveText(["发证清单", "3", "证照类型代码", "证照类型不存在"]);
  await expect(page.getByTestId("import-confirm")).toHaveCount(0);
  await expect(page.getByRole("button", { name: "确认导入" })).toHaveCount(0);

  // a dry run only: nothing imported
  expect(await count("IssuanceListEntry")).toBe(counts.entries);
  expect(await count("ListChange")).toBe(counts.changes);
  expect(await count("CatalogImport")).toBe(counts.imports + 1);
  const imp = await one<{ status: string; errorCount: number; kind: string }>(`SELECT status, "errorCount", kind FROM "CatalogImport" ORDER BY "createdAt" DESC LIMIT 1`);
  expect(imp).toEqual({ status: "DRY_RUN", errorCount: 2, kind: "ISSUANCE" });
  const entry = await one<{ legalBasis: string }>(`SELECT "legalBasis" FROM "IssuanceListEntry" WHERE "typeId" = $1`, [typeId]);
  expect(entry.legalBasis).toBe(legalBasis);
  expect(await sql(`SELECT 1 FROM "LicenceType" WHERE "typeCode" = $1`, [`${authority}999`])).toHaveLength(0);
  await logout(page);
});
