// Uploads (SECURITY.md): the type is decided by magic bytes, never by the name or the browser's
// claim; sizes are bounded; files are stored under generated ids with their SM3.
import { sm3Hex } from "@/lib/crypto/sm3";
import { AppError } from "@/lib/errors";

export type UploadKind = "pdf" | "png" | "jpeg";
const MIME: Record<UploadKind, string> = { pdf: "application/pdf", png: "image/png", jpeg: "image/jpeg" };

export function sniff(bytes: Uint8Array): UploadKind | null {
  const b = Buffer.from(bytes.subarray(0, 8));
  if (b.subarray(0, 5).toString("latin1") === "%PDF-") return "pdf";
  if (b.equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return "png";
  if (b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return "jpeg";
  return null;
}

export type CheckedUpload = { filename: string; mime: string; size: number; sm3: string; data: Uint8Array<ArrayBuffer> };

export async function checkUploads(
  files: File[],
  opts: { allowed: UploadKind[]; maxBytes: number; maxFiles: number; minFiles?: number; field: string },
): Promise<CheckedUpload[]> {
  const real = files.filter((f) => f.size > 0);
  if (real.length < (opts.minFiles ?? 0)) throw new AppError("INVALID_INPUT", "请上传证明材料", { [opts.field]: "请至少上传一个证明材料（PDF 或图片）" });
  if (real.length > opts.maxFiles) throw new AppError("INVALID_INPUT", `最多上传 ${opts.maxFiles} 个文件`, { [opts.field]: `最多上传 ${opts.maxFiles} 个文件` });
  const out: CheckedUpload[] = [];
  for (const f of real) {
    if (f.size > opts.maxBytes)
      throw new AppError("INVALID_INPUT", `文件 ${f.name} 超过 ${Math.round(opts.maxBytes / 1048576)} MB`, { [opts.field]: `文件 ${f.name} 超过大小限制` });
    const data = new Uint8Array(await f.arrayBuffer());
    const kind = sniff(data);
    if (!kind || !opts.allowed.includes(kind))
      throw new AppError("INVALID_INPUT", `文件 ${f.name} 不是允许的类型（${opts.allowed.join("、").toUpperCase()}）`, {
        [opts.field]: `文件 ${f.name} 的内容不是${opts.allowed.includes("pdf") && opts.allowed.length === 1 ? " PDF 文件" : "允许的类型（" + opts.allowed.join("、").toUpperCase() + "）"}`,
      });
    const base = f.name.replace(/[\\/\u0000-\u001f]/g, "_").slice(0, 150) || "file";
    out.push({ filename: base, mime: MIME[kind], size: data.length, sm3: sm3Hex(data), data });
  }
  return out;
}
