// 部门撤并 (L-11): a system administrator moves a department's licences to its successor; the
// successor's issuer operators may then re-seal (重新签章) them with their own seal. The signed
// content never changes: the original issuer and issuer code stay, and the new signature covers
// the same canonical bytes (rebuilt from the row and checked against the stored SM3 first). The open
// objections of the moved licences move with them (O-02 … O-05), each with a TRANSFER event.
import "server-only";
import { randomUUID } from "node:crypto";
import { db, withTx, type Tx } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { appendAudit } from "@/lib/audit/log";
import { auditActorOf, type Actor } from "@/lib/auth/session";
import { can, departmentWhere, hasPermission, requirePermission } from "@/lib/auth/permissions";
import { sm3Hex } from "@/lib/crypto/sm3";
import { type LicenceSigner, signedColumns, signerFor, signLicences } from "@/lib/licenses/signing";
import { canonicalOf } from "@/lib/licenses/lifecycle";
import { FINAL_STATUSES, type ResealInput, type TransferInput } from "@/lib/licenses/lifecycle-schema";
import type { Licence } from "@/lib/generated/prisma/client";
import { notify, type NewNotification } from "@/lib/notifications";
import { objectionLink, usersWith } from "@/lib/objections/common";

const NON_FINAL = ["VALID", "SUSPENDED", "EXPIRED"] as const;
const RESEAL_CHUNK = 200;

async function deptForAdmin(tx: Tx, actor: Actor, id: string, field: string) {
  const d = await tx.department.findUnique({ where: { id }, select: { id: true, path: true, name: true, isIssuing: true, status: true } });
  if (!d || !can(actor, "dept.manage", d)) throw new AppError("NOT_FOUND", "部门不存在或不在您的管辖范围内", { [field]: "部门不存在或不在您的管辖范围内" });
  return d;
}

/** Moves every licence of `fromDeptId` that is not revoked, cancelled or annulled to `toDeptId`. */
export async function transferLicences(actor: Actor, input: TransferInput, now = new Date()): Promise<{ transferId: string; count: number }> {
  requirePermission(actor, "dept.manage");
  return withTx(async (tx) => {
    const from = await deptForAdmin(tx, actor, input.fromDeptId, "fromDeptId");
    const to = await deptForAdmin(tx, actor, input.toDeptId, "toDeptId");
    if (!to.isIssuing) throw new AppError("INVALID_INPUT", "承接部门须为发证部门", { toDeptId: "承接部门须为发证部门" });
    if (to.status !== "ACTIVE") throw new AppError("INVALID_INPUT", "承接部门已停用", { toDeptId: "承接部门已停用" });
    const transferId = randomUUID();
    const a = auditActorOf(actor);
    const data = JSON.stringify({ transferId, fromDeptId: from.id, toDeptId: to.id, from: from.name, to: to.name, reason: input.reason });
    // one statement: the rows move and their TRANSFER events are written together
    const [{ n }] = await tx.$queryRaw<{ n: number }[]>`
      WITH moved AS (
        UPDATE "Licence" SET "issuerDeptId" = ${to.id}::uuid, "rev" = "rev" + 1, "updatedAt" = ${now}
        WHERE "issuerDeptId" = ${from.id}::uuid AND "status" NOT IN ('REVOKED', 'CANCELLED', 'ANNULLED')
        RETURNING "id"
      ), events AS (
        INSERT INTO "LicenceEvent" ("licenceId", "kind", "actorId", "actorName", "deptId", "at", "data")
        SELECT "id", 'TRANSFER', ${actor.userId}::uuid, ${a.name.slice(0, 50)}, ${actor.departmentId}::uuid, ${now}, ${data}::jsonb FROM moved
        RETURNING 1
      )
      SELECT count(*)::int AS n FROM events`;
    if (n === 0) throw new AppError("CONFLICT", `「${from.name}」没有可划转的证照（已吊销、注销、撤销的证照不划转）`);
    // O-02 … O-05: the open objections of those licences go to the successor, which marks and
    // resolves them from now on (same deadlines); after the licence rows, before the audit chain
    const objections = await tx.$queryRaw<{ id: string; number: string }[]>`
      WITH moved AS (
        UPDATE "Objection" o SET "issuerDeptId" = ${to.id}::uuid, "rev" = o."rev" + 1, "updatedAt" = ${now}
        FROM "Licence" l
        WHERE o."licenceId" = l."id" AND l."issuerDeptId" = ${to.id}::uuid AND o."issuerDeptId" = ${from.id}::uuid
          AND o."status" IN ('SUBMITTED', 'MARKED')
        RETURNING o."id", o."number"
      ), events AS (
        INSERT INTO "ObjectionEvent" ("objectionId", "kind", "actorId", "actorName", "deptId", "at", "note", "data")
        SELECT "id", 'TRANSFER', ${actor.userId}::uuid, ${a.name.slice(0, 100)}, ${actor.departmentId}::uuid, ${now}, ${`部门撤并，由「${to.name}」承接办理`.slice(0, 2000)}, ${data}::jsonb FROM moved
        RETURNING 1
      )
      SELECT "id", "number" FROM moved`;
    await tx.licenceTransfer.create({ data: { id: transferId, fromDeptId: from.id, toDeptId: to.id, count: n, reason: input.reason, actorId: actor.userId, createdAt: now } });
    await appendAudit(tx, a, { action: "licence.transfer", fromDeptId: from.id, toDeptId: to.id, count: n, objections: objections.length, from: from.name, to: to.name, reason: input.reason }, { type: "Department", id: from.id });
    if (objections.length) await tellSuccessor(tx, to, objections);
    return { transferId, count: n };
  });
}

