"use client";
// The objection queue (O-05): every row with both deadlines and the time left, coloured; the
// server computed the milliseconds left from the stored deadlines when it rendered the page.
import { useMemo } from "react";
import Link from "next/link";
import type { ColumnDef } from "@tanstack/react-table";
import { DataTable } from "@/components/data-table/data-table";
import { fmtTime } from "@/components/ui/fmt";
import type { ObjectionRow } from "@/lib/objections/queries";
import { DeadlineCell, ObjectionStatusBadge } from "./_ui/badges";

/**
 * An electronic licence identifier is ~75 characters, all starting with the same national prefix;
 * what tells two rows apart is its tail (holder code, licence number, version, check digit), so a
 * long one shows "…" and its last 30 characters (the whole identifier is the tooltip).
 */
function shortIdentifier(id: string): string {
  return id.length > 34 ? `…${id.slice(-30)}` : id;
}

export type ObjectionTableData = { rows: ObjectionRow[]; total: number; page: number; pageSize: number };

export function ObjectionsTable({ data }: { data: ObjectionTableData }) {
  const columns = useMemo<ColumnDef<ObjectionRow, unknown>[]>(
    () => [
      {
        id: "number",
        header: "异议编号",
        cell: ({ row }) => (
          <Link className="mono" href={`/objections/${row.original.id}`}>
            {row.original.number}
          </Link>
        ),
      },
      {
        id: "licence",
        header: "证照",
        cell: ({ row }) => (
          <div style={{ minWidth: 160, maxWidth: 240 }}>
            {row.original.licence.name}
            <div className="mono muted" title={row.original.licence.identifier} style={{ overflow: "hidden", textOverflow: "ellipsis", whiteSpace: "nowrap", fontSize: 11 }}>
              {shortIdentifier(row.original.licence.identifier)}
            </div>
            {row.original.fields.length > 0 && <div className="muted">异议字段：{row.original.fields.join("、")}</div>}
          </div>
        ),
      },
      { id: "holder", header: "持证主体", cell: ({ row }) => <div style={{ minWidth: 100, maxWidth: 200 }}>{row.original.licence.holderName}</div> },
      { id: "issuer", header: "发证部门", cell: ({ row }) => <div style={{ minWidth: 100, maxWidth: 180 }}>{row.original.issuerDept.name}</div> },
      { id: "applicant", header: "提出方", cell: ({ row }) => <div style={{ minWidth: 100, maxWidth: 200 }}>{row.original.applicant.label}</div> },
      { id: "receivedAt", header: "收到时间", cell: ({ row }) => <span style={{ whiteSpace: "nowrap" }}>{fmtTime(row.original.receivedAt)}</span> },
      {
        id: "markDue",
        header: "标注时限",
        cell: ({ row }) => (
          <DeadlineCell
            dueAt={row.original.markDueAt}
            receivedAt={row.original.receivedAt}
            leftMs={row.original.markLeftMs}
            halfMs={row.original.markHalfMs}
            metAt={row.original.markedAt}
            doneText="已标注"
            dash
            testId="mark-deadline"
          />
        ),
      },
      {
        id: "resolveDue",
        header: "办结时限",
        cell: ({ row }) => (
          <DeadlineCell
            dueAt={row.original.resolveDueAt}
            receivedAt={row.original.receivedAt}
            leftMs={row.original.resolveLeftMs}
            halfMs={row.original.resolveHalfMs}
            metAt={row.original.resolvedAt}
            doneText="已办结"
            dash
            testId="resolve-deadline"
          />
        ),
      },
      {
        id: "status",
        header: "状态",
        cell: ({ row }) => (
          <span style={{ whiteSpace: "nowrap" }}>
            <ObjectionStatusBadge status={row.original.status} label={row.original.statusLabel} outcomeLabel={row.original.outcomeLabel} />
            {!row.original.calendarCovered && (
              <div className="muted" title="期限所在年度未导入节假日安排，按周一至周五计算">
                期限按周一至周五计算
              </div>
            )}
          </span>
        ),
      },
      { id: "stage", header: "跨区域", cell: ({ row }) => (row.original.routeStageLabel ? <span className="badge info">{row.original.routeStageLabel}</span> : <span className="muted">-</span>) },
    ],
    [],
  );
  return <DataTable columns={columns} rows={data.rows} total={data.total} page={data.page} pageSize={data.pageSize} rowKey={(r) => r.id} testId="objection-table" />;
}
