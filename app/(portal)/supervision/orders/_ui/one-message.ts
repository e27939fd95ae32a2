// A refused submission shows its message once: next to its field when the form shows that field,
// else as one alert (never both, never the generic "please correct" on top of field errors).
// Plain module: used by the client forms of orders, notices and spot checks.
type SetError = (name: never, e: { type: string; message: string }) => void;

/** Sets the field errors the form can show; returns the one alert text left (null: none). */
export function placeErrors(r: { error: string; fieldErrors?: Record<string, string> }, fields: readonly string[], setError: SetError): string | null {
  const entries = Object.entries(r.fieldErrors ?? {});
  const onField = (k: string) => fields.some((f) => k === f || k.startsWith(`${f}.`));
  let shown = 0;
  for (const [k, message] of entries)
    if (onField(k)) {
      setError(k as never, { type: "server", message });
      shown++;
    }
  const rest = [...new Set(entries.filter(([k]) => !onField(k)).map(([, m]) => m))];
  if (rest.length) return rest.join("；");
  return shown ? null : r.error;
}
