// Spot checks (V-03) as data: kinds, statuses, results, and the zod schemas of every form and of
// the list's filter — the same on client and server. Pure: safe in client components.
import "@/lib/validation/zod-zh";
import { z } from "zod";
import { PAGE_SIZES } from "@/lib/pagination";

export const SPOT_CHECK_KINDS = ["LICENCE", "SEAL_USE"] as const;
export type SpotCheckKind = (typeof SPOT_CHECK_KINDS)[number];
export const SPOT_CHECK_KIND_LABELS: Record<SpotCheckKind, string> = { LICENCE: "电子证照", SEAL_USE: "电子印章使用" };

export const SPOT_CHECK_STATUSES = ["OPEN", "DONE"] as const;
export type SpotCheckStatus = (typeof SPOT_CHECK_STATUSES)[number];
export const SPOT_CHECK_STATUS_LABELS: Record<SpotCheckStatus, string> = { OPEN: "检查中", DONE: "已完成" };

export const SPOT_RESULTS = ["PASS", "FAIL"] as const;
export type SpotResult = (typeof SPOT_RESULTS)[number];
export const SPOT_RESULT_LABELS: Record<SpotResult, string> = { PASS: "合格", FAIL: "不合格" };

export const MAX_DEPTS = 50;
export const MAX_PER_DEPT = 200;
export const SPOT_NUMBER_RE = /^CC\d{11}$/;
/** A seed as entered or stored: lowercase hex, a whole number of bytes, 1 … 32 bytes. */
export const SEED_RE = /^(?:[0-9a-f]{2}){1,32}$/;

const isRealDate = (s: string) => {
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
};
const ymd = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "请选择日期").refine(isRealDate, "日期无效");
const uuid = (msg: string) => z.string({ error: msg }).uuid(msg);
const rev = z.number({ error: "请刷新页面后重试" }).int().min(0);

export const createSpotCheckInput = z.object({
  kind: z.enum(SPOT_CHECK_KINDS, { error: "请选择抽查对象" }),
  deptIds: z
    .array(uuid("请选择部门"), { error: "请选择被抽查的部门" })
    .min(1, "请至少选择一个部门")
    .max(MAX_DEPTS, `一次最多抽查 ${MAX_DEPTS} 个部门`)
    .refine((ids) => new Set(ids).size === ids.length, "部门重复"),
  perDept: z.coerce
    .number({ error: "请填写每个部门抽取的数量" })
    .int("抽取数量须为整数")
    .min(1, "每个部门至少抽取 1 条")
    .max(MAX_PER_DEPT, `每个部门最多抽取 ${MAX_PER_DEPT} 条`),
  /** candidates issued / used on or after this day (Asia/Shanghai); empty: from the beginning */
  periodFrom: z.union([z.literal(""), ymd]).default(""),
  /** empty: 32 random bytes; else hex, to reproduce a check */
  seed: z
    .string()
    .trim()
    .toLowerCase()
    .refine((s) => s === "" || SEED_RE.test(s), "随机种子须为十六进制，偶数位，最长 64 位")
    .default(""),
});
export type CreateSpotCheckInput = z.infer<typeof createSpotCheckInput>;
export type CreateSpotCheckFormInput = z.input<typeof createSpotCheckInput>;

export const recordItemInput = z
  .object({
    itemId: uuid("抽查项不存在"),
    rev,
    result: z.enum(SPOT_RESULTS, { error: "请选择检查结果" }),
    findings: z.string().trim().max(2000, "检查发现不超过 2000 字").default(""),
  })
  .superRefine((v, ctx) => {
    if (v.result === "FAIL" && v.findings.length < 2) ctx.addIssue({ code: "custom", path: ["findings"], message: "不合格时请填写检查发现的问题" });
  });
export type RecordItemInput = z.infer<typeof recordItemInput>;
export type RecordItemFormInput = z.input<typeof recordItemInput>;

export const closeSpotCheckInput = z.object({
  id: uuid("抽查不存在"),
  rev,
  summary: z.string().trim().max(2000, "抽查结论不超过 2000 字").default(""),
});
export type CloseSpotCheckInput = z.infer<typeof closeSpotCheckInput>;
export type CloseSpotCheckFormInput = z.input<typeof closeSpotCheckInput>;

const loose = <T extends z.ZodType>(s: T) => s.optional().catch(undefined);

export const spotCheckFilter = z.object({
  page: z.coerce.number().int().min(1).max(100_000).catch(1),
  pageSize: z.coerce.number().int().refine((v) => (PAGE_SIZES as readonly number[]).includes(v)).catch(20),
  number: loose(z.string().trim().toUpperCase().max(20)),
  kind: loose(z.enum(SPOT_CHECK_KINDS)),
  status: loose(z.enum(SPOT_CHECK_STATUSES)),
  from: loose(ymd),
  to: loose(ymd),
});
export type SpotCheckFilter = z.infer<typeof spotCheckFilter>;

/** A pass rate as the pages show it (one decimal), "—" when nothing was checked. */
export const pct = (r: number | null) => (r === null ? "—" : `${(r * 100).toFixed(1)}%`);
