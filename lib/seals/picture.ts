// Standard seal pictures (S-03): round public seals, oval invoice seals, square name seals.
//
// Text is drawn as glyph outlines (SVG paths) taken from a bundled font, so the picture needs no
// installed font and renders the same in browsers, resvg and PDFs. Output is deterministic: the
// same spec gives the same bytes, so the picture's SM3 is stable.
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { Resvg } from "@resvg/resvg-js";
import opentype from "opentype.js";
import { AppError } from "@/lib/errors";

export type SealShape = "round" | "oval" | "square";

export type SealPictureSpec = {
  shape: SealShape;
  /** Along the upper arc (round, oval); the characters of a square seal. */
  name: string;
  /** CJK text (合同专用章 …) as a horizontal row below the centre; an ASCII code along the lower arc. */
  lowerText?: string;
  /** A horizontal row in the middle (below the star when there is one), e.g. the taxpayer number. */
  centerText?: string;
  /** Diameter (round), width (oval) or side (square). */
  diameterMm: number;
  /** Oval height; defaults to the width for the other shapes. */
  heightMm?: number;
  star?: boolean;
};

export type SealKind = "LEGAL_NAME" | "INTERNAL_DEPT" | "BRANCH" | "BUSINESS" | "POSITION" | "PERSONAL";
export type SealBusinessType = "CONTRACT" | "FINANCE" | "INVOICE" | "AUDIT" | "CUSTOMS";

export const BUSINESS_SEAL_TEXT: Record<SealBusinessType, string> = {
  CONTRACT: "合同专用章",
  FINANCE: "财务专用章",
  INVOICE: "发票专用章",
  AUDIT: "审验专用章",
  CUSTOMS: "报关专用章",
};

export const SEAL_RED = "#d7261e";

/** Diameter by holder level for public seals: province 50 mm, city and county 45 mm, others 42 mm. */
export function publicSealDiameterMm(level?: string | null): number {
  if (level === "PROVINCE") return 50;
  if (level === "CITY" || level === "COUNTY") return 45;
  return 42;
}

/**
 * Text of a square name seal. Our choice: a 2-character name becomes 「X X 之 印」, a 3-character
 * name 「X X X 印」, so both fill a 2 × 2 grid; 4 or more characters are used as given.
 */
export function nameSealText(personName: string): string {
  const chars = Array.from(personName.replace(/\s+/g, ""));
  if (chars.length === 2) return `${chars.join("")}之印`;
  if (chars.length === 3) return `${chars.join("")}印`;
  return chars.join("");
}

export function standardSpec(input: {
  kind: SealKind;
  businessType?: SealBusinessType | null;
  level?: string | null;
  name: string;
  personName?: string | null;
  /** Taxpayer number (统一社会信用代码) printed across the middle of an invoice seal. */
  taxNumber?: string | null;
}): SealPictureSpec {
  const name = input.name.trim();
  switch (input.kind) {
    case "LEGAL_NAME":
    case "INTERNAL_DEPT":
    case "BRANCH":
      return { shape: "round", name, diameterMm: publicSealDiameterMm(input.level), star: true };
    case "BUSINESS": {
      const type = input.businessType;
      if (!type) throw new AppError("INVALID_INPUT", "业务专用章须选择业务类型");
      if (type === "INVOICE") {
        const spec: SealPictureSpec = { shape: "oval", name, lowerText: BUSINESS_SEAL_TEXT.INVOICE, diameterMm: 40, heightMm: 30, star: false };
        if (input.taxNumber?.trim()) spec.centerText = input.taxNumber.trim();
        return spec;
      }
      return { shape: "round", name, lowerText: BUSINESS_SEAL_TEXT[type], diameterMm: 42, star: true };
    }
    case "POSITION":
    case "PERSONAL":
      return { shape: "square", name: nameSealText((input.personName ?? name).trim()), diameterMm: 20, star: false };
  }
}

export function pictureInfo(spec: SealPictureSpec): { type: "SVG"; widthMm: number; heightMm: number } {
  const { widthMm, heightMm } = sizeOf(spec);
  return { type: "SVG", widthMm, heightMm };
}

