// The licence file (L-07), its QR codes and 亮证 codes, public verification (U-06) and the public
// notice (U-02): real licences issued through the service, files rendered and re-rendered,
// uploads checked as the public page checks them, and the public pages rendered to HTML and
// searched for any full holder code.
import { randomInt, randomUUID } from "node:crypto";
import { renderToStaticMarkup } from "react-dom/server";
import { encode } from "next-auth/jwt";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { decodeSignature } from "@/lib/crypto/ses";
import { sm3Hex } from "@/lib/crypto/sm3";
import { licenceFaceInput, renderLicenceFile } from "@/lib/licenses/file";
import { encryptHolderCode, holderCode } from "@/lib/licenses/holders";
import { buildIdentifier } from "@/lib/licenses/identifier";
import { consumeShowCode, createShowCodeFor, parseToken, peekShowCode, printedToken, qrText, resolvePrinted, revokePrintedCodes, SHOW_CODE_TTL_SECONDS } from "@/lib/licenses/qr";
import { checkStoredSignature, licenceVerifyText, lookupByVerifyCode, publicLicenceView, verifyLicenceUpload, type LicenceUploadReport } from "@/lib/licenses/verify";
import { isStatementTimeout, noticeQuery, searchPublicNotice } from "@/lib/licenses/public";
import { renderLicenceFace } from "@/lib/pdf/licence-face";
import { extractSignature } from "@/lib/pdf/sealed-pdf";
import { hit } from "@/lib/security/rate-limit";
import { createSession, testIp, uniqueSuffix } from "@/tests/helpers/factory";
import { citizenId, faceFor, holderUscc, issue, licenceAudit, licenceRow, makeLicenceWorld, type LicenceWorld } from "@/tests/helpers/licences";
import { POST as verifyPOST } from "@/app/api/verify/route";
import { POST as lookupPOST } from "@/app/api/verify/licence/route";
import { POST as showPOST } from "@/app/api/verify/show/route";
import { GET as fileGET } from "@/app/api/licenses/[id]/file/route";
import { GET as sigGET } from "@/app/api/licenses/[id]/signature/route";
import { createShowCode, revokePrintedQr } from "@/app/(portal)/licenses/[id]/show-code-action";
import QrVerifyPage from "@/app/verify/l/[token]/page";
import PublicNoticePage from "@/app/public-notice/page";
import { PUBLIC_NOTICE_LIMIT } from "@/app/verify/rate";

type Jar = { cookie: string | null; origin: string | null; ip: string };
const jar = vi.hoisted((): Jar => ({ cookie: null, origin: "http://localhost:3000", ip: "203.0.113.1" }));
vi.mock("next/headers", () => ({
  cookies: () => Promise.resolve({ get: (name: string) => (name === "certseal.session" && jar.cookie ? { name, value: jar.cookie } : undefined) }),
  headers: () =>
    Promise.resolve(new Headers({ host: "localhost:3000", "user-agent": "vitest", "x-forwarded-for": jar.ip, ...(jar.origin ? { origin: jar.origin, "sec-fetch-site": "same-origin" } : {}) })),
}));
vi.mock("next/cache", () => ({ revalidatePath: () => undefined }));
vi.mock("next/navigation", () => ({ useRouter: () => ({ push: () => undefined }), usePathname: () => "/public-notice", useSearchParams: () => new URLSearchParams() }));

let w: LicenceWorld;
let first: { id: string; identifier: string };
let code1: string;
beforeAll(async () => {
  w = await makeLicenceWorld();
  code1 = holderUscc();
  first = await issue(w, { holder: { category: "LEGAL_PERSON", codeType: "001", code: code1, name: `核验测试商贸有限公司${uniqueSuffix()}`, contact: "" } });
}, 120_000);

async function signInAs(actor: { userId: string }) {
  const s = await createSession(actor.userId);
  jar.cookie = await encode({ token: { sid: s.id, sub: actor.userId }, secret: process.env.NEXTAUTH_SECRET! });
}

const bytesEqual = (a: Uint8Array, b: Uint8Array) => Buffer.from(a).equals(Buffer.from(b));
/** A fresh IP for each rate-limited call, so the tests do not share a budget. */
const freshIp = () => (jar.ip = testIp());

