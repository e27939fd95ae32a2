import { expect, test } from "@playwright/test";
import { DEMO_MENUS, MSG, auditCount, loginToPortal, logout, one } from "./helpers";

test("[EVERY_ROLE] signs in and sees only its menu", async ({ page }) => {
  test.setTimeout(240_000);
  for (const account of DEMO_MENUS) {
    await test.step(account.username, async () => {
      const user = await one<{ id: string }>(`SELECT id FROM "User" WHERE username = $1`, [account.username]);
      const events = () =>
        Promise.all([
          auditCount(`action = 'auth.login' AND "actorId" = $1`, [user.id]),
          auditCount(`action = 'auth.logout' AND "actorId" = $1`, [user.id]),
        ]);
      const [loginsBefore, logoutsBefore] = await events();

      await loginToPortal(page, account.username);
      await expect(page).toHaveURL(/\/$/);
      await expect(page.getByTestId("current-user")).toHaveText(`${account.name}（${account.username}）`);
      await expect(page.locator("header.topbar .badge")).toHaveText(typeof account.role === "string" ? [account.role] : account.role);
      const menu = page.getByRole("navigation", { name: "主菜单" }).getByRole("link");
      await expect(menu).toHaveText(account.menu);

      // a page outside the role answers 403 where it was asked for, inside the portal's frame
      const refused = await page.goto(account.forbidden);
      expect(refused?.status()).toBe(403);
      await expect(page).toHaveURL(new RegExp(`${account.forbidden}$`));
      await expect(page.getByText(MSG.forbidden)).toBeVisible();
      await expect(menu).toHaveText(account.menu);

      await logout(page);

      await expect
        .poll(async () => (await one<{ endReason: string | null }>(`SELECT "endReason" FROM "UserSession" WHERE "userId" = $1 ORDER BY "createdAt" DESC LIMIT 1`, [user.id])).endReason)
        .toBe("LOGOUT");
      await expect.poll(events).toEqual([loginsBefore + 1, logoutsBefore + 1]);
      // the logout is recorded like every other event: the role in Chinese, as the badge shows it
      const out = await one<{ actorRole: string }>(`SELECT "actorRole" FROM "AuditEvent" WHERE action = 'auth.logout' AND "actorId" = $1 ORDER BY seq DESC LIMIT 1`, [user.id]);
      expect(out.actorRole.split("、").sort()).toEqual((typeof account.role === "string" ? [account.role] : [...account.role]).sort());
      const attempt = await one<{ result: string }>(`SELECT result::text FROM "LoginAttempt" WHERE username = $1 ORDER BY id DESC LIMIT 1`, [account.username]);
      expect(attempt.result).toBe("SUCCESS");
    });
  }
});

test("[SUPERVISOR] on a 390 px phone the menu folds behind 菜单 and the page fits the screen", async ({ browser }) => {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const page = await context.newPage();
  await loginToPortal(page, "supervisor");
  const menu = page.getByRole("navigation", { name: "主菜单" });
  const toggle = page.getByRole("button", { name: "菜单", exact: true });
  await expect(toggle).toBeVisible();
  await expect(menu).toBeHidden();
  const fits = () => page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
  expect(await fits()).toBe(true);
  await toggle.click();
  await expect(menu).toBeVisible();
  await menu.getByRole("link", { name: "监督看板", exact: true }).click();
  await expect(page).toHaveURL(/\/supervision\/dashboard/);
  await expect(page.locator("h1")).toContainText("监督看板");
  // the chosen page folds the menu again, and its cards and tables stay within the screen
  await expect(menu).toBeHidden();
  expect(await fits()).toBe(true);
  await context.close();
});

test("[ANYONE] an unknown address answers 404 in Chinese, and its scripts run under the CSP nonce", async ({ page }) => {
  const problems: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error") problems.push(m.text());
  });
  page.on("pageerror", (e) => problems.push(e.message));
  await loginToPortal(page, "auditadmin"); // signed out, any portal address leads to the sign-in page first
  const res = await page.goto("/no-such-page");
  expect(res?.status()).toBe(404);
  await expect(page.getByRole("heading", { name: "页面不存在" })).toBeVisible();
  // hydrated: the link navigates on the client (a CSP-blocked script would leave a plain page)
  await page.getByRole("link", { name: "返回首页" }).click();
  await expect(page).not.toHaveURL(/no-such-page/);
  await expect(page.getByTestId("current-user")).toBeVisible();
  expect(problems.filter((p) => /Content Security Policy|nonce/i.test(p))).toEqual([]);
});
