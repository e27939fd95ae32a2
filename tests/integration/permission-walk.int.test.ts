// P-04 / SECURITY.md: every exported server action and every route handler refuses an
// unauthenticated call, a cross-site call, a call from the wrong role and a call on another
// department. The walk finds the files itself, so a new action without a row here fails.
import { randomInt } from "node:crypto";
import { readFileSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { encode } from "next-auth/jwt";
import { sessionHandle } from "@/lib/auth/session-handle";
import { createDepartment, createSession, createUser, type TestDept, type TestUser } from "@/tests/helpers/factory";

const jar = { cookie: null as string | null, origin: "http://localhost:3000" as string | null };

vi.mock("next/headers", () => ({
  cookies: () =>
    Promise.resolve({
      get: (name: string) => (name === "certseal.session" && jar.cookie ? { name, value: jar.cookie } : undefined),
      getAll: () => (jar.cookie ? [{ name: "certseal.session", value: jar.cookie }] : []),
    }),
  headers: () =>
    Promise.resolve(
      new Headers({
        host: "localhost:3000",
        "user-agent": "vitest",
        ...(jar.origin ? { origin: jar.origin, "sec-fetch-site": "same-origin" } : {}),
      }),
    ),
}));
vi.mock("next/cache", () => ({ revalidatePath: () => {}, revalidateTag: () => {} }));

const root = path.resolve(__dirname, "../..");
function walk(dir: string, name: string, out: string[] = []): string[] {
  for (const f of readdirSync(dir)) {
    const p = path.join(dir, f);
    if (statSync(p).isDirectory()) walk(p, name, out);
    else if (f === name) out.push(p);
  }
  return out;
}

function walkAll(dir: string, out: string[] = []): string[] {
  for (const f of readdirSync(dir)) {
    const p = path.join(dir, f);
    if (statSync(p).isDirectory()) walkAll(p, out);
    else out.push(p);
  }
  return out;
}

type Fixture = {
  otherCityDept: TestDept;
  otherCityUser: TestUser;
  otherSessionId: string;
  /** seals of the other city: one awaiting review, one active (distributed, with files) */
  otherAppliedSealId: string;
  otherActiveSealId: string;
  otherActiveEsId: string;
  otherMaterialId: string;
  otherCertDer: Uint8Array;
  /** a seal-use request of the other city: pending on an approval step, with a document and a signature */
  otherRequestId: string;
  otherStepId: string;
  otherDocumentId: string;
  otherSignatureId: string;
  /** a licence type owned by the other city (a draft) */
  otherTypeId: string;
  otherIssuanceEntryId: string;
  /** a dry-run import by the other city's user */
  otherImportId: string;
  otherLicenceId: string;
  otherIncidentId: string;
  otherLicenceImportId: string;
  otherLicenceIdentifier: string;
  otherLicenceNumber: string;
  /** an objection to the other city's licence (SUBMITTED), with an evidence file */
  otherObjectionId: string;
  otherEvidenceId: string;
  /** a spot check of the other city's department, with one item */
  otherSpotCheckId: string;
  otherSpotItemId: string;
  /** a rectification order to the other city's department (RESPONDED, with an attachment), overdue */
  otherOrderId: string;
  otherAttachmentId: string;
  cityDeptId: string;
};
type Case = {
  /** who acts in the wrong-department call */
  actor: "citySys" | "citySec" | "cityApplicant" | "cityMaker" | "cityApprover" | "cityCustodian" | "citySealAdmin" | "cityCatalog" | "cityIssuer" | "citySupervisor" | "wrongRole" | "none";
  input: (f: Fixture) => unknown;
  /** who lacks the permission, when the walk's usual wrong role (a using operator) holds it */
  wrongRole?: "cityCustodian";
};

const WALK_PASSWORD = "Walk@Protect1";
/** A complete licence type content naming `deptId` as its issuing department. */
const walkTypeContent = (deptId: string, authorityCode = "11100000MB0143028R") => ({
  name: "越权证照",
  definingAuthority: "国家市场监督管理总局",
  definingAuthorityCode: authorityCode,
  category: "LICENCE",
  holderCategories: ["LEGAL_PERSON"],
  holderCodeTypes: ["001"],
  validity: { kind: "YEARS", n: 5 },
  legalBasis: "权限遍历测试",
  matters: [],
  sharing: "UNCONDITIONAL",
  sharingConditions: "",
  publicity: false,
  issuingDeptIds: [deptId],
  sealIds: [],
  numberRule: "{area}{year}{seq:6}",
  allowMultiple: false,
  faceFields: [{ key: "holderName", label: "名称", type: "TEXT", required: true, sensitive: false }],
  faceLayout: "PORTRAIT_CERT",
});
const tomorrow = () => new Date(Date.now() + 86_400_000 + 8 * 3600_000).toISOString().slice(0, 10);
const WALK_PDF = "%PDF-1.4 walk test";
const WALK_SEALED = "%PDF-1.7 walk sealed";
const pdf = () => new File([Buffer.from(WALK_PDF)], "证明.pdf", { type: "application/pdf" });
const png = () => new File([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13])], "印模.png", { type: "image/png" });
/** The FormData a browser sends to an upload action. */
function formData(fields: Record<string, string>, files: Record<string, File[]> = {}) {
  const fd = new FormData();
  for (const [k, v] of Object.entries(fields)) fd.set(k, v);
  for (const [k, list] of Object.entries(files)) for (const f of list) fd.append(k, f);
  return fd;
}

