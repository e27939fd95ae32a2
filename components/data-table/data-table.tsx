"use client";
// The one table wrapper: @tanstack/react-table in manual (server-driven) mode; paging and sorting
// are written to the URL so every view is a link that can be shared and reloaded.
import { flexRender, getCoreRowModel, useReactTable, type ColumnDef, type SortingState } from "@tanstack/react-table";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { PAGE_SIZES } from "@/lib/pagination";
import { t } from "@/lib/i18n/zh-CN";

export type DataTableProps<T> = {
  columns: ColumnDef<T, unknown>[];
  rows: T[];
  total: number;
  page: number;
  pageSize: number;
  sort?: string;
  dir?: "asc" | "desc";
  rowKey: (row: T) => string;
  testId?: string;
};

export function useUrlState() {
  const router = useRouter();
  const path = usePathname();
  const sp = useSearchParams();
  return (patch: Record<string, string | undefined>) => {
    const next = new URLSearchParams(sp.toString());
    for (const [k, v] of Object.entries(patch)) {
      if (v === undefined || v === "") next.delete(k);
      else next.set(k, v);
    }
    router.push(`${path}?${next.toString()}`);
  };
}

export function DataTable<T>({ columns, rows, total, page, pageSize, sort, dir, rowKey, testId }: DataTableProps<T>) {
  const setUrl = useUrlState();
  const sorting: SortingState = sort ? [{ id: sort, desc: dir === "desc" }] : [];
  const table = useReactTable({
    data: rows,
    columns,
    getCoreRowModel: getCoreRowModel(),
    manualPagination: true,
    manualSorting: true,
    pageCount: Math.max(1, Math.ceil(total / pageSize)),
    state: { sorting, pagination: { pageIndex: page - 1, pageSize } },
    getRowId: (r) => rowKey(r),
  });
  const pages = Math.max(1, Math.ceil(total / pageSize));
  return (
    <div>
      <div className="table-scroll">
      <table className="grid" data-testid={testId}>
        <thead>
          {table.getHeaderGroups().map((hg) => (
            <tr key={hg.id}>
              {hg.headers.map((h) => {
                const canSort = h.column.columnDef.enableSorting === true;
                const label = flexRender(h.column.columnDef.header, h.getContext());
                const mark = sort === h.column.id ? (dir === "desc" ? " ↓" : " ↑") : "";
                return (
                  <th key={h.id}>
                    {canSort ? (
                      <button
                        type="button"
                        onClick={() => setUrl({ sort: h.column.id, dir: sort === h.column.id && dir === "asc" ? "desc" : "asc", page: "1" })}
                      >
                        {label}
                        {mark}
                      </button>
                    ) : (
                      label
                    )}
                  </th>
                );
              })}
            </tr>
          ))}
        </thead>
        <tbody>
          {table.getRowModel().rows.length === 0 && (
            <tr>
              <td colSpan={columns.length} className="muted" style={{ textAlign: "center" }}>
                {t.common.empty}
              </td>
            </tr>
          )}
          {table.getRowModel().rows.map((r) => (
            <tr key={r.id}>
              {r.getVisibleCells().map((c) => (
                <td key={c.id}>{flexRender(c.column.columnDef.cell, c.getContext())}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      </div>
      <div className="pager">
        <span>{t.common.total(total)}</span>
        <select value={pageSize} onChange={(e) => setUrl({ pageSize: e.target.value, page: "1" })} style={{ minWidth: 0 }} aria-label="每页条数">
          {PAGE_SIZES.map((s) => (
            <option key={s} value={s}>
              {s} 条/页
            </option>
          ))}
        </select>
        <button className="btn" type="button" disabled={page <= 1} onClick={() => setUrl({ page: String(page - 1) })}>
          {t.common.prev}
        </button>
        <span>{t.common.page(page, pages)}</span>
        <button className="btn" type="button" disabled={page >= pages} onClick={() => setUrl({ page: String(page + 1) })}>
          {t.common.next}
        </button>
      </div>
    </div>
  );
}
