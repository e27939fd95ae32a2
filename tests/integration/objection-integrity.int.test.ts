// Objections and the licence they are about (O-01 … O-03, O-06 review fixes): one lock order for
// every transition that touches the licence (licence → objection → audit chain), so a correction
// racing a resolution or a withdrawal never deadlocks into a 500; the holder's code never reaches
// a page through an objection's "expected" value; open objections follow the licence to its new
// version (变更 / 延续 / 更正) with its 异议中 count, and a licence no longer in force is not
// marked; a correction must change a field in question; a 部门撤并 transfer takes the open
// objections with the licences.
import { beforeAll, describe, expect, it } from "vitest";
import pg from "pg";
import { db, Prisma } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { conflictOnLock, isLockConflict } from "@/lib/objections/common";
import { databaseUrl } from "@/tests/helpers/db";
import { createDepartment, uniqueSuffix } from "@/tests/helpers/factory";
import { makeActor } from "@/tests/helpers/catalog";
import { faceFor, holderUscc, issue, licenceRow } from "@/tests/helpers/licences";
import { correctObjection, markObjection, resolveObjection, withdrawByDept } from "@/lib/objections/service";
import { listObjections, objectionDetail } from "@/lib/objections/queries";
import { objectionFilter } from "@/lib/objections/schema";
import { changeLicence, transitionLicence } from "@/lib/licenses/lifecycle";
import { changeInput, transferInput, transitionInput } from "@/lib/licenses/lifecycle-schema";
import { transferLicences } from "@/lib/licenses/transfer";
import {
  licenceFor,
  makeObjectionWorld,
  objectionAudit,
  objectionByNumber,
  objectionEvents,
  objectionRow,
  openCount,
  raiseByDept,
  raiseByHolder,
  refusal,
  type ObjectionWorld,
} from "@/tests/helpers/objections";

/** The audit chain's transaction lock key (lib/audit/log.ts CHAIN_LOCK, "cert"). */
const CHAIN_LOCK = 0x63_65_72_74;

let w: ObjectionWorld;
beforeAll(async () => {
  w = await makeObjectionWorld();
}, 180_000);

const localNow = () => new Date(Date.now() - 60_000 + 8 * 3600_000).toISOString().slice(0, 16);

