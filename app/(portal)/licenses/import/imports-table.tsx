"use client";
import { useMemo } from "react";
import Link from "next/link";
import type { ColumnDef } from "@tanstack/react-table";
import { DataTable } from "@/components/data-table/data-table";
import type { ImportRow } from "@/lib/licenses/bulk/queries";
import type { Paged } from "@/lib/pagination";
import { beijing, StatusBadge } from "./status";

const n = (v: number) => v.toLocaleString("en-US");

/** The department's imports (server-driven paging in the URL). */
export function ImportsTable({ data, selected }: { data: Paged<ImportRow>; selected: string | null }) {
  const columns = useMemo<ColumnDef<ImportRow, unknown>[]>(
    () => [
      { id: "createdAt", header: "上传时间", cell: ({ row }) => <span style={{ whiteSpace: "nowrap" }}>{beijing(row.original.createdAt)}</span> },
      { id: "type", header: "证照类型", accessorKey: "typeName" },
      { id: "file", header: "文件", cell: ({ row }) => <span style={{ wordBreak: "break-all" }}>{row.original.fileName}</span> },
      { id: "status", header: "状态", cell: ({ row }) => <StatusBadge status={row.original.status} /> },
      { id: "total", header: "数据行", cell: ({ row }) => n(row.original.totalRows) },
      {
        id: "check",
        header: "新建 / 已存在 / 拒绝",
        cell: ({ row }) =>
          row.original.status === "VALIDATING" ? (
            <span className="muted">-</span>
          ) : (
            <span style={{ whiteSpace: "nowrap" }}>
              {n(row.original.validRows)} / {n(row.original.existingRows)} / <span style={row.original.rejectedRows ? { color: "var(--danger)" } : undefined}>{n(row.original.rejectedRows)}</span>
            </span>
          ),
      },
      {
        id: "run",
        header: "已创建 / 跳过 / 失败",
        cell: ({ row }) => (
          <span style={{ whiteSpace: "nowrap" }}>
            {n(row.original.createdCount)} / {n(row.original.skippedCount)} / {n(row.original.failedCount)}
          </span>
        ),
      },
      {
        id: "progress",
        header: "进度",
        cell: ({ row }) => (row.original.totalRows && row.original.cursor ? `${Math.floor((row.original.cursor / row.original.totalRows) * 100)}%` : "-"),
      },
      { id: "by", header: "上传人", accessorKey: "createdBy" },
      {
        id: "actions",
        header: "操作",
        cell: ({ row }) =>
          row.original.id === selected ? (
            <span className="muted">查看中</span>
          ) : (
            <Link className="btn link" href={`/licenses/import?id=${row.original.id}`}>
              查看
            </Link>
          ),
      },
    ],
    [selected],
  );
  return <DataTable columns={columns} rows={data.rows} total={data.total} page={data.page} pageSize={data.pageSize} rowKey={(r) => r.id} testId="imports-table" />;
}
