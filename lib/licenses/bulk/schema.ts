// zod schemas and labels of the bulk-conversion page and its actions (L-09); safe in client components.
import "@/lib/validation/zod-zh";
import { z } from "zod";

export const IMPORT_STATUSES = ["VALIDATING", "VALIDATED", "QUEUED", "RUNNING", "PAUSED", "DONE", "FAILED", "CANCELLED"] as const;
export type ImportStatus = (typeof IMPORT_STATUSES)[number];

export const IMPORT_STATUS_LABELS: Record<ImportStatus, string> = {
  VALIDATING: "预检中",
  VALIDATED: "待确认",
  QUEUED: "排队中",
  RUNNING: "导入中",
  PAUSED: "已暂停",
  DONE: "完成",
  FAILED: "失败",
  CANCELLED: "已取消",
};

/** Upload limit: a 100,000-row CSV with Chinese text is about 30 MB (the server-action body limit is 52 MB). */
export const IMPORT_MAX_BYTES = 40 * 1024 * 1024;
export const IMPORT_MAX_ROWS = 100_000;

/** Statuses whose page polls the progress route. */
export const ACTIVE_STATUSES: readonly ImportStatus[] = ["VALIDATING", "QUEUED", "RUNNING"];

const DATETIME_LOCAL = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/;

/** The upload form without its file (the file is checked by the action: size, then content). */
export const uploadFields = z
  .object({
    typeId: z.string().uuid("请选择证照类型"),
    businessCompletedAt: z.string().regex(DATETIME_LOCAL, "请填写默认的业务办结时间"),
  })
  .superRefine((v, ctx) => {
    const at = new Date(`${v.businessCompletedAt.length === 16 ? `${v.businessCompletedAt}:00` : v.businessCompletedAt}+08:00`);
    if (Number.isNaN(at.getTime())) ctx.addIssue({ code: "custom", path: ["businessCompletedAt"], message: "业务办结时间不正确" });
    else if (at.getTime() > Date.now() + 5 * 60_000) ctx.addIssue({ code: "custom", path: ["businessCompletedAt"], message: "业务办结时间不能晚于现在" });
  });
export type UploadFields = z.infer<typeof uploadFields>;

export const importIdInput = z.object({ importId: z.string().uuid("导入记录不存在") });
