import { createHash } from "node:crypto";
import { inflateSync } from "node:zlib";
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import { nameSealText, pictureInfo, renderSealPng, renderSealSvg, standardSpec, type SealPictureSpec } from "./picture";

type Node = Record<string, unknown>;

function parseSvg(svg: string): Node {
  expect(XMLValidator.validate(svg)).toBe(true);
  const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "", isArray: (name) => ["path", "polygon", "circle", "ellipse", "rect", "g"].includes(name) }).parse(svg) as Node;
  return doc.svg as Node;
}

function glyphPaths(svg: Node): Node[] {
  const groups = (svg.g as Node[] | undefined) ?? [];
  return groups.flatMap((g) => (g.path as Node[] | undefined) ?? []).filter((p) => p.class === "glyph");
}

/** Minimal PNG decoder for resvg's output: 8-bit RGBA, not interlaced. */
function decodePng(png: Buffer): { width: number; height: number; pixels: Buffer } {
  expect(png.subarray(0, 8).toString("hex")).toBe("89504e470d0a1a0a");
  let pos = 8;
  let width = 0;
  let height = 0;
  const idat: Buffer[] = [];
  while (pos < png.length) {
    const len = png.readUInt32BE(pos);
    const type = png.toString("latin1", pos + 4, pos + 8);
    const data = png.subarray(pos + 8, pos + 8 + len);
    if (type === "IHDR") {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      expect([data[8], data[9], data[12]]).toEqual([8, 6, 0]);
    } else if (type === "IDAT") idat.push(data);
    pos += 12 + len;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * 4;
  const pixels = Buffer.alloc(stride * height);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    for (let x = 0; x < stride; x++) {
      const a = x >= 4 ? pixels[y * stride + x - 4] : 0;
      const b = y > 0 ? pixels[(y - 1) * stride + x] : 0;
      const c = x >= 4 && y > 0 ? pixels[(y - 1) * stride + x - 4] : 0;
      let v = line[x];
      if (filter === 1) v += a;
      else if (filter === 2) v += b;
      else if (filter === 3) v += (a + b) >> 1;
      else if (filter === 4) {
        const p = a + b - c;
        const pa = Math.abs(p - a);
        const pb = Math.abs(p - b);
        const pc = Math.abs(p - c);
        v += pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
      }
      pixels[y * stride + x] = v & 0xff;
    }
  }
  return { width, height, pixels };
}

function redShare(pixels: Buffer): { red: number; transparent: number; total: number } {
  let red = 0;
  let transparent = 0;
  for (let i = 0; i < pixels.length; i += 4) {
    const [r, g, b, alpha] = [pixels[i], pixels[i + 1], pixels[i + 2], pixels[i + 3]];
    if (alpha === 0) transparent++;
    else if (alpha > 200 && r > 180 && g < 80 && b < 80) red++;
  }
  return { red, transparent, total: pixels.length / 4 };
}

const province = standardSpec({ kind: "LEGAL_NAME", level: "PROVINCE", name: "四川省市场监督管理局" });
const contract = standardSpec({ kind: "BUSINESS", businessType: "CONTRACT", level: "CITY", name: "成都天府软件有限公司" });
const invoice = standardSpec({ kind: "BUSINESS", businessType: "INVOICE", name: "成都天府软件有限公司", taxNumber: "91510100MA6C1234XY" });
const personal = standardSpec({ kind: "PERSONAL", name: "ignored", personName: "张三丰" });

