// Labels, badges and value formats of the catalog pages (server or client).
import {
  FACE_LAYOUT_LABELS,
  HOLDER_CATEGORY_LABELS,
  HOLDER_CODE_TYPE_LABELS,
  LICENCE_CATEGORY_LABELS,
  SHARING_ATTRIBUTE_LABELS,
  VERSION_STATE_LABELS,
} from "@/lib/catalog/dictionaries";
import { validityLabel, type ValidityRule } from "@/lib/catalog/validity";

const TONE: Record<string, string> = { DRAFT: "", UNDER_REVIEW: "warn", RELEASED: "ok", RETIRED: "danger" };

export function VersionBadge({ status }: { status: string }) {
  return (
    <span className={`badge ${TONE[status] ?? ""}`} data-status={status}>
      {label(VERSION_STATE_LABELS, status)}
    </span>
  );
}

/** The label of `code` in a dictionary, or the code itself when unknown (old data). */
export function label(map: Record<string, string>, code: unknown): string {
  return typeof code === "string" ? (map[code] ?? code) : "";
}

export const CHANGE_LABELS: Record<string, string> = {
  create: "新建",
  edit: "修改草稿",
  new_version: "生成新版本",
  submit: "提交审核",
  release: "发布",
  return: "退回修改",
  retire: "停用",
  import: "导入",
};

/** Labels of the content fields, in the order the history shows them. */
export const CONTENT_LABELS: Record<string, string> = {
  status: "状态",
  name: "证照类型名称",
  definingAuthority: "证照定义机构",
  definingAuthorityCode: "定义机构代码",
  category: "证照类别",
  holderCategories: "持证主体类别",
  holderCodeTypes: "持证主体代码类型",
  validity: "有效期限",
  legalBasis: "设定依据",
  matters: "关联事项",
  sharing: "共享属性",
  sharingConditions: "共享条件",
  publicity: "公示",
  issuingDeptIds: "发证部门",
  sealIds: "签章印章",
  numberRule: "编号规则",
  allowMultiple: "允许持有多个有效证照",
  faceFields: "照面信息",
  faceLayout: "照面版式",
};

export type NameMaps = { depts: Record<string, string>; seals: Record<string, string> };

const list = (v: unknown) => (Array.isArray(v) ? v : []);

/** One content value as text for the history and review pages. */
export function formatValue(key: string, v: unknown, names: NameMaps): string {
  if (v === null || v === undefined || v === "") return "（空）";
  switch (key) {
    case "status":
      return label(VERSION_STATE_LABELS, v);
    case "category":
      return label(LICENCE_CATEGORY_LABELS, v);
    case "holderCategories":
      return list(v).map((c) => label(HOLDER_CATEGORY_LABELS, c)).join("、") || "（空）";
    case "holderCodeTypes":
      return list(v).map((c) => `${String(c)} ${label(HOLDER_CODE_TYPE_LABELS, c)}`).join("、") || "（空）";
    case "validity":
      return typeof v === "object" && v && "kind" in v ? validityLabel(v as ValidityRule) : String(JSON.stringify(v));
    case "matters":
      return (
        list(v)
          .map((m: { name?: string; code?: string }) => `${m.name ?? ""}（${m.code ?? ""}）`)
          .join("；") || "（空）"
      );
    case "sharing":
      return label(SHARING_ATTRIBUTE_LABELS, v);
    case "faceLayout":
      return label(FACE_LAYOUT_LABELS, v);
    case "issuingDeptIds":
      return list(v).map((id: string) => names.depts[id] ?? "（未知部门）").join("、") || "（空）";
    case "sealIds":
      return list(v).map((id: string) => names.seals[id] ?? "（未知印章）").join("、") || "（空）";
    default:
      if (typeof v === "boolean") return v ? "是" : "否";
      if (typeof v === "string" || typeof v === "number") return String(v);
      return JSON.stringify(v);
  }
}

/** "2026-01-15 09:30:00" in Beijing time, the same on the server and in the browser. */
export function beijing(iso: string | null | undefined): string {
  if (!iso) return "";
  return new Date(Date.parse(iso) + 8 * 3_600_000).toISOString().slice(0, 19).replace("T", " ");
}
