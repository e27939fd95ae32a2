import "server-only";
import { db } from "@/lib/db";
import { departmentWhere, type Permission } from "@/lib/auth/permissions";
import type { Actor } from "@/lib/auth/session";

export type DeptNode = {
  id: string;
  parentId: string | null;
  name: string;
  uscc: string;
  areaCode: string;
  level: "PROVINCE" | "CITY" | "COUNTY";
  kind: "AGENCY" | "INSTITUTION" | "OTHER";
  isIssuing: boolean;
  isUsing: boolean;
  isManagement: boolean;
  isSealMaking: boolean;
  sortOrder: number;
  status: "ACTIVE" | "DISABLED";
  userCount: number;
  staff: { name: string; duty: string; phone: string }[];
};

/** The departments `actor` may see under `perm`, ordered for a tree (parents before children). */
export async function listDepartments(actor: Actor, perm: Permission = "dept.read"): Promise<DeptNode[]> {
  const rows = await db().department.findMany({
    where: departmentWhere(actor, perm),
    orderBy: [{ path: "asc" }],
    include: { staff: { orderBy: { createdAt: "asc" } }, _count: { select: { users: true } } },
  });
  const nodes = rows.map((d) => ({
    id: d.id,
    parentId: d.parentId,
    name: d.name,
    uscc: d.uscc,
    areaCode: d.areaCode,
    level: d.level,
    kind: d.kind,
    isIssuing: d.isIssuing,
    isUsing: d.isUsing,
    isManagement: d.isManagement,
    isSealMaking: d.isSealMaking,
    sortOrder: d.sortOrder,
    status: d.status,
    userCount: d._count.users,
    staff: d.staff.map((s) => ({ name: s.name, duty: s.duty, phone: s.phone ?? "" })),
  }));
  return nodes.sort((a, b) => a.sortOrder - b.sortOrder || a.name.localeCompare(b.name, "zh-CN"));
}

/** Options for department pickers: visible departments with their depth for indentation. */
export async function departmentOptions(actor: Actor, perm: Permission) {
  const all = await listDepartments(actor, perm);
  const byParent = new Map<string | null, DeptNode[]>();
  const ids = new Set(all.map((d) => d.id));
  for (const d of all) {
    const key = d.parentId && ids.has(d.parentId) ? d.parentId : null;
    byParent.set(key, [...(byParent.get(key) ?? []), d]);
  }
  const out: { id: string; name: string; depth: number; status: string; level: string }[] = [];
  const walk = (parent: string | null, depth: number) => {
    for (const d of byParent.get(parent) ?? []) {
      out.push({ id: d.id, name: d.name, depth, status: d.status, level: d.level });
      walk(d.id, depth + 1);
    }
  };
  walk(null, 0);
  return out;
}
