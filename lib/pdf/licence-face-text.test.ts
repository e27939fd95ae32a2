// Line breaking for licence faces: CJK breaks anywhere, Latin at spaces, no "，" at a line start or
// "（" at a line end, long words split, "…" when cut.
import { describe, expect, it } from "vitest";
import { textWidth } from "./fonts";
import { breakUnits, capLines, ELLIPSIS, ellipsize, fitOneLine, wrapText } from "./licence-face-text";

const SIZE = 10; // Noto's ideographs are 1 em: 10 pt each

describe("breakUnits", () => {
  it("makes every CJK character a unit and keeps Latin words whole", () => {
    expect(breakUnits("食品 ABC-12 经营")).toEqual(["食", "品", " ", "ABC-12", " ", "经", "营"]);
  });

  it("glues closing punctuation to the unit before and opening brackets to the unit after", () => {
    expect(breakUnits("甲，乙（丙）。丁")).toEqual(["甲，", "乙", "（丙）。", "丁"]);
    expect(breakUnits("word, (Latin) text.")).toEqual(["word,", " ", "(Latin)", " ", "text."]);
  });
});

describe("wrapText", () => {
  it("breaks between CJK characters anywhere", () => {
    expect(wrapText("一二三四五六七八九十", "regular", SIZE, 30.5)).toEqual(["一二三", "四五六", "七八九", "十"]);
  });

  it("breaks Latin text at spaces and drops the spaces at the break", () => {
    const lines = wrapText("the quick brown fox jumps over the lazy dog", "regular", SIZE, 60);
    expect(lines.length).toBeGreaterThan(1);
    for (const line of lines) {
      expect(line).toBe(line.trim());
      expect(textWidth("regular", line, SIZE)).toBeLessThanOrEqual(60);
    }
    expect(lines.join(" ")).toBe("the quick brown fox jumps over the lazy dog");
  });

  it("never starts a line with closing punctuation nor ends one with an opening bracket", () => {
    const text = "经营项目：热食类食品制售，冷食类食品制售（不含生食），自制饮品制售（不含自酿酒）。";
    for (let width = 40.5; width < 160; width += 10) {
      const lines = wrapText(text, "regular", SIZE, width);
      expect(lines.join("")).toBe(text);
      for (const line of lines.slice(1)) expect("，。、；：）").not.toContain(line[0]);
      for (const line of lines.slice(0, -1)) expect("（").not.toContain(line[line.length - 1]);
    }
  });

  it("splits a word wider than the line between characters", () => {
    const code = "91510104MA61XXXX7K91510104MA61XXXX7K";
    const lines = wrapText(code, "regular", SIZE, 50);
    expect(lines.join("")).toBe(code);
    for (const line of lines) expect(textWidth("regular", line, SIZE)).toBeLessThanOrEqual(50);
  });

  it("keeps explicit line breaks and empty values", () => {
    expect(wrapText("第一行\n第二行", "regular", SIZE, 200)).toEqual(["第一行", "第二行"]);
    expect(wrapText("", "regular", SIZE, 200)).toEqual([""]);
  });
});

describe("cutting", () => {
  it("ellipsize shortens the line so that it and the ellipsis fit", () => {
    const cut = ellipsize("四川省成都市锦江区春熙路南段8号", "regular", SIZE, 55);
    expect(cut.endsWith(ELLIPSIS)).toBe(true);
    expect(textWidth("regular", cut, SIZE)).toBeLessThanOrEqual(55);
  });

  it("capLines keeps the first lines and marks the cut", () => {
    const lines = ["一二三", "四五六", "七八九"];
    expect(capLines(lines, 5, "regular", SIZE, 30.5)).toBe(lines);
    const capped = capLines(lines, 2, "regular", SIZE, 30.5);
    expect(capped).toHaveLength(2);
    expect(capped[1].endsWith(ELLIPSIS)).toBe(true);
  });

  it("fitOneLine shrinks to the minimum size, then cuts", () => {
    expect(fitOneLine("食品经营许可证", "bold", 20, 10, 200)).toEqual({ text: "食品经营许可证", size: 20 });
    expect(fitOneLine("食品经营许可证", "bold", 20, 10, 100).size).toBe(14);
    const cut = fitOneLine("食品经营许可证", "bold", 20, 10, 40);
    expect(cut.size).toBe(10);
    expect(cut.text.endsWith(ELLIPSIS)).toBe(true);
  });
});
