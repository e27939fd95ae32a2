// The seal lifecycle (S-02 … S-09, A-02): every transition and refusal, concurrent review,
// filing retry and overdue flag, renewal keeps the picture, a cancelled seal cannot sign.
import { beforeAll, describe, expect, it, vi } from "vitest";
import { db } from "@/lib/db";
import type { Actor } from "@/lib/auth/session";
import { createDepartment, createUser, type TestUser } from "@/tests/helpers/factory";
import {
  applySeal,
  cancelSeal,
  changeProtectionPassword,
  produceSeal,
  rejectSeal,
  renewSeal,
  replaceSeal,
  resetProtectionPassword,
  signableSeal,
  startReview,
} from "@/lib/seals/service";
import { runFiling, setFilingGateway, LocalFilingGateway, dueFilings, backoffMs } from "@/lib/seals/filing";
import { decodeSeal, signDocument, verifySignature } from "@/lib/crypto/ses";
import { verifyCertificateChain } from "@/lib/crypto/ca";
import { sm3Hex } from "@/lib/crypto/sm3";
import type { CheckedUpload } from "@/lib/uploads";

vi.mock("next/headers", () => ({ headers: () => Promise.resolve(new Headers({ "user-agent": "vitest" })), cookies: () => Promise.resolve({ get: () => undefined }) }));

function actorOf(u: TestUser, dept: { path: string; name: string; level: "PROVINCE" | "CITY" | "COUNTY" }): Actor {
  return {
    sessionId: "s".repeat(64),
    userId: u.id,
    username: u.username,
    name: u.name,
    departmentId: u.departmentId,
    departmentPath: dept.path,
    departmentName: dept.name,
    departmentLevel: dept.level,
    roles: u.roles.map((r) => ({ role: r.role, scope: r.scope })),
    mustChangePassword: null,
    ip: "127.0.0.1",
    userAgent: "vitest",
  };
}

const pdf: CheckedUpload = { filename: "营业执照.pdf", mime: "application/pdf", size: 20, sm3: sm3Hex("%PDF-1.4 test"), data: new Uint8Array(Buffer.from("%PDF-1.4 test")) };

let applicant: Actor, maker: Actor, otherMaker: Actor, holder: { id: string };
let makerB: Actor;

beforeAll(async () => {
  const province = await createDepartment({ level: "PROVINCE" });
  const police = await createDepartment({ parent: province, level: "PROVINCE", parts: { isSealMaking: true } });
  const bureau = await createDepartment({ parent: province, level: "PROVINCE", parts: { isIssuing: true }, name: `四川省测试局${Date.now() % 1000}` });
  const otherProvince = await createDepartment({ level: "PROVINCE" });
  holder = bureau;
  const a = await createUser({ department: bureau, roles: ["SEAL_APPLICANT"] });
  const m = await createUser({ department: police, roles: [{ role: "SEAL_MAKER_REVIEWER", scope: "PROVINCE" }] });
  const m2 = await createUser({ department: police, roles: [{ role: "SEAL_MAKER_REVIEWER", scope: "PROVINCE" }] });
  const om = await createUser({ department: otherProvince, roles: [{ role: "SEAL_MAKER_REVIEWER", scope: "OWN" }] });
  applicant = actorOf(a, bureau);
  maker = actorOf(m, police);
  makerB = actorOf(m2, police);
  otherMaker = actorOf(om, otherProvince);
});

const apply = (over: Partial<Parameters<typeof applySeal>[1]> = {}) =>
  applySeal(
    applicant,
    { holderDeptId: holder.id, kind: "LEGAL_NAME", businessType: null, positionType: null, name: "四川省测试局", holderPersonName: "", useMode: "CENTRALISED", physicalRef: "SC-2026-0001", applyReason: "新设电子印章", ...over },
    [pdf],
  );

async function activeSeal(over: Partial<Parameters<typeof applySeal>[1]> = {}, protectionPassword = "") {
  const { id } = await apply(over);
  await startReview(maker, id);
  await produceSeal(maker, { sealId: id, validYears: 2, protectionPassword });
  expect((await runFiling(id)).status).toBe("FILED");
  return id;
}

