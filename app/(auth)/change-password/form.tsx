"use client";
import { useState } from "react";
import Link from "next/link";
import { useForm } from "react-hook-form";
import { zodResolver } from "@hookform/resolvers/zod";
import { z } from "zod";
import { changePasswordSchema } from "@/lib/users/schema";
import { changePasswordAction } from "./actions";
import { TextField, applyServerErrors } from "@/components/form/field";
import { t } from "@/lib/i18n/zh-CN";

type Values = z.infer<typeof changePasswordSchema>;

export function ChangePasswordForm({ canLeave }: { canLeave: boolean }) {
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState(false);
  const form = useForm<Values>({ resolver: zodResolver(changePasswordSchema), defaultValues: { current: "", next: "", confirm: "" } });
  const { register, handleSubmit, formState } = form;
  const onSubmit = handleSubmit(async (values) => {
    setError(null);
    const r = await changePasswordAction(values);
    if (!r.ok) {
      setError(r.error);
      applyServerErrors(r.fieldErrors, form.setError);
      return;
    }
    setDone(true);
    window.location.assign("/");
  });
  return (
    <form onSubmit={onSubmit} noValidate>
      {error && <div className="alert error" role="alert">{error}</div>}
      {done && <div className="alert ok">{t.password.changed}</div>}
      <fieldset disabled={formState.isSubmitting} style={{ border: 0, padding: 0, margin: 0, display: "grid", gap: 4 }}>
        <TextField label={t.password.current} type="password" reg={register("current")} error={formState.errors.current} required autoComplete="current-password" />
        <TextField label={t.password.next} type="password" reg={register("next")} error={formState.errors.next} required autoComplete="new-password" />
        <TextField label={t.password.confirm} type="password" reg={register("confirm")} error={formState.errors.confirm} required autoComplete="new-password" />
        <div style={{ display: "flex", gap: 8 }}>
          <button className="btn primary" type="submit">{formState.isSubmitting ? t.common.saving : t.password.submit}</button>
          {canLeave && <Link className="btn" href="/">{t.common.cancel}</Link>}
        </div>
      </fieldset>
    </form>
  );
}
