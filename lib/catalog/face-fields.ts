// Face fields (照面信息, L-01): how a licence type defines its face, the zod schema generated from
// that definition (the same one validates the browser form and the server, L-05, L-09), masking
// of sensitive values (P-02, A-05) and sample data for the live preview.
//
// IMAGE values are the id (uuid) of a file uploaded through lib/uploads.ts, never inline data:
// uploads are checked by magic bytes and size there and stored once with their SM3, face data stays
// a small JSON document, and a photo does not travel inside every form post. Whether the id names an
// image the user may attach is the service's check (it needs the database).
import "@/lib/validation/zod-zh";
import { z } from "zod";
import { citizenIdCheckChar, isValidUscc } from "@/lib/validation/codes";

export const FIELD_TYPES = ["TEXT", "NUMBER", "DATE", "DATE_RANGE", "ENUM", "CITIZEN_ID", "USCC", "PHONE", "ADDRESS", "IMAGE"] as const;
export type FieldType = (typeof FIELD_TYPES)[number];
export const FIELD_TYPE_LABELS: Record<FieldType, string> = {
  TEXT: "文本",
  NUMBER: "数字",
  DATE: "日期",
  DATE_RANGE: "日期范围",
  ENUM: "枚举",
  CITIZEN_ID: "公民身份号码",
  USCC: "统一社会信用代码",
  PHONE: "电话",
  ADDRESS: "地址",
  IMAGE: "图片",
};

export const MAX_FACE_FIELDS = 60;
export const MAX_TEXT_LENGTH = 2000;
export const DEFAULT_ADDRESS_MAX = 200;
export const MAX_ENUM_OPTIONS = 200;
export const MAX_DECIMALS = 6;
/** Numbers beyond this lose integer precision in JSON / JavaScript. */
const MAX_ABS_NUMBER = 1e15;

const TEXT_LIKE: readonly FieldType[] = ["TEXT", "ADDRESS"];
const DATE_TYPES: readonly FieldType[] = ["DATE", "DATE_RANGE"];

const KEY_RE = /^[a-z][a-zA-Z0-9_]{0,39}$/;
const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;
const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MOBILE_RE = /^1[3-9]\d{9}$/;
const LANDLINE_RE = /^0\d{2,3}-?\d{7,8}$/;
// Control characters other than tab and line breaks have no place on a printed face.
const CONTROL_RE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

