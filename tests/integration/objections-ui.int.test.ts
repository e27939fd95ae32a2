// The objection pages' endpoints (O-01 … O-03) as a browser calls them: the portal's server actions
// (FormData with evidence, rev conflicts in Chinese), the public routes of the holder's form and
// lookup (field labels only for a matching holder code, same-origin for changes, 405 on GET), the
// evidence download's scope, and the licence list's 异议中 filter and the detail's count on both of
// the list's query plans.
import { beforeAll, describe, expect, it, vi } from "vitest";
import { encode } from "next-auth/jwt";
import ExcelJS from "exceljs";
import { renderToStaticMarkup } from "react-dom/server";
import { db } from "@/lib/db";
import type { Actor } from "@/lib/auth/session";
import { createSession, testIp } from "@/tests/helpers/factory";
import { changeFormData, licenceDetail } from "@/lib/licenses/detail";
import { listLicences } from "@/lib/licenses/queries";
import { licenceFilter } from "@/lib/licenses/list-schema";
import { licenceRow } from "@/tests/helpers/licences";
import { licenceFor, makeObjectionWorld, objectionByNumber, objectionRow, openCount, pdf, raiseByDept, raiseByHolder, type ObjectionWorld } from "@/tests/helpers/objections";

const jar = { cookie: null as string | null, origin: "http://localhost:3000" as string | null };

vi.mock("next/headers", () => ({
  cookies: () =>
    Promise.resolve({
      get: (name: string) => (name === "certseal.session" && jar.cookie ? { name, value: jar.cookie } : undefined),
      getAll: () => (jar.cookie ? [{ name: "certseal.session", value: jar.cookie }] : []),
    }),
  headers: () =>
    Promise.resolve(new Headers({ host: "localhost:3000", "user-agent": "vitest", ...(jar.origin ? { origin: jar.origin, "sec-fetch-site": "same-origin" } : {}) })),
}));
vi.mock("next/cache", () => ({ revalidatePath: () => {}, revalidateTag: () => {} }));

async function signInAs(actor: Actor | null) {
  if (!actor) {
    jar.cookie = null;
    return;
  }
  const s = await createSession(actor.userId);
  jar.cookie = await encode({ token: { sid: s.id, sub: actor.userId }, secret: process.env.NEXTAUTH_SECRET! });
}

function formData(fields: Record<string, string>, files: File[] = []) {
  const fd = new FormData();
  for (const [k, v] of Object.entries(fields)) fd.set(k, v);
  for (const f of files) fd.append("evidence", f);
  return fd;
}

const post = (body: unknown, ip = testIp()) =>
  new Request("http://localhost:3000/api/objections/public/x", { method: "POST", headers: { "content-type": "application/json", "x-forwarded-for": ip }, body: JSON.stringify(body) });

