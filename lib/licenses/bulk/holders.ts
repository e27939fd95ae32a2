// Holders of a bulk chunk in three set-based statements instead of one upsert per row (L-09): the
// same outcome as upsertHolderTx for each holder in order — created when new (code SM4-encrypted,
// found by its keyed SM3), renamed (and the contact replaced when one is given) when the name or
// contact differs, otherwise left alone.
import "server-only";
import type { Tx } from "@/lib/db";
import { maskContact, maskHolderCode, normaliseHolderCode } from "@/lib/licenses/holder-code";
import { encryptHolderCode, encryptHolderContact, holderCodeHash, type HolderInput } from "@/lib/licenses/holders";
import { holderKey } from "@/lib/licenses/bulk/rows";

const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");

/** Holder ids keyed by holderKey(codeType, codeHash), in the caller's transaction. */
export async function upsertHoldersTx(tx: Pick<Tx, "$executeRaw" | "$queryRaw">, holders: readonly HolderInput[]): Promise<Map<string, string>> {
  // the latest row of a holder wins, as consecutive single upserts would leave it
  const byKey = new Map<string, { h: HolderInput; code: string; hash: string; contact: string | null }>();
  for (const h of holders) {
    const code = normaliseHolderCode(h.code);
    const hash = holderCodeHash(code);
    byKey.set(holderKey(h.codeType, hash), { h, code, hash, contact: h.contact?.trim() || null });
  }
  const list = [...byKey.values()];
  if (!list.length) return new Map();
  const category = list.map((x) => x.h.category);
  const codeType = list.map((x) => x.h.codeType);
  const codeHash = list.map((x) => x.hash);
  const codeEnc = list.map((x) => hex(encryptHolderCode(x.code)));
  const codeMasked = list.map((x) => maskHolderCode(x.code));
  const name = list.map((x) => x.h.name);
  const contactEnc = list.map((x) => (x.contact ? hex(encryptHolderContact(x.contact)) : null));
  const contactMasked = list.map((x) => (x.contact ? maskContact(x.contact) : null));

  await tx.$executeRaw`
    INSERT INTO "Holder" ("id", "category", "codeType", "codeHash", "codeEnc", "codeMasked", "name", "contactEnc", "contactMasked", "rev", "createdAt", "updatedAt")
    SELECT gen_random_uuid(), u.category, u.code_type, u.code_hash, decode(u.code_enc, 'hex'), u.code_masked, u.name, decode(u.contact_enc, 'hex'), u.contact_masked, 0, now(), now()
      FROM unnest(${category}::text[], ${codeType}::text[], ${codeHash}::text[], ${codeEnc}::text[], ${codeMasked}::text[], ${name}::text[], ${contactEnc}::text[], ${contactMasked}::text[])
        AS u(category, code_type, code_hash, code_enc, code_masked, name, contact_enc, contact_masked)
    ON CONFLICT ("codeType", "codeHash") DO NOTHING`;
  await tx.$executeRaw`
    UPDATE "Holder" AS h
       SET "name" = u.name,
           "contactEnc" = COALESCE(decode(u.contact_enc, 'hex'), h."contactEnc"),
           "contactMasked" = COALESCE(u.contact_masked, h."contactMasked"),
           "rev" = h."rev" + 1,
           "updatedAt" = now()
      FROM unnest(${codeType}::text[], ${codeHash}::text[], ${name}::text[], ${contactEnc}::text[], ${contactMasked}::text[])
        AS u(code_type, code_hash, name, contact_enc, contact_masked)
     WHERE h."codeType" = u.code_type AND h."codeHash" = u.code_hash
       AND (h."name" <> u.name OR (u.contact_masked IS NOT NULL AND u.contact_masked IS DISTINCT FROM h."contactMasked"))`;
  const rows = await tx.$queryRaw<{ id: string; codeType: string; codeHash: string }[]>`
    SELECT h."id"::text AS "id", h."codeType", h."codeHash"
      FROM "Holder" AS h
      JOIN unnest(${codeType}::text[], ${codeHash}::text[]) AS u(code_type, code_hash)
        ON h."codeType" = u.code_type AND h."codeHash" = u.code_hash`;
  return new Map(rows.map((r) => [holderKey(r.codeType, r.codeHash), r.id]));
}
