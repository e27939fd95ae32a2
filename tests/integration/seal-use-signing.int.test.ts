// Seal-use signing (S-10, S-12, S-13): server-side SM2/SM3 signing of an approved document into a
// sealed PDF whose embedded SES_Signature verifies (also with OpenSSL) and detects tampering; every
// refusal (unapproved, expired, over count, not the custodian, seal cancelled, wrong protection
// password) is audited and changes nothing; the approved count is never exceeded, even by parallel
// signing, and the database refuses it too.
import { hasPermission } from "@/lib/auth/permissions";
import { PDFDocument } from "pdf-lib";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { db } from "@/lib/db";
import type { Actor } from "@/lib/auth/session";
import { sm3Hex } from "@/lib/crypto/sm3";
import { decodeSeal, decodeSignature, verifySignature } from "@/lib/crypto/ses";
import { parseCertificate } from "@/lib/crypto/x509";
import { extractSignature } from "@/lib/pdf/sealed-pdf";
import { endOfShanghaiDay } from "@/lib/calendar/working-days";
import { cancelSeal } from "@/lib/seals/service";
import { withdrawRequest } from "@/lib/seal-use/service";
import { RESERVATION_TIMEOUT_MS, releaseStaleReservations, signRequestDocument } from "@/lib/seal-use/signing";
import type { SignInput } from "@/lib/seal-use/schema";
import { opensslVerify } from "@/tests/helpers/crypto";
import { databaseUrl, pgError, withClient } from "@/tests/helpers/db";
import { approveAll, auditOf, dateIn, expectAppError, loadRequest, makeSealUseWorld, newRequest, PROTECTION_PASSWORD, signInputFor, type World } from "@/tests/helpers/seal-use";

vi.mock("next/headers", () => ({ headers: () => Promise.resolve(new Headers({ "user-agent": "vitest" })), cookies: () => Promise.resolve({ get: () => undefined }) }));

let w: World;
beforeAll(async () => {
  w = await makeSealUseWorld();
});

/** An approved request of world `x` (count `count`), ready to sign. */
async function approvedRequest(x: World, over: Parameters<typeof newRequest>[1] = {}) {
  const id = await newRequest(x, over);
  const r = await approveAll(x, id);
  expect(r.status).toBe("APPROVED");
  return id;
}

/** What a refusal must leave unchanged. */
async function snapshot(requestId: string) {
  const r = await db().sealUseRequest.findUniqueOrThrow({ where: { id: requestId } });
  return {
    status: r.status,
    usedCount: r.usedCount,
    version: r.version,
    records: await db().sealUseRecord.count({ where: { requestId } }),
    signatures: await db().sealUseSignature.count({ where: { requestId } }),
    events: await db().sealUseEvent.count({ where: { requestId } }),
  };
}

/** Signing is refused with `text`; one `seal_use.sign_refused` audit entry is written; nothing else changes. */
async function expectRefused(actor: Actor, input: SignInput, text: string, now?: Date) {
  const before = await snapshot(input.requestId);
  const refusedBefore = (await auditOf(input.requestId, "seal_use.sign_refused")).length;
  // the permission the UI signs under: custodians through signAction, applicants through holderSignAction
  const as = hasPermission(actor, "seal.custody") ? "seal.custody" : "seal.apply";
  await expectAppError(signRequestDocument(actor, input, now, as), "CONFLICT", text);
  expect(await snapshot(input.requestId)).toEqual(before);
  const refused = await auditOf(input.requestId, "seal_use.sign_refused");
  expect(refused).toHaveLength(refusedBefore + 1);
  expect(refused.at(-1)).toMatchObject({ actorId: actor.userId, detail: { action: "seal_use.sign_refused", documentId: input.documentId } });
  expect((refused.at(-1)!.detail as { reason: string }).reason).toContain(text);
}

