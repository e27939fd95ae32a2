// 存量电子化 (L-09): upload, dry run with its rejected-rows report, the confirmed run in chunks
// (signed licences, BULK events, one audit event per chunk), chunk atomicity, resume after a
// stopped worker, pause and cancel, idempotent re-upload, scope, and a 2,000-row XLSX through
// the real pg-boss queue.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type PgBoss from "pg-boss";
import ExcelJS from "exceljs";
import { db } from "@/lib/db";
import { licenceSignatureDer } from "@/lib/licenses/signing";
import { AppError } from "@/lib/errors";
import { decodeSignature } from "@/lib/crypto/ses";
import { sm3Hex } from "@/lib/crypto/sm3";
import { canonicalLicence } from "@/lib/licenses/canonical";
import { holderCode } from "@/lib/licenses/holders";
import { allHeaders } from "@/lib/licenses/bulk/columns";
import { REPORT_COLUMNS, REPORT_SHEET } from "@/lib/licenses/bulk/report";
import { cancelImport, checkImport, confirmImport, pauseImport, requeueStaleImports, resumeImport, runImport, STALE_MS, uploadImport } from "@/lib/licenses/bulk/service";
import { importProgress, importReport, importView, listImports } from "@/lib/licenses/bulk/queries";
import { startWorkers } from "@/lib/jobs/worker";
import { stopBoss } from "@/lib/jobs/boss";
import { faceFieldList } from "@/lib/catalog/face-fields";
import { uniqueSuffix } from "@/tests/helpers/factory";
import { databaseUrl, withClient } from "@/tests/helpers/db";
import { holderUscc, issue, licenceRow, makeLicenceWorld, type LicenceWorld } from "@/tests/helpers/licences";
import type { Actor } from "@/lib/auth/session";

vi.mock("next/headers", () => ({ headers: () => Promise.resolve(new Headers()), cookies: () => Promise.resolve({ get: () => undefined }) }));

let w: LicenceWorld;
let headers: string[];
beforeAll(async () => {
  w = await makeLicenceWorld();
  const v = await db().licenceTypeVersion.findFirstOrThrow({ where: { typeId: w.type.id, status: "RELEASED" } });
  headers = allHeaders(faceFieldList.parse(v.faceFields));
}, 120_000);

type Row = Record<string, string>;

/** A valid row of the world's type, as a person fills in the template. */
function goodRow(over: Row = {}): Row {
  const code = holderUscc();
  const name = `成都存量测试商贸有限公司${uniqueSuffix()}`;
  return {
    持证主体类别: "法人",
    持证主体代码类型: "统一社会信用代码",
    持证主体代码: code,
    持证主体名称: name,
    联系电话: "13812345678",
    证照编号: `JY${uniqueSuffix().toUpperCase()}`,
    关联事项编码: "SC-CS-0001",
    业务办结时间: "2024-03-15 10:30",
    有效期起始日期: "",
    经营者名称: name,
    统一社会信用代码: code,
    法定代表人: "张三",
    法定代表人身份证号: "",
    经营业态: "零售",
    "经营面积（平方米）": "120.5",
    发证日期: "2024-03-15",
    有效期: "2024-03-15 至 2029-03-14",
    经营场所: "四川省成都市锦江区红星路三段1号",
    ...over,
  };
}

function csv(rows: Row[]): Uint8Array {
  const q = (s: string) => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  const lines = [headers.map(q).join(","), ...rows.map((r) => headers.map((h) => q(r[h] ?? "")).join(","))];
  return new TextEncoder().encode(`\ufeff${lines.join("\r\n")}\r\n`);
}

async function xlsx(rows: Row[]): Promise<Uint8Array> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet("证照数据");
  ws.addRow(headers);
  for (const r of rows) ws.addRow(headers.map((h) => r[h] ?? ""));
  return new Uint8Array(await wb.xlsx.writeBuffer());
}

const local = () => new Date(Date.now() + 8 * 3_600_000 - 60_000).toISOString().slice(0, 16);

