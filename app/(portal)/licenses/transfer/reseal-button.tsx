"use client";
// Re-seals all of the department's transferred licences (the server takes them in chunks).
import { useState } from "react";
import { useRouter } from "next/navigation";
import { resealAction } from "./actions";

export function ResealButton({ total }: { total: number }) {
  const router = useRouter();
  const [busy, setBusy] = useState(false);
  const [msg, setMsg] = useState<{ ok: boolean; text: string; failed: { identifier: string; reason: string }[] } | null>(null);
  const run = async () => {
    if (!window.confirm(`确定以本部门的电子印章重新签章全部 ${total} 张证照？`)) return;
    setBusy(true);
    setMsg(null);
    try {
      const r = await resealAction({ licenceIds: [] });
      if (r.ok) setMsg({ ok: r.data.failed.length === 0, text: `已重新签章 ${r.data.resealed} 张${r.data.sealName ? `（${r.data.sealName}）` : ""}${r.data.failed.length ? `，${r.data.failed.length} 张未完成：` : "。"}`, failed: r.data.failed });
      else setMsg({ ok: false, text: r.error, failed: [] });
    } catch {
      setMsg({ ok: false, text: "提交失败：网络异常，请刷新页面查看结果", failed: [] });
    }
    setBusy(false);
    router.refresh();
  };
  return (
    <div style={{ marginBottom: 12 }}>
      {msg && (
        <div className={`alert ${msg.ok ? "ok" : "warn"}`} role="status">
          {msg.text}
          {msg.failed.length > 0 && (
            <ul style={{ margin: "6px 0 0" }}>
              {msg.failed.slice(0, 20).map((f) => (
                <li key={f.identifier}>
                  <span className="mono">{f.identifier}</span>：{f.reason}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
      <button type="button" className="btn primary" disabled={busy} onClick={() => void run()}>
        {busy ? "正在重新签章…" : `全部重新签章（${total} 张）`}
      </button>
    </div>
  );
}