// One row per exported server action. `actor: "none"` marks actions with no department target
// (province-wide settings, self-service); the wrong-role call covers them.
const CASES: Record<string, Case> = {
  "admin/users:createUserAction": { actor: "citySys", input: (f) => ({ username: "walk_x1", name: "越权用户", departmentId: f.otherCityDept.id, phone: "", email: "", password: "Walk@Passw0rd!" }) },
  "admin/users:updateUserAction": { actor: "citySys", input: (f) => ({ id: f.otherCityUser.id, name: "改名", departmentId: f.otherCityDept.id, phone: "", email: "" }) },
  "admin/users:setUserStatusAction": { actor: "citySys", input: (f) => ({ id: f.otherCityUser.id, status: "DISABLED" }) },
  "admin/users:resetPasswordAction": { actor: "citySys", input: (f) => ({ id: f.otherCityUser.id, password: "Walk@Passw0rd!" }) },
  "admin/users:endUserSessionsAction": { actor: "citySys", input: (f) => ({ id: f.otherCityUser.id }) },
  "admin/users:unlockUserAction": { actor: "citySys", input: (f) => ({ username: f.otherCityUser.username }) },
  "admin/departments:createDepartmentAction": {
    actor: "citySys",
    input: (f) => ({ parentId: f.otherCityDept.id, name: "越权部门", uscc: f.otherCityDept.uscc, areaCode: "510700", level: "COUNTY", kind: "AGENCY", isIssuing: false, isUsing: false, isManagement: false, isSealMaking: false, sortOrder: 0, staff: [] }),
  },
  "admin/departments:updateDepartmentAction": {
    actor: "citySys",
    input: (f) => ({ id: f.otherCityDept.id, name: "越权改名", uscc: f.otherCityDept.uscc, areaCode: "510700", level: "CITY", kind: "AGENCY", isIssuing: false, isUsing: false, isManagement: false, isSealMaking: false, sortOrder: 0, staff: [] }),
  },
  "admin/departments:moveDepartmentAction": { actor: "citySys", input: (f) => ({ id: f.otherCityDept.id, parentId: f.otherCityDept.id }) },
  "admin/departments:setDepartmentStatusAction": { actor: "citySys", input: (f) => ({ id: f.otherCityDept.id, status: "DISABLED" }) },
  "admin/roles:grantRoleAction": { actor: "citySec", input: (f) => ({ userId: f.otherCityUser.id, role: "ISSUER_OPERATOR", scope: "OWN" }) },
  "admin/roles:revokeRoleAction": { actor: "citySec", input: (f) => ({ userId: f.otherCityUser.id, role: "USING_OPERATOR" }) },
  "admin/online:endSessionAction": { actor: "citySec", input: (f) => ({ handle: sessionHandle(f.otherSessionId) }) },
  "admin/security:updatePolicyAction": { actor: "none", input: () => ({}) },
  "audit:verifyChainAction": { actor: "none", input: () => ({}) },
  "change-password:changePasswordAction": { actor: "none", input: () => ({}) },
  "notifications:markReadAction": { actor: "none", input: () => ({}) },
  "seals:applySealAction": {
    actor: "cityApplicant",
    input: (f) =>
      formData(
        { holderDeptId: f.otherCityDept.id, kind: "LEGAL_NAME", businessType: "", positionType: "", name: "越权申请章", holderPersonName: "", useMode: "CENTRALISED", physicalRef: "WALK-0001", applyReason: "越权申请" },
        { materials: [pdf()] },
      ),
  },
  "seals:startReviewAction": { actor: "cityMaker", input: (f) => ({ sealId: f.otherAppliedSealId }) },
  "seals:rejectSealAction": { actor: "cityMaker", input: (f) => ({ sealId: f.otherAppliedSealId, reason: "越权驳回" }) },
  "seals:produceSealAction": { actor: "cityMaker", input: (f) => ({ sealId: f.otherAppliedSealId, validYears: 2, protectionPassword: "" }) },
  "seals:cancelSealAction": { actor: "cityMaker", input: (f) => ({ sealId: f.otherActiveSealId, reason: "NO_LONGER_USED", text: "" }) },
  "seals:replaceSealAction": { actor: "cityMaker", input: (f) => ({ sealId: f.otherActiveSealId, reason: "OTHER_REPLACE", text: "", protectionPassword: WALK_PASSWORD }) },
  "seals:renewSealAction": { actor: "cityMaker", input: (f) => ({ sealId: f.otherActiveSealId, validYears: 2 }) },
  "seals:changeProtectionAction": { actor: "cityApplicant", input: (f) => ({ sealId: f.otherActiveSealId, current: WALK_PASSWORD, next: "Walk@Protect2", confirm: "Walk@Protect2" }) },
  "seals:resetProtectionAction": { actor: "cityMaker", input: (f) => formData({ sealId: f.otherActiveSealId, next: "Walk@Protect2" }, { proof: [pdf()] }) },
  "seals:holderRenewSealAction": { actor: "cityApplicant", input: (f) => ({ sealId: f.otherActiveSealId, validYears: 2 }) },
  "seals:setCustodiansAction": { actor: "cityApplicant", input: (f) => ({ sealId: f.otherActiveSealId, administratorId: null, custodianIds: [] }) },
  "seals:uploadImprintAction": { actor: "cityMaker", input: (f) => formData({ sealId: f.otherAppliedSealId, widthMm: "42", heightMm: "42" }, { imprint: [png()] }) },
  "seal-use:createRequestAction": {
    actor: "cityApplicant",
    input: (f) => formData({ sealId: f.otherActiveSealId, reason: "越权用印", count: "1", validUntil: tomorrow(), remarks: "", submit: "1" }, { documents: [pdf()] }),
  },
  "seal-use:updateRequestAction": {
    actor: "cityApplicant",
    input: (f) => formData({ requestId: f.otherRequestId, reason: "越权修改", count: "1", validUntil: tomorrow(), remarks: "", submit: "0", baseVersion: "0" }, { documents: [pdf()] }),
  },
  "seal-use:submitRequestAction": { actor: "cityApplicant", input: (f) => ({ requestId: f.otherRequestId }) },
  "seal-use:withdrawRequestAction": { actor: "cityApplicant", input: (f) => ({ requestId: f.otherRequestId, comment: "" }) },
  "seal-use:decideAction": { actor: "cityApprover", input: (f) => ({ requestId: f.otherRequestId, stepId: f.otherStepId, decision: "APPROVED", comment: "" }) },
  "seal-use:confirmAction": { actor: "cityCustodian", input: (f) => ({ requestId: f.otherRequestId, stepId: f.otherStepId, decision: "APPROVED", comment: "" }) },
  "seal-use:transferAction": { actor: "cityApprover", input: (f) => ({ requestId: f.otherRequestId, stepId: f.otherStepId, toUserId: f.otherCityUser.id, comment: "越权转办" }) },
  "seal-use:addApproverAction": { actor: "cityApprover", input: (f) => ({ requestId: f.otherRequestId, stepId: f.otherStepId, userId: f.otherCityUser.id, comment: "越权加签" }) },
  "seal-use:signAction": {
    actor: "cityCustodian",
    input: (f) => ({ requestId: f.otherRequestId, documentId: f.otherDocumentId, position: { page: 1, x: 100, y: 100 }, riding: false, protectionPassword: WALK_PASSWORD }),
  },
  "seal-use:holderSignAction": {
    actor: "cityApplicant",
    input: (f) => ({ requestId: f.otherRequestId, documentId: f.otherDocumentId, position: { page: 1, x: 100, y: 100 }, riding: false, protectionPassword: WALK_PASSWORD }),
  },
  "seal-use/flows:saveFlowAction": {
    actor: "citySealAdmin",
    input: (f) => ({
      holderDeptId: f.otherCityDept.id,
      sealKind: "LEGAL_NAME",
      sealId: null,
      name: "越权流程",
      steps: [{ name: "部门负责人审批", mode: "ANY", approvers: [{ type: "ROLE", role: "SEAL_APPROVER", departmentId: f.otherCityDept.id }] }],
      note: "",
      baseVersion: 0,
    }),
  },
  "seal-use/flows:flowTargetsAction": { actor: "citySealAdmin", input: (f) => ({ deptId: f.otherCityDept.id }) },
  "lists:saveIssuanceEntryAction": {
    actor: "cityCatalog",
    input: (f) => ({ id: null, rev: 0, deptId: f.otherCityDept.id, typeId: f.otherTypeId, legalBasis: "越权依据", matters: [], holderCategory: "LEGAL_PERSON", aggregation: "ONLINE", publicity: false, validFrom: "2026-01-01", validTo: "" }),
  },
  "lists:saveUseEntryAction": {
    actor: "cityCatalog",
    input: (f) => ({ id: null, rev: 0, deptId: f.otherCityDept.id, typeId: f.otherTypeId, matterCode: "", matterName: "", scenarios: ["VIEW"], basis: "FUNCTION", validFrom: "2026-01-01", validTo: "" }),
  },
  "lists:setEntryStatusAction": { actor: "cityCatalog", input: (f) => ({ list: "ISSUANCE", ids: [f.otherIssuanceEntryId], status: "DISABLED" }) },
  "catalog/import:confirmImportAction": { actor: "cityCatalog", input: (f) => ({ importId: f.otherImportId }) },
  // no department target: references out of scope come back as row errors and nothing is imported
  "catalog/import:dryRunImportAction": { actor: "none", input: () => formData({ kind: "ISSUANCE" }, { file: [new File([Buffer.from("PK\u0003\u0004")], "清单.xlsx")] }) },
  "catalog:createTypeAction": { actor: "cityCatalog", input: (f) => ({ typeCode: "11100000MB0143028R999", ownerDeptId: f.otherCityDept.id, content: walkTypeContent(f.otherCityDept.id) }) },
  "catalog:saveDraftAction": { actor: "cityCatalog", input: (f) => ({ typeId: f.otherTypeId, rev: 0, content: walkTypeContent(f.otherCityDept.id) }) },
  "catalog:submitTypesAction": { actor: "cityCatalog", input: (f) => ({ typeIds: [f.otherTypeId] }) },
  "catalog:reviewTypesAction": { actor: "cityCatalog", input: (f) => ({ typeIds: [f.otherTypeId], decision: "RETURN", comment: "越权退回" }) },
  "catalog:retireTypesAction": { actor: "cityCatalog", input: (f) => ({ typeIds: [f.otherTypeId], reason: "越权停用" }) },
  "catalog:previewFaceAction": {
    actor: "cityCatalog",
    input: (f) => ({ typeCode: "", content: { name: "越权预览", faceLayout: "PORTRAIT_CERT", faceFields: [], numberRule: "{area}{year}{seq:6}", issuingDeptIds: [f.otherCityDept.id] }, sealId: f.otherActiveSealId, masked: false }),
  },
  // licences (issue 6): issuing and incidents act on the caller's own department only
  "licenses/new:issueAction": { actor: "none", input: (f) => ({ typeId: f.otherTypeId, holder: { category: "LEGAL_PERSON", codeType: "001", code: "91510100MA6CJ7Q58R", name: "越权签发", contact: "" }, matterCode: "", businessCompletedAt: "2026-12-01T10:00", validFrom: "", syncMode: "ONLINE", incidentId: "", face: { holderName: "越权" } }) },
  "licenses/_list:holderCodeFilterAction": { actor: "none", input: () => ({ code: "91510100MA6CJ7Q58R" }) },
  "licenses/import:uploadImportAction": { actor: "none", input: (f) => formData({ typeId: f.otherTypeId, businessCompletedAt: "2026-12-01T10:00" }, { file: [new File([Buffer.from("a,b\n1,2\n")], "存量.csv", { type: "text/csv" })] }) },
  "licenses/import:confirmImportAction": { actor: "cityIssuer", input: (f) => ({ importId: f.otherLicenceImportId }) },
  "licenses/import:pauseImportAction": { actor: "cityIssuer", input: (f) => ({ importId: f.otherLicenceImportId }) },
  "licenses/import:resumeImportAction": { actor: "cityIssuer", input: (f) => ({ importId: f.otherLicenceImportId }) },
  "licenses/import:cancelImportAction": { actor: "cityIssuer", input: (f) => ({ importId: f.otherLicenceImportId }) },
  "licenses/new:lookupHolderAction": { actor: "none", input: () => ({ codeType: "001", code: "91510100MA6CJ7Q58R" }) },
  "licenses/incidents:createIncidentAction": { actor: "none", input: () => ({ title: "越权事件", description: "权限遍历测试事件", startedAt: "2026-12-01T09:00" }) },
  "licenses/incidents:recoverIncidentAction": { actor: "cityIssuer", input: (f) => ({ id: f.otherIncidentId, rev: 0, endedAt: "2026-12-01T10:00" }) },
  "licenses/[id]:transitionAction": { actor: "cityIssuer", input: (f) => ({ licenceId: f.otherLicenceId, rev: 0, transition: "suspend", reasonCode: "VIOLATION", reasonText: "越权暂扣" }) },
  "licenses/[id]:pledgeAction": { actor: "cityIssuer", input: (f) => ({ licenceId: f.otherLicenceId, rev: 0, pledgee: "越权质权人", startsOn: "2026-12-01", endsOn: "2026-12-31", note: "" }) },
  "licenses/[id]:releasePledgeAction": { actor: "cityIssuer", input: (f) => ({ licenceId: f.otherLicenceId, rev: 0, restrictionId: "00000000-0000-4000-8000-000000000001", reasonText: "越权解除" }) },
  "licenses/[id]:renewAction": { actor: "cityIssuer", input: (f) => ({ licenceId: f.otherLicenceId, rev: 0, businessCompletedAt: "2026-12-01T10:00", reasonText: "越权延续" }) },
  "licenses/[id]:changeAction": { actor: "cityIssuer", input: (f) => ({ licenceId: f.otherLicenceId, rev: 0, businessCompletedAt: "2026-12-01T10:00", validFrom: "", holderName: "越权变更", face: {}, reasonText: "越权变更" }) },
  "licenses/[id]:createShowCode": { actor: "cityIssuer", input: (f) => f.otherLicenceId },
  "licenses/[id]:revokePrintedQr": { actor: "cityIssuer", input: (f) => f.otherLicenceId },
  "licenses/transfer:transferAction": { actor: "citySys", input: (f) => ({ fromDeptId: f.otherCityDept.id, toDeptId: f.cityDeptId, reason: "越权划转" }) },
  "licenses/transfer:resealAction": { actor: "cityIssuer", input: (f) => ({ licenceIds: [f.otherLicenceId] }) },
  // the holiday calendar (issue 7, O-04): province-wide reference data, no department target
  "admin/calendar:setDayAction": { actor: "none", input: () => ({ date: "2043-05-04", kind: "HOLIDAY", name: "越权", seen: null }) },
  "admin/calendar:removeDayAction": { actor: "none", input: () => ({ date: "2026-10-01", seen: "2026-01-01T00:00:00.000Z" }) },
  "admin/calendar:setYearCoveredAction": { actor: "none", input: () => ({ year: 2043, covered: true }) },
  "admin/calendar:previewImportAction": { actor: "none", input: () => formData({ year: "2043" }, { file: [new File([JSON.stringify({ holidays: { "2043-01-01": "元旦" } })], "h.json")] }) },
  "admin/calendar:confirmImportAction": { actor: "none", input: () => ({ year: 2043, entries: [{ date: "2043-01-01", kind: "HOLIDAY", name: "元旦" }], fingerprint: "0".repeat(64), fileName: "h.json", sm3: "0".repeat(64), proof: "0".repeat(64) }) },
  // objection deadlines per region: a city administrator keeps only its own city's
  "admin/objection-settings:saveObjectionSettingAction": { actor: "citySys", input: () => ({ areaCode: "510700", markDays: 2, resolveDays: 6, rev: null }) },
  "admin/objection-settings:resetObjectionSettingAction": { actor: "citySys", input: () => ({ areaCode: "510700", rev: 0 }) },
  // objections (issue 7): raising one may name any licence (cross-region objections exist, O-06)
  // and is limited by the use list; handling is the issuing department's, routing the province's
  "objections:submitObjectionAction": {
    actor: "none",
    wrongRole: "cityCustodian",
    input: (f) => formData({ licenceId: f.otherLicenceId, fields: JSON.stringify([{ key: "holderName", expected: "越权" }]), description: "权限遍历测试异议" }),
  },
  "objections:markAction": { actor: "cityIssuer", input: (f) => ({ id: f.otherObjectionId, rev: 0, note: "" }) },
  "objections:resolveAction": { actor: "cityIssuer", input: (f) => ({ id: f.otherObjectionId, rev: 0, outcome: "REJECTED", reason: "越权办结测试" }) },
  "objections:correctAction": { actor: "cityIssuer", input: (f) => ({ id: f.otherObjectionId, rev: 0, reason: "越权更正测试", face: {}, holderName: "", changeReason: "" }) },
  "objections:forwardAction": { actor: "citySupervisor", input: (f) => ({ id: f.otherObjectionId, rev: 0, note: "" }) },
  "objections:returnAction": { actor: "citySupervisor", input: (f) => ({ id: f.otherObjectionId, rev: 0, note: "" }) },
  "objections:withdrawAction": { actor: "wrongRole", wrongRole: "cityCustodian", input: (f) => ({ id: f.otherObjectionId, rev: 0 }) },
  // supervision (issue 8, V-03): a city supervisor checks only its own city's departments
  // supervision (issue 8, V-02): orders to the departments in the supervisor's scope; a department
  // responds only to its own orders
  "supervision/orders:issueOrderAction": { actor: "citySupervisor", input: (f) => ({ deptId: f.otherCityDept.id, category: "OTHER", title: "越权整改通知", description: "权限遍历测试的整改要求说明", evidence: [], dueDays: 5 }) },
  "supervision/orders:closeOrderAction": { actor: "citySupervisor", input: (f) => ({ id: f.otherOrderId, rev: 0, note: "越权验收" }) },
  "supervision/orders:returnOrderAction": { actor: "citySupervisor", input: (f) => ({ id: f.otherOrderId, rev: 0, reason: "越权退回测试", extendDays: 0 }) },
  "supervision/orders:respondOrderAction": { actor: "cityIssuer", wrongRole: "cityCustodian", input: (f) => formData({ id: f.otherOrderId, rev: "0", measures: "权限遍历测试的整改措施说明" }, { attachments: [pdf()] }) },
  "supervision/notices:publishNoticeAction": { actor: "citySupervisor", input: (f) => ({ orderIds: [f.otherOrderId], title: "越权通报测试", body: "" }) },
  "supervision/spot-checks:createSpotCheckAction": { actor: "citySupervisor", input: (f) => ({ kind: "LICENCE", deptIds: [f.otherCityDept.id], perDept: 2 }) },
  "supervision/spot-checks:recordSpotItemAction": { actor: "citySupervisor", input: (f) => ({ itemId: f.otherSpotItemId, rev: 0, result: "PASS" }) },
  "supervision/spot-checks:closeSpotCheckAction": { actor: "citySupervisor", input: (f) => ({ id: f.otherSpotCheckId, rev: 0, summary: "越权关闭测试" }) },
  // the dashboard (issue 8, V-01): a rebuild of every summary and the province's ranking formula,
  // no department target (a city supervisor is refused the formula: dashboard-ui.int.test.ts)
  "supervision/orders:evidenceCandidatesAction": { actor: "citySupervisor", input: (f) => ({ deptId: f.otherCityDept.id }) },
  "supervision/dashboard:refreshDashboardAction": { actor: "none", input: () => ({}) },
  // 申请加盖电子印章 on a report (V-04 through S-10): another city's region, by a city supervisor
  "supervision/reports:requestReportSealAction": { actor: "citySupervisor", input: (f) => ({ kind: "monthly", period: "2026-11", region: f.otherCityDept.id, reason: "越权申请加盖报告", validUntil: tomorrow() }) },
  "supervision/dashboard:updateSettingsAction": { actor: "none", input: () => ({ weightTimeliness: 40, weightCompleteness: 30, weightObjections: 30, listStaleDays: 180 }) },
};
/** Self-service actions any signed-in user may call. */
const ANY_SIGNED_IN = new Set(["change-password:changePasswordAction", "notifications:markReadAction"]);
/** Route handlers that are public by design, and why. */
const PUBLIC_ROUTES: Record<string, string> = {
  "api/auth/[...nextauth]": "next-auth's own sign-in endpoints, protected by its CSRF token",
  "api/health": "load-balancer probe; reveals only up/down and the version",
  "api/verify": "public signature verification (S-12: anyone can verify); rate-limited per IP, stores nothing",
  "api/verify/licence": "identifier + verification code lookup (U-06); rate-limited per IP, read-only, one answer for an unknown identifier and a wrong code",
  "api/verify/show": "亮证 confirmation (U-06): same-origin Origin required, rate-limited, uses up a one-use code",
  "api/objections/public/fields": "a holder's objection form (O-01): the face field labels only, for a matching identifier and holder code; one answer for either mistake; rate-limited per IP",
  "api/objections/public/submit": "a holder raises an objection (O-01): same-origin Origin required, requests rate-limited per IP before the body is read, objections created limited per IP, body capped, evidence checked by content",
  "api/objections/public/lookup": "a holder follows an objection by number + lookup code (O-03): read-only, rate-limited, one answer for a wrong number or code",
  "api/objections/public/withdraw": "a holder withdraws an objection by number + lookup code: same-origin Origin required, rate-limited in the service",
};
/** Signed-in GET routes with no department scope (province-wide reference data): 401, 403, 200. */
const UNSCOPED_ROUTES: Record<string, { path: string; viewer: UserKey; type: string; disposition: string }> = {
  "admin/calendar/export": {
    path: "admin/calendar/export?year=2026",
    viewer: "provinceSys",
    type: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    disposition: `attachment; filename="holidays-2026.xlsx"; filename*=UTF-8''${encodeURIComponent("节假日安排-2026.xlsx")}`,
  },
};
/** Signed-in GET routes that list rows filtered to the caller's departments rather than one id. */
const LIST_ROUTES: Record<string, { why: string; path?: string; params?: (f: Fixture) => Record<string, string>; outsider?: UserKey; outOfScope: (f: Fixture) => string }> = {
  "api/licenses/import/template": { why: "the bulk-conversion template of a type the caller's department issues; tested in licence-bulk.int.test.ts", outsider: "cityIssuer", outOfScope: (f) => `?typeId=${f.otherTypeId}` },
  "api/licenses/import/[id]/progress": { why: "an import's progress (JSON, polled by the page)", params: (f) => ({ id: f.otherLicenceImportId }), outsider: "cityIssuer", outOfScope: () => "" },
  "api/licenses/import/[id]/report": { why: "an import's rejected rows as XLSX", params: (f) => ({ id: f.otherLicenceImportId }), outsider: "cityIssuer", outOfScope: () => "" },
  "api/seal-use/records/export": { why: "use records as XLSX; row filtering is tested in seal-use-verify.int.test.ts", outOfScope: (f) => `?dept=${f.otherCityDept.id}` },
  "api/catalog/export": { why: "licence types as XLSX; tested in catalog-import.int.test.ts", outsider: "citySupervisor", outOfScope: (f) => `?ids=${f.otherTypeId}` },
  "api/licenses/export": { why: "the licence table as XLSX with masked holder codes; rows, scope and audit tested in licence-list.int.test.ts", outsider: "cityIssuer", outOfScope: (f) => `?dept=${f.otherCityDept.id}` },
  "api/supervision/reports": {
    why: "monthly/annual supervision report as XLSX or sealed PDF (V-04); tested in supervision-reports.int.test.ts",
    outsider: "citySupervisor",
    outOfScope: (f) => `?kind=monthly&period=2026-11&format=xlsx&region=${f.otherCityDept.id}`,
  },
  "api/lists/[list]/export": { why: "an issuance or use list as XLSX; tested in catalog-import.int.test.ts", path: "api/lists/issuance/export", outsider: "citySupervisor", outOfScope: (f) => `?dept=${f.otherCityDept.id}` },
};
type RouteCase = {
  /** the route's params, pointing at a row of the other city */
  params: (f: Fixture) => Record<string, string>;
  /** who lacks the permission, when the walk's usual wrong role (a using operator) may read it */
  wrongRole?: UserKey;
  /** who is served (default: the provincial seal maker), and who is refused as out of scope */
  viewer?: UserKey;
  outsiders?: UserKey[];
  /** what the right role in the right scope gets */
  expect: (f: Fixture) => { type: string; disposition: string; body?: Uint8Array };
};
/** Signed-in GET routes: each refuses no session (401), the wrong role (403), another department (404). */
const GUARDED_ROUTES: Record<string, RouteCase> = {
  "api/licenses/[id]/file": {
    params: (f) => ({ id: f.otherLicenceId }),
    viewer: "provinceSupervisor",
    outsiders: ["cityIssuer", "citySupervisor"],
    expect: (f) => ({ type: "application/pdf", disposition: `attachment; filename="${f.otherLicenceIdentifier}.pdf"; filename*=UTF-8''${encodeURIComponent(`遍历测试证照-${f.otherLicenceNumber}.pdf`)}` }),
  },
  "api/licenses/[id]/signature": {
    params: (f) => ({ id: f.otherLicenceId }),
    viewer: "provinceSupervisor",
    outsiders: ["cityIssuer", "citySupervisor"],
    expect: (f) => ({ type: "application/octet-stream", disposition: `attachment; filename="${f.otherLicenceIdentifier}.ses"; filename*=UTF-8''${f.otherLicenceIdentifier}.ses`, body: Buffer.from("walk licence signature") }),
  },
  "api/objections/evidence/[id]": {
    params: (f) => ({ id: f.otherEvidenceId }),
    viewer: "provinceSupervisor",
    outsiders: ["cityIssuer", "citySupervisor"],
    wrongRole: "cityCustodian",
    expect: (f) => ({ type: "application/pdf", disposition: `attachment; filename="evidence-${f.otherEvidenceId.slice(0, 8)}.pdf"; filename*=UTF-8''${encodeURIComponent("证明.pdf")}`, body: Buffer.from(WALK_PDF) }),
  },
  "api/supervision/attachments/[id]": {
    params: (f) => ({ id: f.otherAttachmentId }),
    viewer: "provinceSupervisor",
    outsiders: ["cityIssuer", "citySupervisor"],
    wrongRole: "cityCustodian",
    expect: (f) => ({ type: "application/pdf", disposition: `attachment; filename="attachment-${f.otherAttachmentId.slice(0, 8)}.pdf"; filename*=UTF-8''${encodeURIComponent("整改报告.pdf")}`, body: Buffer.from(WALK_PDF) }),
  },
  "api/seals/[id]/certificate": {
    params: (f) => ({ id: f.otherActiveSealId }),
    expect: (f) => ({ type: "application/pkix-cert", disposition: `attachment; filename="${f.otherActiveEsId}.cer"`, body: f.otherCertDer }),
  },
  "api/seals/[id]/structure": {
    params: (f) => ({ id: f.otherActiveSealId }),
    expect: (f) => ({ type: "application/octet-stream", disposition: `attachment; filename="${f.otherActiveEsId}.esl"` }),
  },
  "api/seals/[id]/picture": {
    params: (f) => ({ id: f.otherActiveSealId }),
    expect: (f) => ({ type: "image/png", disposition: `inline; filename="${f.otherActiveEsId}.png"` }),
  },
  "api/seals/[id]/materials/[materialId]": {
    params: (f) => ({ id: f.otherActiveSealId, materialId: f.otherMaterialId }),
    expect: (f) => ({ type: "application/pdf", disposition: `attachment; filename="${f.otherActiveEsId}-apply-${f.otherMaterialId.slice(0, 8)}.pdf"` }),
  },
  "api/seal-use/documents/[id]": {
    params: (f) => ({ id: f.otherDocumentId }),
    viewer: "provinceSupervisor",
    outsiders: ["cityApplicant", "citySupervisor"],
    expect: (f) => ({ type: "application/pdf", disposition: `attachment; filename="document-${f.otherDocumentId.slice(0, 8)}.pdf"`, body: Buffer.from(WALK_PDF) }),
  },
  "api/seal-use/signatures/[id]/[kind]": {
    params: (f) => ({ id: f.otherSignatureId, kind: "pdf" }),
    viewer: "provinceSupervisor",
    outsiders: ["cityApplicant", "citySupervisor"],
    expect: (f) => ({ type: "application/pdf", disposition: `attachment; filename="sealed-${f.otherSignatureId.slice(0, 8)}.pdf"; filename*=UTF-8''${encodeURIComponent("合同（已盖章）.pdf")}`, body: Buffer.from(WALK_SEALED) }),
  },
};

