// A field-by-field difference, readable: the field's label, 原值 → 新值; face fields summarised per
// field key (added, removed, changed properties, reordered).
import type { FieldDiff } from "@/lib/catalog/service";
import { FIELD_TYPE_LABELS } from "@/lib/catalog/face-fields";
import { CONTENT_LABELS, formatValue, label, type NameMaps } from "./labels";

type Field = Record<string, unknown> & { key?: string; label?: string; type?: string };

const PROP_LABELS: Record<string, string> = {
  key: "字段键",
  label: "名称",
  type: "类型",
  required: "必填",
  sensitive: "敏感",
  minLength: "最小长度",
  maxLength: "最大长度",
  min: "最小值",
  max: "最大值",
  decimals: "小数位数",
  options: "选项",
  minDate: "最早日期",
  maxDate: "最晚日期",
};

function prop(k: string, v: unknown): string {
  if (v === undefined || v === null) return "（无）";
  if (k === "type") return label(FIELD_TYPE_LABELS, v);
  if (typeof v === "boolean") return v ? "是" : "否";
  if (Array.isArray(v)) return v.map((x) => (typeof x === "string" || typeof x === "number" ? String(x) : JSON.stringify(x))).join("、");
  return typeof v === "string" || typeof v === "number" ? String(v) : JSON.stringify(v);
}

const fieldName = (f: Field) => `「${f.label ?? ""}」（${f.key ?? ""}）`;

/** Per-key summary of two face field lists. */
export function faceFieldChanges(from: unknown, to: unknown): string[] {
  const a = (Array.isArray(from) ? from : []) as Field[];
  const b = (Array.isArray(to) ? to : []) as Field[];
  const out: string[] = [];
  for (const f of b) if (!a.some((x) => x.key === f.key)) out.push(`新增 ${fieldName(f)}：${prop("type", f.type)}${f.required ? "，必填" : ""}${f.sensitive ? "，敏感" : ""}`);
  for (const f of a) if (!b.some((x) => x.key === f.key)) out.push(`删除 ${fieldName(f)}`);
  for (const f of b) {
    const old = a.find((x) => x.key === f.key);
    if (!old) continue;
    const keys = [...new Set([...Object.keys(old), ...Object.keys(f)])].filter((k) => JSON.stringify(old[k] ?? null) !== JSON.stringify(f[k] ?? null));
    if (keys.length) out.push(`修改 ${fieldName(f)}：${keys.map((k) => `${PROP_LABELS[k] ?? k} ${prop(k, old[k])} → ${prop(k, f[k])}`).join("；")}`);
  }
  const common = (list: Field[], other: Field[]) => list.map((f) => f.key).filter((k) => other.some((x) => x.key === k));
  if (a.length && JSON.stringify(common(a, b)) !== JSON.stringify(common(b, a))) out.push("调整了字段顺序");
  return out;
}

const describeField = (f: Field) => `${f.label ?? ""}（${f.key ?? ""}，${prop("type", f.type)}${f.required ? "，必填" : ""}${f.sensitive ? "，敏感" : ""}）`;

/** A whole content (a new type: every `from` is empty) as 项目 / 内容. */
function ContentTable({ keys, diff, names }: { keys: string[]; diff: FieldDiff; names: NameMaps }) {
  return (
    <table className="grid diff" style={{ fontSize: 13 }}>
      <thead>
        <tr>
          <th style={{ width: 140 }}>项目</th>
          <th>内容</th>
        </tr>
      </thead>
      <tbody>
        {keys.map((k) => (
          <tr key={k} data-diff-key={k}>
            <td>{CONTENT_LABELS[k] ?? k}</td>
            <td style={{ whiteSpace: "pre-wrap", overflowWrap: "anywhere" }}>
              {k === "faceFields" ? (
                <ol style={{ margin: 0, paddingLeft: 20 }}>
                  {((Array.isArray(diff[k].to) ? diff[k].to : []) as Field[]).map((f, i) => (
                    <li key={i}>{describeField(f)}</li>
                  ))}
                </ol>
              ) : (
                formatValue(k, diff[k].to, names)
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function DiffView({ diff, names, compact }: { diff: FieldDiff; names: NameMaps; compact?: boolean }) {
  const keys = Object.keys(CONTENT_LABELS)
    .filter((k) => k in diff)
    .concat(Object.keys(diff).filter((k) => !(k in CONTENT_LABELS)));
  if (!keys.length) return <span className="muted">无内容变化</span>;
  const whole = keys.length > 1 && keys.every((k) => diff[k].from === null);
  const table = whole ? (
    <ContentTable keys={keys} diff={diff} names={names} />
  ) : (
    <table className="grid diff" style={{ fontSize: 13 }}>
      <thead>
        <tr>
          <th style={{ width: 140 }}>项目</th>
          <th>原值</th>
          <th>新值</th>
        </tr>
      </thead>
      <tbody>
        {keys.map((k) => {
          const d = diff[k];
          if (k === "faceFields" && d.from !== null) {
            const lines = faceFieldChanges(d.from, d.to);
            return (
              <tr key={k} data-diff-key={k}>
                <td>{CONTENT_LABELS[k]}</td>
                <td colSpan={2}>
                  <ul style={{ margin: 0, paddingLeft: 18 }}>
                    {lines.map((l, i) => (
                      <li key={i}>{l}</li>
                    ))}
                  </ul>
                </td>
              </tr>
            );
          }
          const to = k === "faceFields" ? ((Array.isArray(d.to) ? d.to : []) as Field[]).map(describeField).join("、") : formatValue(k, d.to, names);
          return (
            <tr key={k} data-diff-key={k}>
              <td>{CONTENT_LABELS[k] ?? k}</td>
              <td className="muted" style={{ whiteSpace: "pre-wrap", overflowWrap: "anywhere" }}>{formatValue(k, d.from, names)}</td>
              <td style={{ whiteSpace: "pre-wrap", overflowWrap: "anywhere" }}>{to}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
  if (!compact || keys.length <= 4) return table;
  return (
    <details>
      <summary style={{ cursor: "pointer" }}>{whole ? `全部内容（${keys.length} 项）` : `变更 ${keys.length} 项：${keys.map((k) => CONTENT_LABELS[k] ?? k).join("、")}`}</summary>
      {table}
    </details>
  );
}
