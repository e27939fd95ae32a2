// Line breaking for licence faces: measure with the embedded font, break between CJK characters
// anywhere and between Latin words at spaces, keep Chinese punctuation off the start of a line
// (避头) and opening brackets off its end (避尾), and cut what does not fit with "…".
import { textWidth, type SerifStyle } from "./fonts";

export const ELLIPSIS = "…";

/** May not start a line (closing punctuation, full- and half-width). */
const NO_LINE_START = new Set(Array.from("，。、；：？！）」』》〉】〕］｝’”…‥·・%％,.;:?!)]}"));
/** May not end a line (opening brackets and quotes). */
const NO_LINE_END = new Set(Array.from("（「『《〈【〔［｛‘“([{"));

/** Scripts written without spaces: each character is its own breakable unit. */
function isCjk(ch: string): boolean {
  const cp = ch.codePointAt(0)!;
  return (
    (cp >= 0x2e80 && cp <= 0x9fff) || // radicals, CJK punctuation, kana, unified ideographs
    (cp >= 0xac00 && cp <= 0xd7af) || // Hangul
    (cp >= 0xf900 && cp <= 0xfaff) || // compatibility ideographs
    (cp >= 0xfe30 && cp <= 0xfe4f) || // vertical forms
    (cp >= 0xff00 && cp <= 0xffef) || // full-width forms
    (cp >= 0x20000 && cp <= 0x3ffff) || // extensions B and later
    ch === "…" ||
    ch === "—"
  );
}

/**
 * Breakable units of one paragraph: single CJK characters, Latin words, and runs of spaces (which
 * are break opportunities and vanish at a line end). Punctuation is glued to its neighbour so that
 * no line starts with "，" or ends with "（".
 */
export function breakUnits(text: string): string[] {
  const raw: string[] = [];
  let word = "";
  const flush = () => {
    if (word) raw.push(word);
    word = "";
  };
  for (const ch of text) {
    if (ch === " " || ch === "\t") {
      flush();
      if (raw.length && raw[raw.length - 1].trim() === "") raw[raw.length - 1] += " ";
      else raw.push(" ");
    } else if (isCjk(ch) || NO_LINE_END.has(ch)) {
      flush();
      raw.push(ch);
    } else word += ch;
  }
  flush();

  const units: string[] = [];
  let pending = ""; // opening brackets waiting for the unit they belong to
  for (const u of raw) {
    const first = Array.from(u)[0];
    if (NO_LINE_END.has(u)) {
      pending += u;
    } else if (NO_LINE_START.has(first) && units.length && !pending && units[units.length - 1].trim() !== "") {
      units[units.length - 1] += u;
    } else {
      units.push(pending + u);
      pending = "";
    }
  }
  if (pending) units.push(pending);
  return units;
}

/**
 * Splits a unit wider than a whole line between characters (a long code, a URL). When the next
 * line would start with closing punctuation, the character before it moves down too, if the line
 * keeps at least one character.
 */
function hardSplit(unit: string, style: SerifStyle, size: number, maxWidth: number): string[] {
  const out: string[] = [];
  let cur: string[] = [];
  for (const ch of unit) {
    if (cur.length && textWidth(style, cur.join("") + ch, size) > maxWidth) {
      const carry = NO_LINE_START.has(ch) && cur.length > 1 ? cur.splice(-1) : [];
      out.push(cur.join(""));
      cur = [...carry, ch];
    } else cur.push(ch);
  }
  if (cur.length) out.push(cur.join(""));
  return out;
}

/**
 * Lines of `text` no wider than `maxWidth` points at `size`. "\n" forces a break. Widths of units
 * are summed, which equals the width of the joined line: the font has no kerning or ligatures
 * across the places we break (spaces and CJK characters).
 */
export function wrapText(text: string, style: SerifStyle, size: number, maxWidth: number): string[] {
  const lines: string[] = [];
  for (const paragraph of text.replace(/\r\n?/g, "\n").split("\n")) {
    let line = "";
    let width = 0;
    const push = () => {
      lines.push(line.trimEnd());
      line = "";
      width = 0;
    };
    for (const unit of breakUnits(paragraph)) {
      const blank = unit.trim() === "";
      if (blank && !line) continue; // no leading spaces on a line
      const w = textWidth(style, unit, size);
      if (width + w <= maxWidth || blank) {
        line += unit;
        width += w;
        continue;
      }
      if (line.trim()) push();
      else {
        line = "";
        width = 0;
      }
      if (w <= maxWidth) {
        line = unit;
        width = w;
      } else {
        const pieces = hardSplit(unit, style, size, maxWidth);
        for (const piece of pieces.slice(0, -1)) lines.push(piece);
        line = pieces[pieces.length - 1];
        width = textWidth(style, line, size);
      }
    }
    push();
  }
  return lines;
}

/** `line` shortened until `line + "…"` fits in `maxWidth`. */
export function ellipsize(line: string, style: SerifStyle, size: number, maxWidth: number): string {
  const chars = Array.from(line.trimEnd());
  while (chars.length && textWidth(style, chars.join("") + ELLIPSIS, size) > maxWidth) chars.pop();
  return chars.join("").trimEnd() + ELLIPSIS;
}

/** At most `maxLines` lines; when some were cut, the last kept line ends with "…". */
export function capLines(lines: string[], maxLines: number, style: SerifStyle, size: number, maxWidth: number): string[] {
  if (lines.length <= maxLines) return lines;
  const kept = lines.slice(0, Math.max(0, maxLines));
  if (kept.length) kept[kept.length - 1] = ellipsize(kept[kept.length - 1], style, size, maxWidth);
  return kept;
}

/** One line: the largest size in [minSize, maxSize] (0.5 pt steps) at which it fits, else cut with "…". */
export function fitOneLine(text: string, style: SerifStyle, maxSize: number, minSize: number, maxWidth: number): { text: string; size: number } {
  for (let size = maxSize; size >= minSize - 1e-9; size -= 0.5) {
    if (textWidth(style, text, size) <= maxWidth) return { text, size };
  }
  return { text: textWidth(style, text, minSize) <= maxWidth ? text : ellipsize(text, style, minSize, maxWidth), size: minSize };
}
