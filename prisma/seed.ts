// Demo data (issue 2): a province with two cities and their counties, the departments the portal
// needs, and one user for every role. Idempotent: rows are created only when missing.
// Seeded only by the embedded default or when CERTSEAL_DEMO=1 (scripts/start.ts decides).
import { usccCheckChar } from "@/lib/validation/codes";
import { hashPassword } from "@/lib/auth/passwords";
import { defaultScope, type RoleName } from "@/lib/auth/permissions";
import { db, withTx, type Tx } from "@/lib/db";
import { appendAudit } from "@/lib/audit/log";
import { actorOf } from "@/lib/auth/session";

export const DEMO_PASSWORD = "Demo@2026!";

export function demoUscc(area: string, org: number): string {
  const first17 = `11${area}${String(org).padStart(9, "0")}`;
  return first17 + usccCheckChar(first17);
}

type DeptSeed = {
  key: string;
  parent?: string;
  name: string;
  area: string;
  level: "PROVINCE" | "CITY" | "COUNTY";
  kind?: "AGENCY" | "INSTITUTION" | "OTHER";
  parts?: Partial<Record<"isIssuing" | "isUsing" | "isManagement" | "isSealMaking", boolean>>;
  staff?: { name: string; duty: string; phone: string }[];
};

export const DEMO_DEPARTMENTS: DeptSeed[] = [
  { key: "gov", name: "四川省人民政府", area: "510000", level: "PROVINCE" },
  { key: "bigdata", parent: "gov", name: "四川省大数据中心", area: "510000", level: "PROVINCE", kind: "INSTITUTION", parts: { isManagement: true },
    staff: [{ name: "周明", duty: "电子证照工作负责人", phone: "028-86000001" }] },
  { key: "samr", parent: "gov", name: "四川省市场监督管理局", area: "510000", level: "PROVINCE", parts: { isIssuing: true, isUsing: true },
    staff: [{ name: "李华", duty: "电子证照业务专人", phone: "028-86000002" }, { name: "陈静", duty: "印章保管人", phone: "028-86000003" }] },
  { key: "housing", parent: "gov", name: "四川省住房和城乡建设厅", area: "510000", level: "PROVINCE", parts: { isIssuing: true } },
  { key: "police", parent: "gov", name: "四川省公安厅", area: "510000", level: "PROVINCE", parts: { isSealMaking: true },
    staff: [{ name: "王强", duty: "印章制发审核专人", phone: "028-86000004" }] },
  { key: "tax", parent: "gov", name: "国家税务总局四川省税务局", area: "510000", level: "PROVINCE", parts: { isUsing: true } },
  { key: "cd", parent: "gov", name: "成都市人民政府", area: "510100", level: "CITY" },
  { key: "cd-samr", parent: "cd", name: "成都市市场监督管理局", area: "510100", level: "CITY", parts: { isIssuing: true } },
  { key: "cd-jj", parent: "cd", name: "成都市锦江区人民政府", area: "510104", level: "COUNTY" },
  { key: "cd-jj-samr", parent: "cd-jj", name: "成都市锦江区市场监督管理局", area: "510104", level: "COUNTY", parts: { isIssuing: true } },
  { key: "cd-wh", parent: "cd", name: "成都市武侯区人民政府", area: "510107", level: "COUNTY" },
  { key: "my", parent: "gov", name: "绵阳市人民政府", area: "510700", level: "CITY" },
  { key: "my-fc", parent: "my", name: "绵阳市涪城区人民政府", area: "510703", level: "COUNTY" },
  { key: "my-yx", parent: "my", name: "绵阳市游仙区人民政府", area: "510704", level: "COUNTY" },
];

export const DEMO_USERS: { username: string; name: string; dept: string; role: RoleName }[] = [
  { username: "sysadmin", name: "赵系统", dept: "bigdata", role: "SYSTEM_ADMIN" },
  { username: "secadmin", name: "钱安全", dept: "bigdata", role: "SECURITY_ADMIN" },
  { username: "auditadmin", name: "孙审计", dept: "bigdata", role: "AUDIT_ADMIN" },
  { username: "catalog", name: "李目录", dept: "bigdata", role: "CATALOG_ADMIN" },
  { username: "issuer", name: "周发证", dept: "samr", role: "ISSUER_OPERATOR" },
  { username: "userdept", name: "吴用证", dept: "tax", role: "USING_OPERATOR" },
  { username: "applicant", name: "郑申请", dept: "samr", role: "SEAL_APPLICANT" },
  { username: "approver1", name: "王审批", dept: "samr", role: "SEAL_APPROVER" },
  { username: "approver2", name: "冯审批", dept: "samr", role: "SEAL_APPROVER" },
  { username: "custodian", name: "陈保管", dept: "samr", role: "SEAL_CUSTODIAN" },
  { username: "maker", name: "褚制章", dept: "police", role: "SEAL_MAKER_REVIEWER" },
  { username: "supervisor", name: "卫监督", dept: "bigdata", role: "SUPERVISOR" },
];

const SYSTEM_ACTOR = { id: null, name: "system", role: "-", dept: "-", ip: null, userAgent: null };

