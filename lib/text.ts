/** Truncates to n code points (as PostgreSQL's VARCHAR(n) counts), never splitting a surrogate pair. */
export function cut(s: string, n: number): string {
  const cps = Array.from(s);
  return cps.length <= n ? s : cps.slice(0, n).join("");
}
