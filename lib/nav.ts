import { hasPermission, type Permission, type Principal } from "@/lib/auth/permissions";
import { t } from "@/lib/i18n/zh-CN";

/** `permission`: the item shows when the user has it (or any of them, for a list). */
export type NavItem = { href: string; label: string; permission: Permission | readonly Permission[] | null; group: string };

/** The portal menu; each user sees the items their roles' permissions allow. */
export const NAV: NavItem[] = [
  { href: "/", label: t.nav.home, permission: null, group: "" },
  { href: "/seals", label: "电子印章", permission: ["seal.apply", "seal.make", "seal.custody", "seal.approve", "supervision.read", "seal.flow"], group: "电子印章" },
  { href: "/seals/review", label: "制章审核", permission: "seal.make", group: "电子印章" },
  { href: "/seal-use", label: "用印申请", permission: ["seal.apply", "seal.approve", "seal.custody", "supervision.read"], group: "用印管理" },
  { href: "/seal-use/approvals", label: "用印审批", permission: ["seal.approve", "seal.custody"], group: "用印管理" },
  { href: "/seal-use/records", label: "用印登记", permission: ["seal.apply", "seal.approve", "seal.custody", "supervision.read"], group: "用印管理" },
  { href: "/seal-use/flows", label: "审批流程", permission: "seal.flow", group: "用印管理" },
  { href: "/catalog", label: "证照目录", permission: ["catalog.manage", "supervision.read"], group: "证照目录" },
  { href: "/catalog/review", label: "目录审核", permission: "catalog.manage", group: "证照目录" },
  { href: "/lists/issuance", label: "发证清单", permission: ["catalog.manage", "licence.issue", "supervision.read"], group: "证照目录" },
  { href: "/lists/use", label: "用证清单", permission: ["catalog.manage", "licence.use", "supervision.read"], group: "证照目录" },
  { href: "/licenses", label: "电子证照", permission: ["licence.issue", "supervision.read"], group: "电子证照" },
  { href: "/licenses/new", label: "签发证照", permission: "licence.issue", group: "电子证照" },
  { href: "/licenses/import", label: "存量导入", permission: "licence.issue", group: "电子证照" },
  { href: "/licenses/incidents", label: "应急补办", permission: "licence.issue", group: "电子证照" },
  { href: "/licenses/transfer", label: "证照划转", permission: ["dept.manage", "licence.issue"], group: "电子证照" },
  { href: "/objections", label: "异议处理", permission: ["licence.issue", "licence.use", "objection.route", "supervision.read"], group: "电子证照" },
  { href: "/supervision/dashboard", label: "监督看板", permission: "supervision.read", group: "监督检查" },
  { href: "/supervision/quality", label: "数据质量", permission: "supervision.read", group: "监督检查" },
  { href: "/supervision/access-log", label: "访问日志", permission: "supervision.read", group: "监督检查" },
  { href: "/supervision/orders", label: "整改通知", permission: ["supervision.read", "rectification.respond"], group: "监督检查" },
  { href: "/supervision/spot-checks", label: "随机抽查", permission: "supervision.read", group: "监督检查" },
  { href: "/supervision/reports", label: "监督报告", permission: "supervision.read", group: "监督检查" },
  { href: "/admin/departments", label: t.nav.departments, permission: "dept.read", group: "系统管理" },
  { href: "/admin/users", label: t.nav.users, permission: "user.read", group: "系统管理" },
  { href: "/admin/calendar", label: "节假日安排", permission: "calendar.manage", group: "系统管理" },
  { href: "/admin/objection-settings", label: "异议处理期限", permission: "calendar.manage", group: "系统管理" },
  { href: "/admin/roles", label: t.nav.roles, permission: "role.read", group: "安全管理" },
  { href: "/admin/online", label: t.nav.online, permission: "session.read", group: "安全管理" },
  { href: "/admin/security", label: t.nav.securityPolicy, permission: "security.policy", group: "安全管理" },
  { href: "/admin/login-log", label: t.nav.loginLog, permission: "loginlog.read", group: "审计" },
  { href: "/audit", label: t.nav.audit, permission: "audit.read", group: "审计" },
  // 通报 (V-02): published to everyone signed in
  { href: "/supervision/notices", label: "通报", permission: null, group: "监督检查" },
  { href: "/verify", label: "签章验证", permission: null, group: "公共服务" },
  { href: "/verify/licence", label: "证照核验", permission: null, group: "公共服务" },
  { href: "/public-notice", label: "证照公示", permission: null, group: "公共服务" },
  { href: "/objection", label: "证照异议", permission: null, group: "公共服务" },
];

export function navVisible(p: Principal, permission: NavItem["permission"]): boolean {
  if (!permission) return true;
  return (typeof permission === "string" ? [permission] : permission).some((x) => hasPermission(p, x));
}
