// The 变更历史 view of a list page: one entry's history (entry=<id>) or the list's recent changes.
import Link from "next/link";
import { notFound } from "next/navigation";
import { AppError } from "@/lib/errors";
import type { Actor } from "@/lib/auth/session";
import { ENTRY_HISTORY_MAX, entryHistory, listHistory, LIST_LABELS, type ListKind } from "@/lib/catalog/list-queries";
import { listFilter } from "@/lib/catalog/schema";
import type { SearchParams } from "@/lib/pagination";
import { HistoryTable } from "./history-table";

export async function HistoryPanel({ actor, list, basePath, sp }: { actor: Actor; list: ListKind; basePath: string; sp: Record<string, string | undefined> & SearchParams }) {
  if (sp.entry) {
    const h = await entryHistory(actor, list, sp.entry).catch((e: unknown) => {
      if (e instanceof AppError && e.code === "NOT_FOUND") notFound();
      throw e;
    });
    return (
      <div className="card" data-testid="entry-history">
        <div className="toolbar" style={{ alignItems: "center" }}>
          <Link className="btn" href={`${basePath}?tab=history`}>
            返回{LIST_LABELS[list]}历史
          </Link>
          <span>
            <b>{h.entry.deptName}</b> · {h.entry.typeName}
            {h.entry.matter && ` · ${h.entry.matter}`} <span className="mono muted">{h.entry.typeCode}</span>{" "}
            <span className={`badge ${h.entry.status === "ACTIVE" ? "ok" : "danger"}`}>{h.entry.status === "ACTIVE" ? "启用" : "停用"}</span>
          </span>
        </div>
        <HistoryTable data={{ rows: h.rows, total: h.rows.length, page: 1, pageSize: ENTRY_HISTORY_MAX }} basePath={basePath} showEntry={false} />
      </div>
    );
  }
  const f = listFilter.parse(sp);
  const data = await listHistory(actor, list, f);
  return (
    <div className="card">
      <form className="query" method="get" role="search">
        <input type="hidden" name="tab" value="history" />
        <label>
          关键字
          <input name="q" defaultValue={f.q ?? ""} maxLength={50} placeholder="操作人或证照类型" />
        </label>
        <button className="btn primary" type="submit">
          查询
        </button>
        <a className="btn" href={`${basePath}?tab=history`}>
          重置
        </a>
      </form>
      <HistoryTable data={data} basePath={basePath} showEntry />
    </div>
  );
}
