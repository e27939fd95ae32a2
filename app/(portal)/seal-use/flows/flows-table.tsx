"use client";
import { useMemo } from "react";
import Link from "next/link";
import type { ColumnDef } from "@tanstack/react-table";
import { DataTable } from "@/components/data-table/data-table";
import { fmtTime } from "@/components/ui/fmt";
import type { FlowListRow } from "@/lib/seal-use/flows";
import type { Paged } from "@/lib/pagination";
import { t } from "@/lib/i18n/zh-CN";

export function FlowsTable({ data }: { data: Paged<FlowListRow> }) {
  const columns = useMemo<ColumnDef<FlowListRow, unknown>[]>(
    () => [
      { id: "dept", header: "部门", accessorKey: "deptName" },
      { id: "target", header: "适用范围", accessorKey: "target" },
      { id: "name", header: "流程名称", cell: ({ row }) => <Link href={`/seal-use/flows/${row.original.id}`}>{row.original.name}</Link> },
      { id: "version", header: "当前版本", cell: ({ row }) => `第 ${row.original.version} 版` },
      { id: "steps", header: "审批环节", cell: ({ row }) => `${row.original.stepCount} 个` },
      { id: "updatedAt", header: "更新时间", cell: ({ row }) => fmtTime(row.original.updatedAt) },
      {
        id: "actions",
        header: t.common.actions,
        cell: ({ row }) => (
          <Link className="btn link" href={`/seal-use/flows/${row.original.id}`} aria-label={`查看或修改流程「${row.original.name}」`}>
            查看 / 修改
          </Link>
        ),
      },
    ],
    [],
  );
  return <DataTable columns={columns} rows={data.rows} total={data.total} page={data.page} pageSize={data.pageSize} rowKey={(r) => r.id} testId="flows-table" />;
}
