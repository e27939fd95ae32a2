// Holder codes (P-02): normalising, validating by code type (GB/T 36903 dictionary; USCC by GB 32100,
// citizen ID by GB 11643 MOD 11-2) and masking. Pure functions, safe in client components.
import { holderCodeType, type HolderCategory } from "@/lib/catalog/dictionaries";
import { isValidCitizenId, isValidUscc } from "@/lib/validation/codes";

export const HOLDER_CODE_MAX = 40;
const OTHER_CODE = /^[0-9A-Za-z\-()（）]{4,40}$/;

/** Upper case, no spaces: the form the keyed hash is taken over. */
export function normaliseHolderCode(code: string): string {
  return code.replace(/\s+/g, "").toUpperCase();
}

/** Why the code is not acceptable for this code type and holder category, or null when it is. */
export function holderCodeProblem(codeType: string, code: string, category?: HolderCategory): string | null {
  const def = holderCodeType(codeType);
  if (!def) return "持证主体代码类型不在 GB/T 36903 代码表中";
  if (category && !def.holders.includes(category)) return `「${def.label}」不能用于该类持证主体`;
  const c = normaliseHolderCode(code);
  if (c === "") return "请填写持证主体代码";
  if (def.check === "USCC") return isValidUscc(c) ? null : "统一社会信用代码不正确（18 位，末位校验码须符合 GB 32100）";
  if (def.check === "CITIZEN_ID") return isValidCitizenId(c) ? null : "公民身份号码不正确（18 位，末位校验码须符合 GB 11643）";
  return OTHER_CODE.test(c) ? null : "证件号码应为 4–40 位字母、数字或括号";
}

/** 5101**********1234: the first and last 4 characters of long codes, 1 and 1 of short ones. */
export function maskHolderCode(code: string): string {
  const c = normaliseHolderCode(code);
  if (c.length >= 10) return c.slice(0, 4) + "*".repeat(c.length - 8) + c.slice(-4);
  if (c.length <= 2) return "*".repeat(c.length);
  return c[0] + "*".repeat(c.length - 2) + c.slice(-1);
}

/**
 * 138****5678 for mobiles; ji****@example.com for e-mail addresses (the case kept, the domain
 * shown, at most 2 characters of the name, fewer for short names); otherwise the code rule.
 */
export function maskContact(contact: string): string {
  const c = contact.replace(/\s+/g, "");
  if (/^1\d{10}$/.test(c)) return `${c.slice(0, 3)}****${c.slice(-4)}`;
  const at = c.lastIndexOf("@");
  if (at > 0 && at < c.length - 1) {
    const local = Array.from(c.slice(0, at));
    const keep = local.length >= 3 ? 2 : local.length - 1;
    return `${local.slice(0, keep).join("")}****${c.slice(at)}`;
  }
  return maskHolderCode(c);
}

/** A natural person's name as public pages show it: 张** */
export function maskPersonName(name: string): string {
  const c = Array.from(name.trim());
  return c.length <= 1 ? "*" : c[0] + "*".repeat(Math.min(c.length - 1, 3));
}