// every module that declares "use server": its exports are public POST endpoints, whatever the file is called
const actionFiles = walkAll(path.join(root, "app")).filter((f) => /\.tsx?$/.test(f) && /^\s*["']use server["']/.test(readFileSync(f, "utf8")));
const routeFiles = walk(path.join(root, "app"), "route.ts");
const keyOf = (file: string) =>
  path
    .relative(path.join(root, "app"), path.dirname(file))
    .split(path.sep)
    .filter((s) => !/^\(.*\)$/.test(s))
    .join("/");

async function signInAs(user: TestUser) {
  const s = await createSession(user.id);
  jar.cookie = await encode({ token: { sid: s.id, sub: user.id }, secret: process.env.NEXTAUTH_SECRET! });
}

let fx: Fixture;
type UserKey = "cityIssuer" | "wrongRole" | "citySys" | "citySec" | "provinceSys" | "cityApplicant" | "cityMaker" | "provinceMaker" | "cityApprover" | "cityCustodian" | "citySupervisor" | "provinceSupervisor" | "citySealAdmin" | "cityCatalog";
let users: Record<UserKey, TestUser>;

/** Seal rows made directly (the lifecycle services are tested elsewhere). */
async function createOtherCitySeals(dept: TestDept, applicant: TestUser) {
  const { db } = await import("@/lib/db");
  const { hashPassword } = await import("@/lib/auth/passwords");
  // The platform CA exists after first setup; made here so that only the refusals are measured.
  await (await import("@/lib/crypto/ca")).ensurePlatformCa();
  const base = { kind: "LEGAL_NAME" as const, holderDeptId: dept.id, physicalRef: "WALK-0001", applicantId: applicant.id, applyReason: "权限遍历测试" };
  const applied = await db().seal.create({ data: { ...base, name: "遍历测试待审章", useMode: "CENTRALISED", status: "APPLIED" } });
  const now = Date.now();
  const esId = `${dept.areaCode}9${String(randomInt(10_000_000)).padStart(7, "0")}`;
  const der = new Uint8Array(Buffer.from(`walk certificate ${esId}`));
  const cert = await db().certificate.create({
    data: { serial: `walk${esId}`, kind: "SEAL", subject: `CN=遍历测试章,serialNumber=${dept.uscc}`, der, sm3: "0".repeat(64), notBefore: new Date(now), notAfter: new Date(now + 2 * 365 * 86_400_000) },
  });
  const active = await db().seal.create({
    data: {
      ...base,
      name: "遍历测试有效章",
      esId,
      useMode: "DISTRIBUTED",
      status: "ACTIVE",
      certificateId: cert.id,
      sealDer: new Uint8Array(Buffer.from("walk seal structure")),
      pictureSvg: "<svg xmlns='http://www.w3.org/2000/svg'/>",
      picturePng: new Uint8Array(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])),
      pictureSm3: "0".repeat(64),
      validStart: new Date(now - 86_400_000),
      validEnd: new Date(now + 10 * 86_400_000),
      producedAt: new Date(now - 86_400_000),
      filedAt: new Date(now - 86_400_000),
      filingNumber: `BA${esId}`,
      protectionHash: await hashPassword(WALK_PASSWORD),
      materials: { create: { purpose: "APPLY", filename: "证明.pdf", mime: "application/pdf", size: 18, sm3: "0".repeat(64), data: new Uint8Array(Buffer.from("%PDF-1.4 walk test")), uploadedById: applicant.id } },
    },
    include: { materials: true },
  });
  // a request of the other city pending on its first step, with a document and (as if later) a signature
  const request = await db().sealUseRequest.create({
    data: { sealId: active.id, holderDeptId: dept.id, applicantId: applicant.id, applicantName: "遍历测试", reason: "权限遍历测试", count: 2, validUntil: new Date(now + 5 * 86_400_000), status: "PENDING", round: 1, currentStep: 0 },
  });
  const step = await db().sealUseStep.create({ data: { requestId: request.id, round: 1, index: 0, name: "部门负责人审批", kind: "APPROVAL", mode: "ANY", status: "ACTIVE", activatedAt: new Date(now) } });
  await db().sealUseAssignee.create({ data: { stepId: step.id, requestId: request.id, userId: applicant.id, userName: "遍历测试", origin: "FLOW" } });
  const document = await db().sealUseDocument.create({ data: { requestId: request.id, filename: "合同.pdf", size: WALK_PDF.length, sm3: "0".repeat(64), pages: 1, data: new Uint8Array(Buffer.from(WALK_PDF)), uploadedById: applicant.id } });
  const signature = await db().sealUseSignature.create({
    data: {
      requestId: request.id,
      documentId: document.id,
      sealId: active.id,
      signerId: applicant.id,
      signerName: "遍历测试",
      status: "DONE",
      position: { page: 1, x: 100, y: 100 },
      signedSm3: "0".repeat(64),
      signatureDer: new Uint8Array(Buffer.from("walk signature")),
      sealedPdf: new Uint8Array(Buffer.from(WALK_SEALED)),
      sealedSm3: "0".repeat(64),
      completedAt: new Date(now),
    },
  });
  const type = await db().licenceType.create({ data: { typeCode: `${dept.uscc}9${String(randomInt(100)).padStart(2, "0")}`, name: "遍历测试证照", ownerDeptId: dept.id } });
  await db().licenceTypeVersion.create({ data: { typeId: type.id, number: 1, status: "DRAFT", ...walkTypeContent(dept.id, dept.uscc), faceLayout: "PORTRAIT_CERT" } });
  const entry = await db().issuanceListEntry.create({ data: { deptId: dept.id, typeId: type.id, legalBasis: "权限遍历测试", matters: [], holderCategory: "LEGAL_PERSON", aggregation: "ONLINE", validFrom: new Date(now) } });
  const walkHolder = await db().holder.create({
    data: { category: "LEGAL_PERSON", codeType: "001", codeHash: randomInt(1e9).toString(16).padStart(64, "a"), codeEnc: new Uint8Array(48), codeMasked: "9151**********558R", name: "遍历测试持证企业" },
  });
  const version = await db().licenceTypeVersion.findFirstOrThrow({ where: { typeId: type.id } });
  const licence = await db().licence.create({
    data: {
      identifier: `1.2.156.3005.2.${type.typeCode}.${dept.uscc}.${randomInt(1e9)}.001.0`, licenceNumber: `WALK${randomInt(1e9)}`, serial: "202600000001", typeId: type.id, typeVersionId: version.id, typeCode: type.typeCode, name: type.name,
      issuerDeptId: dept.id, originalIssuerDeptId: dept.id, issuerCode: dept.uscc, issuerName: dept.name, areaCode: dept.areaCode, holderId: walkHolder.id, holderCodeType: "001", holderCodeHash: walkHolder.codeHash, holderName: walkHolder.name,
      face: { holderName: "遍历测试持证企业" }, issuedAt: new Date(now), validFrom: new Date(now), businessCompletedAt: new Date(now), syncMode: "ONLINE", syncedAt: new Date(now), syncDueAt: new Date(now),
      canonicalSm3: "0".repeat(64), verifyCode: "WALK2345", signature: new Uint8Array(Buffer.from("walk licence signature")),
    },
  });
  const incident = await db().emergencyIncident.create({ data: { deptId: dept.id, title: "遍历测试应急事件", description: "权限遍历测试", startedAt: new Date(now - 3600_000) } });
  const licenceImport = await db().licenceImport.create({
    data: { deptId: dept.id, typeId: type.id, typeVersionId: version.id, fileName: "存量.csv", format: "CSV", fileSm3: "0".repeat(64), file: new Uint8Array(Buffer.from("a,b\n")), status: "VALIDATED", createdById: applicant.id },
  });
  const imp = await db().catalogImport.create({ data: { kind: "ISSUANCE", actorId: applicant.id, fileName: "清单.xlsx", sm3: "0".repeat(64), rows: [], report: [], errorCount: 0, status: "DRY_RUN" } });
  const objection = await db().objection.create({
    data: {
      number: `YY${Date.now()}`.slice(0, 16), licenceId: licence.id, issuerDeptId: dept.id, source: "DEPT", applicantDeptId: dept.id, applicantUserId: applicant.id, applicantName: "遍历测试",
      fields: [{ key: "holderName", label: "名称", current: "遍历测试持证企业", expected: "越权", hidden: false }], description: "权限遍历测试异议", status: "SUBMITTED", regionCode: "510700",
      receivedAt: new Date(now), markDueAt: new Date(now + 86_400_000), resolveDueAt: new Date(now + 5 * 86_400_000),
    },
  });
  const order = await db().rectificationOrder.create({
    data: {
      number: `ZG${Date.now()}`.slice(0, 14), deptId: dept.id, issuerDeptId: dept.id, category: "OTHER", title: "遍历测试整改", description: "权限遍历测试的整改通知", evidence: [], dueDays: 1,
      issuedAt: new Date(now - 10 * 86_400_000), dueAt: new Date(now - 5 * 86_400_000), status: "RESPONDED", respondedAt: new Date(now), createdById: applicant.id,
    },
  });
  const response = await db().rectificationResponse.create({ data: { orderId: order.id, round: 1, measures: "遍历测试的整改措施", responderId: applicant.id, responderName: "遍历测试" } });
  const attachment = await db().rectificationAttachment.create({ data: { responseId: response.id, fileName: "整改报告.pdf", mime: "application/pdf", size: WALK_PDF.length, sm3: "0".repeat(64), data: new Uint8Array(Buffer.from(WALK_PDF)) } });
  const spot = await db().spotCheck.create({
    data: { number: `CC${Date.now()}`.slice(0, 14), kind: "LICENCE", deptIds: [dept.id], perDept: 1, seed: "00".repeat(32), asOf: new Date(now), status: "OPEN", createdById: applicant.id, createdByName: "遍历测试" },
  });
  const spotItem = await db().spotCheckItem.create({ data: { checkId: spot.id, deptId: dept.id, targetId: licence.id, ordinal: 1 } });
  const evidence = await db().objectionEvidence.create({ data: { objectionId: objection.id, fileName: "证明.pdf", mime: "application/pdf", size: WALK_PDF.length, sm3: "0".repeat(64), data: new Uint8Array(Buffer.from(WALK_PDF)) } });
  return {
    otherIssuanceEntryId: entry.id,
    otherImportId: imp.id,
    otherTypeId: type.id,
    otherAppliedSealId: applied.id,
    otherActiveSealId: active.id,
    otherActiveEsId: esId,
    otherMaterialId: active.materials[0].id,
    otherCertDer: der,
    otherRequestId: request.id,
    otherStepId: step.id,
    otherDocumentId: document.id,
    otherSignatureId: signature.id,
    otherLicenceId: licence.id,
    otherLicenceIdentifier: licence.identifier,
    otherLicenceNumber: licence.licenceNumber,
    otherIncidentId: incident.id,
    otherLicenceImportId: licenceImport.id,
    otherObjectionId: objection.id,
    otherEvidenceId: evidence.id,
    otherSpotCheckId: spot.id,
    otherSpotItemId: spotItem.id,
    otherOrderId: order.id,
    otherAttachmentId: attachment.id,
  };
}

