// Licence faces (L-01 face template preview, L-07 licence file): page sizes, byte-for-byte
// determinism, the Chinese font embedded as an intact subset with a ToUnicode map, long values kept
// inside the border, and the QR code, seal, photo and watermark drawn only when given.
import { Resvg } from "@resvg/resvg-js";
import fontkit from "@pdf-lib/fontkit";
import { decodePDFRawStream, PDFArray, PDFDict, PDFDocument, PDFName, PDFNumber, PDFRawStream, PDFRef, type PDFObject } from "pdf-lib";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { AppError } from "@/lib/errors";
import { layoutFeatures, missingCharacters, serifFont, serifFontFileSize, subsetTag, textWidth } from "./fonts";
import type { TextOp } from "./licence-face-canvas";
import { faceContentBox, LAYOUT_SIZES, planLicenceFace, renderLicenceFace, type FaceInput, type FaceLayout } from "./licence-face";
import { embedSignature, extractSignature } from "./sealed-pdf";

const LAYOUTS: FaceLayout[] = ["PORTRAIT_CERT", "LANDSCAPE_LICENCE", "CARD"];
const pt = (mm: number) => (mm * 72) / 25.4;

const sealPng = new Uint8Array(
  new Resvg(
    `<svg xmlns="http://www.w3.org/2000/svg" width="240" height="240"><circle cx="120" cy="120" r="110" fill="none" stroke="#d7261e" stroke-width="12"/>` +
      `<polygon points="120,60 134,102 178,102 142,128 156,170 120,144 84,170 98,128 62,102 106,102" fill="#d7261e"/></svg>`,
  )
    .render()
    .asPng(),
);
const photoPng = new Uint8Array(
  new Resvg(`<svg xmlns="http://www.w3.org/2000/svg" width="60" height="80"><rect width="60" height="80" fill="#dfe8f3"/><circle cx="30" cy="30" r="14" fill="#8a99ab"/></svg>`).render().asPng(),
);
/** A 6 × 8 baseline JPEG. */
const photoJpeg = new Uint8Array(
  Buffer.from(
    "/9j/2wBDAAoHBwgHBgoICAgLCgoLDhgQDg0NDh0VFhEYIx8lJCIfIiEmKzcvJik0KSEiMEExNDk7Pj4+JS5ESUM8SDc9Pjv/2wBDAQoLCw4NDhwQEBw7KCIoOzs7Ozs7Ozs7Ozs7Ozs7Ozs7Ozs7Ozs7Ozs7Ozs7Ozs7Ozs7Ozs7Ozs7Ozs7Ozs7Ozv/wAARCAAIAAYDASIAAhEBAxEB/8QAFQABAQAAAAAAAAAAAAAAAAAAAAX/xAAUEAEAAAAAAAAAAAAAAAAAAAAA/8QAFAEBAAAAAAAAAAAAAAAAAAAABP/EABQRAQAAAAAAAAAAAAAAAAAAAAD/2gAMAwEAAhEDEQA/AL4Bwr//2Q==",
    "base64",
  ),
);

const IDENTIFIER = "1.2.156.3005.2.11100000000013338W032.11220000013544541J.2430599.001.F";

function sample(layout: FaceLayout, over: Partial<FaceInput> = {}): FaceInput {
  return {
    layout,
    title: "食品经营许可证",
    subtitle: "（副本）",
    number: "JY15101040012345",
    holderName: "成都市锦江区老码头火锅餐饮有限公司",
    lines: [
      { label: "统一社会信用代码", value: "91510104MA61XXXX7K" },
      { label: "法定代表人", value: "王**" },
      { label: "住所", value: "四川省成都市锦江区春熙路南段8号1栋3层301号" },
      { label: "有效期至", value: "2031年11月30日" },
      { label: "经营项目", value: "热食类食品制售；冷食类食品制售（不含生食）；自制饮品制售（不含自酿酒）。", wide: true },
    ],
    issuer: "成都市锦江区市场监督管理局",
    issueDate: "2026年12月1日",
    seal: { png: sealPng, widthMm: 42, heightMm: 42 },
    identifier: IDENTIFIER,
    qrText: `https://licence.example.gov.cn/verify/${IDENTIFIER}`,
    ...over,
  };
}

// ---- reading the output back ------------------------------------------------------------------------

const load = (pdf: Uint8Array) => PDFDocument.load(pdf, { updateMetadata: false });

function resolve(doc: PDFDocument, obj: PDFObject | undefined): PDFObject | undefined {
  return obj instanceof PDFRef ? doc.context.lookup(obj) : obj;
}

