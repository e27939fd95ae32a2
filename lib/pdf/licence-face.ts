// Licence face renderer (L-01 face template, L-07 licence file): ONE renderer for the catalog's live
// preview and for the issued licence files. A face is a one-page, fixed-layout PDF (GB/T 36905
// accepts PDF as the fixed-layout file): a decorative double border, the title, the face fields,
// an optional photo, the issuer and date under the seal picture, a QR code to the verification page
// and the 电子证照标识.
//
// Text is set in Noto Serif SC (a Song face shipped with the project), embedded as a subset
// (fonts.ts); the identifier uses the font's half-width forms, so it is monospaced yet copies as
// plain text. Layout measures with the same font and features that draw, so nothing overflows.
// The output is deterministic — same input, same bytes — because a licence file must
// render the same every time: no dates or random ids in the document, a subset tag derived from the
// text, fixed resource names, and pdf-lib's seeded generator for everything else.
import { PDFDocument } from "pdf-lib";
import QRCode from "qrcode";
import { AppError } from "@/lib/errors";
import { textWidth, type SerifStyle } from "./fonts";
import { FaceCanvas, type CanvasImages, type Rgb } from "./licence-face-canvas";
import { embedImage, imageKind, type EmbeddedImage, type ImageKind } from "./licence-face-images";
import { capLines, ELLIPSIS, fitOneLine, wrapText } from "./licence-face-text";

export type FaceLayout = "PORTRAIT_CERT" | "LANDSCAPE_LICENCE" | "CARD";
/** One face field, already formatted (dates, masking) for display. `wide`: spans both columns. */
export type FaceLine = { label: string; value: string; wide?: boolean };
export type FaceInput = {
  layout: FaceLayout;
  /** 证照名称, e.g. "食品经营许可证" */
  title: string;
  /** e.g. "（副本）" or "样例" */
  subtitle?: string;
  /** 证照编号 */
  number?: string;
  /** Printed prominently under the title; do not repeat it in `lines`. */
  holderName?: string;
  lines: FaceLine[];
  /** PNG or JPEG for an IMAGE field (照片), drawn in the photo box, cropped to fill it. */
  photo?: Uint8Array;
  /** 发证机关 */
  issuer: string;
  /** display string, e.g. "2026年12月1日" */
  issueDate: string;
  /** Seal picture (PNG) drawn over the issuer/date block at its real size. */
  seal?: { png: Uint8Array; widthMm: number; heightMm: number };
  /** 电子证照标识, printed small at the bottom. */
  identifier?: string;
  /** Verification URL for the QR code (bottom left); omitted → no QR code. */
  qrText?: string;
  /** e.g. "样例 仅供预览", drawn diagonally in light grey over the face. */
  watermark?: string;
};

/** Page sizes: A4 portrait; A4 landscape like the business licence (营业执照); ID-1 card (ISO/IEC 7810). */
export const LAYOUT_SIZES: Record<FaceLayout, { widthMm: number; heightMm: number }> = {
  PORTRAIT_CERT: { widthMm: 210, heightMm: 297 },
  LANDSCAPE_LICENCE: { widthMm: 297, heightMm: 210 },
  CARD: { widthMm: 85.6, heightMm: 54 },
};

export const faceText = {
  layout: "未知的照面版式",
  photo: "照片不是有效的 PNG 或 JPEG 图片",
  seal: "印章图片不是有效的 PNG 图片",
  sealSize: "印章尺寸必须是大于 0 的毫米数",
  qr: "二维码内容过长，无法生成二维码",
  numberLabel: "编号：",
  numberField: "编号",
  qrCaption: "扫码核验",
  identifierLabel: "电子证照标识：",
} as const;

const invalid = (message: string) => new AppError("INVALID_INPUT", message);

// ---- units, colours ------------------------------------------------------------------------------

const PT_PER_MM = 72 / 25.4;
const mm = (v: number) => v * PT_PER_MM;

/** Traditional seal-paste red, a little darker than the seal picture (#d7261e) so the seal stands out. */
const FRAME_RED: Rgb = [0.62, 0.11, 0.13];
const INK: Rgb = [0.1, 0.1, 0.1];
const MUTED: Rgb = [0.33, 0.33, 0.33];
const PHOTO_FRAME: Rgb = [0.55, 0.55, 0.55];
const WATERMARK_GREY: Rgb = [0.45, 0.45, 0.45];
const WATERMARK_OPACITY = 0.2;