beforeAll(async () => {
  const province = await createDepartment({ level: "PROVINCE" });
  const cityA = await createDepartment({ parent: province, level: "CITY", area: "510100" });
  const cityB = await createDepartment({ parent: province, level: "CITY", area: "510700" });
  const otherCityUser = await createUser({ department: cityB, roles: ["USING_OPERATOR"] });
  const otherSession = await createSession(otherCityUser.id);
  fx = { otherCityDept: cityB, otherCityUser, otherSessionId: otherSession.id, cityDeptId: cityA.id, ...(await createOtherCitySeals(cityB, otherCityUser)) };
  users = {
    wrongRole: await createUser({ department: cityA, roles: ["USING_OPERATOR"] }),
    citySys: await createUser({ department: cityA, roles: [{ role: "SYSTEM_ADMIN", scope: "SUBTREE" }] }),
    citySec: await createUser({ department: cityA, roles: [{ role: "SECURITY_ADMIN", scope: "SUBTREE" }] }),
    provinceSys: await createUser({ department: province, roles: [{ role: "SYSTEM_ADMIN", scope: "PROVINCE" }] }),
    cityApplicant: await createUser({ department: cityA, roles: [{ role: "SEAL_APPLICANT", scope: "OWN" }] }),
    cityMaker: await createUser({ department: cityA, roles: [{ role: "SEAL_MAKER_REVIEWER", scope: "SUBTREE" }] }),
    provinceMaker: await createUser({ department: province, roles: [{ role: "SEAL_MAKER_REVIEWER", scope: "PROVINCE" }] }),
    cityApprover: await createUser({ department: cityA, roles: [{ role: "SEAL_APPROVER", scope: "OWN" }] }),
    cityCustodian: await createUser({ department: cityA, roles: [{ role: "SEAL_CUSTODIAN", scope: "OWN" }] }),
    citySupervisor: await createUser({ department: cityA, roles: [{ role: "SUPERVISOR", scope: "SUBTREE" }] }),
    provinceSupervisor: await createUser({ department: province, roles: [{ role: "SUPERVISOR", scope: "PROVINCE" }] }),
    citySealAdmin: await createUser({ department: cityA, roles: [{ role: "SEAL_ADMIN", scope: "OWN" }] }),
    cityCatalog: await createUser({ department: cityA, roles: [{ role: "CATALOG_ADMIN", scope: "SUBTREE" }] }),
    cityIssuer: await createUser({ department: cityA, roles: [{ role: "ISSUER_OPERATOR", scope: "SUBTREE" }] }),
  };
});

