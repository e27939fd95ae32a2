// The audit log: SM3 hash chain written by appendAudit inside the caller's
// transaction, append-only triggers, one chain under concurrency, and tamper detection.
// This file has a database of its own, so the chain starts at seq 1 and the tampering at the end
// cannot disturb other files.
import { beforeAll, describe, expect, it } from "vitest";
import { db, withTx } from "@/lib/db";
import { appendAudit, verifyAuditChain } from "@/lib/audit/log";
import { GENESIS_HASH, rowHash, type ChainRow } from "@/lib/audit/chain";
import { pgError, useIsolatedDatabase, withClient } from "../helpers/db";
import { createDepartment, testActor, testUscc, uniqueSuffix } from "../helpers/factory";
import { makeActor } from "../helpers/catalog";
import { auditFilter, listAuditEvents } from "@/lib/audit/queries";

let url: string;
beforeAll(async () => {
  url = await useIsolatedDatabase("audit_chain");
});

const events = () => db().auditEvent.findMany({ orderBy: { seq: "asc" } });
const asOwner = <T>(fn: Parameters<typeof withClient<T>>[1]) => withClient<T>(url, fn);

describe("appendAudit", () => {
  it("writes seq 1, 2, 3 … each linked to the previous hash, with the actor copied into the row", async () => {
    const actor = testActor({ id: "0b8f2a3c-1d4e-4f5a-8b6c-7d8e9f0a1b2c", name: "赵系统(sysadmin)", ip: "10.1.2.3", userAgent: "UA/1" });
    const before = Date.now();
    const seqs: bigint[] = [];
    for (const username of ["a", "b", "c"]) {
      seqs.push(await withTx((tx) => appendAudit(tx, actor, { action: "auth.unlock", username }, { type: "User", id: `id-${username}` })));
    }
    expect(seqs).toEqual([1n, 2n, 3n]);

    const rows = await events();
    expect(rows.map((r) => r.seq)).toEqual([1n, 2n, 3n]);
    expect(rows[0].prevHash).toBe(GENESIS_HASH);
    expect(rows[1].prevHash).toBe(rows[0].hash);
    expect(rows[2].prevHash).toBe(rows[1].hash);
    for (const r of rows) {
      const { hash, ...rest } = r;
      expect(hash).toBe(rowHash(rest as ChainRow));
      expect(r.time.getTime()).toBeGreaterThanOrEqual(before - 1000);
      expect(r.time.getTime()).toBeLessThanOrEqual(Date.now() + 1000);
    }
    expect(rows[1]).toMatchObject({
      actorId: actor.id,
      actorName: "赵系统(sysadmin)",
      actorRole: actor.role,
      actorDept: actor.dept,
      ip: "10.1.2.3",
      userAgent: "UA/1",
      action: "auth.unlock",
      targetType: "User",
      targetId: "id-b",
      detail: { action: "auth.unlock", username: "b" },
    });
  });

  it("commits the state change and its event together", async () => {
    const [{ seq, deptId }] = await withTx(async (tx) => {
      const d = await tx.department.create({
        data: { id: crypto.randomUUID(), path: "/x/", name: "审计测试部门", uscc: testUscc(), areaCode: "510000", level: "PROVINCE", kind: "AGENCY" },
      });
      const s = await appendAudit(tx, testActor(), { action: "dept.create", name: d.name, uscc: d.uscc, parentId: null }, { type: "Department", id: d.id });
      return [{ seq: s, deptId: d.id }];
    });
    const e = await db().auditEvent.findUniqueOrThrow({ where: { seq } });
    expect(e).toMatchObject({ action: "dept.create", targetType: "Department", targetId: deptId });
    expect(await db().department.count({ where: { id: deptId } })).toBe(1);
  });

  it("leaves neither the change nor the event when the transaction throws after appendAudit", async () => {
    const head = await db().auditEvent.count();
    const uscc = testUscc();
    await expect(
      withTx(async (tx) => {
        const d = await tx.department.create({
          data: { id: crypto.randomUUID(), path: "/y/", name: "回滚部门", uscc, areaCode: "510000", level: "PROVINCE", kind: "AGENCY" },
        });
        await appendAudit(tx, testActor(), { action: "dept.create", name: d.name, uscc, parentId: null }, { type: "Department", id: d.id });
        throw new Error("boom after the audit event");
      }),
    ).rejects.toThrow("boom after the audit event");
    expect(await db().auditEvent.count()).toBe(head);
    expect(await db().department.count({ where: { uscc } })).toBe(0);

    // The rolled-back event left no gap: the next one takes the next number.
    const next = await withTx((tx) => appendAudit(tx, testActor(), { action: "auth.unlock", username: "after-rollback" }, { type: "User" }));
    expect(next).toBe(BigInt(head + 1));
  });

  it("rolls the change back when the event is invalid (typed detail)", async () => {
    const head = await db().auditEvent.count();
    const uscc = testUscc();
    await expect(
      withTx(async (tx) => {
        await tx.department.create({
          data: { id: crypto.randomUUID(), path: "/z/", name: "无效事件部门", uscc, areaCode: "510000", level: "PROVINCE", kind: "AGENCY" },
        });
        // @ts-expect-error: username must be a string
        await appendAudit(tx, testActor(), { action: "auth.unlock", username: 42 }, { type: "User" });
      }),
    ).rejects.toThrow();
    await expect(
      // @ts-expect-error: not an event type
      withTx((tx) => appendAudit(tx, testActor(), { action: "licence.shred" }, { type: "Licence" })),
    ).rejects.toThrow();
    expect(await db().auditEvent.count()).toBe(head);
    expect(await db().department.count({ where: { uscc } })).toBe(0);
  });

  it("keeps one unbroken chain under 20 concurrent writers", async () => {
    const head = await db().auditEvent.count();
    const seqs = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        withTx((tx) => appendAudit(tx, testActor({ name: `writer-${i}` }), { action: "auth.unlock", username: `w${i}` }, { type: "User" })),
      ),
    );
    const expected = Array.from({ length: 20 }, (_, i) => BigInt(head + 1 + i));
    expect([...seqs].sort((a, b) => (a < b ? -1 : 1))).toEqual(expected);

    const rows = await events();
    expect(rows.map((r) => r.seq)).toEqual(Array.from({ length: head + 20 }, (_, i) => BigInt(i + 1)));
    for (let i = 1; i < rows.length; i++) expect(rows[i].prevHash, `seq ${rows[i].seq}`).toBe(rows[i - 1].hash);
    expect(new Set(rows.map((r) => r.actorName)).size).toBeGreaterThanOrEqual(20);
  });
});

