// Seal-use approval (S-10): any-one (或签) and all-approve (会签) steps, the custodian's
// confirmation, self-approval and custodian–approver separation, concurrent decisions, flows edited
// while requests run, transfer (转办) and added approvers (加签), reject → revise → resubmit,
// withdraw, expiry, reminders after one working day, and approvers who must still be active and in
// scope when they act. Assertions are on what a user or auditor would check: rows, statuses,
// history events, audit entries and notifications.
import { describe, expect, it, vi } from "vitest";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { saveFlow } from "@/lib/seal-use/flows";
import { addApprover, expireDueRequests, sendApprovalReminders, transferStep, updateRequest, withdrawRequest, submitRequest } from "@/lib/seal-use/service";
import { approvalQueue, requestDetail } from "@/lib/seal-use/queries";
import { signRequestDocument } from "@/lib/seal-use/signing";
import { setCustodians } from "@/lib/seals/service";
import { endOfShanghaiDay } from "@/lib/calendar/working-days";
import {
  actorFor,
  activeStep,
  approveAll,
  auditOf,
  dateIn,
  decideStep,
  decisionsOf,
  expectAppError,
  loadRequest,
  makeActor,
  makePdf,
  makeSealUseWorld,
  newRequest,
  signInputFor,
  transitionsOf,
  upload,
  userStep,
} from "@/tests/helpers/seal-use";

vi.mock("next/headers", () => ({ headers: () => Promise.resolve(new Headers({ "user-agent": "vitest" })), cookies: () => Promise.resolve({ get: () => undefined }) }));

const events = async (id: string) => (await loadRequest(id)).events.map((e) => e.action);

describe("any-one (或签) and all-approve (会签) steps", () => {
  it("walks 或签 → 会签 → 保管人确认 to APPROVED, with history, audit and notifications at each step", async () => {
    const w = await makeSealUseWorld({ approvers: 4, steps: ({ approvers: [a, b, c, d] }) => [userStep("科室审核", "ANY", [a, b]), userStep("领导会签", "ALL", [c, d])] });
    const id = await newRequest(w, { count: 2 });

    let r = await loadRequest(id);
    expect(r).toMatchObject({ status: "PENDING", round: 1, currentStep: 0, count: 2, usedCount: 0 });
    expect(r.steps.map((s) => [s.name, s.kind, s.mode, s.status])).toEqual([
      ["科室审核", "APPROVAL", "ANY", "ACTIVE"],
      ["领导会签", "APPROVAL", "ALL", "WAITING"],
      ["保管人确认", "CUSTODIAN", "ANY", "WAITING"],
    ]);
    expect(r.steps[0].assignees.map((x) => x.userId).sort()).toEqual([w.approvers[0].userId, w.approvers[1].userId].sort());
    expect(r.steps[2].assignees.map((x) => x.userId)).toEqual([w.custodian.userId]);
    expect(r.steps.flatMap((s) => s.assignees.map((x) => x.origin))).toEqual(["FLOW", "FLOW", "FLOW", "FLOW", "FLOW"]);
    // the first step's approvers are told; nobody else yet
    const pending = await db().notification.findMany({ where: { link: `/seal-use/${id}`, kind: "seal_use.pending" } });
    expect(pending.map((n) => n.userId).sort()).toEqual([w.approvers[0].userId, w.approvers[1].userId].sort());
    expect((await approvalQueue(w.approvers[0])).some((q) => q.requestId === id && q.step === "科室审核")).toBe(true);
    expect((await approvalQueue(w.approvers[2])).some((q) => q.requestId === id)).toBe(false);

    // 或签: one approval finishes the step; the other approver is no longer asked
    await decideStep(w.approvers[0], id, r.steps[0].id, "APPROVED", "同意");
    r = await loadRequest(id);
    expect(r.currentStep).toBe(1);
    expect(r.steps[0]).toMatchObject({ status: "APPROVED" });
    expect(decisionsOf(r.steps[0])).toEqual({ [w.approvers[0].userId]: "APPROVED", [w.approvers[1].userId]: "SKIPPED" });
    expect(r.steps[1].status).toBe("ACTIVE");
    await expectAppError(decideStep(w.approvers[1], id, r.steps[0].id), "CONFLICT", "该环节已不在审批中");

    // 会签: one of two is not enough
    await decideStep(w.approvers[2], id, r.steps[1].id);
    r = await loadRequest(id);
    expect(r.steps[1].status).toBe("ACTIVE");
    expect(r.currentStep).toBe(1);
    await decideStep(w.approvers[3], id, r.steps[1].id);
    r = await loadRequest(id);
    expect(r.steps[1].status).toBe("APPROVED");
    expect(r.steps[2].status).toBe("ACTIVE");
    expect(r.status).toBe("PENDING");
    expect((await db().notification.findMany({ where: { link: `/seal-use/${id}`, kind: "seal_use.pending", userId: w.custodian.userId } })).map((n) => n.title)[0]).toContain("待确认用印");

    // the custodian confirms: approved, applicant and custodian are told
    await decideStep(w.custodian, id, r.steps[2].id);
    r = await loadRequest(id);
    expect(r.status).toBe("APPROVED");
    expect(r.approvedAt).not.toBeNull();
    expect(r.currentStep).toBeNull();
    expect(r.steps.every((s) => s.status === "APPROVED")).toBe(true);
    expect(r.events.map((e) => e.action)).toEqual(["create", "submit", "approve_step", "approve_step", "approve_step", "approve_step", "approve"]);
    expect(await transitionsOf(id)).toEqual(["submit", "approve"]);
    expect((await auditOf(id, "seal_use.decision")).map((a) => (a.detail as { step: string }).step)).toEqual(["科室审核", "领导会签", "领导会签", "保管人确认"]);
    const results = await db().notification.findMany({ where: { link: `/seal-use/${id}`, kind: { in: ["seal_use.result", "seal_use.approved"] } } });
    expect(results.map((n) => [n.kind, n.userId]).sort()).toEqual(
      [
        ["seal_use.approved", w.custodian.userId],
        ["seal_use.result", w.applicant.userId],
      ].sort(),
    );

    // the detail page shows every decision, and the custodian may now sign
    const detail = await requestDetail(w.custodian, id);
    expect(detail.rounds[0].steps.map((s) => decisionsOf(s))).toEqual([
      { [w.approvers[0].userId]: "APPROVED", [w.approvers[1].userId]: "SKIPPED" },
      { [w.approvers[2].userId]: "APPROVED", [w.approvers[3].userId]: "APPROVED" },
      { [w.custodian.userId]: "APPROVED" },
    ]);
    expect(detail.can.sign).toMatchObject({ allowed: true });
  });

  it("role approvers (SEAL_APPROVER of the holder department) are resolved at submission, without the disabled ones", async () => {
    const w = await makeSealUseWorld({ steps: ({ dept }) => [{ name: "部门审批", mode: "ANY", approvers: [{ type: "ROLE", role: "SEAL_APPROVER", departmentId: dept.id }] }] });
    await db().user.update({ where: { id: w.approvers[2].userId }, data: { status: "DISABLED" } });
    const id = await newRequest(w);
    const step = await activeStep(id);
    expect(step.assignees.map((a) => a.userId).sort()).toEqual([w.approvers[0].userId, w.approvers[1].userId].sort());
  });
});

