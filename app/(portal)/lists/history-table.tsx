"use client";
// The history of a list (ListChange): who changed what, when, each field as 原值 → 新值.
import { useMemo } from "react";
import Link from "next/link";
import type { ColumnDef } from "@tanstack/react-table";
import { DataTable } from "@/components/data-table/data-table";
import type { HistoryRow } from "@/lib/catalog/list-queries";
import type { Paged } from "@/lib/pagination";
import { beijing } from "./format";

function Changes({ row }: { row: HistoryRow }) {
  if (!row.changes.length) return <span className="muted">-</span>;
  return (
    <div style={{ display: "grid", gap: 2, fontSize: 12 }}>
      {row.changes.map((c) => (
        <div key={c.field}>
          <b>{c.label}</b>：{row.action !== "create" && <><span className="muted" style={{ textDecoration: "line-through" }}>{c.from}</span> → </>}
          <span>{c.to}</span>
        </div>
      ))}
    </div>
  );
}

export function HistoryTable({ data, basePath, showEntry }: { data: Paged<HistoryRow>; basePath: string; showEntry: boolean }) {
  const columns = useMemo<ColumnDef<HistoryRow, unknown>[]>(
    () => [
      { id: "at", header: "时间", cell: ({ row }) => <span style={{ whiteSpace: "nowrap" }}>{beijing(row.original.at)}</span> },
      { id: "actor", header: "操作人", accessorKey: "actorName" },
      {
        id: "action",
        header: "操作",
        cell: ({ row }) => <span className={`badge ${row.original.action === "disable" ? "danger" : row.original.action === "create" ? "ok" : "info"}`}>{row.original.actionLabel}</span>,
      },
      ...(showEntry
        ? ([
            { id: "dept", header: "部门", accessorKey: "deptName" },
            {
              id: "type",
              header: "证照类型",
              cell: ({ row }) => (
                <Link href={`${basePath}?tab=history&entry=${row.original.entryId}`} title="查看该条目的全部历史">
                  {row.original.typeName}
                </Link>
              ),
            },
          ] satisfies ColumnDef<HistoryRow, unknown>[])
        : []),
      { id: "changes", header: "变更内容（原值 → 新值）", cell: ({ row }) => <Changes row={row.original} /> },
    ],
    [basePath, showEntry],
  );
  return <DataTable columns={columns} rows={data.rows} total={data.total} page={data.page} pageSize={data.pageSize} rowKey={(r) => r.id} testId="list-history" />;
}
