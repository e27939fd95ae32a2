"use client";
import type { ColumnDef } from "@tanstack/react-table";
import { DataTable } from "@/components/data-table/data-table";
import type { NoticeRow } from "@/lib/licenses/public";

const STATUS_BADGE: Record<string, string> = { VALID: "ok", SUSPENDED: "warn" };

const columns: ColumnDef<NoticeRow, unknown>[] = [
  {
    id: "holder",
    header: "持证主体",
    cell: ({ row }) => (
      <details>
        <summary>{row.original.holderName}</summary>
        <dl className="kv" style={{ marginTop: 8, gridTemplateColumns: "120px 1fr", fontSize: 13 }}>
          {row.original.face.map((f) => (
            <div key={f.label} style={{ display: "contents" }}>
              <dt>{f.label}</dt>
              <dd>{f.value}</dd>
            </div>
          ))}
          <dt>电子证照标识</dt>
          <dd className="mono" style={{ wordBreak: "break-all" }}>
            {row.original.identifier}
          </dd>
        </dl>
      </details>
    ),
  },
  { id: "name", header: "证照名称", cell: ({ row }) => row.original.name },
  { id: "number", header: "证照编号", cell: ({ row }) => <span className="mono">{row.original.number}</span> },
  { id: "issuer", header: "发证机关", cell: ({ row }) => row.original.issuer },
  { id: "issuedOn", header: "发证日期", cell: ({ row }) => row.original.issuedOn },
  { id: "validity", header: "有效期限", cell: ({ row }) => `${row.original.validFrom} 至 ${row.original.validTo ?? "长期"}` },
  {
    id: "status",
    header: "状态",
    cell: ({ row }) => <span className={`badge ${STATUS_BADGE[row.original.status] ?? "danger"}`}>{row.original.statusLabel}</span>,
  },
];

export function NoticeTable({ rows, total, page, pageSize }: { rows: NoticeRow[]; total: number; page: number; pageSize: number }) {
  return <DataTable columns={columns} rows={rows} total={total} page={page} pageSize={pageSize} rowKey={(r) => r.id} testId="public-notice" />;
}