/** Polls until `n` backends of this database wait on a lock (row or advisory); false after `ms`. */
async function waiters(c: pg.Client, n: number, ms = 30_000): Promise<boolean> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    const { rows } = await c.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`);
    if (rows[0].n >= n) return true;
    await new Promise((r) => setTimeout(r, 25));
  }
  return false;
}

describe("one lock order: licence → objection → audit (O-03)", () => {
  for (const rival of ["resolve", "withdraw"] as const) {
    it(`[O-03] a correction and a concurrent ${rival} of the same marked objection, while the audit chain is briefly held elsewhere: exactly one wins and the other is told why (an AppError, never a deadlock / INTERNAL)`, async () => {
      const l = await licenceFor(w);
      const { id } = await raiseByDept(w.user, l.id);
      await markObjection(w.issuer, { id, rev: 0, note: "" });
      const d = await objectionDetail(w.issuer, id);
      const face = { ...d.correction!.face, address: "四川省成都市锦江区红星路三段2号" };

      // another writer holds the audit chain: the correction gets as far as the chain and waits there
      const holder = new pg.Client({ connectionString: databaseUrl() });
      await holder.connect();
      let released = false;
      const release = async () => {
        if (released) return;
        released = true;
        await holder.query("SELECT pg_advisory_unlock($1)", [CHAIN_LOCK]);
      };
      try {
        await holder.query("SELECT pg_advisory_lock($1)", [CHAIN_LOCK]);
        const correction = correctObjection(w.issuer, { id, rev: 1, reason: "经核实门牌号确为2号，已更正", face, holderName: "", changeReason: "" }).then(
          () => "ok" as const,
          (e: unknown) => e,
        );
        expect(await waiters(holder, 1)).toBe(true);
        const other = (rival === "resolve" ? resolveObjection(w.issuer2, { id, rev: 1, outcome: "UPHELD", reason: "经核实证照信息无误" }) : withdrawByDept(w.user, { id, rev: 1 })).then(
          () => "ok" as const,
          (e: unknown) => e,
        );
        expect(await waiters(holder, 2)).toBe(true);
        await release();
        const results = await Promise.all([correction, other]);
        expect(results.filter((r) => r === "ok")).toHaveLength(1);
        const lost = results.find((r) => r !== "ok");
        expect(lost).toBeInstanceOf(AppError);
        // told what happened to the objection — not the retry message of a deadlock that was answered
        expect(lost).toMatchObject({ code: "CONFLICT", userMessage: expect.stringMatching(/^(该异议已办结|申请方已撤回该异议)$/) });
      } finally {
        await release();
        await holder.end();
      }
      // whichever won, the rows agree with each other
      const o = await objectionRow(id);
      const successors = await db().licence.findMany({ where: { predecessorId: l.id } });
      if (o.status === "RESOLVED" && o.outcome === "CORRECTED") {
        expect(successors).toHaveLength(1);
        expect(await licenceRow(l.id)).toMatchObject({ status: "ANNULLED", openObjections: 0 });
        expect(successors[0].openObjections).toBe(0);
      } else {
        expect(o.status).toBe(rival === "resolve" ? "RESOLVED" : "WITHDRAWN");
        expect(successors).toHaveLength(0);
        expect(await licenceRow(l.id)).toMatchObject({ status: "VALID", openObjections: 0 });
      }
    });
  }
});

describe("a lost lock is a conflict (O-03)", () => {
  it("[O-03] PostgreSQL's deadlock (40P01, Prisma P2034) and serialization failure (40001) in an objection transition are answered as CONFLICT with a retry message", async () => {
    const lost = (code: string, originalCode: string) =>
      new Prisma.PrismaClientKnownRequestError("Transaction failed", { code, clientVersion: "test", meta: { driverAdapterError: { name: "DriverAdapterError", cause: { originalCode, kind: "TransactionWriteConflict" } } } });
    for (const e of [lost("P2034", "40P01"), lost("P2010", "40001"), lost("P2010", "40P01")]) {
      expect(isLockConflict(e)).toBe(true);
      expect(await refusal(conflictOnLock(Promise.reject(e)))).toMatchObject({ code: "CONFLICT", userMessage: "该异议刚被他人处理，请刷新后重试" });
    }
    const other = lost("P2010", "23505");
    expect(isLockConflict(other)).toBe(false);
    expect(await conflictOnLock(Promise.reject(other)).catch((e: unknown) => e)).toBe(other);
  });
});

describe("the holder's code never reaches a page (O-01, P-02)", () => {
  it("[O-01] a licence whose printed 统一社会信用代码 is wrong: the holder's objection with the real code as the expected value is stored and shown masked (detail for the issuer and the supervisor, the correction form's data), never in clear", async () => {
    const code = holderUscc();
    // The printed code is the licence's face value, which the issuer's correction form shows in clear.
    // Both share the area prefix 91510100; the check below looks for the holder's first nine
    // characters, so the printed one must differ there (the same 9th digit, 1 time in 10, failed it).
    let printed = holderUscc();
    while (printed.slice(0, 9) === code.slice(0, 9)) printed = holderUscc();
    const name = `成都印错代码商贸有限公司${uniqueSuffix()}`;
    const l = await issue(w, { holder: { category: "LEGAL_PERSON", codeType: "001", code, name, contact: "13812345678" }, face: faceFor(name, printed) });
    const masked = `${code.slice(0, 4)}**********${code.slice(-4)}`;
    const r = await raiseByHolder(l.identifier, code, {
      over: {
        fields: [
          { key: "uscc", expected: code },
          // the code typed into a field of another type, in lower case with spaces: still the holder's code
          { key: "address", expected: ` ${code.slice(0, 9).toLowerCase()} ${code.slice(9)} ` },
        ],
        description: "证照上的统一社会信用代码印错了，请按营业执照更正",
      },
    });
    const o = await objectionByNumber(r.number);
    expect(JSON.stringify(o.fields)).not.toContain(code);
    expect(JSON.stringify(o.fields).toUpperCase()).not.toContain(code.slice(0, 9));
    await markObjection(w.issuer, { id: o.id, rev: 0, note: "" });
    for (const reader of [w.issuer, w.supervisor]) {
      const d = await objectionDetail(reader, o.id);
      const text = JSON.stringify(d);
      expect(text).not.toContain(code);
      expect(text.toUpperCase()).not.toContain(code.slice(0, 9));
      expect(d.fields.find((f) => f.key === "uscc")).toMatchObject({ expected: masked });
      expect(d.fields.find((f) => f.key === "address")).toMatchObject({ expected: masked });
      // the printed (wrong) code is a USCC too: masked like the holder's
      expect(d.fields.find((f) => f.key === "uscc")?.current).toBe(`${printed.slice(0, 4)}**********${printed.slice(-4)}`);
    }
    expect((await objectionDetail(w.issuer, o.id)).can.canCorrect).toBe(true);
  });
});

describe("open objections follow the licence to its new version (O-02, O-03)", () => {
  it("[O-02][O-03] two marked objections A and B: correcting A issues a version that is still 异议中 (openObjections 1) with B on it, and B can then be corrected on it", async () => {
    const l = await licenceFor(w);
    const a = await raiseByDept(w.user, l.id, { over: { fields: [{ key: "address", expected: "四川省成都市锦江区红星路三段2号" }] } });
    const b = await raiseByDept(w.user2, l.id, { over: { fields: [{ key: "format", expected: "餐饮" }], description: "经营业态应为餐饮" } });
    await markObjection(w.issuer, { id: a.id, rev: 0, note: "" });
    await markObjection(w.issuer, { id: b.id, rev: 0, note: "" });
    expect(await openCount(l.id)).toBe(2);

    const da = await objectionDetail(w.issuer, a.id);
    const first = await correctObjection(w.issuer, { id: a.id, rev: 1, reason: "经核实门牌号确为2号，已更正", face: { ...da.correction!.face, address: "四川省成都市锦江区红星路三段2号" }, holderName: "", changeReason: "" });
    const v2 = await licenceRow(first.licenceId);
    expect(v2).toMatchObject({ version: 2, status: "VALID", openObjections: 1 });
    expect(await licenceRow(l.id)).toMatchObject({ status: "ANNULLED", openObjections: 0 });
    const bRow = await objectionRow(b.id);
    expect(bRow).toMatchObject({ licenceId: v2.id, status: "MARKED", rev: 2 });
    const follow = (await objectionEvents(b.id)).at(-1)!;
    expect(follow).toMatchObject({ kind: "FOLLOW", fromStatus: "MARKED", toStatus: "MARKED" });
    expect(follow.data).toMatchObject({ fromId: l.id, from: l.identifier, toId: v2.id, to: v2.identifier });
    expect((await objectionAudit(b.id, "objection.transition")).at(-1)?.detail).toMatchObject({ transition: "follow", from: "MARKED", to: "MARKED", identifier: l.identifier, successor: v2.identifier });
    // A stays with the version it corrected
    expect(await objectionRow(a.id)).toMatchObject({ licenceId: l.id, status: "RESOLVED", correctedLicenceId: v2.id });

    const db_ = await objectionDetail(w.issuer, b.id);
    expect(db_.licence).toMatchObject({ id: v2.id, version: 2, underObjection: true });
    expect(db_.can.canCorrect).toBe(true);
    expect(db_.events.at(-1)?.label).toBeTruthy();
    const second = await correctObjection(w.issuer, { id: b.id, rev: 2, reason: "经核实经营业态应为餐饮，已更正", face: { ...db_.correction!.face, format: "餐饮" }, holderName: "", changeReason: "" });
    const v3 = await licenceRow(second.licenceId);
    expect(v3).toMatchObject({ version: 3, openObjections: 0 });
    expect((v3.face as Record<string, unknown>).format).toBe("餐饮");
    expect((v3.face as Record<string, unknown>).address).toBe("四川省成都市锦江区红星路三段2号");
    expect(await licenceRow(v2.id)).toMatchObject({ status: "ANNULLED", openObjections: 0 });
  });

  it("[O-02] a plain 变更 by the issuer moves a submitted and a marked objection to the new version with the 异议中 count; a page still showing the old revision is refused", async () => {
    const l = await licenceFor(w);
    const submitted = await raiseByDept(w.user, l.id);
    const marked = await raiseByHolder(l.identifier, l.code);
    const m = await objectionByNumber(marked.number);
    await markObjection(w.issuer, { id: m.id, rev: 0, note: "" });
    const row = await licenceRow(l.id);
    const r = await changeLicence(
      w.issuer,
      changeInput.parse({ licenceId: l.id, rev: row.rev, businessCompletedAt: localNow(), holderName: row.holderName, face: { ...(row.face as Record<string, unknown>), area: "150" }, reasonText: "经营面积变更" }),
    );
    const next = await licenceRow(r.id);
    expect(next).toMatchObject({ version: 2, openObjections: 1 });
    expect(await licenceRow(l.id)).toMatchObject({ status: "ANNULLED", openObjections: 0 });
    expect(await objectionRow(submitted.id)).toMatchObject({ licenceId: next.id, status: "SUBMITTED", rev: 1 });
    expect(await objectionRow(m.id)).toMatchObject({ licenceId: next.id, status: "MARKED", rev: 2 });
    for (const id of [submitted.id, m.id]) expect((await objectionEvents(id)).at(-1)).toMatchObject({ kind: "FOLLOW", actorId: w.issuer.userId });
    // the queue finds them by the licence in force
    const rows = (await listObjections(w.issuer, objectionFilter.parse({ identifier: next.identifier, pageSize: "100" }))).rows;
    expect(rows.map((x) => x.id).sort()).toEqual([submitted.id, m.id].sort());

    // the page was opened before the change: its revision is stale
    expect((await refusal(markObjection(w.issuer, { id: submitted.id, rev: 0, note: "" }))).code).toBe("CONFLICT");
    await markObjection(w.issuer, { id: submitted.id, rev: 1, note: "" });
    expect(await openCount(next.id)).toBe(2);
    expect(await openCount(l.id)).toBe(0);
  });

  it("[O-02] an objection about a licence no longer in force (吊销) is not marked — the issuer is told why and may resolve it without marking", async () => {
    const l = await licenceFor(w);
    const { id } = await raiseByDept(w.user, l.id);
    await transitionLicence(w.issuer, transitionInput.parse({ licenceId: l.id, rev: 0, transition: "revoke", reasonCode: "PENALTY", reasonText: "行政处罚决定吊销" }));
    const d = await objectionDetail(w.issuer, id);
    expect(d.can).toMatchObject({ canMark: false, canResolve: true, canCorrect: false });
    const e = await refusal(markObjection(w.issuer, { id, rev: 0, note: "" }));
    expect(e).toMatchObject({ code: "CONFLICT", userMessage: expect.stringContaining("已吊销") });
    expect(await openCount(l.id)).toBe(0);
    await resolveObjection(w.issuer, { id, rev: 0, outcome: "REJECTED", reason: "证照已吊销，不再更正" });
    expect(await objectionRow(id)).toMatchObject({ status: "RESOLVED", outcome: "REJECTED" });
    expect(await openCount(l.id)).toBe(0);
  });
});

describe("a correction must correct (O-03)", () => {
  it("[O-03] 已更正 with none of the fields in question changed is refused next to the form, and nothing is written", async () => {
    const l = await licenceFor(w);
    const { id } = await raiseByDept(w.user, l.id, { over: { fields: [{ key: "address", expected: "四川省成都市锦江区红星路三段2号" }] } });
    await markObjection(w.issuer, { id, rev: 0, note: "" });
    const d = await objectionDetail(w.issuer, id);
    // another field changed, the one in question not
    const e = await refusal(correctObjection(w.issuer, { id, rev: 1, reason: "经核实已更正", face: { ...d.correction!.face, area: "99" }, holderName: "", changeReason: "" }));
    expect(e).toMatchObject({ code: "INVALID_INPUT", userMessage: "更正后的内容与原证照相同，请修改异议所涉字段，或选择「数据无误」办结" });
    expect(e.fieldErrors?.["face.address"]).toBeTruthy();
    expect(await db().licence.count({ where: { predecessorId: l.id } })).toBe(0);
    expect(await objectionRow(id)).toMatchObject({ status: "MARKED", rev: 1 });
    expect(await licenceRow(l.id)).toMatchObject({ status: "VALID", openObjections: 1 });
    // changed: accepted
    const ok = await correctObjection(w.issuer, { id, rev: 1, reason: "经核实已更正", face: { ...d.correction!.face, address: "四川省成都市锦江区红星路三段2号" }, holderName: "", changeReason: "" });
    expect((await licenceRow(ok.licenceId)).version).toBe(2);
  });
});

// last: it moves every licence of the world's issuing department away
describe("部门撤并 takes the open objections along (L-11, O-02)", () => {
  it("[O-02] a transfer moves the submitted and marked objections of the transferred licences to the successor department (with a TRANSFER event), which can see and mark them; resolved ones stay", async () => {
    const l = await licenceFor(w);
    const open = await raiseByDept(w.user, l.id);
    const marked = await raiseByDept(w.user2, l.id);
    await markObjection(w.issuer, { id: marked.id, rev: 0, note: "" });
    const done = await raiseByHolder(l.identifier, l.code);
    const doneRow = await objectionByNumber(done.number);
    await markObjection(w.issuer, { id: doneRow.id, rev: 0, note: "" });
    await resolveObjection(w.issuer, { id: doneRow.id, rev: 1, outcome: "UPHELD", reason: "经核实证照信息无误" });

    const successor = await createDepartment({ parent: w.province, level: "CITY", parts: { isIssuing: true }, name: `成都市测试承接局-${uniqueSuffix()}` });
    const newIssuer = await makeActor(successor, [{ role: "ISSUER_OPERATOR", scope: "OWN" }], "承接部门发证员");
    const r = await transferLicences(w.sysadmin, transferInput.parse({ fromDeptId: w.issuing.id, toDeptId: successor.id, reason: "川府发〔2026〕2 号：机构改革" }));
    expect(r.count).toBeGreaterThan(0);
    for (const id of [open.id, marked.id]) {
      expect(await objectionRow(id)).toMatchObject({ issuerDeptId: successor.id, licenceId: l.id });
      const ev = (await objectionEvents(id)).at(-1)!;
      expect(ev).toMatchObject({ kind: "TRANSFER", actorId: w.sysadmin.userId });
      expect(ev.data).toMatchObject({ transferId: r.transferId, fromDeptId: w.issuing.id, toDeptId: successor.id });
    }
    expect(await objectionRow(doneRow.id)).toMatchObject({ issuerDeptId: w.issuing.id });
    const audit = await db().auditEvent.findFirstOrThrow({ where: { action: "licence.transfer", actorId: w.sysadmin.userId }, orderBy: { seq: "desc" } });
    expect(audit.detail).toMatchObject({ objections: expect.any(Number) });

    const seen = (await listObjections(newIssuer, objectionFilter.parse({ identifier: l.identifier, pageSize: "100" }))).rows.map((x) => x.id);
    expect(seen.sort()).toEqual([open.id, marked.id].sort());
    expect((await refusal(markObjection(w.issuer, { id: open.id, rev: 1, note: "" }))).code).toBe("NOT_FOUND");
    const cur = await objectionRow(open.id);
    await markObjection(newIssuer, { id: open.id, rev: cur.rev, note: "承接部门标注" });
    expect(await openCount(l.id)).toBe(2);
  });
});
