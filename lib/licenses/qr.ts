// QR codes of licences (L-07, U-03, U-06). Two kinds of token, both opened at /verify/l/<token>:
//
//   printed (on the licence file): base64url( 0x01 ‖ licence id (16 bytes) ‖ QR epoch (uint32 BE)
//     ‖ first 16 bytes of HMAC-SM3(key, "certseal licence qr\0" ‖ 0x01 ‖ id ‖ epoch) ). Stateless and
//     long-lived; revoked by incrementing Licence.qrEpoch, which turns every code printed before
//     into a "revoked" one. The same licence and epoch always give the same token, so the file
//     stays deterministic.
//   亮证 show code (shown on screen by a signed-in user): base64url( 0x02 ‖ 23 random bytes ). Only
//     its SM3 is stored (LicenceShowCode.tokenHash); it is valid for 300 seconds and for one use
//     (STANDARDS.md "observed platform practice").
//
// The MAC key is derived from CERTSEAL_KEK with its own label (never the KEK itself); rotating the
// KEK invalidates the printed codes, as revoking them would.
import "server-only";
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { db, withTx } from "@/lib/db";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { appendAudit } from "@/lib/audit/log";
import { auditActorOf, type Actor } from "@/lib/auth/session";
import { can, hasPermission } from "@/lib/auth/permissions";
import { sm3Hex } from "@/lib/crypto/sm3";
import { derivedKey } from "@/lib/crypto/derived-key";
import { t } from "@/lib/i18n/zh-CN";

export const SHOW_CODE_TTL_SECONDS = 300;
const PRINTED = 0x01;
const SHOW = 0x02;
const MAC_BYTES = 16;
const PRINTED_BYTES = 1 + 16 + 4 + MAC_BYTES;
const SHOW_BYTES = 24;
const TOKEN_RE = /^[A-Za-z0-9_-]{16,80}$/;
const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export const qrText = {
  invalid: "二维码无效：链接不完整或已被改动，请重新扫描证照上的二维码",
  revoked: "该二维码已作废：发证部门已停用此前打印的二维码，请向持证主体索取最新的证照文件或现场亮证",
  notFound: "二维码对应的电子证照不存在",
  showExpired: "亮证码已过期（有效期 300 秒），请持证主体重新生成",
  showUsed: "亮证码已被使用（每个亮证码只能核验一次），请持证主体重新生成",
  revokeConflict: "二维码已被他人同时作废，请刷新后查看",
  notLive: "证照已不在有效状态，不能生成亮证码",
} as const;

function macKey(): Buffer {
  return derivedKey("certseal licence qr: token key");
}

