// SECURITY.md: keep next and react at or above the fixed versions of the 2025–2026 advisories
// (RSC remote code execution CVE-2025-55182/66478, Origin-null CSRF bypass CVE-2026-27978 fixed in
// next 16.1.7, proxy bypasses fixed in 16.2.x).
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";

const require = createRequire(import.meta.url);
function installed(pkg: string): number[] {
  const v = (JSON.parse(readFileSync(require.resolve(`${pkg}/package.json`), "utf8")) as { version: string }).version;
  return v.split(/[.-]/).slice(0, 3).map(Number);
}
function atLeast(v: number[], floor: number[]): boolean {
  for (let i = 0; i < 3; i++) if (v[i] !== floor[i]) return v[i] > floor[i];
  return true;
}

describe("dependency floors", () => {
  it("next is at least 16.2.0 (16.1.7 CSRF fix and the 16.2 proxy fixes)", () => {
    expect(atLeast(installed("next"), [16, 2, 0])).toBe(true);
  });
  it("react and react-dom are at least 19.2.1 (RSC RCE fixes)", () => {
    expect(atLeast(installed("react"), [19, 2, 1])).toBe(true);
    expect(atLeast(installed("react-dom"), [19, 2, 1])).toBe(true);
  });
  it("the comparison itself can fail", () => {
    expect(atLeast([16, 1, 6], [16, 1, 7])).toBe(false);
    expect(atLeast([15, 9, 9], [16, 2, 0])).toBe(false);
  });
});