/**
 * Noto's ideographic em box runs from 880 units above the baseline to 120 below (OS/2 typo metrics):
 * the baseline that centres a line of `size` in a box of `lineHeight` starting at `top`.
 */
const EM_ASCENT = 0.88;
const baselineIn = (top: number, lineHeight: number, size: number) => top + (lineHeight - size) / 2 + EM_ASCENT * size;

// ---- per-layout style --------------------------------------------------------------------------------
// Lengths in mm, font sizes in pt.

type FaceStyle = {
  /** outer line inset from the page edge, its width, gap to the inner line, inner width, corner radius */
  border: { inset: number; outer: number; gap: number; inner: number; radius: number; ornament: number };
  /** content area: distance from the page edge */
  margin: { top: number; side: number; bottom: number };
  /** `tracking` (em) spreads short titles (≤ 6 characters) like 「营 业 执 照」 */
  title: { max: number; min: number; tracking: number; lineHeight: number; gapAfter: number };
  subtitle: number;
  /** `asField`: printed as the first field row (「编号：…」) instead of a header line */
  number: { size: number; align: "left" | "right" | "center"; asField: boolean };
  holder: { max: number; min: number; align: "left" | "center" };
  /** space between the header and the fields */
  headerGap: number;
  /** line height and gap between rows in em; the label column takes at most `labelMax` of a column */
  body: { max: number; min: number; lineHeight: number; rowGap: number; columns: 1 | 2; columnGap: number; labelMax: number };
  photo: { w: number; h: number; gap: number };
  /**
   * `qr` side; `caption` size, under the code or (`captionRight`) beside it; issuer/date size and
   * the share of the width it may take; `gap` above the footer; identifier size and minimum;
   * `sealFitsFooter`: the footer is as tall as the seal (else the seal may rise over the photo).
   */
  footer: { qr: number; caption: number; captionRight: boolean; issuer: number; issuerMaxWidth: number; gap: number; id: number; idMin: number; sealFitsFooter: boolean };
  /** a seal picture larger than this (either side) is scaled down to fit the layout */
  sealMax: number;
};

const STYLES: Record<FaceLayout, FaceStyle> = {
  PORTRAIT_CERT: {
    border: { inset: 10, outer: 1.2, gap: 1.4, inner: 0.35, radius: 0, ornament: 9 },
    margin: { top: 30, side: 26, bottom: 20 },
    title: { max: 32, min: 18, tracking: 0.5, lineHeight: 1.35, gapAfter: 3 },
    subtitle: 14,
    number: { size: 11, align: "right", asField: false },
    holder: { max: 20, min: 12, align: "center" },
    headerGap: 10,
    body: { max: 14, min: 9, lineHeight: 1.55, rowGap: 0.7, columns: 1, columnGap: 0, labelMax: 0.38 },
    photo: { w: 30, h: 40, gap: 8 },
    footer: { qr: 24, caption: 9, captionRight: false, issuer: 14, issuerMaxWidth: 0.5, gap: 8, id: 8, idMin: 5, sealFitsFooter: true },
    sealMax: 60,
  },
  LANDSCAPE_LICENCE: {
    border: { inset: 9, outer: 1.2, gap: 1.4, inner: 0.35, radius: 0, ornament: 9 },
    margin: { top: 20, side: 26, bottom: 17 },
    title: { max: 38, min: 20, tracking: 0.7, lineHeight: 1.3, gapAfter: 0 },
    subtitle: 14,
    number: { size: 11, align: "left", asField: false },
    holder: { max: 18, min: 12, align: "center" },
    headerGap: 6,
    body: { max: 12.5, min: 8, lineHeight: 1.5, rowGap: 0.55, columns: 2, columnGap: 14, labelMax: 0.36 },
    photo: { w: 30, h: 40, gap: 8 },
    footer: { qr: 24, caption: 9, captionRight: false, issuer: 13, issuerMaxWidth: 0.35, gap: 5, id: 8, idMin: 5, sealFitsFooter: true },
    sealMax: 50,
  },
  CARD: {
    border: { inset: 1.6, outer: 0.45, gap: 0.5, inner: 0.15, radius: 2.6, ornament: 0 },
    margin: { top: 4, side: 4.2, bottom: 3.4 },
    title: { max: 10, min: 6, tracking: 0.3, lineHeight: 1.3, gapAfter: 0.6 },
    subtitle: 6,
    number: { size: 6, align: "left", asField: true },
    holder: { max: 8, min: 6, align: "left" },
    headerGap: 0.4,
    body: { max: 6.5, min: 4.5, lineHeight: 1.45, rowGap: 0.35, columns: 1, columnGap: 0, labelMax: 0.42 },
    photo: { w: 18, h: 22.5, gap: 2.5 },
    footer: { qr: 10, caption: 4.5, captionRight: true, issuer: 6, issuerMaxWidth: 0.42, gap: 1.2, id: 4.2, idMin: 3, sealFitsFooter: false },
    sealMax: 20,
  },
};

