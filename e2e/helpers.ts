// Shared steps for the end-to-end specs: sign in through the real login page, and read or prepare
// rows in the throwaway database scripts/test.ts serves the portal on (E2E_DATABASE_URL).
import { randomInt, randomUUID } from "node:crypto";
import { hash } from "@node-rs/argon2";
import { expect, type Page } from "@playwright/test";
import pg from "pg";
import { usccCheckChar } from "../lib/validation/codes";

export const DEMO_PASSWORD = "Demo@2026!";

/** The 16 demo accounts (prisma/seed.ts DEMO_USERS) with their role badges and the menu each must see, in order. */
const V = "签章验证";
const PUB = ["通报", V, "证照核验", "证照公示", "证照异议"];
const USE_VIEW = ["首页", "电子印章", "用印申请", "用印审批", "用印登记", ...PUB];
const CATALOG = ["首页", "证照目录", "目录审核", "发证清单", "用证清单", "整改通知", ...PUB];
export const DEMO_MENUS: { username: string; name: string; role: string | string[]; menu: string[]; forbidden: string }[] = [
  { username: "sysadmin", name: "赵系统", role: "系统管理员", menu: ["首页", "证照划转", "部门管理", "用户管理", "节假日安排", "异议处理期限", "在线用户", ...PUB], forbidden: "/admin/roles" },
  { username: "secadmin", name: "钱安全", role: "安全管理员", menu: ["首页", "部门管理", "用户管理", "角色授权", "在线用户", "安全策略", "登录日志", ...PUB], forbidden: "/audit" },
  { username: "auditadmin", name: "孙审计", role: "审计管理员", menu: ["首页", "登录日志", "审计日志", ...PUB], forbidden: "/admin/users" },
  { username: "catalog", name: "李目录", role: "目录管理员", menu: CATALOG, forbidden: "/admin/departments" },
  { username: "catalogsamr", name: "何目录", role: "目录管理员", menu: CATALOG, forbidden: "/seal-use" },
  { username: "issuer", name: "周发证", role: "发证业务员", menu: ["首页", "发证清单", "电子证照", "签发证照", "存量导入", "应急补办", "证照划转", "异议处理", "整改通知", ...PUB], forbidden: "/admin/users" },
  { username: "userdept", name: "吴用证", role: "用证部门业务员", menu: ["首页", "用证清单", "异议处理", "整改通知", ...PUB], forbidden: "/admin/roles" },
  { username: "applicant", name: "郑申请", role: "用印申请人", menu: ["首页", "电子印章", "用印申请", "用印登记", ...PUB], forbidden: "/seal-use/flows" },
  { username: "approver1", name: "王审批", role: "用印审批人", menu: USE_VIEW, forbidden: "/admin/online" },
  { username: "approver2", name: "冯审批", role: "用印审批人", menu: USE_VIEW, forbidden: "/admin/security" },
  { username: "custodian", name: "陈保管", role: "印章保管人", menu: USE_VIEW, forbidden: "/admin/login-log" },
  { username: "sealadmin", name: "孔印管", role: "印章管理员", menu: ["首页", "电子印章", "审批流程", "整改通知", ...PUB], forbidden: "/seal-use/new" },
  { username: "maker", name: "褚制章", role: "制章审核员", menu: ["首页", "电子印章", "制章审核", ...PUB], forbidden: "/admin/departments" },
  { username: "supervisor", name: "卫监督", role: ["用印申请人", "监督人员"], menu: ["首页", "电子印章", "用印申请", "用印登记", "证照目录", "发证清单", "用证清单", "电子证照", "异议处理", "监督看板", "数据质量", "访问日志", "整改通知", "随机抽查", "监督报告", ...PUB], forbidden: "/audit" },
  { username: "bdapprover", name: "许审批", role: "用印审批人", menu: USE_VIEW, forbidden: "/supervision/dashboard" },
  { username: "bdcustodian", name: "吕保管", role: "印章保管人", menu: USE_VIEW, forbidden: "/supervision/reports" },
];

export const MSG = {
  badCredentials: "用户名或密码错误",
  locked: "登录失败次数过多，账户已锁定，请稍后再试或联系管理员解锁",
  forbidden: "没有权限执行此操作",
  mustChange: "首次登录或密码已被重置，请先修改密码",
  classes: "密码须包含大写字母、小写字母、数字、符号中的至少三类",
  triad: "三员分立：同一用户不能同时担任系统管理员、安全管理员、审计管理员中的两个",
};

function databaseUrl(): string {
  const url = process.env.E2E_DATABASE_URL;
  if (!url) throw new Error("E2E_DATABASE_URL is not set: run the end-to-end tests through `npm test -- e2e`");
  return url;
}

/** One query on its own connection, so a failing test never leaves a client open. */
export async function sql<T extends pg.QueryResultRow = Record<string, unknown>>(text: string, params: unknown[] = []): Promise<T[]> {
  const c = new pg.Client({ connectionString: databaseUrl() });
  await c.connect();
  try {
    return (await c.query<T>(text, params)).rows;
  } finally {
    await c.end();
  }
}