/** Index of a byte inside the largest stream of `pdf` that lies wholly before `limit`. */
function byteInsideAStream(pdf: Uint8Array, limit: number): number {
  const text = Buffer.from(pdf).toString("latin1");
  let best = { at: -1, len: 0 };
  for (let i = text.indexOf("stream\n"); i >= 0 && i < limit; i = text.indexOf("stream\n", i + 1)) {
    if (text.slice(i - 3, i) === "end") continue;
    const end = text.indexOf("endstream", i);
    if (end > 0 && end < limit && end - i > best.len) best = { at: i + 7, len: end - i - 7 };
  }
  if (best.len < 32) throw new Error("no stream to tamper with");
  return best.at + Math.floor(best.len / 2);
}

describe("signing an approved request", () => {
  it("stamps and signs the document; the embedded SES_Signature verifies, also with OpenSSL; a flipped byte fails", async () => {
    const id = await approvedRequest(w, { count: 2 });
    const input = await signInputFor(id);
    const out = await signRequestDocument(w.custodian, input);
    expect(out).toMatchObject({ usedCount: 1, remaining: 1 });

    const r = await loadRequest(id);
    expect(r).toMatchObject({ status: "PARTLY_USED", usedCount: 1 });
    expect(r.events.at(-1)).toMatchObject({ action: "sign", actorId: w.custodian.userId });
    expect(r.events.at(-1)!.comment).toContain("第 1/2 次");
    const sig = await db().sealUseSignature.findUniqueOrThrow({ where: { id: out.signatureId } });
    expect(sig).toMatchObject({ status: "DONE", signerId: w.custodian.userId, documentId: input.documentId, riding: false });
    const sealed = new Uint8Array(sig.sealedPdf!);
    expect(sig.sealedSm3).toBe(sm3Hex(sealed));
    const audit = await auditOf(id, "seal_use.sign");
    expect(audit).toHaveLength(1);
    expect(audit[0].detail).toMatchObject({ signatureId: out.signatureId, documentSm3: w.pdf.sm3, signedSm3: sig.signedSm3, usedTotal: 1, remaining: 1 });
    const told = await db().notification.findFirstOrThrow({ where: { userId: w.applicant.userId, kind: "seal_use.signed", link: `/seal-use/${id}` } });
    expect(told.body).toContain("已用 1/2 次");

    // the sealed PDF: the original pages, with the seal drawn, and the signature attached after them
    const doc = await PDFDocument.load(sealed, { updateMetadata: false });
    expect(doc.getPageCount()).toBe(2);
    const ex = (await extractSignature(sealed))!;
    expect(ex).not.toBeNull();
    expect(ex.appendedExactly).toBe(true);
    expect(ex.fileName).toBe(`${out.signatureId}.sig`);
    expect(Buffer.from(ex.sigDer).equals(Buffer.from(sig.signatureDer!))).toBe(true);
    expect(sm3Hex(ex.signedBytes)).toBe(sig.signedSm3);
    expect(sm3Hex(ex.signedBytes)).not.toBe(w.pdf.sm3); // the stamp changed the document

    const seal = await db().seal.findUniqueOrThrow({ where: { id: w.sealId } });
    const report = await verifySignature(ex.signedBytes, ex.sigDer, { sealStatus: () => Promise.resolve("ACTIVE") });
    expect(report.checks.filter((c) => !c.ok)).toEqual([]);
    expect(report.valid).toBe(true);
    expect(report.signed).toMatchObject({ esID: seal.esId, propertyInfo: `certseal:seal-use:${out.signatureId}` });

    // OpenSSL, independently: SM2 with SM3 over DER(TBS_Sign), with the signer certificate's key
    const decoded = decodeSignature(ex.sigDer);
    const cert = await db().certificate.findUniqueOrThrow({ where: { id: seal.certificateId! } });
    expect(Buffer.from(decoded.signerCert).equals(Buffer.from(cert.der))).toBe(true);
    expect(Buffer.from(decoded.dataHash).toString("hex")).toBe(sm3Hex(ex.signedBytes));
    const publicKey = parseCertificate(decoded.signerCert).publicKey!;
    expect(opensslVerify(publicKey, decoded.tbsDer, decoded.signature)).toBe(true);
    const badTbs = Uint8Array.from(decoded.tbsDer);
    badTbs[badTbs.length - 1] ^= 0x01;
    expect(opensslVerify(publicKey, badTbs, decoded.signature)).toBe(false);

    // one byte flipped inside the signed range: the document no longer matches its signature
    const tampered = Uint8Array.from(sealed);
    const at = byteInsideAStream(sealed, ex.signedBytes.length);
    tampered[at] ^= 0xff;
    const tex = await extractSignature(tampered);
    expect(tex).not.toBeNull();
    const bad = await verifySignature(tex!.signedBytes, tex!.sigDer, { sealStatus: () => Promise.resolve("ACTIVE") });
    expect(bad.valid).toBe(false);
    expect(bad.checks.find((c) => c.key === "documentUnchanged")).toMatchObject({ ok: false });
    expect(bad.checks.find((c) => c.key === "signatureValid")).toMatchObject({ ok: true });

    // a used request cannot be withdrawn any more
    await expectAppError(withdrawRequest(w.applicant, { requestId: id, comment: "" }), "CONFLICT", "已用印的申请不能撤回");
  });

  it("a riding seal (骑缝章) across both pages signs too", async () => {
    const id = await approvedRequest(w);
    const out = await signRequestDocument(w.custodian, await signInputFor(id, { riding: true }));
    const sig = await db().sealUseSignature.findUniqueOrThrow({ where: { id: out.signatureId } });
    expect(sig.riding).toBe(true);
    const ex = (await extractSignature(new Uint8Array(sig.sealedPdf!)))!;
    expect((await verifySignature(ex.signedBytes, ex.sigDer)).valid).toBe(true);
    expect((await loadRequest(id)).status).toBe("USED");
  });
});

