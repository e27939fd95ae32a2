// Sealed PDFs: the seal picture stamped visibly onto the pages, then the GB/T 38540 SES_Signature
// (computed by the caller over the stamped bytes) attached by a PDF incremental update
// (PDF 32000-1 §7.5.6). The update only appends, so the signed bytes stay a byte-exact prefix of the
// sealed file and a verifier can hash them again:
//
//   sealed = stamped ‖ update(EmbeddedFile stream, Filespec, EmbeddedFiles name tree, Catalog, xref, trailer)
//
// The embedded file stream carries /CertsealSignedLength = stamped.length, which is how the
// verifier finds the signed prefix. Everything here is deterministic (no dates, no random ids),
// so the verifier can rebuild the update and check that nothing else was appended.
import {
  degrees,
  clip,
  decodePDFRawStream,
  endPath,
  PDFArray,
  PDFDict,
  PDFDocument,
  PDFHexString,
  PDFName,
  PDFNumber,
  PDFRawStream,
  PDFRef,
  PDFString,
  popGraphicsState,
  pushGraphicsState,
  rectangle,
  type PDFImage,
  type PDFObject,
  type PDFPage,
} from "pdf-lib";
import { AppError } from "@/lib/errors";
import { readClassicPdf, type ClassicPdf } from "./classic-xref";

export type PageSize = { width: number; height: number };
export type StampPosition = { page: number; x: number; y: number };
export type StampInput = { pdf: Uint8Array; picturePng: Uint8Array; widthMm: number; heightMm: number; position: StampPosition; riding?: boolean };
export type ExtractedSignature = {
  signedBytes: Uint8Array;
  sigDer: Uint8Array;
  fileName: string;
  /** the bytes after the signed prefix are exactly the attachment update certseal writes, nothing else */
  appendedExactly: boolean;
};

export const pdfText = {
  unreadable: "无法读取该 PDF 文件，文件可能已损坏或不是 PDF 格式",
  encrypted: "该 PDF 文件已加密，请先解除密码保护后再盖章",
  noPages: "该 PDF 文件没有页面",
  pageOutOfRange: (page: number, total: number) => `页码 ${page} 超出范围：该文件共 ${total} 页`,
  sealSize: "印章尺寸必须是大于 0 的毫米数",
  position: "盖章位置坐标无效",
  offPage: (page: number) => `印章超出第 ${page} 页的页面范围，请调整盖章位置`,
  picture: "印章图片不是有效的 PNG 图片",
  ridingPages: "骑缝章需要至少两页",
  ridingTooTall: (page: number) => `印章高度超过第 ${page} 页的页面高度，无法加盖骑缝章`,
  fileName: "签名文件名不能为空，且不能含控制字符",
  emptySignature: "签名数据为空",
  notAppendable: "该 PDF 文件的结构不支持追加签名（需要盖章处理后生成的标准交叉引用表）",
  attachmentDescription: "电子印章签名数据（GB/T 38540 SES_Signature）",
} as const;

/** Custom key in the embedded file stream: length of the signed prefix. */
const SIGNED_LENGTH_KEY = "CertsealSignedLength";
const DEFAULT_MARGIN_MM = 20;
/** Tolerance for "fits on the page" (floating point in mm → pt conversions). */
const EPS = 1e-6;

const invalid = (message: string) => new AppError("INVALID_INPUT", message);

export function mmToPt(mm: number): number {
  return (mm * 72) / 25.4;
}

type Loaded = { doc: PDFDocument; pages: PDFPage[] };

async function loadPdf(bytes: Uint8Array): Promise<Loaded> {
  try {
    // updateMetadata: false keeps pdf-lib from writing Producer/ModDate, so output is deterministic.
    // Encryption is checked here rather than by catching pdf-lib's EncryptedPDFError: its error
    // classes are compiled to ES5 and do not survive `instanceof`.
    const doc = await PDFDocument.load(bytes, { updateMetadata: false, ignoreEncryption: true });
    if (doc.isEncrypted) throw invalid(pdfText.encrypted);
    const pages = doc.getPages();
    if (pages.length === 0) throw invalid(pdfText.noPages);
    return { doc, pages };
  } catch (e) {
    if (e instanceof AppError) throw e;
    throw invalid(pdfText.unreadable);
  }
}