/** One byte changed inside the first content stream: the file still parses. */
function flipOneByte(pdf: Uint8Array): Uint8Array {
  const out = Uint8Array.from(pdf);
  const at = Buffer.from(out).indexOf(Buffer.from("stream", "latin1")) + 20;
  out[at] ^= 0x01;
  return out;
}

async function uploadReport(pdf: Uint8Array): Promise<LicenceUploadReport> {
  const r = await verifyLicenceUpload(pdf);
  expect(r).not.toBeNull();
  return r!;
}

describe("L-07 the licence file", () => {
  it("renders the same bytes every time, other bytes for another licence, with the stored signature attached as <identifier>.ses", async () => {
    const a = await renderLicenceFile(first.id);
    const b = await renderLicenceFile(first.id);
    expect(bytesEqual(a.pdf, b.pdf)).toBe(true);
    expect(a.sm3).toBe(sm3Hex(a.pdf));
    expect(Buffer.from(a.pdf.subarray(0, 5)).toString("latin1")).toBe("%PDF-");
    const other = await issue(w);
    expect(bytesEqual((await renderLicenceFile(other.id)).pdf, a.pdf)).toBe(false);

    const ex = await extractSignature(a.pdf);
    expect(ex).not.toBeNull();
    expect(ex!.fileName).toBe(`${first.identifier}.ses`);
    expect(ex!.appendedExactly).toBe(true);
    expect(bytesEqual(ex!.sigDer, (await licenceRow(first.id)).signature!)).toBe(true);
  });

  it("prints the face in full (holder code included), the identifier, the number, the seal and the printed QR URL", async () => {
    const l = await licenceRow(first.id);
    const { face } = await licenceFaceInput(first.id);
    expect(face.identifier).toBe(first.identifier);
    expect(face.number).toBe(l.licenceNumber);
    expect(face.seal?.png.length).toBeGreaterThan(0);
    expect(face.qrText).toBe(`http://localhost:3000/verify/l/${printedToken(first.id, 0)}`);
    expect(face.lines.map((x) => x.value)).toContain(code1);
    expect(face.lines.find((x) => x.label === "核验码")?.value).toBe(l.verifyCode);
    expect(face.holderName).toBe(l.holderName);
  });

  it("checkStoredSignature: the stored signature verifies over the rebuilt canonical encoding; a holder code changed behind its back breaks it (the licence row itself is frozen by licence_guard)", async () => {
    const r = await checkStoredSignature(first.id);
    expect(r.ok).toBe(true);
    expect(r.checks.map((c) => c.key)).toEqual(expect.arrayContaining(["canonical", "propertyInfo", "documentUnchanged", "signatureValid", "signerChainsToCa"]));

    const { id } = await issue(w);
    await expect(db().$executeRaw`UPDATE "Licence" SET "holderName" = '被改动的名称' WHERE id = ${id}::uuid`).rejects.toThrow(/cannot change/);
    const row = await db().licence.findUniqueOrThrow({ where: { id } });
    await db().holder.update({ where: { id: row.holderId }, data: { codeEnc: encryptHolderCode(holderUscc()) } });
    const bad = await checkStoredSignature(id);
    expect(bad.ok).toBe(false);
    expect(bad.checks.find((c) => c.key === "canonical")).toMatchObject({ ok: false });
    expect(bad.checks.find((c) => c.key === "documentUnchanged")).toMatchObject({ ok: false });
    expect(bad.checks.find((c) => c.key === "signatureValid")).toMatchObject({ ok: true });
  });
});

