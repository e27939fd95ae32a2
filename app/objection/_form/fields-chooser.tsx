"use client";
// The face fields in question (O-01): a checkbox per field of the licence and, once checked, the
// value the applicant says is right. Shared by the holders' public form and the using department's
// form on the licence page. Controlled: `value` maps a chosen field's key to its expected value.
// A field's name (with its current value) takes the whole row until it is chosen; the expected
// value then sits beside it, or under it on a narrow screen (form.module.css).
import s from "./form.module.css";

export type FieldOption = { key: string; label: string; current?: string };

export function FieldsChooser({
  options,
  value,
  onChange,
  errors,
  disabled,
}: {
  options: FieldOption[];
  value: Record<string, string>;
  onChange: (next: Record<string, string>) => void;
  /** by field key, and "_" for the list as a whole */
  errors: Record<string, string>;
  disabled?: boolean;
}) {
  const toggle = (key: string, on: boolean) => {
    const next = { ...value };
    if (on) next[key] = next[key] ?? "";
    else delete next[key];
    onChange(next);
  };
  return (
    <fieldset className="field full" style={{ border: 0, padding: 0, margin: 0, minWidth: 0 }} disabled={disabled} data-testid="objection-fields">
      <legend style={{ fontSize: 13, color: "#606266", marginBottom: 6 }}>
        有异议的照面字段<i className="req" style={{ color: "var(--danger)", marginLeft: 2 }}>*</i>
      </legend>
      <div className={s.choices}>
        {options.map((o) => {
          const on = o.key in value;
          return (
            <div key={o.key} className={s.choice}>
              <label className={s.check}>
                <input type="checkbox" checked={on} onChange={(e) => toggle(o.key, e.target.checked)} aria-label={`对「${o.label}」有异议`} />
                <span>
                  {o.label}
                  {o.current !== undefined && o.current !== "" && <span className="muted">（现为：{o.current}）</span>}
                </span>
              </label>
              {on && (
                <label className={`field ${s.expected}`}>
                  <input
                    type="text"
                    value={value[o.key]}
                    maxLength={500}
                    placeholder="您认为正确的内容"
                    aria-label={`${o.label}的正确内容`}
                    aria-invalid={!!errors[o.key]}
                    onChange={(e) => onChange({ ...value, [o.key]: e.target.value })}
                  />
                  <em className="err" role={errors[o.key] ? "alert" : undefined} style={{ fontStyle: "normal" }}>
                    {errors[o.key] ?? ""}
                  </em>
                </label>
              )}
            </div>
          );
        })}
      </div>
      <em className="err" role={errors._ ? "alert" : undefined} style={{ fontStyle: "normal", color: "var(--danger)", fontSize: 12 }}>
        {errors._ ?? ""}
      </em>
    </fieldset>
  );
}

/** The chosen fields in the option order, as the schemas take them. */
export function chosenFields(options: FieldOption[], value: Record<string, string>): { key: string; expected: string }[] {
  return options.filter((o) => o.key in value).map((o) => ({ key: o.key, expected: value[o.key] }));
}

/**
 * Zod's field errors ("fields.2.expected", "fields") put back on the chooser's keys: the index is
 * the position among the chosen fields.
 */
export function chooserErrors(fieldErrors: Record<string, string> | undefined, chosen: { key: string }[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [path, msg] of Object.entries(fieldErrors ?? {})) {
    const m = /^fields(?:\.(\d+)(?:\.\w+)?)?$/.exec(path);
    if (!m) continue;
    const key = m[1] !== undefined ? chosen[Number(m[1])]?.key : undefined;
    out[key ?? "_"] ??= msg;
  }
  return out;
}
