// Shared setup of the licence integration tests (L-05 … L-12): a province with a management
// department, a seal-making unit, an issuing department holding an ACTIVE seal made through the
// real seal lifecycle, a released type bound to that seal and on the department's issuance list,
// and the people who issue, use and supervise. Everything is fresh per world.
import { expect } from "vitest";
import { db } from "@/lib/db";
import type { Actor } from "@/lib/auth/session";
import { applySeal, produceSeal, startReview } from "@/lib/seals/service";
import { runFiling } from "@/lib/seals/filing";
import { makerCredential } from "@/lib/seals/production";
import { saveIssuanceEntry } from "@/lib/catalog/lists";
import type { TypeContent } from "@/lib/catalog/schema";
import { issueInput, type IssueFormInput } from "@/lib/licenses/schema";
import { issueLicence } from "@/lib/licenses/service";
import { shanghaiDate } from "@/lib/calendar/working-days";
import { licenceSignatureDer } from "@/lib/licenses/signing";
import { createDepartment, uniqueSuffix } from "@/tests/helpers/factory";
import { createReleasedType, makeActor, type CatalogWorld } from "@/tests/helpers/catalog";
import { usccCheckChar, citizenIdCheckChar } from "@/lib/validation/codes";
import { randomInt } from "node:crypto";

/** A fresh valid USCC for a holder (enterprise, 91 + area + random organisation code). */
export function holderUscc(): string {
  const first17 = `91510100${String(randomInt(1e9)).padStart(9, "0")}`;
  return first17 + usccCheckChar(first17);
}

/** A fresh valid citizen ID number. */
export function citizenId(): string {
  const first17 = `510104199${randomInt(10)}0${randomInt(1, 10)}1${randomInt(10)}${String(randomInt(1000)).padStart(3, "0")}`;
  return first17 + citizenIdCheckChar(first17);
}

export type LicenceWorld = Awaited<ReturnType<typeof makeLicenceWorld>>;

export async function makeLicenceWorld(over: Partial<TypeContent> = {}) {
  const province = await createDepartment({ level: "PROVINCE", parts: { isManagement: true }, name: `测试大数据中心-${uniqueSuffix()}` });
  const police = await createDepartment({ parent: province, level: "PROVINCE", parts: { isSealMaking: true }, name: `测试公安厅-${uniqueSuffix()}` });
  const issuing = await createDepartment({ parent: province, level: "CITY", parts: { isIssuing: true }, name: `成都市测试审批局-${uniqueSuffix()}` });
  const otherIssuing = await createDepartment({ parent: province, level: "CITY", area: "510700", parts: { isIssuing: true }, name: `绵阳市测试审批局-${uniqueSuffix()}` });
  const using = await createDepartment({ parent: province, level: "CITY", parts: { isUsing: true }, name: `成都市测试税务局-${uniqueSuffix()}` });
  const reviewer = await makeActor(province, [{ role: "CATALOG_ADMIN", scope: "PROVINCE" }], "目录审核员");
  const reviewer2 = await makeActor(province, [{ role: "CATALOG_ADMIN", scope: "PROVINCE" }], "目录审核员乙");
  const admin = await makeActor(issuing, [{ role: "CATALOG_ADMIN", scope: "OWN" }], "发证目录管理员");
  const otherAdmin = await makeActor(otherIssuing, [{ role: "CATALOG_ADMIN", scope: "OWN" }], "外市目录管理员");
  const issuer = await makeActor(issuing, [{ role: "ISSUER_OPERATOR", scope: "OWN" }], "发证员");
  const issuer2 = await makeActor(issuing, [{ role: "ISSUER_OPERATOR", scope: "OWN" }], "发证员乙");
  const otherIssuer = await makeActor(otherIssuing, [{ role: "ISSUER_OPERATOR", scope: "OWN" }], "外市发证员");
  const user = await makeActor(using, [{ role: "USING_OPERATOR", scope: "OWN" }], "用证员");
  const supervisor = await makeActor(province, [{ role: "SUPERVISOR", scope: "PROVINCE" }], "监督员");
  const sysadmin = await makeActor(province, [{ role: "SYSTEM_ADMIN", scope: "PROVINCE" }], "系统管理员");
  const maker = await makeActor(police, [{ role: "SEAL_MAKER_REVIEWER", scope: "PROVINCE" }], "制章员");
  const sealApplicant = await makeActor(issuing, [{ role: "SEAL_APPLICANT", scope: "OWN" }], "印章经办人");

  const { id: sealId } = await applySeal(
    sealApplicant,
    { holderDeptId: issuing.id, kind: "BUSINESS", businessType: "CONTRACT", positionType: null, name: issuing.name, holderPersonName: "", useMode: "CENTRALISED", physicalRef: `SC-${issuing.id.slice(0, 8)}`, applyReason: "电子证照签章" },
    [],
  );
  await startReview(maker, sealId);
  await makerCredential(police.id);
  await produceSeal(maker, { sealId, validYears: 2, protectionPassword: "" });
  const filing = await runFiling(sealId);
  if (filing.status !== "FILED") throw new Error(`filing failed: ${JSON.stringify(filing)}`);

  const cw: CatalogWorld = { province, issuing, otherIssuing, reviewer, reviewer2, admin, otherAdmin };
  const type = await createReleasedType(cw, { sealIds: [sealId], issuingDeptIds: [issuing.id, otherIssuing.id], ...over });
  await saveIssuanceEntry(reviewer, {
    id: null, rev: 0, deptId: issuing.id, typeId: type.id, legalBasis: "《测试条例》第十二条", matters: [{ name: "测试经营许可核发", code: "SC-CS-0001" }],
    holderCategory: "LEGAL_PERSON", aggregation: "ONLINE", publicity: true, validFrom: shanghaiDate(new Date(Date.now() - 86_400_000)), validTo: "",
  });
  return { province, police, issuing, otherIssuing, using, reviewer, reviewer2, admin, otherAdmin, issuer, issuer2, otherIssuer, user, supervisor, sysadmin, maker, sealId, type };
}