async function ensureDept(tx: Tx, d: DeptSeed, parent: { id: string; path: string } | null, org: number) {
  const uscc = demoUscc(d.area, org);
  const existing = await tx.department.findUnique({ where: { uscc } });
  if (existing) return { row: existing, created: false };
  const id = crypto.randomUUID();
  const row = await tx.department.create({
    data: {
      id,
      parentId: parent?.id ?? null,
      path: `${parent?.path ?? "/"}${id}/`,
      name: d.name,
      uscc,
      areaCode: d.area,
      level: d.level,
      kind: d.kind ?? "AGENCY",
      sortOrder: org,
      ...d.parts,
      staff: d.staff ? { create: d.staff } : undefined,
    },
  });
  return { row, created: true };
}

/** Seeds the demo; returns how many rows it created (0 on a second run). */
export async function seedDemo(): Promise<number> {
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  return withTx(async (tx) => {
    let created = 0;
    const byKey = new Map<string, { id: string; path: string; level: "PROVINCE" | "CITY" | "COUNTY" }>();
    for (const [i, d] of DEMO_DEPARTMENTS.entries()) {
      const parent = d.parent ? byKey.get(d.parent)! : null;
      const r = await ensureDept(tx, d, parent, i + 1);
      if (r.created) created++;
      byKey.set(d.key, { id: r.row.id, path: r.row.path, level: r.row.level });
    }
    for (const u of DEMO_USERS) {
      if (await tx.user.findUnique({ where: { username: u.username } })) continue;
      const dept = byKey.get(u.dept)!;
      const now = new Date();
      await tx.user.create({
        data: {
          username: u.username,
          name: u.name,
          departmentId: dept.id,
          passwordHash,
          passwordChangedAt: now,
          mustChangePassword: false,
          roles: { create: { role: u.role, scope: defaultScope(u.role, dept.level) } },
          passwords: { create: { hash: passwordHash } },
        },
      });
      created++;
    }
    if (created > 0) await appendAudit(tx, SYSTEM_ACTOR, { action: "system.seed", created }, { type: "System", id: "demo" });
    return created;
  });
}

export async function disconnect() {
  await db().$disconnect();
}

/**
 * Demo seals (issue 3): an active 法定名称章 and 合同专用章 for the provincial market-regulation
 * bureau, made through the real lifecycle (apply → review → produce → file), so the demo shows
 * pictures, certificates and SES structures. Idempotent: skipped once the bureau has seals.
 */
export async function seedDemoSeals(): Promise<number> {
  const { applySeal, startReview, produceSeal } = await import("@/lib/seals/service");
  const { runFiling } = await import("@/lib/seals/filing");
  const bureau = await db().department.findUnique({ where: { uscc: demoUscc("510000", 3) } });
  if (!bureau || (await db().seal.count({ where: { holderDeptId: bureau.id } })) > 0) return 0;
  const load = async (username: string) => {
    const u = await db().user.findUniqueOrThrow({ where: { username }, include: { department: true, roles: true } });
    return actorOf(u, { sessionId: "seed".padEnd(64, "0"), mustChangePassword: null, ip: null, userAgent: "seed" });
  };
  const applicant = await load("applicant");
  const maker = await load("maker");
  const custodian = await db().user.findUniqueOrThrow({ where: { username: "custodian" } });
  let n = 0;
  for (const s of [
    { kind: "LEGAL_NAME" as const, businessType: null, name: bureau.name, physicalRef: "SC510000-0001" },
    { kind: "BUSINESS" as const, businessType: "CONTRACT" as const, name: bureau.name, physicalRef: "SC510000-0002" },
  ]) {
    const { id } = await applySeal(applicant, { holderDeptId: bureau.id, positionType: null, holderPersonName: "", useMode: "CENTRALISED", applyReason: "演示数据：启用电子印章", ...s }, []);
    await startReview(maker, id);
    await produceSeal(maker, { sealId: id, validYears: 2, protectionPassword: "" });
    await runFiling(id);
    await db().sealCustodian.create({ data: { sealId: id, userId: custodian.id } });
    n++;
  }
  return n;
}

/**
 * Demo approval flows (issue 4): the bureau's default flow for its official and contract seals —
 * department head, then the leader in charge, then (centralised use) the custodian's confirmation.
 * Idempotent: a flow that exists is left as it is.
 */
export async function seedDemoFlows(): Promise<number> {
  const { saveFlow, deptFlowKey } = await import("@/lib/seal-use/flows");
  const bureau = await db().department.findUnique({ where: { uscc: demoUscc("510000", 3) } });
  if (!bureau) return 0;
  const load = async (username: string) => {
    const u = await db().user.findUniqueOrThrow({ where: { username }, include: { department: true, roles: true } });
    return { user: u, actor: actorOf(u, { sessionId: "seed".padEnd(64, "0"), mustChangePassword: null, ip: null, userAgent: "seed" }) };
  };
  const { actor } = await load("applicant");
  const head = (await load("approver1")).user;
  const leader = (await load("approver2")).user;
  let n = 0;
  for (const kind of ["LEGAL_NAME", "BUSINESS"] as const) {
    if (await db().approvalFlow.findUnique({ where: { scopeKey: deptFlowKey(bureau.id, kind) } })) continue;
    await saveFlow(actor, {
      holderDeptId: bureau.id,
      sealKind: kind,
      sealId: null,
      name: kind === "LEGAL_NAME" ? "公章用印审批" : "合同专用章用印审批",
      steps: [
        { name: "部门负责人审批", mode: "ANY", approvers: [{ type: "USER", userId: head.id }] },
        { name: "分管领导审批", mode: "ANY", approvers: [{ type: "USER", userId: leader.id }] },
      ],
      note: "演示数据：按实物印章用印审批流程配置",
      baseVersion: 0,
    });
    n++;
  }
  return n;
}
