// The Chinese font shipped with the project for PDFs (L-07: "a Chinese font shipped in the project,
// subset into the PDF"): Noto Serif SC, a Song (宋体) face, from @expo-google-fonts/noto-serif-sc —
// the same package lib/seals/picture.ts draws seal text with, found the same way.
//
// Each TTF is ~15 MB with 30,000 glyphs. It is read and parsed ONCE per process and the parsed
// fontkit Font is handed to every PDFDocument through `sharedFontkit`, so a render does not pay
// ~120 ms per weight to re-parse the file (pdf-lib's embedFont calls `fontkit.create(bytes)` on
// every document). Sharing is safe: fontkit's layout and glyph caches are pure functions of the
// font, and each document's subset (`font.createSubset()`) is its own object.
import { createHash } from "node:crypto";
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import fontkit from "@pdf-lib/fontkit";
import type { Font } from "@pdf-lib/fontkit";
import type { PDFDocument, PDFFont } from "pdf-lib";

/**
 * The styles text is set in: regular and bold, and "mono" — the regular font with its half-width
 * forms (OpenType `hwid`: every digit, letter and "." exactly 0.5 em), for codes such as the
 * 电子证照标识 that should line up like typewriter text yet copy and search as plain text.
 */
export type SerifStyle = "regular" | "bold" | "mono";
type FontFile = "regular" | "bold";

const FONT_PACKAGE = "@expo-google-fonts/noto-serif-sc";
const FONT_FILES: Record<FontFile, string> = {
  regular: "400Regular/NotoSerifSC_400Regular.ttf",
  bold: "700Bold/NotoSerifSC_700Bold.ttf",
};
const STYLE_FILE: Record<SerifStyle, FontFile> = { regular: "regular", bold: "bold", mono: "regular" };

type Loaded = { bytes: Uint8Array; font: Font };
const cache = new Map<FontFile, Loaded>();

function fontFilePath(file: FontFile): string {
  const name = `${FONT_PACKAGE}/${FONT_FILES[file]}`;
  try {
    return createRequire(import.meta.url).resolve(/* turbopackIgnore: true */ name);
  } catch {
    return path.join(process.cwd(), "node_modules", name);
  }
}

function load(file: FontFile): Loaded {
  let hit = cache.get(file);
  if (!hit) {
    const buf = fs.readFileSync(fontFilePath(file));
    const data = buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength);
    const bytes = new Uint8Array(data);
    // Given an ArrayBuffer, fontkit's bundled Buffer wraps it; given a Uint8Array it copies the
    // 15 MB byte by byte in JavaScript (~250 ms). The typings only admit Uint8Array.
    const font = fontkit.create(data as unknown as Uint8Array);
    patchSubsetting(font);
    hit = { bytes, font };
    cache.set(file, hit);
  }
  return hit;
}

/**
 * @pdf-lib/fontkit 1.1.1 writes broken TrueType subsets: it copies each glyph record at its source
 * length and, when the subset is under 128 KiB, picks the short `loca` format, which stores offsets
 * halved — so after the first odd-length record every following glyph points one byte off and
 * renders blank or garbled (most of a Chinese line disappears; pdf-lib issue 1232, fixed in upstream
 * fontkit 1.8 by foliojs/fontkit#191). We pad every glyph record to an even length, which is what
 * the short format requires (OpenType `loca`: "the actual local offset divided by 2"), on each
 * subset this font creates. Rendering twice and comparing pixels is covered by the face tests.
 */
type TtfSubsetInternals = { cff?: unknown; glyf: Uint8Array[]; offset: number; _addGlyph?: (this: TtfSubsetInternals, gid: number) => number };

function patchSubsetting(font: Font): void {
  const createSubset = font.createSubset.bind(font);
  font.createSubset = () => {
    const subset = createSubset();
    const s = subset as unknown as TtfSubsetInternals;
    const addGlyph = s._addGlyph;
    if (s.cff !== undefined || typeof addGlyph !== "function") return subset; // CFF: no glyf records
    s._addGlyph = function (gid: number): number {
      const index = addGlyph.call(this, gid);
      const record = this.glyf[index];
      if (record.length % 2) {
        // The same Buffer class as the record: fontkit's bundled stream accepts only its own buffers.
        const padded = (record.constructor as unknown as { alloc(size: number): Uint8Array }).alloc(record.length + 1);
        padded.set(record);
        this.glyf[index] = padded;
        this.offset += 1;
      }
      return index;
    };
    return subset;
  };
}

