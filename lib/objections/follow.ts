// Open objections follow the licence (O-02, O-03). A 变更 or 延续 (and so a correction, which is a
// 变更) issues a new licence version and annuls the old one; the objections still open on the old
// one (SUBMITTED or MARKED, other than the one a correction resolves) move to the new version in
// the same transaction, each with a FOLLOW event and an audit event, and the 异议中 count moves with
// them: Licence.openObjections is always the number of MARKED objections on that licence.
// Called by lib/licenses/lifecycle.ts; imports nothing of the objection service (which imports it).
import "server-only";
import type { Tx } from "@/lib/db";
import { appendAudit } from "@/lib/audit/log";
import { auditActorOf, type Actor } from "@/lib/auth/session";
import { cut } from "@/lib/text";
import { eventActor } from "@/lib/objections/common";

/**
 * Locks the open objections of a licence (in id order), right after the licence row and before
 * the audit chain: the lock order of every objection transition (common.ts).
 */
export async function lockOpenObjections(tx: Tx, licenceId: string): Promise<void> {
  await tx.$queryRaw`SELECT "id" FROM "Objection" WHERE "licenceId" = ${licenceId}::uuid AND "status" IN ('SUBMITTED', 'MARKED') ORDER BY "id" FOR NO KEY UPDATE`;
}

type Ref = { id: string; identifier: string };

/**
 * Moves every open objection of `from` (just annulled) to its successor `to`, in the successor's
 * transaction. The objection's rev moves on: a page opened before the change (whose correction
 * form showed the old face) is refused and reloaded. Returns how many moved.
 */
export async function followSuccessor(tx: Tx, from: Ref, to: Ref & { version: number }, kind: "CHANGE" | "RENEW", actor: Actor, now: Date): Promise<number> {
  const moved = await tx.$queryRaw<{ id: string; number: string; status: string }[]>`
    UPDATE "Objection" SET "licenceId" = ${to.id}::uuid, "rev" = "rev" + 1, "updatedAt" = ${now}
    WHERE "licenceId" = ${from.id}::uuid AND "status" IN ('SUBMITTED', 'MARKED')
    RETURNING "id", "number", "status"`;
  const marked = moved.filter((o) => o.status === "MARKED").length;
  // the 异议中 count goes with the marked ones; the old version has none open any more
  await tx.licence.updateMany({ where: { id: from.id, openObjections: { not: 0 } }, data: { openObjections: 0 } });
  if (marked) await tx.licence.update({ where: { id: to.id }, data: { openObjections: { increment: marked } } });
  if (!moved.length) return 0;
  moved.sort((a, b) => (a.id < b.id ? -1 : 1));
  const what = kind === "CHANGE" ? "变更" : "延续";
  const note = cut(`证照已${what}为新版本（${to.identifier}），异议随之转至新版本办理`, 2000);
  await tx.objectionEvent.createMany({
    data: moved.map((o) => ({
      objectionId: o.id,
      kind: "FOLLOW",
      fromStatus: o.status,
      toStatus: o.status,
      note,
      data: { fromId: from.id, from: from.identifier, toId: to.id, to: to.identifier, version: to.version, kind },
      ...eventActor(actor, now),
    })),
  });
  const a = auditActorOf(actor);
  for (const o of moved)
    await appendAudit(
      tx,
      a,
      { action: "objection.transition", number: o.number, transition: "follow", from: o.status, to: o.status, identifier: from.identifier, successor: to.identifier, kind },
      { type: "Objection", id: o.id },
    );
  return moved.length;
}