describe("self-approval refused", () => {
  it("an applicant who also holds SEAL_APPROVER is never made an approver and cannot decide, transfer to or be added", async () => {
    const w = await makeSealUseWorld();
    const both = await makeActor(w.dept, ["SEAL_APPLICANT", "SEAL_APPROVER"], "申请兼审批人");
    // the flow names them (they are a valid approver for others' requests)
    await saveFlow(w.flowAdmin, { holderDeptId: w.dept.id, sealKind: null, sealId: w.sealId, name: "印章用印审批", steps: [userStep("科室审核", "ANY", [both, w.approvers[0]])], note: "加入申请兼审批人", baseVersion: 1 });

    const id = await newRequest(w, { applicant: both });
    const step = await activeStep(id);
    expect(step.assignees.map((a) => a.userId)).toEqual([w.approvers[0].userId]);
    await expectAppError(decideStep(both, id, step.id), "FORBIDDEN", "不能审批自己提交的申请");
    await expectAppError(addApprover(w.approvers[0], { requestId: id, stepId: step.id, userId: both.userId, comment: "请申请人会签" }), "INVALID_INPUT", "加签人不能处理该环节");
    await expectAppError(transferStep(w.approvers[0], { requestId: id, stepId: step.id, toUserId: both.userId, comment: "转给申请人" }), "INVALID_INPUT", "转办对象不能处理该环节");
    expect((await activeStep(id)).assignees.map((a) => [a.userId, a.decision])).toEqual([[w.approvers[0].userId, "PENDING"]]);
    expect(await auditOf(id, "seal_use.decision")).toHaveLength(0);

    // a step naming only the applicant cannot start: the request stays a draft
    await saveFlow(w.flowAdmin, { holderDeptId: w.dept.id, sealKind: null, sealId: w.sealId, name: "印章用印审批", steps: [userStep("科室审核", "ANY", [both])], note: "", baseVersion: 2 });
    const draft = await newRequest(w, { applicant: both, submit: false });
    await expectAppError(submitRequest(both, draft), "CONFLICT", "申请人本人不能审批");
    expect((await loadRequest(draft)).status).toBe("DRAFT");
    expect(await db().sealUseStep.count({ where: { requestId: draft } })).toBe(0);
  });
});

