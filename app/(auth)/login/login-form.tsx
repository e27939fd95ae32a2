"use client";
import { useState } from "react";
import { signIn } from "next-auth/react";
import { t } from "@/lib/i18n/zh-CN";

const MESSAGES: Record<string, string> = {
  BAD_CREDENTIALS: t.login.failed,
  LOCKED: t.login.locked,
  IP_BLOCKED: t.login.ipBlocked,
  DISABLED: t.login.disabled,
  INVALID_INPUT: t.login.required,
};

export function LoginForm({ callbackUrl }: { callbackUrl: string }) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  async function onSubmit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const fd = new FormData(e.currentTarget);
    const username = ((fd.get("username") as string | null) ?? "").trim();
    const password = (fd.get("password") as string | null) ?? "";
    if (!username || !password) return setError(t.login.required);
    setBusy(true);
    setError(null);
    const r = await signIn("credentials", { username, password, redirect: false });
    if (r?.ok && !r.error) {
      window.location.assign(callbackUrl);
      return;
    }
    setBusy(false);
    setError(MESSAGES[r?.error ?? ""] ?? t.login.failed);
  }
  return (
    <form onSubmit={onSubmit} noValidate>
      {error && <div className="alert error" role="alert">{error}</div>}
      <fieldset disabled={busy} style={{ border: 0, padding: 0, margin: 0, display: "grid", gap: 12 }}>
        <label className="field">
          <span>{t.login.username}</span>
          <input name="username" autoComplete="username" autoFocus />
        </label>
        <label className="field">
          <span>{t.login.password}</span>
          <input name="password" type="password" autoComplete="current-password" />
        </label>
        <button className="btn primary" type="submit" style={{ justifyContent: "center" }}>
          {busy ? t.login.submitting : t.login.submit}
        </button>
      </fieldset>
    </form>
  );
}
