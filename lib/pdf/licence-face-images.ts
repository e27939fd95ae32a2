// Pictures for licence faces. pdf-lib embeds a PNG by decoding it and deflating the colour and alpha
// planes again in JavaScript: ~70 ms for a 45 mm seal at 300 dpi, three quarters of a whole face.
// The seal picture is the same on every licence of a type, so it is embedded once into a scratch
// document and its finished image objects are copied into each face (PDFObjectCopier). Photos take
// the same path without being kept, so a face is built the same way — and gives the same bytes —
// whether the cache was warm or not.
import { createHash } from "node:crypto";
import { PDFDocument, PDFObjectCopier, type PDFContext, type PDFRef } from "pdf-lib";

export type ImageKind = "png" | "jpeg";
export type EmbeddedImage = { ref: PDFRef; width: number; height: number };

type Prepared = { context: PDFContext; ref: PDFRef; width: number; height: number };

/** Distinct seal pictures kept (least recently used first out); each holds its compressed image streams. */
const CACHE_MAX = 32;
const cache = new Map<string, Promise<Prepared>>();

export function imageKind(bytes: Uint8Array): ImageKind | undefined {
  const png = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  if (bytes.length > 8 && png.every((b, i) => bytes[i] === b)) return "png";
  if (bytes.length > 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return "jpeg";
  return undefined;
}

async function prepare(bytes: Uint8Array, kind: ImageKind): Promise<Prepared> {
  const scratch = await PDFDocument.create({ updateMetadata: false });
  const image = kind === "png" ? await scratch.embedPng(bytes) : await scratch.embedJpg(bytes);
  await image.embed(); // writes the image (and its SMask) objects into the scratch context now
  return { context: scratch.context, ref: image.ref, width: image.width, height: image.height };
}

function cached(bytes: Uint8Array, kind: ImageKind): Promise<Prepared> {
  const key = `${kind}:${createHash("sha256").update(bytes).digest("hex")}`;
  let hit = cache.get(key);
  if (hit) cache.delete(key); // re-inserted below as the most recently used
  else {
    hit = prepare(bytes, kind);
    hit.catch(() => cache.delete(key));
    if (cache.size >= CACHE_MAX) cache.delete(cache.keys().next().value!);
  }
  cache.set(key, hit);
  return hit;
}

/** Copies the picture's image XObject (with its soft mask) into `doc`; throws on an undecodable image. */
export async function embedImage(doc: PDFDocument, bytes: Uint8Array, kind: ImageKind, options: { cache: boolean }): Promise<EmbeddedImage> {
  const prepared = options.cache ? await cached(bytes, kind) : await prepare(bytes, kind);
  const ref = PDFObjectCopier.for(prepared.context, doc.context).copy(prepared.ref);
  return { ref, width: prepared.width, height: prepared.height };
}
