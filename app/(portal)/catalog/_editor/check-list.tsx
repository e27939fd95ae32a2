"use client";
import { useState } from "react";
import { errStyle, plain } from "./types";

export type CheckOption = { value: string; label: string; note?: string; indent?: number };

/** A group of checkboxes bound to a string array (RHF's own checkbox arrays turn one box into a boolean). */
export function CheckList(p: {
  legend: string;
  required?: boolean;
  options: CheckOption[];
  value: string[];
  onChange: (next: string[]) => void;
  error?: string;
  empty?: string;
  /** show a filter box above long lists */
  filterable?: boolean;
  columns?: boolean;
  testId?: string;
}) {
  const [q, setQ] = useState("");
  const shown = p.filterable && q ? p.options.filter((o) => o.label.includes(q) || p.value.includes(o.value)) : p.options;
  const toggle = (v: string, on: boolean) => p.onChange(on ? [...p.value, v] : p.value.filter((x) => x !== v));
  return (
    <fieldset className="full" style={plain} data-testid={p.testId}>
      <legend style={{ fontSize: 13, color: "#606266", padding: 0, marginBottom: 4 }}>
        {p.legend}
        {p.required && <i style={{ color: "var(--danger)", marginLeft: 2, fontStyle: "normal" }}>*</i>}
        {p.value.length > 0 && <span className="muted" style={{ marginLeft: 8 }}>已选 {p.value.length} 项</span>}
      </legend>
      {p.filterable && p.options.length > 8 && (
        <input value={q} onChange={(e) => setQ(e.target.value)} placeholder="输入名称筛选" aria-label={`筛选${p.legend}`} style={{ marginBottom: 6, width: 260 }} />
      )}
      {p.options.length === 0 ? (
        <p className="muted" style={{ margin: "2px 0" }}>{p.empty ?? "暂无可选项"}</p>
      ) : (
        <div
          className={p.columns ? undefined : "checks"}
          style={p.columns ? { display: "grid", gridTemplateColumns: "repeat(auto-fill, minmax(260px, 1fr))", gap: "4px 16px", maxHeight: 260, overflow: "auto", border: "1px solid #ebeef5", borderRadius: 4, padding: "6px 10px" } : undefined}
        >
          {shown.map((o) => (
            <label key={o.value} style={{ display: "flex", gap: 6, alignItems: "flex-start", paddingLeft: (o.indent ?? 0) * 14 }}>
              <input type="checkbox" checked={p.value.includes(o.value)} onChange={(e) => toggle(o.value, e.target.checked)} style={{ flex: "none", marginTop: 3 }} />
              <span>
                {o.label}
                {o.note && <span className="muted">（{o.note}）</span>}
              </span>
            </label>
          ))}
        </div>
      )}
      {p.error && <em role="alert" style={errStyle}>{p.error}</em>}
    </fieldset>
  );
}
