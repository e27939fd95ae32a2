"use client";
import { useState } from "react";
import { useRouter } from "next/navigation";
import { verifyChainAction } from "./actions";

const REASONS: Record<string, string> = { missing: "记录缺失", link: "前后链接不符", hash: "内容被篡改" };

export function VerifyButton() {
  const router = useRouter();
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<{ ok: boolean; text: string } | null>(null);

  async function verify() {
    setBusy(true);
    setResult(null);
    const r = await verifyChainAction({});
    setBusy(false);
    if (!r.ok) setResult({ ok: false, text: r.error });
    else if (r.data.ok) setResult({ ok: true, text: `审计链校验通过，共校验 ${r.data.checked} 条` });
    else setResult({ ok: false, text: `审计链在第 ${r.data.firstBroken} 条处断裂（${REASONS[r.data.reason ?? ""] ?? r.data.reason}）` });
    router.refresh();
  }

  return (
    <>
      <div className="toolbar">
        <button className="btn primary" type="button" disabled={busy} onClick={() => void verify()}>
          {busy ? "正在校验…" : "校验审计链"}
        </button>
      </div>
      {result && (
        <div className={`alert ${result.ok ? "ok" : "error"}`} role="status" data-testid="verify-result">
          {result.text}
        </div>
      )}
    </>
  );
}