function uuidBytes(id: string): Buffer {
  return Buffer.from(id.replace(/-/g, ""), "hex");
}
function uuidOf(b: Buffer): string {
  const h = b.toString("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

function mac(body: Buffer): Buffer {
  return createHmac("sm3", macKey()).update("certseal licence qr\u0000").update(body).digest().subarray(0, MAC_BYTES);
}

/** The token printed on the file of `licenceId` at QR epoch `epoch`. */
export function printedToken(licenceId: string, epoch: number): string {
  if (!UUID_RE.test(licenceId)) throw new Error(`licence id ${licenceId} is not a uuid`);
  if (!Number.isInteger(epoch) || epoch < 0 || epoch > 0xffffffff) throw new Error(`QR epoch ${epoch} is out of range`);
  const body = Buffer.alloc(1 + 16 + 4);
  body[0] = PRINTED;
  uuidBytes(licenceId).copy(body, 1);
  body.writeUInt32BE(epoch, 17);
  return Buffer.concat([body, mac(body)]).toString("base64url");
}

export type ParsedToken = { kind: "PRINTED"; licenceId: string; epoch: number } | { kind: "SHOW"; hash: string } | { kind: "INVALID" };

/** What a token says, checking the MAC of printed tokens; nothing is read from the database. */
export function parseToken(token: string): ParsedToken {
  if (typeof token !== "string" || !TOKEN_RE.test(token)) return { kind: "INVALID" };
  const raw = Buffer.from(token, "base64url");
  // base64url is lenient about trailing bits: only the canonical spelling of the bytes is accepted
  if (raw.toString("base64url") !== token) return { kind: "INVALID" };
  if (raw.length === PRINTED_BYTES && raw[0] === PRINTED) {
    const body = raw.subarray(0, PRINTED_BYTES - MAC_BYTES);
    if (!timingSafeEqual(mac(body), raw.subarray(PRINTED_BYTES - MAC_BYTES))) return { kind: "INVALID" };
    return { kind: "PRINTED", licenceId: uuidOf(raw.subarray(1, 17)), epoch: raw.readUInt32BE(17) };
  }
  if (raw.length === SHOW_BYTES && raw[0] === SHOW) return { kind: "SHOW", hash: sm3Hex(raw) };
  return { kind: "INVALID" };
}

/**
 * The origin printed in QR codes: NEXTAUTH_URL (the portal's public URL, which `npm start` always
 * sets) — never the request's Host, so the same licence renders the same file whoever asks, and a
 * forged Host header cannot put another site into a licence. Without it: http://localhost:3000.
 */
export function verifyOrigin(): string {
  const url = env().NEXTAUTH_URL;
  return url ? new URL(url).origin : "http://localhost:3000";
}

export function verifyUrl(token: string): string {
  return `${verifyOrigin()}/verify/l/${token}`;
}

export function printedQrUrl(licenceId: string, epoch: number): string {
  return verifyUrl(printedToken(licenceId, epoch));
}

export type TokenResult = { ok: true; licenceId: string } | { ok: false; reason: "INVALID" | "REVOKED" | "NOT_FOUND" | "EXPIRED" | "USED"; message: string };

const refused = (reason: Exclude<TokenResult, { ok: true }>["reason"], message: string): TokenResult => ({ ok: false, reason, message });

/** A printed token: the licence it names when its epoch is the licence's current one. Read-only. */
export async function resolvePrinted(p: Extract<ParsedToken, { kind: "PRINTED" }>): Promise<TokenResult> {
  const l = await db().licence.findUnique({ where: { id: p.licenceId }, select: { id: true, qrEpoch: true } });
  if (!l) return refused("NOT_FOUND", qrText.notFound);
  if (l.qrEpoch !== p.epoch) return refused("REVOKED", qrText.revoked);
  return { ok: true, licenceId: l.id };
}

/** A show code's state without using it up (for the page shown before the visitor confirms). */
export async function peekShowCode(hash: string, now = new Date()): Promise<TokenResult> {
  const row = await db().licenceShowCode.findUnique({ where: { tokenHash: hash }, select: { licenceId: true, expiresAt: true, usedAt: true } });
  if (!row) return refused("INVALID", qrText.invalid);
  if (row.usedAt) return refused("USED", qrText.showUsed);
  if (row.expiresAt <= now) return refused("EXPIRED", qrText.showExpired);
  return { ok: true, licenceId: row.licenceId };
}

/**
 * Uses a show code up: one conditional update (unused and unexpired → used), so of any number of
 * visitors at once exactly one gets the licence and the others are told it was used.
 */
export async function consumeShowCode(hash: string, now = new Date()): Promise<TokenResult> {
  if (!/^[0-9a-f]{64}$/.test(hash)) return refused("INVALID", qrText.invalid);
  const won = await db().licenceShowCode.updateMany({ where: { tokenHash: hash, usedAt: null, expiresAt: { gt: now } }, data: { usedAt: now } });
  if (won.count === 1) {
    const row = await db().licenceShowCode.findUniqueOrThrow({ where: { tokenHash: hash }, select: { licenceId: true } });
    return { ok: true, licenceId: row.licenceId };
  }
  return peekShowCode(hash, now);
}

type Scoped = { id: string; identifier: string; status: string; qrEpoch: number; issuerDept: { id: string; path: string } };

async function scopedLicence(licenceId: string): Promise<Scoped | null> {
  if (!UUID_RE.test(licenceId)) return null;
  return db().licence.findUnique({ where: { id: licenceId }, select: { id: true, identifier: true, status: true, qrEpoch: true, issuerDept: { select: { id: true, path: true } } } });
}

/** Who may show a licence (亮证) or download its file: its department's issuers, and supervisors over it. */
export function maySeeLicence(actor: Actor, issuerDept: { id: string; path: string }): boolean {
  return can(actor, "licence.issue", issuerDept) || can(actor, "supervision.read", issuerDept);
}

/** The licence as the viewer may see it; out of scope reads as not found. */
export async function licenceForViewer(actor: Actor, licenceId: string): Promise<Scoped> {
  if (!hasPermission(actor, "licence.issue") && !hasPermission(actor, "supervision.read")) throw new AppError("FORBIDDEN", t.errors.forbidden);
  const l = await scopedLicence(licenceId);
  if (!l || !maySeeLicence(actor, l.issuerDept)) throw new AppError("NOT_FOUND", t.errors.notFound);
  return l;
}

/**
 * 亮证: a one-use code valid for 300 seconds, for a live (valid or suspended) licence the actor may
 * see. Only the code's SM3 is stored; the code itself is returned once.
 */
export async function createShowCodeFor(actor: Actor, licenceId: string, now = new Date()): Promise<{ token: string; url: string; expiresAt: Date }> {
  const l = await licenceForViewer(actor, licenceId);
  if (l.status !== "VALID" && l.status !== "SUSPENDED") throw new AppError("CONFLICT", qrText.notLive);
  const raw = Buffer.concat([Buffer.from([SHOW]), randomBytes(SHOW_BYTES - 1)]);
  const token = raw.toString("base64url");
  const expiresAt = new Date(now.getTime() + SHOW_CODE_TTL_SECONDS * 1000);
  await withTx(async (tx) => {
    await tx.licenceShowCode.create({ data: { tokenHash: sm3Hex(raw), licenceId: l.id, expiresAt, createdById: actor.userId } });
    await appendAudit(tx, auditActorOf(actor), { action: "licence.qr", change: "SHOW_CODE", identifier: l.identifier, expiresAt: expiresAt.toISOString() }, { type: "Licence", id: l.id });
  });
  return { token, url: verifyUrl(token), expiresAt };
}

/**
 * Revokes every QR code printed so far (a lost or copied paper file): the epoch moves on by one in a
 * conditional update, so of two administrators at once one wins; the recorded file hash is cleared,
 * since the file now carries a new code. Only the licence's issuing department may do it.
 */
export async function revokePrintedCodes(actor: Actor, licenceId: string): Promise<{ qrEpoch: number }> {
  if (!hasPermission(actor, "licence.issue")) throw new AppError("FORBIDDEN", t.errors.forbidden);
  const l = await scopedLicence(licenceId);
  if (!l || !can(actor, "licence.issue", l.issuerDept)) throw new AppError("NOT_FOUND", t.errors.notFound);
  return withTx(async (tx) => {
    const won = await tx.licence.updateMany({ where: { id: l.id, qrEpoch: l.qrEpoch }, data: { qrEpoch: { increment: 1 }, fileSm3: null } });
    if (won.count !== 1) throw new AppError("CONFLICT", qrText.revokeConflict);
    const a = auditActorOf(actor);
    await tx.licenceEvent.create({ data: { licenceId: l.id, kind: "QR_REVOKE", actorId: actor.userId, actorName: a.name, deptId: actor.departmentId, data: { fromEpoch: l.qrEpoch, toEpoch: l.qrEpoch + 1 } } });
    await appendAudit(tx, a, { action: "licence.qr", change: "REVOKE_PRINTED", identifier: l.identifier, fromEpoch: l.qrEpoch, toEpoch: l.qrEpoch + 1 }, { type: "Licence", id: l.id });
    return { qrEpoch: l.qrEpoch + 1 };
  });
}