describe("verifyAuditChain", () => {
  it("verifies the whole chain, across batch boundaries", async () => {
    const total = await db().auditEvent.count();
    expect(total).toBeGreaterThan(20);
    expect(await verifyAuditChain()).toEqual({ ok: true, checked: total, firstBroken: null, reason: null });
    expect(await verifyAuditChain(7)).toEqual({ ok: true, checked: total, firstBroken: null, reason: null });
    expect(await verifyAuditChain(1)).toEqual({ ok: true, checked: total, firstBroken: null, reason: null });
  });
});

describe("append-only triggers (as the database owner)", () => {
  it("runs these checks as the owner of the table", async () => {
    const r = await asOwner((c) => c.query(`SELECT tableowner = current_user AS owner FROM pg_tables WHERE tablename = 'AuditEvent'`));
    expect(r.rows[0].owner).toBe(true);
  });

  it("refuses UPDATE", async () => {
    const e = await pgError(() => asOwner((c) => c.query(`UPDATE "AuditEvent" SET "actorName" = 'mallory' WHERE seq = 1`)));
    expect(e.code).toBe("42501");
    expect(e.message).toBe("AuditEvent is append-only: UPDATE refused");
    expect((await db().auditEvent.findUniqueOrThrow({ where: { seq: 1n } })).actorName).not.toBe("mallory");
  });

  it("refuses DELETE", async () => {
    const before = await db().auditEvent.count();
    const e = await pgError(() => asOwner((c) => c.query(`DELETE FROM "AuditEvent" WHERE seq = 2`)));
    expect(e.code).toBe("42501");
    expect(e.message).toBe("AuditEvent is append-only: DELETE refused");
    expect(await db().auditEvent.count()).toBe(before);
  });

  it("refuses TRUNCATE", async () => {
    const before = await db().auditEvent.count();
    const e = await pgError(() => asOwner((c) => c.query(`TRUNCATE "AuditEvent"`)));
    expect(e.code).toBe("42501");
    expect(e.message).toBe("AuditEvent is append-only: TRUNCATE refused");
    expect(await db().auditEvent.count()).toBe(before);
  });

  it("refuses them through Prisma as well", async () => {
    await expect(db().auditEvent.update({ where: { seq: 1n }, data: { actorName: "mallory" } })).rejects.toThrow(/append-only/);
    await expect(db().auditEvent.deleteMany({ where: { seq: 1n } })).rejects.toThrow(/append-only/);
    expect(await verifyAuditChain()).toMatchObject({ ok: true });
  });
});