describe("U-06 printed QR codes", () => {
  it("the printed token leads to the licence; a tampered one is refused; revoking moves the epoch (conditional update, audited)", async () => {
    const { id, identifier } = await issue(w);
    const token = printedToken(id, 0);
    const p = parseToken(token);
    expect(p).toEqual({ kind: "PRINTED", licenceId: id, epoch: 0 });
    expect(await resolvePrinted(p as Extract<typeof p, { kind: "PRINTED" }>)).toEqual({ ok: true, licenceId: id });
    expect(parseToken(`${token.slice(0, 10)}${token[10] === "A" ? "B" : "A"}${token.slice(11)}`).kind).toBe("INVALID");

    const before = (await renderLicenceFile(id)).pdf;
    await expect(revokePrintedCodes(w.user, id)).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(revokePrintedCodes(w.otherIssuer, id)).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect(await revokePrintedCodes(w.issuer, id)).toEqual({ qrEpoch: 1 });
    expect(await resolvePrinted(p as Extract<typeof p, { kind: "PRINTED" }>)).toEqual({ ok: false, reason: "REVOKED", message: qrText.revoked });
    expect(await resolvePrinted({ kind: "PRINTED", licenceId: id, epoch: 1 })).toEqual({ ok: true, licenceId: id });
    const audit = await licenceAudit(id, "licence.qr");
    expect(audit.map((a) => a.detail)).toEqual([expect.objectContaining({ change: "REVOKE_PRINTED", identifier, fromEpoch: 0, toEpoch: 1 })]);

    // the file now carries the new code: the old file is no longer the original
    const after = await renderLicenceFile(id);
    expect(bytesEqual(after.pdf, before)).toBe(false);
    expect((await uploadReport(before)).original).toBe(false);
    expect((await uploadReport(after.pdf)).original).toBe(true);
  });

  it("two administrators revoking at once: exactly one wins, the other is told", async () => {
    const { id } = await issue(w);
    const results = await Promise.allSettled([revokePrintedCodes(w.issuer, id), revokePrintedCodes(w.issuer2, id), revokePrintedCodes(w.issuer, id)]);
    expect(results.filter((r) => r.status === "fulfilled").length).toBe(1);
    for (const r of results) if (r.status === "rejected") expect((r.reason as AppError).userMessage).toBe(qrText.revokeConflict);
    expect((await licenceRow(id)).qrEpoch).toBe(1);
  });

  it("the QR page shows the licence for a printed code, and clear messages for a revoked or malformed one", async () => {
    const { id } = await issue(w);
    freshIp();
    const html = renderToStaticMarkup(await QrVerifyPage({ params: Promise.resolve({ token: printedToken(id, 0) }) }));
    expect(html).toContain('data-status="VALID"');
    expect(html).toContain("证照状态：有效");
    await revokePrintedCodes(w.issuer, id);
    expect(renderToStaticMarkup(await QrVerifyPage({ params: Promise.resolve({ token: printedToken(id, 0) }) }))).toContain(qrText.revoked);
    expect(renderToStaticMarkup(await QrVerifyPage({ params: Promise.resolve({ token: "not-a-token" }) }))).toContain(qrText.invalid);
  });
});