describe("custodian–approver separation", () => {
  it("a custodian who approved an approval step can neither confirm as custodian nor sign; another custodian can", async () => {
    const w = await makeSealUseWorld();
    const dual = await makeActor(w.dept, ["SEAL_APPROVER", "SEAL_CUSTODIAN"], "审批兼保管人");
    await setCustodians(w.manager, { sealId: w.sealId, administratorId: w.manager.userId, custodianIds: [w.custodian.userId, dual.userId] });
    await saveFlow(w.flowAdmin, { holderDeptId: w.dept.id, sealKind: null, sealId: w.sealId, name: "印章用印审批", steps: [userStep("科室审核", "ANY", [dual])], note: "", baseVersion: 1 });

    const id = await newRequest(w);
    let r = await loadRequest(id);
    expect(r.steps[1].assignees.map((a) => a.userId).sort()).toEqual([w.custodian.userId, dual.userId].sort());
    await decideStep(dual, id, r.steps[0].id);
    await expectAppError(decideStep(dual, id, r.steps[1].id), "FORBIDDEN", "审批与用印分离");
    r = await loadRequest(id);
    expect(r.steps[1].status).toBe("ACTIVE");
    expect(r.steps[1].assignees.find((a) => a.userId === dual.userId)!.decision).toBe("PENDING");

    // nor can the custodians' step be handed to them
    await expect(transferStep(w.custodian, { requestId: id, stepId: r.steps[1].id, toUserId: dual.userId, comment: "请代为确认" })).rejects.toBeInstanceOf(AppError);
    expect((await loadRequest(id)).steps[1].assignees.map((a) => a.origin)).toEqual(["FLOW", "FLOW"]);
    await decideStep(w.custodian, id, r.steps[1].id);
    expect((await loadRequest(id)).status).toBe("APPROVED");

    await expectAppError(signRequestDocument(dual, await signInputFor(id)), "CONFLICT", "不能再盖章（审批与用印分离）");
    const refused = await auditOf(id, "seal_use.sign_refused");
    expect(refused).toHaveLength(1);
    expect((refused[0].detail as { reason: string }).reason).toContain("审批与用印分离");
    expect(refused[0].actorId).toBe(dual.userId);
    expect((await loadRequest(id)).usedCount).toBe(0);
    expect(await db().sealUseRecord.count({ where: { requestId: id } })).toBe(0);

    await signRequestDocument(w.custodian, await signInputFor(id));
    expect(await loadRequest(id)).toMatchObject({ usedCount: 1, status: "USED" });
  });
});

describe("concurrent decisions give one transition", () => {
  it("two approvers of an any-one step deciding at once: one wins, the step moves once", async () => {
    const w = await makeSealUseWorld();
    const id = await newRequest(w);
    const step = await activeStep(id);
    const results = await Promise.allSettled([decideStep(w.approvers[0], id, step.id), decideStep(w.approvers[1], id, step.id)]);
    expect(results.filter((x) => x.status === "fulfilled")).toHaveLength(1);
    const lost = results.find((x) => x.status === "rejected");
    expect(lost?.reason).toMatchObject({ code: "CONFLICT" });

    const r = await loadRequest(id);
    expect(r.currentStep).toBe(1);
    expect(r.steps[0].status).toBe("APPROVED");
    expect(r.steps[0].assignees.map((a) => a.decision).sort()).toEqual(["APPROVED", "SKIPPED"]);
    expect(r.steps[1].status).toBe("ACTIVE");
    expect(r.events.filter((e) => e.action === "approve_step")).toHaveLength(1);
    expect(await auditOf(id, "seal_use.decision")).toHaveLength(1);
    expect(await transitionsOf(id)).toEqual(["submit"]);
    // the custodian is told once
    expect(await db().notification.count({ where: { link: `/seal-use/${id}`, userId: w.custodian.userId, kind: "seal_use.pending" } })).toBe(1);
  });

  it("two custodians confirming at once: the request is approved exactly once", async () => {
    const w = await makeSealUseWorld();
    const second = await makeActor(w.dept, ["SEAL_CUSTODIAN"], "保管人二");
    await setCustodians(w.manager, { sealId: w.sealId, administratorId: null, custodianIds: [w.custodian.userId, second.userId] });
    const id = await newRequest(w);
    await decideStep(w.approvers[0], id, (await activeStep(id)).id);
    const step = await activeStep(id);
    expect(step.kind).toBe("CUSTODIAN");
    const results = await Promise.allSettled([decideStep(w.custodian, id, step.id), decideStep(second, id, step.id)]);
    expect(results.filter((x) => x.status === "fulfilled")).toHaveLength(1);
    const r = await loadRequest(id);
    expect(r.status).toBe("APPROVED");
    expect(r.events.filter((e) => e.action === "approve")).toHaveLength(1);
    expect(await transitionsOf(id)).toEqual(["submit", "approve"]);
  });

  it("the last two approvers of an all-approve step approving at once complete it exactly once", async () => {
    const w = await makeSealUseWorld({ useMode: "DISTRIBUTED", steps: ({ approvers }) => [userStep("领导会签", "ALL", approvers)] });
    for (let i = 0; i < 3; i++) {
      const id = await newRequest(w);
      const step = await activeStep(id);
      await decideStep(w.approvers[0], id, step.id);
      const results = await Promise.allSettled([decideStep(w.approvers[1], id, step.id), decideStep(w.approvers[2], id, step.id)]);
      expect(results.map((x) => x.status)).toEqual(["fulfilled", "fulfilled"]);
      const r = await loadRequest(id);
      expect(r.steps[0].status).toBe("APPROVED");
      expect(r.steps[0].assignees.map((a) => a.decision)).toEqual(["APPROVED", "APPROVED", "APPROVED"]);
      expect(r.status).toBe("APPROVED");
      expect(r.events.filter((e) => e.action === "approve")).toHaveLength(1);
      expect(await transitionsOf(id)).toEqual(["submit", "approve"]);
      expect(await db().notification.count({ where: { link: `/seal-use/${id}`, kind: "seal_use.result" } })).toBe(1);
    }
  });
});

