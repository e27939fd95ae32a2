// Reads for the list pages (L-02, L-03): issuance and use entries in the viewer's scope, their
// history (ListChange: who changed what, when, with the field difference) and the options of the
// entry form. Catalog administrators see the departments they manage; issuing operators their
// issuance list, using operators their use list, supervisors their region (each by role scope).
import "server-only";
import { z } from "zod";
import { db, type Prisma } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { can, departmentScope, departmentWhere, departmentWhereAny, hasPermission, type Permission } from "@/lib/auth/permissions";
import type { Actor } from "@/lib/auth/session";
import { sortKey, type Paged } from "@/lib/pagination";
import {
  AGGREGATION_MODE_LABELS,
  AGGREGATION_MODES,
  codesOf,
  HOLDER_CATEGORY_LABELS,
  USE_BASES,
  USE_BASIS_LABELS,
  USE_SCENARIO_LABELS,
  USE_SCENARIOS,
} from "@/lib/catalog/dictionaries";
import { listFilter, type Matter } from "@/lib/catalog/schema";

export type ListKind = "ISSUANCE" | "USE";
export const LIST_LABELS: Record<ListKind, string> = { ISSUANCE: "发证清单", USE: "用证清单" };

/** Who may look at a list (each within the department scope of the role that grants it). */
export const LIST_VIEW_PERMISSIONS: Record<ListKind, readonly Permission[]> = {
  ISSUANCE: ["catalog.manage", "licence.issue", "supervision.read"],
  USE: ["catalog.manage", "licence.use", "supervision.read"],
};

export const issuanceListFilter = listFilter.extend({
  type: z.string().uuid().optional().catch(undefined),
  aggregation: z.enum(codesOf(AGGREGATION_MODES)).optional().catch(undefined),
});
export type IssuanceListFilter = z.infer<typeof issuanceListFilter>;

export const useListFilter = listFilter.extend({
  type: z.string().uuid().optional().catch(undefined),
  scenario: z.enum(codesOf(USE_SCENARIOS)).optional().catch(undefined),
  basis: z.enum(codesOf(USE_BASES)).optional().catch(undefined),
});
export type UseListFilter = z.infer<typeof useListFilter>;

export function mayViewList(actor: Actor, list: ListKind): boolean {
  return LIST_VIEW_PERMISSIONS[list].some((p) => hasPermission(actor, p));
}

/** The departments whose list the actor may see, as a filter on Department (null: none). */
export function listDeptScope(actor: Actor, list: ListKind): Prisma.DepartmentWhereInput | null {
  return departmentWhereAny(actor, LIST_VIEW_PERMISSIONS[list]);
}

export function mayViewDept(actor: Actor, list: ListKind, dept: { id: string; path: string }): boolean {
  return LIST_VIEW_PERMISSIONS[list].some((p) => can(actor, p, dept));
}

function requireView(actor: Actor, list: ListKind): Prisma.DepartmentWhereInput {
  const s = listDeptScope(actor, list);
  if (!s) throw new AppError("FORBIDDEN", `您没有查看${LIST_LABELS[list]}的权限`);
  return s;
}

/**
 * The held view permission with the widest scope (own ⊂ subtree ⊂ province, all relative to the
 * actor's department), for the department picker of the query form.
 */
export function widestListPermission(actor: Actor, list: ListKind): Permission | null {
  const rank = (p: Permission) => {
    const s = departmentScope(actor, p);
    return !s ? 3 : s.paths.length ? 2 : 1;
  };
  const held = LIST_VIEW_PERMISSIONS[list].filter((p) => hasPermission(actor, p));
  return held.length ? held.reduce((a, b) => (rank(b) > rank(a) ? b : a)) : null;
}

/** A department filter (the department and its subordinates) inside the viewer's scope. */
async function deptFilter(scope: Prisma.DepartmentWhereInput, deptId: string | undefined): Promise<Prisma.DepartmentWhereInput> {
  if (!deptId) return scope;
  const d = await db().department.findUnique({ where: { id: deptId }, select: { path: true } });
  const sub = { path: { startsWith: d?.path ?? "/none/" } };
  return Object.keys(scope).length ? { AND: [scope, sub] } : sub;
}

const ymd = (d: Date | null) => (d ? d.toISOString().slice(0, 10) : "");

type EntryBase = {
  id: string;
  rev: number;
  deptId: string;
  deptName: string;
  deptUscc: string;
  typeId: string;
  typeCode: string;
  typeName: string;
  status: "ACTIVE" | "DISABLED";
  validFrom: string;
  validTo: string;
  updatedAt: string;
  /** the viewer may edit this entry (catalog.manage on its department) */
  canManage: boolean;
};
export type IssuanceRow = EntryBase & { legalBasis: string; matters: Matter[]; holderCategory: string; aggregation: string; publicity: boolean };
export type UseRow = EntryBase & { matterCode: string; matterName: string; scenarios: string[]; basis: string };

