// Shared setup of the licence-catalog integration tests (L-01 … L-04): a province management
// department with two catalog reviewers, a city issuing department with its catalog administrator,
// a second city's issuing department and administrator (out of scope), valid type codes and
// contents, and readers for versions, history rows, audit events and raw SQL refusals.
import { randomInt } from "node:crypto";
import { expect } from "vitest";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { actorOf, type Actor } from "@/lib/auth/session";
import type { RoleName, Scope } from "@/lib/auth/permissions";
import { typeContent, typeCreateSchema, type TypeContent } from "@/lib/catalog/schema";
import { batch, createType } from "@/lib/catalog/service";
import { createDepartment, createUser, testUscc, uniqueSuffix } from "@/tests/helpers/factory";
import { databaseUrl, pgError, withClient } from "@/tests/helpers/db";

/** The Actor a signed-in user would have (roles and department as stored now). */
export async function actorFor(userId: string): Promise<Actor> {
  const u = await db().user.findUniqueOrThrow({ where: { id: userId }, include: { department: true, roles: true } });
  return actorOf(u, { sessionId: "c".repeat(64), mustChangePassword: null, ip: "127.0.0.1", userAgent: "vitest" });
}

export async function makeActor(dept: { id: string }, roles: { role: RoleName; scope: Scope }[], name: string): Promise<Actor> {
  const u = await createUser({ department: dept, roles, name });
  return actorFor(u.id);
}

export type CatalogWorld = Awaited<ReturnType<typeof makeCatalogWorld>>;

export async function makeCatalogWorld() {
  const province = await createDepartment({ level: "PROVINCE", parts: { isManagement: true }, name: `测试大数据中心-${uniqueSuffix()}` });
  const issuing = await createDepartment({ parent: province, level: "CITY", parts: { isIssuing: true }, name: `成都市测试审批局-${uniqueSuffix()}` });
  const otherIssuing = await createDepartment({ parent: province, level: "CITY", area: "510700", parts: { isIssuing: true }, name: `绵阳市测试审批局-${uniqueSuffix()}` });
  const reviewer = await makeActor(province, [{ role: "CATALOG_ADMIN", scope: "PROVINCE" }], "目录审核员甲");
  const reviewer2 = await makeActor(province, [{ role: "CATALOG_ADMIN", scope: "PROVINCE" }], "目录审核员乙");
  const admin = await makeActor(issuing, [{ role: "CATALOG_ADMIN", scope: "OWN" }], "发证目录管理员");
  const otherAdmin = await makeActor(otherIssuing, [{ role: "CATALOG_ADMIN", scope: "OWN" }], "外市目录管理员");
  return { province, issuing, otherIssuing, reviewer, reviewer2, admin, otherAdmin };
}

/** A fresh defining authority (valid USCC) and a type code made from it. */
export function newTypeCode(): { typeCode: string; authorityCode: string } {
  const authorityCode = testUscc("510000");
  return { typeCode: `${authorityCode}${String(randomInt(1000)).padStart(3, "0")}`, authorityCode };
}

/** A valid content (checked with typeContent.parse) issued by the world's issuing department. */
export function contentFor(w: CatalogWorld, authorityCode: string, over: Partial<TypeContent> = {}): TypeContent {
  return typeContent.parse({
    name: `测试经营许可证-${uniqueSuffix()}`,
    definingAuthority: "四川省测试监督管理厅",
    definingAuthorityCode: authorityCode,
    category: "CERTIFICATE",
    holderCategories: ["LEGAL_PERSON", "NATURAL_PERSON"],
    holderCodeTypes: ["001", "111"],
    validity: { kind: "YEARS", n: 5 },
    legalBasis: "《四川省测试经营管理条例》第十二条",
    matters: [{ name: "测试经营许可核发", code: "SC-CS-0001" }],
    sharing: "UNCONDITIONAL",
    sharingConditions: "",
    publicity: true,
    issuingDeptIds: [w.issuing.id],
    sealIds: [],
    numberRule: "{area}{year}{seq:6}",
    allowMultiple: false,
    faceFields: [
      { key: "holderName", label: "经营者名称", type: "TEXT", required: true, sensitive: false, maxLength: 100 },
      { key: "uscc", label: "统一社会信用代码", type: "USCC", required: true, sensitive: false },
      { key: "legalRep", label: "法定代表人", type: "TEXT", required: true, sensitive: true, maxLength: 50 },
      { key: "idNumber", label: "法定代表人身份证号", type: "CITIZEN_ID", required: false, sensitive: true },
      { key: "format", label: "经营业态", type: "ENUM", required: true, sensitive: false, options: ["批发", "零售", "餐饮"] },
      { key: "area", label: "经营面积（平方米）", type: "NUMBER", required: false, sensitive: false, min: 0, max: 100000, decimals: 2 },
      { key: "issuedOn", label: "发证日期", type: "DATE", required: true, sensitive: false },
      { key: "term", label: "有效期", type: "DATE_RANGE", required: true, sensitive: false },
      { key: "address", label: "经营场所", type: "ADDRESS", required: true, sensitive: false },
    ],
    faceLayout: "PORTRAIT_CERT",
    ...over,
  });
}

