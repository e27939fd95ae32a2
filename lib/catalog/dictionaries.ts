// Code lists of the licence catalog (L-01 … L-03). Every list is an ordered array of
// { code, label }: codes are stable English identifiers stored in the database, labels are what
// people see; the order is the order of select options. Each list says where it comes from.

type Entry = { readonly code: string; readonly label: string };

/** The codes of a list as the non-empty tuple z.enum wants. */
export function codesOf<const T extends readonly Entry[]>(list: T): [T[number]["code"], ...T[number]["code"][]] {
  return list.map((e) => e.code) as [T[number]["code"], ...T[number]["code"][]];
}

/** code → label of a list. */
export function labelsOf<const T extends readonly Entry[]>(list: T): Record<T[number]["code"], string> {
  return Object.fromEntries(list.map((e) => [e.code, e.label])) as Record<T[number]["code"], string>;
}

// 证照类别: the kinds named in the definition of an electronic licence (XA-L Art.5 "证件、执（牌）照、
// 批文、鉴定报告、证明材料"; XC Art.3 adds 办事结果, which falls under 其他).
export const LICENCE_CATEGORIES = [
  { code: "CERTIFICATE", label: "证件" },
  { code: "LICENCE", label: "执照" },
  { code: "APPROVAL", label: "批文" },
  { code: "PROOF", label: "证明" },
  { code: "APPRAISAL", label: "鉴定报告" },
  { code: "OTHER", label: "其他" },
] as const;
export type LicenceCategory = (typeof LICENCE_CATEGORIES)[number]["code"];
export const LICENCE_CATEGORY_LABELS = labelsOf(LICENCE_CATEGORIES);

// 持证主体类别 (P-02; JL Art.11 "持证主体类别"), the three kinds of civil subject of the Civil Code.
export const HOLDER_CATEGORIES = [
  { code: "NATURAL_PERSON", label: "自然人" },
  { code: "LEGAL_PERSON", label: "法人" },
  { code: "UNINCORPORATED", label: "非法人组织" },
] as const;
export type HolderCategory = (typeof HOLDER_CATEGORIES)[number]["code"];
export const HOLDER_CATEGORY_LABELS = labelsOf(HOLDER_CATEGORIES);

export type HolderCodeTypeDef = {
  code: string;
  label: string;
  /** holder categories this document can identify */
  holders: readonly HolderCategory[];
  /** the check-character rule lib/validation/codes.ts applies, when the document has one */
  check?: "USCC" | "CITIZEN_ID";
};

// 持证主体代码类型, GB/T 36903 appendix as implemented by the national platform (STANDARDS.md).
// The standard fixes the codes; the names of 114–122 are the ones commonly implemented.
// 001 suits natural persons too: an individual business (个体工商户, Civil Code Art.54) is a natural
// person that holds a unified social credit code.
export const HOLDER_CODE_TYPES = [
  { code: "001", label: "统一社会信用代码", holders: ["LEGAL_PERSON", "UNINCORPORATED", "NATURAL_PERSON"], check: "USCC" },
  { code: "099", label: "其他组织证件", holders: ["LEGAL_PERSON", "UNINCORPORATED"] },
  { code: "111", label: "公民身份号码", holders: ["NATURAL_PERSON"], check: "CITIZEN_ID" },
  { code: "114", label: "中国人民解放军军官证", holders: ["NATURAL_PERSON"] },
  { code: "115", label: "中国人民武装警察警官证", holders: ["NATURAL_PERSON"] },
  { code: "118", label: "士兵证", holders: ["NATURAL_PERSON"] },
  { code: "119", label: "军队学员证", holders: ["NATURAL_PERSON"] },
  { code: "120", label: "军队离退休干部证", holders: ["NATURAL_PERSON"] },
  { code: "122", label: "军队文职干部证", holders: ["NATURAL_PERSON"] },
  { code: "411", label: "外交护照", holders: ["NATURAL_PERSON"] },
  { code: "412", label: "公务护照", holders: ["NATURAL_PERSON"] },
  { code: "413", label: "因公普通护照", holders: ["NATURAL_PERSON"] },
  { code: "414", label: "普通护照", holders: ["NATURAL_PERSON"] },
  { code: "511", label: "台湾居民来往大陆通行证", holders: ["NATURAL_PERSON"] },
  { code: "516", label: "港澳居民来往内地通行证", holders: ["NATURAL_PERSON"] },
  { code: "999", label: "其他", holders: ["NATURAL_PERSON", "LEGAL_PERSON", "UNINCORPORATED"] },
] as const satisfies readonly HolderCodeTypeDef[];
export type HolderCodeType = (typeof HOLDER_CODE_TYPES)[number]["code"];
export const HOLDER_CODE_TYPE_LABELS = labelsOf(HOLDER_CODE_TYPES);