export async function one<T extends pg.QueryResultRow = Record<string, unknown>>(text: string, params: unknown[] = []): Promise<T> {
  const rows = await sql<T>(text, params);
  expect(rows, `exactly one row for: ${text} ${JSON.stringify(params)}`).toHaveLength(1);
  return rows[0];
}

export async function auditCount(where: string, params: unknown[]): Promise<number> {
  const r = await one<{ n: string }>(`SELECT count(*)::text AS n FROM "AuditEvent" WHERE ${where}`, params);
  return Number(r.n);
}

/** A short unique suffix for names and codes, so specs never collide with each other or reruns. */
export function unique(): string {
  return `${Date.now().toString(36)}${randomInt(36 ** 3).toString(36)}`;
}

/** A valid, unique USCC (GB 32100): "11" (government agency) + area + 9 digits + check character. */
export function testUscc(area: string): string {
  const first17 = `11${area}${String(randomInt(1_000_000_000)).padStart(9, "0")}`;
  const check = usccCheckChar(first17);
  if (!check) throw new Error(`not a USCC prefix: ${first17}`);
  return first17 + check;
}

/** A user created straight in the database (argon2id with the app's parameters), no roles. */
export async function insertUser(opts: { username: string; name: string; password: string; mustChangePassword?: boolean }) {
  const dept = await one<{ id: string }>(`SELECT id FROM "Department" WHERE name = $1`, ["四川省大数据中心"]);
  const passwordHash = await hash(opts.password, { algorithm: 2, memoryCost: 19456, timeCost: 2, parallelism: 1 });
  const id = randomUUID();
  await sql(
    `INSERT INTO "User" (id, username, name, "departmentId", "passwordHash", "passwordChangedAt", "mustChangePassword", "updatedAt")
     VALUES ($1, $2, $3, $4, $5, now(), $6, now())`,
    [id, opts.username, opts.name, dept.id, passwordHash, opts.mustChangePassword ?? false],
  );
  await sql(`INSERT INTO "PasswordHistory" (id, "userId", hash) VALUES ($1, $2, $3)`, [randomUUID(), id, passwordHash]);
  return { id, departmentId: dept.id };
}

/** Submits the real login form and waits for next-auth's answer. */
export async function submitLogin(page: Page, username: string, password: string) {
  if (!new URL(page.url(), "http://x").pathname.startsWith("/login")) await page.goto("/login");
  await page.locator('input[name="username"]').fill(username);
  await page.locator('input[name="password"]').fill(password);
  const answer = page.waitForResponse((r) => r.url().includes("/api/auth/callback/credentials"));
  await page.getByRole("button", { name: "登录" }).click();
  await answer;
}

/** Signs in through the login page and waits until the browser has left it. */
export async function login(page: Page, username: string, password = DEMO_PASSWORD) {
  await page.goto("/login");
  await submitLogin(page, username, password);
  await expect(page).not.toHaveURL(/\/login/, { timeout: 20_000 });
}

/** Signs in and waits for the portal shell with this user's name in the top bar. */
export async function loginToPortal(page: Page, username: string, password = DEMO_PASSWORD) {
  await login(page, username, password);
  await expect(page.getByTestId("current-user")).toContainText(`（${username}）`, { timeout: 20_000 });
}

export async function logout(page: Page) {
  await page.getByRole("button", { name: "退出登录" }).click();
  await expect(page).toHaveURL(/\/login/, { timeout: 20_000 });
  await expect(page.locator('input[name="username"]')).toBeVisible();
}

/** The form field whose label starts with `label` (labels carry a `*` marker and the field error). */
export function field(page: Page, label: string) {
  return page.locator("label.field").filter({ has: page.locator("span", { hasText: new RegExp(`^${label}\\*?$`) }) });
}

/** 用印审批 → the queue row holding `text` → 审批: lands on the request's page. */
export async function openFromApprovalQueue(page: Page, text: string, requestId: string) {
  await page.getByRole("navigation", { name: "主菜单" }).getByRole("link", { name: "用印审批", exact: true }).click();
  const row = page.getByTestId("approval-queue").locator("tr", { hasText: text });
  await expect(row).toBeVisible();
  await row.getByRole("link", { name: "审批" }).click();
  await expect(page).toHaveURL(new RegExp(`/seal-use/${requestId}\\?menu=`));
  // the menu still shows where the request was opened from
  await expect(page.getByRole("navigation", { name: "主菜单" }).locator("a.active")).toHaveText("用印审批");
}

/** An approver's 同意, or the custodian's 确认用印, with a comment, on the request's page. */
export async function decideOnRequest(page: Page, button: "同意" | "确认用印", comment: string) {
  await page.getByTestId("request-actions").getByRole("button", { name: button }).click();
  const dialog = page.getByRole("dialog");
  await dialog.locator("textarea").fill(comment);
  await dialog.getByRole("button", { name: "确定" }).click();
  await expect(page.getByTestId("request-actions").getByRole("status")).toHaveText(button === "确认用印" ? "已确认用印" : "已同意");
}