export type Box = { x: number; y: number; w: number; h: number };

// ---- entry point ------------------------------------------------------------------------------------------

/** Renders the face as a one-page PDF. Same input → same bytes. */
export async function renderLicenceFace(input: FaceInput): Promise<Uint8Array> {
  const canvas = planLicenceFace(input);
  const doc = await PDFDocument.create({ updateMetadata: false });
  // Only constant metadata: no CreationDate/ModDate, which would change the bytes on every render.
  doc.setTitle(input.subtitle?.trim() ? `${input.title.trim()}${input.subtitle.trim()}` : input.title.trim());
  doc.setProducer("certseal");
  await canvas.renderPdf(doc, async (d): Promise<CanvasImages> => {
    const images: CanvasImages = {};
    // Photos are personal data: used once and not kept. Seal pictures repeat and are cached.
    if (input.photo) images.photo = await embedPicture(d, input.photo, imageKind(input.photo)!, false, faceText.photo);
    if (input.seal) images.seal = await embedPicture(d, input.seal.png, "png", true, faceText.seal);
    return images;
  });
  // A classic xref table (no object streams), so the file can be sealed by an incremental update
  // (sealed-pdf.ts) without being rewritten.
  return doc.save({ useObjectStreams: false, addDefaultPage: false, updateFieldAppearances: false });
}

/**
 * The face's drawing list in points (origin top left) without producing a PDF: what
 * renderLicenceFace draws, for tests that check placement. Checks the input (AppError).
 */
export function planLicenceFace(input: FaceInput): FaceCanvas {
  const style = STYLES[input.layout];
  if (!style) throw invalid(faceText.layout);
  const size = LAYOUT_SIZES[input.layout];
  const seal = input.seal ? checkSeal(input.seal) : undefined;
  if (input.photo && !imageKind(input.photo)) throw invalid(faceText.photo);
  const qr = input.qrText ? qrMatrix(input.qrText) : undefined;

  const canvas = new FaceCanvas(mm(size.widthMm), mm(size.heightMm));
  drawBorder(canvas, style);
  const content: Box = {
    x: mm(style.margin.side),
    y: mm(style.margin.top),
    w: canvas.width - 2 * mm(style.margin.side),
    h: canvas.height - mm(style.margin.top) - mm(style.margin.bottom),
  };
  const headerBottom = drawHeader(canvas, style, content, input);
  const footer = drawFooter(canvas, style, content, input, seal, qr);

  const fields: Box = { x: content.x, y: headerBottom + mm(style.headerGap), w: content.w, h: 0 };
  fields.h = footer.top - mm(style.footer.gap) - fields.y;
  let photo: Box | undefined;
  if (input.photo && fields.h > 0) {
    photo = photoBox(style, fields);
    canvas.image({ image: "photo", ...photo, fit: "cover" });
    canvas.rect({ ...photo, stroke: PHOTO_FRAME, lineWidth: 0.4 });
  }
  const rows: Row[] = input.lines.map((l) => ({ label: l.label.trim(), value: l.value.trim(), wide: Boolean(l.wide) }));
  if (style.number.asField && input.number?.trim()) rows.unshift({ label: faceText.numberField, value: input.number.trim(), wide: false });
  drawFields(canvas, style, fields, rows, photo);
  // Drawn after the fields and the photo: the seal covers whatever it overlaps, like a real stamp.
  if (footer.seal) canvas.image({ image: "seal", ...footer.seal });
  if (input.watermark?.trim()) drawWatermark(canvas, input.watermark.trim());
  return canvas;
}

/** The content area (inside the margins) of a layout, in points from the top left: nothing but the border is drawn outside it. */
export function faceContentBox(layout: FaceLayout): Box {
  const style = STYLES[layout];
  const size = LAYOUT_SIZES[layout];
  return { x: mm(style.margin.side), y: mm(style.margin.top), w: mm(size.widthMm - 2 * style.margin.side), h: mm(size.heightMm - style.margin.top - style.margin.bottom) };
}

// ---- inputs ---------------------------------------------------------------------------------------------------

