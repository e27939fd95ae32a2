// 持证主体 (P-02): found by the keyed hash of the code, never by the code itself; created or
// renamed when a licence is issued to them.
import "server-only";
import { db, type Tx } from "@/lib/db";
import { decryptPersonal, encryptPersonal, personalIndex } from "@/lib/crypto/personal-data";
import { maskContact, maskHolderCode, normaliseHolderCode } from "@/lib/licenses/holder-code";

const CODE = "holder-code";
const CONTACT = "holder-contact";

/** Keyed SM3 of a normalised holder code: the only way rows are found by code. */
export function holderCodeHash(code: string): string {
  return personalIndex(normaliseHolderCode(code), CODE);
}

export type HolderInput = { category: string; codeType: string; code: string; name: string; contact?: string | null };
export type HolderView = { id: string; category: string; codeType: string; codeMasked: string; name: string; contactMasked: string | null };

const VIEW = { id: true, category: true, codeType: true, codeMasked: true, name: true, contactMasked: true } as const;

export async function findHolder(codeType: string, code: string): Promise<HolderView | null> {
  return db().holder.findUnique({ where: { codeType_codeHash: { codeType, codeHash: holderCodeHash(code) } }, select: VIEW });
}

/** The holder row for this code, created when new; the name and contact follow the latest issue. */
export async function upsertHolderTx(tx: Pick<Tx, "holder">, h: HolderInput): Promise<{ id: string; codeHash: string }> {
  const code = normaliseHolderCode(h.code);
  const codeHash = holderCodeHash(code);
  const contact = h.contact?.trim() || null;
  const existing = await tx.holder.findUnique({ where: { codeType_codeHash: { codeType: h.codeType, codeHash } }, select: { id: true, name: true, contactMasked: true } });
  if (existing) {
    const contactChanged = contact !== null && maskContact(contact) !== existing.contactMasked;
    if (existing.name !== h.name || contactChanged) {
      await tx.holder.update({
        where: { id: existing.id },
        data: { name: h.name, ...(contact ? { contactEnc: encryptPersonal(contact, CONTACT), contactMasked: maskContact(contact) } : {}), rev: { increment: 1 } },
      });
    }
    return { id: existing.id, codeHash };
  }
  const row = await tx.holder.upsert({
    where: { codeType_codeHash: { codeType: h.codeType, codeHash } },
    update: {},
    create: {
      category: h.category,
      codeType: h.codeType,
      codeHash,
      codeEnc: encryptPersonal(code, CODE),
      codeMasked: maskHolderCode(code),
      name: h.name,
      contactEnc: contact ? encryptPersonal(contact, CONTACT) : null,
      contactMasked: contact ? maskContact(contact) : null,
    },
    select: { id: true },
  });
  return { id: row.id, codeHash };
}

/** The full code, for signing and for the holder's own verification only: never sent to pages. */
export async function holderCode(holderId: string, tx: Pick<Tx, "holder"> = db()): Promise<string> {
  const h = await tx.holder.findUniqueOrThrow({ where: { id: holderId }, select: { codeEnc: true } });
  return decryptPersonal(h.codeEnc, CODE);
}

export async function holderContact(holderId: string, tx: Pick<Tx, "holder"> = db()): Promise<string | null> {
  const h = await tx.holder.findUniqueOrThrow({ where: { id: holderId }, select: { contactEnc: true } });
  return h.contactEnc ? decryptPersonal(h.contactEnc, CONTACT) : null;
}

export function encryptHolderCode(code: string): Uint8Array<ArrayBuffer> {
  return encryptPersonal(normaliseHolderCode(code), CODE);
}
export function encryptHolderContact(contact: string): Uint8Array<ArrayBuffer> {
  return encryptPersonal(contact.trim(), CONTACT);
}
