"use client";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { zodResolver } from "@hookform/resolvers/zod";
import { TextField, applyServerErrors } from "@/components/form/field";
import type { PublicLicenceView } from "@/lib/licenses/verify";
import { LicenceCard } from "../licence-card";
import { postJson } from "../post-json";
import { lookupInput, type LookupInput } from "./schema";

export function LookupForm() {
  const [error, setError] = useState<string | null>(null);
  const [view, setView] = useState<PublicLicenceView | null>(null);
  const form = useForm<LookupInput>({ resolver: zodResolver(lookupInput), defaultValues: { identifier: "", code: "" } });
  const { register, handleSubmit, formState } = form;
  const onSubmit = handleSubmit(async (values) => {
    setError(null);
    setView(null);
    const r = await postJson("/api/verify/licence", values);
    if (r.ok) setView(r.view);
    else {
      setError(r.error);
      applyServerErrors(r.fieldErrors, form.setError);
    }
  });
  return (
    <>
      <div className="card">
        <form onSubmit={onSubmit} noValidate>
          {error && (
            <div className="alert error" role="alert">
              {error}
            </div>
          )}
          <fieldset disabled={formState.isSubmitting} style={{ border: 0, padding: 0, margin: 0, display: "grid", gap: 4 }}>
            <TextField label="电子证照标识" reg={register("identifier")} error={formState.errors.identifier} required full placeholder="1.2.156.3005.2.…" autoComplete="off" />
            <TextField label="核验码" reg={register("code")} error={formState.errors.code} required placeholder="证照上印制或持证主体提供的 8 位核验码" autoComplete="off" />
            <div>
              <button className="btn primary" type="submit" style={{ minWidth: 96, justifyContent: "center" }}>
                {formState.isSubmitting ? "正在查验…" : "查验"}
              </button>
            </div>
          </fieldset>
        </form>
      </div>
      {view && <LicenceCard view={view} />}
    </>
  );
}
