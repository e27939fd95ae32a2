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

export const DEMO_USERS: { username: string; name: string; dept: string; role: RoleName; scope?: "OWN" | "SUBTREE" | "PROVINCE"; also?: RoleName }[] = [
  { username: "sysadmin", name: "赵系统", dept: "bigdata", role: "SYSTEM_ADMIN" },
  { username: "secadmin", name: "钱安全", dept: "bigdata", role: "SECURITY_ADMIN" },
  { username: "auditadmin", name: "孙审计", dept: "bigdata", role: "AUDIT_ADMIN" },
  // the management department's catalog administrator reviews and releases the whole province's catalog
  { username: "catalog", name: "李目录", dept: "bigdata", role: "CATALOG_ADMIN", scope: "PROVINCE" },
  // an issuing department's catalog administrator proposes its own types and keeps its lists
  { username: "catalogsamr", name: "何目录", dept: "samr", role: "CATALOG_ADMIN" },
  { username: "issuer", name: "周发证", dept: "samr", role: "ISSUER_OPERATOR" },
  { username: "userdept", name: "吴用证", dept: "tax", role: "USING_OPERATOR" },
  { username: "applicant", name: "郑申请", dept: "samr", role: "SEAL_APPLICANT" },
  { username: "approver1", name: "王审批", dept: "samr", role: "SEAL_APPROVER" },
  { username: "approver2", name: "冯审批", dept: "samr", role: "SEAL_APPROVER" },
  { username: "custodian", name: "陈保管", dept: "samr", role: "SEAL_CUSTODIAN" },
  { username: "sealadmin", name: "孔印管", dept: "samr", role: "SEAL_ADMIN" },
  { username: "maker", name: "褚制章", dept: "police", role: "SEAL_MAKER_REVIEWER" },
  // the provincial supervisor also applies for the management department's seal on the reports it
  // writes (V-04 through S-10); the centre's approver and the seal's custodian take it from there
  { username: "supervisor", name: "卫监督", dept: "bigdata", role: "SUPERVISOR", also: "SEAL_APPLICANT" },
  { username: "bdapprover", name: "许审批", dept: "bigdata", role: "SEAL_APPROVER" },
  { username: "bdcustodian", name: "吕保管", dept: "bigdata", role: "SEAL_CUSTODIAN" },
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
      const dept = byKey.get(u.dept)!;
      const existing = await tx.user.findUnique({ where: { username: u.username }, include: { roles: true } });
      if (existing) {
        // a demo database from before a role was added to a demo user
        if (u.also && !existing.roles.some((r) => r.role === u.also)) {
          await tx.userRole.create({ data: { userId: existing.id, role: u.also, scope: defaultScope(u.also, dept.level) } });
          created++;
        }
        continue;
      }
      const now = new Date();
      await tx.user.create({
        data: {
          username: u.username,
          name: u.name,
          departmentId: dept.id,
          passwordHash,
          passwordChangedAt: now,
          mustChangePassword: false,
          roles: { create: [{ role: u.role, scope: u.scope ?? defaultScope(u.role, dept.level) }, ...(u.also ? [{ role: u.also, scope: defaultScope(u.also, dept.level) }] : [])] },
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
  return n + (await seedDemoManagementSeal());
}

/**
 * The provincial management department's 法定名称章 (issue 8, V-04): the supervision reports are
 * signed with it. Applied for on the department's behalf by its system administrator acting as
 * the department's seal applicant (the demo has no separate applicant there), then reviewed,
 * produced and filed by the seal maker like any other. Idempotent.
 */
export async function seedDemoManagementSeal(): Promise<number> {
  const { applySeal, startReview, produceSeal } = await import("@/lib/seals/service");
  const { runFiling } = await import("@/lib/seals/filing");
  const dept = await db().department.findFirst({ where: { isManagement: true, level: "PROVINCE", status: "ACTIVE" }, orderBy: { createdAt: "asc" } });
  if (!dept || (await db().seal.count({ where: { holderDeptId: dept.id } })) > 0) return 0;
  const load = async (username: string) => {
    const u = await db().user.findUniqueOrThrow({ where: { username }, include: { department: true, roles: true } });
    return actorOf(u, { sessionId: "seed".padEnd(64, "0"), mustChangePassword: null, ip: null, userAgent: "seed" });
  };
  const sys = await load("sysadmin");
  const applicant = { ...sys, roles: [{ role: "SEAL_APPLICANT" as const, scope: "OWN" as const }] };
  const maker = await load("maker");
  const { id } = await applySeal(applicant, { holderDeptId: dept.id, kind: "LEGAL_NAME", businessType: null, name: dept.name, physicalRef: "SC510000-0100", positionType: null, holderPersonName: "", useMode: "CENTRALISED", applyReason: "演示数据：监督报告加盖电子印章" }, []);
  await startReview(maker, id);
  await produceSeal(maker, { sealId: id, validYears: 2, protectionPassword: "" });
  await runFiling(id);
  return 1;
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
  const { actor } = await load("sealadmin");
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
  return n + (await seedDemoManagementFlow());
}

/**
 * The management department's seal use (V-04 through S-10): its 法定名称章 is approved by the
 * centre's approver, and kept and applied by its custodian, so the supervisor's reports can be
 * sealed in the demo. Idempotent: the flow and the custodian are each added once.
 */
async function seedDemoManagementFlow(): Promise<number> {
  const { saveFlow, deptFlowKey } = await import("@/lib/seal-use/flows");
  const dept = await db().department.findFirst({ where: { isManagement: true, level: "PROVINCE", status: "ACTIVE" }, orderBy: { createdAt: "asc" } });
  const seal = dept && (await db().seal.findFirst({ where: { holderDeptId: dept.id, kind: "LEGAL_NAME", status: "ACTIVE" }, orderBy: { createdAt: "asc" } }));
  if (!dept || !seal) return 0;
  let n = 0;
  const custodian = await db().user.findUniqueOrThrow({ where: { username: "bdcustodian" } });
  if (!(await db().sealCustodian.findFirst({ where: { sealId: seal.id } }))) await db().sealCustodian.create({ data: { sealId: seal.id, userId: custodian.id } });
  if (!(await db().approvalFlow.findUnique({ where: { scopeKey: deptFlowKey(dept.id, "LEGAL_NAME") } }))) {
    // set up on the centre's behalf by its system administrator acting as seal administrator (the demo has none there)
    const u = await db().user.findUniqueOrThrow({ where: { username: "sysadmin" }, include: { department: true, roles: true } });
    const admin = { ...actorOf(u, { sessionId: "seed".padEnd(64, "0"), mustChangePassword: null, ip: null, userAgent: "seed" }), roles: [{ role: "SEAL_ADMIN" as const, scope: "OWN" as const }] };
    const approver = await db().user.findUniqueOrThrow({ where: { username: "bdapprover" } });
    await saveFlow(admin, {
      holderDeptId: dept.id,
      sealKind: "LEGAL_NAME",
      sealId: null,
      name: "中心公章用印审批",
      steps: [{ name: "中心负责人审批", mode: "ANY", approvers: [{ type: "USER", userId: approver.id }] }],
      note: "演示数据：监督报告等文件加盖中心公章",
      baseVersion: 0,
    });
    n++;
  }
  return n;
}

/**
 * Demo catalog (issue 5): realistic licence types proposed by the market-regulation bureau and the
 * housing department and released by the management department (大数据中心), a few still in draft
 * or under review, and the demo departments' issuance and use lists. Idempotent: skipped once any
 * licence type exists.
 */
export async function seedDemoCatalog(): Promise<number> {
  if ((await db().licenceType.count()) > 0) return 0;
  const { createType, batch } = await import("@/lib/catalog/service");
  const { saveIssuanceEntry, saveUseEntry } = await import("@/lib/catalog/lists");
  const { typeContent } = await import("@/lib/catalog/schema");
  const byKey = async (key: string) => {
    const d = DEMO_DEPARTMENTS.find((x) => x.key === key)!;
    return db().department.findFirstOrThrow({ where: { name: d.name } });
  };
  const load = async (username: string) => {
    const u = await db().user.findUniqueOrThrow({ where: { username }, include: { department: true, roles: true } });
    return actorOf(u, { sessionId: "seed".padEnd(64, "0"), mustChangePassword: null, ip: null, userAgent: "seed" });
  };
  const proposer = await load("catalogsamr");
  const reviewer = await load("catalog");
  const [samr, cdSamr, jjSamr, housing, tax] = await Promise.all(["samr", "cd-samr", "cd-jj-samr", "housing", "tax"].map(byKey));
  const samrSeals = await db().seal.findMany({ where: { holderDeptId: samr.id, status: "ACTIVE" }, orderBy: { createdAt: "asc" }, select: { id: true } });
  // 国家市场监督管理总局-style national defining authority code for the demo (check character computed)
  const national = (org: string) => `${org}${usccCheckChar(org)}`;
  const samrAuthority = national("11100000MB0143028");
  const housingAuthority = national("11100000000019657");
  const field = (key: string, label: string, type: string, extra: Record<string, unknown> = {}) => ({ key, label, type, required: true, sensitive: false, ...extra });

  type Demo = { code: string; owner: typeof samr; state: "RELEASED" | "UNDER_REVIEW" | "DRAFT"; content: Record<string, unknown> };
  const common = { legalBasis: "", sharing: "UNCONDITIONAL", sharingConditions: "", publicity: false, sealIds: samrSeals.slice(0, 1).map((s) => s.id), allowMultiple: false };
  const demos: Demo[] = [
    {
      code: `${samrAuthority}001`,
      owner: samr,
      state: "RELEASED",
      content: {
        ...common,
        name: "营业执照",
        definingAuthority: "国家市场监督管理总局",
        definingAuthorityCode: samrAuthority,
        category: "LICENCE",
        holderCategories: ["LEGAL_PERSON", "UNINCORPORATED"],
        holderCodeTypes: ["001"],
        validity: { kind: "PERMANENT" },
        legalBasis: "《中华人民共和国市场主体登记管理条例》第二十一条",
        matters: [{ name: "企业设立登记", code: "SC-SJ-0001" }, { name: "企业变更登记", code: "SC-SJ-0002" }],
        publicity: true,
        issuingDeptIds: [samr.id, cdSamr.id, jjSamr.id],
        numberRule: "{area}{year}{seq:8}",
        faceLayout: "LANDSCAPE_LICENCE",
        faceFields: [
          field("name", "名称", "TEXT", { maxLength: 100 }),
          field("uscc", "统一社会信用代码", "USCC"),
          field("entityType", "类型", "ENUM", { options: ["有限责任公司", "股份有限公司", "个人独资企业", "合伙企业", "个体工商户"] }),
          field("legalRep", "法定代表人", "TEXT", { sensitive: true, maxLength: 50 }),
          field("capital", "注册资本（万元）", "NUMBER", { required: false, min: 0, max: 100000000, decimals: 2 }),
          field("establishedOn", "成立日期", "DATE"),
          field("term", "营业期限", "DATE_RANGE", { required: false }),
          field("address", "住所", "ADDRESS"),
          field("scope", "经营范围", "TEXT", { maxLength: 2000 }),
        ],
      },
    },
    {
      code: `${samrAuthority}014`,
      owner: samr,
      state: "RELEASED",
      content: {
        ...common,
        name: "食品经营许可证",
        definingAuthority: "国家市场监督管理总局",
        definingAuthorityCode: samrAuthority,
        category: "CERTIFICATE",
        holderCategories: ["LEGAL_PERSON", "UNINCORPORATED", "NATURAL_PERSON"],
        holderCodeTypes: ["001", "111"],
        validity: { kind: "YEARS", n: 5 },
        legalBasis: "《中华人民共和国食品安全法》第三十五条；《食品经营许可和备案管理办法》",
        matters: [{ name: "食品经营许可", code: "SC-SJ-0101" }],
        sharing: "CONDITIONAL",
        sharingConditions: "用于食品安全监管、政务服务办理，须经持证人授权或依职能使用",
        issuingDeptIds: [samr.id, cdSamr.id],
        numberRule: "JY{area}{seq:8}",
        faceLayout: "PORTRAIT_CERT",
        faceFields: [
          field("operator", "经营者名称", "TEXT", { maxLength: 100 }),
          // a USCC for organisations and individual businesses, a citizen ID number for natural persons
          field("uscc", "社会信用代码（身份证号码）", "TEXT", { minLength: 18, maxLength: 18 }),
          field("legalRep", "法定代表人（负责人）", "TEXT", { sensitive: true, maxLength: 50 }),
          field("address", "住所", "ADDRESS"),
          field("premises", "经营场所", "ADDRESS"),
          field("format", "主体业态", "ENUM", { options: ["食品销售经营者", "餐饮服务经营者", "单位食堂"] }),
          field("items", "经营项目", "TEXT", { maxLength: 500 }),
          field("phone", "投诉举报电话", "PHONE", { required: false }),
        ],
      },
    },
    {
      code: `${housingAuthority}003`,
      owner: housing,
      state: "UNDER_REVIEW",
      content: {
        ...common,
        sealIds: [],
        name: "建筑施工企业安全生产许可证",
        definingAuthority: "中华人民共和国住房和城乡建设部",
        definingAuthorityCode: housingAuthority,
        category: "CERTIFICATE",
        holderCategories: ["LEGAL_PERSON"],
        holderCodeTypes: ["001"],
        validity: { kind: "YEARS", n: 3 },
        legalBasis: "《安全生产许可证条例》第二条；《建筑施工企业安全生产许可证管理规定》",
        matters: [{ name: "建筑施工企业安全生产许可证核发", code: "SC-ZJ-0301" }],
        issuingDeptIds: [housing.id],
        numberRule: "（川）JZ安许证字〔{year}〕{seq:6}",
        faceLayout: "PORTRAIT_CERT",
        faceFields: [
          field("company", "单位名称", "TEXT", { maxLength: 100 }),
          field("uscc", "统一社会信用代码", "USCC"),
          field("principal", "主要负责人", "TEXT", { sensitive: true }),
          field("address", "单位地址", "ADDRESS"),
          field("econType", "经济类型", "ENUM", { options: ["有限责任公司", "股份有限公司", "国有企业", "其他"] }),
          field("scope", "许可范围", "TEXT", { maxLength: 200 }),
          field("term", "有效期", "DATE_RANGE"),
        ],
      },
    },
    {
      code: `${housingAuthority}011`,
      owner: housing,
      state: "DRAFT",
      content: {
        ...common,
        sealIds: [],
        name: "不动产权证书",
        definingAuthority: "中华人民共和国自然资源部",
        definingAuthorityCode: housingAuthority,
        category: "CERTIFICATE",
        holderCategories: ["NATURAL_PERSON", "LEGAL_PERSON", "UNINCORPORATED"],
        holderCodeTypes: ["111", "001", "516", "511", "414"],
        validity: { kind: "PERMANENT" },
        legalBasis: "《不动产登记暂行条例》第二十一条",
        matters: [{ name: "国有建设用地使用权及房屋所有权首次登记", code: "SC-ZR-0501" }],
        issuingDeptIds: [housing.id],
        numberRule: "川（{year}）{area}不动产权第{seq:7}号",
        faceLayout: "PORTRAIT_CERT",
        faceFields: [
          field("owner", "权利人", "TEXT", { sensitive: true }),
          field("coOwnership", "共有情况", "ENUM", { options: ["单独所有", "共同共有", "按份共有"] }),
          field("location", "坐落", "ADDRESS"),
          field("unitNo", "不动产单元号", "TEXT", { minLength: 28, maxLength: 28 }),
          field("rightType", "权利类型", "ENUM", { options: ["国有建设用地使用权/房屋所有权", "宅基地使用权/房屋所有权", "土地承包经营权"] }),
          field("use", "用途", "TEXT", { maxLength: 50 }),
          field("area", "面积（平方米）", "NUMBER", { min: 0, max: 10000000, decimals: 2 }),
          field("term", "使用期限", "DATE_RANGE", { required: false }),
        ],
      },
    },
    {
      code: `${samrAuthority}090`,
      owner: samr,
      state: "UNDER_REVIEW",
      content: {
        ...common,
        name: "个体工商户登记证明",
        definingAuthority: "国家市场监督管理总局",
        definingAuthorityCode: samrAuthority,
        category: "PROOF",
        holderCategories: ["NATURAL_PERSON"],
        holderCodeTypes: ["111"],
        validity: { kind: "MONTHS", n: 6 },
        legalBasis: "《促进个体工商户发展条例》",
        matters: [{ name: "个体工商户登记信息查询证明", code: "SC-SJ-0201" }],
        issuingDeptIds: [samr.id, jjSamr.id],
        numberRule: "GT{area}{year2}{seq:6}",
        faceLayout: "CARD",
        faceFields: [
          field("name", "经营者姓名", "TEXT", { sensitive: true }),
          field("idNo", "公民身份号码", "CITIZEN_ID", { sensitive: true }),
          field("shopName", "字号名称", "TEXT", { required: false }),
          field("address", "经营场所", "ADDRESS", { sensitive: true }),
          field("photo", "照片", "IMAGE", { required: false }),
        ],
      },
    },
  ];
  // the housing department's types are proposed by the management department's administrator
  const housingProposer = reviewer;
  let n = 0;
  const ids: Record<string, string> = {};
  for (const d of demos) {
    const content = typeContent.parse(d.content);
    const actor = d.owner.id === housing.id ? housingProposer : proposer;
    const { id } = await createType(actor, { typeCode: d.code, ownerDeptId: d.owner.id, content });
    ids[content.name] = id;
    if (d.state !== "DRAFT") await batch(actor, [id], "submit");
    if (d.state === "RELEASED") await batch(reviewer, [id], "release", "演示数据：审核通过");
    n++;
  }
  const today = new Date().toISOString().slice(0, 10);
  const bl = ids["营业执照"];
  const food = ids["食品经营许可证"];
  for (const [dept, typeId] of [[samr, bl], [samr, food], [cdSamr, bl], [cdSamr, food], [jjSamr, bl]] as const) {
    await saveIssuanceEntry(reviewer, {
      id: null,
      rev: 0,
      deptId: dept.id,
      typeId,
      legalBasis: typeId === bl ? "《中华人民共和国市场主体登记管理条例》第二十一条" : "《中华人民共和国食品安全法》第三十五条",
      matters: typeId === bl ? [{ name: "企业设立登记", code: "SC-SJ-0001" }] : [{ name: "食品经营许可", code: "SC-SJ-0101" }],
      holderCategory: "LEGAL_PERSON",
      aggregation: dept.id === samr.id ? "ONLINE" : "OFFLINE",
      publicity: typeId === bl,
      validFrom: today,
      validTo: "",
    });
  }
  await saveUseEntry(reviewer, { id: null, rev: 0, deptId: tax.id, typeId: bl, matterCode: "SW-0001", matterName: "新办纳税人套餐式服务", scenarios: ["VIEW", "VERIFY", "DATA"], basis: "FUNCTION", validFrom: today, validTo: "" });
  await saveUseEntry(reviewer, { id: null, rev: 0, deptId: samr.id, typeId: food, matterCode: "", matterName: "", scenarios: ["VERIFY"], basis: "FUNCTION", validFrom: today, validTo: "" });
  return n;
}

/**
 * Demo licences (issue 6): the provincial market-regulation bureau issues business licences and
 * food-business licences to a handful of realistic holders through the real issuing service
 * (identifier, number, SM2 signature with the bureau's seal). Idempotent: skipped once any
 * licence exists.
 */
export async function seedDemoLicences(): Promise<number> {
  if ((await db().licence.count()) > 0) return 0;
  const { issueLicence } = await import("@/lib/licenses/service");
  const { issueInput } = await import("@/lib/licenses/schema");
  const u = await db().user.findUnique({ where: { username: "issuer" }, include: { department: true, roles: true } });
  if (!u) return 0;
  const issuer = actorOf(u, { sessionId: "seed".padEnd(64, "0"), mustChangePassword: null, ip: null, userAgent: "seed" });
  const types = await db().licenceType.findMany({ where: { name: { in: ["营业执照", "食品经营许可证"] }, releasedVersion: { not: null } } });
  const bl = types.find((t) => t.name === "营业执照");
  const food = types.find((t) => t.name === "食品经营许可证");
  if (!bl || !food) return 0;
  const uscc = (org: string) => `${org}${usccCheckChar(org)}`;
  const local = (daysAgo: number, hh = "10:30") => {
    const d = new Date(Date.now() - daysAgo * 86_400_000 + 8 * 3600_000).toISOString().slice(0, 10);
    return `${d}T${hh}`;
  };
  const companies = [
    { name: "成都市锦江区老码头火锅餐饮有限公司", code: uscc("91510104MA6CJ7Q58"), rep: "王建国", address: "四川省成都市锦江区春熙路北段88号", format: "餐饮服务经营者", items: "热食类食品制售；冷食类食品制售", entity: "有限责任公司", capital: 500 },
    { name: "四川蜀味源食品贸易有限公司", code: uscc("91510100MA61R8K3T"), rep: "李红梅", address: "四川省成都市武侯区人民南路四段27号", format: "食品销售经营者", items: "预包装食品销售（含冷藏冷冻食品）", entity: "有限责任公司", capital: 1200 },
    { name: "绵阳市涪城区川北凉粉店", code: uscc("92510703MA68P2W1Y"), rep: "张小平", address: "四川省绵阳市涪城区临园路东段15号", format: "餐饮服务经营者", items: "小餐饮；热食类食品制售", entity: "个体工商户", capital: 10 },
    { name: "四川天府云数据科技有限公司", code: uscc("91510100MA6DGT9A4"), rep: "陈思远", address: "四川省成都市高新区天府大道中段1388号", format: "单位食堂", items: "单位食堂（职工食堂）热食类食品制售", entity: "股份有限公司", capital: 8000 },
  ];
  let n = 0;
  const issueLicenceOrSay = async (...args: Parameters<typeof issueLicence>) => {
    try {
      return await issueLicence(...args);
    } catch (e) {
      const fe = (e as { fieldErrors?: unknown }).fieldErrors;
      throw new Error(`demo licence refused: ${(e as Error).message} ${JSON.stringify(fe ?? {})}`);
    }
  };
  for (const [i, c] of companies.entries()) {
    const validDay = new Date(Date.now() - (30 + i * 40) * 86_400_000 + 8 * 3600_000).toISOString().slice(0, 10);
    await issueLicenceOrSay(
      issuer,
      issueInput.parse({
        typeId: bl.id,
        holder: { category: c.entity === "个体工商户" ? "UNINCORPORATED" : "LEGAL_PERSON", codeType: "001", code: c.code, name: c.name, contact: `1380828${String(1000 + i).slice(-4)}` },
        matterCode: "SC-SJ-0001",
        businessCompletedAt: local(30 + i * 40),
        validFrom: validDay,
        syncMode: "ONLINE",
        face: { name: c.name, uscc: c.code, entityType: c.entity, legalRep: c.rep, capital: String(c.capital), establishedOn: validDay, address: c.address, scope: c.items.includes("餐饮") || c.items.includes("食品") ? `餐饮服务；食品经营；${c.items}` : c.items },
      }),
    );
    n++;
    await issueLicenceOrSay(
      issuer,
      issueInput.parse({
        typeId: food.id,
        holder: { category: c.entity === "个体工商户" ? "UNINCORPORATED" : "LEGAL_PERSON", codeType: "001", code: c.code, name: c.name, contact: `1380828${String(1000 + i).slice(-4)}` },
        matterCode: "SC-SJ-0101",
        businessCompletedAt: local(20 + i * 30, "15:10"),
        syncMode: i === 2 ? "OFFLINE" : "ONLINE",
        face: { operator: c.name, uscc: c.code, legalRep: c.rep, address: c.address, premises: c.address, format: c.format, items: c.items, phone: "028-12345678" },
      }),
    );
    n++;
  }
  return n;
}

/**
 * Demo objections (issue 7): a holder's objection to a 食品经营许可证's premises, waiting to be
 * marked, and a tax bureau's objection to a 营业执照's address, already marked (so that licence
 * shows 异议中). Made through the objections service, so deadlines come from the holiday table.
 * Not part of the e2e seed: those tests raise their own.
 */
export async function seedDemoObjections(): Promise<number> {
  if ((await db().objection.count()) > 0) return 0;
  const { submitByDept, submitByHolder, markObjection } = await import("@/lib/objections/service");
  const load = async (username: string) => {
    const u = await db().user.findUnique({ where: { username }, include: { department: true, roles: true } });
    return u ? actorOf(u, { sessionId: "seed".padEnd(64, "0"), mustChangePassword: null, ip: null, userAgent: "seed" }) : null;
  };
  const issuer = await load("issuer");
  const userdept = await load("userdept");
  const food = await db().licence.findFirst({ where: { name: "食品经营许可证", holderName: "四川蜀味源食品贸易有限公司", status: "VALID" } });
  const bl = await db().licence.findFirst({ where: { name: "营业执照", holderName: "成都市锦江区老码头火锅餐饮有限公司", status: "VALID" } });
  if (!issuer || !userdept || !food || !bl) return 0;
  let n = 0;
  await submitByHolder(
    {
      identifier: food.identifier,
      holderCode: "91510100MA61R8K3T" + usccCheckChar("91510100MA61R8K3T"),
      applicantName: "四川蜀味源食品贸易有限公司",
      contact: "13808281001",
      fields: [{ key: "premises", expected: "四川省成都市武侯区人民南路四段27号附1号" }],
      description: "经营场所门牌号少了“附1号”，与营业执照登记地址不一致。",
    },
    [],
    { ip: null, userAgent: "seed" },
    { skipRateLimit: true },
  );
  n++;
  const { id } = await submitByDept(userdept, {
    licenceId: bl.id,
    fields: [{ key: "address", expected: "四川省成都市锦江区春熙路北段88号2层" }],
    description: "办理纳税登记时核实，企业住所应为春熙路北段88号2层，电子证照上缺少楼层。",
  });
  n++;
  const o = await db().objection.findUniqueOrThrow({ where: { id }, select: { rev: true } });
  await markObjection(issuer, { id, rev: o.rev, note: "已联系企业核实，正在调取登记档案" });
  return n;
}