function pageContent(doc: PDFDocument): string {
  const contents = resolve(doc, doc.getPage(0).node.get(PDFName.of("Contents")));
  const parts = contents instanceof PDFArray ? contents.asArray() : [contents];
  return parts
    .map((p) => resolve(doc, p))
    .map((s) => (s instanceof PDFRawStream ? Buffer.from(decodePDFRawStream(s).decode()).toString("latin1") : ""))
    .join("\n");
}

function pageResources(doc: PDFDocument, kind: "Font" | "XObject" | "ExtGState"): PDFDict | undefined {
  const resources = resolve(doc, doc.getPage(0).node.get(PDFName.of("Resources")));
  const dict = resources instanceof PDFDict ? resolve(doc, resources.get(PDFName.of(kind))) : undefined;
  return dict instanceof PDFDict ? dict : undefined;
}

type EmbeddedFont = { baseFont: string; fontName: string; fontFile: Uint8Array; compressedLength: number; toUnicode: string };

/** The Type0 fonts of the page with their descriptor name, decoded FontFile2 and ToUnicode CMap. */
function embeddedFonts(doc: PDFDocument): EmbeddedFont[] {
  const fonts = pageResources(doc, "Font");
  if (!fonts) return [];
  return fonts.values().map((ref) => {
    const font = resolve(doc, ref) as PDFDict;
    expect(font.get(PDFName.of("Subtype"))).toBe(PDFName.of("Type0"));
    const cid = resolve(doc, (resolve(doc, font.get(PDFName.of("DescendantFonts"))) as PDFArray).get(0)) as PDFDict;
    const descriptor = resolve(doc, cid.get(PDFName.of("FontDescriptor"))) as PDFDict;
    const file = resolve(doc, descriptor.get(PDFName.of("FontFile2"))) as PDFRawStream;
    const toUnicode = resolve(doc, font.get(PDFName.of("ToUnicode")));
    return {
      baseFont: (font.get(PDFName.of("BaseFont")) as PDFName).decodeText(),
      fontName: (descriptor.get(PDFName.of("FontName")) as PDFName).decodeText(),
      fontFile: decodePDFRawStream(file).decode(),
      compressedLength: file.getContentsSize(),
      toUnicode: toUnicode instanceof PDFRawStream ? Buffer.from(decodePDFRawStream(toUnicode).decode()).toString("latin1") : "",
    };
  });
}

/** CID → text pairs of a ToUnicode CMap's bfchar entries (pdf-lib writes only those). */
function cmapEntries(cmap: string): [number, string][] {
  return [...cmap.matchAll(/^<([0-9a-fA-F]{4})> <([0-9a-fA-F]+)>$/gm)].map(([, cid, hex]) => [parseInt(cid, 16), Buffer.from(hex, "hex").swap16().toString("utf16le")]);
}

const count = (haystack: string, re: RegExp) => (haystack.match(re) ?? []).length;

/** The page's text as pdf.js (the browser preview's viewer) extracts it, runs joined. */
async function pdfjsText(pdf: Uint8Array): Promise<string> {
  const { getDocument } = await import("pdfjs-dist/legacy/build/pdf.mjs");
  const doc = await getDocument({ data: pdf.slice(), verbosity: 0 }).promise;
  try {
    const content = await (await doc.getPage(1)).getTextContent();
    return content.items.map((item) => ("str" in item ? item.str : "")).join("");
  } finally {
    await doc.destroy();
  }
}

// ---- tests ----------------------------------------------------------------------------------------------------