const ENTRY_SORTS = ["dept", "type", "validFrom", "validTo", "status", "updatedAt"] as const;
type EntrySort = (typeof ENTRY_SORTS)[number];

function entryOrder(key: EntrySort, dir: "asc" | "desc") {
  if (key === "dept") return { dept: { name: dir } };
  if (key === "type") return { type: { name: dir } };
  return { [key]: dir };
}

const entryInclude = { dept: { select: { id: true, name: true, uscc: true, path: true } }, type: { select: { typeCode: true, name: true } } } as const;

function baseOf(actor: Actor, e: Prisma.IssuanceListEntryGetPayload<{ include: typeof entryInclude }> | Prisma.UseListEntryGetPayload<{ include: typeof entryInclude }>): EntryBase {
  return {
    id: e.id,
    rev: e.rev,
    deptId: e.deptId,
    deptName: e.dept.name,
    deptUscc: e.dept.uscc,
    typeId: e.typeId,
    typeCode: e.type.typeCode,
    typeName: e.type.name,
    status: e.status,
    validFrom: ymd(e.validFrom),
    validTo: ymd(e.validTo),
    updatedAt: e.updatedAt.toISOString(),
    canManage: can(actor, "catalog.manage", e.dept),
  };
}

export async function issuanceWhere(actor: Actor, f: Omit<IssuanceListFilter, "page" | "pageSize" | "sort" | "dir">): Promise<Prisma.IssuanceListEntryWhereInput> {
  const dept = await deptFilter(requireView(actor, "ISSUANCE"), f.dept);
  return {
    dept,
    ...(f.status ? { status: f.status } : {}),
    ...(f.type ? { typeId: f.type } : {}),
    ...(f.aggregation ? { aggregation: f.aggregation } : {}),
    ...(f.q
      ? {
          OR: [
            { type: { name: { contains: f.q, mode: "insensitive" as const } } },
            { type: { typeCode: { contains: f.q.toUpperCase() } } },
            { dept: { name: { contains: f.q } } },
            { legalBasis: { contains: f.q } },
          ],
        }
      : {}),
  };
}

export async function useWhere(actor: Actor, f: Omit<UseListFilter, "page" | "pageSize" | "sort" | "dir">): Promise<Prisma.UseListEntryWhereInput> {
  const dept = await deptFilter(requireView(actor, "USE"), f.dept);
  return {
    dept,
    ...(f.status ? { status: f.status } : {}),
    ...(f.type ? { typeId: f.type } : {}),
    ...(f.scenario ? { scenarios: { has: f.scenario } } : {}),
    ...(f.basis ? { basis: f.basis } : {}),
    ...(f.q
      ? {
          OR: [
            { type: { name: { contains: f.q, mode: "insensitive" as const } } },
            { type: { typeCode: { contains: f.q.toUpperCase() } } },
            { dept: { name: { contains: f.q } } },
            { matterName: { contains: f.q } },
            { matterCode: { contains: f.q, mode: "insensitive" as const } },
          ],
        }
      : {}),
  };
}

export async function listIssuance(actor: Actor, f: IssuanceListFilter): Promise<Paged<IssuanceRow>> {
  const where = await issuanceWhere(actor, f);
  const key = sortKey(f.sort, ENTRY_SORTS, "updatedAt");
  const [total, rows] = await Promise.all([
    db().issuanceListEntry.count({ where }),
    db().issuanceListEntry.findMany({
      where,
      include: entryInclude,
      orderBy: [entryOrder(key, f.sort ? f.dir : "desc"), { id: "asc" }],
      skip: (f.page - 1) * f.pageSize,
      take: f.pageSize,
    }),
  ]);
  return {
    total,
    page: f.page,
    pageSize: f.pageSize,
    rows: rows.map((e) => ({
      ...baseOf(actor, e),
      legalBasis: e.legalBasis,
      matters: e.matters as Matter[],
      holderCategory: e.holderCategory,
      aggregation: e.aggregation,
      publicity: e.publicity,
    })),
  };
}

export async function listUse(actor: Actor, f: UseListFilter): Promise<Paged<UseRow>> {
  const where = await useWhere(actor, f);
  const key = sortKey(f.sort, ENTRY_SORTS, "updatedAt");
  const [total, rows] = await Promise.all([
    db().useListEntry.count({ where }),
    db().useListEntry.findMany({
      where,
      include: entryInclude,
      orderBy: [entryOrder(key, f.sort ? f.dir : "desc"), { id: "asc" }],
      skip: (f.page - 1) * f.pageSize,
      take: f.pageSize,
    }),
  ]);
  return {
    total,
    page: f.page,
    pageSize: f.pageSize,
    rows: rows.map((e) => ({ ...baseOf(actor, e), matterCode: e.matterCode ?? "", matterName: e.matterName ?? "", scenarios: e.scenarios, basis: e.basis })),
  };
}

