"use client";
// The toolbar above a list table: 新增, batch 启用/停用 of the ticked rows, 导出 (the current query
// or the ticked rows) and 导入 (the import page, dry run first).
import { useState } from "react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import type { ActionResult } from "@/lib/action";
import { setEntryStatusAction } from "./actions";

export type Msg = { ok: boolean; text: string } | null;

/** Runs an action, shows its outcome and refreshes the page; resolves to whether it succeeded. */
export function useRun(setMsg: (m: Msg) => void) {
  const router = useRouter();
  return async (p: Promise<ActionResult<unknown>>, okText: string) => {
    const r = await p;
    setMsg(r.ok ? { ok: true, text: okText } : { ok: false, text: r.error });
    router.refresh();
    return r.ok;
  };
}

type Row = { id: string; canManage: boolean };

export function BatchBar(p: {
  list: "ISSUANCE" | "USE";
  selected: Row[];
  clear: () => void;
  run: ReturnType<typeof useRun>;
  canManage: boolean;
  canCreate: boolean;
  onCreate: () => void;
  exportHref: string;
}) {
  const [busy, setBusy] = useState(false);
  const managed = p.selected.filter((r) => r.canManage).map((r) => r.id);
  const path = p.list === "ISSUANCE" ? "issuance" : "use";

  async function setStatus(status: "ACTIVE" | "DISABLED") {
    const word = status === "ACTIVE" ? "启用" : "停用";
    if (status === "DISABLED" && !confirm(`确定停用所选 ${managed.length} 个条目？停用后${p.list === "ISSUANCE" ? "该部门不能再签发此类证照" : "该部门的相应用证将被拒绝"}。`)) return;
    setBusy(true);
    const ok = await p.run(setEntryStatusAction({ list: p.list, ids: managed, status }), `已${word} ${managed.length} 个条目`);
    setBusy(false);
    if (ok) p.clear();
  }

  return (
    <>
      {p.canCreate && (
        <button className="btn primary" type="button" onClick={p.onCreate} data-testid="entry-create">
          新增
        </button>
      )}
      {p.canManage && (
        <>
          <button className="btn" type="button" disabled={!managed.length || busy} onClick={() => void setStatus("ACTIVE")}>
            启用
          </button>
          <button className="btn danger" type="button" disabled={!managed.length || busy} onClick={() => void setStatus("DISABLED")}>
            停用
          </button>
        </>
      )}
      <a className="btn" href={p.exportHref} data-testid="list-export">
        导出 XLSX
      </a>
      {p.selected.length > 0 && (
        <a className="btn" href={`/api/lists/${path}/export?ids=${p.selected.map((r) => r.id).join(",")}`}>
          导出所选（{p.selected.length}）
        </a>
      )}
      {p.canManage && (
        <Link className="btn" href={`/catalog/import?kind=${p.list}`} data-testid="list-import">
          导入
        </Link>
      )}
    </>
  );
}
