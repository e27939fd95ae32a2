// Use records (S-11, S-13, A-02): each signature writes a permanent record of reason, approvers with
// their decisions and times, count used and remaining, document name and SM3, operator and
// signature; the database refuses to change or delete one, and refuses one for a request that is
// not fully approved. unapprovedUse(), which supervision watches, finds none after normal use and
// finds forged ones. This file runs on a database of its own: it forges records and signatures
// (with the approval trigger disabled), which must not show up in other files' invariants.
import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { db } from "@/lib/db";
import { signRequestDocument } from "@/lib/seal-use/signing";
import { updateRequest } from "@/lib/seal-use/service";
import { listRecords, unapprovedUse } from "@/lib/seal-use/queries";
import { recordFilter } from "@/lib/seal-use/schema";
import { databaseUrl, pgError, useIsolatedDatabase, withClient } from "@/tests/helpers/db";
import { approveAll, activeStep, dateIn, decideStep, loadRequest, makeActor, makeSealUseWorld, newRequest, signInputFor, userStep, type World } from "@/tests/helpers/seal-use";

vi.mock("next/headers", () => ({ headers: () => Promise.resolve(new Headers({ "user-agent": "vitest" })), cookies: () => Promise.resolve({ get: () => undefined }) }));

let w: World;
beforeAll(async () => {
  await useIsolatedDatabase("seal_use_records");
  w = await makeSealUseWorld({ steps: ({ approvers: [a, b, c] }) => [userStep("科室审核", "ANY", [a, b]), userStep("领导审批", "ALL", [c])] });
});

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** Columns of a record row for a raw INSERT (forged; the application never writes these). */
function forgedRecord(requestId: string, signatureId = randomUUID()) {
  return {
    sql: `INSERT INTO "SealUseRecord" ("at", "sealId", "sealName", "esId", "holderDeptId", "requestId", "requestNumber", "reason", "approvals", "countUsed", "usedTotal", "remaining", "documentName", "documentSm3", "signedSm3", "sealedSm3", "operatorId", "operatorName", "signatureId")
          VALUES (now(), $1, '伪造', '00000000000000', $2, $3, 'YY0000000000', '伪造用印', '[]', 1, 1, 0, 'x.pdf', $4, $4, $4, $5, '伪造', $6) RETURNING "id"`,
    params: [w.sealId, w.dept.id, requestId, "0".repeat(64), w.custodian.userId, signatureId],
  };
}

