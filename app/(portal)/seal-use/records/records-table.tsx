"use client";
import { useMemo } from "react";
import Link from "next/link";
import type { ColumnDef } from "@tanstack/react-table";
import { DataTable } from "@/components/data-table/data-table";
import { DECISION_LABELS } from "@/lib/seal-use/labels";
import type { RecordRow } from "@/lib/seal-use/queries";
import type { Paged } from "@/lib/pagination";

/**
 * Beijing time without the locale machinery (UTC+8, no daylight saving), so the server render and
 * the browser agree: "YYYY-MM-DD HH:mm:ss".
 */
function beijing(iso: string): string {
  return new Date(Date.parse(iso) + 8 * 3_600_000).toISOString().slice(0, 19).replace("T", " ");
}

const decision = (d: string) => DECISION_LABELS[d as keyof typeof DECISION_LABELS] ?? d;

function Approvals({ list }: { list: RecordRow["approvals"] }) {
  if (list.length === 0) return <span className="muted">-</span>;
  return (
    <div style={{ display: "grid", gap: 2, fontSize: 12 }}>
      {list.map((a, i) => (
        // two short lines (who, then what and when) rather than one long one: the table fits 1366 px
        <div key={i} title={a.comment ?? undefined} style={{ minWidth: 110 }}>
          <div>
            {a.step}：{a.user}
          </div>
          <div style={{ whiteSpace: "nowrap" }}>
            <span className={a.decision === "APPROVED" ? "" : "muted"}>{decision(a.decision)}</span>
            {a.at && <span className="muted"> {beijing(a.at).slice(5, 16)}</span>}
          </div>
        </div>
      ))}
    </div>
  );
}

export function RecordsTable({ data }: { data: Paged<RecordRow> }) {
  const columns = useMemo<ColumnDef<RecordRow, unknown>[]>(
    () => [
      {
        id: "at",
        header: "用印时间",
        // the date over the time: half the width of one line
        cell: ({ row }) => (
          <span style={{ whiteSpace: "nowrap" }}>
            {beijing(row.original.at).slice(0, 10)}
            <br />
            {beijing(row.original.at).slice(11)}
          </span>
        ),
      },
      {
        id: "seal",
        header: "印章",
        cell: ({ row }) => (
          <>
            <div>{row.original.sealName}</div>
            <div className="mono muted">{row.original.esId}</div>
          </>
        ),
      },
      { id: "dept", header: "持有部门", accessorKey: "deptName" },
      {
        id: "request",
        header: "申请编号",
        cell: ({ row }) => (
          <Link className="mono" href={`/seal-use/${row.original.requestId}?menu=/seal-use/records`}>
            {row.original.requestNumber}
          </Link>
        ),
      },
      { id: "reason", header: "用印事由", cell: ({ row }) => <div style={{ minWidth: 140, maxWidth: 240 }}>{row.original.reason}</div> },
      { id: "approvals", header: "审批情况", cell: ({ row }) => <Approvals list={row.original.approvals} /> },
      {
        id: "count",
        header: () => (
          <>
            用印次数
            <br />
            <span className="muted" style={{ fontWeight: 400, fontSize: 12 }}>
              本次/累计/剩余
            </span>
          </>
        ),
        cell: ({ row }) => (
          <span style={{ whiteSpace: "nowrap" }} title={`本次 ${row.original.countUsed} 次，累计已用 ${row.original.usedTotal} 次，剩余 ${row.original.remaining} 次`}>
            {row.original.countUsed} / {row.original.usedTotal} / {row.original.remaining}
          </span>
        ),
      },
      {
        id: "document",
        header: "文件",
        cell: ({ row }) => (
          <>
            <div style={{ minWidth: 120, maxWidth: 220, overflowWrap: "anywhere" }}>{row.original.documentName}</div>
            <div className="mono muted" style={{ whiteSpace: "nowrap" }} title={`原文件 SM3：${row.original.documentSm3}`}>
              SM3 {row.original.documentSm3.slice(0, 8)}…
            </div>
          </>
        ),
      },
      { id: "operator", header: "经办人", accessorKey: "operatorName" },
      {
        id: "files",
        header: "签章文件",
        cell: ({ row }) => (
          <div className="actions">
            <a className="btn link" href={`/api/seal-use/signatures/${row.original.signatureId}/pdf`}>
              PDF
            </a>
            <a className="btn link" href={`/api/seal-use/signatures/${row.original.signatureId}/sig`}>
              .sig
            </a>
          </div>
        ),
      },
    ],
    [],
  );
  return <DataTable columns={columns} rows={data.rows} total={data.total} page={data.page} pageSize={data.pageSize} rowKey={(r) => r.id} testId="records-table" />;
}
