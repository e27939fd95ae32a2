// A small, synchronous reader for PDFs with classic cross-reference tables (PDF 32000-1 §7.5.4–7.5.6).
//
// pdf-lib only parses whole documents, asynchronously, and does not tell where the last xref is.
// Writing an incremental update needs exactly that: the offset of the last xref section, the last
// trailer, and a handful of objects (catalog, /Names, name-tree nodes) read by their xref offsets.
// Single objects are parsed with pdf-lib's PDFObjectParser, so the objects we copy serialise the
// same way as everything else pdf-lib writes. Cross-reference streams are not supported: stampSeal
// always saves a classic table.
import { PDFContext, PDFDict, PDFName, PDFNumber, PDFObjectParser, PDFRef, type PDFObject } from "pdf-lib";

/** The PDF is not a classic-xref PDF this reader understands. */
export class PdfStructureError extends Error {}

type XrefEntry = { offset: number; gen: number; inUse: boolean };

export type ClassicPdf = {
  /** a context for parsed and new objects (serialisation only; it does not hold the file's objects) */
  context: PDFContext;
  /** byte offset of the last xref section (what the last `startxref` says) */
  startxref: number;
  /** the last trailer dictionary */
  trailer: PDFDict;
  /** one more than the largest object number in use (the trailer's /Size, or more if the table says so) */
  size: number;
  /** the object an indirect reference points to, or undefined (free, missing, unparsable) */
  lookup(ref: PDFRef): PDFObject | undefined;
  /** follows references until a direct object */
  resolve(obj: PDFObject | undefined): PDFObject | undefined;
};

const MAX_SECTIONS = 10_000;

function latin1(bytes: Uint8Array, start: number, end: number): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("latin1", start, end);
}

function lastIndexOf(bytes: Uint8Array, needle: string): number {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).lastIndexOf(needle, undefined, "latin1");
}

function indexOf(bytes: Uint8Array, needle: string, from: number): number {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).indexOf(needle, from, "latin1");
}

/** The offset after the last `startxref` keyword. */
export function lastStartxref(bytes: Uint8Array): number {
  const at = lastIndexOf(bytes, "startxref");
  if (at < 0) throw new PdfStructureError("no startxref");
  const m = /^\s*(\d{1,15})(?:\s|$)/.exec(latin1(bytes, at + 9, Math.min(bytes.length, at + 40)));
  if (!m) throw new PdfStructureError("startxref without an offset");
  const offset = Number(m[1]);
  if (offset >= bytes.length) throw new PdfStructureError("startxref points past the end of the file");
  return offset;
}

function parseSection(bytes: Uint8Array, offset: number, context: PDFContext): { entries: Map<number, XrefEntry>; trailer: PDFDict } {
  const trailerAt = indexOf(bytes, "trailer", offset);
  if (trailerAt < 0) throw new PdfStructureError("xref section without a trailer");
  const table = latin1(bytes, offset, trailerAt).trim();
  if (!table.startsWith("xref")) throw new PdfStructureError("startxref does not point to a classic xref table (cross-reference streams are not supported)");
  const tokens = table.slice(4).split(/\s+/).filter(Boolean);
  const entries = new Map<number, XrefEntry>();
  let i = 0;
  while (i < tokens.length) {
    const start = Number(tokens[i]);
    const count = Number(tokens[i + 1]);
    if (!Number.isSafeInteger(start) || !Number.isSafeInteger(count) || start < 0 || count < 0) throw new PdfStructureError("bad xref subsection header");
    i += 2;
    for (let n = 0; n < count; n++, i += 3) {
      const [off, gen, kind] = [tokens[i], tokens[i + 1], tokens[i + 2]];
      if (!/^\d+$/.test(off ?? "") || !/^\d+$/.test(gen ?? "") || (kind !== "n" && kind !== "f")) throw new PdfStructureError("bad xref entry");
      entries.set(start + n, { offset: Number(off), gen: Number(gen), inUse: kind === "n" });
    }
  }
  const trailer = PDFObjectParser.forBytes(bytes.subarray(trailerAt + 7), context).parseObject();
  if (!(trailer instanceof PDFDict)) throw new PdfStructureError("trailer is not a dictionary");
  return { entries, trailer };
}

/** Reads the xref chain (last section and its /Prev predecessors) of a classic-xref PDF. */
export function readClassicPdf(bytes: Uint8Array): ClassicPdf {
  const context = PDFContext.create();
  const startxref = lastStartxref(bytes);
  const xref = new Map<number, XrefEntry>();
  let trailer: PDFDict | undefined;
  const seen = new Set<number>();
  let at: number | undefined = startxref;
  while (at !== undefined) {
    if (seen.has(at) || seen.size >= MAX_SECTIONS) throw new PdfStructureError("xref /Prev chain loops");
    seen.add(at);
    const section = parseSection(bytes, at, context);
    trailer ??= section.trailer;
    // Newer sections win: they are read first.
    for (const [num, entry] of section.entries) if (!xref.has(num)) xref.set(num, entry);
    const prev = section.trailer.get(PDFName.of("Prev"));
    at = prev instanceof PDFNumber && Number.isSafeInteger(prev.asNumber()) && prev.asNumber() >= 0 && prev.asNumber() < bytes.length ? prev.asNumber() : undefined;
  }
  if (!trailer) throw new PdfStructureError("no trailer");

  const sizeObj = trailer.get(PDFName.of("Size"));
  if (!(sizeObj instanceof PDFNumber) || !Number.isSafeInteger(sizeObj.asNumber())) throw new PdfStructureError("trailer without /Size");
  let largestInTable = 0;
  for (const [num, e] of xref) if (e.inUse && num > largestInTable) largestInTable = num;
  const size = Math.max(sizeObj.asNumber(), largestInTable + 1);

  const cache = new Map<number, PDFObject | undefined>();
  const lookup = (ref: PDFRef): PDFObject | undefined => {
    if (cache.has(ref.objectNumber)) return cache.get(ref.objectNumber);
    let obj: PDFObject | undefined;
    const entry = xref.get(ref.objectNumber);
    if (entry?.inUse && entry.gen === ref.generationNumber && entry.offset < bytes.length) {
      const header = /^\s*(\d+)\s+(\d+)\s+obj\b/.exec(latin1(bytes, entry.offset, Math.min(bytes.length, entry.offset + 64)));
      if (header && Number(header[1]) === ref.objectNumber && Number(header[2]) === ref.generationNumber) {
        try {
          obj = PDFObjectParser.forBytes(bytes.subarray(entry.offset + header[0].length), context).parseObject();
        } catch {
          obj = undefined;
        }
      }
    }
    cache.set(ref.objectNumber, obj);
    return obj;
  };
  const resolve = (obj: PDFObject | undefined): PDFObject | undefined => {
    for (let hops = 0; obj instanceof PDFRef; hops++) {
      if (hops > 32) return undefined;
      obj = lookup(obj);
    }
    return obj;
  };
  return { context, startxref, trailer, size, lookup, resolve };
}
