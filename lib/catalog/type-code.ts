// 证照类型代码 (GB/T 36902, STANDARDS.md): the defining authority's 18-character unified social
// credit code followed by a 3-digit sequence, e.g. 11100000000013338W032.
import "@/lib/validation/zod-zh";
import { z } from "zod";
import { usccCheckChar } from "@/lib/validation/codes";

export const TYPE_CODE_LENGTH = 21;

/** Why `code` is not a type code, in Chinese, or null when it is one. */
export function typeCodeIssue(code: string): string | null {
  if (code.length !== TYPE_CODE_LENGTH) return `证照类型代码须为 21 位（现为 ${code.length} 位）`;
  if (/[a-z]/.test(code)) return "证照类型代码中的字母须为大写";
  const definer = code.slice(0, 18);
  const check = usccCheckChar(definer.slice(0, 17));
  if (check === null) return "前 18 位须为定义机构的统一社会信用代码（只含数字和除 I、O、S、V、Z 外的大写字母）";
  if (definer[17] !== check) return `前 18 位须为定义机构的统一社会信用代码（校验位应为 ${check}）`;
  if (!/^\d{3}$/.test(code.slice(18))) return "后 3 位须为数字序号";
  return null;
}

export function isValidTypeCode(code: string): boolean {
  return typeCodeIssue(code) === null;
}

/** The defining authority's code and the sequence; call only on a valid type code. */
export function typeCodeParts(code: string): { definerCode: string; sequence: string } {
  return { definerCode: code.slice(0, 18), sequence: code.slice(18) };
}

export const typeCodeSchema = z
  .string({ error: "请填写证照类型代码" })
  .trim()
  .min(1, "请填写证照类型代码")
  .superRefine((code, ctx) => {
    const issue = typeCodeIssue(code);
    if (issue) ctx.addIssue({ code: "custom", message: issue });
  });