describe("signing refused: audited, nothing changes", () => {
  it("while the request is not yet approved", async () => {
    const id = await newRequest(w);
    await expectRefused(w.custodian, await signInputFor(id), "只有已批准的申请可以盖章");
  });

  it("after the request's valid-until date", async () => {
    const id = await approvedRequest(w, { validUntil: dateIn(0) });
    const after = new Date(endOfShanghaiDay(dateIn(0)).getTime() + 1);
    await expectRefused(w.custodian, await signInputFor(id), "申请已超过有效期", after);
  });

  it("beyond the approved count", async () => {
    const id = await approvedRequest(w, { count: 1 });
    const input = await signInputFor(id);
    await signRequestDocument(w.custodian, input);
    expect(await loadRequest(id)).toMatchObject({ status: "USED", usedCount: 1 });
    await expectRefused(w.custodian, input, "已全部用完");
    expect(await db().sealUseRecord.count({ where: { requestId: id } })).toBe(1);
  });

  it("by someone other than the custodian of a centrally kept seal (the applicant, an approver)", async () => {
    const id = await approvedRequest(w);
    const input = await signInputFor(id);
    await expectRefused(w.applicant, input, "只有该印章的保管人可以盖章");
    // approvers hold neither seal.custody nor seal.apply: refused before anything is looked at
    await expectAppError(signRequestDocument(w.approvers[0], input), "FORBIDDEN");
    expect((await loadRequest(id)).usedCount).toBe(0);
  });

  it("when the seal was cancelled after approval", async () => {
    const x = await makeSealUseWorld();
    const id = await approvedRequest(x);
    await cancelSeal(x.maker, { sealId: x.sealId, reason: "NO_LONGER_USED", text: "机构调整" });
    await expectRefused(x.custodian, await signInputFor(id), "印章状态为「已注销」");
  });

  it("with a wrong protection password on a distributed seal; the right one signs", async () => {
    const x = await makeSealUseWorld({ useMode: "DISTRIBUTED" });
    const id = await approvedRequest(x);
    const r = await loadRequest(id);
    expect(r.steps.map((s) => s.kind)).toEqual(["APPROVAL"]); // no custodian step when used distributed
    await expectRefused(x.applicant, await signInputFor(id, { protectionPassword: "Wrong#Pass9" }), "印章保护口令不正确");
    await expectRefused(x.applicant, await signInputFor(id, { protectionPassword: "" }), "印章保护口令不正确");
    const out = await signRequestDocument(x.applicant, await signInputFor(id, { protectionPassword: PROTECTION_PASSWORD }), undefined, "seal.apply");
    expect(out).toMatchObject({ usedCount: 1, remaining: 0 });
    expect((await db().sealUseRecord.findFirstOrThrow({ where: { requestId: id } })).operatorId).toBe(x.applicant.userId);
  });

  it("a bad page is refused before a use is taken; a stamp off the page gives the reserved use back", async () => {
    const id = await approvedRequest(w);
    const before = await snapshot(id);
    await expectAppError(signRequestDocument(w.custodian, await signInputFor(id, { position: { page: 3, x: 300, y: 300 } })), "INVALID_INPUT", "页码超出范围");
    expect(await snapshot(id)).toEqual(before);

    await expectAppError(signRequestDocument(w.custodian, await signInputFor(id, { position: { page: 1, x: 5, y: 5 } })), "INVALID_INPUT", "超出第 1 页的页面范围");
    const r = await loadRequest(id);
    expect(r).toMatchObject({ status: "APPROVED", usedCount: 0 });
    const sigs = await db().sealUseSignature.findMany({ where: { requestId: id } });
    expect(sigs.map((s) => s.status)).toEqual(["FAILED"]);
    expect(r.events.at(-1)).toMatchObject({ action: "sign_failed" });
    expect(await db().sealUseRecord.count({ where: { requestId: id } })).toBe(0);
    // and the request can still be signed in full
    await signRequestDocument(w.custodian, await signInputFor(id));
    expect(await loadRequest(id)).toMatchObject({ status: "USED", usedCount: 1 });
  });
});