export async function pdfPageSizes(pdf: Uint8Array): Promise<PageSize[]> {
  const { pages } = await loadPdf(pdf);
  return pages.map((p) => p.getSize());
}

/**
 * Bottom-right of the last page, 20 mm from the right and bottom edges to the seal's edge. On a page
 * too small for that margin the margin shrinks so the seal stays on the page where possible.
 */
export function defaultStampPosition(sizes: PageSize[], widthMm: number, heightMm: number): StampPosition {
  if (sizes.length === 0) throw invalid(pdfText.noPages);
  checkSealSize(widthMm, heightMm);
  const { width, height } = sizes[sizes.length - 1];
  const w = mmToPt(widthMm);
  const h = mmToPt(heightMm);
  const margin = mmToPt(DEFAULT_MARGIN_MM);
  const mx = Math.min(margin, Math.max(0, (width - w) / 2));
  const my = Math.min(margin, Math.max(0, (height - h) / 2));
  return { page: sizes.length, x: width - mx - w / 2, y: my + h / 2 };
}

function checkSealSize(widthMm: number, heightMm: number) {
  if (![widthMm, heightMm].every((n) => Number.isFinite(n) && n > 0)) throw invalid(pdfText.sealSize);
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

async function embedPicture(doc: PDFDocument, png: Uint8Array): Promise<PDFImage> {
  if (png.length < 8 || PNG_SIGNATURE.some((b, i) => png[i] !== b)) throw invalid(pdfText.picture);
  try {
    return await doc.embedPng(png);
  } catch {
    throw invalid(pdfText.picture);
  }
}

/**
 * Draws the seal picture at `position` (and optionally a riding seal across the right edges of all
 * pages) and saves with a classic xref table, which embedSignature needs. Same input → same bytes.
 */
export async function stampSeal(input: StampInput): Promise<Uint8Array> {
  const { widthMm, heightMm, position, riding = false } = input;
  checkSealSize(widthMm, heightMm);
  if (![position.x, position.y].every(Number.isFinite)) throw invalid(pdfText.position);
  const { doc, pages } = await loadPdf(input.pdf);
  if (!Number.isInteger(position.page) || position.page < 1 || position.page > pages.length) throw invalid(pdfText.pageOutOfRange(position.page, pages.length));
  if (riding && pages.length < 2) throw invalid(pdfText.ridingPages);

  const w = mmToPt(widthMm);
  const h = mmToPt(heightMm);
  const target = pages[position.page - 1];
  // A page shown rotated (/Rotate) gets the picture turned the other way, so it reads upright on
  // screen as the position picker showed it; on its side the box is h wide and w high.
  const turn = (((target.getRotation().angle % 360) + 360) % 360) as 0 | 90 | 180 | 270;
  const [bw, bh] = turn % 180 ? [h, w] : [w, h];
  // Positions are relative to the MediaBox's lower-left corner, which need not be (0, 0).
  const box = target.getMediaBox();
  const left = position.x - bw / 2;
  const bottom = position.y - bh / 2;
  if (left < -EPS || bottom < -EPS || left + bw > box.width + EPS || bottom + bh > box.height + EPS) throw invalid(pdfText.offPage(position.page));
  if (riding)
    pages.forEach((p, i) => {
      if (p.getHeight() + EPS < h) throw invalid(pdfText.ridingTooTall(i + 1));
    });

  const image = await embedPicture(doc, input.picturePng);
  try {
    return await drawAndSave(doc, pages, image, { target, cx: box.x + position.x, cy: box.y + position.y, w, h, turn, riding });
  } catch (e) {
    // A page tree or content pdf-lib parsed but cannot write back: the file is damaged.
    if (e instanceof AppError) throw e;
    throw invalid(pdfText.unreadable);
  }
}

type Draw = { target: PDFPage; cx: number; cy: number; w: number; h: number; turn: 0 | 90 | 180 | 270; riding: boolean };

async function drawAndSave(doc: PDFDocument, pages: PDFPage[], image: PDFImage, { target, cx, cy, w, h, turn, riding }: Draw): Promise<Uint8Array> {
  // drawImage rotates counter-clockwise about its lower-left corner: place that corner so the
  // picture's centre lands on (cx, cy). Exact cosines keep the output free of rounding noise.
  const [cos, sin] = ({ 0: [1, 0], 90: [0, 1], 180: [-1, 0], 270: [0, -1] } as const)[turn];
  const x = cx - ((w / 2) * cos - (h / 2) * sin);
  const y = cy - ((w / 2) * sin + (h / 2) * cos);
  target.drawImage(image, { x, y, width: w, height: h, ...(turn ? { rotate: degrees(turn) } : {}) });

  if (riding) {
    // 骑缝章: the picture cut into N vertical slices; page i shows slice i flush with its right
    // edge, so the fanned-out pages put the whole seal back together.
    const slice = w / pages.length;
    pages.forEach((page, i) => {
      const b = page.getMediaBox();
      const right = b.x + b.width;
      const sliceBottom = b.y + (b.height - h) / 2;
      page.pushOperators(pushGraphicsState(), rectangle(right - slice, sliceBottom, slice, h), clip(), endPath());
      page.drawImage(image, { x: right - (i + 1) * slice, y: sliceBottom, width: w, height: h });
      page.pushOperators(popGraphicsState());
    });
  }

  // No object streams: the incremental update needs a classic xref table to point /Prev at.
  // updateFieldAppearances: false leaves any form exactly as it was.
  return doc.save({ useObjectStreams: false, addDefaultPage: false, updateFieldAppearances: false });
}

// ---- the incremental update --------------------------------------------------------------------

type NameEntry = { key: PDFString | PDFHexString; value: PDFObject };
type Resolve = (obj: PDFObject | undefined) => PDFObject | undefined;

const N = (name: string) => PDFName.of(name);
const MAX_TREE_DEPTH = 32;

/** All (key, value) pairs of a name tree (PDF 32000-1 §7.9.6), leaves in tree order. */
function nameTreeEntries(resolve: Resolve, root: PDFObject | undefined): NameEntry[] {
  const out: NameEntry[] = [];
  const seen = new Set<PDFObject>();
  const walk = (nodeOrRef: PDFObject | undefined, depth: number) => {
    if (depth > MAX_TREE_DEPTH || nodeOrRef === undefined) return;
    if (nodeOrRef instanceof PDFRef) {
      if (seen.has(nodeOrRef)) return; // PDFRef.of interns refs, so identity works
      seen.add(nodeOrRef);
    }
    const node = resolve(nodeOrRef);
    if (!(node instanceof PDFDict)) return;
    const names = resolve(node.get(N("Names")));
    if (names instanceof PDFArray)
      for (let i = 0; i + 1 < names.size(); i += 2) {
        const key = resolve(names.get(i));
        if (key instanceof PDFString || key instanceof PDFHexString) out.push({ key, value: names.get(i + 1) });
      }
    const kids = resolve(node.get(N("Kids")));
    if (kids instanceof PDFArray) for (let i = 0; i < kids.size(); i++) walk(kids.get(i), depth + 1);
  };
  walk(root, 0);
  return out;
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return a.length - b.length;
}

/** A name-tree key for `fileName` not yet used in the tree ("x.sig", "x.sig (2)", …). */
function uniqueKey(entries: NameEntry[], fileName: string): PDFHexString {
  const taken = new Set(entries.map((e) => e.key.decodeText()));
  let name = fileName;
  for (let n = 2; taken.has(name); n++) name = `${fileName} (${n})`;
  return PDFHexString.fromText(name);
}

const latin1 = (s: string) => Buffer.from(s, "latin1");
const pad = (n: number, width: number) => String(n).padStart(width, "0");

/** Classic xref subsections ("start count" + 20-byte entries) for the given in-use objects. */
function xrefSection(objects: { num: number; gen: number; offset: number }[]): string {
  const sorted = [...objects].sort((a, b) => a.num - b.num);
  let out = "xref\n";
  for (let i = 0; i < sorted.length; ) {
    let j = i + 1;
    while (j < sorted.length && sorted[j].num === sorted[j - 1].num + 1) j++;
    out += `${sorted[i].num} ${j - i}\n`;
    for (const o of sorted.slice(i, j)) out += `${pad(o.offset, 10)} ${pad(o.gen, 5)} n\r\n`;
    i = j;
  }
  return out;
}

function checkFileName(fileName: string) {
  if (typeof fileName !== "string" || fileName.trim() === "" || fileName.length > 255 || /[\u0000-\u001f\u007f]/.test(fileName)) throw invalid(pdfText.fileName);
}

/**
 * Appends the SES_Signature to `stamped` as an embedded file, by an incremental update written by
 * hand (PDF 32000-1 §7.5.6). The prefix is left untouched; the same input gives the same bytes.
 */
export function embedSignature(stamped: Uint8Array, sigDer: Uint8Array, fileName: string): Uint8Array {
  checkFileName(fileName);
  if (sigDer.length === 0) throw invalid(pdfText.emptySignature);
  let pdf: ClassicPdf;
  try {
    pdf = readClassicPdf(stamped);
  } catch {
    throw invalid(pdfText.notAppendable);
  }
  const { context, trailer } = pdf;
  // Strings in an encrypted file would have to be encrypted too; stampSeal never produces one.
  if (trailer.get(N("Encrypt"))) throw invalid(pdfText.encrypted);
  const rootRef = trailer.get(N("Root"));
  const catalog = rootRef instanceof PDFRef ? pdf.lookup(rootRef) : undefined;
  if (!(rootRef instanceof PDFRef) || !(catalog instanceof PDFDict)) throw invalid(pdfText.notAppendable);

  const fileRef = PDFRef.of(pdf.size);
  const specRef = PDFRef.of(pdf.size + 1);
  const treeRef = PDFRef.of(pdf.size + 2);

  // The EmbeddedFiles tree is rewritten as one leaf root holding the old entries and ours, sorted by
  // key as name trees require. Other /Names entries (Dests, JavaScript, …) are carried over.
  const oldNames = pdf.resolve(catalog.get(N("Names")));
  const entries = oldNames instanceof PDFDict ? nameTreeEntries(pdf.resolve, oldNames.get(N("EmbeddedFiles"))) : [];
  entries.push({ key: uniqueKey(entries, fileName), value: specRef });
  entries.sort((a, b) => compareBytes(a.key.asBytes(), b.key.asBytes()));
  const tree = context.obj({ Names: entries.flatMap((e) => [e.key, e.value]) });
  const names = oldNames instanceof PDFDict ? oldNames.clone(context) : context.obj({});
  names.set(N("EmbeddedFiles"), treeRef);
  const newCatalog = catalog.clone(context);
  newCatalog.set(N("Names"), names);

  const fileDict = context.obj({
    Type: "EmbeddedFile",
    Subtype: N("application/octet-stream"),
    Params: { Size: sigDer.length },
    [SIGNED_LENGTH_KEY]: stamped.length,
    Length: sigDer.length,
  });
  const spec = context.obj({
    Type: "Filespec",
    F: PDFHexString.fromText(fileName),
    UF: PDFHexString.fromText(fileName),
    EF: { F: fileRef, UF: fileRef },
    Desc: PDFHexString.fromText(pdfText.attachmentDescription),
    AFRelationship: "Data",
  });

  const chunks: Uint8Array[] = [];
  const last = stamped[stamped.length - 1];
  let offset = stamped.length;
  const write = (chunk: Uint8Array) => {
    chunks.push(chunk);
    offset += chunk.length;
  };
  if (last !== 0x0a && last !== 0x0d) write(latin1("\n"));

  const xref: { num: number; gen: number; offset: number }[] = [];
  const writeObject = (ref: PDFRef, obj: PDFDict, streamData?: Uint8Array) => {
    xref.push({ num: ref.objectNumber, gen: ref.generationNumber, offset });
    write(latin1(`${ref.objectNumber} ${ref.generationNumber} obj\n${obj.toString()}\n`));
    if (streamData) {
      write(latin1("stream\n"));
      write(streamData);
      write(latin1("\nendstream\n"));
    }
    write(latin1("endobj\n"));
  };
  writeObject(fileRef, fileDict, sigDer);
  writeObject(specRef, spec);
  writeObject(treeRef, tree);
  writeObject(rootRef, newCatalog);

  const xrefOffset = offset;
  const newTrailer = context.obj({ Size: pdf.size + 3, Root: rootRef });
  for (const key of ["Info", "ID"]) {
    const value = trailer.get(N(key));
    if (value) newTrailer.set(N(key), value);
  }
  newTrailer.set(N("Prev"), PDFNumber.of(pdf.startxref));
  write(latin1(`${xrefSection(xref)}trailer\n${newTrailer.toString()}\nstartxref\n${xrefOffset}\n%%EOF\n`));

  const out = new Uint8Array(offset);
  out.set(stamped, 0);
  let at = stamped.length;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

// ---- extraction --------------------------------------------------------------------------------

function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));
}