async function json(res: Response): Promise<{ status: number; body: Record<string, unknown> }> {
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

let w: ObjectionWorld;
beforeAll(async () => {
  w = await makeObjectionWorld();
}, 180_000);

describe("portal actions (O-01 … O-03)", () => {
  it("[O-01] a using operator submits through the upload action: the chosen fields as JSON, evidence checked by content; a text file and broken fields are refused next to the field", async () => {
    const l = await licenceFor(w);
    const { submitObjectionAction } = await import("@/app/(portal)/objections/actions");
    await signInAs(w.user);
    const fields = JSON.stringify([{ key: "address", expected: "四川省成都市锦江区红星路三段2号" }]);
    const r = await submitObjectionAction(formData({ licenceId: l.id, fields, description: "门牌号有误，应为2号" }, [pdf("门牌证明.pdf")]));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.data.number).toMatch(/^YY\d{14}$/);
    const o = await objectionRow(r.data.id);
    expect(o).toMatchObject({ licenceId: l.id, source: "DEPT", applicantUserId: w.user.userId, status: "SUBMITTED" });
    expect(await db().objectionEvidence.count({ where: { objectionId: o.id } })).toBe(1);

    const txt = new File([Buffer.from("not a pdf")], "说明.txt", { type: "application/pdf" });
    const bad = await submitObjectionAction(formData({ licenceId: l.id, fields, description: "门牌号有误，应为2号" }, [txt]));
    expect(bad).toMatchObject({ ok: false, code: "INVALID_INPUT" });
    if (!bad.ok) expect(bad.fieldErrors?.evidence).toContain("说明.txt");
    const broken = await submitObjectionAction(formData({ licenceId: l.id, fields: "[{", description: "门牌号有误，应为2号" }));
    expect(broken).toMatchObject({ ok: false, code: "INVALID_INPUT" });
    if (!broken.ok) expect(broken.fieldErrors?.fields).toBeTruthy();
    expect(await db().objection.count({ where: { licenceId: l.id } })).toBe(1);

    // an issuer operator cannot raise one through the action at all
    await signInAs(w.issuer);
    expect(await submitObjectionAction(formData({ licenceId: l.id, fields, description: "门牌号有误，应为2号" }))).toMatchObject({ ok: false, code: "FORBIDDEN" });
  });

  it("[O-02] marking through the action shows 异议中 in the licence list's filter (both query plans) and on the detail; a stale rev gets the Chinese conflict message", async () => {
    const l = await licenceFor(w);
    const other = await licenceFor(w);
    const { id } = await raiseByDept(w.user, l.id);
    const { markAction } = await import("@/app/(portal)/objections/actions");
    await signInAs(w.issuer);
    const filter = licenceFilter.parse({ objection: "1", dept: w.issuing.id, pageSize: "100" });
    expect((await listLicences(w.issuer, filter)).rows.map((r) => r.id)).not.toContain(l.id);

    expect(await markAction({ id, rev: 0, note: "已受理，核查中" })).toEqual({ ok: true, data: undefined });
    expect(await openCount(l.id)).toBe(1);
    expect(await markAction({ id, rev: 0, note: "" })).toEqual({ ok: false, code: "CONFLICT", error: "该异议已被其他人标注", fieldErrors: undefined });

    for (const countLimit of [10_000, 0]) {
      const page = await listLicences(w.issuer, filter, { countLimit });
      const ids = page.rows.map((r) => r.id);
      expect(ids).toContain(l.id);
      expect(ids).not.toContain(other.id);
      expect(page.rows.every((r) => r.openObjections > 0)).toBe(true);
    }
    const all = await listLicences(w.issuer, licenceFilter.parse({ dept: w.issuing.id, pageSize: "100" }));
    expect(all.rows.find((r) => r.id === l.id)?.openObjections).toBe(1);
    expect(all.rows.find((r) => r.id === other.id)?.openObjections).toBe(0);
    expect((await licenceDetail(w.issuer, l.id)).openObjections).toBe(1);
    expect((await licenceDetail(w.issuer, other.id)).openObjections).toBe(0);

    // a using operator cannot mark
    await signInAs(w.user);
    expect(await markAction({ id, rev: 1, note: "" })).toMatchObject({ ok: false, code: "FORBIDDEN" });
  });

  it("[O-03] correcting through the action issues version 2 from the change form's face; the old licence leaves the 异议中 filter and the new one is not in it", async () => {
    const l = await licenceFor(w);
    const { id } = await raiseByDept(w.user, l.id);
    const { markAction, correctAction, resolveAction } = await import("@/app/(portal)/objections/actions");
    await signInAs(w.issuer);
    expect((await markAction({ id, rev: 0, note: "" })).ok).toBe(true);
    const badOutcome = await resolveAction({ id, rev: 1, outcome: "MAYBE", reason: "核实无误" });
    expect(badOutcome).toMatchObject({ ok: false, code: "INVALID_INPUT" });
    if (!badOutcome.ok) expect(badOutcome.fieldErrors?.outcome).toBeTruthy();

    const form = await changeFormData(w.issuer, l.id);
    const face = { ...form.face, address: "四川省成都市锦江区红星路三段2号" };
    const r = await correctAction({ id, rev: 1, reason: "经核实门牌号确为2号，已更正", face, holderName: form.holderName, changeReason: "" });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const next = await licenceRow(r.data.licenceId);
    expect(next).toMatchObject({ version: 2, predecessorId: l.id, openObjections: 0 });
    expect((next.face as Record<string, unknown>).address).toBe("四川省成都市锦江区红星路三段2号");
    expect(await licenceRow(l.id)).toMatchObject({ status: "ANNULLED", openObjections: 0 });
    expect(await objectionRow(id)).toMatchObject({ status: "RESOLVED", outcome: "CORRECTED", correctedLicenceId: next.id });
    const ids = (await listLicences(w.issuer, licenceFilter.parse({ objection: "1", dept: w.issuing.id, pageSize: "100" }))).rows.map((x) => x.id);
    expect(ids).not.toContain(l.id);
    expect(ids).not.toContain(next.id);
    // the page is stale now: a second correction is refused in Chinese
    expect(await correctAction({ id, rev: 1, reason: "再次更正门牌号", face, holderName: form.holderName, changeReason: "" })).toMatchObject({ ok: false, code: "CONFLICT", error: "该异议已办结" });
  });
});

