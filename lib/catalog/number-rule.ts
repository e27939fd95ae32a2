// 证照编号规则 (encoding rule, L-01, L-06): a pattern of literal text and placeholders from which the
// printed licence number is made, e.g. `{area}{year}{seq:6}` → 5101002026000001.
//
// Placeholders: {area} 6-digit area code · {year} 4-digit year · {year2} last 2 digits of the year ·
// {month} 2-digit month (the issue date in Asia/Shanghai) · {type3} last 3 digits of the type code ·
// {dept} the issuer's short code (1–8 letters, digits or Chinese characters, supplied by the
// issuer's settings) · {seq:n} the sequence, zero-padded to n digits (3–12), exactly once.
// Literal text: letters, digits, `-`, Chinese characters, and the brackets 〔〕（）() that Chinese
// document numbers use for the year (GB/T 9704), e.g. 川食证字〔{year}〕第{seq:6}号.
import "@/lib/validation/zod-zh";
import { z } from "zod";
import { isAreaCode } from "@/lib/validation/codes";
import { shanghaiYmd } from "@/lib/catalog/validity";

export const SEQ_MIN_WIDTH = 3;
export const SEQ_MAX_WIDTH = 12;
export const MAX_NUMBER_LENGTH = 40;
export const DEPT_MAX_LENGTH = 8;
export const PATTERN_MAX_LENGTH = 60; // the column is VARCHAR(60)

const FIXED_WIDTH = { area: 6, year: 4, year2: 2, month: 2, type3: 3 } as const;
type FixedToken = keyof typeof FIXED_WIDTH;

export type NumberToken =
  | { kind: "literal"; text: string }
  | { kind: FixedToken }
  | { kind: "dept" }
  | { kind: "seq"; width: number };

export type ParsedNumberRule = { ok: true; tokens: NumberToken[]; maxLength: number } | { ok: false; error: string };

const LITERAL_CHAR = /^[A-Za-z0-9\-〔〕（）()\p{Script=Han}]$/u;
const DEPT_CODE = /^[A-Za-z0-9\p{Script=Han}]{1,8}$/u;

/** The longest number a rule can give ({dept} counted at its maximum length). */
function lengthOf(tokens: NumberToken[]): number {
  let n = 0;
  for (const t of tokens) {
    if (t.kind === "literal") n += Array.from(t.text).length;
    else if (t.kind === "seq") n += t.width;
    else if (t.kind === "dept") n += DEPT_MAX_LENGTH;
    else n += FIXED_WIDTH[t.kind];
  }
  return n;
}

export function parseNumberRule(pattern: string): ParsedNumberRule {
  if (pattern.trim() === "") return { ok: false, error: "请填写编号规则" };
  if (pattern.length > PATTERN_MAX_LENGTH) return { ok: false, error: `编号规则不超过 ${PATTERN_MAX_LENGTH} 个字符` };
  const tokens: NumberToken[] = [];
  let literal = "";
  let seqCount = 0;
  let i = 0;
  while (i < pattern.length) {
    const ch = pattern[i];
    if (ch === "}") return { ok: false, error: "编号规则中有多余的「}」" };
    if (ch !== "{") {
      const cp = String.fromCodePoint(pattern.codePointAt(i)!);
      if (!LITERAL_CHAR.test(cp)) return { ok: false, error: `编号规则含不允许的字符「${cp}」（固定文字只能用字母、数字、汉字、- 和括号）` };
      literal += cp;
      i += cp.length;
      continue;
    }
    const close = pattern.indexOf("}", i);
    if (close < 0) return { ok: false, error: `占位符「${pattern.slice(i)}」缺少「}」` };
    const name = pattern.slice(i + 1, close);
    if (literal) tokens.push({ kind: "literal", text: literal });
    literal = "";
    if (Object.hasOwn(FIXED_WIDTH, name)) tokens.push({ kind: name as FixedToken });
    else if (name === "dept") tokens.push({ kind: "dept" });
    else if (name === "seq") return { ok: false, error: "流水号须写明位数，如 {seq:6}" };
    else if (/^seq:\d+$/.test(name)) {
      const width = Number(name.slice(4));
      if (width < SEQ_MIN_WIDTH || width > SEQ_MAX_WIDTH) return { ok: false, error: `流水号位数须在 ${SEQ_MIN_WIDTH}–${SEQ_MAX_WIDTH} 之间` };
      seqCount++;
      tokens.push({ kind: "seq", width });
    } else return { ok: false, error: `未知的占位符「{${name}}」` };
    i = close + 1;
  }
  if (literal) tokens.push({ kind: "literal", text: literal });
  if (seqCount === 0) return { ok: false, error: "编号规则须包含一个流水号 {seq:n}" };
  if (seqCount > 1) return { ok: false, error: "流水号 {seq:n} 只能出现一次" };
  const maxLength = lengthOf(tokens);
  if (maxLength > MAX_NUMBER_LENGTH)
    return { ok: false, error: `编号总长度不能超过 ${MAX_NUMBER_LENGTH} 位（现为 ${maxLength} 位，{dept} 按 ${DEPT_MAX_LENGTH} 位计）` };
  return { ok: true, tokens, maxLength };
}

