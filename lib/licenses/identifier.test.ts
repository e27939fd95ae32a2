import { describe, expect, it } from "vitest";
import { buildIdentifier, mod3736, parseIdentifier } from "@/lib/licenses/identifier";

// L-06: the four vectors of STANDARDS.md, taken from real identifiers.
const VECTORS = [
  { typeCode: "11100000000013338W032", issuerCode: "11220000013544541J", serial: "2430599", version: 1, check: "F" },
  { typeCode: "11100000000013338W011", issuerCode: "11430000006122244L", serial: "20230000403", version: 1, check: "U" },
  { typeCode: "11100000000013338W009", issuerCode: "11330105002500287C", serial: "2025052201", version: 2, check: "0" },
  { typeCode: "11100000MB03271699022", issuerCode: "340100", serial: "000000016", version: 1, check: "9" },
];

describe("licence identifier (GB/T 36904, L-06)", () => {
  for (const v of VECTORS) {
    it(`MOD 37,36 gives ${v.check} for ${v.typeCode}.${v.issuerCode}.${v.serial}`, () => {
      const id = buildIdentifier(v);
      expect(id).toBe(`1.2.156.3005.2.${v.typeCode}.${v.issuerCode}.${v.serial}.${String(v.version).padStart(3, "0")}.${v.check}`);
      expect(parseIdentifier(id)).toEqual({ typeCode: v.typeCode, issuerCode: v.issuerCode, serial: v.serial, version: v.version });
    });
  }

  it("detects every single-character substitution in the vectors (what a hybrid system guarantees)", () => {
    for (const v of VECTORS) {
      const data = v.typeCode + v.issuerCode + v.serial + String(v.version).padStart(3, "0");
      for (let i = 0; i < data.length; i++) {
        for (const c of "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ") {
          if (c === data[i]) continue;
          expect(mod3736(data.slice(0, i) + c + data.slice(i + 1))).not.toBe(v.check);
        }
      }
    }
  });

  it("refuses malformed identifiers and a wrong check character", () => {
    const good = buildIdentifier(VECTORS[0]);
    expect(parseIdentifier(good.slice(0, -1) + "G")).toBeNull();
    expect(parseIdentifier(good.replace("1.2.156.3005.2", "1.2.156.3005.3"))).toBeNull();
    expect(parseIdentifier(good.toLowerCase())).toBeNull();
    expect(parseIdentifier(good.replace(".001.", ".000."))).toBeNull();
    expect(parseIdentifier("")).toBeNull();
    expect(() => buildIdentifier({ ...VECTORS[0], serial: "ab12" })).toThrow();
    expect(() => buildIdentifier({ ...VECTORS[0], version: 1000 })).toThrow();
  });
});