describe("the use record (S-11)", () => {
  it("holds reason, approvers with decisions and times, count used and remaining, document name and SM3, operator and signature", async () => {
    const id = await newRequest(w, { count: 3, reason: "签订年度物业服务合同" });
    const first = await activeStep(id);
    await decideStep(w.approvers[1], id, first.id, "APPROVED", "同意用印");
    await approveAll(w, id);
    const out = await signRequestDocument(w.custodian, await signInputFor(id));
    const req = await loadRequest(id);

    const rec = await db().sealUseRecord.findUniqueOrThrow({ where: { signatureId: out.signatureId } });
    const seal = await db().seal.findUniqueOrThrow({ where: { id: w.sealId } });
    const sig = await db().sealUseSignature.findUniqueOrThrow({ where: { id: out.signatureId } });
    expect(rec).toMatchObject({
      sealId: w.sealId,
      sealName: seal.name,
      esId: seal.esId,
      holderDeptId: w.dept.id,
      requestId: id,
      reason: "签订年度物业服务合同",
      countUsed: 1,
      usedTotal: 1,
      remaining: 2,
      documentName: "合同.pdf",
      documentSm3: w.pdf.sm3,
      signedSm3: sig.signedSm3,
      sealedSm3: sig.sealedSm3,
      operatorId: w.custodian.userId,
      signatureId: out.signatureId,
    });
    expect(rec.requestNumber).toMatch(/^YY\d{4}\d{6}$/);
    expect(rec.operatorName).toContain(w.custodian.name);
    expect(rec.operatorName).toContain(w.custodian.username);
    expect(rec.at.getTime()).toBeGreaterThanOrEqual(req.approvedAt!.getTime());
    // one signing time: the record's, the signature's and the history's "sign" event
    expect(sig.createdAt).toEqual(rec.at);
    const signed = await db().sealUseEvent.findFirstOrThrow({ where: { requestId: id, action: "sign" } });
    expect(signed.at).toEqual(rec.at);

    type Approval = { step: string; user: string; decision: string; at: string | null; comment: string | null };
    const approvals = rec.approvals as Approval[];
    expect(approvals.map((a) => [a.step, a.decision])).toEqual([
      ["科室审核", "APPROVED"],
      ["领导审批", "APPROVED"],
      ["保管人确认", "APPROVED"],
    ]);
    expect(approvals[0]).toMatchObject({ user: `${w.approvers[1].name}(${w.approvers[1].username})`, comment: "同意用印" });
    expect(approvals[1].user).toContain(w.approvers[2].username);
    expect(approvals[2].user).toContain(w.custodian.username);
    for (const a of approvals) expect(a.at).toMatch(ISO);
    // the one who was skipped on the any-one step is not listed as an approver
    expect(approvals.some((a) => a.user.includes(w.approvers[0].username))).toBe(false);

    // a second use of the same request: counts move on, the first record is untouched
    const out2 = await signRequestDocument(w.custodian, await signInputFor(id));
    const rec2 = await db().sealUseRecord.findUniqueOrThrow({ where: { signatureId: out2.signatureId } });
    expect(rec2).toMatchObject({ countUsed: 1, usedTotal: 2, remaining: 1 });
    expect(await db().sealUseRecord.findUniqueOrThrow({ where: { id: rec.id } })).toEqual(rec);

    // the records page shows them, newest first, with the department's name
    const page = await listRecords(w.manager, recordFilter.parse({ q: "物业服务" }));
    expect(page.total).toBe(2);
    expect(page.rows.map((r) => [r.usedTotal, r.remaining, r.deptName])).toEqual([
      [2, 1, w.dept.name],
      [1, 2, w.dept.name],
    ]);
  });

  it("cannot be changed or deleted, in SQL or through Prisma", async () => {
    const id = await newRequest(w);
    await approveAll(w, id);
    const out = await signRequestDocument(w.custodian, await signInputFor(id));
    const rec = await db().sealUseRecord.findUniqueOrThrow({ where: { signatureId: out.signatureId } });

    for (const sql of [`UPDATE "SealUseRecord" SET "reason" = '改过的事由' WHERE "id" = $1`, `UPDATE "SealUseRecord" SET "remaining" = 99 WHERE "id" = $1`, `DELETE FROM "SealUseRecord" WHERE "id" = $1`]) {
      const e = await pgError(() => withClient(databaseUrl(), (c) => c.query(sql, [rec.id.toString()])));
      expect(e.code).toBe("42501");
      expect(e.message).toContain("SealUseRecord is permanent");
    }
    const t = await pgError(() => withClient(databaseUrl(), (c) => c.query(`TRUNCATE "SealUseRecord"`)));
    expect(t.code).toBe("42501");
    await expect(db().sealUseRecord.update({ where: { id: rec.id }, data: { reason: "改过的事由" } })).rejects.toThrow();
    await expect(db().sealUseRecord.delete({ where: { id: rec.id } })).rejects.toThrow();
    // requests and signatures are kept too
    await expect(db().sealUseSignature.delete({ where: { id: out.signatureId } })).rejects.toThrow();
    await expect(db().sealUseRequest.delete({ where: { id } })).rejects.toThrow();
    expect(await db().sealUseRecord.findUniqueOrThrow({ where: { id: rec.id } })).toEqual(rec);
  });

  it("the database refuses a record for a request that is not fully approved", async () => {
    const pending = await newRequest(w);
    const f = forgedRecord(pending);
    const e = await pgError(() => withClient(databaseUrl(), (c) => c.query(f.sql, f.params)));
    expect(e.code).toBe("23514");
    expect(e.message).toContain("is not approved");

    // approved, then one of its steps put back to active: still refused
    const approved = await newRequest(w);
    await approveAll(w, approved);
    const step = (await loadRequest(approved)).steps[0];
    await db().sealUseStep.update({ where: { id: step.id }, data: { status: "ACTIVE" } });
    const g = forgedRecord(approved);
    const e2 = await pgError(() => withClient(databaseUrl(), (c) => c.query(g.sql, g.params)));
    expect(e2.code).toBe("23514");
    expect(e2.message).toContain("has steps not approved");
    await db().sealUseStep.update({ where: { id: step.id }, data: { status: "APPROVED" } });
    expect(await db().sealUseRecord.count({ where: { requestId: { in: [pending, approved] } } })).toBe(0);
  });
});