export type NumberContext = { area: string; date: Date; seq: number; typeCode: string; dept?: string };

/** Thrown when a number cannot be made; `message` is Chinese and safe to show. */
export class NumberRuleError extends Error {}

/** The licence number for `ctx`; throws NumberRuleError for a bad rule, context or overflow. */
export function formatNumber(rule: string | NumberToken[], ctx: NumberContext): string {
  let tokens: NumberToken[];
  if (typeof rule === "string") {
    const parsed = parseNumberRule(rule);
    if (!parsed.ok) throw new NumberRuleError(parsed.error);
    tokens = parsed.tokens;
  } else tokens = rule;
  const { y, m } = shanghaiYmd(ctx.date);
  let out = "";
  for (const t of tokens) {
    switch (t.kind) {
      case "literal":
        out += t.text;
        break;
      case "area":
        if (!isAreaCode(ctx.area)) throw new NumberRuleError("属地编码须为 6 位行政区划代码");
        out += ctx.area;
        break;
      case "year":
        out += String(y);
        break;
      case "year2":
        out += String(y).slice(-2);
        break;
      case "month":
        out += String(m).padStart(2, "0");
        break;
      case "type3":
        if (!/\d{3}$/.test(ctx.typeCode)) throw new NumberRuleError("证照类型代码的后 3 位须为数字");
        out += ctx.typeCode.slice(-3);
        break;
      case "dept":
        if (!ctx.dept || !DEPT_CODE.test(ctx.dept)) throw new NumberRuleError(`编号规则需要发证部门简码（1–${DEPT_MAX_LENGTH} 位字母、数字或汉字）`);
        out += ctx.dept;
        break;
      case "seq":
        if (!Number.isSafeInteger(ctx.seq) || ctx.seq < 1) throw new NumberRuleError("流水号须为正整数");
        if (String(ctx.seq).length > t.width) throw new NumberRuleError(`流水号 ${ctx.seq} 超出 ${t.width} 位，请调整编号规则`);
        out += String(ctx.seq).padStart(t.width, "0");
        break;
    }
  }
  return out;
}

export const SAMPLE_NUMBER_CONTEXT: NumberContext = {
  area: "510100",
  date: new Date("2026-01-15T09:00:00+08:00"),
  seq: 1,
  typeCode: "11100000000013338W032",
  dept: "川",
};

/** The example the rule editor shows under the pattern ("例：5101002026000001"), or the error. */
export function previewNumberRule(
  pattern: string,
  sample: Partial<NumberContext> = {},
): { ok: true; example: string; text: string } | { ok: false; error: string } {
  const parsed = parseNumberRule(pattern);
  if (!parsed.ok) return parsed;
  try {
    const example = formatNumber(parsed.tokens, { ...SAMPLE_NUMBER_CONTEXT, ...sample });
    return { ok: true, example, text: `例：${example}` };
  } catch (e) {
    if (e instanceof NumberRuleError) return { ok: false, error: e.message };
    throw e;
  }
}

export const numberRuleSchema = z
  .string({ error: "请填写编号规则" })
  .trim()
  .superRefine((pattern, ctx) => {
    const parsed = parseNumberRule(pattern);
    if (!parsed.ok) ctx.addIssue({ code: "custom", message: parsed.error });
  });