function isRealDate(s: string): boolean {
  if (!DATE_RE.test(s)) return false;
  const [y, m, d] = s.split("-").map(Number);
  const t = new Date(Date.UTC(y, m - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === m - 1 && t.getUTCDate() === d;
}

/** 2024-03-05 → 2024年3月5日 */
export function chineseDate(s: string): string {
  const [y, m, d] = s.split("-").map(Number);
  return `${y}年${m}月${d}日`;
}

const dateString = z.string().refine(isRealDate, "日期须为有效的 YYYY-MM-DD");

// ---------------------------------------------------------------------------------------------
// Field definitions

export const faceFieldDef = z
  .object({
    key: z
      .string({ error: "请填写字段键" })
      .regex(KEY_RE, "字段键须以小写字母开头，只含字母、数字和下划线，不超过 40 位")
      // A key such as "constructor" would read Object.prototype's member where a value is absent.
      .refine((k) => !(k in Object.prototype), "该字段键为保留字，请换一个"),
    label: z.string({ error: "请填写字段名称" }).trim().min(1, "请填写字段名称").max(30, "字段名称不超过 30 字"),
    type: z.enum(FIELD_TYPES, { error: "请选择字段类型" }),
    required: z.boolean(),
    sensitive: z.boolean(),
    minLength: z.number().int("长度须为整数").min(0, "最小长度不能为负").max(MAX_TEXT_LENGTH, `长度不超过 ${MAX_TEXT_LENGTH}`).optional(),
    maxLength: z.number().int("长度须为整数").min(1, "最大长度至少为 1").max(MAX_TEXT_LENGTH, `长度不超过 ${MAX_TEXT_LENGTH}`).optional(),
    min: z.number().min(-MAX_ABS_NUMBER, "最小值过小").max(MAX_ABS_NUMBER, "最小值过大").optional(),
    max: z.number().min(-MAX_ABS_NUMBER, "最大值过小").max(MAX_ABS_NUMBER, "最大值过大").optional(),
    decimals: z.number().int("小数位数须为整数").min(0, "小数位数不能为负").max(MAX_DECIMALS, `小数位数不超过 ${MAX_DECIMALS}`).optional(),
    options: z
      .array(z.string().trim().min(1, "选项不能为空").max(100, "选项不超过 100 字"))
      .min(1, "至少设置一个选项")
      .max(MAX_ENUM_OPTIONS, `选项不超过 ${MAX_ENUM_OPTIONS} 个`)
      .optional(),
    minDate: dateString.optional(),
    maxDate: dateString.optional(),
  })
  .superRefine((f, ctx) => {
    const issue = (path: string, message: string) => ctx.addIssue({ code: "custom", path: [path], message });
    const has = (k: keyof typeof f) => f[k] !== undefined;

    if (!TEXT_LIKE.includes(f.type)) {
      if (has("minLength")) issue("minLength", "只有文本、地址字段可以设置长度");
      if (has("maxLength")) issue("maxLength", "只有文本、地址字段可以设置长度");
    } else if (f.minLength !== undefined && f.maxLength !== undefined && f.minLength > f.maxLength) issue("maxLength", "最大长度不能小于最小长度");

    if (f.type !== "NUMBER") {
      for (const k of ["min", "max", "decimals"] as const) if (has(k)) issue(k, "只有数字字段可以设置取值范围和小数位数");
    } else if (f.min !== undefined && f.max !== undefined) {
      if (f.min > f.max) issue("max", "最大值不能小于最小值");
      else if (f.decimals !== undefined) {
        const scale = 10 ** f.decimals;
        if (Math.ceil(f.min * scale - 1e-9) > Math.floor(f.max * scale + 1e-9)) issue("max", "取值范围内没有符合小数位数的数值");
      }
    }

    if (f.type !== "ENUM") {
      if (has("options")) issue("options", "只有枚举字段可以设置选项");
    } else if (!f.options) issue("options", "枚举字段须设置选项");
    else {
      const seen = new Set<string>();
      f.options.forEach((o, i) => {
        if (seen.has(o)) ctx.addIssue({ code: "custom", path: ["options", i], message: `选项「${o}」重复` });
        seen.add(o);
      });
    }

    if (!DATE_TYPES.includes(f.type)) {
      if (has("minDate")) issue("minDate", "只有日期字段可以设置日期范围");
      if (has("maxDate")) issue("maxDate", "只有日期字段可以设置日期范围");
    } else if (f.minDate && f.maxDate && f.minDate > f.maxDate) issue("maxDate", "最晚日期不能早于最早日期");
  });
export type FaceFieldDef = z.infer<typeof faceFieldDef>;

export const faceFieldList = z
  .array(faceFieldDef)
  .min(1, "至少定义一个照面字段")
  .max(MAX_FACE_FIELDS, `照面字段不超过 ${MAX_FACE_FIELDS} 个`)
  .superRefine((fields, ctx) => {
    const seen = new Set<string>();
    fields.forEach((f, i) => {
      if (seen.has(f.key)) ctx.addIssue({ code: "custom", path: [i, "key"], message: "字段键重复" });
      seen.add(f.key);
    });
  });

// ---------------------------------------------------------------------------------------------
// Face data

export type DateRange = { from: string; to: string };
export type FaceValue = string | number | DateRange;
export type FaceData = Record<string, FaceValue | undefined>;

type Check = { ok: true; value: FaceValue } | { ok: false; message: string; path?: string[] };
const bad = (message: string, path?: string[]): Check => ({ ok: false, message, path });
const good = (value: FaceValue): Check => ({ ok: true, value });

/** Nothing entered: undefined, null, blank text, or a date range with both ends blank. */
function isBlank(v: unknown, f?: FaceFieldDef): boolean {
  if (v === undefined || v === null) return true;
  if (typeof v === "string") return v.trim() === "";
  if (f?.type === "DATE_RANGE" && typeof v === "object" && !Array.isArray(v)) {
    const r = v as Partial<Record<"from" | "to", unknown>>;
    return isBlank(r.from) && isBlank(r.to);
  }
  return false;
}

function checkText(f: FaceFieldDef, v: unknown): Check {
  if (typeof v !== "string") return bad(`「${f.label}」须为文本`);
  const s = v.trim();
  if (CONTROL_RE.test(s)) return bad(`「${f.label}」含有不可见的控制字符`);
  const len = Array.from(s).length;
  const max = f.maxLength ?? (f.type === "ADDRESS" ? DEFAULT_ADDRESS_MAX : MAX_TEXT_LENGTH);
  if (f.minLength !== undefined && len < f.minLength) return bad(`「${f.label}」不能少于 ${f.minLength} 字`);
  if (len > max) return bad(`「${f.label}」不能超过 ${max} 字`);
  return good(s);
}

function decimalsOf(s: string): number {
  const dot = s.indexOf(".");
  return dot < 0 ? 0 : s.length - dot - 1;
}

function checkNumber(f: FaceFieldDef, v: unknown): Check {
  const text = typeof v === "number" ? String(v) : typeof v === "string" ? v.trim() : "";
  if (!/^[+-]?\d+(\.\d+)?$/.test(text)) return bad(`「${f.label}」须为数字`);
  const n = Number(text);
  if (Math.abs(n) > MAX_ABS_NUMBER) return bad(`「${f.label}」的数值过大`);
  if (f.decimals !== undefined && decimalsOf(text) > f.decimals)
    return bad(f.decimals === 0 ? `「${f.label}」须为整数` : `「${f.label}」最多 ${f.decimals} 位小数`);
  if (f.min !== undefined && n < f.min) return bad(`「${f.label}」不能小于 ${f.min}`);
  if (f.max !== undefined && n > f.max) return bad(`「${f.label}」不能大于 ${f.max}`);
  return good(n === 0 ? 0 : n); // no -0 in stored JSON
}

function checkDate(f: FaceFieldDef, v: unknown, what = ""): Check {
  if (typeof v !== "string" || !isRealDate(v.trim())) return bad(`「${f.label}」${what}须为有效日期（年-月-日）`);
  const s = v.trim();
  if (f.minDate && s < f.minDate) return bad(`「${f.label}」${what}不能早于 ${chineseDate(f.minDate)}`);
  if (f.maxDate && s > f.maxDate) return bad(`「${f.label}」${what}不能晚于 ${chineseDate(f.maxDate)}`);
  return good(s);
}

function checkDateRange(f: FaceFieldDef, v: unknown): Check {
  if (typeof v !== "object" || v === null || Array.isArray(v)) return bad(`「${f.label}」须填写起止日期`);
  const r = v as Partial<Record<"from" | "to", unknown>>;
  if (isBlank(r.from)) return bad(`请填写「${f.label}」的开始日期`, ["from"]);
  if (isBlank(r.to)) return bad(`请填写「${f.label}」的结束日期`, ["to"]);
  const from = checkDate(f, r.from, "的开始日期");
  if (!from.ok) return { ...from, path: ["from"] };
  const to = checkDate(f, r.to, "的结束日期");
  if (!to.ok) return { ...to, path: ["to"] };
  if ((from.value as string) > (to.value as string)) return bad(`「${f.label}」的开始日期不能晚于结束日期`, ["to"]);
  return good({ from: from.value as string, to: to.value as string });
}

function checkEnum(f: FaceFieldDef, v: unknown): Check {
  const s = typeof v === "string" ? v.trim() : undefined;
  if (s === undefined || !(f.options ?? []).includes(s)) return bad(`「${f.label}」须从选项中选择`);
  return good(s);
}

function checkCitizenId(f: FaceFieldDef, v: unknown): Check {
  // A lower-case x is what people type; the stored form has the upper-case X of GB 11643.
  const s = typeof v === "string" ? v.trim().toUpperCase() : "";
  if (!/^\d{17}[\dX]$/.test(s)) return bad(`「${f.label}」须为 18 位公民身份号码（末位可为 X）`);
  const y = Number(s.slice(6, 10));
  const birth = `${s.slice(6, 10)}-${s.slice(10, 12)}-${s.slice(12, 14)}`;
  if (y < 1900 || !isRealDate(birth)) return bad(`「${f.label}」中的出生日期无效`);
  if (citizenIdCheckChar(s.slice(0, 17)) !== s[17]) return bad(`「${f.label}」的校验位不正确，请核对`);
  return good(s);
}

function checkUscc(f: FaceFieldDef, v: unknown): Check {
  const s = typeof v === "string" ? v.trim().toUpperCase() : "";
  if (!/^[0-9A-HJ-NPQRTUWXY]{18}$/.test(s)) return bad(`「${f.label}」须为 18 位统一社会信用代码（不含 I、O、S、V、Z）`);
  if (!isValidUscc(s)) return bad(`「${f.label}」的校验位不正确，请核对`);
  return good(s);
}

function checkPhone(f: FaceFieldDef, v: unknown): Check {
  const s = typeof v === "string" ? v.replace(/\s+/g, "") : "";
  if (!MOBILE_RE.test(s) && !LANDLINE_RE.test(s)) return bad(`「${f.label}」须为手机号码或固定电话（如 13812345678、028-12345678）`);
  return good(s);
}

function checkImage(f: FaceFieldDef, v: unknown): Check {
  const s = typeof v === "string" ? v.trim().toLowerCase() : "";
  if (!UUID_RE.test(s)) return bad(`「${f.label}」须为已上传的图片`);
  return good(s);
}

const CHECKS: Record<FieldType, (f: FaceFieldDef, v: unknown) => Check> = {
  TEXT: checkText,
  ADDRESS: checkText,
  NUMBER: checkNumber,
  DATE: (f, v) => checkDate(f, v),
  DATE_RANGE: checkDateRange,
  ENUM: checkEnum,
  CITIZEN_ID: checkCitizenId,
  USCC: checkUscc,
  PHONE: checkPhone,
  IMAGE: checkImage,
};

function missingMessage(f: FaceFieldDef): string {
  if (f.type === "IMAGE") return `请上传「${f.label}」`;
  if (f.type === "ENUM" || DATE_TYPES.includes(f.type)) return `请选择「${f.label}」`;
  return `请填写「${f.label}」`;
}

/** The schema of one field's value: blank → undefined (or "required"), otherwise checked and normalised. */
export function faceValueSchema(f: FaceFieldDef): z.ZodType<FaceValue | undefined> {
  return z.unknown().transform((v, ctx): FaceValue | undefined => {
    if (isBlank(v, f)) {
      if (f.required) ctx.addIssue({ code: "custom", message: missingMessage(f) });
      return undefined;
    }
    const r = CHECKS[f.type](f, v);
    if (r.ok) return r.value;
    ctx.addIssue({ code: "custom", message: r.message, path: r.path });
    return z.NEVER;
  });
}

/**
 * The schema of a licence's face data for these field definitions (validated with faceFieldList
 * when the type was saved). Unknown keys are dropped; blank optional values become undefined.
 */
export function faceSchema(fields: readonly FaceFieldDef[]): z.ZodType<FaceData> {
  const inner = z.object(Object.fromEntries(fields.map((f) => [f.key, faceValueSchema(f)])));
  // an absent key is a blank value (imports and API callers omit optional fields)
  return z.preprocess((v) => {
    if (!v || typeof v !== "object" || Array.isArray(v)) return v;
    const o = v as Record<string, unknown>;
    return { ...o, ...Object.fromEntries(fields.filter((f) => o[f.key] === undefined || o[f.key] === null).map((f) => [f.key, ""])) };
  }, inner);
}

// ---------------------------------------------------------------------------------------------
// Display and masking

/** A value as text for pages and exports; null for images (shown as pictures, not text). */
export function displayValue(f: FaceFieldDef, value: unknown): string | null {
  if (f.type === "IMAGE") return null;
  if (isBlank(value, f)) return "";
  if (f.type === "DATE" && typeof value === "string" && isRealDate(value)) return chineseDate(value);
  if (f.type === "DATE_RANGE" && typeof value === "object") {
    const r = value as Partial<DateRange>;
    const part = (s: unknown) => (typeof s === "string" && isRealDate(s) ? chineseDate(s) : "");
    return `${part(r.from)} 至 ${part(r.to)}`;
  }
  if (f.type === "NUMBER" && typeof value === "number" && f.decimals !== undefined) return value.toFixed(f.decimals);
  return typeof value === "string" || typeof value === "number" ? String(value) : "";
}

/** Keep `head` and `tail` characters, stars in between (at least one star). */
function keepEnds(s: string, head: number, tail: number, stars?: number): string {
  const c = Array.from(s);
  if (c.length <= head + tail) return "*".repeat(Math.max(c.length, 1));
  return c.slice(0, head).join("") + "*".repeat(stars ?? c.length - head - tail) + c.slice(c.length - tail).join("");
}

/** Keep the address down to the county-level division (区/县/旗, not 自治区), else at most 6 characters. */
function maskAddress(s: string): string {
  const c = Array.from(s);
  for (let i = 1; i < Math.min(c.length, 20); i++) {
    if ("区县旗".includes(c[i]) && !(c[i] === "区" && c[i - 2] === "自" && c[i - 1] === "治")) return c.slice(0, i + 1).join("") + "****";
  }
  return c.slice(0, Math.min(6, Math.floor(c.length / 2))).join("") + "****";
}

function maskPhone(s: string): string {
  if (MOBILE_RE.test(s)) return keepEnds(s, 3, 4, 4);
  const dash = s.indexOf("-");
  if (dash > 0) return `${s.slice(0, dash)}-${keepEnds(s.slice(dash + 1), 0, 4, 4)}`;
  return keepEnds(s, 3, 4, 4);
}

/**
 * A value as lists and public pages show it: sensitive fields masked (citizen ID / USCC keep the
 * first and last 4 characters, mobile 3 + 4, text its first character, address down to the
 * county-level division, dates nothing, images are not shown at all → null); other fields as
 * displayValue.
 */
export function maskValue(f: FaceFieldDef, value: unknown): string | null {
  if (!f.sensitive) return displayValue(f, value);
  if (f.type === "IMAGE") return null;
  if (isBlank(value, f)) return "";
  const s = typeof value === "string" ? value.trim() : typeof value === "number" ? String(value) : "";
  switch (f.type) {
    case "CITIZEN_ID":
    case "USCC":
      return keepEnds(s, 4, 4);
    case "PHONE":
      return maskPhone(s);
    case "TEXT": {
      const c = Array.from(s);
      return c.length <= 1 ? "*" : c[0] + "*".repeat(Math.min(c.length - 1, 3));
    }
    case "ADDRESS":
      return maskAddress(s);
    case "DATE":
      return "****-**-**";
    case "DATE_RANGE":
      return "****-**-** 至 ****-**-**";
    case "NUMBER":
    case "ENUM":
      return "****";
  }
}

// ---------------------------------------------------------------------------------------------
// Sample data for the live preview

/** 91 (enterprise) · 510100 (Chengdu) · organisation code MA6CJ7Q5-8 (GB 11714 check) · R (GB 32100 check). */
export const SAMPLE_USCC = "91510100MA6CJ7Q58R";
/** 510104 (Jinjiang) · 1990-03-07 · 123 · check 7 (GB 11643). */
export const SAMPLE_CITIZEN_ID = "510104199003071237";
/** Stands for an uploaded picture; the preview draws a placeholder for it. */
export const SAMPLE_IMAGE_ID = "00000000-0000-4000-8000-000000000000";
const SAMPLE_DATE = "2025-03-15";
const SAMPLE_DATE_END = "2030-03-14";

// Sample text by what the field is about, matched on the label first, then the key.
const TEXT_SAMPLES: [RegExp, string][] = [
  [/经营范围|业务范围|许可范围|scope/i, "软件开发；信息技术咨询服务；数据处理和存储支持服务。"],
  [/地址|住所|address/i, "四川省成都市锦江区红星路三段1号"],
  [/法定代表人|负责人|legalRep|principal/i, "李明"],
  [/名称|企业|单位|company|org|entity/i, "四川示例科技有限公司"],
  [/姓名|持证人|^name$|holderName|personName/i, "张三"],
  [/机关|签发|发证|issuer|authority/i, "成都市行政审批局"],
  [/编号|证号|号码|number|^no$/i, "SC2025000001"],
  [/性别|gender|sex/i, "男"],
  [/民族|ethnic/i, "汉族"],
  [/类型|类别|type|kind/i, "有限责任公司"],
  [/资本|capital/i, "100万元人民币"],
];

function fitLength(sample: string, f: FaceFieldDef): string {
  const max = f.maxLength ?? (f.type === "ADDRESS" ? DEFAULT_ADDRESS_MAX : MAX_TEXT_LENGTH);
  let c = Array.from(sample);
  while (c.length < (f.minLength ?? 0)) c = c.concat(Array.from(sample));
  return c.slice(0, max).join("");
}

function sampleText(f: FaceFieldDef): string {
  const hit = TEXT_SAMPLES.find(([re]) => re.test(f.label)) ?? TEXT_SAMPLES.find(([re]) => re.test(f.key));
  return fitLength(hit ? hit[1] : `示例${f.label}`, f);
}

function clampDate(s: string, f: FaceFieldDef): string {
  if (f.minDate && s < f.minDate) return f.minDate;
  if (f.maxDate && s > f.maxDate) return f.maxDate;
  return s;
}

/** 100, or the nearest value within min/max that has at most `decimals` decimals. */
function sampleNumber(f: FaceFieldDef): number {
  const scale = 10 ** (f.decimals ?? 0);
  const round = (n: number, dir: "up" | "down") =>
    f.decimals === undefined ? n : (dir === "up" ? Math.ceil(n * scale - 1e-9) : Math.floor(n * scale + 1e-9)) / scale;
  if (f.min !== undefined && f.min > 100) return round(f.min, "up");
  if (f.max !== undefined && f.max < 100) return round(f.max, "down");
  return 100;
}

function sampleValue(f: FaceFieldDef): FaceValue {
  switch (f.type) {
    case "TEXT":
      return sampleText(f);
    case "ADDRESS":
      return fitLength("四川省成都市锦江区红星路三段1号", f);
    case "NUMBER":
      return sampleNumber(f);
    case "DATE":
      return clampDate(SAMPLE_DATE, f);
    case "DATE_RANGE":
      return { from: clampDate(SAMPLE_DATE, f), to: clampDate(SAMPLE_DATE_END, f) };
    case "ENUM":
      return (f.options ?? [""])[0];
    case "CITIZEN_ID":
      return SAMPLE_CITIZEN_ID;
    case "USCC":
      return SAMPLE_USCC;
    case "PHONE":
      return "13812345678";
    case "IMAGE":
      return SAMPLE_IMAGE_ID;
  }
}

/** Realistic values for every field (optional ones too) that pass faceSchema(fields). */
export function sampleFaceData(fields: readonly FaceFieldDef[]): FaceData {
  return Object.fromEntries(fields.map((f) => [f.key, sampleValue(f)]));
}
