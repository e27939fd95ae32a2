// Sealed PDFs: the seal picture stamped onto the pages (normal and riding seal), the SES_Signature
// attached by an incremental update that leaves the signed prefix untouched, and extraction for
// the public verifier (documentUnchanged, tampering, extra appended bytes, OpenSSL).
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import path from "node:path";
import { Resvg } from "@resvg/resvg-js";
import { decodePDFRawStream, degrees, PDFArray, PDFDict, PDFDocument, PDFHexString, PDFName, PDFNumber, PDFRawStream, PDFRef, PDFStream, PDFString, StandardFonts } from "pdf-lib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import { decodeSignature, makeSeal, signDocument, verifySignature, type SealInfo } from "@/lib/crypto/ses";
import { parseCertificate } from "@/lib/crypto/x509";
import { localVerifier, memoryKeyStore, opensslVerify, testCa, withTempDir } from "@/tests/helpers/crypto";
import { lastStartxref, readClassicPdf } from "./classic-xref";
import { defaultStampPosition, embedSignature, extractSignature, mmToPt, pdfPageSizes, stampSeal, type StampInput } from "./sealed-pdf";

const A4: [number, number] = [595.28, 841.89];
const SEAL_MM = 42;
const W = mmToPt(SEAL_MM);

const sealPng = new Resvg(
  `<svg xmlns="http://www.w3.org/2000/svg" width="160" height="160"><circle cx="80" cy="80" r="72" fill="none" stroke="#d7261e" stroke-width="10"/>` +
    `<polygon points="80,32 92,68 130,68 99,90 111,126 80,104 49,126 61,90 30,68 68,68" fill="#d7261e"/></svg>`,
).render().asPng();

/** A4 test document with some Helvetica text on each page. */
async function makePdf(pages: number, opts: { metadata?: boolean; attach?: string; javascript?: boolean; objectStreams?: boolean } = {}): Promise<Uint8Array> {
  const doc = await PDFDocument.create({ updateMetadata: opts.metadata ?? false });
  const font = await doc.embedFont(StandardFonts.Helvetica);
  for (let i = 0; i < pages; i++) doc.addPage(A4).drawText(`Page ${i + 1}: certseal test document`, { x: 72, y: 760, size: 14, font });
  if (opts.attach) await doc.attach(new TextEncoder().encode("old attachment"), opts.attach, { mimeType: "text/plain", description: "earlier file" });
  if (opts.javascript) doc.addJavaScript("hello", "console.println('hello');");
  return doc.save({ useObjectStreams: opts.objectStreams ?? false });
}

const stamp = (pdf: Uint8Array, over: Partial<StampInput> = {}) =>
  stampSeal({ pdf, picturePng: sealPng, widthMm: SEAL_MM, heightMm: SEAL_MM, position: { page: 1, x: 300, y: 300 }, ...over });

async function appError(p: Promise<unknown> | (() => unknown)): Promise<AppError> {
  const err = await (typeof p === "function" ? Promise.resolve().then(p) : p).then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AppError);
  return err as AppError;
}

/** Decoded content streams of one page, joined. */
async function pageContent(pdf: Uint8Array, pageIndex: number): Promise<string> {
  const doc = await PDFDocument.load(pdf, { updateMetadata: false });
  const contents = doc.getPage(pageIndex).node.Contents();
  const parts = contents instanceof PDFArray ? contents.asArray() : contents ? [contents] : [];
  return parts
    .map((p) => {
      const s = p instanceof PDFRef ? doc.context.lookup(p) : p;
      return s instanceof PDFRawStream ? Buffer.from(decodePDFRawStream(s).decode()).toString("latin1") : "";
    })
    .join("\n");
}

const NUM = String.raw`(-?[\d.]+(?:e-?\d+)?)`;
const tuples = (content: string, op: string, arity: number) =>
  Array.from(content.matchAll(new RegExp(`${Array(arity).fill(NUM).join(" ")} ${op}\\b`, "g")), (m) => m.slice(1).map(Number));

