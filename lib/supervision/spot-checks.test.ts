// V-03: the spot-check sample is the N candidates with the smallest SM3(seed bytes ‖ id), reproducible.
import { describe, expect, it } from "vitest";
import { createHash, randomUUID } from "node:crypto";
import { compareSamples, sampleIds, sampleKey, SmallestKeys } from "@/lib/supervision/spot-checks-sample";
import { createSpotCheckInput, recordItemInput } from "@/lib/supervision/spot-checks-schema";

const seed = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";
const ids = Array.from({ length: 500 }, () => randomUUID());

function shuffled<T>(a: T[]): T[] {
  const b = [...a];
  for (let i = b.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [b[i], b[j]] = [b[j], b[i]];
  }
  return b;
}

describe("spot-check sampling (V-03)", () => {
  it("V-03: the key is SM3 over the seed bytes followed by the id's ASCII bytes", () => {
    const id = "6f1c2b9e-8a55-4c3e-9d0a-0b1c2d3e4f50";
    const expected = createHash("sm3").update(Buffer.concat([Buffer.from(seed, "hex"), Buffer.from(id, "ascii")])).digest("hex");
    expect(sampleKey(seed, id)).toBe(expected);
    // SM3("abc") from GB/T 32905: the seed "616263" with an empty id is the standard's vector
    expect(sampleKey("616263", "")).toBe("66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0");
  });

  it("V-03: the sample is the N smallest keys in ascending hex order", () => {
    const got = sampleIds(seed, ids, 20);
    const all = ids.map((id) => ({ id, key: sampleKey(seed, id) })).sort((a, b) => (a.key < b.key ? -1 : 1));
    expect(got).toEqual(all.slice(0, 20));
    for (let i = 1; i < got.length; i++) expect(got[i - 1].key < got[i].key).toBe(true);
  });

  it("V-03: the same seed and candidates give the same sample in any input order", () => {
    const a = sampleIds(seed, ids, 30).map((r) => r.id);
    for (let k = 0; k < 5; k++) expect(sampleIds(seed, shuffled(ids), 30).map((r) => r.id)).toEqual(a);
    // streamed in pages (with a repeated boundary row) as the service reads them
    const top = new SmallestKeys(seed, 30);
    const sorted = [...ids].sort();
    for (let i = 0; i < sorted.length; i += 100) for (const id of sorted.slice(Math.max(0, i - 1), i + 100)) top.add(id);
    expect(top.result().map((r) => r.id)).toEqual(a);
  });

  it("V-03: a different seed gives (almost surely) a different sample", () => {
    const a = sampleIds(seed, ids, 30).map((r) => r.id);
    const b = sampleIds("ff".repeat(32), ids, 30).map((r) => r.id);
    expect(b).not.toEqual(a);
  });

  it("V-03: fewer candidates than N gives all of them, ordered by key", () => {
    const few = ids.slice(0, 7);
    const got = sampleIds(seed, few, 200);
    expect(got.map((r) => r.id).sort()).toEqual([...few].sort());
    expect(got.map((r) => r.key)).toEqual([...got.map((r) => r.key)].sort());
    expect(sampleIds(seed, [], 5)).toEqual([]);
  });

  it("V-03: compareSamples names what is missing and what is extra", () => {
    expect(compareSamples(["a", "b"], ["a", "b"])).toEqual({ same: true, missing: [], extra: [] });
    expect(compareSamples(["a", "b", "c"], ["a", "c", "d"])).toEqual({ same: false, missing: ["b"], extra: ["d"] });
  });

  it("V-03: a bad seed is refused, by the sampler and by the form in Chinese", () => {
    expect(() => sampleKey("xyz", "a")).toThrow(RangeError);
    const r = createSpotCheckInput.safeParse({ kind: "LICENCE", deptIds: [randomUUID()], perDept: 5, seed: "abc" });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0].message).toMatch(/十六进制/);
    const ok = createSpotCheckInput.parse({ kind: "LICENCE", deptIds: [randomUUID()], perDept: "5", seed: " ABCD " });
    expect(ok.seed).toBe("abcd");
    expect(createSpotCheckInput.safeParse({ kind: "LICENCE", deptIds: [], perDept: 5 }).error?.issues[0].message).toBe("请至少选择一个部门");
    expect(createSpotCheckInput.safeParse({ kind: "LICENCE", deptIds: [randomUUID()], perDept: 201 }).success).toBe(false);
    const fail = recordItemInput.safeParse({ itemId: randomUUID(), rev: 0, result: "FAIL", findings: "" });
    expect(fail.error?.issues[0].path).toEqual(["findings"]);
  });
});