function textOf(obj: PDFObject | undefined): string | undefined {
  return obj instanceof PDFString || obj instanceof PDFHexString ? obj.decodeText() : undefined;
}

type Candidate = { signedLength: number; sigDer: Uint8Array; fileName: string };

function candidateOf(doc: PDFDocument, value: PDFObject, sealedLength: number): Candidate | undefined {
  const resolve: Resolve = (o) => (o instanceof PDFRef ? doc.context.lookup(o) : o);
  const spec = resolve(value);
  if (!(spec instanceof PDFDict)) return undefined;
  const ef = resolve(spec.get(N("EF")));
  if (!(ef instanceof PDFDict)) return undefined;
  const stream = resolve(ef.get(N("F"))) ?? resolve(ef.get(N("UF")));
  if (!(stream instanceof PDFRawStream)) return undefined;
  const signedLength = resolve(stream.dict.get(N(SIGNED_LENGTH_KEY)));
  if (!(signedLength instanceof PDFNumber)) return undefined;
  const length = signedLength.asNumber();
  if (!Number.isSafeInteger(length) || length <= 0 || length >= sealedLength) return undefined;
  const sigDer = stream.dict.get(N("Filter")) ? decodePDFRawStream(stream).decode() : stream.getContents();
  const fileName = textOf(resolve(spec.get(N("UF")))) ?? textOf(resolve(spec.get(N("F")))) ?? "";
  return { signedLength: length, sigDer: Uint8Array.from(sigDer), fileName };
}