/** Image XObjects (object numbers) used by a page's resources. */
async function pageImages(pdf: Uint8Array, pageIndex: number): Promise<number[]> {
  const doc = await PDFDocument.load(pdf, { updateMetadata: false });
  const xobjects = doc.getPage(pageIndex).node.Resources()?.lookupMaybe(PDFName.of("XObject"), PDFDict);
  if (!xobjects) return [];
  return xobjects
    .values()
    .filter((v): v is PDFRef => v instanceof PDFRef && doc.context.lookup(v) instanceof PDFRawStream && (doc.context.lookup(v) as PDFRawStream).dict.get(PDFName.of("Subtype")) === PDFName.of("Image"))
    .map((r) => r.objectNumber);
}

const latin1 = (b: Uint8Array) => Buffer.from(b).toString("latin1");

describe("stamping the seal picture", () => {
  it("converts millimetres to points and puts the default seal 20 mm from the bottom-right edges of the last page", async () => {
    expect(mmToPt(25.4)).toBeCloseTo(72, 10);
    const sizes = await pdfPageSizes(await makePdf(3));
    expect(sizes).toEqual(Array(3).fill({ width: A4[0], height: A4[1] }));
    const pos = defaultStampPosition([...sizes.slice(0, 2), { width: 842, height: 595 }], 42, 30);
    expect(pos.page).toBe(3);
    expect(842 - (pos.x + mmToPt(42) / 2)).toBeCloseTo(mmToPt(20), 9);
    expect(pos.y - mmToPt(30) / 2).toBeCloseTo(mmToPt(20), 9);
    expect(() => defaultStampPosition([], 42, 42)).toThrow(AppError);
  });

  it("draws the picture centred on the requested point of the requested page only", async () => {
    const pdf = await makePdf(3);
    const stamped = await stamp(pdf, { position: { page: 2, x: 200, y: 500 } });
    expect(await pageImages(stamped, 0)).toEqual([]);
    expect(await pageImages(stamped, 1)).toHaveLength(1);
    expect(await pageImages(stamped, 2)).toEqual([]);
    const content = await pageContent(stamped, 1);
    const cms = tuples(content, "cm", 6);
    const translate = cms.find((m) => m[0] === 1 && m[3] === 1 && m[4] !== 0);
    expect(translate?.[4]).toBeCloseTo(200 - W / 2, 6);
    expect(translate?.[5]).toBeCloseTo(500 - W / 2, 6);
    const scale = cms.find((m) => m[0] !== 1 && m[1] === 0 && m[2] === 0);
    expect(scale?.[0]).toBeCloseTo(W, 6);
    expect(scale?.[3]).toBeCloseTo(W, 6);
    expect(content).toMatch(/\/Image-\d+ Do/);
    // the original page content is still there
    expect(content).toContain("Page 2: certseal test document".split("").map((c) => c.charCodeAt(0).toString(16).padStart(2, "0")).join("").toUpperCase());
  });

  it("turns the picture on a page shown rotated, so it reads upright where the picker showed it", async () => {
    const src = await PDFDocument.load(await makePdf(1), { updateMetadata: false });
    src.getPage(0).setRotation(degrees(90));
    const pdf = await src.save({ useObjectStreams: false });
    const stamped = await stamp(pdf, { position: { page: 1, x: 300, y: 400 } });
    const cms = tuples(await pageContent(stamped, 0), "cm", 6);
    // a quarter turn counter-clockwise (cos 0, sin 1) after moving to the lower-left corner that
    // puts the turned picture's centre on (300, 400)
    const rotation = cms.find((m) => Math.abs(m[0]) < 1e-9 && m[1] === 1 && m[2] === -1);
    expect(rotation).toBeDefined();
    const translate = cms.find((m) => m[0] === 1 && m[3] === 1 && m[4] !== 0);
    expect(translate?.[4]).toBeCloseTo(300 + W / 2, 6);
    expect(translate?.[5]).toBeCloseTo(400 - W / 2, 6);
  });

  it("measures positions from the MediaBox's lower-left corner even when it is not at (0, 0)", async () => {
    const doc = await PDFDocument.create({ updateMetadata: false });
    doc.addPage(A4).setMediaBox(100, 50, 400, 600);
    const stamped = await stamp(await doc.save({ useObjectStreams: false }), { position: { page: 1, x: 200, y: 300 } });
    const translate = tuples(await pageContent(stamped, 0), "cm", 6).find((m) => m[0] === 1 && m[4] !== 0);
    expect(translate?.[4]).toBeCloseTo(100 + 200 - W / 2, 6);
    expect(translate?.[5]).toBeCloseTo(50 + 300 - W / 2, 6);
    await expect(stamp(await doc.save(), { position: { page: 1, x: 390, y: 300 } })).rejects.toThrow(/超出第 1 页/);
  });

  it("draws a riding seal: page i shows slice i of the picture at its right edge, vertically centred, clipped", async () => {
    const pdf = await makePdf(3);
    const stamped = await stamp(pdf, { position: defaultStampPosition(await pdfPageSizes(pdf), SEAL_MM, SEAL_MM), riding: true });
    const slice = W / 3;
    const images = new Set<number>();
    for (let i = 0; i < 3; i++) {
      (await pageImages(stamped, i)).forEach((n) => images.add(n));
      const content = await pageContent(stamped, i);
      const [clipRect] = tuples(content, "re", 4);
      expect(clipRect[0]).toBeCloseTo(A4[0] - slice, 6);
      expect(clipRect[1]).toBeCloseTo((A4[1] - W) / 2, 6);
      expect(clipRect[2]).toBeCloseTo(slice, 6);
      expect(clipRect[3]).toBeCloseTo(W, 6);
      expect(content).toMatch(/ re\s+W\s+n\s/);
      const translates = tuples(content, "cm", 6).filter((m) => m[0] === 1 && m[3] === 1 && m[4] !== 0);
      expect(translates.some((m) => Math.abs(m[4] - (A4[0] - (i + 1) * slice)) < 1e-6 && Math.abs(m[5] - (A4[1] - W) / 2) < 1e-6)).toBe(true);
    }
    // one image object, shared by every draw
    expect(images.size).toBe(1);
  });

  it("refuses a page out of range, a seal off the page, a one-page riding seal, bad sizes and a bad picture", async () => {
    const one = await makePdf(1);
    const three = await makePdf(3);
    expect((await appError(stamp(three, { position: { page: 4, x: 300, y: 300 } }))).userMessage).toBe("页码 4 超出范围：该文件共 3 页");
    expect((await appError(stamp(three, { position: { page: 0, x: 300, y: 300 } }))).code).toBe("INVALID_INPUT");
    await appError(stamp(three, { position: { page: 1.5, x: 300, y: 300 } }));
    expect((await appError(stamp(one, { position: { page: 1, x: 10, y: 300 } }))).userMessage).toMatch(/超出第 1 页的页面范围/);
    await appError(stamp(one, { position: { page: 1, x: 300, y: A4[1] - 5 } }));
    await appError(stamp(one, { position: { page: 1, x: Number.NaN, y: 300 } }));
    expect((await appError(stamp(one, { riding: true }))).userMessage).toBe("骑缝章需要至少两页");
    expect((await appError(stamp(one, { widthMm: 0 }))).userMessage).toMatch(/印章尺寸/);
    expect((await appError(stamp(one, { picturePng: new TextEncoder().encode("not a png") }))).userMessage).toMatch(/PNG/);
    expect((await appError(stamp(one, { picturePng: sealPng.subarray(0, 40) }))).userMessage).toMatch(/PNG/);
  });

  it("refuses garbage and encrypted PDFs with a Chinese message", async () => {
    const garbage = new TextEncoder().encode("这不是 PDF 文件");
    expect((await appError(stamp(garbage))).userMessage).toMatch(/无法读取该 PDF/);
    expect((await appError(pdfPageSizes(new Uint8Array(0)))).code).toBe("INVALID_INPUT");
    const doc = await PDFDocument.create({ updateMetadata: false });
    doc.addPage(A4);
    doc.context.trailerInfo.Encrypt = doc.context.register(
      doc.context.obj({ Filter: "Standard", V: 1, R: 2, O: PDFString.of("o".repeat(32)), U: PDFString.of("u".repeat(32)), P: -4 }),
    );
    const encrypted = await doc.save({ useObjectStreams: false });
    expect((await appError(stamp(encrypted))).userMessage).toMatch(/已加密/);
    expect((await appError(() => embedSignature(encrypted, Uint8Array.of(1), "x.sig"))).userMessage).toMatch(/已加密/);
    expect(await extractSignature(encrypted)).toBeNull();
  });

  it("is deterministic and adds no dates, producer or file id", async () => {
    const pdf = await makePdf(3);
    const a = await stamp(pdf, { riding: true });
    const b = await stamp(Uint8Array.from(pdf), { riding: true });
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
    expect(latin1(a)).not.toMatch(/\/ModDate|\/CreationDate|\/Producer|\/ID\s*\[/);
    // a document with an Info dictionary keeps it as it was
    const withInfo = await makePdf(1, { metadata: true });
    const before = await PDFDocument.load(withInfo, { updateMetadata: false });
    const stamped = await stamp(withInfo);
    const after = await PDFDocument.load(stamped, { updateMetadata: false });
    expect(after.getModificationDate()).toEqual(before.getModificationDate());
    expect(after.getProducer()).toBe(before.getProducer());
    expect(Buffer.from(stamped).equals(Buffer.from(await stamp(withInfo)))).toBe(true);
    // classic xref table, no object streams
    expect(latin1(a)).toMatch(/\nxref\n0 \d+\n/);
    expect(latin1(a)).not.toMatch(/\/ObjStm|\/XRef/);
  });

  it("stamps a PDF saved with object streams (pdf-lib rewrites it with a classic table)", async () => {
    const stamped = await stamp(await makePdf(2, { objectStreams: true }));
    expect(readClassicPdf(stamped).size).toBeGreaterThan(1);
  });
});

describe("embedding the signature by incremental update", () => {
  const sig = Uint8Array.from({ length: 300 }, (_, i) => (i * 7) & 0xff);

  it("appends after an unchanged prefix, with a valid xref section and trailer pointing back to the old one", async () => {
    const stamped = await stamp(await makePdf(1));
    const sealed = embedSignature(stamped, sig, "签章-2026-0001.sig");
    expect(Buffer.from(sealed.subarray(0, stamped.length)).equals(Buffer.from(stamped))).toBe(true);
    expect(stamped[stamped.length - 1]).not.toBe(0x0a); // pdf-lib ends with "%%EOF": the update starts a new line
    expect(sealed[stamped.length]).toBe(0x0a);
    const old = readClassicPdf(stamped);
    const now = readClassicPdf(sealed);
    expect(now.startxref).toBe(lastStartxref(sealed));
    expect(now.size).toBe(old.size + 3);
    expect(now.trailer.get(PDFName.of("Prev"))).toEqual(PDFNumber.of(old.startxref));
    expect(now.trailer.get(PDFName.of("Root"))).toBe(old.trailer.get(PDFName.of("Root")));
    // new objects are numbered from the old /Size and every xref offset points at its "n g obj"
    const tail = latin1(sealed.subarray(stamped.length));
    const section = /xref\n([\s\S]*?)trailer/.exec(tail)![1];
    const entries = Array.from(section.matchAll(/^(\d+) (\d+)\n((?:\d{10} \d{5} n\r\n)+)/gm));
    const listed = entries.flatMap((m) => m[3].match(/\d{10} \d{5} n\r\n/g)!.map((e, i) => ({ num: Number(m[1]) + i, offset: Number(e.slice(0, 10)) })));
    expect(listed.map((e) => e.num).sort((a, b) => a - b)).toEqual([(old.trailer.get(PDFName.of("Root")) as PDFRef).objectNumber, old.size, old.size + 1, old.size + 2]);
    for (const e of listed) expect(latin1(sealed.subarray(e.offset, e.offset + 20))).toMatch(new RegExp(`^${e.num} 0 obj\\n`));
    expect(tail.endsWith("%%EOF\n")).toBe(true);
  });

  it("writes an attachment pdf-lib can read back: uncompressed stream, file name, size and signed length", async () => {
    const stamped = await stamp(await makePdf(1));
    const sealed = embedSignature(stamped, sig, "签章-2026-0001.sig");
    const doc = await PDFDocument.load(sealed, { updateMetadata: false });
    const names = doc.catalog.lookup(PDFName.of("Names"), PDFDict);
    const tree = names.lookup(PDFName.of("EmbeddedFiles"), PDFDict);
    const list = tree.lookup(PDFName.of("Names"), PDFArray);
    expect(list.size()).toBe(2);
    expect((list.get(0) as PDFHexString).decodeText()).toBe("签章-2026-0001.sig");
    const spec = list.lookup(1, PDFDict);
    expect(spec.lookup(PDFName.of("UF"), PDFHexString).decodeText()).toBe("签章-2026-0001.sig");
    expect(spec.get(PDFName.of("AFRelationship"))).toBe(PDFName.of("Data"));
    const file = spec.lookup(PDFName.of("EF"), PDFDict).lookup(PDFName.of("F"), PDFStream) as PDFRawStream;
    expect(file.dict.get(PDFName.of("Filter"))).toBeUndefined();
    expect(file.dict.get(PDFName.of("Subtype"))).toBe(PDFName.of("application/octet-stream"));
    expect(file.dict.lookup(PDFName.of("Params"), PDFDict).get(PDFName.of("Size"))).toEqual(PDFNumber.of(sig.length));
    expect(file.dict.get(PDFName.of("CertsealSignedLength"))).toEqual(PDFNumber.of(stamped.length));
    expect(Buffer.from(file.getContents()).equals(Buffer.from(sig))).toBe(true);
    expect(doc.getPageCount()).toBe(1);
  });

  it("is deterministic", async () => {
    const stamped = await stamp(await makePdf(1));
    expect(Buffer.from(embedSignature(stamped, sig, "a.sig")).equals(Buffer.from(embedSignature(Uint8Array.from(stamped), Uint8Array.from(sig), "a.sig")))).toBe(true);
  });

  it("keeps an existing EmbeddedFiles tree's attachment and adds ours, sorted, with a unique key", async () => {
    const stamped = await stamp(await makePdf(2, { attach: "zz-说明.txt" }));
    const sealed = embedSignature(stamped, sig, "zz-说明.txt");
    const doc = await PDFDocument.load(sealed, { updateMetadata: false });
    const list = doc.catalog.lookup(PDFName.of("Names"), PDFDict).lookup(PDFName.of("EmbeddedFiles"), PDFDict).lookup(PDFName.of("Names"), PDFArray);
    const keys = [0, 2].map((i) => (list.get(i) as PDFHexString | PDFString).decodeText());
    expect(keys).toEqual(["zz-说明.txt", "zz-说明.txt (2)"]);
    const old = list.lookup(1, PDFDict).lookup(PDFName.of("EF"), PDFDict).lookup(PDFName.of("F"), PDFStream) as PDFRawStream;
    expect(Buffer.from(decodePDFRawStream(old).decode()).toString()).toBe("old attachment");
    const extracted = await extractSignature(sealed);
    expect(extracted?.fileName).toBe("zz-说明.txt");
    expect(extracted?.appendedExactly).toBe(true);
  });

  it("keeps other /Names entries (JavaScript) when the document has no EmbeddedFiles yet", async () => {
    const stamped = await stamp(await makePdf(1, { javascript: true }));
    const sealed = embedSignature(stamped, sig, "a.sig");
    const doc = await PDFDocument.load(sealed, { updateMetadata: false });
    const names = doc.catalog.lookup(PDFName.of("Names"), PDFDict);
    expect(names.lookup(PDFName.of("JavaScript"), PDFDict).lookup(PDFName.of("Names"), PDFArray).size()).toBe(2);
    expect(names.lookup(PDFName.of("EmbeddedFiles"), PDFDict).lookup(PDFName.of("Names"), PDFArray).size()).toBe(2);
  });

  it("refuses an empty file name or signature and a PDF that is not a classic-xref PDF", async () => {
    const stamped = await stamp(await makePdf(1));
    expect((await appError(() => embedSignature(stamped, sig, " "))).userMessage).toMatch(/文件名/);
    await appError(() => embedSignature(stamped, sig, "a\nb.sig"));
    expect((await appError(() => embedSignature(stamped, new Uint8Array(0), "a.sig"))).userMessage).toBe("签名数据为空");
    const withObjectStreams = await makePdf(1, { objectStreams: true });
    expect((await appError(() => embedSignature(withObjectStreams, sig, "a.sig"))).userMessage).toMatch(/不支持追加签名/);
    await appError(() => embedSignature(new TextEncoder().encode("garbage"), sig, "a.sig"));
  });
});

describe("signing, extracting and verifying", () => {
  const DAY = 86_400_000;
  const second = (d: Date) => new Date(Math.floor(d.getTime() / 1000) * 1000);
  const ks = memoryKeyStore();
  let ca: Awaited<ReturnType<typeof testCa>>;
  let signer: Awaited<ReturnType<Awaited<ReturnType<typeof testCa>>["issue"]>>;
  let sealDer: Uint8Array;

  beforeAll(async () => {
    ca = await testCa(ks);
    const maker = await ca.issue({ commonName: "测试印章制作单位", serialNumber: "91510100MA0000000A" });
    signer = await ca.issue({ commonName: "成都市测试局合同专用章", organization: "成都市测试局", serialNumber: "11510100MB0000000X" });
    const info: SealInfo = {
      vid: "certseal",
      esID: "51010020260001",
      property: {
        type: 4,
        name: "成都市测试局合同专用章",
        certList: [signer.der],
        createDate: second(new Date(Date.now() - 2 * DAY)),
        validStart: second(new Date(Date.now() - 2 * DAY)),
        validEnd: second(new Date(Date.now() + 300 * DAY)),
      },
      picture: { type: "PNG", data: sealPng, width: SEAL_MM, height: SEAL_MM },
    };
    sealDer = await makeSeal(info, maker.keyId, maker.der, { keyStore: ks });
  });
  afterAll(() => ks.pool.close());

  const opts = () => ({ chain: ca.chain, verify: localVerifier, sealStatus: () => Promise.resolve("ACTIVE" as const) });

  /** The whole server flow: stamp, sign SM3(stamped), attach. */
  async function seal(pages = 3) {
    const pdf = await makePdf(pages);
    const stamped = await stamp(pdf, { position: defaultStampPosition(await pdfPageSizes(pdf), SEAL_MM, SEAL_MM), riding: pages > 1 });
    const sigDer = await signDocument({ sealDer, signerKeyId: signer.keyId, signerCertDer: signer.der, document: stamped, propertyInfo: "doc:2026-0001" }, { keyStore: ks });
    return { stamped, sigDer, sealed: embedSignature(stamped, sigDer, "2026-0001.sig") };
  }
  const check = async (document: Uint8Array, sigDer: Uint8Array, key = "documentUnchanged") => (await verifySignature(document, sigDer, opts())).checks.find((c) => c.key === key)!.ok;

  it("round trip: the extracted prefix and signature verify", async () => {
    const { stamped, sigDer, sealed } = await seal();
    const x = await extractSignature(sealed);
    expect(x).not.toBeNull();
    expect(x!.fileName).toBe("2026-0001.sig");
    expect(x!.appendedExactly).toBe(true);
    expect(Buffer.from(x!.signedBytes).equals(Buffer.from(stamped))).toBe(true);
    expect(Buffer.from(x!.sigDer).equals(Buffer.from(sigDer))).toBe(true);
    const report = await verifySignature(x!.signedBytes, x!.sigDer, opts());
    expect(report.checks.filter((c) => !c.ok)).toEqual([]);
    expect(report.valid).toBe(true);
    // the whole sealed file is not what was signed
    expect(await check(sealed, x!.sigDer)).toBe(false);
  });

  it("one changed byte inside the signed prefix fails documentUnchanged", async () => {
    const { sealed, stamped } = await seal(1);
    const tampered = Uint8Array.from(sealed);
    // a byte of the binary comment on line 2: the file still parses, only the hash changes
    expect(tampered[10]).toBe(0x81);
    tampered[10] = 0x82;
    const x = await extractSignature(tampered);
    expect(x!.signedBytes.length).toBe(stamped.length);
    expect(await check(x!.signedBytes, x!.sigDer)).toBe(false);
    expect((await verifySignature(x!.signedBytes, x!.sigDer, opts())).valid).toBe(false);
  });

  it("extra bytes or a second incremental update after ours make appendedExactly false", async () => {
    const { sealed } = await seal(1);
    const extra = Uint8Array.from([...sealed, ...new TextEncoder().encode("% appended\n")]);
    const x1 = await extractSignature(extra);
    expect(x1!.appendedExactly).toBe(false);
    expect(await check(x1!.signedBytes, x1!.sigDer)).toBe(true);

    // a well-formed second update adding one object
    const { size, startxref, trailer } = readClassicPdf(sealed);
    const head = `${size} 0 obj\n(added later)\nendobj\n`;
    const xrefAt = sealed.length + head.length;
    const update = `${head}xref\n${size} 1\n${String(sealed.length).padStart(10, "0")} 00000 n\r\ntrailer\n<< /Size ${size + 1} /Root ${trailer.get(PDFName.of("Root"))!.toString()} /Prev ${startxref} >>\nstartxref\n${xrefAt}\n%%EOF\n`;
    const updated = Uint8Array.from([...sealed, ...Buffer.from(update, "latin1")]);
    expect(readClassicPdf(updated).lookup(PDFRef.of(size))?.toString()).toBe("(added later)");
    const x2 = await extractSignature(updated);
    expect(x2!.appendedExactly).toBe(false);
    expect(x2!.fileName).toBe("2026-0001.sig");
  });

  it("OpenSSL verifies the extracted SES_Signature and agrees on SM3 of the signed prefix", async () => {
    const { sealed } = await seal(2);
    const x = (await extractSignature(sealed))!;
    const s = decodeSignature(x.sigDer);
    const publicKey = parseCertificate(s.signerCert).publicKey!;
    expect(opensslVerify(publicKey, s.tbsDer, s.signature)).toBe(true);
    const tbs = Uint8Array.from(s.tbsDer);
    tbs[tbs.length - 1] ^= 1;
    expect(opensslVerify(publicKey, tbs, s.signature)).toBe(false);
    const digest = withTempDir((dir) => {
      const f = path.join(dir, "signed.pdf");
      writeFileSync(f, x.signedBytes);
      return execFileSync("openssl", ["dgst", "-sm3", "-r", f]).toString().split(" ")[0];
    });
    expect(digest).toBe(Buffer.from(s.dataHash).toString("hex"));
  });

  it("a document sealed twice: the newest signature is found and verifies", async () => {
    const first = await seal(2);
    const stamped2 = await stamp(first.sealed, { position: { page: 1, x: 300, y: 300 } });
    const sig2 = await signDocument({ sealDer, signerKeyId: signer.keyId, signerCertDer: signer.der, document: stamped2, propertyInfo: "doc:2026-0002" }, { keyStore: ks });
    const sealed2 = embedSignature(stamped2, sig2, "2026-0002.sig");
    const x = (await extractSignature(sealed2))!;
    expect(x.fileName).toBe("2026-0002.sig");
    expect(x.appendedExactly).toBe(true);
    expect(await check(x.signedBytes, x.sigDer)).toBe(true);
  });

  it("returns null for a PDF without a certseal signature and for garbage, never throws", async () => {
    expect(await extractSignature(await makePdf(1, { attach: "readme.txt" }))).toBeNull();
    expect(await extractSignature(new Uint8Array(0))).toBeNull();
    expect(await extractSignature(new TextEncoder().encode("%PDF-1.7\n/CertsealSignedLength 5\n%%EOF"))).toBeNull();
    expect(await extractSignature(Uint8Array.from({ length: 4096 }, (_, i) => (i * 31 + 7) & 0xff))).toBeNull();
    const { sealed } = await seal(1);
    // truncated inside our update: the attachment is gone or unreadable
    expect(await extractSignature(sealed.subarray(0, sealed.length - 400))).toBeNull();
    // the signed length pointing past the file
    const forged = Buffer.from(latin1(sealed).replace(/\/CertsealSignedLength \d+/, (m) => m.replace(/\d+$/, (d) => String(Number(d) * 10))), "latin1");
    expect(await extractSignature(forged)).toBeNull();
  });
});
