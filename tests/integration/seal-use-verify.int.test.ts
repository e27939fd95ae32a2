// Public verification (S-13), the database rate limiter, and the use-record export (S-11): a real
// seal made through the lifecycle signs a real PDF; the verifier reports it valid, tampered,
// extended or cancelled; the export route answers a signed-in user with a workbook of their scope.
import { randomUUID } from "node:crypto";
import ExcelJS from "exceljs";
import { PDFDocument, StandardFonts } from "pdf-lib";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { encode } from "next-auth/jwt";
import { db } from "@/lib/db";
import type { Actor } from "@/lib/auth/session";
import { applySeal, cancelSeal, produceSeal, startReview } from "@/lib/seals/service";
import { runFiling } from "@/lib/seals/filing";
import { signDocument } from "@/lib/crypto/ses";
import { cryptoText } from "@/lib/crypto/messages";
import { sm3Hex } from "@/lib/crypto/sm3";
import { embedSignature, stampSeal } from "@/lib/pdf/sealed-pdf";
import { verifyText, verifyUpload, type PublicReport } from "@/lib/seal-use/verify";
import { enforce, hit, RATE_LIMITS } from "@/lib/security/rate-limit";
import { createDepartment, createSession, createUser, testActor, testIp, uniqueSuffix, type TestDept, type TestUser } from "@/tests/helpers/factory";
import type { CheckedUpload } from "@/lib/uploads";
import { GET as exportGET } from "@/app/api/seal-use/records/export/route";
import { GET as verifyGET, POST as verifyPOST } from "@/app/api/verify/route";

const jar = { cookie: null as string | null };
vi.mock("next/headers", () => ({
  cookies: () => Promise.resolve({ get: (name: string) => (name === "certseal.session" && jar.cookie ? { name, value: jar.cookie } : undefined) }),
  headers: () => Promise.resolve(new Headers({ host: "localhost:3000", "user-agent": "vitest" })),
}));

