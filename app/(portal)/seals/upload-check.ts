// The browser-side check of proof files (apply form, protection reset); the server checks again
// by magic bytes in lib/uploads.ts.
import { MATERIAL_MAX_BYTES, MATERIAL_MAX_FILES } from "@/lib/seals/schema";

export const UPLOAD_ACCEPT = "application/pdf,image/png,image/jpeg,.pdf,.png,.jpg,.jpeg";
export const UPLOAD_HINT = `PDF 或 PNG/JPEG，最多 ${MATERIAL_MAX_FILES} 个，每个不超过 ${MATERIAL_MAX_BYTES / 1048576} MB`;
const ALLOWED = /\.(pdf|png|jpe?g)$/i;

export function checkFiles(list: File[]): string | null {
  if (list.length === 0) return "请至少上传一个证明材料（PDF 或图片）";
  if (list.length > MATERIAL_MAX_FILES) return `最多上传 ${MATERIAL_MAX_FILES} 个文件`;
  for (const f of list) {
    if (!ALLOWED.test(f.name)) return `文件 ${f.name} 不是 PDF 或 PNG/JPEG 图片`;
    if (f.size === 0) return `文件 ${f.name} 是空文件`;
    if (f.size > MATERIAL_MAX_BYTES) return `文件 ${f.name} 超过 ${MATERIAL_MAX_BYTES / 1048576} MB`;
  }
  return null;
}

/** When the request never reached the action (network failure, or a body over the server's limit). */
export const TRANSPORT_ERROR = "提交失败：网络异常或上传内容过大，请检查材料大小后重试";
