// Spot-check sampling (V-03), pure so it can be unit-tested and recomputed anywhere: the sample of
// a department is the N candidates with the smallest SM3(seedBytes ‖ id as ASCII), compared as
// lowercase hex (the same as comparing the 32 digest bytes), in that order. The result depends only
// on the seed and the set of candidate ids — never on the order rows come back from the database.
import { createHash } from "node:crypto";
import { SEED_RE } from "@/lib/supervision/spot-checks-schema";

export const SEED_BYTES = 32;

/** The sampling key of one candidate: SM3(seed bytes ‖ the id's ASCII bytes), hex. */
export function sampleKey(seedHex: string, id: string): string {
  if (!SEED_RE.test(seedHex)) throw new RangeError("seed must be lowercase hex of 1 … 32 bytes");
  return createHash("sm3").update(Buffer.from(seedHex, "hex")).update(Buffer.from(id, "ascii")).digest("hex");
}

export type Sampled = { id: string; key: string };

/**
 * The bounded top-N of the smallest keys: memory is O(N) whatever the number of candidates, each
 * candidate costs one SM3 and, when it enters, a binary search and an array insert of ≤ N.
 * Ties (a SM3 collision; never in practice) are broken by id, so the order is total.
 */
export class SmallestKeys {
  private readonly rows: Sampled[] = [];
  constructor(
    private readonly seedHex: string,
    private readonly n: number,
  ) {
    if (!Number.isInteger(n) || n < 1) throw new RangeError("n must be a positive integer");
    sampleKey(seedHex, ""); // validates the seed once
  }

  add(id: string): void {
    const row = { id, key: sampleKey(this.seedHex, id) };
    const rows = this.rows;
    if (rows.length === this.n && !before(row, rows[rows.length - 1])) return;
    let lo = 0;
    let hi = rows.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (before(rows[mid], row)) lo = mid + 1;
      else hi = mid;
    }
    if (rows[lo]?.id === id) return; // the same candidate twice (a page boundary read again)
    rows.splice(lo, 0, row);
    if (rows.length > this.n) rows.pop();
  }

  /** The sample, smallest key first. */
  result(): Sampled[] {
    return [...this.rows];
  }
}

function before(a: Sampled, b: Sampled): boolean {
  return a.key < b.key || (a.key === b.key && a.id < b.id);
}

/** The sample of `n` from `ids` under `seedHex` (all of them, ordered, when fewer than n). */
export function sampleIds(seedHex: string, ids: Iterable<string>, n: number): Sampled[] {
  const top = new SmallestKeys(seedHex, n);
  for (const id of ids) top.add(id);
  return top.result();
}

/** What a stored sample and a recomputed one have in common, and where they differ. */
export function compareSamples(stored: readonly string[], recomputed: readonly string[]) {
  const s = new Set(stored);
  const r = new Set(recomputed);
  const missing = stored.filter((id) => !r.has(id));
  const extra = recomputed.filter((id) => !s.has(id));
  const sameOrder = stored.length === recomputed.length && stored.every((id, i) => recomputed[i] === id);
  return { same: sameOrder, missing, extra };
}
