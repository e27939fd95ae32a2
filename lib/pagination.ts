// One pagination contract (CONVENTIONS 8): forgiving when read from the URL, strict sort whitelist,
// always a stable order with the id as tie-break, results as { rows, total, page, pageSize }.
import { z } from "zod";

export const PAGE_SIZES = [10, 20, 50, 100] as const;

export const pageQuery = z.object({
  page: z.coerce.number().int().min(1).max(100_000).catch(1),
  pageSize: z.coerce.number().int().refine((v) => (PAGE_SIZES as readonly number[]).includes(v)).catch(20),
  sort: z.string().max(40).optional().catch(undefined),
  dir: z.enum(["asc", "desc"]).catch("asc"),
});
export type PageQuery = z.infer<typeof pageQuery>;

export type Paged<T> = { rows: T[]; total: number; page: number; pageSize: number };

export function sortKey<K extends string>(sort: string | undefined, allowed: readonly K[], fallback: K): K {
  return (allowed as readonly string[]).includes(sort ?? "") ? (sort as K) : fallback;
}

export type SearchParams = Record<string, string | string[] | undefined>;
export function first(sp: SearchParams, key: string): string | undefined {
  const v = sp[key];
  return Array.isArray(v) ? v[0] : v;
}
export function flat(sp: SearchParams): Record<string, string | undefined> {
  return Object.fromEntries(Object.keys(sp).map((k) => [k, first(sp, k)]));
}
