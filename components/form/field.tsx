"use client";
import type { FieldError, UseFormRegisterReturn } from "react-hook-form";

type Props = {
  label: string;
  reg: UseFormRegisterReturn;
  error?: FieldError | { message?: string };
  required?: boolean;
  type?: string;
  full?: boolean;
  placeholder?: string;
  autoComplete?: string;
};

export function TextField({ label, reg, error, required, type = "text", full, placeholder, autoComplete }: Props) {
  return (
    <label className={`field${full ? " full" : ""}`}>
      <span>
        {label}
        {required && <i className="req">*</i>}
      </span>
      <input type={type} {...reg} placeholder={placeholder} autoComplete={autoComplete} aria-invalid={!!error} />
      <em className="err" role={error?.message ? "alert" : undefined} style={{ fontStyle: "normal" }}>
        {error?.message ?? ""}
      </em>
    </label>
  );
}

export function SelectField({
  label,
  reg,
  error,
  required,
  options,
  full,
}: Omit<Props, "type"> & { options: { value: string; label: string; disabled?: boolean }[] }) {
  return (
    <label className={`field${full ? " full" : ""}`}>
      <span>
        {label}
        {required && <i className="req">*</i>}
      </span>
      <select {...reg} aria-invalid={!!error}>
        {options.map((o) => (
          <option key={o.value} value={o.value} disabled={o.disabled}>
            {o.label}
          </option>
        ))}
      </select>
      <em className="err" role={error?.message ? "alert" : undefined} style={{ fontStyle: "normal" }}>
        {error?.message ?? ""}
      </em>
    </label>
  );
}

/** Puts server-side field errors next to their fields. */
export function applyServerErrors(
  fieldErrors: Record<string, string> | undefined,
  setError: (name: never, e: { type: string; message: string }) => void,
) {
  for (const [k, message] of Object.entries(fieldErrors ?? {})) setError(k as never, { type: "server", message });
}
