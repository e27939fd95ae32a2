// The frame of the public pages (no sign-in, outside the portal layout): the verification pages
// and the public notice page share it.
import type { ReactNode } from "react";
import { t } from "@/lib/i18n/zh-CN";

export function PublicShell({ title, children, width = 860 }: { title: string; children: ReactNode; width?: number }) {
  return (
    <div style={{ minHeight: "100vh", background: "linear-gradient(180deg, #1f3a60 0, #2b5797 220px, var(--bg) 220px)", padding: "32px 16px" }}>
      <main style={{ maxWidth: width, margin: "0 auto" }}>
        <header style={{ color: "#fff", marginBottom: 20, display: "flex", justifyContent: "space-between", alignItems: "flex-end", gap: 12, flexWrap: "wrap" }}>
          <div>
            <div style={{ opacity: 0.8, fontSize: 13 }}>{t.app.name}</div>
            <h1 style={{ fontSize: 24, margin: "6px 0 0" }}>{title}</h1>
          </div>
          <nav style={{ display: "flex", gap: 16, flexWrap: "wrap" }}>
            <a href="/verify/licence" style={{ color: "#fff", opacity: 0.9 }}>
              证照核验
            </a>
            <a href="/verify" style={{ color: "#fff", opacity: 0.9 }}>
              文件验证
            </a>
            <a href="/public-notice" style={{ color: "#fff", opacity: 0.9 }}>
              证照公示
            </a>
            <a href="/objection" style={{ color: "#fff", opacity: 0.9 }}>
              证照异议
            </a>
            <a href="/login" style={{ color: "#fff", opacity: 0.9 }}>
              登录门户 →
            </a>
          </nav>
        </header>
        {children}
      </main>
    </div>
  );
}

/** A refusal or failure in one sentence, as a card. */
export function Notice({ tone = "error", children }: { tone?: "error" | "warn"; children: ReactNode }) {
  return (
    <div className="card" data-testid="verify-notice">
      <div className={`alert ${tone}`} role="alert" style={{ marginBottom: 0 }}>
        {children}
      </div>
    </div>
  );
}