describe("standardSpec", () => {
  it("sizes public seals by holder level and business seals at 42 mm", () => {
    expect(province).toMatchObject({ shape: "round", diameterMm: 50, star: true, name: "四川省市场监督管理局" });
    expect(standardSpec({ kind: "INTERNAL_DEPT", level: "CITY", name: "成都市市场监督管理局办公室" }).diameterMm).toBe(45);
    expect(standardSpec({ kind: "BRANCH", level: "COUNTY", name: "某县分局" }).diameterMm).toBe(45);
    expect(standardSpec({ kind: "LEGAL_NAME", level: null, name: "某某有限公司" }).diameterMm).toBe(42);
    expect(contract).toMatchObject({ shape: "round", diameterMm: 42, star: true, lowerText: "合同专用章" });
    for (const [type, text] of [["FINANCE", "财务专用章"], ["AUDIT", "审验专用章"], ["CUSTOMS", "报关专用章"]] as const) {
      expect(standardSpec({ kind: "BUSINESS", businessType: type, name: "某某有限公司" }).lowerText).toBe(text);
    }
  });

  it("makes invoice seals 40 × 30 mm ovals without a star", () => {
    expect(invoice).toMatchObject({ shape: "oval", diameterMm: 40, heightMm: 30, star: false, lowerText: "发票专用章", centerText: "91510100MA6C1234XY" });
    expect(pictureInfo(invoice)).toEqual({ type: "SVG", widthMm: 40, heightMm: 30 });
  });

  it("makes position and personal seals 20 mm squares with the person's name", () => {
    expect(personal).toMatchObject({ shape: "square", diameterMm: 20, star: false, name: "张三丰印" });
    expect(standardSpec({ kind: "POSITION", name: "法定代表人名章", personName: "李四" }).name).toBe("李四之印");
    expect(nameSealText("欧阳娜娜")).toBe("欧阳娜娜");
  });

  it("refuses a business seal without its type", () => {
    expect(() => standardSpec({ kind: "BUSINESS", name: "某某有限公司" })).toThrow(AppError);
  });
});