describe("U-06 亮证 show codes", () => {
  it("an issuer of the department and a supervisor may create one; a using department and another city may not; only the SM3 is stored; audited", async () => {
    const { id, identifier } = await issue(w);
    const now = new Date();
    const c = await createShowCodeFor(w.issuer, id, now);
    expect(c.url).toBe(`http://localhost:3000/verify/l/${c.token}`);
    expect(c.expiresAt.getTime() - now.getTime()).toBe(SHOW_CODE_TTL_SECONDS * 1000);
    const rows = await db().licenceShowCode.findMany({ where: { licenceId: id } });
    expect(rows).toHaveLength(1);
    expect(rows[0].tokenHash).toBe(sm3Hex(Buffer.from(c.token, "base64url")));
    expect(JSON.stringify(rows)).not.toContain(c.token);
    expect((await createShowCodeFor(w.supervisor, id)).token).not.toBe(c.token);
    await expect(createShowCodeFor(w.user, id)).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(createShowCodeFor(w.otherIssuer, id)).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(createShowCodeFor(w.issuer, randomUUID())).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect((await licenceAudit(id, "licence.qr")).map((a) => a.detail)).toEqual([
      expect.objectContaining({ change: "SHOW_CODE", identifier }),
      expect.objectContaining({ change: "SHOW_CODE", identifier }),
    ]);
  });

  it("is one use: of many visitors at once exactly one sees the licence, the rest are told it was used", async () => {
    const { id } = await issue(w);
    const c = await createShowCodeFor(w.issuer, id);
    const p = parseToken(c.token);
    if (p.kind !== "SHOW") throw new Error("not a show code");
    expect(await peekShowCode(p.hash)).toEqual({ ok: true, licenceId: id });
    const results = await Promise.all(Array.from({ length: 8 }, () => consumeShowCode(p.hash)));
    expect(results.filter((r) => r.ok)).toEqual([{ ok: true, licenceId: id }]);
    for (const r of results.filter((x) => !x.ok)) expect(r).toEqual({ ok: false, reason: "USED", message: qrText.showUsed });
    expect(await peekShowCode(p.hash)).toMatchObject({ ok: false, reason: "USED" });
  });

  it("expires after 300 seconds (injected clock)", async () => {
    const { id } = await issue(w);
    const t0 = new Date();
    const c = await createShowCodeFor(w.issuer, id, t0);
    const p = parseToken(c.token);
    if (p.kind !== "SHOW") throw new Error("not a show code");
    expect(await peekShowCode(p.hash, new Date(t0.getTime() + 299_000))).toMatchObject({ ok: true });
    expect(await consumeShowCode(p.hash, new Date(t0.getTime() + 300_000))).toEqual({ ok: false, reason: "EXPIRED", message: qrText.showExpired });
    expect(await consumeShowCode(p.hash, new Date(t0.getTime() + 301_000))).toMatchObject({ reason: "EXPIRED" });
    // not used up by the refused attempts
    expect((await db().licenceShowCode.findUniqueOrThrow({ where: { tokenHash: p.hash } })).usedAt).toBeNull();
  });

  it("the page does not use the code up (no change on GET); POST /api/verify/show does, once, same-origin only", async () => {
    const { id } = await issue(w);
    const c = await createShowCodeFor(w.issuer, id);
    const p = parseToken(c.token);
    if (p.kind !== "SHOW") throw new Error("not a show code");
    freshIp();
    const html = renderToStaticMarkup(await QrVerifyPage({ params: Promise.resolve({ token: c.token }) }));
    expect(html).toContain('data-testid="show-code-open"');
    expect((await db().licenceShowCode.findUniqueOrThrow({ where: { tokenHash: p.hash } })).usedAt).toBeNull();

    const post = (token: string) => showPOST(new Request("http://localhost:3000/api/verify/show", { method: "POST", body: JSON.stringify({ token }), headers: { "content-type": "application/json" } }));
    jar.origin = null;
    let res = await post(c.token);
    expect([res.status, ((await res.json()) as { code: string }).code]).toEqual([403, "BAD_ORIGIN"]);
    jar.origin = "http://localhost:3000";
    res = await post(c.token);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { view: { identifier: string; statusLabel: string } };
    expect(body.view).toMatchObject({ statusLabel: "有效" });
    res = await post(c.token);
    expect([res.status, await res.json()]).toEqual([409, { code: "CONFLICT", error: qrText.showUsed }]);
    expect(renderToStaticMarkup(await QrVerifyPage({ params: Promise.resolve({ token: c.token }) }))).toContain(qrText.showUsed);
    res = await post("garbage");
    expect([res.status, ((await res.json()) as { error: string }).error]).toEqual([422, qrText.invalid]);
  });

  it("createShowCode (server action): issuer in scope gets a URL and a QR picture; a using department is refused", async () => {
    const { id } = await issue(w);
    await signInAs(w.issuer);
    const r = await createShowCode(id);
    expect(r.ok).toBe(true);
    if (r.ok) {
      expect(r.data.url).toMatch(/^http:\/\/localhost:3000\/verify\/l\/[A-Za-z0-9_-]{32}$/);
      expect(r.data.qrDataUrl).toMatch(/^data:image\/svg\+xml;base64,/);
      expect(r.data.ttlSeconds).toBe(300);
    }
    await signInAs(w.user);
    expect(await createShowCode(id)).toMatchObject({ ok: false, code: "FORBIDDEN" });
    expect(await revokePrintedQr(id)).toMatchObject({ ok: false, code: "FORBIDDEN" });
    await signInAs(w.otherIssuer);
    expect(await createShowCode(id)).toMatchObject({ ok: false, code: "NOT_FOUND" });
    expect(await revokePrintedQr(id)).toMatchObject({ ok: false, code: "NOT_FOUND" });
    jar.cookie = null;
  });
});