function sizeOf(spec: SealPictureSpec): { widthMm: number; heightMm: number } {
  const widthMm = spec.diameterMm;
  const heightMm = spec.shape === "oval" ? (spec.heightMm ?? spec.diameterMm * 0.75) : spec.diameterMm;
  return { widthMm, heightMm };
}

// ---------------------------------------------------------------------------------------------
// Font

// Noto Serif SC Bold: a Song (宋体) face, the typeface the State Council rules prescribe for seal
// text; the full font (all of U+4E00–9FFF and more) so rare characters in names still render.
const FONT_PACKAGE = "@expo-google-fonts/noto-serif-sc";
const FONT_FILE = "700Bold/NotoSerifSC_700Bold.ttf";

let fontCache: opentype.Font | undefined;

function fontFilePath(): string {
  try {
    return createRequire(import.meta.url).resolve(/* turbopackIgnore: true */ `${FONT_PACKAGE}/${FONT_FILE}`);
  } catch {
    return path.join(process.cwd(), "node_modules", FONT_PACKAGE, FONT_FILE);
  }
}

function sealFont(): opentype.Font {
  if (!fontCache) {
    const buf = fs.readFileSync(fontFilePath());
    const ab = buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength);
    // lowMemory parses glyphs on demand: ~0.5 s instead of ~1.5 s for this 30,000-glyph font.
    fontCache = opentype.parse(ab, { lowMemory: true });
  }
  return fontCache;
}

type Glyph = { commands: opentype.PathCommand[]; advance: number };

function glyphFor(font: opentype.Font, ch: string): Glyph {
  const index = font.charToGlyphIndex(ch);
  if (!index) throw new AppError("INVALID_INPUT", `字符“${ch}”无法生成标准印模，请上传备案印模图片`);
  const glyph = font.glyphs.get(index);
  return { commands: glyph.path.commands, advance: glyph.advanceWidth ?? font.unitsPerEm };
}

/** Vertical middle and height of the ideographic em box (Noto: ascender 880, descender −120), in font units. */
function emMiddle(font: opentype.Font): { middle: number; height: number } {
  const os2 = font.tables.os2 as unknown as { sTypoAscender?: number; sTypoDescender?: number } | undefined;
  const asc = os2?.sTypoAscender ?? font.ascender;
  const desc = os2?.sTypoDescender ?? font.descender;
  return { middle: (asc + desc) / 2, height: asc - desc };
}

// ---------------------------------------------------------------------------------------------
// Geometry helpers

function num(n: number): string {
  const r = Math.round(n * 1000) / 1000;
  return Object.is(r, -0) ? "0" : String(r);
}

const DEG = Math.PI / 180;

/**
 * Place one glyph: its em box (advance × em height), scaled to w × h mm, centred on (px, py) and
 * turned by `angle` (radians, clockwise; 0 = upright). Returns SVG path data in mm.
 */
function placeGlyph(font: opentype.Font, glyph: Glyph, px: number, py: number, w: number, h: number, angle: number): string {
  const em = emMiddle(font);
  const sx = w / glyph.advance;
  const sy = h / em.height;
  const cos = Math.cos(angle);
  const sin = Math.sin(angle);
  const at = (gx: number, gy: number): string => {
    const u = (gx - glyph.advance / 2) * sx;
    const v = (gy - em.middle) * sy;
    return `${num(px + u * cos + v * sin)} ${num(py + u * sin - v * cos)}`;
  };
  const out: string[] = [];
  let last = "";
  for (const c of glyph.commands) {
    switch (c.type) {
      case "M":
        last = at(c.x, c.y);
        out.push(`M${last}`);
        break;
      case "L": {
        const p = at(c.x, c.y);
        if (p !== last) out.push(`L${p}`);
        last = p;
        break;
      }
      case "Q":
        last = at(c.x, c.y);
        out.push(`Q${at(c.x1, c.y1)} ${last}`);
        break;
      case "C":
        last = at(c.x, c.y);
        out.push(`C${at(c.x1, c.y1)} ${at(c.x2, c.y2)} ${last}`);
        break;
      case "Z":
        out.push("Z");
        break;
    }
  }
  return out.join("");
}