function checkSeal(seal: NonNullable<FaceInput["seal"]>): NonNullable<FaceInput["seal"]> {
  if (![seal.widthMm, seal.heightMm].every((n) => Number.isFinite(n) && n > 0)) throw invalid(faceText.sealSize);
  if (imageKind(seal.png) !== "png") throw invalid(faceText.seal);
  return seal;
}

async function embedPicture(doc: PDFDocument, bytes: Uint8Array, kind: ImageKind, cache: boolean, message: string): Promise<EmbeddedImage> {
  try {
    return await embedImage(doc, bytes, kind, { cache });
  } catch {
    throw invalid(message);
  }
}

type QrMatrix = { size: number; dark: (row: number, col: number) => boolean };

function qrMatrix(text: string): QrMatrix {
  try {
    const { modules } = QRCode.create(text, { errorCorrectionLevel: "M" });
    return { size: modules.size, dark: (r, c) => Boolean(modules.get(r, c)) };
  } catch {
    throw invalid(faceText.qr);
  }
}

// ---- border -----------------------------------------------------------------------------------------------------

/**
 * A thick outer line and a thin inner line in frame red (the double rule of printed certificates),
 * with small corner brackets inside the inner line on the large layouts.
 */
function drawBorder(canvas: FaceCanvas, style: FaceStyle): void {
  const b = style.border;
  const outer = mm(b.inset) + mm(b.outer) / 2;
  canvas.rect({ x: outer, y: outer, w: canvas.width - 2 * outer, h: canvas.height - 2 * outer, radius: mm(b.radius), stroke: FRAME_RED, lineWidth: mm(b.outer) });
  const inner = mm(b.inset + b.outer + b.gap) + mm(b.inner) / 2;
  const innerRadius = Math.max(0, mm(b.radius) - (inner - outer));
  canvas.rect({ x: inner, y: inner, w: canvas.width - 2 * inner, h: canvas.height - 2 * inner, radius: innerRadius, stroke: FRAME_RED, lineWidth: mm(b.inner) });
  if (!b.ornament) return;

  // Corner brackets: an L of two thin bars plus a small solid square, 2 mm inside the inner line.
  const off = inner + mm(2);
  const len = mm(b.ornament);
  const t = mm(b.inner);
  const sq = mm(1.6);
  const corners: [number, number, 1 | -1, 1 | -1][] = [
    [off, off, 1, 1],
    [canvas.width - off, off, -1, 1],
    [off, canvas.height - off, 1, -1],
    [canvas.width - off, canvas.height - off, -1, -1],
  ];
  for (const [cx, cy, dx, dy] of corners) {
    canvas.rect({ x: dx > 0 ? cx : cx - len, y: dy > 0 ? cy : cy - t, w: len, h: t, fill: FRAME_RED });
    canvas.rect({ x: dx > 0 ? cx : cx - t, y: dy > 0 ? cy : cy - len, w: t, h: len, fill: FRAME_RED });
    const inset = mm(1.4);
    canvas.rect({ x: dx > 0 ? cx + inset : cx - inset - sq, y: dy > 0 ? cy + inset : cy - inset - sq, w: sq, h: sq, fill: FRAME_RED });
  }
}

// ---- header -------------------------------------------------------------------------------------------------------

function alignedX(align: "left" | "right" | "center", box: Box, width: number): number {
  return align === "left" ? box.x : align === "right" ? box.x + box.w - width : box.x + (box.w - width) / 2;
}

/** Draws `text` with `tracking` points between characters (per-character runs); returns nothing. */
function drawTracked(canvas: FaceCanvas, style: SerifStyle, text: string, x: number, baseline: number, size: number, tracking: number, color: Rgb): void {
  if (!tracking) {
    canvas.text({ style, text, x, baseline, size, color });
    return;
  }
  let cx = x;
  for (const ch of text) {
    canvas.text({ style, text: ch, x: cx, baseline, size, color });
    cx += textWidth(style, ch, size) + tracking;
  }
}

