// QR tokens of licences (L-07, U-06): the printed token carries the licence id and QR epoch under a
// MAC, so it round-trips, is the same every time (the file stays deterministic), and any change to
// it is refused; show codes are random and recognised only by form (their state is in the database).
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { parseToken, printedQrUrl, printedToken } from "@/lib/licenses/qr";

describe("L-07 printed QR tokens", () => {
  it("round-trips the licence id and epoch, and is the same every time", () => {
    const id = randomUUID();
    const t = printedToken(id, 7);
    expect(t).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(t).toBe(printedToken(id, 7));
    expect(parseToken(t)).toEqual({ kind: "PRINTED", licenceId: id, epoch: 7 });
    expect(printedToken(id, 8)).not.toBe(t);
    expect(printedToken(randomUUID(), 7)).not.toBe(t);
  });

  it("U-06 refuses every one-character change, a truncated token, and a forged epoch", () => {
    const id = randomUUID();
    const t = printedToken(id, 0);
    const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    for (let i = 0; i < t.length; i++) {
      const other = alphabet[(alphabet.indexOf(t[i]) + 17) % alphabet.length];
      expect(parseToken(t.slice(0, i) + other + t.slice(i + 1)).kind, `position ${i}`).toBe("INVALID");
    }
    expect(parseToken(t.slice(0, -1)).kind).toBe("INVALID");
    expect(parseToken(`${t}A`).kind).toBe("INVALID");
    // the epoch bytes changed without the key: the MAC no longer matches
    const raw = Buffer.from(t, "base64url");
    raw.writeUInt32BE(1, 17);
    expect(parseToken(raw.toString("base64url")).kind).toBe("INVALID");
    for (const junk of ["", "../../etc/passwd", "x".repeat(200), "短码"]) expect(parseToken(junk).kind).toBe("INVALID");
  });

  it("prints the verification URL under NEXTAUTH_URL's origin, else localhost", () => {
    const id = randomUUID();
    const origin = process.env.NEXTAUTH_URL ? new URL(process.env.NEXTAUTH_URL).origin : "http://localhost:3000";
    expect(printedQrUrl(id, 0)).toBe(`${origin}/verify/l/${printedToken(id, 0)}`);
  });

  it("recognises a show code by its form and gives its SM3 (what the database stores)", () => {
    const raw = Buffer.concat([Buffer.from([2]), Buffer.alloc(23, 5)]);
    const p = parseToken(raw.toString("base64url"));
    expect(p.kind).toBe("SHOW");
    if (p.kind === "SHOW") expect(p.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(parseToken(Buffer.concat([Buffer.from([3]), Buffer.alloc(23, 5)]).toString("base64url")).kind).toBe("INVALID");
  });
});
