import { describe, expect, it } from "vitest";
import { citizenIdCheckChar, isAreaCode, isValidCitizenId, isValidUscc, usccCheckChar } from "@/lib/validation/codes";

const USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY";

// Real codes from public registrations, plus the issuer codes of the identifier vectors in
// STANDARDS.md; their check characters were recomputed independently of lib/.
const VALID_USCC = [
  "91350100M000100Y43",
  "914403001922038216",
  "9144030071526726XG",
  "91330100716105852F",
  "91110000802100433B",
  "11100000000013338W",
  "11220000013544541J",
  "11430000006122244L",
  "11330105002500287C",
  "12100000400010398P",
];

// GB 11643-1999's own example 11010519491231002X, and numbers whose check characters were
// computed by hand from the MOD 11-2 weights.
const VALID_IDS = [
  "11010519491231002X",
  "110101199003074477",
  "510104198807150016",
  "320102200002290013", // 29 February 2000 (a leap year)
  "110101198001010037",
];

/** Every string that differs from `code` in exactly one position, over `alphabet`. */
function oneCharChanges(code: string, alphabet: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < code.length; i++)
    for (const c of alphabet) if (c !== code[i]) out.push(code.slice(0, i) + c + code.slice(i + 1));
  return out;
}

describe("unified social credit code (GB 32100-2015, MOD 31)", () => {
  it.each(VALID_USCC)("accepts %s", (code) => {
    expect(isValidUscc(code)).toBe(true);
    expect(usccCheckChar(code.slice(0, 17))).toBe(code[17]);
  });

  it.each(VALID_USCC.slice(0, 3))("refuses every one-character change of %s", (code) => {
    const changed = oneCharChanges(code, USCC_ALPHABET);
    expect(changed).toHaveLength(18 * 30);
    expect(changed.filter(isValidUscc)).toEqual([]);
  });

  it("refuses swapped adjacent characters", () => {
    expect(isValidUscc("91350100M000100Y34")).toBe(false);
    expect(isValidUscc("19350100M000100Y43")).toBe(false);
  });

  it.each([
    ["letters outside the alphabet (I)", "91350100I000100Y43"],
    ["letters outside the alphabet (O)", "91350100O000100Y43"],
    ["letters outside the alphabet (S)", "91350100S000100Y43"],
    ["letters outside the alphabet (V)", "91350100V000100Y43"],
    ["letters outside the alphabet (Z)", "91350100Z000100Y43"],
    ["lower case", "91350100m000100y43"],
    ["17 characters", "91350100M000100Y4"],
    ["19 characters", "91350100M000100Y433"],
    ["spaces", " 91350100M000100Y4"],
    ["empty", ""],
  ])("refuses %s", (_label, code) => {
    expect(isValidUscc(code)).toBe(false);
  });

  it("has no check character for malformed input", () => {
    expect(usccCheckChar("91350100M000100Y")).toBeNull();
    expect(usccCheckChar("91350100M000100YI")).toBeNull();
    expect(usccCheckChar("91350100m000100Y4")).toBeNull();
  });

  it("computes check characters that are always in the alphabet, including 0", () => {
    // (31 - sum % 31) % 31: a sum divisible by 31 gives "0", not an out-of-range index.
    const zero = "00000000000000000";
    expect(usccCheckChar(zero)).toBe("0");
    for (let i = 0; i < 200; i++) {
      const body = Array.from({ length: 17 }, (_, j) => USCC_ALPHABET[(i * 7 + j * 13 + i * j) % 31]).join("");
      const c = usccCheckChar(body)!;
      expect(USCC_ALPHABET).toContain(c);
      expect(isValidUscc(body + c)).toBe(true);
    }
  });
});

describe("citizen identity number (GB 11643-1999, MOD 11-2)", () => {
  it.each(VALID_IDS)("accepts %s", (id) => {
    expect(isValidCitizenId(id)).toBe(true);
    expect(citizenIdCheckChar(id.slice(0, 17))).toBe(id[17]);
  });

  it("uses X for a remainder of 10", () => {
    expect(citizenIdCheckChar("11010519491231002")).toBe("X");
    expect(citizenIdCheckChar("11010118991231001")).toBe("X");
  });

  it("computes the check character of the standard's 1880 example", () => {
    // 440524188001010014 is in GB 11643's annex; the portal refuses births before 1900 as implausible.
    expect(citizenIdCheckChar("44052418800101001")).toBe("4");
    expect(isValidCitizenId("440524188001010014")).toBe(false);
  });

  it.each(VALID_IDS.slice(0, 3))("refuses every one-character change of %s", (id) => {
    const changed = oneCharChanges(id, "0123456789X");
    expect(changed.filter(isValidCitizenId)).toEqual([]);
  });

  it.each([
    ["a lower-case x", "11010519491231002x"],
    ["X before the last position", "1101051949123100X2"],
    ["17 characters", "11010519491231002"],
    ["19 characters", "11010519491231002X1"],
    ["letters", "A1010519491231002X"],
  ])("refuses %s", (_label, id) => {
    expect(isValidCitizenId(id)).toBe(false);
  });

  it.each([
    ["29 February in a non-leap year (1900)", "110101190002290011"],
    ["29 February 2001", "110101200102290015"],
    ["month 13", "110101199913010018"],
  ])("refuses an impossible birth date with a correct check character: %s", (_label, id) => {
    expect(citizenIdCheckChar(id.slice(0, 17))).toBe(id[17]);
    expect(isValidCitizenId(id)).toBe(false);
  });

  it("has no check character for malformed input", () => {
    expect(citizenIdCheckChar("1101051949123100")).toBeNull();
    expect(citizenIdCheckChar("1101051949123100A")).toBeNull();
  });
});

describe("administrative area code", () => {
  it.each(["510000", "510104", "110105"])("accepts %s", (c) => expect(isAreaCode(c)).toBe(true));
  it.each(["010000", "51000", "5100000", "51000A", ""])("refuses %s", (c) => expect(isAreaCode(c)).toBe(false));
});
