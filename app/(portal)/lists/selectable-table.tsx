"use client";
// The list tables: DataTable (server-driven paging and sorting in the URL) with row checkboxes for
// batch actions and a column chooser whose hidden columns live in the URL too (`hide=a,b`), so a
// view can be shared and reloaded like every other.
import { useState } from "react";
import { usePathname, useSearchParams } from "next/navigation";
import type { ColumnDef } from "@tanstack/react-table";
import { DataTable } from "@/components/data-table/data-table";

type Props<T> = {
  columns: ColumnDef<T, unknown>[];
  rows: T[];
  total: number;
  page: number;
  pageSize: number;
  sort?: string;
  dir?: "asc" | "desc";
  rowKey: (row: T) => string;
  testId: string;
  /** rows that can be ticked (default: all); none selectable hides the checkboxes */
  selectable?: (row: T) => boolean;
  /** the batch toolbar, given the ticked rows of this page */
  toolbar?: (selected: T[], clear: () => void) => React.ReactNode;
};

export function SelectableTable<T>(p: Props<T>) {
  const sp = useSearchParams();
  const path = usePathname();
  const hidden = new Set((sp.get("hide") ?? "").split(",").filter(Boolean));
  const [picked, setPicked] = useState<string[]>([]);
  const selectable = p.rows.filter((r) => p.selectable?.(r) ?? true);
  const selected = selectable.filter((r) => picked.includes(p.rowKey(r)));
  const all = selectable.length > 0 && selected.length === selectable.length;
  const toggle = (id: string) => setPicked((s) => (s.includes(id) ? s.filter((x) => x !== id) : [...s, id]));

  const choosable = p.columns.filter((c) => typeof c.header === "string" && c.id && c.id !== "actions");
  const visible = p.columns.filter((c) => !hidden.has(c.id ?? ""));
  const columns: ColumnDef<T, unknown>[] = selectable.length
    ? [
        {
          id: "_select",
          header: () => <input type="checkbox" aria-label="全选本页" checked={all} onChange={() => setPicked(all ? [] : selectable.map(p.rowKey))} />,
          cell: ({ row }) =>
            (p.selectable?.(row.original) ?? true) ? (
              <input type="checkbox" aria-label="选择该行" checked={picked.includes(row.id)} onChange={() => toggle(row.id)} />
            ) : null,
        },
        ...visible,
      ]
    : visible;

  // which columns show is the browser's business: the URL changes without asking the server again
  const setHidden = (id: string, hide: boolean) => {
    const next = new Set(hidden);
    if (hide) next.add(id);
    else next.delete(id);
    const q = new URLSearchParams(sp.toString());
    if (next.size) q.set("hide", [...next].join(","));
    else q.delete("hide");
    window.history.replaceState(null, "", `${path}?${q.toString()}`);
  };

  return (
    <>
      <div className="toolbar" style={{ alignItems: "center", flexWrap: "wrap" }}>
        {p.toolbar?.(selected, () => setPicked([]))}
        <details style={{ position: "relative", marginLeft: "auto" }} data-testid={`${p.testId}-columns`}>
          <summary className="btn" style={{ listStyle: "none" }}>
            显示列
          </summary>
          <div className="card" style={{ position: "absolute", right: 0, zIndex: 20, minWidth: 160, boxShadow: "0 2px 12px rgba(0,0,0,.15)", display: "grid", gap: 6 }}>
            {choosable.map((c) => (
              <label key={c.id} style={{ display: "flex", gap: 6, alignItems: "center", whiteSpace: "nowrap" }}>
                <input type="checkbox" checked={!hidden.has(c.id!)} onChange={(e) => setHidden(c.id!, !e.target.checked)} />
                {c.header as string}
              </label>
            ))}
          </div>
        </details>
      </div>
      <div style={{ overflowX: "auto" }}>
        <DataTable columns={columns} rows={p.rows} total={p.total} page={p.page} pageSize={p.pageSize} sort={p.sort} dir={p.dir} rowKey={p.rowKey} testId={p.testId} />
      </div>
    </>
  );
}
