// Forms and actions of the holiday calendar (O-04) and of the objection deadline settings (O-02,
// O-03; kept here because lib/objections/settings.ts is server-only and the edit modal shares
// the schema). Client-safe: no server imports.
import { z } from "zod";
import { DAY_KINDS } from "@/lib/calendar/calendar";
import { isWeekend, isYmd } from "@/lib/calendar/working-days";

export const CALENDAR_MIN_YEAR = 2000;
export const CALENDAR_MAX_YEAR = 2100;
export const NAME_MAX = 50;
/** Upload limits of a schedule file (a year has at most ~40 listed days; the package's whole JSON is ~60 KB). */
export const IMPORT_MAX_BYTES = 1024 * 1024;
export const IMPORT_MAX_ENTRIES = 400;

/** YYYY-MM-DD of a day that exists: a well-formed but impossible date (2027-02-30) is named as such. */
const ymd = z
  .string({ message: "请填写日期" })
  .trim()
  .superRefine((s, ctx) => {
    if (isYmd(s)) return;
    ctx.addIssue({ code: "custom", message: /^\d{4}-\d{2}-\d{2}$/.test(s) ? `日期不存在：${s}` : "日期格式应为 YYYY-MM-DD" });
  });
const year = z.number({ message: "请选择年度" }).int("请选择年度").min(CALENDAR_MIN_YEAR, `年度不能早于 ${CALENDAR_MIN_YEAR}`).max(CALENDAR_MAX_YEAR, `年度不能晚于 ${CALENDAR_MAX_YEAR}`);
const dayName = z.string({ message: "请填写名称" }).trim().min(1, "请填写名称，如「春节」").max(NAME_MAX, `名称不超过 ${NAME_MAX} 个字`);
/** The updatedAt (ISO) of the row the editor saw, or null when the day had no row. */
const seen = z.string().datetime({ message: "页面数据已过期，请刷新" }).nullable();

export const dayKind = z.enum(DAY_KINDS, { message: "请选择类型（节假日或调休上班）" });

/** One listed day; an adjusted working day only makes sense on a Saturday or Sunday. */
export const calendarEntry = z
  .object({ date: ymd, kind: dayKind, name: dayName })
  .refine((e) => e.kind !== "WORKDAY" || !isYmd(e.date) || isWeekend(e.date), { path: ["kind"], message: "周一至周五本就是工作日，调休上班只能设在周六或周日" });
export type CalendarEntry = z.infer<typeof calendarEntry>;

export const daySetInput = z.object({ date: ymd, kind: dayKind, name: dayName, seen }).refine((e) => e.kind !== "WORKDAY" || !isYmd(e.date) || isWeekend(e.date), {
  path: ["kind"],
  message: "周一至周五本就是工作日，调休上班只能设在周六或周日",
});
export type DaySetInput = z.infer<typeof daySetInput>;

export const dayRemoveInput = z.object({ date: ymd, seen: z.string().datetime({ message: "页面数据已过期，请刷新" }) });
export type DayRemoveInput = z.infer<typeof dayRemoveInput>;

export const yearCoverInput = z.object({
  year,
  covered: z.boolean({ message: "请选择是否已导入" }),
  note: z.string().trim().max(200, "说明不超过 200 个字").optional().default(""),
});
export type YearCoverInput = z.input<typeof yearCoverInput>;

/** The year chosen for an import and the file (its content is checked by lib/calendar/import.ts). */
export const importPreviewInput = z.object({
  year,
  file: z
    .instanceof(File, { message: "请选择要导入的 JSON 或 XLSX 文件" })
    .refine((f) => f.size > 0, "请选择要导入的 JSON 或 XLSX 文件")
    .refine((f) => f.size <= IMPORT_MAX_BYTES, `文件不能超过 ${IMPORT_MAX_BYTES / 1024 / 1024} MB`),
});

/** ?year= on the calendar page and its export: forgiving, the current year otherwise. */
export const yearParam = (fallback: number) => z.coerce.number().int().min(CALENDAR_MIN_YEAR).max(CALENDAR_MAX_YEAR).catch(fallback);

/** What the preview showed, sent back to apply it: the year's entries and the state they were compared with. */
export const importConfirmInput = z.object({
  year,
  entries: z.array(calendarEntry).min(1, "没有可导入的记录").max(IMPORT_MAX_ENTRIES, `一次最多导入 ${IMPORT_MAX_ENTRIES} 条`),
  fingerprint: z.string().regex(/^[0-9a-f]{64}$/, "预览已过期，请重新上传"),
  fileName: z.string().trim().max(200).optional().default(""),
  /** the file's SM3 and the server's proof that this preview (file, name, year, entries) is its own */
  sm3: z.string().regex(/^[0-9a-f]{64}$/, "预览已过期，请重新上传"),
  proof: z.string().regex(/^[0-9a-f]{64}$/, "预览已过期，请重新上传"),
});
export type ImportConfirmInput = z.input<typeof importConfirmInput>;

// ---- objection deadline settings ----

export const MARK_DAYS_MAX = 30;
export const RESOLVE_DAYS_MAX = 60;

const days = (what: string, max: number) =>
  z
    .number({ message: `请填写${what}（工作日数）` })
    .int(`${what}应为整数个工作日`)
    .min(1, `${what}至少 1 个工作日`)
    .max(max, `${what}不能超过 ${max} 个工作日`);

export const objectionSettingInput = z
  .object({
    areaCode: z.string({ message: "请选择区域" }).regex(/^\d{6}$/, "请选择区域"),
    markDays: days("标注时限", MARK_DAYS_MAX),
    resolveDays: days("办结时限", RESOLVE_DAYS_MAX),
    /** the row's rev as shown, or null when the region had no row of its own */
    rev: z.number().int().min(0).nullable(),
  })
  .refine((v) => v.resolveDays >= v.markDays, { path: ["resolveDays"], message: "办结时限不能短于标注时限" });
export type ObjectionSettingInput = z.infer<typeof objectionSettingInput>;

export const objectionSettingResetInput = z.object({
  areaCode: z.string({ message: "请选择区域" }).regex(/^\d{6}$/, "请选择区域"),
  rev: z.number().int().min(0),
});
export type ObjectionSettingResetInput = z.infer<typeof objectionSettingResetInput>;