describe("U-06 identifier + verification code", () => {
  it("the right code shows the licence (case and spaces forgiven)", async () => {
    const l = await licenceRow(first.id);
    const r = await lookupByVerifyCode(first.identifier, l.verifyCode);
    expect(r).toMatchObject({ ok: true, view: { identifier: first.identifier, status: "VALID", statusLabel: "有效" } });
    expect(await lookupByVerifyCode(` ${first.identifier.toLowerCase()} `, ` ${l.verifyCode.slice(0, 4).toLowerCase()} ${l.verifyCode.slice(4)}`)).toMatchObject({ ok: true });
  });

  it("a wrong code and an unknown (well-formed) identifier get the same answer; a malformed identifier is named as such", async () => {
    const l = await licenceRow(first.id);
    const wrong = await lookupByVerifyCode(first.identifier, l.verifyCode === "AAAAAAAA" ? "BBBBBBBB" : "AAAAAAAA");
    const unknown = await lookupByVerifyCode(buildIdentifier({ typeCode: l.typeCode, issuerCode: l.issuerCode, serial: "999999999", version: 1 }), l.verifyCode);
    expect(wrong).toEqual({ ok: false, error: licenceVerifyText.lookupFailed });
    expect(unknown).toEqual(wrong);
    const bad = await lookupByVerifyCode("1.2.156.3005.2.X", "ABCDEFGH");
    expect(bad).toMatchObject({ ok: false, fieldErrors: { identifier: licenceVerifyText.identifierFormat } });
    const lastChanged = first.identifier.slice(0, -1) + (first.identifier.endsWith("0") ? "1" : "0");
    expect(await lookupByVerifyCode(lastChanged, l.verifyCode)).toMatchObject({ ok: false, fieldErrors: { identifier: licenceVerifyText.identifierFormat } });
  });

  it("POST /api/verify/licence answers 200 / 404 / 422 (never 500), and 429 over the limit", async () => {
    const l = await licenceRow(first.id);
    const post = (body: unknown) => lookupPOST(new Request("http://localhost:3000/api/verify/licence", { method: "POST", body: JSON.stringify(body), headers: { "content-type": "application/json" } }));
    freshIp();
    let res = await post({ identifier: first.identifier, code: l.verifyCode });
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("no-store");
    const ok = JSON.stringify(await res.json());
    expect(ok).toContain(first.identifier);
    expect(ok).not.toContain(code1);
    res = await post({ identifier: first.identifier, code: "ZZZZZZZZ" });
    expect([res.status, await res.json()]).toEqual([404, { code: "NOT_FOUND", error: licenceVerifyText.lookupFailed }]);
    res = await post({ identifier: "not an identifier", code: "ZZZZZZZZ" });
    expect([res.status, ((await res.json()) as { fieldErrors: Record<string, string> }).fieldErrors]).toEqual([422, { identifier: licenceVerifyText.identifierFormat }]);
    res = await post({ identifier: "", code: "" });
    expect([res.status, Object.keys(((await res.json()) as { fieldErrors: Record<string, string> }).fieldErrors).sort()]).toEqual([422, ["code", "identifier"]]);
    res = await lookupPOST(new Request("http://localhost:3000/api/verify/licence", { method: "POST", body: "{not json" }));
    expect(res.status).toBe(422);
    for (let i = 0; i < 20; i++) await hit({ bucket: "verify", limit: 20, windowSeconds: 60 }, jar.ip);
    res = await post({ identifier: first.identifier, code: l.verifyCode });
    expect([res.status, ((await res.json()) as { code: string }).code]).toEqual([429, "RATE_LIMITED"]);
  });
});

