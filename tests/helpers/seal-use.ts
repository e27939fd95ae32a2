// Shared setup of the seal-use integration tests (S-10 … S-13): a holder department with an ACTIVE
// seal made through the real lifecycle (key, certificate, picture, SESeal, filing), the people who
// apply, approve and keep it, a saved approval flow, small A4 PDFs, and helpers to walk a request
// through its steps. Everything is created fresh, so tests never share a seal unless they choose to.
import { PDFDocument, StandardFonts } from "pdf-lib";
import { expect } from "vitest";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { actorOf, type Actor } from "@/lib/auth/session";
import type { RoleName, Scope } from "@/lib/auth/permissions";
import { sm3Hex } from "@/lib/crypto/sm3";
import { shanghaiDate } from "@/lib/calendar/working-days";
import type { CheckedUpload } from "@/lib/uploads";
import { applySeal, produceSeal, setCustodians, startReview } from "@/lib/seals/service";
import { runFiling } from "@/lib/seals/filing";
import { makerCredential } from "@/lib/seals/production";
import { saveFlow } from "@/lib/seal-use/flows";
import type { FlowStep } from "@/lib/seal-use/schema";
import { createRequest, decide } from "@/lib/seal-use/service";
import type { SignInput } from "@/lib/seal-use/schema";
import { createDepartment, createUser, type TestDept } from "@/tests/helpers/factory";

export const A4: [number, number] = [595.28, 841.89];
export const PROTECTION_PASSWORD = "Seal#Pass01";

/** The Actor a signed-in user would have (roles and department as stored now). */
export async function actorFor(userId: string): Promise<Actor> {
  const u = await db().user.findUniqueOrThrow({ where: { id: userId }, include: { department: true, roles: true } });
  return actorOf(u, { sessionId: "t".repeat(64), mustChangePassword: null, ip: "127.0.0.1", userAgent: "vitest" });
}

/** A user with `roles` in `dept`, as an Actor. */
export async function makeActor(dept: { id: string }, roles: (RoleName | { role: RoleName; scope: Scope })[], name = "测试用户"): Promise<Actor> {
  const u = await createUser({ department: dept, roles, name });
  return actorFor(u.id);
}

/** An A4 PDF of `pages` pages with a line of text on each. */
export async function makePdf(pages = 2, text = "certseal seal-use test document"): Promise<Uint8Array<ArrayBuffer>> {
  const doc = await PDFDocument.create({ updateMetadata: false });
  const font = await doc.embedFont(StandardFonts.Helvetica);
  for (let i = 0; i < pages; i++) doc.addPage(A4).drawText(`Page ${i + 1}: ${text}`, { x: 72, y: 760, size: 14, font });
  return new Uint8Array(await doc.save({ useObjectStreams: false }));
}

/** What lib/uploads.ts checkUploads gives for a PDF the browser sent. */
export function upload(data: Uint8Array, filename = "用印文件.pdf"): CheckedUpload {
  const bytes = new Uint8Array(data);
  return { filename, mime: "application/pdf", size: bytes.length, sm3: sm3Hex(bytes), data: bytes };
}

/** A calendar date (Asia/Shanghai) `days` from now, as the request form sends it. */
export function dateIn(days: number, from = new Date()): string {
  return shanghaiDate(new Date(from.getTime() + days * 86_400_000));
}

export type World = Awaited<ReturnType<typeof makeSealUseWorld>>;

export const userStep = (name: string, mode: "ANY" | "ALL", users: { userId: string }[]): FlowStep => ({
  name,
  mode,
  approvers: users.map((u) => ({ type: "USER" as const, userId: u.userId })),
});

/**
 * A city holder department (under a new province) with one ACTIVE seal, a seal manager (names
 * custodians, saves flows), an applicant, `approvers` approvers (SEAL_APPROVER, own department),
 * a custodian (SEAL_CUSTODIAN, set as the seal's custodian), a sibling city department with an
 * approver of its own (out of scope), and the seal's own flow saved as version 1.
 */
