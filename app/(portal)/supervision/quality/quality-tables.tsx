"use client";
// The rows behind the dashboard's data-quality figures (V-01), one table per kind; each row links
// to the licence, type, list or seal-use request it is about.
import { useMemo } from "react";
import Link from "next/link";
import type { ColumnDef } from "@tanstack/react-table";
import { DataTable } from "@/components/data-table/data-table";
import { fmtTime } from "@/components/ui/fmt";
import type { Paged } from "@/lib/pagination";
import type { FindingRow, SignatureRow, StaleListRow, TypeRow } from "@/lib/supervision/quality";

const wrap = (min: number, max: number, text: string) => <div style={{ minWidth: min, maxWidth: max }}>{text}</div>;
const nowrap = (text: string) => <span style={{ whiteSpace: "nowrap" }}>{text}</span>;

export function FindingsTable({ data }: { data: Paged<FindingRow> }) {
  const columns = useMemo<ColumnDef<FindingRow, unknown>[]>(
    () => [
      {
        id: "licenceNumber",
        header: "证照编号",
        cell: ({ row }) => (
          <Link className="mono" href={`/licenses/${row.original.licenceId}`}>
            {row.original.licenceNumber}
          </Link>
        ),
      },
      { id: "type", header: "证照类型", cell: ({ row }) => wrap(100, 200, row.original.typeName) },
      {
        id: "holder",
        header: "持证主体",
        cell: ({ row }) => (
          <div style={{ minWidth: 120, maxWidth: 240 }}>
            {row.original.holderName}
            <div className="muted mono">{row.original.holderCodeMasked}</div>
          </div>
        ),
      },
      { id: "dept", header: "发证部门", cell: ({ row }) => wrap(100, 200, row.original.deptName) },
      { id: "detail", header: "问题说明", cell: ({ row }) => wrap(160, 360, row.original.detail) },
      { id: "status", header: "状态", cell: ({ row }) => <span className="badge">{row.original.statusLabel}</span> },
    ],
    [],
  );
  return <DataTable columns={columns} rows={data.rows} total={data.total} page={data.page} pageSize={data.pageSize} rowKey={(r) => r.licenceId} testId="quality-table" />;
}

export function TypesTable({ data }: { data: Paged<TypeRow> }) {
  const columns = useMemo<ColumnDef<TypeRow, unknown>[]>(
    () => [
      { id: "typeCode", header: "类型代码", cell: ({ row }) => <span className="mono">{row.original.typeCode}</span> },
      {
        id: "name",
        header: "证照类型",
        cell: ({ row }) => <Link href={`/catalog/${row.original.id}`}>{row.original.name}</Link>,
      },
      { id: "problem", header: "问题说明", cell: () => "已发布，范围内没有有效的发证清单条目" },
    ],
    [],
  );
  return <DataTable columns={columns} rows={data.rows} total={data.total} page={data.page} pageSize={data.pageSize} rowKey={(r) => r.id} testId="quality-table" />;
}

export function StaleListsTable({ data }: { data: Paged<StaleListRow> }) {
  const columns = useMemo<ColumnDef<StaleListRow, unknown>[]>(
    () => [
      { id: "dept", header: "部门", cell: ({ row }) => wrap(120, 240, row.original.deptName) },
      { id: "list", header: "清单", cell: ({ row }) => <Link href={row.original.href}>{row.original.listLabel}</Link> },
      { id: "entries", header: "有效条目数", cell: ({ row }) => row.original.entries },
      { id: "lastChangedAt", header: "最近变更", cell: ({ row }) => nowrap(row.original.lastChangedAt ? fmtTime(row.original.lastChangedAt) : "从未变更") },
    ],
    [],
  );
  return <DataTable columns={columns} rows={data.rows} total={data.total} page={data.page} pageSize={data.pageSize} rowKey={(r) => r.key} testId="quality-table" />;
}

export function SignaturesTable({ data }: { data: Paged<SignatureRow> }) {
  const columns = useMemo<ColumnDef<SignatureRow, unknown>[]>(
    () => [
      {
        id: "number",
        header: "申请编号",
        cell: ({ row }) => (
          <Link className="mono" href={`/seal-use/${row.original.requestId}`}>
            {row.original.requestNumber}
          </Link>
        ),
      },
      { id: "seal", header: "印章", cell: ({ row }) => wrap(120, 240, row.original.sealName) },
      { id: "dept", header: "持有部门", cell: ({ row }) => wrap(100, 200, row.original.deptName) },
      { id: "signer", header: "签章人", cell: ({ row }) => nowrap(row.original.signerName) },
      { id: "createdAt", header: "签章时间", cell: ({ row }) => nowrap(fmtTime(row.original.createdAt)) },
      { id: "approvedAt", header: "审批完成时间", cell: ({ row }) => nowrap(row.original.approvedAt ? fmtTime(row.original.approvedAt) : "未审批完成") },
    ],
    [],
  );
  return <DataTable columns={columns} rows={data.rows} total={data.total} page={data.page} pageSize={data.pageSize} rowKey={(r) => r.id} testId="quality-table" />;
}
