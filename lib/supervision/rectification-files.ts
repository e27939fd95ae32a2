// The response attachments of rectification orders (V-02, SECURITY.md "Uploads"): PDF, JPEG, PNG,
// DOCX or XLSX decided by the bytes, never by the name or the browser's claim. A DOCX / XLSX is a
// ZIP (OOXML) whose central directory names word/document.xml or xl/workbook.xml together with
// [Content_Types].xml; any other ZIP is refused. Sizes and counts bounded; SM3 of every file kept.
import "server-only";
import { sm3Hex } from "@/lib/crypto/sm3";
import { AppError } from "@/lib/errors";
import { sniff } from "@/lib/uploads";
import { ATTACHMENT_KINDS, ATTACHMENT_LIMITS, type AttachmentKind } from "@/lib/supervision/rectification-schema";
import { uploadDownloadName, type DownloadName } from "@/lib/http/download";

export const ATTACHMENT_MIME: Record<AttachmentKind, string> = {
  pdf: "application/pdf",
  jpeg: "image/jpeg",
  png: "image/png",
  docx: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
  xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
};
export const ATTACHMENT_EXT: Record<string, string[]> = {
  "application/pdf": ["pdf"],
  "image/jpeg": ["jpg", "jpeg"],
  "image/png": ["png"],
  [ATTACHMENT_MIME.docx]: ["docx"],
  [ATTACHMENT_MIME.xlsx]: ["xlsx"],
};

/** The names in a ZIP's central directory, or null when the bytes are not a well-formed ZIP. */
export function zipEntryNames(bytes: Uint8Array): string[] | null {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (b.length < 22 || b.readUInt32LE(0) !== 0x04034b50) return null;
  const stop = Math.max(0, b.length - 22 - 0xffff);
  let eocd = -1;
  for (let i = b.length - 22; i >= stop; i--)
    if (b.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  if (eocd < 0) return null;
  const count = b.readUInt16LE(eocd + 10);
  let p = b.readUInt32LE(eocd + 16);
  const names: string[] = [];
  for (let n = 0; n < count && n < 10_000; n++) {
    if (p + 46 > b.length || b.readUInt32LE(p) !== 0x02014b50) return null;
    const nameLen = b.readUInt16LE(p + 28);
    const extraLen = b.readUInt16LE(p + 30);
    const commentLen = b.readUInt16LE(p + 32);
    if (p + 46 + nameLen > b.length) return null;
    names.push(b.subarray(p + 46, p + 46 + nameLen).toString("utf8"));
    p += 46 + nameLen + extraLen + commentLen;
  }
  return names;
}

/** The attachment's kind by its bytes, or null. */
export function sniffAttachment(bytes: Uint8Array): AttachmentKind | null {
  const k = sniff(bytes);
  if (k) return k;
  const names = zipEntryNames(bytes);
  if (!names || !names.includes("[Content_Types].xml")) return null;
  if (names.includes("word/document.xml")) return "docx";
  if (names.includes("xl/workbook.xml")) return "xlsx";
  return null;
}

export type CheckedAttachment = { filename: string; mime: string; size: number; sm3: string; data: Uint8Array<ArrayBuffer> };

const TYPES = "PDF、JPEG、PNG、DOCX、XLSX";

/** Checks the response's files: ≤ 5, ≤ 10 MiB each, one of the allowed kinds by magic bytes. */
export async function checkAttachments(files: File[], field = "attachments"): Promise<CheckedAttachment[]> {
  const real = files.filter((f) => f.size > 0);
  if (real.length > ATTACHMENT_LIMITS.maxFiles) throw new AppError("INVALID_INPUT", `最多上传 ${ATTACHMENT_LIMITS.maxFiles} 个附件`, { [field]: `最多上传 ${ATTACHMENT_LIMITS.maxFiles} 个附件` });
  const out: CheckedAttachment[] = [];
  for (const f of real) {
    if (f.size > ATTACHMENT_LIMITS.maxBytes) throw new AppError("INVALID_INPUT", `附件 ${f.name} 超过 10 MB`, { [field]: `附件 ${f.name} 超过 10 MB` });
    const data = new Uint8Array(await f.arrayBuffer());
    const kind = sniffAttachment(data);
    if (!kind || !(ATTACHMENT_KINDS as readonly string[]).includes(kind))
      throw new AppError("INVALID_INPUT", `附件 ${f.name} 不是允许的类型（${TYPES}）`, { [field]: `附件 ${f.name} 的内容不是允许的类型（${TYPES}）` });
    const base = f.name.replace(/[\\/\u0000-\u001f]/g, "_").slice(0, 150) || "file";
    out.push({ filename: base, mime: ATTACHMENT_MIME[kind], size: data.length, sm3: sm3Hex(data), data });
  }
  return out;
}

/** The download name: a generated ASCII one (filename=) and the uploader's, cleaned (filename*). */
export function attachmentDownloadName(id: string, mime: string, fileName: string): DownloadName {
  return uploadDownloadName("attachment", id, ATTACHMENT_EXT[mime] ?? ["bin"], fileName);
}