describe("U-06 an uploaded licence file", () => {
  it("the downloaded original: the signed original, unaltered, with the licence's status", async () => {
    const f = await renderLicenceFile(first.id);
    const r = await uploadReport(f.pdf);
    expect(r).toMatchObject({ kind: "licence", found: true, original: true, licence: { identifier: first.identifier, statusLabel: "有效" } });
    expect(r.summary).toContain(licenceVerifyText.original);
    expect(r.checks.filter((c) => !c.ok && c.key !== "sealStatusNow")).toEqual([]);
    expect(r.checks.map((c) => c.key)).toEqual(expect.arrayContaining(["signatureFound", "registered", "canonical", "documentUnchanged", "signatureValid", "signatureCurrent", "fileUnaltered"]));
  });

  it("one byte changed: reported as altered, not an original", async () => {
    const f = await renderLicenceFile(first.id);
    const r = await uploadReport(flipOneByte(f.pdf));
    expect(r.found).toBe(true);
    expect(r.original).toBe(false);
    expect(r.checks.find((c) => c.key === "fileUnaltered")).toMatchObject({ ok: false, message: licenceVerifyText.fileFail });
    expect(r.summary).toMatch(/不是有效的电子证照原件：.*篡改/);
    // a byte appended at the end: also not the original
    expect((await uploadReport(Buffer.concat([f.pdf, Buffer.from("\n")]))).original).toBe(false);
  });

  it("a screenshot or print (the face as a PDF without the signature): not an original", async () => {
    const { face } = await licenceFaceInput(first.id);
    const r = await uploadReport(await renderLicenceFace(face));
    expect(r).toMatchObject({ found: false, original: false, licence: null, checks: [] });
    expect(r.summary).toContain("不是原件");
  });

  it("a suspended licence: the file is still the original, the status says 暂扣", async () => {
    const { id } = await issue(w);
    const f = await renderLicenceFile(id);
    await db().$executeRaw`UPDATE "Licence" SET status = 'SUSPENDED' WHERE id = ${id}::uuid`;
    const r = await uploadReport(f.pdf);
    expect(r).toMatchObject({ original: true, licence: { status: "SUSPENDED", statusLabel: "暂扣" } });
    expect(r.summary).toContain("证照当前状态：暂扣");
    expect(await publicLicenceView(id)).toMatchObject({ status: "SUSPENDED", statusLabel: "暂扣" });
  });

  it("POST /api/verify answers a licence file as a licence, and a plain PDF as not an original (sealed documents: seal-use-verify.int.test.ts)", async () => {
    const f = await renderLicenceFile(first.id);
    const post = (pdf: Uint8Array) => {
      const fd = new FormData();
      fd.set("pdf", new File([Buffer.from(pdf)], "证照.pdf"));
      return verifyPOST(new Request("http://localhost:3000/api/verify", { method: "POST", body: fd, headers: { "x-forwarded-for": testIp() } }));
    };
    let res = await post(f.pdf);
    expect(res.status).toBe(200);
    const body = (await res.json()) as LicenceUploadReport;
    expect(body).toMatchObject({ kind: "licence", original: true });
    expect(JSON.stringify(body)).not.toContain(code1);
    res = await post(flipOneByte(f.pdf));
    expect(await res.json()).toMatchObject({ kind: "licence", found: true, original: false });
    const { face } = await licenceFaceInput(first.id);
    res = await post(await renderLicenceFace(face));
    expect(await res.json()).toMatchObject({ kind: "licence", found: false, original: false, summary: licenceVerifyText.noSignature });
  });

  it("stores nothing of an upload", async () => {
    const f = await renderLicenceFile(first.id);
    const count = async () => ({ licences: await db().licence.count(), codes: await db().licenceShowCode.count(), audit: await db().auditEvent.count() });
    const before = await count();
    await verifyLicenceUpload(f.pdf);
    await verifyLicenceUpload(flipOneByte(f.pdf));
    expect(await count()).toEqual(before);
  });
});

describe("U-06 / U-02 public pages never show a full holder code", () => {
  it("a natural person: name masked, code masked, everywhere (view, QR page, notice)", async () => {
    const id_ = citizenId();
    const name = `张${String.fromCharCode(0x4e00 + randomInt(0x5000))}丰`;
    const face = { ...faceFor(name, holderUscc()), idNumber: id_ };
    const { id, identifier } = await issue(w, { holder: { category: "NATURAL_PERSON", codeType: "111", code: id_, name, contact: "" }, face });
    expect(await holderCode((await licenceRow(id)).holderId)).toBe(id_);
    const view = await publicLicenceView(id);
    expect(view).toMatchObject({ holderName: "张**", holderCode: `${id_.slice(0, 4)}**********${id_.slice(-4)}` });
    freshIp();
    const qr = renderToStaticMarkup(await QrVerifyPage({ params: Promise.resolve({ token: printedToken(id, 0) }) }));
    expect(qr).toContain("张**");
    freshIp();
    const notice = renderToStaticMarkup(await PublicNoticePage({ searchParams: Promise.resolve({ q: identifier }) }));
    expect(notice).toContain(identifier);
    for (const html of [JSON.stringify(view), qr, notice]) {
      expect(html).not.toContain(id_);
      expect(html).not.toContain(name);
    }
  });

  it("an organisation: its name in full, its USCC (a face field marked not sensitive) still masked", async () => {
    freshIp();
    const l = await licenceRow(first.id);
    const html = renderToStaticMarkup(await PublicNoticePage({ searchParams: Promise.resolve({ q: l.holderName }) }));
    expect(html).toContain(l.holderName);
    expect(html).toContain(`${code1.slice(0, 4)}**********${code1.slice(-4)}`);
    expect(html).not.toContain(code1);
    const qr = renderToStaticMarkup(await QrVerifyPage({ params: Promise.resolve({ token: printedToken(first.id, 0) }) }));
    expect(qr).toContain(l.holderName);
    expect(qr).not.toContain(code1);
  });
});