type Result = { ok: boolean; code?: string };
const exported: { key: string; fn: (i: unknown) => Promise<Result> }[] = [];

/** The other city's seal-use rows, to prove a refused call changed none of them. */
async function otherRequests() {
  const { db } = await import("@/lib/db");
  return db().sealUseRequest.findMany({
    where: { holderDeptId: fx.otherCityDept.id },
    orderBy: { id: "asc" },
    include: { steps: { include: { assignees: true } }, documents: { select: { id: true, removedAt: true } }, signatures: { select: { id: true, status: true } }, events: true },
  });
}

describe("every server action", () => {
  beforeAll(async () => {
    for (const file of actionFiles) {
      const mod = (await import(file)) as Record<string, unknown>;
      for (const [name, fn] of Object.entries(mod)) {
        if (typeof fn === "function") exported.push({ key: `${keyOf(file)}:${name}`, fn: fn as (i: unknown) => Promise<Result> });
      }
    }
  });

  it("is listed in this test with a wrong-department case", () => {
    expect(exported.length).toBeGreaterThan(10);
    expect(exported.map((e) => e.key).filter((k) => !CASES[k])).toEqual([]);
    expect(Object.keys(CASES).filter((k) => !exported.some((e) => e.key === k))).toEqual([]);
  });

  it("refuses an unauthenticated call", async () => {
    jar.cookie = null;
    jar.origin = "http://localhost:3000";
    for (const e of exported) expect([e.key, (await e.fn(CASES[e.key].input(fx))).code]).toEqual([e.key, "UNAUTHENTICATED"]);
  });

  it("refuses a call without a same-origin Origin header (CSRF)", async () => {
    await signInAs(users.provinceSys);
    jar.origin = null;
    for (const e of exported) expect([e.key, (await e.fn(CASES[e.key].input(fx))).code]).toEqual([e.key, "BAD_ORIGIN"]);
    jar.origin = "https://evil.example";
    for (const e of exported) expect([e.key, (await e.fn(CASES[e.key].input(fx))).code]).toEqual([e.key, "BAD_ORIGIN"]);
    jar.origin = "http://localhost:3000";
  });

  it("refuses a call from a role without the permission", async () => {
    for (const e of exported) {
      await signInAs(users[CASES[e.key].wrongRole ?? "wrongRole"]);
      const r = await e.fn(CASES[e.key].input(fx));
      if (ANY_SIGNED_IN.has(e.key)) expect([e.key, r.code]).toEqual([e.key, "INVALID_INPUT"]);
      else expect([e.key, r.code]).toEqual([e.key, "FORBIDDEN"]);
    }
  });

  it("refuses a call on a department outside the caller's scope, and changes nothing", async () => {
    const { db } = await import("@/lib/db");
    const before = {
      user: await db().user.findUniqueOrThrow({ where: { id: fx.otherCityUser.id }, include: { roles: true } }),
      dept: await db().department.findUniqueOrThrow({ where: { id: fx.otherCityDept.id } }),
      session: await db().userSession.findUniqueOrThrow({ where: { id: fx.otherSessionId } }),
      audit: await db().auditEvent.count(),
      seals: await db().seal.findMany({ where: { holderDeptId: fx.otherCityDept.id }, orderBy: { id: "asc" }, include: { materials: { select: { id: true } }, events: true } }),
      certificates: await db().certificate.count(),
      requests: await otherRequests(),
      types: await db().licenceTypeVersion.findMany({ where: { type: { ownerDeptId: fx.otherCityDept.id } }, orderBy: { id: "asc" } }),
      typeChanges: await db().catalogChange.count(),
      licences: await db().licence.findMany({ where: { OR: [{ issuerDeptId: fx.otherCityDept.id }, { originalIssuerDeptId: fx.otherCityDept.id }] }, orderBy: { id: "asc" } }),
      incidents: await db().emergencyIncident.findMany({ where: { deptId: fx.otherCityDept.id }, orderBy: { id: "asc" } }),
      licenceImports: await db().licenceImport.findMany({ where: { deptId: fx.otherCityDept.id }, orderBy: { id: "asc" } }),
      licenceEvents: await db().licenceEvent.count(),
      objections: await db().objection.findMany({ where: { issuerDeptId: fx.otherCityDept.id }, orderBy: { id: "asc" } }),
      objectionEvents: await db().objectionEvent.count(),
      orders: await db().rectificationOrder.findMany({ where: { deptId: fx.otherCityDept.id }, orderBy: { id: "asc" }, include: { responses: true, events: true } }),
      notices: await db().supervisionNotice.count(),
      spotChecks: await db().spotCheck.findMany({ where: { deptIds: { has: fx.otherCityDept.id } }, orderBy: { id: "asc" }, include: { items: true } }),
    };
    for (const e of exported) {
      const c = CASES[e.key];
      if (c.actor === "none") continue;
      await signInAs(users[c.actor]);
      const r = await e.fn(c.input(fx));
      expect([e.key, r.ok, r.code]).toEqual([e.key, false, "NOT_FOUND"]);
    }
    expect(await db().user.findUniqueOrThrow({ where: { id: fx.otherCityUser.id }, include: { roles: true } })).toEqual(before.user);
    expect(await db().department.findUniqueOrThrow({ where: { id: fx.otherCityDept.id } })).toEqual(before.dept);
    expect((await db().userSession.findUniqueOrThrow({ where: { id: fx.otherSessionId } })).endedAt).toBeNull();
    expect(await db().auditEvent.count()).toBe(before.audit);
    expect(await db().user.count({ where: { username: "walk_x1" } })).toBe(0);
    expect(await db().seal.findMany({ where: { holderDeptId: fx.otherCityDept.id }, orderBy: { id: "asc" }, include: { materials: { select: { id: true } }, events: true } })).toEqual(before.seals);
    expect(await db().certificate.count()).toBe(before.certificates);
    expect(await otherRequests()).toEqual(before.requests);
    expect(await db().approvalFlow.count({ where: { holderDeptId: fx.otherCityDept.id } })).toBe(0);
    expect(await db().licenceTypeVersion.findMany({ where: { type: { ownerDeptId: fx.otherCityDept.id } }, orderBy: { id: "asc" } })).toEqual(before.types);
    expect(await db().catalogChange.count()).toBe(before.typeChanges);
    expect(await db().licence.findMany({ where: { OR: [{ issuerDeptId: fx.otherCityDept.id }, { originalIssuerDeptId: fx.otherCityDept.id }] }, orderBy: { id: "asc" } })).toEqual(before.licences);
    expect(await db().emergencyIncident.findMany({ where: { deptId: fx.otherCityDept.id }, orderBy: { id: "asc" } })).toEqual(before.incidents);
    expect(await db().licenceEvent.count()).toBe(before.licenceEvents);
    expect(await db().licenceImport.findMany({ where: { deptId: fx.otherCityDept.id }, orderBy: { id: "asc" } })).toEqual(before.licenceImports);
    expect(await db().objection.findMany({ where: { issuerDeptId: fx.otherCityDept.id }, orderBy: { id: "asc" } })).toEqual(before.objections);
    expect(await db().objectionEvent.count()).toBe(before.objectionEvents);
    expect(await db().rectificationOrder.findMany({ where: { deptId: fx.otherCityDept.id }, orderBy: { id: "asc" }, include: { responses: true, events: true } })).toEqual(before.orders);
    expect(await db().supervisionNotice.count()).toBe(before.notices);
    expect(await db().spotCheck.findMany({ where: { deptIds: { has: fx.otherCityDept.id } }, orderBy: { id: "asc" }, include: { items: true } })).toEqual(before.spotChecks);
  });

  it("lets the right role in the right scope through (the refusals above are not blanket)", async () => {
    await signInAs(users.provinceSys);
    const e = exported.find((x) => x.key === "admin/users:updateUserAction")!;
    const r = await e.fn({ id: fx.otherCityUser.id, name: "省级改名", departmentId: fx.otherCityDept.id, phone: "", email: "" });
    expect(r).toEqual({ ok: true, data: { id: fx.otherCityUser.id } });
    await signInAs(users.provinceMaker);
    const review = exported.find((x) => x.key === "seals:startReviewAction")!;
    expect(await review.fn({ sealId: fx.otherAppliedSealId })).toEqual({ ok: true, data: { id: fx.otherAppliedSealId } });
  });
});