describe("seal lifecycle", () => {
  it("S-02/S-04/S-05: apply with materials → review → produce (key, certificate, picture, SESeal) → filed → active", async () => {
    const { id } = await apply();
    let s = await db().seal.findUniqueOrThrow({ where: { id }, include: { materials: true } });
    expect(s.status).toBe("APPLIED");
    expect(s.materials.map((m) => m.sm3)).toEqual([pdf.sm3]);

    await startReview(maker, id);
    const { esId } = await produceSeal(maker, { sealId: id, validYears: 2, protectionPassword: "" });
    expect(esId).toMatch(/^\d{6}\d{8}$/);
    s = await db().seal.findUniqueOrThrow({ where: { id }, include: { materials: true } });
    expect(s.status).toBe("PRODUCED");
    expect(s.fileDueAt!.getTime() - s.producedAt!.getTime()).toBe(24 * 3_600_000);
    expect(s.pictureSvg).toContain("<svg");
    expect(s.pictureSm3).toBe(sm3Hex(s.pictureSvg!));

    const decoded = decodeSeal(new Uint8Array(s.sealDer!));
    expect(decoded.esID).toBe(esId);
    expect(decoded.property.name).toBe("四川省测试局");
    expect(decoded.picture.type).toBe("SVG");
    expect(decoded.picture.width).toBe(50);
    const cert = await db().certificate.findUniqueOrThrow({ where: { id: s.certificateId! } });
    expect(Buffer.from(decoded.property.certList[0]).equals(Buffer.from(cert.der))).toBe(true);
    expect((await verifyCertificateChain(new Uint8Array(cert.der))).ok).toBe(true);
    expect(await db().sealFiling.count({ where: { sealId: id, status: "PENDING" } })).toBe(1);

    expect(await runFiling(id)).toMatchObject({ status: "FILED", filingNumber: `BA${esId}` });
    s = await db().seal.findUniqueOrThrow({ where: { id }, include: { materials: true } });
    expect(s.status).toBe("ACTIVE");
    expect(await db().localFilingRegistry.count({ where: { esId } })).toBe(1);
    const events = await db().sealEvent.findMany({ where: { sealId: id }, orderBy: { id: "asc" } });
    expect(events.map((e) => e.action)).toEqual(["apply", "startReview", "produce", "file"]);
    const audit = await db().auditEvent.findMany({ where: { targetType: "Seal", targetId: id }, orderBy: { seq: "asc" } });
    expect(audit.map((a) => a.action)).toEqual(["seal.apply", "seal.transition", "seal.transition", "seal.filing"]);
    expect((await signableSeal(id)).ok).toBe(true);
  });

  it("refuses a maker outside the holder's region, a step out of order, and a reject without review", async () => {
    const { id } = await apply();
    await expect(startReview(otherMaker, id)).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(produceSeal(maker, { sealId: id, validYears: 2, protectionPassword: "" })).rejects.toMatchObject({ code: "CONFLICT" });
    await expect(rejectSeal(maker, id, "材料不全")).rejects.toMatchObject({ code: "CONFLICT" });
    await expect(startReview(applicant, id)).rejects.toMatchObject({ code: "FORBIDDEN" });
    expect((await db().seal.findUniqueOrThrow({ where: { id } })).status).toBe("APPLIED");
  });

  it("rejects with a reason the applicant sees", async () => {
    const { id } = await apply();
    await startReview(maker, id);
    await rejectSeal(maker, id, "实物印章备案号与公安备案不符");
    const s = await db().seal.findUniqueOrThrow({ where: { id } });
    expect(s).toMatchObject({ status: "REJECTED", rejectReason: "实物印章备案号与公安备案不符" });
  });

  it("two reviewers acting at once give exactly one transition and a clear conflict to the other", async () => {
    const { id } = await apply();
    const results = await Promise.allSettled([startReview(maker, id), startReview(makerB, id), startReview(maker, id)]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    for (const r of results.filter((r) => r.status === "rejected")) expect((r).reason).toMatchObject({ code: "CONFLICT" });
    expect(await db().sealEvent.count({ where: { sealId: id, action: "startReview" } })).toBe(1);

    const produced = await Promise.allSettled([
      produceSeal(maker, { sealId: id, validYears: 2, protectionPassword: "" }),
      produceSeal(makerB, { sealId: id, validYears: 2, protectionPassword: "" }),
    ]);
    expect(produced.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const s = await db().seal.findUniqueOrThrow({ where: { id } });
    // the loser's freshly generated key is disabled, never used
    const keys = await db().cryptoKey.findMany({ where: { label: `seal:${s.esId}` } });
    expect(keys.filter((k) => !k.disabledAt).map((k) => k.id)).toEqual([s.keyId]);
  });

  it("S-05: a failing gateway retries with backoff, the seal is flagged overdue after 24 hours, then filed", async () => {
    const { id } = await apply();
    await startReview(maker, id);
    const t0 = new Date();
    await produceSeal(maker, { sealId: id, validYears: 2, protectionPassword: "" }, t0);
    let calls = 0;
    setFilingGateway({
      file: () => {
        calls++;
        return Promise.reject(new Error("公安备案系统不可用"));
      },
    });
    try {
      expect(await runFiling(id, t0)).toMatchObject({ status: "FAILED" });
      expect(await runFiling(id, t0)).toMatchObject({ status: "FAILED" });
      const f = await db().sealFiling.findFirstOrThrow({ where: { sealId: id } });
      expect(f).toMatchObject({ status: "FAILED", attempts: 2, lastError: "公安备案系统不可用" });
      expect(f.nextTryAt!.getTime() - t0.getTime()).toBe(backoffMs(2));
      expect((await dueFilings(new Date(t0.getTime() + backoffMs(2) - 1))).some((d) => d.sealId === id)).toBe(false);
      expect((await dueFilings(new Date(t0.getTime() + backoffMs(2)))).some((d) => d.sealId === id)).toBe(true);
      const { listSeals, sealFilter } = await import("@/lib/seals/queries");
      const later = new Date(t0.getTime() + 25 * 3_600_000);
      const overdue = await listSeals(maker, sealFilter.parse({ overdue: "1", pageSize: "100" }), later);
      expect(overdue.rows.find((r) => r.id === id)).toMatchObject({ filingOverdue: true, status: "PRODUCED" });
      expect(calls).toBe(2);
    } finally {
      setFilingGateway(new LocalFilingGateway());
    }
    expect(await runFiling(id)).toMatchObject({ status: "FILED" });
    expect((await db().seal.findUniqueOrThrow({ where: { id } })).status).toBe("ACTIVE");
  });

  it("S-06: renewal opens 30 days before expiry, issues a new certificate and key, keeps the picture", async () => {
    const id = await activeSeal();
    const before = await db().seal.findUniqueOrThrow({ where: { id } });
    await expect(renewSeal(maker, { sealId: id, validYears: 2 })).rejects.toMatchObject({ code: "CONFLICT" });
    const inWindow = new Date(before.validEnd!.getTime() - 10 * 86_400_000);
    await renewSeal(maker, { sealId: id, validYears: 2 }, inWindow);
    const after = await db().seal.findUniqueOrThrow({ where: { id } });
    expect(after.pictureSm3).toBe(before.pictureSm3);
    expect(after.pictureSvg).toBe(before.pictureSvg);
    expect(after.certificateId).not.toBe(before.certificateId);
    expect(after.keyId).not.toBe(before.keyId);
    expect(after.validEnd!.getTime()).toBeGreaterThan(before.validEnd!.getTime());
    expect(after.esId).toBe(before.esId);
  });

  it("S-07: a cancelled seal can never sign again, yet its earlier signature still verifies as valid at signing time", async () => {
    const id = await activeSeal();
    const s = await db().seal.findUniqueOrThrow({ where: { id } });
    const cert = await db().certificate.findUniqueOrThrow({ where: { id: s.certificateId! } });
    const doc = new Uint8Array(Buffer.from("%PDF-1.7 公文正文"));
    const sig = await signDocument({ sealDer: new Uint8Array(s.sealDer!), signerKeyId: s.keyId!, signerCertDer: new Uint8Array(cert.der), document: doc, propertyInfo: "doc-1" });

    await cancelSeal(maker, { sealId: id, reason: "NO_LONGER_USED", text: "机构调整" });
    const c = await db().seal.findUniqueOrThrow({ where: { id } });
    expect(c).toMatchObject({ status: "CANCELLED", cancelReason: "NO_LONGER_USED", cancelReasonText: "机构调整" });
    expect(await signableSeal(id)).toMatchObject({ ok: false });
    await expect(cancelSeal(maker, { sealId: id, reason: "NO_LONGER_USED", text: "" })).rejects.toMatchObject({ code: "CONFLICT" });

    const report = await verifySignature(doc, sig, { sealStatus: () => Promise.resolve("CANCELLED" as const) });
    expect(report.valid).toBe(true);
    expect(report.checks.find((k) => k.key === "sealStatusNow")).toMatchObject({ ok: false });
  });

  it("S-07: replacement cancels the old seal and produces a linked new one", async () => {
    const id = await activeSeal();
    const r = await replaceSeal(maker, { sealId: id, reason: "PHYSICAL_SEAL_CHANGED", text: "", protectionPassword: "" });
    const old = await db().seal.findUniqueOrThrow({ where: { id } });
    const neu = await db().seal.findUniqueOrThrow({ where: { id: r.id } });
    expect(old.status).toBe("CANCELLED");
    expect(neu).toMatchObject({ status: "PRODUCED", predecessorId: id, name: old.name, kind: old.kind });
    expect(neu.esId).not.toBe(old.esId);
  });

  it("S-08: distributed seals need a protection password; the holder changes it, the maker resets it with proof", async () => {
    const { id } = await apply({ useMode: "DISTRIBUTED" });
    await startReview(maker, id);
    await expect(produceSeal(maker, { sealId: id, validYears: 2, protectionPassword: "" })).rejects.toMatchObject({ code: "INVALID_INPUT" });
    await produceSeal(maker, { sealId: id, validYears: 2, protectionPassword: "Seal#Pass01" });
    await expect(changeProtectionPassword(applicant, { sealId: id, current: "wrong-one", next: "Seal#Pass02" })).rejects.toMatchObject({ code: "INVALID_INPUT" });
    await changeProtectionPassword(applicant, { sealId: id, current: "Seal#Pass01", next: "Seal#Pass02" });
    await expect(resetProtectionPassword(maker, { sealId: id, next: "Seal#Pass03" }, [])).rejects.toMatchObject({ code: "INVALID_INPUT" });
    await resetProtectionPassword(maker, { sealId: id, next: "Seal#Pass03" }, [pdf]);
    const audit = await db().auditEvent.findMany({ where: { targetId: id, action: "seal.protection" }, orderBy: { seq: "asc" } });
    expect(audit.map((a) => (a.detail as { change: string }).change)).toEqual(["CHANGE", "RESET"]);
    expect(await db().sealMaterial.count({ where: { sealId: id, purpose: "RESET" } })).toBe(1);
  });

  it("A-02: seal rows, events and materials cannot be deleted", async () => {
    const { id } = await apply();
    await expect(db().seal.delete({ where: { id } })).rejects.toThrow();
    await expect(db().sealEvent.deleteMany({ where: { sealId: id } })).rejects.toThrow();
  });
});

describe("custodians (P-03, S-09)", () => {
  it("the holder names custodians who hold the custodian role in the holder department; others are refused", async () => {
    const id = await activeSeal();
    const s = await db().seal.findUniqueOrThrow({ where: { id }, include: { holderDept: true } });
    const keeper = await createUser({ department: s.holderDept, roles: ["SEAL_CUSTODIAN"] });
    const plain = await createUser({ department: s.holderDept, roles: ["ISSUER_OPERATOR"] });
    const { setCustodians } = await import("@/lib/seals/service");
    await expect(setCustodians(applicant, { sealId: id, administratorId: null, custodianIds: [plain.id] })).rejects.toMatchObject({ code: "INVALID_INPUT" });
    await expect(setCustodians(otherMaker, { sealId: id, administratorId: null, custodianIds: [keeper.id] })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await setCustodians(applicant, { sealId: id, administratorId: plain.id, custodianIds: [keeper.id] });
    expect((await db().sealCustodian.findMany({ where: { sealId: id } })).map((c) => c.userId)).toEqual([keeper.id]);
    expect((await db().seal.findUniqueOrThrow({ where: { id } })).administratorId).toBe(plain.id);
    expect(await db().auditEvent.count({ where: { targetId: id, action: "seal.custodians" } })).toBe(1);
  });
});

describe("renewal reminders (S-06)", () => {
  it("from 30 days before the end of validity the holder side is reminded once, and can mark it read", async () => {
    const id = await activeSeal();
    const s = await db().seal.findUniqueOrThrow({ where: { id }, include: { holderDept: true } });
    const keeper = await createUser({ department: s.holderDept, roles: ["SEAL_CUSTODIAN"] });
    await db().sealCustodian.create({ data: { sealId: id, userId: keeper.id } });
    const { sendRenewalReminders } = await import("@/lib/seals/reminders");
    const { listNotifications, markRead, notificationFilter, unreadCount } = await import("@/lib/notifications");

    const early = new Date(s.validEnd!.getTime() - 31 * 86_400_000);
    await sendRenewalReminders(early);
    expect(await db().notification.count({ where: { link: `/seals/${id}` } })).toBe(0);

    const inWindow = new Date(s.validEnd!.getTime() - 20 * 86_400_000);
    await sendRenewalReminders(inWindow);
    await sendRenewalReminders(inWindow); // a re-run sends nothing twice
    const sent = await db().notification.findMany({ where: { link: `/seals/${id}` } });
    expect(new Set(sent.map((n) => n.userId))).toEqual(new Set([applicant.userId, keeper.id]));
    expect(sent[0].title).toContain("将于");

    const keeperActor = { ...applicant, userId: keeper.id };
    expect(await unreadCount(keeperActor)).toBe(1);
    expect((await listNotifications(keeperActor, notificationFilter.parse({}))).rows[0]).toMatchObject({ link: `/seals/${id}`, read: false });
    // marking another user's notification read does nothing
    const applicantsRow = sent.find((n) => n.userId === applicant.userId)!;
    expect(await markRead(keeperActor, { ids: [applicantsRow.id] })).toEqual({ marked: 0 });
    expect(await markRead(keeperActor, { ids: "all" })).toEqual({ marked: 1 });
    expect(await unreadCount(keeperActor)).toBe(0);
    expect(await unreadCount(applicant)).toBeGreaterThan(0);
  });
});

describe("filed imprint (S-03)", () => {
  it("a PNG imprint uploaded during review goes into the SESeal as a PNG picture of the given size", async () => {
    const { id } = await apply({ name: "四川省测试局印模" });
    await startReview(maker, id);
    const { uploadImprint } = await import("@/lib/seals/service");
    const { renderSealPng, renderSealSvg, standardSpec } = await import("@/lib/seals/picture");
    const png = new Uint8Array(renderSealPng(renderSealSvg(standardSpec({ kind: "LEGAL_NAME", level: "CITY", name: "四川省测试局印模" }))));
    const file: CheckedUpload = { filename: "印模.png", mime: "image/png", size: png.length, sm3: sm3Hex(png), data: png };
    await expect(uploadImprint(maker, { sealId: id, widthMm: 45, heightMm: 45 }, { ...file, mime: "application/pdf" })).rejects.toMatchObject({ code: "INVALID_INPUT" });
    await uploadImprint(maker, { sealId: id, widthMm: 45, heightMm: 45 }, file);
    await produceSeal(maker, { sealId: id, validYears: 2, protectionPassword: "" });
    const s = await db().seal.findUniqueOrThrow({ where: { id } });
    expect(s.pictureSvg).toBeNull();
    expect(s.pictureSm3).toBe(file.sm3);
    const decoded = decodeSeal(new Uint8Array(s.sealDer!));
    expect(decoded.picture).toMatchObject({ type: "PNG", width: 45, height: 45 });
    expect(sm3Hex(decoded.picture.data)).toBe(file.sm3);
    await expect(uploadImprint(maker, { sealId: id, widthMm: 45, heightMm: 45 }, file)).rejects.toMatchObject({ code: "CONFLICT" });
  });
});

describe("holder renewal (S-06)", () => {
  it("the holder department renews its own seal in the window; the maker's certificate still signs the structure", async () => {
    const id = await activeSeal();
    const before = await db().seal.findUniqueOrThrow({ where: { id } });
    await expect(renewSeal(applicant, { sealId: id, validYears: 1 }, new Date(), "seal.apply")).rejects.toMatchObject({ code: "CONFLICT" });
    const inWindow = new Date(before.validEnd!.getTime() - 5 * 86_400_000);
    await expect(renewSeal(otherMaker, { sealId: id, validYears: 1 }, inWindow, "seal.apply")).rejects.toMatchObject({ code: "FORBIDDEN" });
    await renewSeal(applicant, { sealId: id, validYears: 1 }, inWindow, "seal.apply");
    const after = await db().seal.findUniqueOrThrow({ where: { id } });
    expect(after.certificateId).not.toBe(before.certificateId);
    expect(after.pictureSm3).toBe(before.pictureSm3);
    const decoded = decodeSeal(new Uint8Array(after.sealDer!));
    const makerCert = await db().certificate.findFirstOrThrow({ where: { kind: "MAKER", key: { label: `maker:${maker.departmentId}` } } });
    expect(Buffer.from(decoded.makerCert).equals(Buffer.from(makerCert.der))).toBe(true);
  });
});

describe("review fixes (S-07, S-08)", () => {
  it("replacing a distributed seal without a new protection password is refused before the old seal is touched", async () => {
    const id = await activeSeal({ useMode: "DISTRIBUTED" }, "Seal#Pass01");
    await expect(replaceSeal(maker, { sealId: id, reason: "KEY_COMPROMISED", text: "", protectionPassword: "" })).rejects.toMatchObject({ code: "INVALID_INPUT" });
    expect((await db().seal.findUniqueOrThrow({ where: { id } })).status).toBe("ACTIVE");
  });

  it("protection passwords cannot be reset or changed on a cancelled seal", async () => {
    const id = await activeSeal({ useMode: "DISTRIBUTED" }, "Seal#Pass01");
    await cancelSeal(maker, { sealId: id, reason: "STOLEN_OR_LOST", text: "" });
    await expect(resetProtectionPassword(maker, { sealId: id, next: "Seal#Pass09" }, [pdf])).rejects.toMatchObject({ code: "CONFLICT" });
    await expect(changeProtectionPassword(applicant, { sealId: id, current: "Seal#Pass01", next: "Seal#Pass09" })).rejects.toMatchObject({ code: "CONFLICT" });
  });
});

describe("the seal register for the 印章管理员 (S-10)", () => {
  it("the administrator who keeps the use-approval flows sees its department's seals, read only, and no other department's", async () => {
    const { listSeals, sealFilter } = await import("@/lib/seals/queries");
    const { sealViewPermission } = await import("@/lib/seals/access");
    const bureau = await db().department.findUniqueOrThrow({ where: { id: holder.id }, select: { path: true, name: true, level: true } });
    const admin = actorOf(await createUser({ department: holder, roles: [{ role: "SEAL_ADMIN", scope: "OWN" }] }), bureau);
    const elsewhere = await createDepartment({ level: "PROVINCE" });
    const otherAdmin = actorOf(await createUser({ department: elsewhere, roles: [{ role: "SEAL_ADMIN", scope: "OWN" }] }), elsewhere);
    const id = await activeSeal();
    expect(sealViewPermission(admin)).toBe("seal.flow");
    expect((await listSeals(admin, sealFilter.parse({ pageSize: "100" }))).rows.map((r) => r.id)).toContain(id);
    expect((await listSeals(otherAdmin, sealFilter.parse({ pageSize: "100" }))).rows.map((r) => r.id)).not.toContain(id);
    // seeing is not making: the maker's actions stay refused
    await expect(startReview(admin, id)).rejects.toMatchObject({ code: "FORBIDDEN" });
  });
});