describe("public routes (O-01)", () => {
  it("[O-01] the field choice answers labels only, and only for the matching holder code; GET is 405", async () => {
    const l = await licenceFor(w);
    const row = await licenceRow(l.id);
    const { POST, GET } = await import("@/app/api/objections/public/fields/route");
    const right = await json(await POST(post({ identifier: row.identifier, holderCode: l.code })));
    expect(right.status).toBe(200);
    const data = right.body.data as { name: string; fields: { key: string; label: string }[] };
    expect(data.name).toBe(row.name);
    expect(data.fields.map((f) => f.key)).toContain("address");
    expect(data.fields.every((f) => Object.keys(f).sort().join() === "key,label")).toBe(true);
    expect(JSON.stringify(right.body)).not.toContain("红星路");

    const wrongCode = l.code.slice(0, 17) + (l.code[17] === "0" ? "1" : "0");
    const wrong = await json(await POST(post({ identifier: row.identifier, holderCode: wrongCode })));
    const unknown = await json(await POST(post({ identifier: `${row.identifier}9`, holderCode: l.code })));
    expect(wrong).toEqual({ status: 404, body: { code: "NOT_FOUND", error: "证照标识或持证主体代码不正确", fieldErrors: { holderCode: "证照标识或持证主体代码不正确" } } });
    expect(unknown).toEqual(wrong);
    expect(GET().status).toBe(405);
  });

  it("[O-01] a holder submits the multipart form (same origin only) and follows it with the number and lookup code; the lookup is one answer for a wrong code; withdrawal before resolution", async () => {
    const l = await licenceFor(w);
    const row = await licenceRow(l.id);
    const submit = (await import("@/app/api/objections/public/submit/route")).POST;
    const lookup = (await import("@/app/api/objections/public/lookup/route")).POST;
    const withdraw = (await import("@/app/api/objections/public/withdraw/route")).POST;
    const ip = testIp();
    const body = () => {
      const fd = formData({ identifier: row.identifier, holderCode: l.code, applicantName: "王小明", contact: "13900001111", fields: JSON.stringify([{ key: "format", expected: "餐饮" }]), description: "经营业态登记错误，应为餐饮" }, [pdf()]);
      return new Request("http://localhost:3000/api/objections/public/submit", { method: "POST", headers: { "x-forwarded-for": ip }, body: fd });
    };

    jar.origin = "https://evil.example";
    expect((await json(await submit(body()))).body).toMatchObject({ code: "BAD_ORIGIN" });
    jar.origin = null;
    expect((await submit(body())).status).toBe(403);
    jar.origin = "http://localhost:3000";
    expect(await db().objection.count({ where: { licenceId: l.id } })).toBe(0);

    const made = await json(await submit(body()));
    expect(made.status).toBe(200);
    const { number, lookupCode } = made.body.data as { number: string; lookupCode: string };
    expect(number).toMatch(/^YY\d{14}$/);
    expect(lookupCode).toMatch(/^[2-9A-HJ-NP-Z]{8}$/);
    const o = await objectionByNumber(number);
    expect(o).toMatchObject({ licenceId: l.id, source: "HOLDER", status: "SUBMITTED" });
    expect(await db().objectionEvidence.count({ where: { objectionId: o.id } })).toBe(1);

    const seen = await json(await lookup(post({ number, lookupCode: lookupCode.toLowerCase() }, ip)));
    expect(seen.status).toBe(200);
    expect(seen.body.data).toMatchObject({ number, status: "SUBMITTED", statusLabel: "待标注", canWithdraw: true, fields: ["经营业态"], licence: { identifier: row.identifier, underObjection: false } });
    expect(JSON.stringify(seen.body)).not.toContain("13900001111");
    const other = lookupCode[0] === "A" ? `B${lookupCode.slice(1)}` : `A${lookupCode.slice(1)}`;
    expect(await json(await lookup(post({ number, lookupCode: other }, ip)))).toEqual({ status: 404, body: { code: "NOT_FOUND", error: "异议编号或查询码不正确" } });

    jar.origin = null;
    expect((await withdraw(post({ number, lookupCode }, ip))).status).toBe(403);
    jar.origin = "http://localhost:3000";
    const gone = await json(await withdraw(post({ number, lookupCode }, ip)));
    expect(gone.status).toBe(200);
    expect(gone.body.data).toMatchObject({ status: "WITHDRAWN", canWithdraw: false });
    expect(await objectionRow(o.id)).toMatchObject({ status: "WITHDRAWN" });
    expect((await json(await withdraw(post({ number, lookupCode }, ip)))).body).toMatchObject({ code: "CONFLICT", error: "该异议已撤回" });
  });

  it("[O-01] the public form has two limits per address: 30 requests in 10 minutes, counted before the body is read (the 31st is refused and its body never read), and 5 objections created, counted only on success (10 refused submissions with a wrong file do not stop a valid one; the 6th valid one is refused)", async () => {
    const l = await licenceFor(w);
    const row = await licenceRow(l.id);
    const submit = (await import("@/app/api/objections/public/submit/route")).POST;
    const ip = testIp();
    const url = "http://localhost:3000/api/objections/public/submit";
    const fields = { identifier: row.identifier, holderCode: l.code, applicantName: "王小明", contact: "13900001111", fields: JSON.stringify([{ key: "format", expected: "餐饮" }]), description: "经营业态登记错误，应为餐饮" };
    const request = (files: File[]) => new Request(url, { method: "POST", headers: { "x-forwarded-for": ip }, body: formData(fields, files) });
    const counted = async (bucket: string) => (await db().rateLimit.findUnique({ where: { key: `${bucket}:${ip}` } }))?.count ?? 0;

    // a text file picked by mistake, 10 times: read, parsed and refused, no try used up
    const text = new File([Buffer.from("just text, not a pdf")], "说明.pdf", { type: "application/pdf" });
    for (let i = 0; i < 10; i++) expect((await json(await submit(request([text])))).body).toMatchObject({ code: "INVALID_INPUT", fieldErrors: { evidence: expect.stringContaining("说明.pdf") } });
    expect(await counted("objection")).toBe(0);
    for (let i = 0; i < 5; i++) expect((await submit(request([pdf()]))).status).toBe(200);
    expect(await db().objection.count({ where: { licenceId: l.id } })).toBe(5);
    const sixth = await json(await submit(request([pdf()])));
    expect(sixth).toMatchObject({ status: 429, body: { code: "RATE_LIMITED" } });
    expect(await db().objection.count({ where: { licenceId: l.id } })).toBe(5);
    expect(await counted("objection")).toBe(5);
    expect(await counted("objection-request")).toBe(16);

    // up to 30 requests of any kind are read (these are refused for their content type)
    const notMultipart = () => new Request(url, { method: "POST", headers: { "x-forwarded-for": ip, "content-type": "application/json" }, body: "{}" });
    for (let i = 16; i < 30; i++) expect((await json(await submit(notMultipart()))).body).toMatchObject({ code: "INVALID_INPUT", error: "请以表单方式提交" });
    let pulled = false;
    // highWaterMark 0: nothing is pulled until someone reads
    const body = new ReadableStream<Uint8Array>(
      {
        pull() {
          pulled = true;
          throw new Error("the body of a refused request must not be read");
        },
      },
      { highWaterMark: 0 },
    );
    const thirtyFirst = new Request(url, { method: "POST", headers: { "x-forwarded-for": ip, "content-type": "multipart/form-data; boundary=----x", "content-length": String(20 * 1024 * 1024) }, body, duplex: "half" } as RequestInit);
    const refused = await json(await submit(thirtyFirst));
    expect(refused.status).toBe(429);
    expect(refused.body).toMatchObject({ code: "RATE_LIMITED" });
    expect(pulled).toBe(false);
    // one count per request, the submission limit untouched by refusals
    expect(await counted("objection-request")).toBe(31);
    expect(await counted("objection")).toBe(5);
    expect(await db().objection.count({ where: { licenceId: l.id } })).toBe(5);
  });

  it("[O-01] the field choice of a replaced version's identifier, with the right code, names the current version (409); with a wrong code the one answer for either mistake", async () => {
    const l = await licenceFor(w);
    const row = await licenceRow(l.id);
    const { changeLicence } = await import("@/lib/licenses/lifecycle");
    const { changeInput } = await import("@/lib/licenses/lifecycle-schema");
    const local = new Date(Date.now() + 8 * 3600_000 - 60_000).toISOString().slice(0, 16);
    const next = await changeLicence(w.issuer, changeInput.parse({ licenceId: l.id, rev: 0, businessCompletedAt: local, holderName: row.holderName, face: { ...(row.face as Record<string, unknown>), format: "批发" }, reasonText: "经营业态变更" }));
    const current = (await licenceRow(next.id)).identifier;
    const { POST } = await import("@/app/api/objections/public/fields/route");
    const message = `该证照已变更为新版本，请对现行版本提出异议：${current}`;
    expect(await json(await POST(post({ identifier: row.identifier, holderCode: l.code })))).toEqual({ status: 409, body: { code: "CONFLICT", error: message, fieldErrors: { identifier: message } } });
    const other = await licenceFor(w);
    expect(await json(await POST(post({ identifier: row.identifier, holderCode: other.code })))).toEqual({
      status: 404,
      body: { code: "NOT_FOUND", error: "证照标识或持证主体代码不正确", fieldErrors: { holderCode: "证照标识或持证主体代码不正确" } },
    });
  });

  it("[O-03] the lookup shows the corrected licence's new identifier once the issuer corrects it", async () => {
    const l = await licenceFor(w);
    const row = await licenceRow(l.id);
    const r = await raiseByHolder(row.identifier, l.code);
    const o = await objectionByNumber(r.number);
    const { markAction, correctAction } = await import("@/app/(portal)/objections/actions");
    await signInAs(w.issuer);
    expect((await markAction({ id: o.id, rev: 0, note: "" })).ok).toBe(true);
    const lookup = (await import("@/app/api/objections/public/lookup/route")).POST;
    const marked = await json(await lookup(post({ number: r.number, lookupCode: r.lookupCode })));
    expect(marked.body.data).toMatchObject({ status: "MARKED", licence: { underObjection: true } });
    const form = await changeFormData(w.issuer, l.id);
    const done = await correctAction({ id: o.id, rev: 1, reason: "经核实业态应为餐饮，已更正", face: { ...form.face, format: "餐饮" }, holderName: form.holderName, changeReason: "" });
    expect(done.ok).toBe(true);
    const next = await licenceRow(done.ok ? done.data.licenceId : "");
    const after = await json(await lookup(post({ number: r.number, lookupCode: r.lookupCode })));
    expect(after.body.data).toMatchObject({ status: "RESOLVED", outcome: "CORRECTED", outcomeLabel: "已更正", correctedIdentifier: next.identifier, canWithdraw: false, licence: { underObjection: false } });
  });
});

