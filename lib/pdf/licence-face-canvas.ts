// A small drawing list for licence faces, turned into one PDF page with pdf-lib.
//
// Layout code records operations in points with the origin at the TOP-left (how one thinks about a
// face); `renderPdf` flips them into PDF space. Recording first means every string is known before
// the fonts are embedded, which is what a deterministic subset tag needs (fonts.ts).
//
// The content stream is written with pdf-lib's low-level operators rather than page.drawText:
// drawText adds a new font resource entry on every call, and we want fixed, readable resource names
// (/FR, /FB, /Photo, /Seal) and one BT…ET per text run.
import {
  appendBezierCurve,
  beginText,
  clip,
  closePath,
  concatTransformationMatrix,
  drawObject,
  endPath,
  endText,
  fill,
  lineTo,
  moveTo,
  PDFDocument,
  PDFName,
  PDFOperator,
  PDFOperatorNames,
  popGraphicsState,
  pushGraphicsState,
  rectangle,
  setFillingRgbColor,
  setFontAndSize,
  setGraphicsState,
  setLineWidth,
  setStrokingRgbColor,
  setTextMatrix,
  showText,
  stroke,
  type PDFFont,
  type PDFPage,
} from "pdf-lib";
import { embedSerif, type SerifStyle } from "./fonts";
import type { EmbeddedImage } from "./licence-face-images";

export type Rgb = readonly [number, number, number];

export type TextOp = {
  kind: "text";
  style: SerifStyle;
  text: string;
  /** left end of the baseline */
  x: number;
  baseline: number;
  size: number;
  color: Rgb;
  /** Rotation in degrees, counter-clockwise, about (x, baseline); with `opacity` for watermarks. */
  angle?: number;
  opacity?: number;
};
export type RectOp = { kind: "rect"; x: number; y: number; w: number; h: number; radius?: number; fill?: Rgb; stroke?: Rgb; lineWidth?: number };
/** `fit: "cover"` scales the picture to fill the box, keeping its proportions, and clips the overflow. */
export type ImageOp = { kind: "image"; image: "photo" | "seal"; x: number; y: number; w: number; h: number; fit?: "cover" };
export type ModulesOp = { kind: "modules"; x: number; y: number; module: number; size: number; dark: (row: number, col: number) => boolean; color: Rgb };
export type Op = TextOp | RectOp | ImageOp | ModulesOp;

export type CanvasImages = { photo?: EmbeddedImage; seal?: EmbeddedImage };

const FONT_KEYS: Record<SerifStyle, string> = { regular: "FR", bold: "FB", mono: "FM" };
const IMAGE_KEYS: Record<ImageOp["image"], string> = { photo: "Photo", seal: "Seal" };
/** Bezier handle length for a quarter circle. */
const KAPPA = 0.5522847498;

/** Coordinates rounded to 1/1000 pt: far below anything visible, and a shorter content stream. */
const r3 = (n: number) => {
  const v = Math.round(n * 1000) / 1000;
  return Object.is(v, -0) ? 0 : v;
};

export class FaceCanvas {
  readonly ops: Op[] = [];
  constructor(
    readonly width: number,
    readonly height: number,
  ) {}

  text(op: Omit<TextOp, "kind">): void {
    if (op.text) this.ops.push({ kind: "text", ...op });
  }
  rect(op: Omit<RectOp, "kind">): void {
    this.ops.push({ kind: "rect", ...op });
  }
  image(op: Omit<ImageOp, "kind">): void {
    this.ops.push({ kind: "image", ...op });
  }
  modules(op: Omit<ModulesOp, "kind">): void {
    this.ops.push({ kind: "modules", ...op });
  }

  /** Strings drawn in each style (for subset tags), in drawing order. */
  strings(style: SerifStyle): string[] {
    return this.ops.filter((o): o is TextOp => o.kind === "text" && o.style === style).map((o) => o.text);
  }

  async renderPdf(doc: PDFDocument, embedImages: (doc: PDFDocument) => Promise<CanvasImages>): Promise<PDFPage> {
    const fonts: Partial<Record<SerifStyle, PDFFont>> = {};
    for (const style of ["regular", "bold", "mono"] as const) {
      const drawn = this.strings(style);
      if (drawn.length) fonts[style] = await embedSerif(doc, style, drawn);
    }
    const images = await embedImages(doc);
    const page = doc.addPage([this.width, this.height]);
    for (const [style, font] of Object.entries(fonts) as [SerifStyle, PDFFont][]) page.node.setFontDictionary(PDFName.of(FONT_KEYS[style]), font.ref);
    for (const [key, image] of Object.entries(images) as [ImageOp["image"], EmbeddedImage | undefined][])
      if (image) page.node.setXObject(PDFName.of(IMAGE_KEYS[key]), image.ref);

    const out: PDFOperator[] = [];
    const opacities = new Map<number, string>();
    const H = this.height;
    for (const op of this.ops) {
      switch (op.kind) {
        case "rect":
          out.push(...rectOps(op, H));
          break;
        case "image":
          out.push(...imageOps(op, H, images[op.image]));
          break;
        case "modules":
          out.push(...moduleOps(op, H));
          break;
        case "text": {
          const font = fonts[op.style]!;
          let gs: string | undefined;
          if (op.opacity !== undefined && op.opacity < 1) {
            gs = opacities.get(op.opacity);
            if (!gs) {
              gs = `GS${opacities.size + 1}`;
              opacities.set(op.opacity, gs);
              page.node.setExtGState(PDFName.of(gs), doc.context.obj({ Type: "ExtGState", ca: op.opacity, CA: op.opacity }));
            }
          }
          out.push(...textOps(font, op, H, gs));
          break;
        }
      }
    }
    page.pushOperators(...out);
    return page;
  }
}