export async function makeSealUseWorld(
  opts: {
    useMode?: "CENTRALISED" | "DISTRIBUTED";
    approvers?: number;
    /** the flow's steps (default: one any-one step of the first two approvers) */
    steps?: (w: { approvers: Actor[]; dept: TestDept }) => FlowStep[];
    /**
     * Issue the new seal-making unit's maker certificate before the seal is produced (default
     * true), as for any seal but a unit's first; false exercises the first-seal path (see the
     * regression test in seal-use-signing.int.test.ts).
     */
    prepareMaker?: boolean;
  } = {},
) {
  const useMode = opts.useMode ?? "CENTRALISED";
  const province = await createDepartment({ level: "PROVINCE" });
  const police = await createDepartment({ parent: province, level: "PROVINCE", parts: { isSealMaking: true }, name: `测试公安厅-${province.id.slice(0, 6)}` });
  const dept = await createDepartment({ parent: province, level: "CITY", parts: { isUsing: true }, name: `成都市测试局-${province.id.slice(0, 6)}` });
  const otherDept = await createDepartment({ parent: province, level: "CITY", name: `绵阳市测试局-${province.id.slice(0, 6)}` });

  const maker = await makeActor(police, [{ role: "SEAL_MAKER_REVIEWER", scope: "PROVINCE" }], "制章员");
  const manager = await makeActor(dept, ["SEAL_APPLICANT"], "印章经办人");
  // flows are kept by a seal administrator, never by an applicant (separation of duties)
  const flowAdmin = await makeActor(dept, ["SEAL_ADMIN"], "印章管理员");
  const applicant = await makeActor(dept, ["SEAL_APPLICANT"], "申请人");
  const approvers: Actor[] = [];
  for (let i = 0; i < (opts.approvers ?? 3); i++) approvers.push(await makeActor(dept, ["SEAL_APPROVER"], `审批人${i + 1}`));
  const custodian = await makeActor(dept, ["SEAL_CUSTODIAN"], "保管人");
  const outsider = await makeActor(otherDept, ["SEAL_APPROVER"], "外单位审批人");

  const { id: sealId } = await applySeal(
    manager,
    { holderDeptId: dept.id, kind: "LEGAL_NAME", businessType: null, positionType: null, name: dept.name, holderPersonName: "", useMode, physicalRef: `SC-${dept.id.slice(0, 8)}`, applyReason: "启用电子印章" },
    [],
  );
  await startReview(maker, sealId);
  if (opts.prepareMaker ?? true) await makerCredential(police.id);
  await produceSeal(maker, { sealId, validYears: 2, protectionPassword: useMode === "DISTRIBUTED" ? PROTECTION_PASSWORD : "" });
  const filing = await runFiling(sealId);
  if (filing.status !== "FILED") throw new Error(`filing failed: ${JSON.stringify(filing)}`);
  await setCustodians(manager, { sealId, administratorId: manager.userId, custodianIds: [custodian.userId] });

  const steps = opts.steps?.({ approvers, dept }) ?? [userStep("科室审核", "ANY", approvers.slice(0, 2))];
  const flow = await saveFlow(flowAdmin, { holderDeptId: dept.id, sealKind: null, sealId, name: "印章用印审批", steps, note: "", baseVersion: 0 });
  const pdfBytes = await makePdf(2);
  return { province, police, dept, otherDept, maker, manager, flowAdmin, applicant, approvers, custodian, outsider, sealId, flow, useMode, pdfBytes, pdf: upload(pdfBytes, "合同.pdf") };
}

/** A request by the world's applicant (submitted unless said otherwise). */
export async function newRequest(
  w: World,
  over: { count?: number; validUntil?: string; submit?: boolean; reason?: string; docs?: CheckedUpload[]; applicant?: Actor } = {},
) {
  const r = await createRequest(over.applicant ?? w.applicant, {
    sealId: w.sealId,
    reason: over.reason ?? "签订年度服务合同",
    count: over.count ?? 1,
    validUntil: over.validUntil ?? dateIn(30),
    remarks: "",
    submit: over.submit ?? true,
  }, over.docs ?? [w.pdf]);
  return r.id;
}