describe("the links between the licence pages and the objection pages (O-01, O-02)", () => {
  it("[O-01] the public form takes the identifier from the verification card's link (?identifier=…), checked on the server: a malformed, oversized or repeated value is ignored", async () => {
    const l = await licenceFor(w);
    const row = await licenceRow(l.id);
    const ObjectionPage = (await import("@/app/objection/page")).default;
    const page = async (identifier: string | string[] | undefined) => renderToStaticMarkup(await ObjectionPage({ searchParams: Promise.resolve({ identifier }) }));
    expect(await page(row.identifier)).toContain(`name="identifier" value="${row.identifier}"`);
    expect(await page(` ${row.identifier} `)).toContain(`name="identifier" value="${row.identifier}"`);
    for (const bad of ['"><script>alert(1)</script>', `${row.identifier}<b>`, "1".repeat(101), [row.identifier, row.identifier], undefined]) {
      const html = await page(bad);
      expect(html).toContain(`name="identifier" value=""`);
      expect(html).not.toContain("<script>alert");
      expect(html).not.toContain("1".repeat(101));
    }
  });

  it("[O-02] the licence XLSX export has a 异议中 column: 是 while an objection is marked, 否 otherwise", async () => {
    const l = await licenceFor(w);
    const other = await licenceFor(w);
    const { id } = await raiseByDept(w.user, l.id);
    const { markAction } = await import("@/app/(portal)/objections/actions");
    await signInAs(w.issuer);
    expect((await markAction({ id, rev: 0, note: "" })).ok).toBe(true);
    const { GET } = await import("@/app/api/licenses/export/route");
    await db().rateLimit.deleteMany({ where: { key: `export:${w.issuer.userId}` } });
    const res = await GET(new Request(`http://localhost:3000/api/licenses/export?dept=${w.issuing.id}&pageSize=100`));
    expect(res.status).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(await res.arrayBuffer()) as unknown as Parameters<typeof wb.xlsx.load>[0]);
    const ws = wb.getWorksheet("证照")!;
    const header = (ws.getRow(1).values as unknown[]).slice(1).map(String);
    expect(header.at(-1)).toBe("异议中");
    const byIdentifier = new Map<string, string>();
    ws.eachRow((r, n) => {
      if (n > 1) byIdentifier.set(r.getCell(header.indexOf("证照标识") + 1).text, r.getCell(header.indexOf("异议中") + 1).text);
    });
    expect(byIdentifier.get((await licenceRow(l.id)).identifier)).toBe("是");
    expect(byIdentifier.get((await licenceRow(other.id)).identifier)).toBe("否");
  });
});