function chars(text: string | undefined): string[] {
  return Array.from((text ?? "").replace(/\s+/g, ""));
}

type Paths = string[];

/** Characters spread evenly along the upper arc of a circle, each upright relative to the centre. */
function upperArcCircle(font: opentype.Font, text: string[], cx: number, cy: number, rc: number, h: number, out: Paths): void {
  const n = text.length;
  if (!n) return;
  const w0 = h * 0.78;
  const naturalStep = w0 / 0.85 / rc;
  // Short names keep 30° per character; long ones share 240° (more for very long names).
  const maxSpan = (n <= 12 ? 240 : Math.min(280, 240 + (n - 12) * 5)) * DEG;
  const step = Math.min(maxSpan / n, Math.max(naturalStep, 30 * DEG));
  const w = Math.min(w0, step * rc * 0.88);
  const start = (-step * n) / 2 + step / 2;
  text.forEach((ch, i) => {
    const a = start + i * step;
    out.push(placeGlyph(font, glyphFor(font, ch), cx + rc * Math.sin(a), cy - rc * Math.cos(a), w, h, a));
  });
}

/** An ASCII code along the lower arc, read left to right, tops towards the centre. */
function lowerArcCircle(font: opentype.Font, text: string[], cx: number, cy: number, rc: number, h: number, out: Paths): void {
  if (!text.length) return;
  const glyphs = text.map((ch) => glyphFor(font, ch));
  const em = emMiddle(font).height;
  const widths = glyphs.map((g) => (g.advance / em) * h * 0.9);
  const gap = h * 0.12;
  let total = widths.reduce((a, b) => a + b, 0) + gap * (text.length - 1);
  const maxArc = 120 * DEG * rc;
  const squeeze = total > maxArc ? maxArc / total : 1;
  total *= squeeze;
  let s = -total / 2;
  glyphs.forEach((g, i) => {
    const wi = widths[i] * squeeze;
    const mid = s + wi / 2;
    s += wi + gap * squeeze;
    const phi = mid / rc; // arc angle from the bottom, positive to the right
    const a = Math.PI - phi; // position angle, clockwise from the top
    out.push(placeGlyph(font, g, cx + rc * Math.sin(a), cy - rc * Math.cos(a), wi, h, -phi));
  });
}

/** A horizontal row centred on (cx, cy), squeezed horizontally to fit maxWidth. */
function row(font: opentype.Font, text: string[], cx: number, cy: number, h: number, maxWidth: number, widthRatio: number, out: Paths): void {
  if (!text.length) return;
  const glyphs = text.map((ch) => glyphFor(font, ch));
  const em = emMiddle(font).height;
  const widths = glyphs.map((g) => (g.advance / em) * h * widthRatio);
  const total = widths.reduce((a, b) => a + b, 0);
  const squeeze = total > maxWidth ? maxWidth / total : 1;
  let x = cx - (total * squeeze) / 2;
  glyphs.forEach((g, i) => {
    const wi = widths[i] * squeeze;
    out.push(placeGlyph(font, g, x + wi / 2, cy, wi, h, 0));
    x += wi;
  });
}

function starPoints(cx: number, cy: number, r: number): string {
  const inner = r * (Math.sin(18 * DEG) / Math.sin(54 * DEG)); // regular pentagram, ≈ 0.382 r
  const pts: string[] = [];
  for (let i = 0; i < 10; i++) {
    const a = i * 36 * DEG;
    const rr = i % 2 === 0 ? r : inner;
    pts.push(`${num(cx + rr * Math.sin(a))},${num(cy - rr * Math.cos(a))}`);
  }
  return pts.join(" ");
}

const isAscii = (s: string) => /^[\x21-\x7e]+$/.test(s);

// ---------------------------------------------------------------------------------------------
// Shapes