describe("every route handler", () => {
  type Get = (req: Request, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>;
  const guarded: { key: string; GET: Get }[] = [];
  beforeAll(async () => {
    for (const file of routeFiles) {
      const key = keyOf(file);
      if (!GUARDED_ROUTES[key]) continue;
      const mod = (await import(file)) as Record<string, unknown>;
      // Only GET is covered below: a guarded route with another method needs its own rows.
      expect([key, Object.keys(mod).filter((k) => /^(POST|PUT|PATCH|DELETE)$/.test(k))]).toEqual([key, []]);
      guarded.push({ key, GET: mod.GET as Get });
    }
  });
  const call = (key: string, GET: Get, params = GUARDED_ROUTES[key].params(fx)) =>
    GET(new Request(`http://localhost:3000/${key}`), { params: Promise.resolve(params) });
  const refusal = async (res: Response) => [res.status, ((await res.json()) as { code: string }).code, res.headers.get("cache-control")];

  it("is public by design (listed with a reason) or is tested for its guard", () => {
    const keys = routeFiles.map(keyOf).sort();
    expect(keys).toEqual([...Object.keys(PUBLIC_ROUTES), ...Object.keys(GUARDED_ROUTES), ...Object.keys(LIST_ROUTES), ...Object.keys(UNSCOPED_ROUTES)].sort());
    expect(guarded.map((g) => g.key).sort()).toEqual(Object.keys(GUARDED_ROUTES).sort());
  });

  it("list routes refuse no session (401), the wrong role (403) and a filter on another department (404)", async () => {
    for (const key of Object.keys(LIST_ROUTES)) {
      const { GET } = (await import(path.join(root, "app", ...key.split("/"), "route.ts"))) as { GET: (req: Request, ctx: { params: Promise<Record<string, string>> }) => Promise<Response> };
      const url = `http://localhost:3000/${LIST_ROUTES[key].path ?? key}`;
      const ctx = { params: Promise.resolve(LIST_ROUTES[key].params?.(fx) ?? { list: "issuance" }) };
      jar.cookie = null;
      expect([key, ...(await refusal(await GET(new Request(url), ctx)))]).toEqual([key, 401, "UNAUTHENTICATED", "no-store"]);
      await signInAs(users.wrongRole);
      expect([key, ...(await refusal(await GET(new Request(url), ctx)))]).toEqual([key, 403, "FORBIDDEN", "no-store"]);
      // asking for another department's rows by filter: not found, not an empty file
      await signInAs(users[LIST_ROUTES[key].outsider ?? "cityApplicant"]);
      expect([key, ...(await refusal(await GET(new Request(`${url}${LIST_ROUTES[key].outOfScope(fx)}`), ctx)))]).toEqual([key, 404, "NOT_FOUND", "no-store"]);
    }
  });

  it("refuses an unauthenticated request with 401", async () => {
    jar.cookie = null;
    for (const g of guarded) expect([g.key, ...(await refusal(await call(g.key, g.GET)))]).toEqual([g.key, 401, "UNAUTHENTICATED", "no-store"]);
  });

  it("refuses a role without the permission with 403", async () => {
    for (const g of guarded) {
      await signInAs(users[GUARDED_ROUTES[g.key].wrongRole ?? "wrongRole"]);
      expect([g.key, ...(await refusal(await call(g.key, g.GET)))]).toEqual([g.key, 403, "FORBIDDEN", "no-store"]);
    }
  });

  it("unscoped routes refuse no session (401) and the wrong role (403), and serve the right role", async () => {
    for (const [key, c] of Object.entries(UNSCOPED_ROUTES)) {
      const { GET } = (await import(path.join(root, "app", ...routeFiles.map((f) => path.relative(path.join(root, "app"), f)).find((f) => keyOf(path.join(root, "app", f)) === key)!.split(path.sep)))) as { GET: (req: Request) => Promise<Response> };
      const url = `http://localhost:3000/${c.path}`;
      jar.cookie = null;
      expect([key, ...(await refusal(await GET(new Request(url))))]).toEqual([key, 401, "UNAUTHENTICATED", "no-store"]);
      await signInAs(users.wrongRole);
      expect([key, ...(await refusal(await GET(new Request(url))))]).toEqual([key, 403, "FORBIDDEN", "no-store"]);
      await signInAs(users[c.viewer]);
      const res = await GET(new Request(url));
      expect([key, res.status, res.headers.get("content-type"), res.headers.get("content-disposition"), res.headers.get("cache-control"), res.headers.get("x-content-type-options")]).toEqual([key, 200, c.type, c.disposition, "no-store", "nosniff"]);
      expect((await res.arrayBuffer()).byteLength).toBeGreaterThan(0);
    }
  });

  it("answers 404 for a row of another department, and for a malformed id", async () => {
    for (const g of guarded) {
      for (const who of GUARDED_ROUTES[g.key].outsiders ?? (["cityMaker", "cityApplicant"] as const)) {
        await signInAs(users[who]);
        expect([who, g.key, ...(await refusal(await call(g.key, g.GET)))]).toEqual([who, g.key, 404, "NOT_FOUND", "no-store"]);
      }
    }
    for (const g of guarded) {
      await signInAs(users[GUARDED_ROUTES[g.key].viewer ?? "provinceMaker"]);
      const params = Object.fromEntries(Object.keys(GUARDED_ROUTES[g.key].params(fx)).map((k) => [k, "../not-a-uuid"]));
      expect([g.key, ...(await refusal(await call(g.key, g.GET, params)))]).toEqual([g.key, 404, "NOT_FOUND", "no-store"]);
    }
  });

  it("serves the right role in the right scope as an uncached, unsniffed download", async () => {
    for (const g of guarded) {
      await signInAs(users[GUARDED_ROUTES[g.key].viewer ?? "provinceMaker"]);
      const res = await call(g.key, g.GET);
      const want = GUARDED_ROUTES[g.key].expect(fx);
      expect([g.key, res.status, res.headers.get("content-type"), res.headers.get("content-disposition"), res.headers.get("cache-control"), res.headers.get("x-content-type-options")]).toEqual([
        g.key,
        200,
        want.type,
        want.disposition,
        "no-store",
        "nosniff",
      ]);
      const body = new Uint8Array(await res.arrayBuffer());
      expect(body.length).toBeGreaterThan(0);
      if (want.body) expect(Buffer.from(body).equals(Buffer.from(want.body))).toBe(true);
    }
  });
});