/** A new type (v1 DRAFT) proposed by the issuing department's administrator. */
export async function createDraftType(w: CatalogWorld, over: Partial<TypeContent> = {}, by: Actor = w.admin, ownerDeptId = w.issuing.id) {
  const { typeCode, authorityCode } = newTypeCode();
  const input = typeCreateSchema.parse({ typeCode, ownerDeptId, content: contentFor(w, authorityCode, over) });
  const { id } = await createType(by, input);
  return { id, typeCode, authorityCode, content: input.content };
}

/** A type whose v1 has been submitted by the administrator and released by the reviewer. */
export async function createReleasedType(w: CatalogWorld, over: Partial<TypeContent> = {}) {
  const t = await createDraftType(w, over);
  expect(await batch(w.admin, [t.id], "submit")).toEqual({ done: [t.id], failed: [] });
  expect(await batch(w.reviewer, [t.id], "release", "同意发布")).toEqual({ done: [t.id], failed: [] });
  return t;
}

export async function typeRow(typeId: string) {
  return db().licenceType.findUniqueOrThrow({ where: { id: typeId } });
}

export async function versionsOf(typeId: string) {
  return db().licenceTypeVersion.findMany({ where: { typeId }, orderBy: { number: "asc" } });
}

export async function versionOf(typeId: string, number: number) {
  return db().licenceTypeVersion.findUniqueOrThrow({ where: { typeId_number: { typeId, number } } });
}

export type ChangeDiff = Record<string, { from: unknown; to: unknown }>;

/** CatalogChange rows of a type, in order. */
export async function changesOf(typeId: string) {
  const rows = await db().catalogChange.findMany({ where: { typeId }, orderBy: { id: "asc" } });
  return rows.map((r) => ({ ...r, diff: r.diff as ChangeDiff }));
}

export type CatalogAuditDetail = { action: "catalog.change"; change: string; version: number; fields: string[]; comment: string | null };

/** `catalog.change` audit events of a type, in chain order. */
export async function catalogAuditOf(typeId: string) {
  const rows = await db().auditEvent.findMany({ where: { targetType: "LicenceType", targetId: typeId, action: "catalog.change" }, orderBy: { seq: "asc" } });
  return rows.map((r) => ({ ...r, detail: r.detail as CatalogAuditDetail }));
}

/** An issued licence pinned to a version, written directly (the issue service is not part of the catalog). */
export async function insertLicence(typeId: string, typeVersionId: string, issuerDeptId: string) {
  const n = uniqueSuffix();
  const type = await db().licenceType.findUniqueOrThrow({ where: { id: typeId } });
  const holder = await db().holder.create({
    data: { category: "LEGAL_PERSON", codeType: "099", codeHash: n.padEnd(64, "0").slice(0, 64), codeEnc: new Uint8Array(16), codeMasked: "T***", name: `测试持证主体${n}` },
  });
  const now = new Date();
  return db().licence.create({
    data: {
      identifier: `test-${n}`, licenceNumber: `T${n}`, serial: n, typeId, typeVersionId, typeCode: type.typeCode, name: type.name,
      issuerDeptId, originalIssuerDeptId: issuerDeptId, issuerCode: "000000000000000000", issuerName: "测试发证机关", areaCode: "510000",
      holderId: holder.id, holderCodeType: "099", holderCodeHash: holder.codeHash, holderName: holder.name, face: {},
      status: "VALID", issuedAt: now, validFrom: now, businessCompletedAt: now, syncMode: "ONLINE", syncedAt: now, syncDueAt: now,
      canonicalSm3: "0".repeat(64), verifyCode: "TEST0000",
    },
  });
}

/** An ACTIVE (or other status) seal row of `holderDeptId`, written directly. */
export async function insertSeal(holderDeptId: string, applicantId: string, status: "ACTIVE" | "CANCELLED" | "APPLIED" = "ACTIVE") {
  return db().seal.create({
    data: {
      name: `测试电子印章-${uniqueSuffix()}`,
      kind: "LEGAL_NAME",
      holderDeptId,
      physicalRef: `CAT-${uniqueSuffix()}`,
      applicantId,
      applyReason: "目录测试",
      useMode: "CENTRALISED",
      status,
      esId: `5101009${String(randomInt(10_000_000)).padStart(7, "0")}`,
    },
  });
}

/** Runs one SQL statement as the application's database user; returns the PostgreSQL error it raised. */
export function sqlError(sql: string, params: unknown[] = []) {
  return pgError(() => withClient(databaseUrl(), (c) => c.query(sql, params)));
}

/** Runs one SQL statement as the application's database user (expected to succeed). */
export function sql(text: string, params: unknown[] = []) {
  return withClient(databaseUrl(), (c) => c.query(text, params));
}

/** Runs `fn`, expects an AppError with `code` whose message contains `text`; returns it. */
export async function expectAppError(p: Promise<unknown>, code: AppError["code"], text?: string | RegExp): Promise<AppError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err, "expected the call to be refused").toBeInstanceOf(AppError);
  const e = err as AppError;
  expect(e.code).toBe(code);
  if (text instanceof RegExp) expect(e.userMessage).toMatch(text);
  else if (text) expect(e.userMessage).toContain(text);
  return e;
}