/** Upload (no job sent) and the dry run, as the check job would run it. */
async function uploaded(rows: Row[] | Uint8Array, by: Actor = w.issuer, name = "存量.csv") {
  const data = rows instanceof Uint8Array ? rows : csv(rows);
  const { id } = await uploadImport(by, { typeId: w.type.id, businessCompletedAt: local() }, { name, data }, { send: null });
  await checkImport(id);
  return importRow(id);
}

async function importRow(id: string) {
  return db().licenceImport.findUniqueOrThrow({ where: { id } });
}

async function confirmed(id: string) {
  await confirmImport(w.issuer, id, { send: null });
}

async function importAudit(id: string) {
  return db().auditEvent.findMany({ where: { targetType: "LicenceImport", targetId: id }, orderBy: { seq: "asc" } });
}

describe("bulk conversion of existing licences (L-09)", () => {
  it("dry run: counts valid and rejected rows, gives each rejected row's column and reason, and the XLSX report parses back", async () => {
    const live = await issue(w); // a holder with a live licence already
    const liveRow = await licenceRow(live.id);
    const takenNumber = liveRow.licenceNumber;
    const liveCode = await holderCode(liveRow.holderId);
    const rows = Array.from({ length: 8 }, () => goodRow());
    const badCode = goodRow();
    badCode.持证主体代码 = `${badCode.持证主体代码.slice(0, 17)}${badCode.持证主体代码[17] === "0" ? "1" : "0"}`;
    rows.push(badCode); // row 10
    rows.push(goodRow({ 经营业态: "批零兼营" })); // row 11
    rows.push(goodRow({ 证照编号: rows[0].证照编号 })); // row 12: same number as row 2
    rows.push(goodRow({ 持证主体代码: liveCode })); // row 13: one-live rule against the database
    rows.push(goodRow({ 证照编号: takenNumber })); // row 14: number of another holder's licence
    rows.push(goodRow({ 有效期: "2024-03-15 至 2020-01-01", 业务办结时间: "2099-01-01 00:00" })); // row 15: two problems
    rows.push(goodRow({ 持证主体代码: rows[1].持证主体代码 })); // row 16: same holder as row 3
    rows.push(goodRow({ 业务办结时间: "2015-06-01 09:00" })); // row 17: its 5 years ended in 2020
    const imp = await uploaded(rows);
    expect(imp).toMatchObject({ status: "VALIDATED", totalRows: 16, validRows: 8, existingRows: 0, rejectedRows: 8 });
    const view = await importView(w.issuer, imp.id);
    const byRow = new Map<number, string[]>();
    for (const p of view.problems) byRow.set(p.row, [...(byRow.get(p.row) ?? []), `${p.column}|${p.reason}`]);
    expect(byRow.get(10)?.[0]).toMatch(/^持证主体代码\|统一社会信用代码不正确/);
    expect(byRow.get(11)?.[0]).toMatch(/^经营业态\|/);
    expect(byRow.get(12)?.[0]).toBe("证照编号|与第 2 行的证照编号重复");
    expect(byRow.get(13)?.[0]).toMatch(/^持证主体代码\|该持证主体已有有效的/);
    expect(byRow.get(14)?.[0]).toMatch(/^证照编号\|证照编号「.+」已被本类型的另一份证照使用/);
    expect(byRow.get(15)?.map((p) => p.split("|")[0]).sort()).toEqual(["业务办结时间", "有效期"]);
    expect(byRow.get(16)?.[0]).toMatch(/^持证主体代码\|与第 3 行是同一持证主体/);
    expect(byRow.get(17)?.[0]).toMatch(/^有效期起始日期\|按此起始日期，有效期已于 2020-05-31 届满/);

    const report = await importReport(w.issuer, imp.id);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(report.bytes) as unknown as ArrayBuffer);
    const ws = wb.getWorksheet(REPORT_SHEET)!;
    expect((ws.getRow(1).values as unknown[]).slice(1)).toEqual([...REPORT_COLUMNS]);
    const lines: unknown[][] = [];
    ws.eachRow((r, n) => n > 1 && lines.push((r.values as unknown[]).slice(1)));
    expect(lines).toHaveLength(9);
    expect(lines.map((l) => l[0])).toEqual([10, 11, 12, 13, 14, 15, 15, 16, 17]);
    const line13 = lines.find((l) => l[0] === 13)!;
    // the report names the row but never shows the full holder code
    expect(line13[4]).toBe(`${liveCode.slice(0, 4)}${"*".repeat(10)}${liveCode.slice(-4)}`);
    expect(JSON.stringify(lines)).not.toContain(liveCode);
    expect(await db().licence.count({ where: { importId: imp.id } })).toBe(0);
    const audit = await importAudit(imp.id);
    expect(audit.map((a) => (a.detail as { change: string }).change)).toEqual(["UPLOAD", "CHECKED"]);
  });

  it("refuses an unusable file at upload: wrong columns, not CSV/XLSX, or a type not on the department's list", async () => {
    const bad = new TextEncoder().encode("名称,代码\n甲,1\n");
    await expect(uploadImport(w.issuer, { typeId: w.type.id, businessCompletedAt: local() }, { name: "x.csv", data: bad }, { send: null })).rejects.toThrow(/缺少列/);
    const pdf = new TextEncoder().encode("%PDF-1.7\n\u0000\u0000");
    await expect(uploadImport(w.issuer, { typeId: w.type.id, businessCompletedAt: local() }, { name: "x.csv", data: pdf }, { send: null })).rejects.toThrow(/CSV 或 XLSX/);
    await expect(uploadImport(w.otherIssuer, { typeId: w.type.id, businessCompletedAt: local() }, { name: "x.csv", data: csv([goodRow()]) }, { send: null })).rejects.toThrow(/发证清单/);
    await expect(uploadImport(w.user, { typeId: w.type.id, businessCompletedAt: local() }, { name: "x.csv", data: csv([goodRow()]) }, { send: null })).rejects.toMatchObject({ code: "FORBIDDEN" });
  });

  it("confirmed run creates exactly the valid rows, signed over their canonical encoding, with BULK events and one audit event per chunk", async () => {
    const rows = Array.from({ length: 23 }, () => goodRow());
    rows[4] = goodRow({ 证照编号: "" }); // a number from the type's rule
    rows[7] = goodRow({ 经营业态: "不存在" }); // rejected
    rows[9] = goodRow({ 业务办结时间: "", 有效期起始日期: "2024-05-01" });
    const imp = await uploaded(rows);
    expect(imp).toMatchObject({ validRows: 22, rejectedRows: 1 });
    await confirmed(imp.id);
    expect((await importRow(imp.id)).status).toBe("QUEUED");
    expect(await runImport(imp.id, { chunkRows: 10 })).toEqual({ status: "DONE" });
    const done = await importRow(imp.id);
    expect(done).toMatchObject({ status: "DONE", cursor: 23, createdCount: 22, skippedCount: 0, failedCount: 0 });
    const licences = await db().licence.findMany({ where: { importId: imp.id }, include: { events: true, holder: true } });
    expect(licences).toHaveLength(22);
    expect(new Set(licences.map((l) => l.licenceNumber))).toEqual(new Set(rows.filter((_, i) => i !== 7 && i !== 4).map((r) => r.证照编号).concat(licences.find((l) => l.holderName === rows[4].持证主体名称)!.licenceNumber)));
    for (const l of licences) {
      expect(l).toMatchObject({ origin: "BULK", syncMode: "BULK", status: "VALID", issuerDeptId: w.issuing.id });
      expect(l.signature).toBeNull(); // compact storage: the value and the seal snapshot
      const sig = decodeSignature((await licenceSignatureDer(db(), l))!);
      expect(Buffer.from(sig.dataHash).toString("hex")).toBe(l.canonicalSm3);
      expect(sig.propertyInfo).toBe(`certseal:licence:${l.identifier}`);
      expect(l.events.map((e) => e.kind)).toEqual(["BULK"]);
      expect(l.holder.codeMasked).toMatch(/^\w{4}\*{10}\w{4}$/);
    }
    // the canonical encoding rebuilt from the stored row hashes to what was signed
    const one = licences.find((l) => l.holderName === rows[0].持证主体名称)!;
    const rebuilt = canonicalLicence({
      identifier: one.identifier, number: one.licenceNumber, name: one.name, typeCode: one.typeCode, typeVersion: 1, version: one.version,
      issuer: { name: (await db().department.findUniqueOrThrow({ where: { id: w.issuing.id } })).name, code: one.issuerCode }, areaCode: one.areaCode,
      holder: { name: one.holderName, codeType: one.holderCodeType, code: rows[0].持证主体代码 }, matter: { code: "SC-CS-0001", name: "测试经营许可核发" },
      issuedAt: one.issuedAt, validFrom: one.validFrom.toISOString().slice(0, 10), validTo: one.validTo!.toISOString().slice(0, 10), face: one.face as never, predecessor: null,
    });
    expect(sm3Hex(rebuilt)).toBe(one.canonicalSm3);
    expect(one.businessCompletedAt.toISOString()).toBe("2024-03-15T02:30:00.000Z");
    expect(one.validFrom.toISOString().slice(0, 10)).toBe("2024-03-15");
    expect(one.syncDelayDays).toBeGreaterThan(400);
    const row10 = licences.find((l) => l.holderName === rows[9].持证主体名称)!;
    expect(row10.validFrom.toISOString().slice(0, 10)).toBe("2024-05-01");
    expect(row10.businessCompletedAt.getTime()).toBe(imp.businessCompletedAt!.getTime());
    const chunks = (await importAudit(imp.id)).filter((a) => (a.detail as { change: string }).change === "CHUNK").map((a) => a.detail as { count: number; first: string; last: string });
    expect(chunks.map((c) => c.count)).toEqual([10, 10, 2]);
    expect(chunks[0].first).toMatch(/^1\.2\.156\.3005\.2\./);
    expect((await importAudit(imp.id)).map((a) => (a.detail as { change: string }).change)).toEqual(["UPLOAD", "CHECKED", "CONFIRM", "CHUNK", "CHUNK", "CHUNK", "DONE"]);
  });

  it("a chunk is all or nothing: a failure inside a chunk leaves none of its licences or holders, and the cursor where it was; resuming completes it", async () => {
    const rows = Array.from({ length: 25 }, () => goodRow());
    const boom = `BOOM${uniqueSuffix().toUpperCase()}`;
    rows[14] = goodRow({ 证照编号: boom }); // in the second chunk of 10
    const imp = await uploaded(rows);
    await confirmed(imp.id);
    // a constraint only the insert meets (as a disk or a trigger would fail half-way)
    await withClient(databaseUrl(), async (c) => {
      await c.query(`CREATE FUNCTION bulk_test_boom() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'boom'; END $$`);
      await c.query(`CREATE TRIGGER bulk_test_boom BEFORE INSERT ON "Licence" FOR EACH ROW WHEN (NEW."licenceNumber" = '${boom}') EXECUTE FUNCTION bulk_test_boom()`);
    });
    try {
      expect(await runImport(imp.id, { chunkRows: 10 })).toEqual({ status: "FAILED" });
    } finally {
      await withClient(databaseUrl(), async (c) => {
        await c.query(`DROP TRIGGER bulk_test_boom ON "Licence"`);
        await c.query(`DROP FUNCTION bulk_test_boom()`);
      });
    }
    const failed = await importRow(imp.id);
    expect(failed).toMatchObject({ status: "FAILED", cursor: 10, createdCount: 10 });
    expect(failed.error).toMatch(/中断/);
    expect(await db().licence.count({ where: { importId: imp.id } })).toBe(10);
    const secondChunkHolder = await db().holder.count({ where: { name: { in: rows.slice(10, 20).map((r) => r.持证主体名称) } } });
    expect(secondChunkHolder).toBe(0);
    await resumeImport(w.issuer2, imp.id, { send: null });
    expect(await runImport(imp.id, { chunkRows: 10 })).toEqual({ status: "DONE" });
    expect(await importRow(imp.id)).toMatchObject({ status: "DONE", cursor: 25, createdCount: 25 });
    expect(await db().licence.count({ where: { importId: imp.id } })).toBe(25);
  });

  it("a stopped worker's import is re-queued by the sweeper and continues from its cursor without duplicates", async () => {
    const rows = Array.from({ length: 45 }, () => goodRow());
    const imp = await uploaded(rows);
    await confirmed(imp.id);
    expect(await runImport(imp.id, { chunkRows: 10, stopAfterChunks: 2 })).toEqual({ status: "STOPPED" });
    expect(await importRow(imp.id)).toMatchObject({ status: "RUNNING", cursor: 20, createdCount: 20 });
    // a second worker cannot take a run whose worker is alive
    expect(await runImport(imp.id)).toEqual({ status: "NOT_TAKEN" });
    const sent: [string, string][] = [];
    expect(await requeueStaleImports((job, id) => Promise.resolve(sent.push([job, id])))).toBe(sent.length);
    expect(sent.some(([, id]) => id === imp.id)).toBe(false);
    // the worker died: its heartbeat goes stale
    await db().licenceImport.update({ where: { id: imp.id }, data: { heartbeatAt: new Date(Date.now() - STALE_MS - 5_000) } });
    await requeueStaleImports((job, id) => Promise.resolve(sent.push([job, id])));
    expect(sent).toContainEqual(["run", imp.id]);
    expect(await runImport(imp.id, { chunkRows: 10 })).toEqual({ status: "DONE" });
    const done = await importRow(imp.id);
    expect(done).toMatchObject({ status: "DONE", cursor: 45, createdCount: 45, skippedCount: 0 });
    const licences = await db().licence.findMany({ where: { importId: imp.id }, select: { licenceNumber: true, identifier: true } });
    expect(licences).toHaveLength(45);
    expect(new Set(licences.map((l) => l.identifier)).size).toBe(45);
    expect(new Set(licences.map((l) => l.licenceNumber))).toEqual(new Set(rows.map((r) => r.证照编号)));
  });

  it("pause stops a run, resume continues it, cancel ends it; each is audited and refused from the wrong state", async () => {
    const imp = await uploaded(Array.from({ length: 30 }, () => goodRow()));
    await confirmed(imp.id);
    await pauseImport(w.issuer, imp.id);
    expect(await runImport(imp.id)).toEqual({ status: "NOT_TAKEN" }); // a paused import does not start
    await expect(pauseImport(w.issuer, imp.id)).rejects.toThrow(/状态已变化/);
    await resumeImport(w.issuer, imp.id, { send: null });
    expect(await runImport(imp.id, { chunkRows: 10, stopAfterChunks: 1 })).toEqual({ status: "STOPPED" });
    await pauseImport(w.issuer, imp.id);
    expect(await importRow(imp.id)).toMatchObject({ status: "PAUSED", cursor: 10 });
    await resumeImport(w.issuer, imp.id, { send: null });
    expect(await runImport(imp.id, { chunkRows: 10, stopAfterChunks: 1 })).toEqual({ status: "STOPPED" });
    await cancelImport(w.issuer, imp.id);
    await db().licenceImport.update({ where: { id: imp.id }, data: { heartbeatAt: new Date(Date.now() - STALE_MS - 5_000) } });
    expect(await runImport(imp.id)).toEqual({ status: "NOT_TAKEN" });
    expect(await importRow(imp.id)).toMatchObject({ status: "CANCELLED", cursor: 20, createdCount: 20 });
    await expect(resumeImport(w.issuer, imp.id, { send: null })).rejects.toThrow(/状态已变化/);
    const changes = (await importAudit(imp.id)).map((a) => (a.detail as { change: string }).change);
    expect(changes).toEqual(["UPLOAD", "CHECKED", "CONFIRM", "PAUSE", "RESUME", "CHUNK", "PAUSE", "RESUME", "CHUNK", "CANCEL"]);
  });

  it("two chunks in flight: the chunk staged beside a commit that pauses is dropped, signed or not; resume redoes it from the cursor, with every licence once", async () => {
    const imp = await uploaded(Array.from({ length: 30 }, () => goodRow()));
    await confirmed(imp.id);
    // pause while chunk 1 commits: chunk 2 is being checked and signed beside it
    let paused = false;
    const out = await runImport(imp.id, {
      chunkRows: 10,
      beforeCommit: async () => {
        if (paused) return;
        paused = true;
        await pauseImport(w.issuer, imp.id);
      },
    });
    expect(out).toEqual({ status: "PAUSED" });
    expect(await importRow(imp.id)).toMatchObject({ status: "PAUSED", cursor: 10, createdCount: 10 });
    expect(await db().licence.count({ where: { importId: imp.id } })).toBe(10);
    await resumeImport(w.issuer, imp.id, { send: null });
    expect(await runImport(imp.id, { chunkRows: 10 })).toEqual({ status: "DONE" });
    expect(await importRow(imp.id)).toMatchObject({ status: "DONE", cursor: 30, createdCount: 30, skippedCount: 0, failedCount: 0 });
    const made = await db().licence.findMany({ where: { importId: imp.id }, select: { licenceNumber: true, identifier: true } });
    expect(made).toHaveLength(30);
    expect(new Set(made.map((l) => l.licenceNumber)).size).toBe(30);
    expect(new Set(made.map((l) => l.identifier)).size).toBe(30);
    // one CHUNK audit row per committed chunk: none for the dropped one
    const changes = (await importAudit(imp.id)).map((a) => (a.detail as { change: string }).change);
    expect(changes.filter((c) => c === "CHUNK")).toHaveLength(3);
  });

  it("two chunks in flight: a commit that fails takes the staged chunk with it; nothing of either is stored", async () => {
    const imp = await uploaded(Array.from({ length: 30 }, () => goodRow()));
    await confirmed(imp.id);
    let commits = 0;
    const failing = await runImport(imp.id, {
      chunkRows: 10,
      beforeCommit: () => (++commits === 2 ? Promise.reject(new Error("disk full (test)")) : Promise.resolve()),
    });
    expect(failing).toEqual({ status: "FAILED" });
    expect(commits).toBe(2); // chunk 3 was staged beside chunk 2's commit, never committed
    expect(await importRow(imp.id)).toMatchObject({ status: "FAILED", cursor: 10, createdCount: 10 });
    expect(await db().licence.count({ where: { importId: imp.id } })).toBe(10);
    await resumeImport(w.issuer, imp.id, { send: null });
    expect(await runImport(imp.id, { chunkRows: 10 })).toEqual({ status: "DONE" });
    expect(await db().licence.count({ where: { importId: imp.id } })).toBe(30);
  });

  it("is idempotent: the same file again finds every row already imported; a run over rows imported meanwhile skips them", async () => {
    const rows = Array.from({ length: 20 }, () => goodRow());
    rows[3] = goodRow({ 证照编号: "" }); // no number: recognised through the earlier upload of the same file
    const file = csv(rows);
    const first = await uploaded(file);
    const twin = await uploaded(file); // dry run before the first one ran: all 20 look new
    expect(twin).toMatchObject({ validRows: 20, existingRows: 0 });
    await confirmed(first.id);
    await runImport(first.id);
    expect(await importRow(first.id)).toMatchObject({ status: "DONE", createdCount: 20 });
    await confirmed(twin.id);
    expect(await runImport(twin.id)).toEqual({ status: "DONE" });
    expect(await importRow(twin.id)).toMatchObject({ status: "DONE", createdCount: 0, skippedCount: 20, failedCount: 0 });
    const again = await uploaded(file);
    expect(again).toMatchObject({ status: "VALIDATED", totalRows: 20, validRows: 0, existingRows: 20, rejectedRows: 0 });
    await expect(confirmImport(w.issuer, again.id, { send: null })).rejects.toThrow(/没有可导入的行/);
    // the same rows plus new ones: only the new ones are created
    const more = await uploaded([...rows.filter((_, i) => i !== 3), goodRow(), goodRow()]);
    expect(more).toMatchObject({ validRows: 2, existingRows: 19 });
    await confirmed(more.id);
    await runImport(more.id);
    expect(await importRow(more.id)).toMatchObject({ createdCount: 2, skippedCount: 19 });
  });

  it("a licence issued to one of a chunk's holders between its check and its commit: the one-live index refuses the chunk, which is checked again and committed without that row", async () => {
    const rows = Array.from({ length: 6 }, () => goodRow());
    const imp = await uploaded(rows);
    expect(imp).toMatchObject({ validRows: 6 });
    await confirmed(imp.id);
    const attempts: number[] = [];
    const r = await runImport(imp.id, {
      beforeCommit: async (attempt) => {
        attempts.push(attempt);
        if (attempt === 0) await issue(w, { holder: { category: "LEGAL_PERSON", codeType: "001", code: rows[2].持证主体代码, name: rows[2].持证主体名称, contact: "" } });
      },
    });
    expect(r).toEqual({ status: "DONE" });
    expect(attempts).toEqual([0, 1]);
    expect(await importRow(imp.id)).toMatchObject({ status: "DONE", createdCount: 5, failedCount: 1 });
    const mine = await db().licence.findMany({ where: { importId: imp.id }, select: { holderName: true } });
    expect(mine.map((l) => l.holderName).sort()).toEqual(rows.filter((_, i) => i !== 2).map((x) => x.持证主体名称).sort());
  });

  it("keeps imports to the department: another department's issuer sees none of them and cannot act on them", async () => {
    const imp = await uploaded([goodRow()]);
    await expect(importView(w.otherIssuer, imp.id)).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(importProgress(w.otherIssuer, imp.id)).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(importReport(w.otherIssuer, imp.id)).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(confirmImport(w.otherIssuer, imp.id, { send: null })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(cancelImport(w.user, imp.id)).rejects.toBeInstanceOf(AppError);
    expect((await listImports(w.otherIssuer, { page: 1, pageSize: 100 })).rows.some((r) => r.id === imp.id)).toBe(false);
    expect((await listImports(w.issuer2, { page: 1, pageSize: 100 })).rows.some((r) => r.id === imp.id)).toBe(true);
  });
});