function drawRound(font: opentype.Font, spec: SealPictureSpec, parts: string[], glyphs: Paths): void {
  const d = spec.diameterMm;
  const r = d / 2;
  const ring = d * 0.03;
  parts.push(`<circle cx="${num(r)}" cy="${num(r)}" r="${num(r - ring / 2)}" fill="none" stroke="${SEAL_RED}" stroke-width="${num(ring)}"/>`);
  const inner = r - ring;
  const nameH = d * 0.15;
  upperArcCircle(font, chars(spec.name), r, r, inner - d * 0.022 - nameH / 2, nameH, glyphs);

  const starR = d * 0.16;
  let y = r; // where the next centre row goes
  if (spec.star) {
    parts.push(`<polygon class="star" fill="${SEAL_RED}" points="${starPoints(r, r, starR)}"/>`);
    y = r + starR * Math.cos(36 * DEG) + d * 0.03;
  }
  const rowWidth = (top: number, h: number) => 2 * Math.sqrt(Math.max(0, (inner - d * 0.04) ** 2 - (top + h - r) ** 2));

  const center = chars(spec.centerText);
  if (center.length) {
    const h = d * 0.08;
    const top = spec.star ? y : r - h / 2;
    row(font, center, r, top + h / 2, h, rowWidth(top, h), isAscii(spec.centerText ?? "") ? 0.9 : 0.95, glyphs);
    y = top + h + d * 0.03;
  }

  const lower = chars(spec.lowerText);
  if (lower.length && isAscii(lower.join(""))) {
    const h = d * 0.075;
    lowerArcCircle(font, lower, r, r, inner - d * 0.02 - h / 2, h, glyphs);
  } else if (lower.length) {
    const h = d * 0.11;
    const top = Math.max(y, r + d * 0.19);
    row(font, lower, r, top + h / 2, h, rowWidth(top, h), 0.92, glyphs);
  }
}

/** Points along an ellipse at equal arc length, by a fine polyline approximation. */
function ellipseArc(a: number, b: number, halfSpan: number, samples = 4096): { t: number; s: number }[] {
  const table: { t: number; s: number }[] = [];
  let s = 0;
  let px = -a * Math.sin(halfSpan);
  let py = -b * Math.cos(halfSpan);
  for (let i = 0; i <= samples; i++) {
    const t = -halfSpan + (2 * halfSpan * i) / samples;
    const x = a * Math.sin(t);
    const y = -b * Math.cos(t);
    s += Math.hypot(x - px, y - py);
    px = x;
    py = y;
    table.push({ t, s });
  }
  return table;
}

function drawOval(font: opentype.Font, spec: SealPictureSpec, parts: string[], glyphs: Paths): void {
  const { widthMm: w, heightMm: h } = sizeOf(spec);
  const cx = w / 2;
  const cy = h / 2;
  const ring = Math.min(w, h) * 0.035;
  parts.push(`<ellipse cx="${num(cx)}" cy="${num(cy)}" rx="${num(cx - ring / 2)}" ry="${num(cy - ring / 2)}" fill="none" stroke="${SEAL_RED}" stroke-width="${num(ring)}"/>`);
  const innerX = cx - ring;
  const innerY = cy - ring;

  const name = chars(spec.name);
  const nameH = h * 0.15;
  const a = innerX - h * 0.02 - nameH / 2;
  const b = innerY - h * 0.02 - nameH / 2;
  if (name.length) {
    // From a little below the left end of the horizontal axis over the top to the right.
    const table = ellipseArc(a, b, 100 * DEG);
    const full = table[table.length - 1].s;
    const w0 = nameH * 0.78;
    const step = Math.min(full / name.length, Math.max(w0 / 0.85, nameH * 1.1));
    const cw = Math.min(w0, step * 0.88);
    const first = full / 2 - (step * name.length) / 2 + step / 2;
    let k = 0;
    name.forEach((ch, i) => {
      const target = first + i * step;
      while (k < table.length - 1 && table[k].s < target) k++;
      const t = table[k].t;
      const angle = Math.atan2(Math.sin(t) / a, Math.cos(t) / b);
      glyphs.push(placeGlyph(font, glyphFor(font, ch), cx + a * Math.sin(t), cy - b * Math.cos(t), cw, nameH, angle));
    });
  }

  const halfWidthAt = (y: number) => innerX * Math.sqrt(Math.max(0, 1 - (y / innerY) ** 2));
  const center = chars(spec.centerText);
  if (center.length) {
    // Between the two ends of the name, which come down to the horizontal axis.
    const ch = h * 0.1;
    row(font, center, cx, cy + h * 0.02, ch, 2 * (a - nameH * 0.6 - w * 0.02), 0.9, glyphs);
  }
  const lower = chars(spec.lowerText);
  if (lower.length) {
    const lh = h * 0.14;
    const ly = cy + h * 0.25;
    row(font, lower, cx, ly, lh, 2 * halfWidthAt(ly - cy + lh / 2) - w * 0.06, 0.92, glyphs);
  }
}