describe("U-02 the public notice", () => {
  const q = (over: Record<string, string>) => noticeQuery.parse(over);

  it("finds by name prefix, by contains, by licence number, by identifier and by the holder's USCC; sensitive fields masked per the type", async () => {
    const stem = `公示测试${uniqueSuffix()}`;
    const aCode = holderUscc();
    const a = await issue(w, { holder: { category: "LEGAL_PERSON", codeType: "001", code: aCode, name: `${stem}甲有限公司`, contact: "" } });
    const row = await licenceRow(a.id);
    // by the holder's unified social credit code (through its keyed hash), shown masked
    const byCode = await searchPublicNotice(q({ q: aCode.toLowerCase() }));
    expect(byCode.rows.map((r) => r.id)).toEqual([a.id]);
    expect(JSON.stringify(byCode)).not.toContain(aCode);
    const byPrefix = await searchPublicNotice(q({ q: stem }));
    expect(byPrefix.rows.map((r) => r.id)).toEqual([a.id]);
    const face = Object.fromEntries(byPrefix.rows[0].face.map((f) => [f.label, f.value]));
    expect(face["法定代表人"]).toBe("张*");
    expect(face["经营业态"]).toBe("零售");
    expect(face["统一社会信用代码"]).toMatch(/^\w{4}\*{10}\w{4}$/);
    expect(byPrefix.rows[0]).toMatchObject({ number: row.licenceNumber, statusLabel: "有效", holderName: `${stem}甲有限公司` });

    expect((await searchPublicNotice(q({ q: `${stem.slice(2)}甲`, mode: "contains" }))).rows.map((r) => r.id)).toEqual([a.id]);
    expect((await searchPublicNotice(q({ q: `${stem.slice(2)}甲` }))).rows).toEqual([]);
    expect((await searchPublicNotice(q({ q: row.licenceNumber }))).rows.map((r) => r.id)).toContain(a.id);
    expect((await searchPublicNotice(q({ q: a.identifier.toLowerCase() }))).rows.map((r) => r.id)).toEqual([a.id]);
    expect(await searchPublicNotice(q({ q: "公" }))).toMatchObject({ rows: [], total: 0 });
  });

  it("says a replaced version was changed (not 撤销), and 异议中 while an objection is marked (O-02)", async () => {
    const stem = `公示状态${uniqueSuffix()}`;
    const a = await issue(w, { holder: { category: "LEGAL_PERSON", codeType: "001", code: holderUscc(), name: `${stem}甲有限公司`, contact: "" } });
    const b = await issue(w, { holder: { category: "LEGAL_PERSON", codeType: "001", code: holderUscc(), name: `${stem}乙有限公司`, contact: "" } });
    await db().licence.update({ where: { id: a.id }, data: { status: "ANNULLED", statusReason: "CHANGED" } });
    await db().licence.update({ where: { id: b.id }, data: { openObjections: 1 } });
    const rows = Object.fromEntries((await searchPublicNotice(q({ q: stem }))).rows.map((r) => [r.id, r.statusLabel]));
    expect(rows).toEqual({ [a.id]: "已变更，由新版本替代", [b.id]: "有效（异议中）" });
  });

  it("pages newest first with a bounded total", async () => {
    const stem = `分页测试${uniqueSuffix()}`;
    const ids: string[] = [];
    for (let i = 0; i < 11; i++) ids.push((await issue(w, { holder: { category: "LEGAL_PERSON", codeType: "001", code: holderUscc(), name: `${stem}${String(i).padStart(2, "0")}号公司`, contact: "" } })).id);
    const p1 = await searchPublicNotice(q({ q: stem, pageSize: "10" }));
    const p2 = await searchPublicNotice(q({ q: stem, pageSize: "10", page: "2" }));
    expect([p1.total, p1.rows.length, p2.rows.length, p1.capped]).toEqual([11, 10, 1, false]);
    expect([...p1.rows, ...p2.rows].map((r) => r.id)).toEqual([...ids].reverse());
  });

  it("shows only types marked 公示", async () => {
    const hidden = await makeLicenceWorld({ publicity: false });
    const stem = `不公示${uniqueSuffix()}`;
    const { identifier } = await issue(hidden, { holder: { category: "LEGAL_PERSON", codeType: "001", code: holderUscc(), name: `${stem}有限公司`, contact: "" } });
    expect((await searchPublicNotice(q({ q: stem }))).rows).toEqual([]);
    expect((await searchPublicNotice(q({ q: identifier }))).rows).toEqual([]);
  }, 120_000);

  it("recognises PostgreSQL's statement timeout (how a too-broad contains search ends)", async () => {
    const e = await db()
      .$transaction(async (tx) => {
        await tx.$queryRaw`SELECT set_config('statement_timeout', ${"50"}, true)`;
        await tx.$queryRaw`SELECT pg_sleep(1)`;
      })
      .catch((x: unknown) => x);
    expect(isStatementTimeout(e)).toBe(true);
    expect(isStatementTimeout(new Error("other"))).toBe(false);
  });

  it("is rate-limited per IP: over the limit the page says so instead of searching", async () => {
    const ip = freshIp();
    for (let i = 0; i < PUBLIC_NOTICE_LIMIT.limit; i++) await hit(PUBLIC_NOTICE_LIMIT, ip);
    const html = renderToStaticMarkup(await PublicNoticePage({ searchParams: Promise.resolve({ q: "公示测试" }) }));
    expect(html).toMatch(/操作过于频繁，请 \d+ 秒后再试/);
    expect(html).not.toContain('data-testid="public-notice"');
  });
});

