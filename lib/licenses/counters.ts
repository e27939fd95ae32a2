// Sequences (L-06): identifier serials and licence numbers, unique under concurrency. One row per
// scope; INSERT … ON CONFLICT DO UPDATE takes the row lock until the transaction ends, so two
// issuers never receive the same value, and a rolled-back issue gives its values back.
import "server-only";
import type { Tx } from "@/lib/db";

/** Reserves `n` consecutive values of `scope`; returns the first. */
export async function takeCounter(tx: Pick<Tx, "$queryRaw">, scope: string, n = 1): Promise<bigint> {
  if (!Number.isInteger(n) || n < 1) throw new RangeError("n must be a positive integer");
  const rows = await tx.$queryRaw<{ value: bigint }[]>`
    INSERT INTO "LicenceCounter" ("scope", "value") VALUES (${scope}, ${n})
    ON CONFLICT ("scope") DO UPDATE SET "value" = "LicenceCounter"."value" + ${n}
    RETURNING "value"`;
  return rows[0].value - BigInt(n) + 1n;
}

/** Serial scope: per type, issuer and year, so serials read 2026 00000001 … */
export function serialScope(typeCode: string, issuerCode: string, year: number): string {
  return `serial:${typeCode}:${issuerCode}:${year}`;
}

export function serialText(year: number, value: bigint): string {
  return `${year}${value.toString().padStart(8, "0")}`;
}

/** Number scope: per type and the number's fixed part (a rule with {year} restarts every year). */
export function numberScope(typeId: string, fixedPart: string): string {
  return `number:${typeId}:${fixedPart}`;
}
