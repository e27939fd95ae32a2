"use client";
import { Fragment, useMemo } from "react";
import type { ColumnDef } from "@tanstack/react-table";
import { DataTable } from "@/components/data-table/data-table";
import { fmtTime } from "@/components/ui/fmt";
import { AUDIT_ACTION_LABELS, AUDIT_TARGET_LABELS } from "@/lib/audit/events";
import { detailLines } from "@/lib/audit/detail-labels";
import type { listAuditEvents } from "@/lib/audit/queries";

type Data = Awaited<ReturnType<typeof listAuditEvents>>;
type AuditRow = Data["rows"][number];

function actionLabel(code: string): string {
  return code in AUDIT_ACTION_LABELS ? AUDIT_ACTION_LABELS[code as keyof typeof AUDIT_ACTION_LABELS] : code;
}

function pretty(json: string): string {
  try {
    return JSON.stringify(JSON.parse(json), null, 2);
  } catch {
    return json;
  }
}

/** The detail as labelled lines (lib/audit/detail-labels.ts), with the JSON as recorded under them. */
function Detail({ json }: { json: string }) {
  const lines = detailLines(json);
  const raw = (
    <pre className="mono" style={{ margin: "4px 0 0", whiteSpace: "pre-wrap", wordBreak: "break-all", maxWidth: 360 }}>
      {pretty(json)}
    </pre>
  );
  if (!lines) return raw;
  return (
    <div style={{ maxWidth: 360, marginTop: 4 }} data-testid="audit-detail">
      {lines.length === 0 && <div className="muted">无其他内容</div>}
      <dl style={{ display: "grid", gridTemplateColumns: "auto 1fr", gap: "2px 8px", margin: 0, fontSize: 12 }}>
        {lines.map((l) => (
          <Fragment key={l.key}>
            <dt className="muted" style={{ whiteSpace: "nowrap" }}>
              {l.label}
            </dt>
            <dd style={{ margin: 0, overflowWrap: "anywhere" }}>{l.value}</dd>
          </Fragment>
        ))}
      </dl>
      <details style={{ marginTop: 4 }}>
        <summary className="muted" style={{ fontSize: 12 }}>
          原始记录（JSON）
        </summary>
        {raw}
      </details>
    </div>
  );
}

export function AuditTable({ data, dir }: { data: Data; dir: "asc" | "desc" }) {
  const columns = useMemo<ColumnDef<AuditRow, unknown>[]>(
    () => [
      { id: "seq", header: "序号", cell: ({ row }) => <span className="mono">{row.original.seq}</span> },
      { id: "time", header: "时间", cell: ({ row }) => fmtTime(row.original.time) },
      { id: "actor", header: "操作人", accessorKey: "actorName" },
      { id: "role", header: "角色", accessorKey: "actorRole" },
      { id: "dept", header: "部门", accessorKey: "actorDept" },
      { id: "ip", header: "IP", cell: ({ row }) => <span className="mono">{row.original.ip || "-"}</span> },
      {
        id: "action",
        header: "操作",
        cell: ({ row }) => (
          <>
            {actionLabel(row.original.action)}
            <br />
            <span className="mono muted">{row.original.action}</span>
          </>
        ),
      },
      {
        id: "target",
        header: "对象",
        cell: ({ row }) => (
          <>
            {AUDIT_TARGET_LABELS[row.original.targetType] ?? row.original.targetType}
            {row.original.targetId && (
              <>
                <br />
                <span className="mono muted">{row.original.targetId}</span>
              </>
            )}
          </>
        ),
      },
      {
        id: "detail",
        header: "详情",
        cell: ({ row }) => (
          <details>
            <summary>查看</summary>
            <Detail json={row.original.detail} />
          </details>
        ),
      },
      {
        id: "hash",
        header: "哈希",
        cell: ({ row }) => <span className="mono" title={row.original.hash}>{row.original.hash.slice(0, 12)}</span>,
      },
    ],
    [],
  );
  return <DataTable columns={columns} rows={data.rows} total={data.total} page={data.page} pageSize={data.pageSize} dir={dir} rowKey={(r) => r.seq} testId="audit-table" />;
}
