// A server module may render a client component, but it cannot call a plain function exported by a
// "use client" module: Next replaces every export of such a module by a client reference, so the
// call fails at request time ("Attempted to call pct() from the server but pct is on the client")
// although typecheck, lint and vitest are all happy. This walks app/, components/ and lib/ and
// refuses a server module importing a lowercase (non-component) name from a client module.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const root = path.resolve(__dirname, "../..");

function walk(dir: string, out: string[] = []): string[] {
  for (const f of readdirSync(dir)) {
    const p = path.join(dir, f);
    if (statSync(p).isDirectory()) {
      if (f !== "node_modules" && f !== "generated") walk(p, out);
    } else if (/\.tsx?$/.test(f) && !/\.test\.tsx?$/.test(f)) out.push(p);
  }
  return out;
}

const isClient = (src: string) => /^\s*(?:\/\/[^\n]*\n\s*)*["']use client["']/.test(src);

function resolve(from: string, spec: string): string | null {
  const base = spec.startsWith("@/") ? path.join(root, spec.slice(2)) : spec.startsWith(".") ? path.resolve(path.dirname(from), spec) : null;
  if (!base) return null;
  for (const c of [base, `${base}.ts`, `${base}.tsx`, path.join(base, "index.ts"), path.join(base, "index.tsx")]) if (existsSync(c) && statSync(c).isFile()) return c;
  return null;
}

describe("the server/client boundary", () => {
  it("no server module calls a plain function or reads a value exported by a 'use client' module", () => {
    const files = ["app", "components", "lib"].flatMap((d) => walk(path.join(root, d)));
    const problems: string[] = [];
    for (const file of files) {
      const src = readFileSync(file, "utf8");
      if (isClient(src)) continue;
      for (const m of src.matchAll(/import\s+(?!type\b)\{([^}]*)\}\s+from\s+["']([^"']+)["']/g)) {
        const target = resolve(file, m[2]);
        if (!target || !isClient(readFileSync(target, "utf8"))) continue;
        const names = m[1]
          .split(",")
          .map((n) => n.trim())
          .filter((n) => n && !n.startsWith("type "))
          .map((n) => n.split(/\s+as\s+/)[0].trim());
        for (const n of names) if (/^[a-z]/.test(n)) problems.push(`${path.relative(root, file)} imports ${n} from client module ${path.relative(root, target)}`);
      }
    }
    expect(problems).toEqual([]);
  });
});
