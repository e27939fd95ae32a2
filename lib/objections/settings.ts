// Objection deadlines per region (O-02, O-03): the working days within which an issuing
// department marks (default 1) and resolves (default 5) an objection. A row for the province
// (e.g. 510000) is the default of every city; a city's own row (510100) overrides it. Maintained
// by the system administrator (calendar.manage); the objection service reads `objectionDays`
// at receipt and stores the resulting deadlines on the objection.
import "server-only";
import { db, withTx, type Db, type Tx } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { appendAudit } from "@/lib/audit/log";
import { auditActorOf, type Actor } from "@/lib/auth/session";
import { departmentScope, departmentWhere, requirePermission } from "@/lib/auth/permissions";
import type { ObjectionSettingInput, ObjectionSettingResetInput } from "@/lib/calendar/schema";

export const DEFAULT_MARK_DAYS = 1;
export const DEFAULT_RESOLVE_DAYS = 5;

const AREA = /^\d{6}$/;

/**
 * The region of a department's area code: its city (510104 → 510100); a province-level code
 * (ending in 0000) is the province itself.
 */
export function regionOf(areaCode: string): string {
  if (!AREA.test(areaCode)) throw new RangeError(`not an area code: ${areaCode}`);
  return areaCode.endsWith("0000") ? areaCode : `${areaCode.slice(0, 4)}00`;
}

/** The province of an area code: 510104 → 510000. */
export function provinceCodeOf(areaCode: string): string {
  if (!AREA.test(areaCode)) throw new RangeError(`not an area code: ${areaCode}`);
  return `${areaCode.slice(0, 2)}0000`;
}

export const isProvinceCode = (code: string) => code.endsWith("0000");

/**
 * The working days to mark and to resolve an objection about a licence of a department in
 * `issuerAreaCode`: the city's own setting, else the province's, else 1 and 5; `regionCode`
 * names the row that applied (the province's code when none did).
 */
export async function objectionDays(tx: Db | Tx, issuerAreaCode: string): Promise<{ regionCode: string; markDays: number; resolveDays: number }> {
  const region = regionOf(issuerAreaCode);
  const province = provinceCodeOf(issuerAreaCode);
  const rows = await tx.objectionSetting.findMany({ where: { areaCode: { in: [...new Set([region, province])] } }, select: { areaCode: true, markDays: true, resolveDays: true } });
  const row = rows.find((r) => r.areaCode === region) ?? rows.find((r) => r.areaCode === province);
  if (row) return { regionCode: row.areaCode, markDays: row.markDays, resolveDays: row.resolveDays };
  return { regionCode: province, markDays: DEFAULT_MARK_DAYS, resolveDays: DEFAULT_RESOLVE_DAYS };
}

export type SettingSource = "OWN" | "PROVINCE" | "DEFAULT";
export type ObjectionSettingRow = {
  areaCode: string;
  /** the region's first department, by level then name: "成都市人民政府" */
  label: string;
  province: boolean;
  departments: number;
  markDays: number;
  resolveDays: number;
  /** OWN: the region's own row; PROVINCE: the province's row applies; DEFAULT: no row, 1 and 5 */
  source: SettingSource;
  rev: number | null;
  updatedAt: string | null;
  updatedBy: string | null;
  editable: boolean;
};

const LEVEL_ORDER = { PROVINCE: 0, CITY: 1, COUNTY: 2 } as const;

/** Regions the actor may change: every region with a province-wide grant, else their own department's city. */
async function editableRegions(actor: Actor): Promise<Set<string> | "ALL"> {
  if (departmentScope(actor, "calendar.manage") === undefined) return "ALL";
  const depts = await db().department.findMany({ where: departmentWhere(actor, "calendar.manage"), select: { areaCode: true } });
  return new Set(depts.map((d) => regionOf(d.areaCode)).filter((r) => !isProvinceCode(r)));
}

/** Every province and city that has departments (or a setting), with the deadlines that apply there. */
export async function listObjectionSettings(actor: Actor): Promise<ObjectionSettingRow[]> {
  requirePermission(actor, "calendar.manage");
  const [depts, settings, editable] = await Promise.all([
    db().department.findMany({ where: { status: "ACTIVE" }, select: { name: true, areaCode: true, level: true } }),
    db().objectionSetting.findMany(),
    editableRegions(actor),
  ]);
  const users = await db().user.findMany({ where: { id: { in: settings.map((s) => s.updatedById).filter((x): x is string => !!x) } }, select: { id: true, name: true, username: true } });
  const userName = new Map(users.map((u) => [u.id, `${u.name}(${u.username})`]));
  const regions = new Map<string, { label: string; rank: number; departments: number }>();
  const note = (code: string) => {
    if (!regions.has(code)) regions.set(code, { label: "", rank: 99, departments: 0 });
    return regions.get(code)!;
  };
  for (const d of depts) {
    if (!AREA.test(d.areaCode)) continue;
    const code = regionOf(d.areaCode);
    const r = note(code);
    r.departments++;
    // the region's own top department names it: a city-level one coded exactly as the region first
    const rank = (d.areaCode === code ? 0 : 10) + LEVEL_ORDER[d.level];
    if (rank < r.rank || (rank === r.rank && d.name < r.label)) Object.assign(r, { label: d.name, rank });
    note(provinceCodeOf(d.areaCode));
  }
  for (const s of settings) note(s.areaCode);
  const byCode = new Map(settings.map((s) => [s.areaCode, s]));
  const rows = [...regions.entries()].map(([code, r]): ObjectionSettingRow => {
    const own = byCode.get(code);
    const prov = byCode.get(provinceCodeOf(code));
    const applied = own ?? prov;
    return {
      areaCode: code,
      label: r.label || (isProvinceCode(code) ? "全省" : "（该区域暂无部门）"),
      province: isProvinceCode(code),
      departments: r.departments,
      markDays: applied?.markDays ?? DEFAULT_MARK_DAYS,
      resolveDays: applied?.resolveDays ?? DEFAULT_RESOLVE_DAYS,
      source: own ? "OWN" : prov && !isProvinceCode(code) ? "PROVINCE" : "DEFAULT",
      rev: own?.rev ?? null,
      updatedAt: own?.updatedAt.toISOString() ?? null,
      updatedBy: own?.updatedById ? (userName.get(own.updatedById) ?? null) : null,
      editable: editable === "ALL" || editable.has(code),
    };
  });
  // each province first, then its cities by code
  return rows.sort((a, b) => (provinceCodeOf(a.areaCode) === provinceCodeOf(b.areaCode) ? Number(b.province) - Number(a.province) || a.areaCode.localeCompare(b.areaCode) : a.areaCode.localeCompare(b.areaCode)));
}