export function holderCodeType(code: string): HolderCodeTypeDef | undefined {
  return (HOLDER_CODE_TYPES as readonly HolderCodeTypeDef[]).find((t) => t.code === code);
}

/** The code types a holder of this category may present, in the standard's order. */
export function holderCodeTypesFor(category: HolderCategory): HolderCodeTypeDef[] {
  return (HOLDER_CODE_TYPES as readonly HolderCodeTypeDef[]).filter((t) => t.holders.includes(category));
}

// 共享属性 (L-01; JL Art.26 on conditional sharing).
export const SHARING_ATTRIBUTES = [
  { code: "UNCONDITIONAL", label: "无条件共享" },
  { code: "CONDITIONAL", label: "有条件共享" },
  { code: "NONE", label: "不予共享" },
] as const;
export type SharingAttribute = (typeof SHARING_ATTRIBUTES)[number]["code"];
export const SHARING_ATTRIBUTE_LABELS = labelsOf(SHARING_ATTRIBUTES);

// 数据汇聚方式 of the issuance list (L-02; JL Art.11) and the sync deadline each implies
// (L-05; XC Art.13: online at once, offline within 1 working day, bulk within 5 working days).
export const AGGREGATION_MODES = [
  { code: "ONLINE", label: "实时" },
  { code: "OFFLINE", label: "离线" },
  { code: "BULK", label: "批量" },
] as const;
export type AggregationMode = (typeof AGGREGATION_MODES)[number]["code"];
export const AGGREGATION_MODE_LABELS = labelsOf(AGGREGATION_MODES);
export const AGGREGATION_SYNC_WORKING_DAYS: Record<AggregationMode, number> = { ONLINE: 0, OFFLINE: 1, BULK: 5 };

// 使用场景 of the use list (L-03; JL Art.22 (一)–(四)).
export const USE_SCENARIOS = [
  { code: "VIEW", label: "视读" },
  { code: "VERIFY", label: "核验" },
  { code: "DATA", label: "信息获取" },
  { code: "ANNOTATED_COPY", label: "加注件下载" },
] as const;
export type UseScenario = (typeof USE_SCENARIOS)[number]["code"];
export const USE_SCENARIO_LABELS = labelsOf(USE_SCENARIOS);

// 用证依据 (U-01): use by function needs a use-list entry, holder authorisation is recorded per use,
// and licences that must be public can be used on that basis (U-02; SC-L Art.10, JL Art.18-19).
export const USE_BASES = [
  { code: "FUNCTION", label: "依职能" },
  { code: "HOLDER_AUTH", label: "持证人授权" },
  { code: "PUBLIC", label: "公示" },
] as const;
export type UseBasis = (typeof USE_BASES)[number]["code"];
export const USE_BASIS_LABELS = labelsOf(USE_BASES);

// States of a licence-type version (L-01, L-04): only a released version can be issued; a type in
// use is retired, never deleted.
export const VERSION_STATES = [
  { code: "DRAFT", label: "草稿" },
  { code: "UNDER_REVIEW", label: "审核中" },
  { code: "RELEASED", label: "已发布" },
  { code: "RETIRED", label: "已停用" },
] as const;
export type VersionState = (typeof VERSION_STATES)[number]["code"];
export const VERSION_STATE_LABELS = labelsOf(VERSION_STATES);

// Page layouts of the face template (照面模板, L-01, L-07).
export const FACE_LAYOUTS = [
  { code: "PORTRAIT_CERT", label: "竖版证书" },
  { code: "LANDSCAPE_LICENCE", label: "横版执照" },
  { code: "CARD", label: "卡证" },
] as const;
export type FaceLayout = (typeof FACE_LAYOUTS)[number]["code"];
export const FACE_LAYOUT_LABELS = labelsOf(FACE_LAYOUTS);
