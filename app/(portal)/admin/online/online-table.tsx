"use client";
import { useMemo, useState } from "react";
import { useRouter } from "next/navigation";
import type { ColumnDef } from "@tanstack/react-table";
import { DataTable } from "@/components/data-table/data-table";
import { fmtTime } from "@/components/ui/fmt";
import type { listOnlineSessions } from "@/lib/users/queries";
import { t } from "@/lib/i18n/zh-CN";
import { endSessionAction } from "./actions";

type Data = Awaited<ReturnType<typeof listOnlineSessions>>;
type OnlineRow = Data["rows"][number];
type Props = { data: Data; dir: "asc" | "desc"; canManage: boolean };

const UA_MAX = 40;

export function OnlineTable({ data, dir, canManage }: Props) {
  const router = useRouter();
  const [msg, setMsg] = useState<{ ok: boolean; text: string } | null>(null);
  const [busy, setBusy] = useState<string | null>(null);

  const columns = useMemo<ColumnDef<OnlineRow, unknown>[]>(() => {
    async function endSession(s: OnlineRow) {
      if (!confirm(`确定强制下线 ${s.username}（会话 ${s.short}）？`)) return;
      setBusy(s.handle);
      const r = await endSessionAction({ handle: s.handle });
      setBusy(null);
      setMsg(r.ok ? { ok: true, text: `已强制下线 ${s.username}（会话 ${s.short}）` } : { ok: false, text: r.error });
      router.refresh();
    }
    return [
      { id: "short", header: "会话编号", cell: ({ row }) => <span className="mono" title={row.original.short}>{row.original.short}</span> },
      { id: "username", header: "用户名", accessorKey: "username" },
      { id: "name", header: "姓名", accessorKey: "name" },
      { id: "department", header: "部门", accessorKey: "departmentName" },
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
      { id: "createdAt", header: "登录时间", cell: ({ row }) => fmtTime(row.original.createdAt) },
      { id: "lastSeenAt", header: "最近活动", cell: ({ row }) => fmtTime(row.original.lastSeenAt) },
      {
        id: "actions",
        header: t.common.actions,
        cell: ({ row }) => {
          const s = row.original;
          if (s.current) return <span className="badge info">当前会话</span>;
          if (!canManage) return null;
          return (
            <button className="btn link danger" type="button" disabled={busy === s.handle} onClick={() => void endSession(s)}>
              强制下线
            </button>
          );
        },
      },
    ];
  }, [canManage, busy, router]);

  return (
    <>
      {msg && <div className={`alert ${msg.ok ? "ok" : "error"}`} role="status">{msg.text}</div>}
      <DataTable columns={columns} rows={data.rows} total={data.total} page={data.page} pageSize={data.pageSize} dir={dir} rowKey={(r) => r.handle} testId="online-table" />
    </>
  );
}