describe("renderLicenceFace", () => {
  const rendered = new Map<FaceLayout, Uint8Array>();
  beforeAll(async () => {
    for (const layout of LAYOUTS) rendered.set(layout, await renderLicenceFace(sample(layout, { photo: layout === "LANDSCAPE_LICENCE" ? undefined : photoPng })));
  });

  it.each(LAYOUTS)("%s renders one page of the layout's size", async (layout) => {
    const doc = await load(rendered.get(layout)!);
    expect(doc.getPageCount()).toBe(1);
    const { width, height } = doc.getPage(0).getSize();
    expect(width).toBeCloseTo(pt(LAYOUT_SIZES[layout].widthMm), 2);
    expect(height).toBeCloseTo(pt(LAYOUT_SIZES[layout].heightMm), 2);
  });

  it("LAYOUT_SIZES are A4 portrait, A4 landscape and ID-1", () => {
    expect(LAYOUT_SIZES).toEqual({
      PORTRAIT_CERT: { widthMm: 210, heightMm: 297 },
      LANDSCAPE_LICENCE: { widthMm: 297, heightMm: 210 },
      CARD: { widthMm: 85.6, heightMm: 54 },
    });
  });

  it.each(LAYOUTS)("%s: the same input gives the same bytes", async (layout) => {
    const input = sample(layout, { photo: photoPng, watermark: "样例 仅供预览" });
    const a = await renderLicenceFace(input);
    const b = await renderLicenceFace(structuredClone(input));
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
  });

  it("gives the same bytes from a freshly loaded module (cold font and picture caches)", async () => {
    const input = sample("LANDSCAPE_LICENCE");
    const warm = await renderLicenceFace(input);
    vi.resetModules();
    const fresh = await import("./licence-face");
    const cold = await fresh.renderLicenceFace(input);
    expect(Buffer.from(cold).equals(Buffer.from(warm))).toBe(true);
  });

  it("writes no dates, only constant metadata, and a classic xref table", async () => {
    const pdf = rendered.get("PORTRAIT_CERT")!;
    const doc = await load(pdf);
    expect(doc.getCreationDate()).toBeUndefined();
    expect(doc.getModificationDate()).toBeUndefined();
    expect(doc.getTitle()).toBe("食品经营许可证（副本）");
    expect(doc.getProducer()).toBe("certseal");
    const text = Buffer.from(pdf).toString("latin1");
    expect(text).toMatch(/\nxref\n/);
    expect(text).not.toContain("/ObjStm");
  });

  it("embeds Noto Serif SC as tagged subsets, far smaller than the font file", async () => {
    const doc = await load(rendered.get("LANDSCAPE_LICENCE")!);
    const fonts = embeddedFonts(doc);
    // regular, bold, and the regular file again with half-width forms for the identifier
    expect(fonts.map((f) => f.fontName.replace(/^[A-Z]{6}\+/, "")).sort()).toEqual(["NotoSerifSC-Bold", "NotoSerifSC-Regular", "NotoSerifSC-Regular"]);
    expect(new Set(fonts.map((f) => f.fontName)).size).toBe(3);
    for (const f of fonts) {
      expect(f.fontName).toMatch(/^[A-Z]{6}\+NotoSerifSC-(Regular|Bold)$/);
      expect(f.baseFont).toBe(f.fontName);
      expect(f.fontFile.length).toBeLessThan(serifFontFileSize("regular") / 50);
      expect(f.compressedLength).toBeLessThan(200_000);
    }
  });

  it("derives the subset tag from the characters drawn", () => {
    expect(subsetTag("regular", ["食品", "许可"])).toBe(subsetTag("regular", ["许可食品"]));
    expect(subsetTag("regular", ["食品"])).not.toBe(subsetTag("regular", ["食物"]));
    expect(subsetTag("regular", ["食品"])).not.toBe(subsetTag("bold", ["食品"]));
    expect(subsetTag("regular", ["2026"])).not.toBe(subsetTag("mono", ["2026"]));
  });

  it("has a ToUnicode map for every font, so the Chinese text can be extracted", async () => {
    const doc = await load(rendered.get("LANDSCAPE_LICENCE")!);
    const mapped = new Set(embeddedFonts(doc).flatMap((f) => cmapEntries(f.toUnicode).map(([, text]) => text)));
    for (const ch of "食品经营许可证成都市锦江区市场监督管理局2026年12月1日扫码核验电子证照标识") expect(mapped).toContain(ch);
  });

  it("subset glyphs are the font's own outlines (no loca corruption)", async () => {
    // @pdf-lib/fontkit 1.1.1 corrupts glyphs after the first odd-length glyph record (fonts.ts).
    // Read every subset glyph back and compare its outline with the glyphs the face's text lays out
    // to in the full font (contextual forms mean one character can have several glyphs).
    const input = sample("LANDSCAPE_LICENCE");
    const doc = await load(await renderLicenceFace(input));
    const outlines = new Map<string, Set<string>>(); // "Regular 食" → outlines
    for (const op of planLicenceFace(input).ops) {
      if (op.kind !== "text") continue;
      const file = op.style === "bold" ? "Bold" : "Regular";
      for (const g of serifFont(op.style).layout(op.text, layoutFeatures(op.style)).glyphs) {
        const key = `${file} ${String.fromCodePoint(...g.codePoints)}`;
        outlines.set(key, (outlines.get(key) ?? new Set<string>()).add(g.path.toSVG()));
      }
    }
    for (const f of embeddedFonts(doc)) {
      const file = f.fontName.endsWith("Bold") ? "Bold" : "Regular";
      const subset = fontkit.create(Buffer.from(f.fontFile));
      const entries = cmapEntries(f.toUnicode);
      expect(entries.length).toBeGreaterThan(10);
      for (const [cid, text] of entries) {
        const outline = subset.getGlyph(cid).path.toSVG();
        expect(outline.length, `${file} ${text}`).toBeGreaterThan(0);
        expect(outlines.get(`${file} ${text}`), `${file} ${text}`).toContain(outline);
      }
    }
  });

  it("draws the QR code as vector modules only when qrText is given", async () => {
    const withQr = pageContent(await load(rendered.get("PORTRAIT_CERT")!));
    const without = pageContent(await load(await renderLicenceFace(sample("PORTRAIT_CERT", { photo: photoPng, qrText: undefined }))));
    const re = / re\n/g;
    expect(count(withQr, re) - count(without, re)).toBeGreaterThan(200);
    expect(count(without, re)).toBeLessThan(20); // frame, corner ornaments, photo
  });

  it("stamps the seal picture and the photo only when given", async () => {
    for (const [layout, pdf] of rendered) {
      const xobjects = pageResources(await load(pdf), "XObject");
      expect(xobjects?.has(PDFName.of("Seal"))).toBe(true);
      expect(xobjects?.has(PDFName.of("Photo"))).toBe(layout !== "LANDSCAPE_LICENCE");
    }
    const bare = await load(await renderLicenceFace(sample("CARD", { seal: undefined })));
    expect(pageResources(bare, "XObject")?.keys() ?? []).toEqual([]);
    expect(pageContent(bare)).not.toContain(" Do");
  });

  it("accepts a JPEG photo", async () => {
    const doc = await load(await renderLicenceFace(sample("CARD", { photo: photoJpeg })));
    const photo = resolve(doc, pageResources(doc, "XObject")!.get(PDFName.of("Photo"))) as PDFRawStream;
    expect(photo.dict.get(PDFName.of("Filter"))).toBe(PDFName.of("DCTDecode"));
    expect((photo.dict.get(PDFName.of("Width")) as PDFNumber).asNumber()).toBe(6);
  });

  it("draws the watermark translucent, only when given", async () => {
    const marked = await load(await renderLicenceFace(sample("LANDSCAPE_LICENCE", { watermark: "样例 仅供预览" })));
    const gs = pageResources(marked, "ExtGState")!;
    const state = resolve(marked, gs.get(PDFName.of("GS1"))) as PDFDict;
    expect((state.get(PDFName.of("ca")) as PDFNumber).asNumber()).toBeLessThan(0.5);
    expect(pageContent(marked)).toContain("/GS1 gs");
    expect(pageResources(await load(rendered.get("LANDSCAPE_LICENCE")!), "ExtGState")?.keys() ?? []).toEqual([]);
  });

  it("prints the identifier in half-width forms: monospaced, and extracted as written", async () => {
    const canvas = planLicenceFace(sample("CARD"));
    const id = canvas.ops.find((o): o is TextOp => o.kind === "text" && o.text === IDENTIFIER)!;
    expect(id.style).toBe("mono");
    for (const ch of "0123456789.WJF") expect(textWidth("mono", ch, 10)).toBeCloseTo(5, 6);
    expect(await pdfjsText(rendered.get("CARD")!)).toContain(`电子证照标识：${IDENTIFIER}`);
  });

  it("pdf.js (the preview's viewer) extracts the Chinese text", async () => {
    const text = await pdfjsText(rendered.get("LANDSCAPE_LICENCE")!);
    for (const part of ["食品经营许可证", "成都市锦江区老码头火锅餐饮有限公司", "91510104MA61XXXX7K", "成都市锦江区市场监督管理局", "2026年12月1日", "扫码核验"]) expect(text).toContain(part);
  });

  it("can be signed as it is: the signature update appends to the face file (sealed-pdf.ts)", async () => {
    const face = rendered.get("CARD")!;
    const sealed = embedSignature(face, new Uint8Array([0x30, 0x03, 0x02, 0x01, 0x04]), "licence.sig");
    const extracted = await extractSignature(sealed);
    expect(extracted?.appendedExactly).toBe(true);
    expect(Buffer.from(extracted!.signedBytes).equals(Buffer.from(face))).toBe(true);
  });

  it("names the characters the font cannot print", () => {
    expect(missingCharacters("成都市锦江区 ABC 123，（）…")).toEqual([]);
    expect(missingCharacters("张😀三")).toEqual(["😀"]);
  });

  it("rejects pictures that are not PNG or JPEG, and bad seal sizes", async () => {
    const junk = new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    for (const input of [
      sample("CARD", { photo: junk }),
      sample("CARD", { seal: { png: photoJpeg, widthMm: 42, heightMm: 42 } }),
      sample("CARD", { seal: { png: sealPng, widthMm: 0, heightMm: 42 } }),
      sample("CARD", { seal: { png: sealPng.subarray(0, 40), widthMm: 42, heightMm: 42 } }),
    ]) {
      await expect(renderLicenceFace(input)).rejects.toBeInstanceOf(AppError);
    }
  });
});

