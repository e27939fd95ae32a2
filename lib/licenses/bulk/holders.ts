// Holders of a bulk chunk in three set-based statements instead of one upsert per row (L-09): the
// same outcome as upsertHolderTx for each holder in order — created when new (code SM4-encrypted,
// found by its keyed SM3), renamed (and the contact replaced when one is given) when the name or
// contact differs, otherwise left alone. The encryption, hashing and masking (holderRows) happen
// before the transaction, beside the previous chunk's commit; the statements compare the hash as
// char(64), its column's type, so the (codeType, codeHash) index is used (compared as text, each
// chunk scanned the whole Holder table). New holders get time-ordered ids (UUIDv7), so their
// primary-key index grows at its end; the insert returns them, and only the holders that already
// existed are updated and looked up.
import "server-only";
import { v7 as uuidv7 } from "uuid";
import type { Tx } from "@/lib/db";
import { maskContact, maskHolderCode, normaliseHolderCode } from "@/lib/licenses/holder-code";
import { encryptHolderCode, encryptHolderContact, holderCodeHash, type HolderInput } from "@/lib/licenses/holders";
import { holderKey } from "@/lib/licenses/bulk/rows";

const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");

/** A chunk's holders as the statements' columns, deduplicated (the latest row of a holder wins, as consecutive single upserts would leave it). */
export type HolderRows = {
  id: string[];
  category: string[];
  codeType: string[];
  codeHash: string[];
  codeEnc: string[];
  codeMasked: string[];
  name: string[];
  contactEnc: (string | null)[];
  contactMasked: (string | null)[];
};

export function holderRows(holders: readonly HolderInput[]): HolderRows {
  const byKey = new Map<string, { h: HolderInput; code: string; hash: string; contact: string | null }>();
  for (const h of holders) {
    const code = normaliseHolderCode(h.code);
    const hash = holderCodeHash(code);
    byKey.set(holderKey(h.codeType, hash), { h, code, hash, contact: h.contact?.trim() || null });
  }
  const list = [...byKey.values()];
  return {
    id: list.map(() => uuidv7()),
    category: list.map((x) => x.h.category),
    codeType: list.map((x) => x.h.codeType),
    codeHash: list.map((x) => x.hash),
    codeEnc: list.map((x) => hex(encryptHolderCode(x.code))),
    codeMasked: list.map((x) => maskHolderCode(x.code)),
    name: list.map((x) => x.h.name),
    contactEnc: list.map((x) => (x.contact ? hex(encryptHolderContact(x.contact)) : null)),
    contactMasked: list.map((x) => (x.contact ? maskContact(x.contact) : null)),
  };
}

/** Holder ids keyed by holderKey(codeType, codeHash), in the caller's transaction. */
export async function upsertHoldersTx(tx: Pick<Tx, "$executeRaw" | "$queryRaw">, h: HolderRows): Promise<Map<string, string>> {
  if (!h.codeHash.length) return new Map();
  const out = new Map<string, string>();
  const { id, category, codeType, codeHash, codeEnc, codeMasked, name, contactEnc, contactMasked } = h;
  const created = await tx.$queryRaw<{ id: string; codeType: string; codeHash: string }[]>`
    INSERT INTO "Holder" ("id", "category", "codeType", "codeHash", "codeEnc", "codeMasked", "name", "contactEnc", "contactMasked", "rev", "createdAt", "updatedAt")
    SELECT u.id, u.category, u.code_type, u.code_hash, decode(u.code_enc, 'hex'), u.code_masked, u.name, decode(u.contact_enc, 'hex'), u.contact_masked, 0, now(), now()
      FROM unnest(${id}::uuid[], ${category}::text[], ${codeType}::text[], ${codeHash}::bpchar[], ${codeEnc}::text[], ${codeMasked}::text[], ${name}::text[], ${contactEnc}::text[], ${contactMasked}::text[])
        AS u(id, category, code_type, code_hash, code_enc, code_masked, name, contact_enc, contact_masked)
    ON CONFLICT ("codeType", "codeHash") DO NOTHING
    RETURNING "id"::text AS "id", "codeType", "codeHash"`;
  for (const r of created) out.set(holderKey(r.codeType, r.codeHash), r.id);
  if (created.length === codeHash.length) return out;
  // the holders that existed: renamed (and the contact replaced) where it differs, then looked up
  const old = codeHash.flatMap((hash, i) => (out.has(holderKey(codeType[i], hash)) ? [] : [i]));
  const pick = <T,>(xs: T[]) => old.map((i) => xs[i]);
  await tx.$executeRaw`
    UPDATE "Holder" AS h
       SET "name" = u.name,
           "contactEnc" = COALESCE(decode(u.contact_enc, 'hex'), h."contactEnc"),
           "contactMasked" = COALESCE(u.contact_masked, h."contactMasked"),
           "rev" = h."rev" + 1,
           "updatedAt" = now()
      FROM unnest(${pick(codeType)}::text[], ${pick(codeHash)}::bpchar[], ${pick(name)}::text[], ${pick(contactEnc)}::text[], ${pick(contactMasked)}::text[])
        AS u(code_type, code_hash, name, contact_enc, contact_masked)
     WHERE h."codeType" = u.code_type AND h."codeHash" = u.code_hash
       AND (h."name" <> u.name OR (u.contact_masked IS NOT NULL AND u.contact_masked IS DISTINCT FROM h."contactMasked"))`;
  const rows = await tx.$queryRaw<{ id: string; codeType: string; codeHash: string }[]>`
    SELECT h."id"::text AS "id", h."codeType", h."codeHash"
      FROM "Holder" AS h
      JOIN unnest(${pick(codeType)}::text[], ${pick(codeHash)}::bpchar[]) AS u(code_type, code_hash)
        ON h."codeType" = u.code_type AND h."codeHash" = u.code_hash`;
  for (const r of rows) out.set(holderKey(r.codeType, r.codeHash), r.id);
  return out;
}