describe("a flow edited mid-way", () => {
  it("running requests keep their version's steps and approvers; new requests use the new version", async () => {
    const w = await makeSealUseWorld({ steps: ({ approvers: [a] }) => [userStep("科室审核", "ANY", [a])] });
    const running = await newRequest(w);
    const v1 = (await loadRequest(running)).flowVersionId;

    // a stale editor is refused; the current one saves version 2
    await expectAppError(
      saveFlow(w.flowAdmin, { holderDeptId: w.dept.id, sealKind: null, sealId: w.sealId, name: "印章用印审批", steps: [userStep("x", "ANY", [w.approvers[1]])], note: "", baseVersion: 0 }),
      "CONFLICT",
      "已被他人修改",
    );
    const saved = await saveFlow(w.flowAdmin, {
      holderDeptId: w.dept.id,
      sealKind: null,
      sealId: w.sealId,
      name: "印章用印审批（调整）",
      steps: [userStep("新审核", "ANY", [w.approvers[1]]), userStep("领导会签", "ALL", [w.approvers[0], w.approvers[2]])],
      note: "增加领导会签",
      baseVersion: 1,
    });
    expect(saved).toEqual({ id: w.flow.id, version: 2 });
    const flowAudit = await db().auditEvent.findMany({ where: { targetType: "ApprovalFlow", targetId: w.flow.id }, orderBy: { seq: "asc" } });
    expect(flowAudit.map((a) => (a.detail as { version: number }).version)).toEqual([1, 2]);
    expect(await db().approvalFlowVersion.count({ where: { flowId: w.flow.id } })).toBe(2);

    let r = await loadRequest(running);
    expect(r.flowVersionId).toBe(v1);
    expect(r.steps.map((s) => s.name)).toEqual(["科室审核", "保管人确认"]);
    expect(r.steps[0].assignees.map((a) => a.userId)).toEqual([w.approvers[0].userId]);
    // the new version's approver has no part in the running request
    await expectAppError(decideStep(w.approvers[1], running, r.steps[0].id), "FORBIDDEN", "您不是该环节的审批人");
    await approveAll(w, running);
    r = await loadRequest(running);
    expect(r.status).toBe("APPROVED");
    expect(r.steps.map((s) => s.name)).toEqual(["科室审核", "保管人确认"]);

    const fresh = await newRequest(w);
    const f = await loadRequest(fresh);
    const v2 = await db().approvalFlowVersion.findUniqueOrThrow({ where: { flowId_number: { flowId: w.flow.id, number: 2 } } });
    expect(f.flowVersionId).toBe(v2.id);
    expect(f.steps.map((s) => [s.name, s.mode])).toEqual([
      ["新审核", "ANY"],
      ["领导会签", "ALL"],
      ["保管人确认", "ANY"],
    ]);
    expect((f.events.find((e) => e.action === "submit")?.comment ?? "")).toContain("第 2 版");
  });
});

