"use client";
import { useMemo } from "react";
import type { ColumnDef } from "@tanstack/react-table";
import { DataTable } from "@/components/data-table/data-table";
import { fmtTime } from "@/components/ui/fmt";
import type { listLoginAttempts } from "@/lib/users/queries";
import { t } from "@/lib/i18n/zh-CN";

type Data = Awaited<ReturnType<typeof listLoginAttempts>>;
type LoginRow = Data["rows"][number];

const UA_MAX = 60;

function resultLabel(r: string): string {
  return r in t.loginResults ? t.loginResults[r as keyof typeof t.loginResults] : r;
}

export function LoginLogTable({ data, dir }: { data: Data; dir: "asc" | "desc" }) {
  const columns = useMemo<ColumnDef<LoginRow, unknown>[]>(
    () => [
      { id: "createdAt", header: "时间", cell: ({ row }) => fmtTime(row.original.createdAt) },
      { id: "username", header: "用户名", accessorKey: "username" },
      {
        id: "result",
        header: "结果",
        cell: ({ row }) => (
          <span className={`badge ${row.original.result === "SUCCESS" ? "ok" : "danger"}`}>{resultLabel(row.original.result)}</span>
        ),
      },
      { id: "ip", header: "IP", cell: ({ row }) => <span className="mono">{row.original.ip || "-"}</span> },
      {
        id: "userAgent",
        header: "浏览器",
        cell: ({ row }) => {
          const ua = row.original.userAgent;
          if (!ua) return <span className="muted">-</span>;
          return <span title={ua}>{ua.length > UA_MAX ? `${ua.slice(0, UA_MAX)}…` : ua}</span>;
        },
      },
    ],
    [],
  );
  return <DataTable columns={columns} rows={data.rows} total={data.total} page={data.page} pageSize={data.pageSize} dir={dir} rowKey={(r) => r.id} testId="login-log-table" />;
}
