// One journey through the foundation (issue 2): the system administrator creates a department and
// a user, the security administrator grants a role, the new user changes the initial password,
// another account is locked by wrong passwords, and the audit administrator sees it all.
import { expect, test } from "@playwright/test";
import { MSG, auditCount, field, insertUser, loginToPortal, logout, login, one, sql, submitLogin, testUscc, unique } from "./helpers";

test.describe.configure({ mode: "serial" });

const run = unique();
const dept = { name: `成都市龙泉驿区测试局${run}`, area: "510112", uscc: testUscc("510112"), id: "" };
const user = { username: `e2e_${run}`, name: `测试员${run.slice(-4)}`, password: "Init#Pass2026x", newPassword: "Fresh$Pass2027y", id: "" };
const locked = { username: `e2e_lock_${run}`, name: "锁定测试", password: "Lock#Pass2026x", id: "" };

test("[SYSTEM_ADMIN] creates a department and a user", async ({ page }) => {
  const city = await one<{ id: string }>(`SELECT id FROM "Department" WHERE name = $1`, ["成都市人民政府"]);
  const sysadmin = await one<{ id: string }>(`SELECT id FROM "User" WHERE username = 'sysadmin'`);
  await loginToPortal(page, "sysadmin");

  await page.getByRole("navigation", { name: "主菜单" }).getByRole("link", { name: "部门管理" }).click();
  await expect(page).toHaveURL(/\/admin\/departments/);
  const tree = page.getByTestId("dept-tree");
  await tree.getByText("成都市人民政府", { exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`id=${city.id}`));
  await expect(page.getByRole("heading", { name: "成都市人民政府" })).toBeVisible();
  await page.getByRole("button", { name: "新增下级部门" }).click();

  const dialog = page.getByRole("dialog", { name: "新增下级部门（上级：成都市人民政府）" });
  await expect(dialog).toBeVisible();
  await field(page, "部门名称").locator("input").fill(dept.name);
  await field(page, "统一社会信用代码").locator("input").fill(dept.uscc);
  await field(page, "行政区划代码").locator("input").fill(dept.area);
  await field(page, "层级").locator("select").selectOption({ label: "县级" });
  await field(page, "类别").locator("select").selectOption({ label: "行政机关" });
  await dialog.getByLabel("用证部门").check();
  await dialog.getByRole("button", { name: "保存" }).click();

  await expect(page.getByRole("status")).toHaveText(`已创建部门 ${dept.name}`);
  await expect(dialog).toBeHidden();
  await expect(tree.getByText(dept.name, { exact: true })).toBeVisible();

  const row = await one<{ id: string; parentId: string; level: string; areaCode: string; kind: string; isUsing: boolean; path: string }>(
    `SELECT id, "parentId", level::text, "areaCode", kind::text, "isUsing", path FROM "Department" WHERE uscc = $1 AND name = $2`,
    [dept.uscc, dept.name],
  );
  expect(row).toMatchObject({ parentId: city.id, level: "COUNTY", areaCode: dept.area, kind: "AGENCY", isUsing: true });
  expect(row.path).toContain(`/${city.id}/${row.id}/`);
  dept.id = row.id;
  const deptEvent = await one<{ actorId: string; detail: { name: string; uscc: string; parentId: string } }>(
    `SELECT "actorId", detail FROM "AuditEvent" WHERE action = 'dept.create' AND "targetType" = 'Department' AND "targetId" = $1`,
    [dept.id],
  );
  expect(deptEvent.actorId).toBe(sysadmin.id);
  expect(deptEvent.detail).toMatchObject({ name: dept.name, uscc: dept.uscc, parentId: city.id });

  await page.getByRole("navigation", { name: "主菜单" }).getByRole("link", { name: "用户管理" }).click();
  await expect(page).toHaveURL(/\/admin\/users/);
  await page.getByRole("button", { name: "新增用户" }).click();
  const userDialog = page.getByRole("dialog", { name: "新增用户" });
  await expect(userDialog).toBeVisible();
  await field(page, "用户名").locator("input").fill(user.username);
  await field(page, "姓名").locator("input").fill(user.name);
  await field(page, "所属部门").locator("select").selectOption(dept.id);
  await field(page, "初始密码").locator("input").fill(user.password);
  await userDialog.getByRole("button", { name: "保存" }).click();
  await expect(page.getByRole("status")).toHaveText(`已创建用户 ${user.username}，首次登录须修改密码`);
  await expect(userDialog).toBeHidden();

  await page.goto(`/admin/users?q=${user.username}`);
  const table = page.getByTestId("users-table");
  const tr = table.getByRole("row").filter({ has: page.getByRole("cell", { name: user.username, exact: true }) });
  await expect(tr).toHaveCount(1);
  await expect(tr).toContainText(user.name);
  await expect(tr).toContainText(dept.name);
  await expect(tr).toContainText("正常");
  await expect(tr).toContainText("待改密");

  const u = await one<{ id: string; departmentId: string; mustChangePassword: boolean; status: string }>(
    `SELECT id, "departmentId", "mustChangePassword", status::text FROM "User" WHERE username = $1`,
    [user.username],
  );
  expect(u).toMatchObject({ departmentId: dept.id, mustChangePassword: true, status: "ACTIVE" });
  user.id = u.id;
  expect(await sql(`SELECT 1 FROM "UserRole" WHERE "userId" = $1`, [user.id])).toHaveLength(0);
  const userEvent = await one<{ actorId: string; detail: { username: string; departmentId: string } }>(
    `SELECT "actorId", detail FROM "AuditEvent" WHERE action = 'user.create' AND "targetType" = 'User' AND "targetId" = $1`,
    [user.id],
  );
  expect(userEvent.actorId).toBe(sysadmin.id);
  expect(userEvent.detail).toMatchObject({ username: user.username, departmentId: dept.id });

  await logout(page);
});

