"use client";
// The rectification orders (V-02): number, department, category, title, status, the stored due
// date and, when ISSUED or RETURNED past it, a red "超期 N 天".
import { useMemo } from "react";
import Link from "next/link";
import type { ColumnDef } from "@tanstack/react-table";
import { DataTable } from "@/components/data-table/data-table";
import { fmtTime } from "@/components/ui/fmt";
import type { OrderRow } from "@/lib/supervision/rectification-queries";
import { DueCell, OrderStatusBadge } from "./_ui/badges";

export type OrderTableData = { rows: OrderRow[]; total: number; page: number; pageSize: number };

export function OrdersTable({ data }: { data: OrderTableData }) {
  const columns = useMemo<ColumnDef<OrderRow, unknown>[]>(
    () => [
      {
        id: "number",
        header: "通知编号",
        cell: ({ row }) => (
          <Link className="mono" href={`/supervision/orders/${row.original.id}`}>
            {row.original.number}
          </Link>
        ),
      },
      { id: "dept", header: "被责令整改部门", cell: ({ row }) => <div style={{ minWidth: 120, maxWidth: 220 }}>{row.original.dept.name}</div> },
      { id: "category", header: "问题类别", cell: ({ row }) => <span style={{ whiteSpace: "nowrap" }}>{row.original.categoryLabel}</span> },
      { id: "title", header: "标题", cell: ({ row }) => <div style={{ minWidth: 160, maxWidth: 300 }}>{row.original.title}</div> },
      { id: "issuedAt", header: "下达时间", cell: ({ row }) => <span style={{ whiteSpace: "nowrap" }}>{fmtTime(row.original.issuedAt)}</span> },
      { id: "dueAt", header: "整改期限", cell: ({ row }) => <DueCell dueAt={row.original.dueAt} overdueDays={row.original.overdueDays} calendarCovered={row.original.calendarCovered} /> },
      { id: "status", header: "状态", cell: ({ row }) => <OrderStatusBadge status={row.original.status} label={row.original.statusLabel} round={row.original.round} /> },
    ],
    [],
  );
  return <DataTable columns={columns} rows={data.rows} total={data.total} page={data.page} pageSize={data.pageSize} rowKey={(r) => r.id} testId="order-table" />;
}