describe("transfer (转办) and add approver (加签)", () => {
  it("转办 hands the approver's part to another; it is recorded and the new approver's decision counts", async () => {
    const w = await makeSealUseWorld({ steps: ({ approvers: [a, b] }) => [userStep("领导会签", "ALL", [a, b])] });
    const id = await newRequest(w);
    const step = await activeStep(id);
    await expectAppError(transferStep(w.approvers[0], { requestId: id, stepId: step.id, toUserId: w.outsider.userId, comment: "转外单位" }), "INVALID_INPUT", "转办对象不能处理该环节");
    await expectAppError(transferStep(w.approvers[0], { requestId: id, stepId: step.id, toUserId: w.approvers[1].userId, comment: "转给同环节的人" }), "INVALID_INPUT", "该人员已在本环节中");

    await transferStep(w.approvers[0], { requestId: id, stepId: step.id, toUserId: w.approvers[2].userId, comment: "出差，请代为审批" });
    let s = await activeStep(id);
    expect(s.assignees.map((a) => [a.userId, a.origin, a.decision]).sort()).toEqual(
      [
        [w.approvers[0].userId, "FLOW", "TRANSFERRED"],
        [w.approvers[1].userId, "FLOW", "PENDING"],
        [w.approvers[2].userId, "TRANSFER", "PENDING"],
      ].sort(),
    );
    expect(s.assignees.find((a) => a.origin === "TRANSFER")!.addedById).toBe(w.approvers[0].userId);
    expect(s.assignees.find((a) => a.decision === "TRANSFERRED")!.comment).toContain("出差，请代为审批");
    expect(await events(id)).toContain("transfer");
    const audit = await auditOf(id, "seal_use.transfer");
    expect(audit).toHaveLength(1);
    expect(audit[0].detail).toMatchObject({ toUserId: w.approvers[2].userId, step: "领导会签", comment: "出差，请代为审批" });
    const note = await db().notification.findFirstOrThrow({ where: { link: `/seal-use/${id}`, userId: w.approvers[2].userId } });
    expect(note.title).toContain("转办待审批");

    // the one who transferred has nothing left to decide
    await expectAppError(decideStep(w.approvers[0], id, step.id), "CONFLICT", "您已处理过该环节");
    await decideStep(w.approvers[1], id, step.id);
    s = await activeStep(id);
    expect(s.id).toBe(step.id); // 会签 still waits for the transferee
    await decideStep(w.approvers[2], id, step.id);
    const r = await loadRequest(id);
    expect(r.steps[0].status).toBe("APPROVED");
    expect(r.steps[1].status).toBe("ACTIVE");
  });

  it("加签 adds an approver who must also approve before an any-one step completes", async () => {
    const w = await makeSealUseWorld();
    const id = await newRequest(w);
    const step = await activeStep(id);
    await expectAppError(addApprover(w.approvers[0], { requestId: id, stepId: step.id, userId: w.outsider.userId, comment: "请外单位会签" }), "INVALID_INPUT", "加签人不能处理该环节");
    await expectAppError(addApprover(w.approvers[0], { requestId: id, stepId: step.id, userId: w.approvers[1].userId, comment: "重复加签" }), "INVALID_INPUT", "该人员已在本环节中");

    await addApprover(w.approvers[0], { requestId: id, stepId: step.id, userId: w.approvers[2].userId, comment: "涉及合同金额，请法规科会签" });
    let s = await activeStep(id);
    const added = s.assignees.find((a) => a.userId === w.approvers[2].userId)!;
    expect(added).toMatchObject({ origin: "ADDED", decision: "PENDING", addedById: w.approvers[0].userId });
    expect(await events(id)).toContain("add_approver");
    expect((await auditOf(id, "seal_use.add_approver"))[0].detail).toMatchObject({ userId: w.approvers[2].userId, comment: "涉及合同金额，请法规科会签" });
    expect((await db().notification.findFirstOrThrow({ where: { link: `/seal-use/${id}`, userId: w.approvers[2].userId } })).title).toContain("加签待审批");

    // 或签 would normally finish here, but the added approver has not approved yet
    await decideStep(w.approvers[0], id, step.id);
    s = await activeStep(id);
    expect(s.id).toBe(step.id);
    expect(decisionsOf(s)).toEqual({ [w.approvers[0].userId]: "APPROVED", [w.approvers[1].userId]: "PENDING", [w.approvers[2].userId]: "PENDING" });
    await decideStep(w.approvers[2], id, step.id);
    const r = await loadRequest(id);
    expect(r.steps[0].status).toBe("APPROVED");
    expect(decisionsOf(r.steps[0])).toEqual({ [w.approvers[0].userId]: "APPROVED", [w.approvers[1].userId]: "SKIPPED", [w.approvers[2].userId]: "APPROVED" });
    expect(r.currentStep).toBe(1);
  });
});