describe("a reservation left by a crash", () => {
  it("is given back by the sweeper after the timeout, and the request can be signed again", async () => {
    const id = await approvedRequest(w);
    const doc = (await signInputFor(id)).documentId;
    const crashedAt = new Date(Date.now() - RESERVATION_TIMEOUT_MS - 60_000);
    // what step (1) of signRequestDocument leaves when the process dies before step (3)
    await db().sealUseRequest.update({ where: { id }, data: { usedCount: 1, status: "USED", version: { increment: 1 } } });
    const sig = await db().sealUseSignature.create({
      data: { requestId: id, documentId: doc, sealId: w.sealId, signerId: w.custodian.userId, signerName: "保管人", status: "RESERVED", position: { page: 2, x: 400, y: 220 }, createdAt: crashedAt },
    });
    await expectAppError(signRequestDocument(w.custodian, await signInputFor(id)), "CONFLICT");

    expect(await releaseStaleReservations(new Date(crashedAt.getTime() + RESERVATION_TIMEOUT_MS - 1_000))).toBe(0);
    expect(await releaseStaleReservations()).toBeGreaterThanOrEqual(1);
    expect(await releaseStaleReservations()).toBe(0);
    expect(await db().sealUseSignature.findUniqueOrThrow({ where: { id: sig.id } })).toMatchObject({ status: "FAILED" });
    const r = await loadRequest(id);
    expect(r).toMatchObject({ status: "APPROVED", usedCount: 0, closedAt: null });
    expect(r.events.filter((e) => e.action === "sign_failed")).toHaveLength(1);
    await signRequestDocument(w.custodian, await signInputFor(id));
    expect(await loadRequest(id)).toMatchObject({ status: "USED", usedCount: 1 });
  });
});