/** Title, subtitle, number and holder name from the top of `box`; returns the y below them. */
function drawHeader(canvas: FaceCanvas, style: FaceStyle, box: Box, input: FaceInput): number {
  let y = box.y;
  const title = fitTitle(input.title.trim(), style, box.w);
  const titleLh = title.size * style.title.lineHeight;
  drawTracked(canvas, "bold", title.text, box.x + (box.w - title.width) / 2, baselineIn(y, titleLh, title.size), title.size, title.tracking, INK);
  y += titleLh + mm(style.title.gapAfter);

  // The subtitle is centred; a number set flush left or right shares its line when both fit side by
  // side (as 统一社会信用代码 sits beside （副本） on a business licence), else goes on its own line.
  let subtitle: { text: string; size: number; width: number } | undefined;
  if (input.subtitle?.trim()) {
    const fit = fitOneLine(input.subtitle.trim(), "regular", style.subtitle, style.subtitle * 0.7, box.w);
    subtitle = { ...fit, width: textWidth("regular", fit.text, fit.size) };
  }
  let number: { text: string; size: number; width: number } | undefined;
  if (input.number?.trim() && !style.number.asField) {
    const fit = fitOneLine(`${faceText.numberLabel}${input.number.trim()}`, "regular", style.number.size, style.number.size * 0.7, box.w);
    number = { ...fit, width: textWidth("regular", fit.text, fit.size) };
  }
  const shareLine = subtitle && number && style.number.align !== "center" && number.width + mm(4) <= (box.w - subtitle.width) / 2;
  if (subtitle) {
    const lh = subtitle.size * 1.5;
    canvas.text({ style: "regular", text: subtitle.text, x: box.x + (box.w - subtitle.width) / 2, baseline: baselineIn(y, lh, subtitle.size), size: subtitle.size, color: INK });
    if (number && shareLine) {
      // Same baseline as the subtitle.
      canvas.text({ style: "regular", text: number.text, x: alignedX(style.number.align, box, number.width), baseline: baselineIn(y, lh, subtitle.size), size: number.size, color: INK });
    }
    y += lh;
  }
  if (number && !shareLine) {
    const lh = number.size * 1.6;
    canvas.text({ style: "regular", text: number.text, x: alignedX(style.number.align, box, number.width), baseline: baselineIn(y, lh, number.size), size: number.size, color: INK });
    y += lh;
  }
  if (input.holderName?.trim()) {
    const h = style.holder;
    const fit = fitOneLine(input.holderName.trim(), "bold", h.max, h.min, box.w);
    const lh = fit.size * 1.5;
    canvas.text({ style: "bold", text: fit.text, x: alignedX(h.align, box, textWidth("bold", fit.text, fit.size)), baseline: baselineIn(y, lh, fit.size), size: fit.size, color: INK });
    y += lh;
  }
  return y;
}

/** Largest title size that fits, spreading short titles; a title too long even at the minimum is cut. */
function fitTitle(text: string, style: FaceStyle, maxWidth: number): { text: string; size: number; tracking: number; width: number } {
  const { max, min, tracking } = style.title;
  const n = Array.from(text).length;
  const spreads = n <= 6 ? [tracking, tracking / 2, 0] : [0];
  for (let size = max; size >= min - 1e-9; size -= 0.5) {
    for (const t of spreads) {
      const width = textWidth("bold", text, size) + t * size * (n - 1);
      if (width <= maxWidth) return { text, size, tracking: t * size, width };
    }
  }
  const fit = fitOneLine(text, "bold", min, min, maxWidth);
  return { text: fit.text, size: min, tracking: 0, width: textWidth("bold", fit.text, min) };
}

// ---- footer -------------------------------------------------------------------------------------------------------

/**
 * From the bottom of `box` up: the identifier line, then the QR code (left) and the issuer/date block
 * (right). Returns the top of the footer and where the seal picture goes: centred over the issuer
 * and date, drawn last so that it also covers the corner of a photo that reaches down to it.
 */