test("[SECURITY_ADMIN] grants a role", async ({ page }) => {
  expect(user.id, "the previous test created the user").not.toBe("");
  const secadmin = await one<{ id: string }>(`SELECT id FROM "User" WHERE username = 'secadmin'`);
  await loginToPortal(page, "secadmin");

  await page.getByRole("navigation", { name: "主菜单" }).getByRole("link", { name: "角色授权" }).click();
  await expect(page).toHaveURL(/\/admin\/roles/);
  await page.goto(`/admin/roles?q=${user.username}`);
  const table = page.getByTestId("roles-table");
  const tr = table.getByRole("row").filter({ has: page.getByRole("cell", { name: user.username, exact: true }) });
  await expect(tr).toHaveCount(1);
  await expect(tr).toContainText("无");
  await tr.getByRole("button", { name: "授权" }).click();

  const dialog = page.getByRole("dialog", { name: `角色授权：${user.name}（${user.username}）` });
  await expect(dialog).toBeVisible();
  await dialog.getByLabel("授予角色").selectOption({ label: "发证业务员" });
  await dialog.getByLabel("数据范围").selectOption({ label: "本部门" });
  await dialog.getByRole("button", { name: "授予" }).click();
  await expect(page.getByRole("status")).toHaveText(`已授予 ${user.username} 发证业务员角色`);
  await expect(tr).toContainText("发证业务员（本部门）");
  await dialog.getByRole("button", { name: "关闭" }).click();
  await expect(dialog).toBeHidden();

  const grant = await one<{ role: string; scope: string; grantedById: string }>(
    `SELECT role::text, scope::text, "grantedById" FROM "UserRole" WHERE "userId" = $1`,
    [user.id],
  );
  expect(grant).toEqual({ role: "ISSUER_OPERATOR", scope: "OWN", grantedById: secadmin.id });
  const event = await one<{ actorId: string; detail: { userId: string; role: string; scope: string } }>(
    `SELECT "actorId", detail FROM "AuditEvent" WHERE action = 'role.grant' AND "targetId" = $1`,
    [user.id],
  );
  expect(event.actorId).toBe(secadmin.id);
  expect(event.detail).toMatchObject({ userId: user.id, role: "ISSUER_OPERATOR", scope: "OWN" });

  // 三员分立: the system administrator cannot also be the audit administrator.
  const sysadmin = await one<{ id: string }>(`SELECT id FROM "User" WHERE username = 'sysadmin'`);
  const grantsBefore = await auditCount(`action = 'role.grant' AND "targetId" = $1`, [sysadmin.id]);
  await page.goto("/admin/roles?q=sysadmin");
  const sysRow = table.getByRole("row").filter({ has: page.getByRole("cell", { name: "sysadmin", exact: true }) });
  await expect(sysRow).toContainText("系统管理员（全省）");
  await sysRow.getByRole("button", { name: "授权" }).click();
  const sysDialog = page.getByRole("dialog", { name: "角色授权：赵系统（sysadmin）" });
  await sysDialog.getByLabel("授予角色").selectOption({ label: "审计管理员" });
  await sysDialog.getByLabel("数据范围").selectOption({ label: "全省" });
  await sysDialog.getByRole("button", { name: "授予" }).click();
  await expect(sysDialog.getByRole("alert")).toHaveText(MSG.triad);
  await sysDialog.getByRole("button", { name: "关闭" }).click();
  await expect(sysRow).not.toContainText("审计管理员");

  const sysRoles = await sql<{ role: string }>(`SELECT role::text FROM "UserRole" WHERE "userId" = $1`, [sysadmin.id]);
  expect(sysRoles).toEqual([{ role: "SYSTEM_ADMIN" }]);
  expect(await auditCount(`action = 'role.grant' AND "targetId" = $1`, [sysadmin.id])).toBe(grantsBefore);

  await logout(page);
});