function drawSquare(font: opentype.Font, spec: SealPictureSpec, parts: string[], glyphs: Paths): void {
  const side = spec.diameterMm;
  const ring = side * 0.055;
  parts.push(`<rect x="${num(ring / 2)}" y="${num(ring / 2)}" width="${num(side - ring)}" height="${num(side - ring)}" fill="none" stroke="${SEAL_RED}" stroke-width="${num(ring)}"/>`);
  const pad = side * 0.03;
  const x0 = ring + pad;
  const inner = side - 2 * x0;
  const text = chars(spec.name);
  const n = text.length;
  if (!n) return;
  // Columns right to left, characters top to bottom in each column.
  const columns: string[][] =
    n === 1 ? [text] : n === 2 ? [[text[0]], [text[1]]] : n === 3 ? [[text[0]], [text[1], text[2]]] : splitColumns(text);
  const colW = inner / columns.length;
  const gap = side * 0.015;
  columns.forEach((col, c) => {
    const cellH = inner / col.length;
    const cxCol = side - x0 - colW * (c + 0.5);
    col.forEach((ch, r) => {
      const cyCell = x0 + cellH * (r + 0.5);
      glyphs.push(placeGlyph(font, glyphFor(font, ch), cxCol, cyCell, colW - gap, cellH - gap, 0));
    });
  });
}

function splitColumns(text: string[]): string[][] {
  const rows = Math.ceil(Math.sqrt(text.length));
  const cols: string[][] = [];
  for (let i = 0; i < text.length; i += rows) cols.push(text.slice(i, i + rows));
  return cols;
}

// ---------------------------------------------------------------------------------------------
// Public rendering

export function renderSealSvg(spec: SealPictureSpec): string {
  if (!(spec.diameterMm > 0 && spec.diameterMm <= 200) || (spec.heightMm !== undefined && !(spec.heightMm > 0 && spec.heightMm <= 200))) {
    throw new AppError("INVALID_INPUT", "印章尺寸无效");
  }
  const font = sealFont();
  const { widthMm, heightMm } = sizeOf(spec);
  const parts: string[] = [];
  const glyphs: Paths = [];
  if (spec.shape === "round") drawRound(font, spec, parts, glyphs);
  else if (spec.shape === "oval") drawOval(font, spec, parts, glyphs);
  else drawSquare(font, spec, parts, glyphs);
  const w = num(widthMm);
  const h = num(heightMm);
  return [
    `<?xml version="1.0" encoding="UTF-8"?>`,
    `<svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="${w}mm" height="${h}mm" viewBox="0 0 ${w} ${h}">`,
    ...parts,
    `<g class="text" fill="${SEAL_RED}">`,
    ...glyphs.map((d) => `<path class="glyph" d="${d}"/>`),
    `</g>`,
    `</svg>`,
    "",
  ].join("\n");
}

/** PNG of the picture at `dpi` (size = mm × dpi / 25.4), transparent background. */
export function renderSealPng(svg: string, dpi = 300): Buffer {
  const resvg = new Resvg(svg, { dpi, font: { loadSystemFonts: false }, shapeRendering: 2, imageRendering: 0 });
  return resvg.render().asPng();
}