// ---- history -----------------------------------------------------------------------------------

export const LIST_FIELD_LABELS: Record<string, string> = {
  legalBasis: "设定依据",
  matters: "关联事项",
  holderCategory: "持证主体类别",
  aggregation: "汇聚方式",
  publicity: "社会公示",
  matterCode: "事项编码",
  matterName: "事项名称",
  scenarios: "使用场景",
  basis: "用证依据",
  validFrom: "生效日期",
  validTo: "失效日期",
  status: "状态",
};
export const LIST_ACTION_LABELS: Record<string, string> = { create: "新增", update: "修改", enable: "启用", disable: "停用" };
const STATUS_LABELS: Record<string, string> = { ACTIVE: "启用", DISABLED: "停用" };

/** A recorded value as people read it: codes as their labels, lists joined, blank as "（空）". */
export function shownValue(field: string, v: unknown): string {
  if (v === null || v === undefined || v === "") return "（空）";
  if (typeof v === "boolean") return v ? "是" : "否";
  if (Array.isArray(v)) {
    if (field === "scenarios") return v.map((s) => USE_SCENARIO_LABELS[s as keyof typeof USE_SCENARIO_LABELS] ?? text(s)).join("、") || "（空）";
    if (field === "matters") return (v as Partial<Matter>[]).map((m) => `${m.name ?? ""}（${m.code ?? ""}）`).join("、") || "（空）";
    return v.map(text).join("、");
  }
  const s = text(v);
  const map: Record<string, Record<string, string>> = { holderCategory: HOLDER_CATEGORY_LABELS, aggregation: AGGREGATION_MODE_LABELS, basis: USE_BASIS_LABELS, status: STATUS_LABELS };
  if (map[field]) return map[field][s] ?? s;
  if (field === "validFrom" || field === "validTo") return s.slice(0, 10);
  return s;
}

const text = (v: unknown): string => (typeof v === "string" ? v : typeof v === "number" || typeof v === "boolean" ? String(v) : JSON.stringify(v));

export type HistoryChange = { field: string; label: string; from: string; to: string };
export type HistoryRow = {
  id: string;
  at: string;
  action: string;
  actionLabel: string;
  actorName: string;
  entryId: string;
  deptName: string;
  typeCode: string;
  typeName: string;
  changes: HistoryChange[];
};

type ChangeRow = Prisma.ListChangeGetPayload<object>;

async function historyRows(rows: ChangeRow[]): Promise<HistoryRow[]> {
  const [depts, types] = await Promise.all([
    db().department.findMany({ where: { id: { in: [...new Set(rows.map((r) => r.deptId))] } }, select: { id: true, name: true } }),
    db().licenceType.findMany({ where: { id: { in: [...new Set(rows.map((r) => r.typeId))] } }, select: { id: true, name: true, typeCode: true } }),
  ]);
  return rows.map((r) => {
    const t = types.find((x) => x.id === r.typeId);
    const diff = (r.diff ?? {}) as Record<string, { from?: unknown; to?: unknown }>;
    return {
      id: r.id.toString(),
      at: r.at.toISOString(),
      action: r.action,
      actionLabel: LIST_ACTION_LABELS[r.action] ?? r.action,
      actorName: r.actorName,
      entryId: r.entryId,
      deptName: depts.find((d) => d.id === r.deptId)?.name ?? "",
      typeCode: t?.typeCode ?? "",
      typeName: t?.name ?? "",
      changes: Object.entries(diff)
        // a new entry's blank fields say nothing
        .filter(([, d]) => r.action !== "create" || !(d?.to === null || d?.to === undefined || d?.to === "" || (Array.isArray(d?.to) && d.to.length === 0)))
        .map(([field, d]) => ({ field, label: LIST_FIELD_LABELS[field] ?? field, from: shownValue(field, d?.from), to: shownValue(field, d?.to) })),
    };
  });
}

async function loadEntry(list: ListKind, entryId: string) {
  if (!z.string().uuid().safeParse(entryId).success) return null;
  const include = { dept: { select: { id: true, path: true, name: true } }, type: { select: { name: true, typeCode: true } } } as const;
  return list === "ISSUANCE"
    ? db().issuanceListEntry.findUnique({ where: { id: entryId }, include })
    : db().useListEntry.findUnique({ where: { id: entryId }, include });
}

export const ENTRY_HISTORY_MAX = 100;