describe("the approved count is never exceeded", () => {
  it("five parallel signings of a request approved for two: exactly two succeed", async () => {
    const id = await approvedRequest(w, { count: 2 });
    const input = await signInputFor(id);
    const results = await Promise.allSettled(Array.from({ length: 5 }, () => signRequestDocument(w.custodian, input)));
    const ok = results.filter((x) => x.status === "fulfilled");
    expect(ok).toHaveLength(2);
    for (const x of results) if (x.status === "rejected") expect(x.reason).toMatchObject({ code: "CONFLICT" });

    const r = await loadRequest(id);
    expect(r).toMatchObject({ status: "USED", usedCount: 2, count: 2 });
    expect(r.closedAt).not.toBeNull();
    const records = await db().sealUseRecord.findMany({ where: { requestId: id }, orderBy: { usedTotal: "asc" } });
    expect(records.map((x) => [x.usedTotal, x.remaining])).toEqual([
      [1, 1],
      [2, 0],
    ]);
    const sigs = await db().sealUseSignature.findMany({ where: { requestId: id } });
    expect(sigs.map((s) => s.status)).toEqual(["DONE", "DONE"]);
    expect(new Set(records.map((x) => x.signatureId))).toEqual(new Set(sigs.map((s) => s.id)));
    expect(await auditOf(id, "seal_use.sign")).toHaveLength(2);
    expect(r.events.filter((e) => e.action === "sign")).toHaveLength(2);
  });

  it("the database refuses usedCount above count whatever the application does", async () => {
    const id = await approvedRequest(w, { count: 1 });
    const e = await pgError(() => withClient(databaseUrl(), (c) => c.query(`UPDATE "SealUseRequest" SET "usedCount" = "count" + 1 WHERE "id" = $1`, [id])));
    expect(e.code).toBe("23514");
    expect(e.message).toContain("SealUseRequest_count_check");
    await expect(db().sealUseRequest.update({ where: { id }, data: { usedCount: 2 } })).rejects.toThrow();
    expect((await loadRequest(id)).usedCount).toBe(0);
  });
});

// ─── Regression: a bug this test found, now fixed in lib/ ───────────────────────────────────────
// A seal-making unit's maker certificate is issued the first time the unit produces a seal, in the
// middle of production; it used to start at the issuing instant, after the SESeal's createDate, so
// whenever a second boundary fell between the two, makerSignatureValid failed for every document
// that seal ever signed. makerCredential(dept, validFrom) now starts a fresh certificate no later
// than the seal's createDate. This test delays the issuance by 1.1 s so the outcome does not depend
// on where in a second production starts.
describe("the first seal of a seal-making unit", () => {
  it("signs documents that verify: its maker certificate does not postdate the SESeal's createDate", async () => {
    // The maker certificate is issued in the middle of production; make that take a little longer
    // (as the first seal on a fresh platform does by itself, ~2 s) so the race is not left to chance.
    const ca = await import("@/lib/crypto/ca");
    const issue = ca.issueCertificate;
    const slow = vi.spyOn(ca, "issueCertificate").mockImplementation(async (input, opts) => {
      if (input.kind === "MAKER") await new Promise((r) => setTimeout(r, 1_100));
      return issue(input, opts);
    });
    let x: World;
    try {
      x = await makeSealUseWorld({ prepareMaker: false });
      expect(slow).toHaveBeenCalled();
    } finally {
      slow.mockRestore();
    }
    const id = await approvedRequest(x);
    const out = await signRequestDocument(x.custodian, await signInputFor(id));
    const sig = await db().sealUseSignature.findUniqueOrThrow({ where: { id: out.signatureId } });
    const ex = (await extractSignature(new Uint8Array(sig.sealedPdf!)))!;
    const report = await verifySignature(ex.signedBytes, ex.sigDer, { sealStatus: () => Promise.resolve("ACTIVE") });
    expect.soft(report.checks.filter((c) => !c.ok)).toEqual([]);
    expect.soft(report.valid).toBe(true);

    const seal = await db().seal.findUniqueOrThrow({ where: { id: x.sealId } });
    const decoded = decodeSeal(new Uint8Array(seal.sealDer!));
    const makerCert = parseCertificate(decoded.makerCert);
    expect(decoded.property.createDate.getTime()).toBeGreaterThanOrEqual(makerCert.notBefore.getTime());
  });
});