/** The request with its steps (all rounds, in order), assignees, documents and events. */
export async function loadRequest(id: string) {
  return db().sealUseRequest.findUniqueOrThrow({
    where: { id },
    include: {
      steps: { include: { assignees: { orderBy: { createdAt: "asc" } } }, orderBy: [{ round: "asc" }, { index: "asc" }] },
      documents: { orderBy: { createdAt: "asc" } },
      events: { orderBy: { id: "asc" } },
    },
  });
}

/** A step's decisions by user id (assignees written in one statement share a creation time). */
export function decisionsOf(step: { assignees: { userId: string; decision: string }[] }): Record<string, string> {
  return Object.fromEntries(step.assignees.map((a) => [a.userId, a.decision]));
}

/** The active step of the request's current round. */
export async function activeStep(id: string) {
  const r = await loadRequest(id);
  const s = r.steps.find((x) => x.round === r.round && x.status === "ACTIVE");
  if (!s) throw new Error(`request ${id} has no active step (status ${r.status})`);
  return s;
}

/** Audit events about one request (or one action of it), in order. */
export async function auditOf(requestId: string, action?: string) {
  return db().auditEvent.findMany({ where: { targetType: "SealUseRequest", targetId: requestId, ...(action ? { action } : {}) }, orderBy: { seq: "asc" } });
}

/** `seal_use.transition` audit entries of the request, as "from→to" per transition name. */
export async function transitionsOf(requestId: string): Promise<string[]> {
  return (await auditOf(requestId, "seal_use.transition")).map((a) => (a.detail as { transition: string }).transition);
}

/**
 * Decides one step as `actor`, the way the request page does: an approval step through the
 * approve action (seal.approve), the custodian's step through the confirm action (seal.custody).
 */
export async function decideStep(actor: Actor, requestId: string, stepId: string, decision: "APPROVED" | "REJECTED" = "APPROVED", comment = "") {
  const step = await db().sealUseStep.findUnique({ where: { id: stepId }, select: { kind: true } });
  const as = step?.kind === "CUSTODIAN" ? "seal.custody" : "seal.approve";
  return decide(actor, { requestId, stepId, decision, comment: comment || (decision === "REJECTED" ? "材料不全" : "") }, undefined, as);
}

/**
 * Approves every remaining step: on each active step, every pending assignee the world knows
 * approves in turn (so any-one and all-approve steps both finish), until the request leaves PENDING.
 */
export async function approveAll(w: World, requestId: string, extra: Actor[] = []) {
  const known = new Map([...w.approvers, w.custodian, ...extra].map((a) => [a.userId, a]));
  for (let guard = 0; guard < 20; guard++) {
    const r = await loadRequest(requestId);
    if (r.status !== "PENDING") return r;
    const step = r.steps.find((x) => x.round === r.round && x.status === "ACTIVE")!;
    const next = step.assignees.find((a) => a.decision === "PENDING" && known.has(a.userId));
    if (!next) throw new Error(`no known pending assignee on step ${step.name}`);
    await decideStep(known.get(next.userId)!, requestId, step.id);
  }
  throw new Error("approveAll: too many steps");
}

/** The request's first live document. */
export async function firstDocument(requestId: string) {
  return db().sealUseDocument.findFirstOrThrow({ where: { requestId, removedAt: null }, orderBy: { createdAt: "asc" } });
}

/** A sign input on page 2 of the document, well inside an A4 page. */
export async function signInputFor(requestId: string, over: Partial<SignInput> = {}): Promise<SignInput> {
  const doc = await firstDocument(requestId);
  return { requestId, documentId: doc.id, position: { page: 2, x: 400, y: 220 }, riding: false, protectionPassword: "", ...over };
}

/** Runs `p`, expects an AppError with `code` whose message contains `text`; returns it. */
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
