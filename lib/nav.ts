import type { Permission } from "@/lib/auth/permissions";
import { t } from "@/lib/i18n/zh-CN";

export type NavItem = { href: string; label: string; permission: Permission | null; group: string };

/** The portal menu; each user sees the items their roles' permissions allow. */
export const NAV: NavItem[] = [
  { href: "/", label: t.nav.home, permission: null, group: "" },
  { href: "/admin/departments", label: t.nav.departments, permission: "dept.read", group: "系统管理" },
  { href: "/admin/users", label: t.nav.users, permission: "user.read", group: "系统管理" },
  { href: "/admin/roles", label: t.nav.roles, permission: "role.read", group: "安全管理" },
  { href: "/admin/online", label: t.nav.online, permission: "session.read", group: "安全管理" },
  { href: "/admin/security", label: t.nav.securityPolicy, permission: "security.policy", group: "安全管理" },
  { href: "/admin/login-log", label: t.nav.loginLog, permission: "loginlog.read", group: "审计" },
  { href: "/audit", label: t.nav.audit, permission: "audit.read", group: "审计" },
];
