// Filing (备案, S-05): production data goes to the national / public-security system within
// 24 hours of production. `FilingGateway` stands for that system; the default records it in a
// local filing registry. Attempts retry with backoff as a pg-boss job; the SealFiling row is the
// durable record, so a restart loses nothing and overdue is a query on the stored fileDueAt.
import "server-only";
import { db, withTx, Prisma } from "@/lib/db";
import { appendAudit, type AuditActor } from "@/lib/audit/log";
import { sm3Hex } from "@/lib/crypto/sm3";
import { canonicalJson } from "@/lib/audit/canonical";

export type FilingPayload = {
  esId: string;
  name: string;
  kind: string;
  holderName: string;
  holderUscc: string;
  physicalRef: string;
  validStart: string;
  validEnd: string;
  sealSm3: string;
  pictureSm3: string;
};

export interface FilingGateway {
  file(payload: FilingPayload): Promise<{ filingNumber: string }>;
}

/** Records the filing in the platform's own registry; idempotent per esID. */
export class LocalFilingGateway implements FilingGateway {
  async file(payload: FilingPayload) {
    const existing = await db().localFilingRegistry.findUnique({ where: { esId: payload.esId } });
    if (existing) return { filingNumber: existing.filingNumber };
    const filingNumber = `BA${payload.esId}`;
    const json = JSON.parse(canonicalJson(payload)) as Prisma.InputJsonValue;
    await db().localFilingRegistry.create({ data: { filingNumber, esId: payload.esId, payload: json, sm3: sm3Hex(canonicalJson(payload)) } });
    return { filingNumber };
  }
}

let gateway: FilingGateway = new LocalFilingGateway();
export function filingGateway(): FilingGateway {
  return gateway;
}
/** For tests and for wiring a real national gateway. */
export function setFilingGateway(g: FilingGateway) {
  gateway = g;
}

const SYSTEM: AuditActor = { id: null, name: "备案任务", role: "-", dept: "-", ip: null, userAgent: null };

export function backoffMs(attempt: number): number {
  return Math.min(60 * 60_000, 30_000 * 2 ** Math.max(0, attempt - 1));
}

export type FilingOutcome = { status: "FILED" | "FAILED" | "SKIPPED"; filingNumber?: string; error?: string };

/** One attempt: calls the gateway, then records the result (and activates the seal) in one transaction. */
export async function runFiling(sealId: string, now = new Date()): Promise<FilingOutcome> {
  const seal = await db().seal.findUnique({ where: { id: sealId }, include: { holderDept: true, filings: { orderBy: { createdAt: "desc" }, take: 1 } } });
  const filing = seal?.filings[0];
  if (!seal || !filing || filing.status === "FILED" || seal.status !== "PRODUCED") return { status: "SKIPPED" };
  const payload: FilingPayload = {
    esId: seal.esId!,
    name: seal.name,
    kind: seal.kind,
    holderName: seal.holderDept.name,
    holderUscc: seal.holderDept.uscc,
    physicalRef: seal.physicalRef,
    validStart: seal.validStart!.toISOString(),
    validEnd: seal.validEnd!.toISOString(),
    sealSm3: sm3Hex(seal.sealDer!),
    pictureSm3: seal.pictureSm3!,
  };
  let result: { filingNumber: string } | null = null;
  let error: string | null = null;
  try {
    result = await filingGateway().file(payload);
  } catch (e) {
    error = (e instanceof Error ? e.message : String(e)).slice(0, 500);
  }
  return withTx(async (tx) => {
    const attempt = filing.attempts + 1;
    if (!result) {
      await tx.sealFiling.update({ where: { id: filing.id }, data: { status: "FAILED", attempts: attempt, lastError: error, nextTryAt: new Date(now.getTime() + backoffMs(attempt)) } });
      await appendAudit(tx, SYSTEM, { action: "seal.filing", result: "FAILED", attempt, filingNumber: null, error }, { type: "Seal", id: seal.id });
      return { status: "FAILED" as const, error: error ?? "" };
    }
    const r = await tx.seal.updateMany({
      where: { id: seal.id, status: "PRODUCED", version: seal.version },
      data: { status: "ACTIVE", filedAt: now, filingNumber: result.filingNumber, version: { increment: 1 } },
    });
    if (r.count !== 1) return { status: "SKIPPED" as const };
    await tx.sealFiling.update({ where: { id: filing.id }, data: { status: "FILED", attempts: attempt, lastError: null, nextTryAt: null, filingNumber: result.filingNumber } });
    await tx.sealEvent.create({ data: { sealId: seal.id, action: "file", fromStatus: "PRODUCED", toStatus: "ACTIVE", actorName: SYSTEM.name, reason: `备案号 ${result.filingNumber}` } });
    await appendAudit(tx, SYSTEM, { action: "seal.filing", result: "FILED", attempt, filingNumber: result.filingNumber, error: null }, { type: "Seal", id: seal.id });
    return { status: "FILED" as const, filingNumber: result.filingNumber };
  });
}

/** Filings due for another attempt (the sweeper re-queues them; covers jobs lost in a crash). */
export async function dueFilings(now = new Date(), limit = 100) {
  return db().sealFiling.findMany({
    where: { status: { in: ["PENDING", "FAILED"] }, nextTryAt: { lte: now }, seal: { status: "PRODUCED" } },
    select: { sealId: true },
    orderBy: { nextTryAt: "asc" },
    take: limit,
  });
}

/** Production data not filed within 24 hours (S-05): flagged on the seals table and dashboard. */
export function filingOverdueWhere(now = new Date()) {
  return { status: "PRODUCED" as const, fileDueAt: { lt: now } };
}
