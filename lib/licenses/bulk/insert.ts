// A bulk chunk's licences and BULK events in one statement each (L-09): `INSERT … SELECT FROM
// unnest(arrays)`, one array per column. Prisma's createMany spent about 0.8 s building and binding
// a 500-licence statement (≈ 22,000 parameters) where this takes a few tens of milliseconds
// (bench/bulk-issue/README.md). The columns written are those prepareLicences and signPrepared
// fill in; the rest take their defaults, exactly as createMany would leave them.
import "server-only";
import type { Tx } from "@/lib/db";
import type { PreparedLicence } from "@/lib/licenses/service";

type Row = PreparedLicence["data"] & { id: string; holderId: string };
type Cast = "text" | "uuid" | "int4" | "bool" | "jsonb" | "date" | "timestamptz" | "bytea" | "status";

// [column, how the text array element becomes the column's type]
const LICENCE_COLUMNS: readonly (readonly [Extract<keyof Row, string>, Cast])[] = [
  ["id", "uuid"],
  ["identifier", "text"],
  ["licenceNumber", "text"],
  ["serial", "text"],
  ["version", "int4"],
  ["typeId", "uuid"],
  ["typeVersionId", "uuid"],
  ["typeCode", "text"],
  ["name", "text"],
  ["issuerDeptId", "uuid"],
  ["originalIssuerDeptId", "uuid"],
  ["issuerCode", "text"],
  ["issuerName", "text"],
  ["areaCode", "text"],
  ["holderId", "uuid"],
  ["holderCodeType", "text"],
  ["holderCodeHash", "text"],
  ["holderName", "text"],
  ["matterCode", "text"],
  ["matterName", "text"],
  ["face", "jsonb"],
  ["status", "status"],
  ["exclusive", "bool"],
  ["issuedAt", "timestamptz"],
  ["validFrom", "date"],
  ["validTo", "date"],
  ["businessCompletedAt", "timestamptz"],
  ["syncMode", "text"],
  ["syncedAt", "timestamptz"],
  ["syncDelayDays", "int4"],
  ["syncDueAt", "timestamptz"],
  ["incidentId", "uuid"],
  ["importId", "uuid"],
  ["predecessorId", "uuid"],
  ["origin", "text"],
  ["sealId", "uuid"],
  ["signatureValue", "bytea"],
  ["signSnapshotId", "uuid"],
  ["signedAt", "timestamptz"],
  ["canonicalSm3", "text"],
  ["verifyCode", "text"],
  ["createdById", "uuid"],
];

function text(v: unknown, cast: Cast): string | null {
  if (v === null || v === undefined) return null;
  if (cast === "bytea") return Buffer.from(v as Uint8Array).toString("hex");
  if (cast === "jsonb") return JSON.stringify(v);
  if (v instanceof Date) return cast === "date" ? v.toISOString().slice(0, 10) : v.toISOString();
  if (typeof v === "string" || typeof v === "number" || typeof v === "boolean" || typeof v === "bigint") return String(v);
  throw new Error(`insertLicencesTx: cannot write ${typeof v} as ${cast}`);
}

function select(i: number, cast: Cast): string {
  const p = `u.c${i}`;
  switch (cast) {
    case "text":
      return p;
    case "bytea":
      return `decode(${p}, 'hex')`;
    case "status":
      return `${p}::"LicenceStatus"`;
    default:
      return `${p}::${cast}`;
  }
}

const KNOWN = new Set<string>(LICENCE_COLUMNS.map(([c]) => c));
const COLUMN_LIST = LICENCE_COLUMNS.map(([c]) => `"${c}"`).join(", ");
const SELECT_LIST = LICENCE_COLUMNS.map(([, cast], i) => select(i, cast)).join(", ");
const UNNEST_ARGS = LICENCE_COLUMNS.map((_, i) => `$${i + 1}::text[]`).join(", ");
const ALIASES = LICENCE_COLUMNS.map((_, i) => `c${i}`).join(", ");
const INSERT_LICENCES = `INSERT INTO "Licence" (${COLUMN_LIST}, "createdAt", "updatedAt")
  SELECT ${SELECT_LIST}, now(), now() FROM unnest(${UNNEST_ARGS}) AS u(${ALIASES})`;

/** Inserts the licences in the caller's transaction; every row's unique and check constraints apply. */
export async function insertLicencesTx(tx: Pick<Tx, "$executeRawUnsafe">, rows: readonly Row[]): Promise<number> {
  if (!rows.length) return 0;
  // a member prepareLicences sets that this statement would drop is a bug, not a default
  for (const [k, v] of Object.entries(rows[0])) if (v !== null && v !== undefined && !KNOWN.has(k)) throw new Error(`insertLicencesTx: column ${k} is not written`);
  const arrays = LICENCE_COLUMNS.map(([c, cast]) => rows.map((r) => text(r[c], cast)));
  return tx.$executeRawUnsafe(INSERT_LICENCES, ...arrays);
}

/** One BULK event per licence, all with the same actor, time and data. */
export async function insertBulkEventsTx(
  tx: Pick<Tx, "$executeRaw">,
  licenceIds: readonly string[],
  e: { actorId: string | null; actorName: string; deptId: string | null; at: Date; data: unknown },
): Promise<number> {
  if (!licenceIds.length) return 0;
  return tx.$executeRaw`
    INSERT INTO "LicenceEvent" ("licenceId", "kind", "toStatus", "actorId", "actorName", "deptId", "data", "at")
    SELECT u.id::uuid, 'BULK', 'VALID'::"LicenceStatus", ${e.actorId}::uuid, ${e.actorName}, ${e.deptId}::uuid, ${JSON.stringify(e.data)}::jsonb, ${e.at.toISOString()}::timestamptz
      FROM unnest(${[...licenceIds]}::text[]) AS u(id)`;
}
