// The regions a supervisor may choose for a report (V-04): the departments within their
// supervision.read scope, in tree order, indented by depth for the page's select.
import "server-only";
import { db } from "@/lib/db";
import type { Actor } from "@/lib/auth/session";
import { departmentWhere, requirePermission } from "@/lib/auth/permissions";

export type RegionOption = { id: string; name: string; depth: number; isManagement: boolean };

const MAX_OPTIONS = 500;

export async function reportRegionOptions(actor: Actor): Promise<RegionOption[]> {
  requirePermission(actor, "supervision.read");
  const rows = await db().department.findMany({
    where: { AND: [departmentWhere(actor, "supervision.read"), { status: "ACTIVE" }] },
    select: { id: true, name: true, path: true, isManagement: true },
    orderBy: [{ path: "asc" }],
    take: MAX_OPTIONS,
  });
  const depthOf = (path: string) => path.split("/").filter(Boolean).length;
  const top = Math.min(...rows.map((r) => depthOf(r.path)));
  return rows.map((r) => ({ id: r.id, name: r.name, depth: depthOf(r.path) - top, isManagement: r.isManagement }));
}