/** The history of one entry, newest first. An entry out of the viewer's scope is "not found". */
export async function entryHistory(actor: Actor, list: ListKind, entryId: string) {
  requireView(actor, list);
  const e = await loadEntry(list, entryId);
  if (!e || !mayViewDept(actor, list, e.dept)) throw new AppError("NOT_FOUND", "清单条目不存在或不在您的管辖范围内");
  const rows = await db().listChange.findMany({ where: { list, entryId: e.id }, orderBy: [{ at: "desc" }, { id: "desc" }], take: ENTRY_HISTORY_MAX });
  const matter = "matterName" in e ? (e.matterName ?? e.matterCode ?? "") : "";
  return {
    entry: { id: e.id, deptName: e.dept.name, typeName: e.type.name, typeCode: e.type.typeCode, matter, status: e.status },
    rows: await historyRows(rows),
  };
}

/** Recent changes of a list in the viewer's scope (newest first), filtered like the list page. */
export async function listHistory(actor: Actor, list: ListKind, f: z.infer<typeof listFilter> & { type?: string }): Promise<Paged<HistoryRow>> {
  const scope = await deptFilter(requireView(actor, list), f.dept);
  const where: Prisma.ListChangeWhereInput = { list };
  // ListChange keeps the department id without a relation: a scope narrower than the province
  // (or a department filter) becomes the list of ids it covers.
  if (Object.keys(scope).length) {
    const ids = await db().department.findMany({ where: scope, select: { id: true } });
    where.deptId = { in: ids.map((d) => d.id) };
  }
  if (f.type) where.typeId = f.type;
  if (f.q) {
    const types = await db().licenceType.findMany({
      where: { OR: [{ name: { contains: f.q, mode: "insensitive" } }, { typeCode: { contains: f.q.toUpperCase() } }] },
      select: { id: true },
      take: 500,
    });
    where.OR = [{ actorName: { contains: f.q } }, { typeId: { in: types.map((t) => t.id) } }];
  }
  const [total, rows] = await Promise.all([
    db().listChange.count({ where }),
    db().listChange.findMany({ where, orderBy: [{ at: "desc" }, { id: "desc" }], skip: (f.page - 1) * f.pageSize, take: f.pageSize }),
  ]);
  return { total, page: f.page, pageSize: f.pageSize, rows: await historyRows(rows) };
}

// ---- form options ------------------------------------------------------------------------------

export type DeptOption = { id: string; name: string; uscc: string; depth: number };
export type TypeOption = {
  id: string;
  typeCode: string;
  name: string;
  legalBasis: string;
  matters: Matter[];
  holderCategories: string[];
  publicity: boolean;
  issuingDeptIds: string[];
};

/** Departments the actor manages (catalog.manage) that keep this list: active issuing / using ones. */
export async function manageableDepts(actor: Actor, list: ListKind): Promise<DeptOption[]> {
  if (!hasPermission(actor, "catalog.manage")) return [];
  const rows = await db().department.findMany({
    where: { AND: [departmentWhere(actor, "catalog.manage"), { status: "ACTIVE" }, list === "ISSUANCE" ? { isIssuing: true } : { isUsing: true }] },
    select: { id: true, name: true, uscc: true, path: true },
    orderBy: [{ path: "asc" }],
  });
  const top = Math.min(...rows.map((d) => d.path.split("/").length), Infinity);
  return rows.map((d) => ({ id: d.id, name: d.name, uscc: d.uscc, depth: d.path.split("/").length - top }));
}

/** Released, not retired types with what their released version says, to prefill an entry. */
export async function releasedTypeOptions(): Promise<TypeOption[]> {
  const types = await db().licenceType.findMany({
    where: { releasedVersion: { not: null }, retiredAt: null },
    select: { id: true, typeCode: true, name: true, releasedVersion: true },
    orderBy: [{ name: "asc" }, { id: "asc" }],
    take: 2000,
  });
  if (!types.length) return [];
  const versions = await db().licenceTypeVersion.findMany({
    where: { OR: types.map((t) => ({ typeId: t.id, number: t.releasedVersion! })) },
    select: { typeId: true, legalBasis: true, matters: true, holderCategories: true, publicity: true, issuingDeptIds: true },
  });
  return types.flatMap((t) => {
    const v = versions.find((x) => x.typeId === t.id);
    if (!v) return [];
    return [{ id: t.id, typeCode: t.typeCode, name: t.name, legalBasis: v.legalBasis, matters: v.matters as Matter[], holderCategories: v.holderCategories, publicity: v.publicity, issuingDeptIds: v.issuingDeptIds }];
  });
}

/** Everything the entry dialog needs: the departments the actor may put entries for, and the types. */
export async function listFormOptions(actor: Actor, list: ListKind): Promise<{ depts: DeptOption[]; types: TypeOption[] }> {
  const depts = await manageableDepts(actor, list);
  return { depts, types: depts.length ? await releasedTypeOptions() : [] };
}