function drawFooter(canvas: FaceCanvas, style: FaceStyle, box: Box, input: FaceInput, seal: FaceInput["seal"], qr: QrMatrix | undefined): { top: number; seal?: Box } {
  const f = style.footer;
  let bottom = box.y + box.h;

  if (input.identifier?.trim()) {
    const id = input.identifier.trim();
    // Fit by shrinking only: an identifier is never cut.
    let size = f.id;
    const width = (s: number) => textWidth("regular", faceText.identifierLabel, s) + textWidth("mono", id, s);
    while (size > f.idMin && width(size) > box.w) size -= 0.25;
    if (width(size) > box.w) size *= box.w / width(size);
    const lh = size * 1.4;
    const x = box.x + (box.w - width(size)) / 2;
    const baseline = baselineIn(bottom - lh, lh, size);
    canvas.text({ style: "regular", text: faceText.identifierLabel, x, baseline, size, color: MUTED });
    canvas.text({ style: "mono", text: id, x: x + textWidth("regular", faceText.identifierLabel, size), baseline, size, color: MUTED });
    bottom -= lh + mm(f.gap) / 2;
  }

  // Issuer and date, centred on each other; the block keeps room for the seal around its centre.
  const issuerW = box.w * f.issuerMaxWidth;
  const issuerLines = capLines(wrapText(input.issuer.trim(), "regular", f.issuer, issuerW), 2, "regular", f.issuer, issuerW);
  const dateFit = fitOneLine(input.issueDate.trim(), "regular", f.issuer, f.issuer * 0.7, issuerW);
  const lh = f.issuer * 1.6;
  const blockLines = [...issuerLines.map((text) => ({ text, size: f.issuer })), dateFit];
  const blockW = Math.max(...blockLines.map((l) => textWidth("regular", l.text, l.size)));
  const blockH = blockLines.length * lh;

  const sealSize = seal ? sealDisplaySize(seal, style) : undefined;
  const capLh = f.caption * 1.8;
  const qrBlock = qr ? mm(f.qr) + (f.captionRight ? 0 : capLh) : 0;
  const height = Math.max(qrBlock, blockH, sealSize && f.sealFitsFooter ? sealSize.h : 0);
  const top = bottom - height;

  const cx = box.x + box.w - Math.max(blockW, sealSize?.w ?? 0) / 2;
  const cy = top + height / 2;
  blockLines.forEach((l, i) => {
    canvas.text({ style: "regular", text: l.text, x: cx - textWidth("regular", l.text, l.size) / 2, baseline: baselineIn(cy - blockH / 2 + i * lh, lh, l.size), size: l.size, color: INK });
  });
  // The seal covers the issuer name and date, as a stamped paper licence does; it may rise above
  // the footer (card) but never sinks onto the identifier line.
  const sealBox = sealSize && { x: cx - sealSize.w / 2, y: Math.min(cy - sealSize.h / 2, bottom - sealSize.h), ...sealSize };

  if (qr) {
    const side = mm(f.qr);
    const qrTop = bottom - qrBlock;
    canvas.modules({ x: box.x, y: qrTop, module: side / qr.size, size: qr.size, dark: qr.dark, color: [0, 0, 0] });
    const cap = faceText.qrCaption;
    const [capX, capTop] = f.captionRight ? [box.x + side + f.caption * 0.6, qrTop + side - capLh] : [box.x + (side - textWidth("regular", cap, f.caption)) / 2, qrTop + side];
    canvas.text({ style: "regular", text: cap, x: capX, baseline: baselineIn(capTop, capLh, f.caption), size: f.caption, color: MUTED });
  }
  return { top, seal: sealBox };
}

/** The seal's real size, scaled down (keeping its proportions) only when larger than the layout allows. */
function sealDisplaySize(seal: NonNullable<FaceInput["seal"]>, style: FaceStyle): { w: number; h: number } {
  const k = Math.min(1, style.sealMax / seal.widthMm, style.sealMax / seal.heightMm);
  return { w: mm(seal.widthMm * k), h: mm(seal.heightMm * k) };
}

// ---- photo ----------------------------------------------------------------------------------------------------------

/** Photo box at the top right of the field area, shrunk (keeping 3:4) when the area is lower than the photo. */
function photoBox(style: FaceStyle, fields: Box): Box {
  const k = Math.max(0, Math.min(1, fields.h / mm(style.photo.h)));
  const w = mm(style.photo.w) * k;
  const h = mm(style.photo.h) * k;
  return { x: fields.x + fields.w - w, y: fields.y, w, h };
}

// ---- fields -----------------------------------------------------------------------------------------------------------

type Row = { label: string; value: string; wide: boolean };
type RowPlan = { labelLines: string[]; valueLines: string[]; x: number; y: number };
type FieldPlan = { rows: RowPlan[]; height: number; size: number; labelW: number; colonW: number };

const LABEL_STYLE: SerifStyle = "bold";
const VALUE_STYLE: SerifStyle = "regular";
const COLON = "：";
/** When the fields fit with room to spare, rows move apart by up to this much of a line height. */
const MAX_EXTRA_GAP = 0.45;

/**
 * Rows of "label：value" in one column, or two columns for the landscape licence (consecutive
 * non-wide rows are split column-major into balanced halves; wide rows span both). A row that
 * starts beside the photo stops short of it; rows below the photo use the full width. The font
 * shrinks from the style's maximum to its minimum until everything fits; if it still does not, the
 * longest values are cut to the same number of lines (with "…"), and as a last resort trailing rows
 * give way to a row of "……". Nothing is drawn outside `box`.
 */
