"use client";
import { useMemo } from "react";
import Link from "next/link";
import type { ColumnDef } from "@tanstack/react-table";
import { DataTable } from "@/components/data-table/data-table";
import { fmtTime } from "@/components/ui/fmt";
import type { SpotCheckRow } from "@/lib/supervision/spot-checks";
import { SPOT_CHECK_KIND_LABELS, SPOT_CHECK_STATUS_LABELS, type SpotCheckStatus } from "@/lib/supervision/spot-checks-schema";
import { pct } from "@/lib/supervision/spot-checks-schema";


export function SpotChecksTable({ data }: { data: { rows: SpotCheckRow[]; total: number; page: number; pageSize: number } }) {
  const columns = useMemo<ColumnDef<SpotCheckRow, unknown>[]>(
    () => [
      { id: "number", header: "抽查编号", cell: ({ row }) => <Link className="mono" href={`/supervision/spot-checks/${row.original.id}`}>{row.original.number}</Link> },
      { id: "kind", header: "抽查对象", cell: ({ row }) => SPOT_CHECK_KIND_LABELS[row.original.kind] },
      { id: "depts", header: "被抽查部门", cell: ({ row }) => <span title={row.original.deptNames.join("、")}>{row.original.deptNames.slice(0, 3).join("、")}{row.original.deptNames.length > 3 ? ` 等 ${row.original.deptNames.length} 个` : ""}</span> },
      { id: "perDept", header: "每部门抽取", cell: ({ row }) => row.original.perDept },
      { id: "progress", header: "已检查/抽取", cell: ({ row }) => `${row.original.checked}/${row.original.items}` },
      { id: "status", header: "状态", cell: ({ row }) => SPOT_CHECK_STATUS_LABELS[row.original.status as SpotCheckStatus] ?? row.original.status },
      { id: "passRate", header: "合格率", cell: ({ row }) => pct(row.original.passRate) },
      { id: "createdAt", header: "发起时间", cell: ({ row }) => fmtTime(row.original.createdAt) },
      { id: "by", header: "发起人", cell: ({ row }) => row.original.createdByName },
    ],
    [],
  );
  return <DataTable columns={columns} rows={data.rows} total={data.total} page={data.page} pageSize={data.pageSize} rowKey={(r) => r.id} testId="spot-checks" />;
}
