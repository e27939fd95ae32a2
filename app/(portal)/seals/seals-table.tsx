"use client";
import { useMemo } from "react";
import Link from "next/link";
import type { ColumnDef } from "@tanstack/react-table";
import { DataTable } from "@/components/data-table/data-table";
import { sealKindLabel, type BusinessType, type PositionType, type SealKind } from "@/lib/seals/kinds";
import type { SealRow } from "@/lib/seals/queries";
import type { Paged } from "@/lib/pagination";
import { t } from "@/lib/i18n/zh-CN";
import { SealStatusBadge, fmtDate, useModeShort } from "./seal-badges";

type Row = SealRow & { expired: boolean };
type Props = { data: Paged<Row>; sort?: string; dir: "asc" | "desc" };

export function SealsTable({ data, sort, dir }: Props) {
  const columns = useMemo<ColumnDef<Row, unknown>[]>(
    () => [
      { id: "esId", header: "印章编码", cell: ({ row }) => (row.original.esId ? <span className="mono">{row.original.esId}</span> : <span className="muted">未赋码</span>) },
      { id: "name", header: "名称", accessorKey: "name", enableSorting: true },
      {
        id: "kind",
        header: "类型",
        cell: ({ row }) => sealKindLabel(row.original.kind as SealKind, row.original.businessType as BusinessType | null, row.original.positionType as PositionType | null),
      },
      { id: "holderDept", header: "持有部门", accessorKey: "holderDeptName" },
      { id: "useMode", header: "使用模式", cell: ({ row }) => useModeShort(row.original.useMode) },
      {
        id: "status",
        header: "状态",
        enableSorting: true,
        cell: ({ row }) => <SealStatusBadge status={row.original.status} filingOverdue={row.original.filingOverdue} expiringSoon={row.original.expiringSoon} expired={row.original.expired} />,
      },
      { id: "validEnd", header: "有效期至", enableSorting: true, cell: ({ row }) => fmtDate(row.original.validEnd) || <span className="muted">-</span> },
      {
        id: "actions",
        header: t.common.actions,
        cell: ({ row }) => (
          <Link className="btn link" href={`/seals/${row.original.id}`}>
            查看
          </Link>
        ),
      },
    ],
    [],
  );
  return <DataTable columns={columns} rows={data.rows} total={data.total} page={data.page} pageSize={data.pageSize} sort={sort} dir={dir} rowKey={(r) => r.id} testId="seals-table" />;
}