/** The successor's issuer operators learn of the open objections they now handle. */
async function tellSuccessor(tx: Tx, to: { id: string; name: string }, objections: { id: string; number: string }[]) {
  const users = await usersWith(tx, to.id, "licence.issue");
  const notes: NewNotification[] = [];
  for (const o of objections)
    for (const u of users)
      notes.push({ userId: u.id, kind: "objection.new", title: `划转异议：${o.number}`, body: `部门撤并后，该异议由「${to.name}」承接办理，原办理期限不变。`, link: objectionLink(o.id), dedupeKey: `objection:${o.id}:transfer:${to.id}:${u.id}` });
  await notify(notes, tx);
}

/** Licences of the department that still carry another department's signature. */
function pendingWhere(deptId: string) {
  return { issuerDeptId: deptId, status: { in: [...NON_FINAL] }, OR: [{ sealId: null }, { seal: { holderDeptId: { not: deptId } } }] };
}

export type ResealResult = { resealed: number; failed: { identifier: string; reason: string }[]; sealName: string | null };

/**
 * 重新签章: the actor's department re-signs the given (or all) of its licences signed by another
 * department, with its own active seal bound to the type. Rows whose rebuilt canonical bytes do
 * not match the stored SM3 are refused, never signed.
 */
export async function resealLicences(actor: Actor, input: ResealInput, now = new Date()): Promise<ResealResult> {
  requirePermission(actor, "licence.issue", { id: actor.departmentId, path: actor.departmentPath });
  const deptId = actor.departmentId;
  const out: ResealResult = { resealed: 0, failed: [], sealName: null };
  if (input.licenceIds.length) {
    const found = await db().licence.findMany({ where: { id: { in: input.licenceIds }, ...pendingWhere(deptId) }, select: { id: true } });
    if (!found.length) {
      const any = await db().licence.findFirst({ where: { id: { in: input.licenceIds }, issuerDeptId: deptId }, select: { status: true } });
      if (!any) throw new AppError("NOT_FOUND", "证照不存在或不在您的管辖范围内");
      throw new AppError("CONFLICT", (FINAL_STATUSES as readonly string[]).includes(any.status) ? "已终止的证照不再重新签章" : "该证照已由本部门签章，无需重新签章");
    }
  }
  const signers = new Map<string, LicenceSigner | AppError>();
  let after: string | undefined;
  for (;;) {
    const idFilter = { ...(input.licenceIds.length ? { in: input.licenceIds } : {}), ...(after ? { gt: after } : {}) };
    const rows = await db().licence.findMany({
      where: { ...pendingWhere(deptId), ...(Object.keys(idFilter).length ? { id: idFilter } : {}) },
      orderBy: { id: "asc" },
      take: RESEAL_CHUNK,
    });
    if (!rows.length) break;
    after = rows[rows.length - 1].id;
    const byType = new Map<string, Licence[]>();
    for (const r of rows) byType.set(r.typeId, [...(byType.get(r.typeId) ?? []), r]);
    for (const [typeId, list] of byType) {
      let signer = signers.get(typeId);
      if (!signer) {
        signer = await signerForType(typeId, list[0].typeVersionId, deptId, now).catch((e: unknown) => {
          if (e instanceof AppError) return e;
          throw e;
        });
        signers.set(typeId, signer);
      }
      if (signer instanceof AppError) {
        for (const r of list) out.failed.push({ identifier: r.identifier, reason: signer.userMessage });
        continue;
      }
      await resealChunk(actor, signer, list, now, out);
    }
    if (rows.length < RESEAL_CHUNK) break;
  }
  return out;
}

/** The department's seal for a type: one the released version binds (else the licence's own version). */
async function signerForType(typeId: string, pinnedVersionId: string, deptId: string, now: Date): Promise<LicenceSigner> {
  const type = await db().licenceType.findUniqueOrThrow({ where: { id: typeId }, select: { releasedVersion: true } });
  const version = type.releasedVersion
    ? await db().licenceTypeVersion.findUniqueOrThrow({ where: { typeId_number: { typeId, number: type.releasedVersion } }, select: { sealIds: true } })
    : await db().licenceTypeVersion.findUniqueOrThrow({ where: { id: pinnedVersionId }, select: { sealIds: true } });
  return signerFor(db(), version.sealIds, deptId, now);
}