function actorOf(u: TestUser, dept: TestDept): Actor {
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

async function signInAs(user: TestUser) {
  const s = await createSession(user.id);
  jar.cookie = await encode({ token: { sid: s.id, sub: user.id }, secret: process.env.NEXTAUTH_SECRET! });
}

const material: CheckedUpload = { filename: "证明.pdf", mime: "application/pdf", size: 13, sm3: sm3Hex("%PDF-1.4 test"), data: new Uint8Array(Buffer.from("%PDF-1.4 test")) };

async function makePdf(line: string): Promise<Uint8Array> {
  const doc = await PDFDocument.create({ updateMetadata: false });
  const font = await doc.embedFont(StandardFonts.Helvetica);
  doc.addPage([595.28, 841.89]).drawText(line, { x: 72, y: 760, size: 14, font });
  return doc.save({ useObjectStreams: false });
}

let maker: Actor, applicant: Actor, bureau: TestDept, otherDept: TestDept;

async function activeSeal(name: string): Promise<string> {
  const { id } = await applySeal(
    applicant,
    { holderDeptId: bureau.id, kind: "LEGAL_NAME", businessType: null, positionType: null, name, holderPersonName: "", useMode: "CENTRALISED", physicalRef: "SC-2026-0009", applyReason: "验证测试" },
    [material],
  );
  await startReview(maker, id);
  await produceSeal(maker, { sealId: id, validYears: 2, protectionPassword: "" });
  expect((await runFiling(id)).status).toBe("FILED");
  return id;
}

/** Stamps and signs a fresh PDF with the seal, as the signing service does. */
async function seal(sealId: string, line: string) {
  const s = await db().seal.findUniqueOrThrow({ where: { id: sealId } });
  const cert = await db().certificate.findUniqueOrThrow({ where: { id: s.certificateId! } });
  const stamped = await stampSeal({ pdf: await makePdf(line), picturePng: new Uint8Array(s.picturePng!), widthMm: s.pictureWidthMm!, heightMm: s.pictureHeightMm!, position: { page: 1, x: 300, y: 300 } });
  const sig = await signDocument({ sealDer: new Uint8Array(s.sealDer!), signerKeyId: s.keyId!, signerCertDer: new Uint8Array(cert.der), document: stamped, propertyInfo: `certseal:test:${uniqueSuffix()}` });
  return { stamped, sig, sealed: embedSignature(stamped, sig, "test.sig") };
}

const check = (r: PublicReport, key: string) => r.checks.find((c) => c.key === key)!;

let sealId: string;
let sealName: string;
let signed: Awaited<ReturnType<typeof seal>>;

beforeAll(async () => {
  const province = await createDepartment({ level: "PROVINCE" });
  const police = await createDepartment({ parent: province, level: "PROVINCE", parts: { isSealMaking: true } });
  bureau = await createDepartment({ parent: province, level: "PROVINCE", parts: { isIssuing: true }, name: `四川省验证测试局${uniqueSuffix()}` });
  otherDept = await createDepartment({ parent: province, level: "PROVINCE", name: `四川省另一测试局${uniqueSuffix()}` });
  applicant = actorOf(await createUser({ department: bureau, roles: ["SEAL_APPLICANT"] }), bureau);
  maker = actorOf(await createUser({ department: police, roles: [{ role: "SEAL_MAKER_REVIEWER", scope: "PROVINCE" }] }), police);
  // `police` is a new seal-making unit: the first seal below also makes its maker certificate,
  // which must not start after the seal's createDate (or the maker check would fail).
  sealName = `验证测试专用章${uniqueSuffix()}`;
  sealId = await activeSeal(sealName);
  signed = await seal(sealId, "certseal verification test");
});

describe("verifyUpload (public verification)", () => {
  it("reports a sealed PDF as valid, with the seal, its holder and the signing time", async () => {
    const r = await verifyUpload({ pdf: signed.sealed });
    const s = await db().seal.findUniqueOrThrow({ where: { id: sealId } });
    expect(r).toMatchObject({ found: true, valid: true, summary: verifyText.valid, seal: { name: sealName, esId: s.esId, holderDept: bureau.name } });
    expect(Date.parse(r.signedAt!)).toBeLessThanOrEqual(Date.now());
    expect(r.checks.map((c) => [c.key, c.ok])).toEqual([
      ["documentUnchanged", true],
      ["signerChainsToCa", true],
      ["signerListedInSeal", true],
      ["sealValidAtSigningTime", true],
      ["sealStatusNow", true],
      ["makerSignatureValid", true],
      ["signatureValid", true],
    ]);
    expect(check(r, "documentUnchanged")).toMatchObject({ title: "文件未被篡改", message: cryptoText.ses.checks.documentUnchanged.ok });
    expect(check(r, "signerChainsToCa").title).toBe("签章人证书可信");
  });

  it("one byte changed inside the signed range: invalid, the document check fails", async () => {
    const bytes = Uint8Array.from(signed.sealed);
    // the binary comment on the PDF's second line: the file still parses, its hash changes
    const at = Buffer.from(bytes).indexOf("\n%", 0, "latin1") + 2;
    expect(at).toBeLessThan(signed.stamped.length);
    bytes[at] ^= 0x01;
    const r = await verifyUpload({ pdf: bytes });
    expect(r).toMatchObject({ found: true, valid: false });
    expect(check(r, "documentUnchanged")).toMatchObject({ ok: false, message: cryptoText.ses.checks.documentUnchanged.fail });
    expect(check(r, "signatureValid").ok).toBe(true);
    expect(r.summary).toBe(verifyText.invalid(cryptoText.ses.checks.documentUnchanged.fail, 1));
  });

  it("bytes appended after the signature: invalid, explained as an addition outside the signed range", async () => {
    const extended = Buffer.concat([signed.sealed, Buffer.from("\n% added after sealing\n", "latin1")]);
    const r = await verifyUpload({ pdf: new Uint8Array(extended) });
    expect(r).toMatchObject({ found: true, valid: false });
    expect(check(r, "documentUnchanged")).toMatchObject({ ok: false, message: verifyText.appended });
    expect(r.summary).toContain("追加修改");
  });

  it("the sealed PDF with its own .sig, and the signed document with the .sig: valid", async () => {
    expect(await verifyUpload({ pdf: signed.sealed, sig: signed.sig })).toMatchObject({ found: true, valid: true });
    expect(await verifyUpload({ pdf: signed.stamped, sig: signed.sig })).toMatchObject({ found: true, valid: true });
  });

  it("an unrelated PDF with the .sig: invalid (the document does not match)", async () => {
    const r = await verifyUpload({ pdf: await makePdf("another document"), sig: signed.sig });
    expect(r).toMatchObject({ found: true, valid: false });
    expect(check(r, "documentUnchanged").ok).toBe(false);
    expect(check(r, "signatureValid").ok).toBe(true);
  });

  it("a sealed PDF with another signature's .sig: the uploaded .sig is checked against the whole file", async () => {
    const other = await seal(sealId, "a second document");
    const r = await verifyUpload({ pdf: signed.sealed, sig: other.sig });
    expect(r.valid).toBe(false);
    expect(check(r, "documentUnchanged").ok).toBe(false);
  });

  it("a PDF without a signature: not found, asking for the .sig", async () => {
    expect(await verifyUpload({ pdf: await makePdf("plain") })).toEqual({ found: false, valid: false, summary: verifyText.noSignature, checks: [] });
  });

  it("a .sig that is not a signature: invalid, explained once", async () => {
    const r = await verifyUpload({ pdf: signed.stamped, sig: new Uint8Array([0x30, 0x03, 0x02, 0x01, 0x04]) });
    expect(r).toMatchObject({ found: true, valid: false, checks: [{ key: "signatureValid", ok: false, message: cryptoText.ses.unparsable }] });
  });

  it("a seal cancelled after signing: the signature stays valid, the status says it is cancelled", async () => {
    const id = await activeSeal(`验证测试注销章${uniqueSuffix()}`);
    const doc = await seal(id, "signed before cancellation");
    await cancelSeal(maker, { sealId: id, reason: "NO_LONGER_USED", text: "机构调整" });
    const r = await verifyUpload({ pdf: doc.sealed });
    expect(r.valid).toBe(true);
    expect(check(r, "sealStatusNow")).toMatchObject({ ok: false, title: "印章当前状态", message: cryptoText.ses.checks.sealStatusNow.CANCELLED });
    expect(r.summary).toBe(`${verifyText.valid}；${cryptoText.ses.checks.sealStatusNow.CANCELLED}`);
  });

  it("a seal past its validity now reads as expired; the signature made in time stays valid", async () => {
    const r = await verifyUpload({ pdf: signed.sealed }, { now: new Date(Date.now() + 5 * 365 * 86_400_000) });
    expect(r.valid).toBe(true);
    expect(check(r, "sealStatusNow")).toMatchObject({ ok: false, message: cryptoText.ses.checks.sealStatusNow.EXPIRED });
  });

  it("stores nothing: no rows are written by a verification", async () => {
    const before = await db().auditEvent.count();
    await verifyUpload({ pdf: signed.sealed });
    expect(await db().auditEvent.count()).toBe(before);
  });
});

describe("POST /api/verify", () => {
  const post = (form: FormData, ip = testIp(), headers: Record<string, string> = {}) =>
    verifyPOST(new Request("http://localhost:3000/api/verify", { method: "POST", body: form, headers: { "x-forwarded-for": ip, ...headers } }));
  const formOf = (files: Record<string, Uint8Array>) => {
    const fd = new FormData();
    for (const [k, v] of Object.entries(files)) fd.set(k, new File([Buffer.from(v)], k === "pdf" ? "盖章文件.pdf" : "签名.sig"));
    return fd;
  };

  it("answers the report as JSON, uncached", async () => {
    const res = await post(formOf({ pdf: signed.sealed }));
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(await res.json()).toMatchObject({ found: true, valid: true, seal: { name: sealName } });
  });

  it("refuses a file that is not a PDF, a missing PDF, an oversized body, and other methods", async () => {
    let res = await post(formOf({ pdf: new Uint8Array(Buffer.from("GIF89a not a pdf")) }));
    expect([res.status, await res.json()]).toEqual([422, { code: "INVALID_INPUT", error: "所选文件不是 PDF 文件", field: "pdf" }]);
    res = await post(formOf({ sig: signed.sig }));
    expect([res.status, ((await res.json()) as { field: string }).field]).toEqual([422, "pdf"]);
    res = await post(formOf({ pdf: signed.sealed }), testIp(), { "content-length": String(30 * 1048576) });
    expect([res.status, ((await res.json()) as { code: string }).code]).toEqual([422, "INVALID_INPUT"]);
    res = verifyGET();
    expect([res.status, res.headers.get("allow")]).toEqual([405, "POST"]);
  });

  it("limits each IP: over the limit it answers 429 with the Chinese message", async () => {
    const ip = testIp();
    for (let i = 0; i < RATE_LIMITS.publicVerify.limit; i++) await hit(RATE_LIMITS.publicVerify, ip);
    const res = await post(formOf({ pdf: signed.sealed }), ip);
    const body = (await res.json()) as { code: string; error: string };
    expect([res.status, body.code]).toEqual([429, "RATE_LIMITED"]);
    expect(body.error).toMatch(/^操作过于频繁，请 \d+ 秒后再试$/);
  });
});

describe("rate limiter", () => {
  const rule = () => ({ bucket: `test-${uniqueSuffix()}`, limit: 3, windowSeconds: 60 });
  const t0 = new Date(Math.floor(Date.now() / 60_000) * 60_000);

  it("counts hits within a window and starts again in the next", async () => {
    const r = rule();
    const counts = [];
    for (let i = 0; i < 4; i++) counts.push(await hit(r, "who", new Date(t0.getTime() + i * 1000)));
    expect(counts.map((c) => [c.allowed, c.count])).toEqual([
      [true, 1],
      [true, 2],
      [true, 3],
      [false, 4],
    ]);
    expect(counts[3].retryAfter).toBe(57);
    expect(await hit(r, "other", new Date(t0.getTime() + 5000))).toMatchObject({ allowed: true, count: 1 });
    expect(await hit(r, "who", new Date(t0.getTime() + 60_000))).toMatchObject({ allowed: true, count: 1, retryAfter: 60 });
  });

  it("enforce throws RATE_LIMITED over the limit and audits the first refusal of the window only", async () => {
    const r = rule();
    const audits = () => db().auditEvent.count({ where: { action: "ratelimit.exceeded", detail: { path: ["bucket"], equals: r.bucket } } });
    for (let i = 0; i < r.limit; i++) await enforce(r, "who", testActor(), t0);
    expect(await audits()).toBe(0);
    await expect(enforce(r, "who", testActor(), t0)).rejects.toMatchObject({ code: "RATE_LIMITED" });
    await expect(enforce(r, "who", testActor(), t0)).rejects.toMatchObject({ code: "RATE_LIMITED" });
    expect(await audits()).toBe(1);
    await enforce(r, "who", testActor(), new Date(t0.getTime() + 60_000));
  });
});

describe("GET /api/seal-use/records/export", () => {
  let custodian: TestUser, otherSealId: string;
  const records: { at: Date; reason: string; signatureId: string; documentSm3: string }[] = [];

  /** An approved request (every step of its round approved, as the database trigger demands) with use records. */
  async function approvedWithRecords(holder: TestDept, seal: { id: string; name: string; esId: string }, reasons: string[]) {
    const now = Math.floor(Date.now() / 1000) * 1000; // whole seconds survive the Excel date round trip
    const req = await db().sealUseRequest.create({
      data: { sealId: seal.id, holderDeptId: holder.id, applicantId: applicant.userId, applicantName: "测试申请人", reason: reasons[0], count: reasons.length + 1, usedCount: reasons.length, validUntil: new Date(now + 86_400_000), status: "PARTLY_USED", round: 0, submittedAt: new Date(now - 7_200_000), approvedAt: new Date(now - 3_600_000) },
    });
    await db().sealUseStep.create({ data: { requestId: req.id, round: 0, index: 0, name: "部门负责人", kind: "APPROVAL", mode: "ANY", status: "APPROVED", activatedAt: new Date(now - 7_200_000), finishedAt: new Date(now - 3_600_000) } });
    const out = [];
    for (const [i, reason] of reasons.entries()) {
      const row = {
        at: new Date(now - 60_000 * (reasons.length - i)),
        reason,
        signatureId: randomUUID(),
        documentSm3: sm3Hex(`document ${reason}`),
      };
      await db().sealUseRecord.create({
        data: {
          ...row,
          sealId: seal.id,
          sealName: seal.name,
          esId: seal.esId,
          holderDeptId: holder.id,
          requestId: req.id,
          requestNumber: `YY2026${String(req.seq).padStart(6, "0")}`,
          approvals: [{ step: "部门负责人", user: "王审批", decision: "APPROVED", at: new Date(now - 3_600_000).toISOString(), comment: "同意" }],
          countUsed: 1,
          usedTotal: i + 1,
          remaining: reasons.length - i,
          documentName: `${reason}.pdf`,
          signedSm3: sm3Hex(`signed ${reason}`),
          sealedSm3: sm3Hex(`sealed ${reason}`),
          operatorId: applicant.userId,
          operatorName: "李保管(custodian)",
        },
      });
      out.push(row);
    }
    return out;
  }

  beforeAll(async () => {
    const s = await db().seal.findUniqueOrThrow({ where: { id: sealId } });
    records.push(...(await approvedWithRecords(bureau, { id: s.id, name: s.name, esId: s.esId! }, [`导出测试甲${uniqueSuffix()}`, `导出测试乙${uniqueSuffix()}`])));
    const other = await db().seal.create({
      data: { name: "另一部门的章", kind: "LEGAL_NAME", holderDeptId: otherDept.id, physicalRef: "X-1", applicantId: applicant.userId, applyReason: "测试", useMode: "CENTRALISED", status: "ACTIVE", esId: `5100009${String(Date.now() % 10_000_000).padStart(7, "0")}` },
    });
    otherSealId = other.id;
    await approvedWithRecords(otherDept, { id: other.id, name: other.name, esId: other.esId! }, [`导出测试丙${uniqueSuffix()}`]);
    custodian = await createUser({ department: bureau, roles: [{ role: "SEAL_CUSTODIAN", scope: "OWN" }] });
  });

  const get = (query = "") => exportGET(new Request(`http://localhost:3000/api/seal-use/records/export${query}`));
  const workbookOf = async (res: Response) => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(await res.arrayBuffer());
    return wb;
  };

  it("refuses no session (401) and a role without a seal-use permission (403)", async () => {
    jar.cookie = null;
    let res = await get();
    expect([res.status, ((await res.json()) as { code: string }).code, res.headers.get("cache-control")]).toEqual([401, "UNAUTHENTICATED", "no-store"]);
    await signInAs(await createUser({ department: bureau, roles: ["USING_OPERATOR"] }));
    res = await get();
    expect([res.status, ((await res.json()) as { code: string }).code]).toEqual([403, "FORBIDDEN"]);
  });

  it("answers 404 for a department or seal filter outside the caller's scope", async () => {
    await signInAs(custodian);
    for (const q of [`?dept=${otherDept.id}`, `?deptId=${otherDept.id}`, `?sealId=${otherSealId}`]) {
      const res = await get(q);
      expect([q, res.status, ((await res.json()) as { code: string }).code]).toEqual([q, 404, "NOT_FOUND"]);
    }
  });

  it("sends a workbook of the records in scope: header, one row per record, Beijing dates, full SM3; audited", async () => {
    await signInAs(custodian);
    const res = await get();
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(res.headers.get("content-disposition")).toMatch(/^attachment; filename="seal-use-records-\d{8}\.xlsx"; filename\*=UTF-8''%E7%94%A8%E5%8D%B0%E7%99%BB%E8%AE%B0-\d{8}\.xlsx$/);
    const ws = (await workbookOf(res)).getWorksheet("用印登记")!;
    expect(ws).toBeDefined();
    const header = (ws.getRow(1).values as unknown[]).slice(1);
    expect(header).toEqual(["用印时间", "印章名称", "印章编码", "持有部门", "申请编号", "用印事由", "审批情况", "本次用印数", "累计已用", "剩余次数", "文件名称", "原文件 SM3", "签名原文 SM3（盖章后、嵌入签名前）", "签章文件 SM3（下载的 PDF）", "经办人", "签章编号"]);
    expect(ws.views[0]).toMatchObject({ state: "frozen", ySplit: 1 });
    expect(ws.rowCount).toBe(1 + records.length);
    // newest first, as on the page
    const newest = records[records.length - 1];
    const row = ws.getRow(2);
    expect(row.getCell(1).value).toEqual(new Date(newest.at.getTime() + 8 * 3_600_000));
    expect(row.getCell(1).numFmt).toBe("yyyy-mm-dd hh:mm:ss");
    expect(row.getCell(4).value).toBe(bureau.name);
    expect(row.getCell(6).value).toBe(newest.reason);
    expect(row.getCell(7).text).toMatch(/^部门负责人：王审批 同意 \d{4}-\d{2}-\d{2} \d{2}:\d{2}（同意）$/);
    expect(row.getCell(12).value).toBe(newest.documentSm3);
    expect(row.getCell(16).value).toBe(newest.signatureId);

    const audit = await db().auditEvent.findFirstOrThrow({ where: { action: "seal_use.export", actorId: custodian.id }, orderBy: { seq: "desc" } });
    expect(audit).toMatchObject({ targetType: "SealUseRecord", targetId: null, detail: { action: "seal_use.export", rows: records.length, filter: {} } });
  });

  it("applies the page's filter and records it in the audit event", async () => {
    await signInAs(custodian);
    const res = await get(`?q=${encodeURIComponent(records[0].reason)}&from=2020-01-01&dept=${bureau.id}&page=3`);
    expect(res.status).toBe(200);
    const ws = (await workbookOf(res)).getWorksheet("用印登记")!;
    expect(ws.rowCount).toBe(2);
    expect(ws.getRow(2).getCell(16).value).toBe(records[0].signatureId);
    const audit = await db().auditEvent.findFirstOrThrow({ where: { action: "seal_use.export", actorId: custodian.id }, orderBy: { seq: "desc" } });
    expect(audit.detail).toEqual({ action: "seal_use.export", rows: 1, filter: { q: records[0].reason, deptId: bureau.id, from: "2020-01-01" } });
  });

  it("limits each user: over the limit it answers 429 and writes no export event", async () => {
    const user = await createUser({ department: bureau, roles: [{ role: "SUPERVISOR", scope: "OWN" }] });
    await signInAs(user);
    for (let i = 0; i < RATE_LIMITS.recordsExport.limit; i++) await hit(RATE_LIMITS.recordsExport, user.id);
    const res = await get();
    expect([res.status, ((await res.json()) as { code: string }).code]).toEqual([429, "RATE_LIMITED"]);
    expect(await db().auditEvent.count({ where: { action: "seal_use.export", actorId: user.id } })).toBe(0);
    expect(await db().auditEvent.count({ where: { action: "ratelimit.exceeded", actorId: user.id } })).toBe(1);
  });
});
