"use client";
import { useMemo, useState } from "react";
import { useRouter } from "next/navigation";
import type { ColumnDef } from "@tanstack/react-table";
import { DataTable } from "@/components/data-table/data-table";
import { Modal } from "@/components/ui/modal";
import { ROLES, type RoleName, type Scope } from "@/lib/auth/permissions";
import type { UserRow } from "@/lib/users/queries";
import type { Paged } from "@/lib/pagination";
import { t } from "@/lib/i18n/zh-CN";
import { grantRoleAction, revokeRoleAction } from "./actions";

export function RolesTable({ data, sort, dir, selfId }: { data: Paged<UserRow>; sort?: string; dir: "asc" | "desc"; selfId: string }) {
  const router = useRouter();
  const [editing, setEditing] = useState<UserRow | null>(null);
  const [msg, setMsg] = useState<{ ok: boolean; text: string } | null>(null);
  const columns = useMemo<ColumnDef<UserRow, unknown>[]>(
    () => [
      { id: "username", header: "用户名", accessorKey: "username", enableSorting: true },
      { id: "name", header: "姓名", accessorKey: "name", enableSorting: true },
      { id: "department", header: "部门", accessorKey: "departmentName" },
      {
        id: "roles",
        header: "角色（范围）",
        cell: ({ row }) =>
          row.original.roles.length === 0 ? <span className="muted">无</span> : row.original.roles.map((r) => (
            <span key={r.role} className="badge info">{t.roles[r.role as RoleName]}（{t.scopes[r.scope as Scope]}）</span>
          )),
      },
      {
        id: "actions",
        header: t.common.actions,
        cell: ({ row }) => row.original.id === selfId ? <span className="muted">本人</span> : (
          <button className="btn link" type="button" onClick={() => setEditing(row.original)}>授权</button>
        ),
      },
    ],
    [selfId],
  );
  const current = editing ? data.rows.find((r) => r.id === editing.id) ?? editing : null;
  return (
    <>
      {msg && <div className={`alert ${msg.ok ? "ok" : "error"}`} role="status">{msg.text}</div>}
      <DataTable columns={columns} rows={data.rows} total={data.total} page={data.page} pageSize={data.pageSize} sort={sort} dir={dir} rowKey={(r) => r.id} testId="roles-table" />
      {current && (
        <GrantDialog
          user={current}
          onClose={() => setEditing(null)}
          onResult={(ok, text) => { setMsg({ ok, text }); router.refresh(); }}
        />
      )}
    </>
  );
}

function GrantDialog({ user, onClose, onResult }: { user: UserRow; onClose: () => void; onResult: (ok: boolean, text: string) => void }) {
  const [role, setRole] = useState<RoleName | "">("");
  const [scope, setScope] = useState<Scope>("OWN");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  return (
    <Modal title={`角色授权：${user.name}（${user.username}）`} onClose={onClose}>
      {error && <div className="alert error" role="alert">{error}</div>}
      <h2 style={{ fontSize: 14 }}>已有角色</h2>
      <div style={{ marginBottom: 12 }}>
        {user.roles.length === 0 && <span className="muted">无</span>}
        {user.roles.map((r) => (
          <span key={r.role} className="badge info">
            {t.roles[r.role as RoleName]}（{t.scopes[r.scope as Scope]}）
            <button
              className="btn link danger"
              type="button"
              disabled={busy}
              onClick={async () => {
                setBusy(true);
                const res = await revokeRoleAction({ userId: user.id, role: r.role });
                setBusy(false);
                if (res.ok) onResult(true, `已撤销 ${user.username} 的${t.roles[r.role as RoleName]}角色`);
                else setError(res.error);
              }}
            >
              撤销
            </button>
          </span>
        ))}
      </div>
      <div className="form">
        <label className="field">
          <span>授予角色</span>
          <select value={role} onChange={(e) => setRole(e.target.value as RoleName)} aria-label="授予角色">
            <option value="">请选择角色</option>
            {ROLES.map((r) => <option key={r} value={r}>{t.roles[r]}</option>)}
          </select>
        </label>
        <label className="field">
          <span>数据范围</span>
          <select value={scope} onChange={(e) => setScope(e.target.value as Scope)} aria-label="数据范围">
            {(["OWN", "SUBTREE", "PROVINCE"] as const).map((s) => <option key={s} value={s}>{t.scopes[s]}</option>)}
          </select>
        </label>
      </div>
      <div className="foot">
        <button className="btn" type="button" onClick={onClose}>关闭</button>
        <button
          className="btn primary"
          type="button"
          disabled={busy || !role}
          onClick={async () => {
            if (!role) return;
            setBusy(true);
            setError(null);
            const res = await grantRoleAction({ userId: user.id, role, scope });
            setBusy(false);
            if (res.ok) onResult(true, `已授予 ${user.username} ${t.roles[role]}角色`);
            // The dialog has no per-field slots: show the specific message (e.g. 三员分立), not the field hint.
            else setError(res.error === t.errors.invalidInput ? (res.fieldErrors?.role ?? res.fieldErrors?.scope ?? res.error) : res.error);
          }}
        >
          授予
        </button>
      </div>
    </Modal>
  );
}