describe("L-07 downloads", () => {
  const ctx = (id: string) => ({ params: Promise.resolve({ id }) });
  const get = (route: typeof fileGET, id: string) => route(new Request(`http://localhost:3000/api/licenses/${id}/file`), ctx(id));
  const code = async (res: Response) => [res.status, ((await res.json()) as { code: string }).code];

  it("the PDF and the .ses to the department's issuer and a supervisor, audited; refused to others", async () => {
    const f = await renderLicenceFile(first.id);
    const row = await licenceRow(first.id);
    await signInAs(w.issuer);
    let res = await get(fileGET, first.id);
    expect([res.status, res.headers.get("content-type"), res.headers.get("cache-control")]).toEqual([200, "application/pdf", "no-store"]);
    expect(res.headers.get("content-disposition")).toContain(`filename="${first.identifier}.pdf"`);
    expect(bytesEqual(new Uint8Array(await res.arrayBuffer()), f.pdf)).toBe(true);
    res = await get(sigGET, first.id);
    expect([res.status, res.headers.get("content-type")]).toEqual([200, "application/octet-stream"]);
    expect(res.headers.get("content-disposition")).toContain(`filename="${first.identifier}.ses"`);
    const der = new Uint8Array(await res.arrayBuffer());
    expect(bytesEqual(der, row.signature!)).toBe(true);
    expect(decodeSignature(der).propertyInfo).toBe(`certseal:licence:${first.identifier}`);
    await signInAs(w.supervisor);
    expect((await get(fileGET, first.id)).status).toBe(200);
    expect((await licenceAudit(first.id, "licence.download")).map((a) => (a.detail as { what: string }).what)).toEqual(["PDF", "SES", "PDF"]);

    await signInAs(w.user);
    expect(await code(await get(fileGET, first.id))).toEqual([403, "FORBIDDEN"]);
    await signInAs(w.otherIssuer);
    expect(await code(await get(fileGET, first.id))).toEqual([404, "NOT_FOUND"]);
    expect(await code(await get(sigGET, first.id))).toEqual([404, "NOT_FOUND"]);
    expect(await code(await get(fileGET, "../x"))).toEqual([404, "NOT_FOUND"]);
    jar.cookie = null;
    expect(await code(await get(fileGET, first.id))).toEqual([401, "UNAUTHENTICATED"]);
    expect((await licenceAudit(first.id, "licence.download")).length).toBe(3);
  });
});
