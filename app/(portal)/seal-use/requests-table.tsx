"use client";
import { useMemo } from "react";
import Link from "next/link";
import type { ColumnDef } from "@tanstack/react-table";
import { DataTable } from "@/components/data-table/data-table";
import type { RequestRow } from "@/lib/seal-use/queries";
import type { Paged } from "@/lib/pagination";
import { t } from "@/lib/i18n/zh-CN";
import { UseStatusBadge, fmtDay, fmtTime } from "./badges";

export function RequestsTable({ data, sort, dir }: { data: Paged<RequestRow>; sort?: string; dir: "asc" | "desc" }) {
  const columns = useMemo<ColumnDef<RequestRow, unknown>[]>(
    () => [
      { id: "number", header: "申请编号", cell: ({ row }) => <span className="mono">{row.original.number}</span> },
      { id: "seal", header: "印章", accessorKey: "sealName" },
      { id: "dept", header: "用印部门", accessorKey: "deptName" },
      { id: "reason", header: "用印事由", cell: ({ row }) => <span title={row.original.reason}>{row.original.reason.length > 24 ? `${row.original.reason.slice(0, 24)}…` : row.original.reason}</span> },
      { id: "applicant", header: "申请人", accessorKey: "applicantName" },
      { id: "count", header: "用印数", cell: ({ row }) => `${row.original.usedCount}/${row.original.count}` },
      {
        id: "status",
        header: "状态",
        enableSorting: true,
        cell: ({ row }) => (
          <>
            <UseStatusBadge status={row.original.status} />
            {row.original.currentStep && <span className="muted">（{row.original.currentStep}）</span>}
          </>
        ),
      },
      { id: "validUntil", header: "有效期至", enableSorting: true, cell: ({ row }) => fmtDay(row.original.validUntil) },
      { id: "createdAt", header: "申请时间", enableSorting: true, cell: ({ row }) => fmtTime(row.original.createdAt) },
      { id: "actions", header: t.common.actions, cell: ({ row }) => <Link className="btn link" href={`/seal-use/${row.original.id}`}>查看</Link> },
    ],
    [],
  );
  return <DataTable columns={columns} rows={data.rows} total={data.total} page={data.page} pageSize={data.pageSize} sort={sort} dir={dir} rowKey={(r) => r.id} testId="seal-use-table" />;
}