describe("reject, revise and resubmit; withdraw; expire; reminders", () => {
  it("a rejected request is revised by the applicant and resubmitted as round 2", async () => {
    const w = await makeSealUseWorld();
    const id = await newRequest(w);
    const step = await activeStep(id);
    await decideStep(w.approvers[0], id, step.id, "REJECTED", "合同文本缺少签字页");
    let r = await loadRequest(id);
    expect(r).toMatchObject({ status: "REJECTED", round: 1, currentStep: null });
    expect(r.steps.map((s) => s.status)).toEqual(["REJECTED", "CANCELLED"]);
    expect(r.steps[0].assignees.map((a) => [a.userId, a.decision, a.comment]).sort()).toEqual(
      [
        [w.approvers[0].userId, "REJECTED", "合同文本缺少签字页"],
        [w.approvers[1].userId, "SKIPPED", null],
      ].sort(),
    );
    expect(await transitionsOf(id)).toEqual(["submit", "reject"]);
    const rejected = await db().notification.findFirstOrThrow({ where: { link: `/seal-use/${id}`, userId: w.applicant.userId, kind: "seal_use.result" } });
    expect(rejected.title).toContain("被驳回");
    expect(rejected.body).toContain("合同文本缺少签字页");

    // only the applicant may revise, from the version they saw
    const oldDoc = r.documents[0];
    const revised = upload(await makePdf(2, "revised with signature page"), "合同（含签字页）.pdf");
    const input = { requestId: id, reason: "签订年度服务合同（补签字页）", count: 2, validUntil: dateIn(20), remarks: "已补签字页", submit: true, keepDocumentIds: [] as string[], baseVersion: r.version };
    await expectAppError(updateRequest(w.approvers[0], input, [revised]), "FORBIDDEN");
    await expectAppError(updateRequest(w.applicant, { ...input, baseVersion: r.version - 1 }, [revised]), "CONFLICT", "已被他人处理");
    await updateRequest(w.applicant, input, [revised]);

    r = await loadRequest(id);
    expect(r).toMatchObject({ status: "PENDING", round: 2, currentStep: 0, reason: "签订年度服务合同（补签字页）", count: 2, remarks: "已补签字页" });
    expect(r.documents.map((d) => [d.filename, d.removedAt === null])).toEqual([
      [oldDoc.filename, false],
      ["合同（含签字页）.pdf", true],
    ]);
    expect(r.steps.map((s) => [s.round, s.index, s.status])).toEqual([
      [1, 0, "REJECTED"],
      [1, 1, "CANCELLED"],
      [2, 0, "ACTIVE"],
      [2, 1, "WAITING"],
    ]);
    expect(r.events.map((e) => [e.action, e.round])).toEqual([
      ["create", 0],
      ["submit", 1],
      ["reject_step", 1],
      ["reject", 1],
      ["update", 1],
      ["submit", 2],
    ]);
    const upd = await auditOf(id, "seal_use.update");
    expect(upd).toHaveLength(1);
    expect(JSON.stringify(upd[0].detail)).toContain("补签字页");
    expect((upd[0].detail as { added: string[]; removed: string[] }).removed[0]).toContain(oldDoc.sm3);
    expect(await transitionsOf(id)).toEqual(["submit", "reject", "submit"]);
    expect((await auditOf(id, "seal_use.transition")).at(-1)!.detail).toMatchObject({ from: "REJECTED", to: "PENDING", round: 2 });

    const approved = await approveAll(w, id);
    expect(approved).toMatchObject({ status: "APPROVED", round: 2 });
    const detail = await requestDetail(w.applicant, id);
    expect(detail.rounds.map((x) => x.round)).toEqual([2, 1]);
  });

  it("the applicant withdraws a pending request: steps close, approvers can no longer act", async () => {
    const w = await makeSealUseWorld();
    const id = await newRequest(w);
    const step = await activeStep(id);
    await expectAppError(withdrawRequest(w.manager, { requestId: id, comment: "" }), "FORBIDDEN", "只有申请人可以撤回申请");
    await withdrawRequest(w.applicant, { requestId: id, comment: "合同取消签订" });
    const r = await loadRequest(id);
    expect(r.status).toBe("WITHDRAWN");
    expect(r.closedAt).not.toBeNull();
    expect(r.steps.map((s) => s.status)).toEqual(["CANCELLED", "CANCELLED"]);
    expect(r.steps.flatMap((s) => s.assignees.map((a) => a.decision)).every((d) => d === "SKIPPED")).toBe(true);
    expect(r.events.at(-1)).toMatchObject({ action: "withdraw", comment: "合同取消签订" });
    expect((await auditOf(id, "seal_use.transition")).at(-1)!.detail).toMatchObject({ transition: "withdraw", from: "PENDING", to: "WITHDRAWN" });
    await expectAppError(decideStep(w.approvers[0], id, step.id), "CONFLICT", "已撤回");
    await expectAppError(withdrawRequest(w.applicant, { requestId: id, comment: "" }), "CONFLICT", "不能撤回");
    expect((await approvalQueue(w.approvers[0])).some((q) => q.requestId === id)).toBe(false);
  });

  it("a request past its valid-until date expires (once), and the applicant is told", async () => {
    const w = await makeSealUseWorld();
    const today = dateIn(0);
    const id = await newRequest(w, { validUntil: today });
    const keep = await newRequest(w, { validUntil: dateIn(5) });
    const end = endOfShanghaiDay(today);
    // not yet: the request is valid through the end of its day
    await expireDueRequests(end);
    expect((await loadRequest(id)).status).toBe("PENDING");

    const after = new Date(end.getTime() + 1);
    expect(await expireDueRequests(after)).toBeGreaterThanOrEqual(1);
    await expireDueRequests(after); // a re-run changes nothing
    const r = await loadRequest(id);
    expect(r.status).toBe("EXPIRED");
    expect(r.closedAt).not.toBeNull();
    expect(r.steps.map((s) => s.status)).toEqual(["CANCELLED", "CANCELLED"]);
    expect(r.events.filter((e) => e.action === "expire")).toHaveLength(1);
    const audit = await auditOf(id, "seal_use.transition");
    expect(audit.map((a) => (a.detail as { transition: string }).transition)).toEqual(["submit", "expire"]);
    expect(audit[1]).toMatchObject({ actorId: null, actorName: "system" });
    expect(await db().notification.count({ where: { link: `/seal-use/${id}`, kind: "seal_use.expired", userId: w.applicant.userId } })).toBe(1);
    expect((await loadRequest(keep)).status).toBe("PENDING");
    await expectAppError(decideStep(w.approvers[0], id, r.steps[0].id), "CONFLICT", "已过期");
  });

  it("approvers are reminded once after one working day pending on their step", async () => {
    const w = await makeSealUseWorld();
    const id = await newRequest(w);
    const step = await activeStep(id);
    expect(step.remindAt).not.toBeNull();
    expect(step.remindAt!.getTime()).toBeGreaterThan(step.activatedAt!.getTime() + 12 * 3_600_000);

    await sendApprovalReminders(step.remindAt!); // not beyond it yet
    expect(await db().notification.count({ where: { link: `/seal-use/${id}`, kind: "seal_use.reminder" } })).toBe(0);

    const later = new Date(step.remindAt!.getTime() + 1);
    await sendApprovalReminders(later);
    await sendApprovalReminders(later); // the job runs again: nothing twice
    const sent = await db().notification.findMany({ where: { link: `/seal-use/${id}`, kind: "seal_use.reminder" } });
    expect(sent.map((n) => n.userId).sort()).toEqual([w.approvers[0].userId, w.approvers[1].userId].sort());
    expect(sent[0].title).toContain("催办");
    expect((await db().sealUseStep.findUniqueOrThrow({ where: { id: step.id } })).remindedAt).not.toBeNull();
    expect((await approvalQueue(w.approvers[0], later)).find((q) => q.requestId === id)).toMatchObject({ overdue: true });

    // the next step gets its own reminder clock; decided approvers are not reminded
    await decideStep(w.approvers[0], id, step.id);
    const next = await activeStep(id);
    await sendApprovalReminders(new Date(next.remindAt!.getTime() + 1));
    const all = await db().notification.findMany({ where: { link: `/seal-use/${id}`, kind: "seal_use.reminder" } });
    expect(all.map((n) => n.userId).sort()).toEqual([w.approvers[0].userId, w.approvers[1].userId, w.custodian.userId].sort());
  });
});