/** A valid face for the test type of tests/helpers/catalog.ts. */
export function faceFor(name: string, uscc: string) {
  return {
    holderName: name,
    uscc,
    legalRep: "张三",
    idNumber: "",
    format: "零售",
    area: "120.5",
    issuedOn: shanghaiDate(new Date()),
    term: { from: shanghaiDate(new Date()), to: "2031-12-31" },
    address: "四川省成都市锦江区红星路三段1号",
  };
}

/** A valid issue form for the world's type, for a fresh enterprise holder unless given. */
export function issueForm(w: LicenceWorld, over: Partial<IssueFormInput> = {}): IssueFormInput {
  const uscc = over.holder?.code ?? holderUscc();
  const name = over.holder?.name ?? `成都测试商贸有限公司${uniqueSuffix()}`;
  const now = new Date(Date.now() - 60_000);
  const local = new Date(now.getTime() + 8 * 3600_000).toISOString().slice(0, 16);
  return {
    typeId: w.type.id,
    holder: { category: "LEGAL_PERSON", codeType: "001", code: uscc, name, contact: "13812345678", ...over.holder },
    matterCode: "SC-CS-0001",
    businessCompletedAt: local,
    validFrom: "",
    syncMode: "ONLINE",
    incidentId: "",
    face: faceFor(name, uscc),
    ...over,
  };
}

/** Issues a licence through the service (parsed by the same schema as the form). */
export async function issue(w: LicenceWorld, over: Partial<IssueFormInput> = {}, by: Actor = w.issuer) {
  return issueLicence(by, issueInput.parse(issueForm(w, over)));
}

/**
 * Moves an issued licence's validity into the past, as if it had been issued years ago (a licence
 * is never issued already expired). The guard trigger freezes validity, so this fixture writes
 * under session_replication_role = replica; the signature no longer matches, which the expiry and
 * lifecycle tests that use it do not look at.
 */
export async function backdate(id: string, validFrom: string, validTo: string | null) {
  await db().$transaction(async (tx) => {
    await tx.$executeRaw`SET LOCAL session_replication_role = replica`;
    await tx.$executeRaw`UPDATE "Licence" SET "validFrom" = ${validFrom}::date, "validTo" = ${validTo}::date WHERE id = ${id}::uuid`;
  });
}

/** Issues a licence and backdates it to start on `validFrom` with the type's 5-year validity. */
export async function issueBackdated(w: LicenceWorld, validFrom: string, over: Partial<IssueFormInput> = {}, by: Actor = w.issuer) {
  const r = await issue(w, over, by);
  const y = Number(validFrom.slice(0, 4)) + 5;
  const end = new Date(Date.parse(`${y}${validFrom.slice(4)}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
  await backdate(r.id, validFrom, end);
  return r;
}

/**
 * The licence row, with `signature` the SES_Signature as readers see it (rebuilt from the compact
 * columns by `licenceSignatureDer`); `storedSignature` is what the `signature` column itself holds.
 */
export async function licenceRow(id: string) {
  const row = await db().licence.findUniqueOrThrow({ where: { id } });
  return { ...row, storedSignature: row.signature, signature: await licenceSignatureDer(db(), row) };
}

export async function eventsOf(licenceId: string) {
  return db().licenceEvent.findMany({ where: { licenceId }, orderBy: { id: "asc" } });
}

export async function licenceAudit(licenceId: string, action?: string) {
  return db().auditEvent.findMany({ where: { targetType: "Licence", targetId: licenceId, ...(action ? { action } : {}) }, orderBy: { seq: "asc" } });
}

export { expect };
