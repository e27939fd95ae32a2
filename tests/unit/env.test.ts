import { describe, expect, it } from "vitest";
import { loadEnv } from "@/lib/env";

const good = {
  NODE_ENV: "production",
  DATABASE_URL: "postgresql://u:p@db:5432/certseal",
  NEXTAUTH_SECRET: "x".repeat(43),
  CERTSEAL_KEK: "ab".repeat(32),
} as NodeJS.ProcessEnv;

describe("lib/env.ts", () => {
  it("accepts a complete production environment", () => {
    expect(loadEnv(good).NODE_ENV).toBe("production");
  });
  it("refuses production without secrets, naming each and saying what to set", () => {
    const e = { ...good, NEXTAUTH_SECRET: undefined, CERTSEAL_KEK: undefined };
    expect(() => loadEnv(e)).toThrow(/NEXTAUTH_SECRET[\s\S]*CERTSEAL_KEK[\s\S]*In production set/);
  });
  it("refuses a short secret and a malformed key-encryption key", () => {
    expect(() => loadEnv({ ...good, NEXTAUTH_SECRET: "short" })).toThrow(/NEXTAUTH_SECRET/);
    expect(() => loadEnv({ ...good, CERTSEAL_KEK: "zz" })).toThrow(/CERTSEAL_KEK/);
    expect(() => loadEnv({ ...good, DATABASE_URL: "mysql://x" })).toThrow(/DATABASE_URL/);
  });
});

describe("client address (lib/http/request.ts ipFrom)", () => {
  it("uses the entry the nearest trusted proxy added, never the client's own claim", async () => {
    const { ipFrom } = await import("@/lib/http/request");
    const h = (v: string | null) => ({ get: (n: string) => (n === "x-forwarded-for" ? v : null) });
    expect(ipFrom(h("198.51.100.9"), 0)).toBe("198.51.100.9");
    expect(ipFrom(h("6.6.6.6, 198.51.100.9"), 0)).toBe("198.51.100.9");
    expect(ipFrom(h("6.6.6.6, 198.51.100.9, 10.0.0.2"), 1)).toBe("198.51.100.9");
    expect(ipFrom(h("198.51.100.9"), 3)).toBe("198.51.100.9");
    expect(ipFrom(h(null), 0)).toBeNull();
  });
});