test("[NEW_USER] must change the password at first sign-in", async ({ page }) => {
  expect(user.id, "the first test created the user").not.toBe("");
  await login(page, user.username, user.password);
  await expect(page).toHaveURL(/\/change-password$/);
  await expect(page.getByText(MSG.mustChange)).toBeVisible();
  // Nothing else is reachable until the password is changed.
  await page.goto("/");
  await expect(page).toHaveURL(/\/change-password$/);
  await expect(page.getByRole("link", { name: "取消" })).toHaveCount(0);

  await field(page, "当前密码").locator("input").fill(user.password);
  await field(page, "新密码").locator("input").fill("weakpassword");
  await field(page, "确认新密码").locator("input").fill("weakpassword");
  await page.getByRole("button", { name: "保存新密码" }).click();
  await expect(field(page, "新密码").locator("em.err")).toHaveText(MSG.classes);
  await expect(field(page, "新密码").locator("input")).toHaveAttribute("aria-invalid", "true");
  await expect(page).toHaveURL(/\/change-password$/);
  const still = await one<{ mustChangePassword: boolean }>(`SELECT "mustChangePassword" FROM "User" WHERE id = $1`, [user.id]);
  expect(still.mustChangePassword).toBe(true);

  await field(page, "新密码").locator("input").fill(user.newPassword);
  await field(page, "确认新密码").locator("input").fill(user.newPassword);
  await page.getByRole("button", { name: "保存新密码" }).click();
  await expect(page).toHaveURL(/\/$/, { timeout: 20_000 });
  await expect(page.getByTestId("current-user")).toHaveText(`${user.name}（${user.username}）`);
  await expect(page.locator("header.topbar .badge")).toHaveText(["发证业务员"]);
  await expect(page.getByText("发证业务员 · 本部门")).toBeVisible();
  await expect(page.getByRole("navigation", { name: "主菜单" }).getByRole("link")).toHaveText(["首页", "发证清单", "电子证照", "签发证照", "存量导入", "应急补办", "证照划转", "异议处理", "整改通知", "通报", "签章验证", "证照核验", "证照公示", "证照异议"]);

  const after = await one<{ mustChangePassword: boolean; history: string }>(
    `SELECT u."mustChangePassword", (SELECT count(*)::text FROM "PasswordHistory" h WHERE h."userId" = u.id) AS history FROM "User" u WHERE u.id = $1`,
    [user.id],
  );
  expect(after).toEqual({ mustChangePassword: false, history: "2" });
  expect(await auditCount(`action = 'user.password_change' AND "actorId" = $1`, [user.id])).toBe(1);

  await logout(page);
  await loginToPortal(page, user.username, user.newPassword);
  await expect(page).toHaveURL(/\/$/);
  await logout(page);
});

test("[ANYONE] five wrong passwords lock the account", async ({ page }) => {
  const created = await insertUser({ username: locked.username, name: locked.name, password: locked.password });
  locked.id = created.id;
  const alert = page.locator("form").getByRole("alert");

  await page.goto("/login");
  for (let i = 1; i <= 4; i++) {
    await submitLogin(page, locked.username, `Wrong#Pass${i}x`);
    await expect(alert).toHaveText(MSG.badCredentials);
  }
  await submitLogin(page, locked.username, "Wrong#Pass5x");
  await expect(alert).toHaveText(MSG.locked);
  await expect(page).toHaveURL(/\/login/);

  // The right password is refused too, with the same message, while the lock lasts.
  await submitLogin(page, locked.username, locked.password);
  await expect(alert).toHaveText(MSG.locked);
  await expect(page).toHaveURL(/\/login/);

  const attempts = await sql<{ result: string; userId: string | null; ip: string | null }>(
    `SELECT result::text, "userId", ip FROM "LoginAttempt" WHERE username = $1 ORDER BY id`,
    [locked.username],
  );
  expect(attempts.map((a) => a.result)).toEqual(["BAD_CREDENTIALS", "BAD_CREDENTIALS", "BAD_CREDENTIALS", "BAD_CREDENTIALS", "BAD_CREDENTIALS", "LOCKED"]);
  for (const a of attempts) {
    expect(a.userId).toBe(locked.id);
    expect(a.ip).toBeTruthy();
  }
  const lock = await one<{ locked: boolean }>(`SELECT "lockedUntil" > now() AND "unlockedAt" IS NULL AS locked FROM "LoginLock" WHERE key = $1`, [`user:${locked.username}`]);
  expect(lock.locked).toBe(true);
  const lockout = await one<{ detail: { key: string } }>(`SELECT detail FROM "AuditEvent" WHERE action = 'auth.lockout' AND "targetId" = $1`, [locked.id]);
  expect(lockout.detail.key).toBe(`user:${locked.username}`);
  expect(await auditCount(`action = 'auth.login_failed' AND "targetId" = $1`, [locked.id])).toBe(6);
  expect(await sql(`SELECT 1 FROM "UserSession" WHERE "userId" = $1`, [locked.id])).toHaveLength(0);
});