describe("who sees the records", () => {
  it("a province-wide supervisor sees every department's records; a supervisor of another city sees none of them", async () => {
    // regression: the union of a province-wide scope used to be { OR: [{}] }, which Prisma matches with nothing
    const id = await newRequest(w, { reason: "监督可见性检查" });
    await approveAll(w, id);
    await signRequestDocument(w.custodian, await signInputFor(id));
    const province = await makeActor(w.province, [{ role: "SUPERVISOR", scope: "PROVINCE" }], "省级监督");
    const otherCity = await makeActor(w.otherDept, [{ role: "SUPERVISOR", scope: "SUBTREE" }], "外市监督");
    const f = recordFilter.parse({ q: "监督可见性检查" });
    expect((await listRecords(province, f)).rows.map((r) => r.reason)).toEqual(["监督可见性检查"]);
    expect((await listRecords(otherCity, f)).rows).toEqual([]);
  });
});

describe("unapprovedUse() (S-10 invariant watched by supervision)", () => {
  it("is 0 after normal use, and counts a forged record and a signature without a record", async () => {
    // normal use, including a request approved after a rejection in an earlier round
    const id = await newRequest(w, { count: 2 });
    await decideStep(w.approvers[0], id, (await activeStep(id)).id, "REJECTED", "请补充合同附件");
    const rejected = await loadRequest(id);
    await updateRequest(w.applicant, { requestId: id, reason: "签订年度物业服务合同（补附件）", count: 2, validUntil: dateIn(30), remarks: "", submit: true, keepDocumentIds: rejected.documents.map((d) => d.id), baseVersion: rejected.version }, []);
    expect(await approveAll(w, id)).toMatchObject({ status: "APPROVED", round: 2 });
    await signRequestDocument(w.custodian, await signInputFor(id));
    await signRequestDocument(w.custodian, await signInputFor(id));
    expect(await unapprovedUse()).toEqual({ records: 0, signatures: 0, sample: [] });

    // a record forged for a request still pending (the approval trigger switched off to do it)
    const pending = await newRequest(w);
    const sig = await db().sealUseSignature.findFirstOrThrow({ where: { status: "DONE" } });
    const f = forgedRecord(pending);
    const forgedId = await withClient(databaseUrl(), async (c) => {
      await c.query(`ALTER TABLE "SealUseRecord" DISABLE TRIGGER "SealUseRecord_require_approval"`);
      try {
        return (await c.query<{ id: string }>(f.sql, f.params)).rows[0].id;
      } finally {
        await c.query(`ALTER TABLE "SealUseRecord" ENABLE TRIGGER "SealUseRecord_require_approval"`);
      }
    });
    // a completed signature with no record
    const orphan = await db().sealUseSignature.create({
      data: { requestId: id, documentId: sig.documentId, sealId: w.sealId, signerId: w.custodian.userId, signerName: "伪造", status: "DONE", position: { page: 1, x: 100, y: 100 } },
    });

    const found = await unapprovedUse();
    expect(found).toMatchObject({ records: 1, signatures: 1 });
    expect(found.sample.sort()).toEqual([`record:${forgedId}`, `signature:${orphan.id}`].sort());
    // the trigger is back on
    const g = forgedRecord(pending);
    expect((await pgError(() => withClient(databaseUrl(), (c) => c.query(g.sql, g.params)))).code).toBe("23514");
  });
});
