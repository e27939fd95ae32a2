"use client";
// Inputs for a licence face (照面信息) generated from the type's field definitions (L-01, L-05).
// Values are registered under `face.<key>` (date ranges under `face.<key>.from/.to`); the form's
// resolver is faceSchema(fields), the same schema the server applies.
import type { FieldErrors, UseFormRegister } from "react-hook-form";
import type { FaceFieldDef } from "@/lib/catalog/face-fields";

type AnyForm = Record<string, unknown>;

function errorAt(errors: FieldErrors<AnyForm> | undefined, path: string[]): string | undefined {
  let cur: unknown = errors;
  for (const p of path) {
    if (!cur || typeof cur !== "object") return undefined;
    cur = (cur as Record<string, unknown>)[p];
  }
  const m = (cur as { message?: unknown } | undefined)?.message;
  return typeof m === "string" ? m : undefined;
}

export function FaceInputs({ fields, register, errors, prefix = "face" }: { fields: FaceFieldDef[]; register: UseFormRegister<AnyForm>; errors: FieldErrors<AnyForm>; prefix?: string }) {
  return (
    <div className="form">
      {fields.map((f) => {
        const name = `${prefix}.${f.key}`;
        const err = errorAt(errors, [prefix, f.key]);
        const label = (
          <span>
            {f.label}
            {f.required && <i className="req">*</i>}
            {f.sensitive && <small className="muted">（敏感）</small>}
          </span>
        );
        const errEl = (m?: string) => (
          <em className="err" role={m ? "alert" : undefined} style={{ fontStyle: "normal" }}>
            {m ?? ""}
          </em>
        );
        switch (f.type) {
          case "ENUM":
            return (
              <label key={f.key} className="field">
                {label}
                <select {...register(name)} aria-invalid={!!err} aria-label={f.label}>
                  <option value="">请选择</option>
                  {(f.options ?? []).map((o) => (
                    <option key={o} value={o}>
                      {o}
                    </option>
                  ))}
                </select>
                {errEl(err)}
              </label>
            );
          case "DATE":
            return (
              <label key={f.key} className="field">
                {label}
                <input type="date" {...register(name)} min={f.minDate} max={f.maxDate} aria-invalid={!!err} aria-label={f.label} />
                {errEl(err)}
              </label>
            );
          case "DATE_RANGE": {
            const e2 = err ?? errorAt(errors, [prefix, f.key, "from"]) ?? errorAt(errors, [prefix, f.key, "to"]);
            return (
              <div key={f.key} className="field">
                {label}
                <span style={{ display: "flex", gap: 6, alignItems: "center" }}>
                  <input type="date" {...register(`${name}.from`)} aria-label={`${f.label}开始日期`} aria-invalid={!!e2} />
                  至
                  <input type="date" {...register(`${name}.to`)} aria-label={`${f.label}结束日期`} aria-invalid={!!e2} />
                </span>
                {errEl(e2)}
              </div>
            );
          }
          case "IMAGE":
            return (
              <div key={f.key} className="field">
                {label}
                <input type="text" disabled placeholder="照片请通过存量导入提供" aria-label={f.label} />
                {errEl(err)}
              </div>
            );
          default: {
            const long = (f.type === "TEXT" || f.type === "ADDRESS") && (f.maxLength ?? 200) > 120;
            return (
              <label key={f.key} className={`field${long ? " full" : ""}`}>
                {label}
                {long ? (
                  <textarea rows={3} {...register(name)} maxLength={f.maxLength} aria-invalid={!!err} aria-label={f.label} />
                ) : (
                  <input
                    type="text"
                    inputMode={f.type === "NUMBER" ? "decimal" : undefined}
                    {...register(name)}
                    maxLength={f.maxLength}
                    aria-invalid={!!err}
                    aria-label={f.label}
                    autoComplete="off"
                  />
                )}
                {errEl(err)}
              </label>
            );
          }
        }
      })}
    </div>
  );
}

/** Empty form values for the fields (date ranges as { from, to }). */
export function emptyFace(fields: FaceFieldDef[]): Record<string, unknown> {
  return Object.fromEntries(fields.map((f) => [f.key, f.type === "DATE_RANGE" ? { from: "", to: "" } : ""]));
}