describe("layout limits", () => {
  const huge = "一般项目：技术服务、技术开发、技术咨询、技术交流、技术转让、技术推广；软件开发；信息系统集成服务；Software development and IT consulting services. ".repeat(30);
  const extreme = (layout: FaceLayout): FaceInput =>
    sample(layout, {
      title: "中华人民共和国某某省某某市某某区食品生产经营许可证（特殊食品及保健食品专项）",
      subtitle: "（副本）（复印无效）（仅限本辖区内使用）",
      number: "JY".padEnd(90, "1234567890"),
      holderName: "某某某某某某某某某某某某某某某某某某某某某某某某某某某某某某某某某某某某某某某某有限公司",
      photo: photoPng,
      lines: [
        { label: "经营项目", value: huge, wide: true },
        ...Array.from({ length: 40 }, (_, i) => ({ label: `附加登记事项第${i + 1}项说明`, value: `${"很长的值".repeat(20)}${"X".repeat(120)}` })),
      ],
      issuer: "某某省某某市某某区市场监督管理局行政审批服务局食品经营许可专用".repeat(2),
      issueDate: "二〇二六年十二月一日（以系统签发时间为准）",
      identifier: IDENTIFIER + IDENTIFIER,
      watermark: "样例 仅供预览",
    });

  it.each(LAYOUTS)("%s: a face far too full still renders one page", async (layout) => {
    const doc = await load(await renderLicenceFace(extreme(layout)));
    expect(doc.getPageCount()).toBe(1);
  });

  it.each(LAYOUTS)("%s: every text, picture and module stays inside the content area", (layout) => {
    const box = faceContentBox(layout);
    const eps = 0.01;
    const canvas = planLicenceFace(extreme(layout));
    let texts = 0;
    for (const op of canvas.ops) {
      if (op.kind === "text") {
        if (op.angle) continue; // the watermark crosses the whole page on purpose
        texts++;
        const width = textWidth(op.style, op.text, op.size);
        expect(op.x, op.text).toBeGreaterThanOrEqual(box.x - eps);
        expect(op.x + width, op.text).toBeLessThanOrEqual(box.x + box.w + eps);
        expect(op.baseline - 0.88 * op.size, op.text).toBeGreaterThanOrEqual(box.y - eps);
        expect(op.baseline + 0.12 * op.size, op.text).toBeLessThanOrEqual(box.y + box.h + eps);
      } else if (op.kind === "image" || op.kind === "modules") {
        const [w, h] = op.kind === "image" ? [op.w, op.h] : [op.module * op.size, op.module * op.size];
        expect(op.x).toBeGreaterThanOrEqual(box.x - eps);
        expect(op.y).toBeGreaterThanOrEqual(box.y - eps);
        expect(op.x + w).toBeLessThanOrEqual(box.x + box.w + eps);
        expect(op.y + h).toBeLessThanOrEqual(box.y + box.h + eps);
      }
    }
    expect(texts).toBeGreaterThan(10);
    // Cut values end with an ellipsis; the identifier is shrunk, never cut.
    const drawn = canvas.ops.filter((o): o is TextOp => o.kind === "text");
    expect(drawn.some((o) => o.text.endsWith("…"))).toBe(true);
    expect(drawn.some((o) => o.text === IDENTIFIER + IDENTIFIER)).toBe(true);
  });

  it("field text never overlaps the photo", () => {
    const canvas = planLicenceFace(sample("PORTRAIT_CERT", { photo: photoPng, lines: [{ label: "备注", value: huge }] }));
    const photo = canvas.ops.find((o) => o.kind === "image" && o.image === "photo")!;
    if (photo.kind !== "image") throw new Error("no photo");
    for (const op of canvas.ops) {
      if (op.kind !== "text" || op.angle) continue;
      const top = op.baseline - 0.88 * op.size;
      const besidePhoto = top < photo.y + photo.h && op.baseline > photo.y;
      if (besidePhoto) expect(op.x + textWidth(op.style, op.text, op.size), op.text).toBeLessThanOrEqual(photo.x);
    }
  });

  it("an empty face (no fields, no optional parts) renders", async () => {
    const doc = await load(await renderLicenceFace({ layout: "CARD", title: "证", lines: [], issuer: "", issueDate: "" }));
    expect(doc.getPageCount()).toBe(1);
  });
});
