"use client";
import { useMemo } from "react";
import Link from "next/link";
import type { ColumnDef } from "@tanstack/react-table";
import { DataTable } from "@/components/data-table/data-table";
import { fmtTime } from "@/components/ui/fmt";

export type NoticeRow = { id: string; number: string; title: string; orders: number; publishedAt: string; publisher: string; publishedByName: string };

export function NoticesTable({ data }: { data: { rows: NoticeRow[]; total: number; page: number; pageSize: number } }) {
  const columns = useMemo<ColumnDef<NoticeRow, unknown>[]>(
    () => [
      {
        id: "number",
        header: "通报编号",
        cell: ({ row }) => (
          <Link className="mono" href={`/supervision/notices/${row.original.id}`}>
            {row.original.number}
          </Link>
        ),
      },
      { id: "title", header: "标题", cell: ({ row }) => <Link href={`/supervision/notices/${row.original.id}`}>{row.original.title}</Link> },
      { id: "orders", header: "涉及整改通知", cell: ({ row }) => `${row.original.orders} 件` },
      { id: "publisher", header: "发布部门", cell: ({ row }) => row.original.publisher },
      { id: "publishedAt", header: "发布时间", cell: ({ row }) => <span style={{ whiteSpace: "nowrap" }}>{fmtTime(row.original.publishedAt)}</span> },
    ],
    [],
  );
  return <DataTable columns={columns} rows={data.rows} total={data.total} page={data.page} pageSize={data.pageSize} rowKey={(r) => r.id} testId="notice-table" />;
}
