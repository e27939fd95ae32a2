// The one permission map (P-04): role → permissions, and the guard that also checks department
// scope. Pages, actions, route handlers and queries all go through `can`/`requirePermission`.
import { AppError } from "@/lib/errors";
import { t } from "@/lib/i18n/zh-CN";

export const ROLES = [
  "SYSTEM_ADMIN",
  "SECURITY_ADMIN",
  "AUDIT_ADMIN",
  "CATALOG_ADMIN",
  "ISSUER_OPERATOR",
  "USING_OPERATOR",
  "SEAL_APPLICANT",
  "SEAL_APPROVER",
  "SEAL_CUSTODIAN",
  "SEAL_MAKER_REVIEWER",
  "SEAL_ADMIN",
  "SUPERVISOR",
] as const;
export type RoleName = (typeof ROLES)[number];
export type Scope = "OWN" | "SUBTREE" | "PROVINCE";

/** 三员分立: no user holds two of these. */
export const ADMIN_TRIAD: readonly RoleName[] = ["SYSTEM_ADMIN", "SECURITY_ADMIN", "AUDIT_ADMIN"];

export const PERMISSIONS = [
  "dept.read",
  "dept.manage",
  "user.read",
  "user.manage",
  "role.read",
  "role.grant",
  "session.read",
  "session.manage",
  "security.policy",
  "loginlog.read",
  "audit.read",
  "audit.verify",
  "catalog.manage",
  "licence.issue",
  "licence.use",
  "seal.apply",
  "seal.approve",
  "seal.custody",
  "seal.make",
  "seal.flow",
  "supervision.read",
  "calendar.manage",
  "objection.route",
  "supervision.manage",
  "rectification.respond",
] as const;
export type Permission = (typeof PERMISSIONS)[number];

/** What each permission lets a user do, as the home page lists it. */
export const PERMISSION_LABELS: Record<Permission, string> = {
  "dept.read": "查看部门",
  "dept.manage": "管理部门",
  "user.read": "查看用户",
  "user.manage": "管理用户",
  "role.read": "查看角色",
  "role.grant": "授予角色",
  "session.read": "查看在线用户",
  "session.manage": "强制下线",
  "security.policy": "安全策略",
  "loginlog.read": "登录日志",
  "audit.read": "审计日志",
  "audit.verify": "审计链校验",
  "catalog.manage": "维护证照目录和清单",
  "licence.issue": "签发和管理电子证照",
  "licence.use": "用证",
  "seal.apply": "申请印章和用印",
  "seal.approve": "用印审批",
  "seal.custody": "印章保管和盖章",
  "seal.make": "制章审核",
  "seal.flow": "维护用印审批流程",
  "supervision.read": "监督检查",
  "calendar.manage": "维护节假日和异议期限",
  "objection.route": "跨区域异议转办",
  "supervision.manage": "责令整改、通报和抽查",
  "rectification.respond": "整改反馈",
};

export const ROLE_PERMISSIONS: Record<RoleName, readonly Permission[]> = {
  SYSTEM_ADMIN: ["dept.read", "dept.manage", "user.read", "user.manage", "session.read", "session.manage", "calendar.manage"],
  SECURITY_ADMIN: ["dept.read", "user.read", "role.read", "role.grant", "session.read", "session.manage", "security.policy", "loginlog.read"],
  AUDIT_ADMIN: ["audit.read", "audit.verify", "loginlog.read"],
  CATALOG_ADMIN: ["catalog.manage", "rectification.respond"],
  ISSUER_OPERATOR: ["licence.issue", "rectification.respond"],
  USING_OPERATOR: ["licence.use", "rectification.respond"],
  SEAL_APPLICANT: ["seal.apply"],
  SEAL_APPROVER: ["seal.approve"],
  SEAL_CUSTODIAN: ["seal.custody"],
  SEAL_MAKER_REVIEWER: ["seal.make"],
  // keeps the use-approval flows (S-10); never the same person as an applicant (checked in saveFlow)
  SEAL_ADMIN: ["seal.flow", "rectification.respond"],
  // the provincial management department's supervisors route cross-region objections (O-06)
  SUPERVISOR: ["supervision.read", "objection.route", "supervision.manage"],
};

/** The default scope when a role is granted, by the level of the holder's department. */
export function defaultScope(role: RoleName, deptLevel: "PROVINCE" | "CITY" | "COUNTY"): Scope {
  // Region-wide roles: the administrators, supervisors, and the seal-making unit, which makes
  // seals for every holder department of its region, not only for itself.
  if (ADMIN_TRIAD.includes(role) || role === "SUPERVISOR" || role === "SEAL_MAKER_REVIEWER") return deptLevel === "PROVINCE" ? "PROVINCE" : "SUBTREE";
  return "OWN";
}

export type ScopedRole = { role: RoleName; scope: Scope };
export type Principal = {
  userId: string;
  departmentId: string;
  departmentPath: string;
  roles: readonly ScopedRole[];
};
export type TargetDept = { id: string; path: string };

function scopeCovers(p: Principal, scope: Scope, target: TargetDept): boolean {
  if (scope === "PROVINCE") return true;
  if (scope === "SUBTREE") return target.path.startsWith(p.departmentPath);
  return target.id === p.departmentId;
}

export function hasPermission(p: Principal, perm: Permission): boolean {
  return p.roles.some((r) => ROLE_PERMISSIONS[r.role].includes(perm));
}

/** May `p` use `perm`, and, when a target department is given, on that department? */
export function can(p: Principal, perm: Permission, target?: TargetDept): boolean {
  return p.roles.some(
    (r) => ROLE_PERMISSIONS[r.role].includes(perm) && (!target || scopeCovers(p, r.scope, target)),
  );
}

export function requirePermission(p: Principal, perm: Permission, target?: TargetDept): void {
  if (!hasPermission(p, perm)) throw new AppError("FORBIDDEN", t.errors.forbidden);
  // Out of scope reads as "not found", so rows outside one's scope are not even confirmed to exist.
  if (target && !can(p, perm, target)) throw new AppError("NOT_FOUND", t.errors.notFound);
}

/** The department filter for a query under `perm`: undefined means every department. */
export function departmentScope(p: Principal, perm: Permission): { ids: string[]; paths: string[] } | undefined {
  const ids: string[] = [];
  const paths: string[] = [];
  for (const r of p.roles) {
    if (!ROLE_PERMISSIONS[r.role].includes(perm)) continue;
    if (r.scope === "PROVINCE") return undefined;
    if (r.scope === "SUBTREE") paths.push(p.departmentPath);
    else ids.push(p.departmentId);
  }
  return { ids, paths };
}

/** The same filter as a Prisma `where` on Department. */
export function departmentWhere(p: Principal, perm: Permission) {
  const s = departmentScope(p, perm);
  if (!s) return {};
  return { OR: [{ id: { in: s.ids } }, ...s.paths.map((path) => ({ path: { startsWith: path } }))] };
}

/**
 * The department filter for a query allowed under any of `perms` (the union of their scopes).
 * A province-wide one means no filter at all: `{ OR: [{}] }` would match nothing in Prisma.
 */
export function departmentWhereAny(p: Principal, perms: readonly Permission[]) {
  const held = perms.filter((perm) => hasPermission(p, perm));
  if (!held.length) return null;
  const wheres = held.map((perm) => departmentWhere(p, perm));
  if (wheres.some((w) => Object.keys(w).length === 0)) return {};
  return { OR: wheres };
}