describe("through the real job queue (L-09)", () => {
  let workers: PgBoss | undefined;
  afterAll(async () => {
    await workers?.stop({ graceful: false, wait: true });
    await stopBoss();
  });

  async function waitFor(id: string, statuses: string[], ms: number) {
    const end = Date.now() + ms;
    for (;;) {
      const r = await importRow(id);
      if (statuses.includes(r.status)) return r;
      if (Date.now() > end) throw new Error(`import stayed ${r.status} (cursor ${r.cursor}/${r.totalRows})`);
      await new Promise((res) => setTimeout(res, 250));
    }
  }

  it("a 2,000-row XLSX is checked and imported by the workers and ends DONE with the right counts", async () => {
    workers = await startWorkers({ sweepCron: "* * * * *" });
    const rows = Array.from({ length: 2000 }, () => goodRow());
    rows[100] = goodRow({ 有效期: "不是日期" });
    rows[1500] = goodRow({ 证照编号: rows[10].证照编号 });
    const { id } = await uploadImport(w.issuer, { typeId: w.type.id, businessCompletedAt: local() }, { name: "存量2000.xlsx", data: await xlsx(rows) });
    const checked = await waitFor(id, ["VALIDATED", "FAILED"], 60_000);
    expect(checked).toMatchObject({ status: "VALIDATED", format: "XLSX", totalRows: 2000, validRows: 1998, rejectedRows: 2 });
    await confirmImport(w.issuer, id);
    const done = await waitFor(id, ["DONE", "FAILED"], 240_000);
    expect(done).toMatchObject({ status: "DONE", cursor: 2000, createdCount: 1998, skippedCount: 0, failedCount: 0, error: null });
    expect(await db().licence.count({ where: { importId: id } })).toBe(1998);
    expect(await db().licenceEvent.count({ where: { kind: "BULK", licence: { importId: id } } })).toBe(1998);
    expect((await importAudit(id)).map((a) => (a.detail as { change: string }).change)).toEqual(["UPLOAD", "CHECKED", "CONFIRM", "CHUNK", "CHUNK", "CHUNK", "CHUNK", "DONE"]);
  }, 300_000);
});