function drawFields(canvas: FaceCanvas, style: FaceStyle, box: Box, rows: Row[], photo: Box | undefined): void {
  if (!rows.length || box.h <= 0) return;
  const plan = fitFields(rows, style, box, photo);
  const lh = plan.size * style.body.lineHeight;
  for (const row of plan.rows) {
    row.labelLines.forEach((text, i) => {
      drawLabel(canvas, text, row.x, baselineIn(row.y + i * lh, lh, plan.size), plan.size, plan.labelW, row.labelLines.length === 1);
    });
    if (row.labelLines.length) {
      canvas.text({ style: LABEL_STYLE, text: COLON, x: row.x + plan.labelW, baseline: baselineIn(row.y, lh, plan.size), size: plan.size, color: INK });
    }
    const vx = row.x + (row.labelLines.length ? plan.labelW + plan.colonW : 0);
    row.valueLines.forEach((text, i) => {
      canvas.text({ style: VALUE_STYLE, text, x: vx, baseline: baselineIn(row.y + i * lh, lh, plan.size), size: plan.size, color: INK });
    });
  }
}

const ALL_CJK = /^[\u3400-\u9fff\uf900-\ufaff]+$/u;

/**
 * A one-line label of 2–5 Chinese characters is spread across the label column (「名　　称」), as
 * printed licences align their labels; other labels are set flush left.
 */
function drawLabel(canvas: FaceCanvas, text: string, x: number, baseline: number, size: number, width: number, single: boolean): void {
  const chars = Array.from(text);
  const natural = textWidth(LABEL_STYLE, text, size);
  if (single && ALL_CJK.test(text) && chars.length >= 2 && chars.length <= 5 && natural < width) {
    drawTracked(canvas, LABEL_STYLE, text, x, baseline, size, (width - natural) / (chars.length - 1), INK);
  } else canvas.text({ style: LABEL_STYLE, text, x, baseline, size, color: INK });
}

function fitFields(rows: Row[], style: FaceStyle, box: Box, photo?: Box): FieldPlan {
  const b = style.body;
  const wraps: WrapCache = new Map();
  const plan = (list: Row[], size: number, cap: number, extra = 0) => planFields(list, style, box, photo, size, cap, extra, wraps);
  const fits = (p: FieldPlan) => p.height <= box.h + 1e-6;
  for (let size = b.max; size > b.min + 1e-9; size -= 0.5) {
    const p = plan(rows, size, Infinity);
    if (fits(p)) return size === b.max ? spread(p, (extra) => plan(rows, size, Infinity, extra), fits) : p;
  }
  const full = plan(rows, b.min, Infinity);
  if (fits(full)) return full;
  // The height grows with the line cap and with the number of rows kept: bisect both.
  const most = Math.max(...full.rows.map((r) => r.valueLines.length));
  const cap = largest(1, most - 1, (c) => fits(plan(rows, b.min, c)));
  if (cap !== undefined) return plan(rows, b.min, cap);
  // Not even one line per row fits: keep the first rows and end with a row of "……".
  const kept = (keep: number) => plan([...rows.slice(0, keep), { label: "", value: ELLIPSIS + ELLIPSIS, wide: true }], b.min, 1);
  const keep = largest(0, rows.length - 1, (k) => fits(kept(k)));
  return keep !== undefined ? kept(keep) : { rows: [], height: 0, size: b.min, labelW: 0, colonW: 0 };
}