async function resealChunk(actor: Actor, signer: LicenceSigner, rows: Licence[], now: Date, out: ResealResult) {
  const ok: { row: Licence; canonical: Buffer }[] = [];
  for (const row of rows) {
    const canonical = await canonicalOf(row);
    if (sm3Hex(canonical) !== row.canonicalSm3) out.failed.push({ identifier: row.identifier, reason: "证照内容与签名摘要不一致（签发部门名称或数据可能已被改动），不能重新签章" });
    else ok.push({ row, canonical });
  }
  if (!ok.length) return;
  const { signedAt, values } = await signLicences(signer, ok.map((x) => ({ identifier: x.row.identifier, canonical: x.canonical })), now);
  const a = auditActorOf(actor);
  await withTx(async (tx) => {
    const done: Licence[] = [];
    for (let i = 0; i < ok.length; i++) {
      const { row } = ok[i];
      // the file now shows the new seal: its recorded hash is cleared, as when printed QR codes are revoked
      const r = await tx.licence.updateMany({ where: { id: row.id, rev: row.rev, sealId: row.sealId, issuerDeptId: actor.departmentId }, data: { ...signedColumns(signer, signedAt, values[i]), fileSm3: null, rev: { increment: 1 } } });
      if (r.count === 1) done.push(row);
      else out.failed.push({ identifier: row.identifier, reason: "证照刚被他人处理，请稍后重试" });
    }
    if (!done.length) return;
    await tx.licenceEvent.createMany({
      data: done.map((row) => ({ licenceId: row.id, kind: "RESEAL", actorId: actor.userId, actorName: a.name.slice(0, 50), deptId: actor.departmentId, at: now, data: { previousSealId: row.sealId, sealId: signer.sealId, seal: signer.sealName } })),
    });
    await appendAudit(
      tx,
      a,
      { action: "licence.reseal", count: done.length, sealId: signer.sealId, seal: signer.sealName, first: done[0].identifier },
      done.length === 1 ? { type: "Licence", id: done[0].id } : { type: "Department", id: actor.departmentId },
    );
    out.resealed += done.length;
    out.sealName = signer.sealName;
  });
}

// ---------------------------------------------------------------------------------------------
// Reads for the transfer page

export type TransferOverview = {
  departments: { id: string; name: string; depth: number; isIssuing: boolean; active: boolean; licences: number }[];
  history: { id: string; from: string; to: string; count: number; reason: string; createdAt: string }[];
};

export async function transferOverview(actor: Actor): Promise<TransferOverview> {
  requirePermission(actor, "dept.manage");
  const depts = await db().department.findMany({ where: departmentWhere(actor, "dept.manage"), orderBy: [{ path: "asc" }], select: { id: true, path: true, name: true, isIssuing: true, status: true } });
  const ids = depts.map((d) => d.id);
  const counts = await db().licence.groupBy({ by: ["issuerDeptId"], where: { issuerDeptId: { in: ids }, status: { in: [...NON_FINAL] } }, _count: { _all: true } });
  const count = new Map(counts.map((c) => [c.issuerDeptId, c._count._all]));
  const minDepth = Math.min(...depts.map((d) => d.path.split("/").length));
  const history = await db().licenceTransfer.findMany({
    where: { OR: [{ fromDeptId: { in: ids } }, { toDeptId: { in: ids } }] },
    orderBy: [{ createdAt: "desc" }, { id: "asc" }],
    take: 50,
    include: { fromDept: { select: { name: true } }, toDept: { select: { name: true } } },
  });
  return {
    departments: depts.map((d) => ({ id: d.id, name: d.name, depth: d.path.split("/").length - minDepth, isIssuing: d.isIssuing, active: d.status === "ACTIVE", licences: count.get(d.id) ?? 0 })),
    history: history.map((h) => ({ id: h.id, from: h.fromDept.name, to: h.toDept.name, count: h.count, reason: h.reason, createdAt: h.createdAt.toISOString() })),
  };
}

export type ResealOverview = { total: number; rows: { id: string; identifier: string; licenceNumber: string; name: string; holderName: string; status: string; sealName: string | null; originalIssuer: string }[] };

/** The actor's department's licences waiting to be re-sealed (the first 50 and the count). */
export async function resealOverview(actor: Actor): Promise<ResealOverview | null> {
  if (!hasPermission(actor, "licence.issue") || !can(actor, "licence.issue", { id: actor.departmentId, path: actor.departmentPath })) return null;
  const where = pendingWhere(actor.departmentId);
  const [total, rows] = await Promise.all([
    db().licence.count({ where }),
    db().licence.findMany({
      where,
      orderBy: [{ issuedAt: "desc" }, { id: "asc" }],
      take: 50,
      select: { id: true, identifier: true, licenceNumber: true, name: true, holderName: true, status: true, seal: { select: { name: true } }, originalIssuerDept: { select: { name: true } } },
    }),
  ]);
  return {
    total,
    rows: rows.map((r) => ({ id: r.id, identifier: r.identifier, licenceNumber: r.licenceNumber, name: r.name, holderName: r.holderName, status: r.status, sealName: r.seal?.name ?? null, originalIssuer: r.originalIssuerDept.name })),
  };
}