async function checkRegion(actor: Actor, areaCode: string) {
  requirePermission(actor, "calendar.manage");
  const known = isProvinceCode(areaCode)
    ? await db().department.findFirst({ where: { areaCode: { startsWith: areaCode.slice(0, 2) }, status: "ACTIVE" }, select: { id: true } })
    : await db().department.findFirst({ where: { areaCode: { startsWith: areaCode.slice(0, 4) }, status: "ACTIVE", NOT: { areaCode: { endsWith: "0000" } } }, select: { id: true } });
  if (!known) throw new AppError("INVALID_INPUT", "该区域没有部门，不能设置", { areaCode: "请选择有部门的省或市（区划代码）" });
  const editable = await editableRegions(actor);
  // out of scope reads as not found, as for any department's row (lib/auth/permissions.ts)
  if (editable !== "ALL" && !editable.has(areaCode))
    throw new AppError("NOT_FOUND", isProvinceCode(areaCode) ? "全省默认期限不在您的管辖范围内，仅省级系统管理员可以修改" : "该市不在您的管辖范围内，只能修改本部门所在市的期限");
}

/** Creates (rev null) or changes (rev as shown) a region's deadlines; audited (objection.setting). */
export async function saveObjectionSetting(actor: Actor, input: ObjectionSettingInput): Promise<{ rev: number }> {
  await checkRegion(actor, input.areaCode);
  const data = { markDays: input.markDays, resolveDays: input.resolveDays, updatedById: actor.userId };
  return withTx(async (tx) => {
    const before = await tx.objectionSetting.findUnique({ where: { areaCode: input.areaCode }, select: { markDays: true, resolveDays: true } });
    let rev: number;
    if (input.rev === null) {
      const r = await tx.objectionSetting.createMany({ data: [{ areaCode: input.areaCode, ...data }], skipDuplicates: true });
      if (r.count !== 1) throw new AppError("CONFLICT", "该区域的期限刚被他人设置，请刷新后再修改");
      rev = 0;
    } else {
      const r = await tx.objectionSetting.updateMany({ where: { areaCode: input.areaCode, rev: input.rev }, data: { ...data, rev: { increment: 1 } } });
      if (r.count !== 1) throw new AppError("CONFLICT", "该区域的期限已被他人修改，请刷新后再修改");
      rev = input.rev + 1;
    }
    await appendAudit(
      tx,
      auditActorOf(actor),
      {
        action: "objection.setting",
        areaCode: input.areaCode,
        markDays: input.markDays,
        resolveDays: input.resolveDays,
        change: input.rev === null ? "CREATE" : "UPDATE",
        previousMarkDays: before?.markDays ?? null,
        previousResolveDays: before?.resolveDays ?? null,
      },
      { type: "ObjectionSetting", id: input.areaCode },
    );
    return { rev };
  });
}

/** Removes a city's own deadlines, so the province's apply again; audited with the values that now apply. */
export async function resetObjectionSetting(actor: Actor, input: ObjectionSettingResetInput): Promise<void> {
  await checkRegion(actor, input.areaCode);
  if (isProvinceCode(input.areaCode)) throw new AppError("INVALID_INPUT", "全省默认期限不能删除，只能修改", { areaCode: "全省默认期限不能删除" });
  await withTx(async (tx) => {
    const before = await tx.objectionSetting.findUnique({ where: { areaCode: input.areaCode }, select: { markDays: true, resolveDays: true } });
    const r = await tx.objectionSetting.deleteMany({ where: { areaCode: input.areaCode, rev: input.rev } });
    if (r.count !== 1) throw new AppError("CONFLICT", "该区域的期限已被他人修改，请刷新后再操作");
    const now = await objectionDays(tx, input.areaCode);
    await appendAudit(
      tx,
      auditActorOf(actor),
      { action: "objection.setting", areaCode: input.areaCode, markDays: now.markDays, resolveDays: now.resolveDays, change: "RESET", previousMarkDays: before?.markDays ?? null, previousResolveDays: before?.resolveDays ?? null },
      { type: "ObjectionSetting", id: input.areaCode },
    );
  });
}