/** The parsed font of a style, for measuring text before anything is embedded. */
export function serifFont(style: SerifStyle): Font {
  return load(STYLE_FILE[style]).font;
}

/** Size of the style's TTF file in bytes (tests compare the embedded subset against it). */
export function serifFontFileSize(style: SerifStyle): number {
  return load(STYLE_FILE[style]).bytes.byteLength;
}

/**
 * A fontkit for `PDFDocument.registerFontkit` that returns the cached parse for our font files and
 * defers to the real fontkit for any other bytes.
 */
export const sharedFontkit = {
  create(buffer: Uint8Array, postscriptName?: string): Font {
    for (const { bytes, font } of cache.values()) if (bytes === buffer) return font;
    return fontkit.create(buffer, postscriptName);
  },
};

/**
 * OpenType features for every layout, measuring and drawing alike. The default substitutions
 * (ccmp, locl, liga, calt …) stay on: they choose the glyphs. The positioning features are off:
 * pdf-lib draws with glyph advances and ignores GPOS adjustments anyway, and this font's kerning
 * tables make a layout ~9 times slower (2.7 ms instead of 0.3 ms for a 90-character line).
 * A fresh object every time: fontkit writes the features it applied back into the object it is
 * given, which would make one document's layouts depend on the previous ones.
 */
export function layoutFeatures(style: SerifStyle): Record<string, boolean> {
  return style === "mono" ? { kern: false, mark: false, mkmk: false, hwid: true } : { kern: false, mark: false, mkmk: false };
}

/**
 * Advance width of `text` at `size` points, exactly as pdf-lib measures and draws it (fontkit
 * layout with `layoutFeatures`, sum of glyph advances).
 */
export function textWidth(style: SerifStyle, text: string, size: number): number {
  if (!text) return 0;
  const font = serifFont(style);
  const key = `${style}\0${text}`;
  let units = widthCache.get(key);
  if (units === undefined) {
    units = 0;
    for (const g of font.layout(text, layoutFeatures(style)).glyphs) units += g.advanceWidth;
    // Line breaking measures the same characters and words over and over; short strings are cached.
    if (text.length <= 16) {
      if (widthCache.size >= WIDTH_CACHE_MAX) widthCache.clear();
      widthCache.set(key, units);
    }
  }
  return (units / font.unitsPerEm) * size;
}

const WIDTH_CACHE_MAX = 50_000;
const widthCache = new Map<string, number>();

/** Characters the font has no glyph for (they would print as an empty box). */
export function missingCharacters(text: string): string[] {
  const font = serifFont("regular");
  const out = new Set<string>();
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    if (cp > 0x20 && !font.hasGlyphForCodePoint(cp)) out.add(ch);
  }
  return [...out];
}

/**
 * PDF 32000-1 §9.6.4: a subset font's name starts with a six-letter upper-case tag and "+". pdf-lib
 * names fonts with a pseudo-random suffix instead and never adds a tag, so we derive the tag from
 * the font and the exact set of characters drawn with it: the same text gives the same tag (the file
 * stays deterministic), different subsets get different tags, as the standard asks.
 */
export function subsetTag(style: SerifStyle, drawn: Iterable<string>): string {
  const chars = [...new Set([...drawn].flatMap((s) => Array.from(s)))].sort();
  const digest = createHash("sha256").update(style).update("\0").update(FONT_FILES[STYLE_FILE[style]]).update("\0").update(chars.join("")).digest();
  return Array.from(digest.subarray(0, 6), (b) => String.fromCharCode(65 + (b % 26))).join("");
}

/**
 * Embeds the style as a subset named `TAG+PostScriptName`; `drawn` must be every string that will
 * be drawn with it (only for the tag; the subset itself holds exactly the glyphs actually encoded).
 */
export async function embedSerif(doc: PDFDocument, style: SerifStyle, drawn: Iterable<string>): Promise<PDFFont> {
  const { bytes, font } = load(STYLE_FILE[style]);
  doc.registerFontkit(sharedFontkit);
  const name = `${subsetTag(style, drawn)}+${font.postscriptName ?? "NotoSerifSC"}`;
  return doc.embedFont(bytes, { subset: true, customName: name, features: layoutFeatures(style) });
}