describe("evidence download", () => {
  it("[O-01] serves the file as an attachment to the issuing department, the applicant and supervisors; another city's issuer gets 404, no session 401", async () => {
    const l = await licenceFor(w);
    const file = pdf("证明.pdf");
    const bytes = Buffer.from(await file.arrayBuffer());
    const { id } = await raiseByDept(w.user, l.id, { files: [file] });
    const ev = await db().objectionEvidence.findFirstOrThrow({ where: { objectionId: id } });
    const { GET } = await import("@/app/api/objections/evidence/[id]/route");
    const get = () => GET(new Request(`http://localhost:3000/api/objections/evidence/${ev.id}`), { params: Promise.resolve({ id: ev.id }) });
    for (const a of [w.issuer, w.user, w.supervisor]) {
      await signInAs(a);
      const res = await get();
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toBe("application/pdf");
      expect(res.headers.get("content-disposition")).toBe(`attachment; filename="evidence-${ev.id.slice(0, 8)}.pdf"; filename*=UTF-8''${encodeURIComponent("证明.pdf")}`);
      expect(res.headers.get("x-content-type-options")).toBe("nosniff");
      expect(Buffer.from(await res.arrayBuffer()).equals(bytes)).toBe(true);
    }
    await signInAs(w.otherIssuer);
    expect((await get()).status).toBe(404);
    await signInAs(w.issuer);
    // the uploader's name cleaned: no path or quoting, the extension of the checked type
    for (const [name, shown] of [
      ['..\\..\\证明"材料".pdf', "证明材料.pdf"],
      ["C:/扫描件/营业执照 (副本)", "营业执照 (副本).pdf"],
      ["evil.html", "evil.html.pdf"],
      ["...", "GENERATED"],
    ]) {
      const e = await db().objectionEvidence.create({ data: { objectionId: id, fileName: name, mime: "application/pdf", size: bytes.length, sm3: ev.sm3, data: new Uint8Array(bytes) } });
      const res = await GET(new Request(`http://localhost:3000/api/objections/evidence/${e.id}`), { params: Promise.resolve({ id: e.id }) });
      const cd = res.headers.get("content-disposition")!;
      expect(cd).not.toMatch(/[^\x20-\x7e]/);
      const generated = `evidence-${e.id.slice(0, 8)}.pdf`;
      expect(cd).toBe(`attachment; filename="${generated}"; filename*=UTF-8''${encodeURIComponent(shown === "GENERATED" ? generated : shown).replace(/[()]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)}`);
    }
    await signInAs(w.sysadmin);
    expect((await get()).status).toBe(403);
    await signInAs(null);
    expect((await get()).status).toBe(401);
  });
});