describe("renderSealSvg", () => {
  const cases: [string, SealPictureSpec, number, number, number, boolean][] = [
    // label, spec, width mm, height mm, glyphs, star
    ["provincial 法定名称章", province, 50, 50, 10, true],
    ["city 内设机构章", standardSpec({ kind: "INTERNAL_DEPT", level: "CITY", name: "成都市市场监督管理局办公室" }), 45, 45, 13, true],
    ["合同专用章", contract, 42, 42, 15, true],
    ["发票专用章", invoice, 40, 30, 33, false],
    ["personal name seal", personal, 20, 20, 4, false],
  ];

  it.each(cases)("%s: standalone SVG in mm with one path per glyph", (_label, spec, w, h, glyphs, star) => {
    const text = renderSealSvg(spec);
    const svg = parseSvg(text);
    expect(svg.xmlns).toBe("http://www.w3.org/2000/svg");
    expect(svg.width).toBe(`${w}mm`);
    expect(svg.height).toBe(`${h}mm`);
    expect(svg.viewBox).toBe(`0 0 ${w} ${h}`);
    expect(pictureInfo(spec)).toEqual({ type: "SVG", widthMm: w, heightMm: h });

    const paths = glyphPaths(svg);
    expect(paths).toHaveLength(glyphs);
    for (const p of paths) expect(String(p.d)).toMatch(/^M[-\d.]+ [-\d.]+[LQCZ]/);

    const stars = ((svg.polygon as Node[] | undefined) ?? []).filter((p) => p.class === "star");
    expect(stars).toHaveLength(star ? 1 : 0);
    if (star) expect(String(stars[0].points).split(" ")).toHaveLength(10);

    // No text elements, fonts, images or links: the SVG needs nothing outside itself.
    expect(text).not.toMatch(/<text|<image|<use|href=|@font-face|url\(/);
    expect(text).toContain('fill="#d7261e"');
    expect(Buffer.byteLength(text)).toBeLessThan(300_000);
  });

  it("draws the outline that fits the shape", () => {
    expect((parseSvg(renderSealSvg(province)).circle as Node[])[0]).toMatchObject({ cx: "25", cy: "25", "stroke-width": "1.5" });
    expect(parseSvg(renderSealSvg(invoice)).ellipse).toHaveLength(1);
    expect(parseSvg(renderSealSvg(personal)).rect).toHaveLength(1);
  });

  it("puts the name on the upper arc, upright towards the rim, clear of the star", () => {
    const svg = parseSvg(renderSealSvg(province));
    const paths = glyphPaths(svg);
    const r = 25;
    const centres = paths.map((p) => {
      const nums = String(p.d).match(/-?\d+(\.\d+)?/g)!.map(Number);
      const xs = nums.filter((_, i) => i % 2 === 0);
      const ys = nums.filter((_, i) => i % 2 === 1);
      return { x: (Math.min(...xs) + Math.max(...xs)) / 2, y: (Math.min(...ys) + Math.max(...ys)) / 2, rMin: Math.min(...xs.map((x, i) => Math.hypot(x - r, ys[i] - r))) };
    });
    const angles = centres.map((c) => (Math.atan2(c.x - r, r - c.y) * 180) / Math.PI);
    // Left to right over the top, 24° apart (ink centres differ from the em boxes by a few degrees),
    // about 216° from the first to the last, symmetric about the top.
    for (let i = 1; i < angles.length; i++) expect(Math.abs(angles[i] - angles[i - 1] - 24)).toBeLessThan(3);
    expect(Math.abs(angles.at(-1)! - angles[0] - 216)).toBeLessThan(4);
    expect(Math.abs(angles.at(-1)! + angles[0])).toBeLessThan(4);
    // No part of a character comes nearer the centre than the star's points (8 mm) plus a margin.
    for (const c of centres) expect(c.rMin).toBeGreaterThan(11);
  });

  it("lays out square name seals in columns from right to left", () => {
    const paths = glyphPaths(parseSvg(renderSealSvg(personal)));
    const firstX = (d: string) => Number(d.slice(1).split(" ")[0]);
    const xs = paths.map((p) => firstX(String(p.d)));
    // 张 三 in the right column, 丰 印 in the left.
    expect(xs[0]).toBeGreaterThan(10);
    expect(xs[1]).toBeGreaterThan(10);
    expect(xs[2]).toBeLessThan(10);
    expect(xs[3]).toBeLessThan(10);
  });

  it("is deterministic", () => {
    for (const spec of [province, contract, invoice, personal]) {
      const a = renderSealSvg(spec);
      const b = renderSealSvg({ ...spec });
      expect(createHash("sha256").update(a).digest("hex")).toBe(createHash("sha256").update(b).digest("hex"));
    }
    expect(renderSealSvg(province)).not.toBe(renderSealSvg({ ...province, name: "四川省人民政府" }));
  });

  it("puts an ASCII code along the lower arc", () => {
    const svg = parseSvg(renderSealSvg({ ...contract, lowerText: "5101070012345" }));
    expect(glyphPaths(svg)).toHaveLength(10 + 13);
  });

  it("refuses characters the font does not have, and bad sizes", () => {
    expect(() => renderSealSvg({ ...province, name: "四川\u{E000}局" })).toThrow(AppError);
    expect(() => renderSealSvg({ ...province, diameterMm: 0 })).toThrow(AppError);
  });
});

describe("renderSealPng", () => {
  it.each([
    ["provincial", province, 50, 50],
    ["invoice", invoice, 40, 30],
    ["personal", personal, 20, 20],
  ] as const)("%s: PNG at mm × dpi / 25.4, red on transparent", (_label, spec, w, h) => {
    const png = renderSealPng(renderSealSvg(spec), 300);
    const { width, height, pixels } = decodePng(png);
    expect(Math.abs(width - (w * 300) / 25.4)).toBeLessThanOrEqual(1);
    expect(Math.abs(height - (h * 300) / 25.4)).toBeLessThanOrEqual(1);
    const { red, transparent, total } = redShare(pixels);
    expect(red / total).toBeGreaterThan(0.08);
    expect(transparent / total).toBeGreaterThan(0.3);
  });

  it("scales with the dpi and renders the same bytes twice", () => {
    const svg = renderSealSvg(contract);
    expect(decodePng(renderSealPng(svg, 150)).width).toBe(Math.round((42 * 150) / 25.4));
    expect(renderSealPng(svg).equals(renderSealPng(svg))).toBe(true);
  });

  it("an empty picture has no red pixels (the check above means something)", () => {
    const empty = '<svg xmlns="http://www.w3.org/2000/svg" width="20mm" height="20mm" viewBox="0 0 20 20"/>';
    expect(redShare(decodePng(renderSealPng(empty)).pixels).red).toBe(0);
  });
});