function rebuildsExactly(sealed: Uint8Array, c: Candidate): boolean {
  try {
    return bytesEqual(embedSignature(sealed.subarray(0, c.signedLength), c.sigDer, c.fileName), sealed);
  } catch {
    return false;
  }
}

/**
 * Finds the certseal signature attachment and the signed prefix it covers. Null when there is
 * none, or the input is not a readable PDF. With several (a re-sealed document), the one whose
 * update is exactly the end of the file wins, else the one covering the longest prefix.
 */
export async function extractSignature(sealed: Uint8Array): Promise<ExtractedSignature | null> {
  try {
    // Cheap pre-check: no marker key, no need to parse the whole document.
    if (Buffer.from(sealed.buffer, sealed.byteOffset, sealed.byteLength).indexOf(SIGNED_LENGTH_KEY, 0, "latin1") < 0) return null;
    const doc = await PDFDocument.load(sealed, { updateMetadata: false });
    const resolve: Resolve = (o) => (o instanceof PDFRef ? doc.context.lookup(o) : o);
    const names = resolve(doc.catalog.get(N("Names")));
    if (!(names instanceof PDFDict)) return null;
    const candidates = nameTreeEntries(resolve, names.get(N("EmbeddedFiles")))
      .map((e) => {
        try {
          return candidateOf(doc, e.value, sealed.length);
        } catch {
          return undefined;
        }
      })
      .filter((c): c is Candidate => c !== undefined)
      .sort((a, b) => b.signedLength - a.signedLength);
    if (candidates.length === 0) return null;
    const exact = candidates.find((c) => rebuildsExactly(sealed, c));
    const chosen = exact ?? candidates[0];
    return { signedBytes: sealed.slice(0, chosen.signedLength), sigDer: chosen.sigDer, fileName: chosen.fileName, appendedExactly: exact !== undefined };
  } catch {
    return null;
  }
}