function rectOps(op: RectOp, H: number): PDFOperator[] {
  const x = op.x;
  const y = H - op.y - op.h; // bottom edge in PDF space
  const out: PDFOperator[] = [pushGraphicsState()];
  if (op.fill) out.push(setFillingRgbColor(...op.fill));
  if (op.stroke) out.push(setStrokingRgbColor(...op.stroke), setLineWidth(r3(op.lineWidth ?? 1)));
  const r = Math.min(op.radius ?? 0, op.w / 2, op.h / 2);
  if (r > 0) {
    const k = r * KAPPA;
    const [x0, y0, x1, y1] = [x, y, x + op.w, y + op.h];
    out.push(
      moveTo(r3(x0 + r), r3(y0)),
      lineTo(r3(x1 - r), r3(y0)),
      appendBezierCurve(r3(x1 - r + k), r3(y0), r3(x1), r3(y0 + r - k), r3(x1), r3(y0 + r)),
      lineTo(r3(x1), r3(y1 - r)),
      appendBezierCurve(r3(x1), r3(y1 - r + k), r3(x1 - r + k), r3(y1), r3(x1 - r), r3(y1)),
      lineTo(r3(x0 + r), r3(y1)),
      appendBezierCurve(r3(x0 + r - k), r3(y1), r3(x0), r3(y1 - r + k), r3(x0), r3(y1 - r)),
      lineTo(r3(x0), r3(y0 + r)),
      appendBezierCurve(r3(x0), r3(y0 + r - k), r3(x0 + r - k), r3(y0), r3(x0 + r), r3(y0)),
      closePath(),
    );
  } else out.push(rectangle(r3(x), r3(y), r3(op.w), r3(op.h)));
  out.push(op.fill && op.stroke ? PDFOperator.of(PDFOperatorNames.FillNonZeroAndStroke) : op.fill ? fill() : stroke());
  out.push(popGraphicsState());
  return out;
}

function imageOps(op: ImageOp, H: number, image: EmbeddedImage | undefined): PDFOperator[] {
  if (!image) return [];
  const out: PDFOperator[] = [pushGraphicsState()];
  let { x, y, w, h } = op;
  if (op.fit === "cover") {
    out.push(rectangle(r3(x), r3(H - y - h), r3(w), r3(h)), clip(), endPath());
    const k = Math.max(w / image.width, h / image.height);
    [x, y, w, h] = [x + (w - image.width * k) / 2, y + (h - image.height * k) / 2, image.width * k, image.height * k];
  }
  out.push(concatTransformationMatrix(r3(w), 0, 0, r3(h), r3(x), r3(H - y - h)), drawObject(IMAGE_KEYS[op.image]), popGraphicsState());
  return out;
}

/** Dark modules as one path of rectangles (runs of a row merged) and a single fill: vector, no seams. */
function moduleOps(op: ModulesOp, H: number): PDFOperator[] {
  const out: PDFOperator[] = [pushGraphicsState(), setFillingRgbColor(...op.color)];
  const m = op.module;
  for (let row = 0; row < op.size; row++) {
    let col = 0;
    while (col < op.size) {
      if (!op.dark(row, col)) {
        col++;
        continue;
      }
      const start = col;
      while (col < op.size && op.dark(row, col)) col++;
      out.push(rectangle(r3(op.x + start * m), r3(H - op.y - (row + 1) * m), r3((col - start) * m), r3(m)));
    }
  }
  out.push(fill(), popGraphicsState());
  return out;
}

function textOps(font: PDFFont, op: TextOp, H: number, gs: string | undefined): PDFOperator[] {
  const out: PDFOperator[] = [pushGraphicsState()];
  if (gs) out.push(setGraphicsState(gs));
  out.push(setFillingRgbColor(...op.color), beginText(), setFontAndSize(FONT_KEYS[op.style], r3(op.size)));
  const a = ((op.angle ?? 0) * Math.PI) / 180;
  const [cos, sin] = [Math.cos(a), Math.sin(a)];
  out.push(setTextMatrix(r3(cos), r3(sin), r3(-sin), r3(cos), r3(op.x), r3(H - op.baseline)));
  out.push(showText(font.encodeText(op.text)));
  out.push(endText(), popGraphicsState());
  return out;
}