// Tampering runs last: the owner switches the triggers off, edits, and switches them on again.
describe("tamper detection", () => {
  const tamper = (sql: string, params: unknown[] = []) =>
    asOwner(async (c) => {
      await c.query(`ALTER TABLE "AuditEvent" DISABLE TRIGGER USER`);
      try {
        await c.query(sql, params);
      } finally {
        await c.query(`ALTER TABLE "AuditEvent" ENABLE TRIGGER USER`);
      }
    });

  it("finds an edited detail at that row", async () => {
    const original = await db().auditEvent.findUniqueOrThrow({ where: { seq: 5n } });
    await tamper(`UPDATE "AuditEvent" SET detail = jsonb_set(detail, '{username}', '"mallory"') WHERE seq = 5`);
    expect(await verifyAuditChain()).toEqual({ ok: false, checked: 4, firstBroken: 5n, reason: "hash" });
    expect(await verifyAuditChain(3)).toEqual({ ok: false, checked: 4, firstBroken: 5n, reason: "hash" });

    await tamper(`UPDATE "AuditEvent" SET detail = $1 WHERE seq = 5`, [JSON.stringify(original.detail)]);
    expect(await verifyAuditChain()).toMatchObject({ ok: true, firstBroken: null });
  });

  it("finds an edited actor name whose row hash was recomputed, at the next row's link", async () => {
    const row = await db().auditEvent.findUniqueOrThrow({ where: { seq: 8n } });
    const { hash: originalHash, ...rest } = row;
    const forged = rowHash({ ...(rest as ChainRow), actorName: "mallory" });
    await tamper(`UPDATE "AuditEvent" SET "actorName" = 'mallory', hash = $1 WHERE seq = 8`, [forged]);
    expect(await verifyAuditChain()).toEqual({ ok: false, checked: 8, firstBroken: 9n, reason: "link" });

    await tamper(`UPDATE "AuditEvent" SET "actorName" = $1, hash = $2 WHERE seq = 8`, [row.actorName, originalHash]);
    expect(await verifyAuditChain()).toMatchObject({ ok: true });
  });

  it("finds a deleted row as a missing sequence number", async () => {
    await tamper(`DELETE FROM "AuditEvent" WHERE seq = 12`);
    expect(await verifyAuditChain()).toEqual({ ok: false, checked: 11, firstBroken: 12n, reason: "missing" });
  });

  it("leaves the triggers switched on again", async () => {
    const e = await pgError(() => asOwner((c) => c.query(`UPDATE "AuditEvent" SET "actorName" = 'x' WHERE seq = 1`)));
    expect(e.code).toBe("42501");
  });
});

describe("the audit page's rows (A-01)", () => {
  it("names the actor's roles in Chinese, also where an older logout recorded the role codes", async () => {
    const province = await createDepartment({ level: "PROVINCE", name: `审计页测试-${uniqueSuffix()}` });
    const auditor = await makeActor(province, [{ role: "AUDIT_ADMIN", scope: "PROVINCE" }], "审计页测试员");
    const session = `s-${uniqueSuffix()}`;
    await withTx((tx) => appendAudit(tx, testActor({ role: "SYSTEM_ADMIN,SEAL_APPROVER" }), { action: "auth.logout", sessionId: session }, { type: "UserSession", id: session }));
    const page = await listAuditEvents(auditor, auditFilter.parse({ action: "auth.logout", target: session }));
    expect(page.rows.map((r) => r.actorRole)).toEqual(["系统管理员、用印审批人"]);
    // what was written stays as written: the chain is not touched
    expect((await db().auditEvent.findFirstOrThrow({ where: { targetId: session } })).actorRole).toBe("SYSTEM_ADMIN,SEAL_APPROVER");
    const named = await listAuditEvents(auditor, auditFilter.parse({ target: session }));
    expect(named.total).toBe(1);
  });
});