test("[AUDIT_ADMIN] sees all of it and the chain verifies", async ({ page }) => {
  expect(dept.id && user.id && locked.id, "the earlier tests created their data").toBeTruthy();
  const auditadmin = await one<{ id: string }>(`SELECT id FROM "User" WHERE username = 'auditadmin'`);
  await loginToPortal(page, "auditadmin");
  await page.getByRole("navigation", { name: "主菜单" }).getByRole("link", { name: "审计日志" }).click();
  await expect(page).toHaveURL(/\/audit/);
  const table = page.getByTestId("audit-table");
  await expect(table).toBeVisible();

  const rowsFor = async (target: string, expected: { action: string; label: string; actor: string }[]) => {
    await page.goto(`/audit?target=${encodeURIComponent(target)}&pageSize=100`);
    for (const e of expected) {
      const tr = table.getByRole("row").filter({ hasText: e.action });
      await expect(tr.first(), `${e.label} for ${target}`).toBeVisible();
      await expect(tr.first()).toContainText(e.label);
      await expect(tr.first()).toContainText(e.actor);
    }
  };
  await rowsFor(dept.id, [{ action: "dept.create", label: "新增部门", actor: "赵系统(sysadmin)" }]);
  // the detail reads as labelled lines, the recorded JSON under them
  const created = table.getByRole("row").filter({ hasText: "dept.create" }).first();
  await created.getByText("查看").click();
  const detail = created.getByTestId("audit-detail");
  await expect(detail).toContainText(`名称${dept.name}`);
  await expect(detail).toContainText(`统一社会信用代码${dept.uscc}`);
  await expect(detail.getByText("原始记录（JSON）")).toBeVisible();
  await rowsFor(user.id, [
    { action: "user.create", label: "新增用户", actor: "赵系统(sysadmin)" },
    { action: "role.grant", label: "授予角色", actor: "钱安全(secadmin)" },
    { action: "user.password_change", label: "修改密码", actor: `${user.name}(${user.username})` },
  ]);
  await rowsFor(locked.id, [
    { action: "auth.lockout", label: "账户锁定", actor: locked.username },
    { action: "auth.login_failed", label: "登录失败", actor: locked.username },
  ]);

  // The action filter from the query form narrows the list to lockouts only.
  await page.goto("/audit");
  await page.getByRole("search").getByLabel("操作类型").selectOption({ label: "账户锁定" });
  await page.getByRole("search").getByRole("button", { name: "查询" }).click();
  await expect(page).toHaveURL(/action=auth\.lockout/);
  await expect(table.getByRole("row").filter({ hasText: locked.username }).first()).toBeVisible();
  await expect(table.locator("tbody tr").filter({ hasNotText: "auth.lockout" })).toHaveCount(0);

  const total = await auditCount("true", []);
  await page.getByRole("button", { name: "校验审计链" }).click();
  await expect(page.getByTestId("verify-result")).toHaveText(`审计链校验通过，共校验 ${total} 条`, { timeout: 30_000 });

  const verify = await one<{ actorId: string; detail: { ok: boolean; checked: number; firstBroken: string | null } }>(
    `SELECT "actorId", detail FROM "AuditEvent" WHERE action = 'audit.verify' ORDER BY seq DESC LIMIT 1`,
  );
  expect(verify.actorId).toBe(auditadmin.id);
  expect(verify.detail).toEqual({ action: "audit.verify", ok: true, checked: total, firstBroken: null });

  await logout(page);
});
