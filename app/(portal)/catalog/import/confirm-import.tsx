"use client";
import { useState } from "react";
import { useRouter } from "next/navigation";
import { confirmImportAction } from "./actions";

/** 确认导入: applies the dry run, all rows or none. */
export function ConfirmImport({ importId, changes }: { importId: string; changes: number }) {
  const router = useRouter();
  const [busy, setBusy] = useState(false);
  const [msg, setMsg] = useState<{ ok: boolean; text: string } | null>(null);

  async function confirmImport() {
    if (!confirm(`确认导入？将写入 ${changes} 行，任何一行失败则全部不导入。`)) return;
    setBusy(true);
    const r = await confirmImportAction({ importId });
    setBusy(false);
    setMsg(r.ok ? { ok: true, text: `导入完成：新增 ${r.data.created} 行，修改 ${r.data.updated} 行，无变化 ${r.data.unchanged} 行` } : { ok: false, text: r.error });
    router.refresh();
  }

  return (
    <div className="toolbar" style={{ alignItems: "center" }}>
      <button className="btn primary" type="button" disabled={busy} onClick={() => void confirmImport()} data-testid="import-confirm">
        {busy ? "正在导入…" : "确认导入"}
      </button>
      {msg && (
        <span className={`alert ${msg.ok ? "ok" : "error"}`} role="status" style={{ margin: 0 }}>
          {msg.text}
        </span>
      )}
    </div>
  );
}