describe("approvers must be active and in scope when they act", () => {
  it("an approver disabled, or whose approver role was withdrawn, after submission cannot decide", async () => {
    const w = await makeSealUseWorld();
    const id = await newRequest(w);
    const step = await activeStep(id);
    await db().user.update({ where: { id: w.approvers[0].userId }, data: { status: "DISABLED" } });
    await expectAppError(decideStep(w.approvers[0], id, step.id), "FORBIDDEN", "账户已停用");
    await db().userRole.deleteMany({ where: { userId: w.approvers[1].userId, role: "SEAL_APPROVER" } });
    // the session still carries the old role; the service checks the account as it is now
    await expectAppError(decideStep(w.approvers[1], id, step.id), "FORBIDDEN", "不是该印章范围内的用印审批人");
    const s = await activeStep(id);
    expect(s.assignees.map((a) => a.decision)).toEqual(["PENDING", "PENDING"]);
    expect(await auditOf(id, "seal_use.decision")).toHaveLength(0);
    // nor can a disabled user be named as a transferee or added approver
    const third = w.approvers[2];
    await db().user.update({ where: { id: w.approvers[0].userId }, data: { status: "ACTIVE" } });
    await db().user.update({ where: { id: third.userId }, data: { status: "DISABLED" } });
    await expectAppError(transferStep(w.approvers[0], { requestId: id, stepId: step.id, toUserId: third.userId, comment: "转给停用人员" }), "INVALID_INPUT");
  });

  it("an approver of another city department is not usable: refused in a flow, in a role step, and on the request", async () => {
    const w = await makeSealUseWorld();
    const err = await expectAppError(
      saveFlow(w.flowAdmin, { holderDeptId: w.dept.id, sealKind: null, sealId: w.sealId, name: "印章用印审批", steps: [userStep("外单位审批", "ANY", [w.outsider])], note: "", baseVersion: 1 }),
      "INVALID_INPUT",
      "无效的审批人",
    );
    expect(err.fieldErrors?.["steps.0.approvers.0"]).toContain("不是本部门范围内有效的用印审批人");
    expect((await db().approvalFlow.findUniqueOrThrow({ where: { id: w.flow.id } })).currentVersion).toBe(1);

    // a role step pointing at the other department finds nobody who may approve this seal
    await saveFlow(w.flowAdmin, { holderDeptId: w.dept.id, sealKind: null, sealId: w.sealId, name: "印章用印审批", steps: [{ name: "外单位角色", mode: "ANY", approvers: [{ type: "ROLE", role: "SEAL_APPROVER", departmentId: w.otherDept.id }] }], note: "", baseVersion: 1 });
    const draft = await newRequest(w, { submit: false });
    await expectAppError(submitRequest(w.applicant, draft), "CONFLICT", "没有可以审批的人员");

    // and the outsider cannot act on, or even see, a request of this department
    await saveFlow(w.flowAdmin, { holderDeptId: w.dept.id, sealKind: null, sealId: w.sealId, name: "印章用印审批", steps: [userStep("科室审核", "ANY", [w.approvers[0]])], note: "", baseVersion: 2 });
    const id = await newRequest(w);
    const step = await activeStep(id);
    await expectAppError(decideStep(w.outsider, id, step.id), "NOT_FOUND");
    await expectAppError(requestDetail(w.outsider, id), "NOT_FOUND");
    expect((await approvalQueue(w.outsider)).some((q) => q.requestId === id)).toBe(false);
    // an actor reloaded from the database sees the same
    await expectAppError(decideStep(await actorFor(w.outsider.userId), id, step.id), "NOT_FOUND");
  });
});

