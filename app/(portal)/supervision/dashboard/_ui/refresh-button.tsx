"use client";
// 刷新统计: rebuilds the summaries now; the server limits it to once a minute per user.
import { useState, useTransition } from "react";
import { useRouter } from "next/navigation";
import { refreshDashboardAction } from "../actions";

export function RefreshButton() {
  const router = useRouter();
  const [pending, start] = useTransition();
  const [msg, setMsg] = useState<{ ok: boolean; text: string } | null>(null);
  const run = () =>
    start(async () => {
      setMsg(null);
      try {
        const r = await refreshDashboardAction({});
        if (r.ok) {
          setMsg({ ok: true, text: `已刷新（${r.data.rows.toLocaleString("zh-CN")} 行，用时 ${(r.data.ms / 1000).toFixed(1)} 秒）` });
          router.refresh();
        } else setMsg({ ok: false, text: r.error });
      } catch {
        setMsg({ ok: false, text: "刷新失败：网络异常，请稍后再试" });
      }
    });
  return (
    <span className="dash-refresh">
      <button type="button" className="btn" onClick={run} disabled={pending} data-testid="refresh-stats">
        {pending ? "正在刷新…" : "刷新统计"}
      </button>
      {msg && (
        <span className={msg.ok ? "ok-text" : "err"} role={msg.ok ? "status" : "alert"}>
          {msg.text}
        </span>
      )}
    </span>
  );
}
