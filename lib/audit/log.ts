import "server-only";
import type { Tx } from "@/lib/db";
import { db, Prisma } from "@/lib/db";
import { auditDetail, type AuditDetail } from "@/lib/audit/events";
import { cut } from "@/lib/text";
import { GENESIS_HASH, rowHash, type ChainRow } from "@/lib/audit/chain";

export type AuditActor = {
  id: string | null;
  name: string;
  role: string;
  dept: string;
  ip: string | null;
  userAgent: string | null;
};

const CHAIN_LOCK = 0x63_65_72_74; // "cert": one chain, one writer at a time

/**
 * Appends an event inside the caller's transaction, so the change and its event commit or roll
 * back together. The chain head is read under a transaction-scoped advisory lock.
 */
export async function appendAudit(
  tx: Tx,
  actor: AuditActor,
  detail: AuditDetail,
  target: { type: string; id?: string | null },
): Promise<bigint> {
  const parsed = auditDetail.parse(detail);
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(${CHAIN_LOCK})`;
  const head = await tx.auditEvent.findFirst({ orderBy: { seq: "desc" }, select: { seq: true, hash: true } });
  const row: ChainRow = {
    seq: (head?.seq ?? 0n) + 1n,
    time: new Date(),
    actorId: actor.id,
    actorName: cut(actor.name, 100),
    actorRole: cut(actor.role, 200),
    actorDept: cut(actor.dept, 100),
    ip: actor.ip ? cut(actor.ip, 64) : null,
    userAgent: actor.userAgent ? cut(actor.userAgent, 500) : null,
    action: parsed.action,
    targetType: target.type,
    targetId: target.id ?? null,
    detail: parsed,
    prevHash: head?.hash ?? GENESIS_HASH,
  };
  const detailJson = JSON.parse(JSON.stringify(parsed)) as Prisma.InputJsonValue;
  await tx.auditEvent.create({ data: { ...row, detail: detailJson, hash: rowHash(row) } });
  return row.seq;
}

export type VerifyReport = { ok: boolean; checked: number; firstBroken: bigint | null; reason: string | null };

/** Walks the whole chain in order; reports the first row whose link or hash does not hold. */
export async function verifyAuditChain(batch = 2000): Promise<VerifyReport> {
  let prevHash = GENESIS_HASH;
  let expectSeq = 1n;
  let checked = 0;
  for (;;) {
    const rows = await db().auditEvent.findMany({ where: { seq: { gte: expectSeq } }, orderBy: { seq: "asc" }, take: batch });
    if (rows.length === 0) return { ok: true, checked, firstBroken: null, reason: null };
    for (const r of rows) {
      if (r.seq !== expectSeq) return { ok: false, checked, firstBroken: expectSeq, reason: "missing" };
      if (r.prevHash !== prevHash) return { ok: false, checked, firstBroken: r.seq, reason: "link" };
      const { hash, ...rest } = r;
      if (rowHash(rest) !== hash) return { ok: false, checked, firstBroken: r.seq, reason: "hash" };
      prevHash = hash;
      expectSeq = r.seq + 1n;
      checked++;
    }
  }
}