// ─── Regressions: bugs these tests found, now fixed in lib/ ─────────────────────────────────────
// The losers of these two races used to get a raw Prisma P2002 unique-constraint error (a 500
// "系统错误") instead of the clear CONFLICT every other race gives: submitInTx created the steps
// before its conditional transition, and saveFlow's first save created the flow without ON
// CONFLICT. Now the transition comes first and the first save is an INSERT … ON CONFLICT DO NOTHING.
describe("races give a clear conflict, not a database error", () => {
  it("submitting one draft twice at once gives the loser a clear conflict (service.ts submitInTx)", async () => {
    const w = await makeSealUseWorld();
    for (let i = 0; i < 3; i++) {
      const id = await newRequest(w, { submit: false });
      const results = await Promise.allSettled([submitRequest(w.applicant, id), submitRequest(w.applicant, id)]);
      expect(results.filter((x) => x.status === "fulfilled")).toHaveLength(1);
      const r = await loadRequest(id);
      expect(r).toMatchObject({ status: "PENDING", round: 1 });
      expect(r.events.filter((e) => e.action === "submit")).toHaveLength(1);
      const lost = results.find((x) => x.status === "rejected")!;
      expect(lost.reason).toBeInstanceOf(AppError);
      expect(lost.reason).toMatchObject({ code: "CONFLICT" });
    }
  });

  it("two first saves of one flow at once give the loser a clear conflict (flows.ts saveFlow)", async () => {
    const w = await makeSealUseWorld();
    for (const kind of ["INTERNAL_DEPT", "BRANCH", "BUSINESS"] as const) {
      const input = { holderDeptId: w.dept.id, sealKind: kind, sealId: null, name: "部门默认流程", steps: [userStep("审核", "ANY", [w.approvers[0]])], note: "", baseVersion: 0 };
      const results = await Promise.allSettled([saveFlow(w.flowAdmin, input), saveFlow(w.flowAdmin, input)]);
      expect(results.filter((x) => x.status === "fulfilled")).toHaveLength(1);
      expect(await db().approvalFlow.count({ where: { holderDeptId: w.dept.id, sealKind: kind } })).toBe(1);
      const lost = results.find((x) => x.status === "rejected")!;
      expect(lost.reason).toBeInstanceOf(AppError);
      expect(lost.reason).toMatchObject({ code: "CONFLICT" });
    }
  });
});

describe("one person approves one step of a request", () => {
  it("a transfer or an added approver cannot bring in someone already on another step; a flow cannot name a user twice", async () => {
    const w = await makeSealUseWorld({ steps: ({ approvers: [a, b] }) => [userStep("部门负责人审批", "ANY", [a]), userStep("分管领导审批", "ANY", [b])] });
    const id = await newRequest(w);
    const step = await activeStep(id);
    await expectAppError(transferStep(w.approvers[0], { requestId: id, stepId: step.id, toUserId: w.approvers[1].userId, comment: "转给分管领导" }), "INVALID_INPUT", "转办对象不能处理该环节");
    await expectAppError(addApprover(w.approvers[0], { requestId: id, stepId: step.id, userId: w.approvers[1].userId, comment: "请分管领导会签" }), "INVALID_INPUT", "加签人不能处理该环节");
    // the third approver is on no step: the transfer goes through
    await transferStep(w.approvers[0], { requestId: id, stepId: step.id, toUserId: w.approvers[2].userId, comment: "出差，转第三人" });
    expect((await db().sealUseAssignee.findMany({ where: { stepId: step.id }, orderBy: { createdAt: "asc" } })).map((x) => [x.userName.split("(")[0], x.decision])).toEqual([
      ["审批人1", "TRANSFERRED"],
      ["审批人3", "PENDING"],
    ]);
    await expectAppError(
      saveFlow(w.flowAdmin, { holderDeptId: w.dept.id, sealKind: null, sealId: w.sealId, name: "印章用印审批", steps: [userStep("一", "ANY", [w.approvers[0]]), userStep("二", "ANY", [w.approvers[0]])], note: "", baseVersion: 1 }),
      "INVALID_INPUT",
      "无效的审批人",
    );
  });

  it("an applicant cannot shape the approval flow (separation of duties)", async () => {
    const w = await makeSealUseWorld();
    await expectAppError(
      saveFlow(w.manager, { holderDeptId: w.dept.id, sealKind: null, sealId: w.sealId, name: "印章用印审批", steps: [userStep("一", "ANY", [w.approvers[0]])], note: "", baseVersion: 1 }),
      "FORBIDDEN",
    );
  });
});