/** The largest n in [lo, hi] with ok(n), for ok true up to some n and false after it. */
function largest(lo: number, hi: number, ok: (n: number) => boolean): number | undefined {
  let found: number | undefined;
  while (lo <= hi) {
    const mid = Math.floor((lo + hi) / 2);
    if (ok(mid)) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

/** The largest extra row gap (up to MAX_EXTRA_GAP line heights) that still fits, by bisection. */
function spread(plan: FieldPlan, replan: (extra: number) => FieldPlan, fits: (p: FieldPlan) => boolean): FieldPlan {
  let best = plan;
  let lo = 0;
  let hi = plan.size * MAX_EXTRA_GAP;
  for (let i = 0; i < 8; i++) {
    const mid = (lo + hi) / 2;
    const p = replan(mid);
    if (fits(p)) {
      best = p;
      lo = mid;
    } else hi = mid;
  }
  return best;
}

/** Wrapped lines by text, style, size and width: the fitting tries many plans over the same rows. */
type WrapCache = Map<string, string[]>;

function cachedWrap(cache: WrapCache, text: string, style: SerifStyle, size: number, width: number): string[] {
  const key = `${style}|${size}|${width}|${text}`;
  let lines = cache.get(key);
  if (!lines) {
    lines = wrapText(text, style, size, width);
    cache.set(key, lines);
  }
  return lines;
}

function planFields(rows: Row[], style: FaceStyle, box: Box, photo: Box | undefined, size: number, cap: number, extraGap: number, wraps: WrapCache): FieldPlan {
  const b = style.body;
  const lh = size * b.lineHeight;
  const gap = size * b.rowGap + extraGap * b.lineHeight;
  const twoColumns = b.columns === 2;
  const colGap = mm(b.columnGap);
  const colW = twoColumns ? (box.w - colGap) / 2 : box.w;
  const colonW = textWidth(LABEL_STYLE, COLON, size);
  const labelW = Math.min(Math.max(0, ...rows.map((r) => textWidth(LABEL_STYLE, r.label, size))), colW * b.labelMax);
  const photoLeft = photo ? photo.x - mm(style.photo.gap) : Infinity;

  // Wrapping depends only on the row and the width it gets.
  const memo = new Map<string, { labelLines: string[]; valueLines: string[]; height: number }>();
  const measure = (i: number, width: number) => {
    const key = `${i}:${width}`;
    let m = memo.get(key);
    if (!m) {
      const r = rows[i];
      const labelLines = r.label ? cachedWrap(wraps, r.label, LABEL_STYLE, size, labelW) : [];
      const valueW = Math.max(size, width - (r.label ? labelW + colonW : 0));
      const valueLines = capLines(cachedWrap(wraps, r.value, VALUE_STYLE, size, valueW), cap, VALUE_STYLE, size, valueW);
      m = { labelLines, valueLines, height: Math.max(labelLines.length, valueLines.length, 1) * lh };
      memo.set(key, m);
    }
    return m;
  };
  /** Rows stacked from (x, y); each gets `width`, less where it would run into the photo. */
  const stack = (indices: number[], x: number, y: number, width: number) => {
    const placed: RowPlan[] = [];
    for (const i of indices) {
      const beside = photo !== undefined && y < photo.y + photo.h && x + width > photoLeft;
      const m = measure(i, beside ? photoLeft - x : width);
      placed.push({ labelLines: m.labelLines, valueLines: m.valueLines, x, y });
      y += m.height + gap;
    }
    return { placed, end: y };
  };

  const out: RowPlan[] = [];
  let y = box.y;
  let i = 0;
  while (i < rows.length) {
    if (!twoColumns || rows[i].wide) {
      const { placed, end } = stack([i++], box.x, y, box.w);
      out.push(...placed);
      y = end;
      continue;
    }
    // A run of ordinary rows: column-major into two columns of balanced height.
    let j = i;
    while (j < rows.length && !rows[j].wide) j++;
    const run = Array.from({ length: j - i }, (_, k) => i + k);
    let best: { placed: RowPlan[]; end: number } | undefined;
    for (let k = Math.ceil(run.length / 2); k <= run.length; k++) {
      const left = stack(run.slice(0, k), box.x, y, colW);
      const right = stack(run.slice(k), box.x + colW + colGap, y, colW);
      const end = Math.max(left.end, right.end);
      if (!best || end < best.end - 1e-6) best = { placed: [...left.placed, ...right.placed], end };
    }
    out.push(...best!.placed);
    y = best!.end;
    i = j;
  }
  return { rows: out, height: y - box.y - (out.length ? gap : 0), size, labelW, colonW };
}

// ---- watermark ----------------------------------------------------------------------------------------------------------

/** One line across the middle of the page, along the diagonal (at most 45°), light grey and translucent. */
function drawWatermark(canvas: FaceCanvas, text: string): void {
  const { width: W, height: H } = canvas;
  const angle = Math.min(Math.atan2(H, W), Math.PI / 4);
  const diagonal = Math.min(W / Math.cos(angle), H / Math.sin(angle));
  const unit = textWidth("bold", text, 1);
  const size = Math.min((diagonal * 0.62) / unit, H * 0.16);
  const w = unit * size;
  // Start of the baseline so that the middle of the em box lands on the page centre (PDF space, y up).
  const [cos, sin] = [Math.cos(angle), Math.sin(angle)];
  const rise = (EM_ASCENT - 0.5) * size;
  const sx = W / 2 - (w / 2) * cos + rise * sin;
  const sy = H / 2 - (w / 2) * sin - rise * cos;
  canvas.text({ style: "bold", text, x: sx, baseline: H - sy, size, color: WATERMARK_GREY, angle: (angle * 180) / Math.PI, opacity: WATERMARK_OPACITY });
}
