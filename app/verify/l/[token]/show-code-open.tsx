"use client";
import { useState } from "react";
import type { PublicLicenceView } from "@/lib/licenses/verify";
import { LicenceCard } from "../../licence-card";
import { postJson } from "../../post-json";

export function ShowCodeOpen({ token }: { token: string }) {
  const [busy, setBusy] = useState(false);
  const [view, setView] = useState<PublicLicenceView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [spent, setSpent] = useState(false);
  if (view) return <LicenceCard view={view} headline={`亮证核验：${view.statusLabel === "有效" ? "证照有效" : `证照${view.statusLabel}`}`} />;
  return (
    <div className="card" data-testid="show-code-open">
      {error && (
        <div className="alert error" role="alert">
          {error}
        </div>
      )}
      <p style={{ marginTop: 0, lineHeight: 1.8 }}>这是持证主体出示的亮证码。亮证码有效期 300 秒，只能核验一次：点击下方按钮查看证照信息后，该亮证码即失效。</p>
      <button
        className="btn primary"
        type="button"
        disabled={busy || spent}
        onClick={async () => {
          setBusy(true);
          try {
            const r = await postJson("/api/verify/show", { token });
            if (r.ok) setView(r.view);
            else {
              setError(r.error);
              setSpent(r.code !== "RATE_LIMITED" && r.code !== "NETWORK");
            }
          } finally {
            setBusy(false);
          }
        }}
      >
        {busy ? "正在核验…" : "查看证照核验结果"}
      </button>
    </div>
  );
}
