"use client";
import { useMemo, useState } from "react";
import { useRouter } from "next/navigation";
import { useForm } from "react-hook-form";
import { zodResolver } from "@hookform/resolvers/zod";
import type { ColumnDef } from "@tanstack/react-table";
import type { z } from "zod";
import { DataTable } from "@/components/data-table/data-table";
import { FormModal } from "@/components/ui/form-modal";
import { TextField, SelectField, applyServerErrors } from "@/components/form/field";
import { fmtTime } from "@/components/ui/fmt";
import { userCreateSchema, userUpdateSchema, userResetPasswordSchema } from "@/lib/users/schema";
import type { UserRow } from "@/lib/users/queries";
import type { Paged } from "@/lib/pagination";
import { t } from "@/lib/i18n/zh-CN";
import {
  createUserAction,
  endUserSessionsAction,
  resetPasswordAction,
  setUserStatusAction,
  unlockUserAction,
  updateUserAction,
} from "./actions";

type Dept = { id: string; name: string; depth: number };
type Props = {
  data: Paged<UserRow>;
  sort?: string;
  dir: "asc" | "desc";
  canManage: boolean;
  canEndSessions: boolean;
  selfId: string;
  departments: Dept[];
};

export function UsersTable({ data, sort, dir, canManage, canEndSessions, selfId, departments }: Props) {
  const router = useRouter();
  const [dialog, setDialog] = useState<null | { kind: "create" } | { kind: "edit"; row: UserRow } | { kind: "reset"; row: UserRow }>(null);
  const [msg, setMsg] = useState<{ ok: boolean; text: string } | null>(null);

  async function run(p: Promise<{ ok: boolean; error?: string }>, okText: string) {
    const r = await p;
    setMsg(r.ok ? { ok: true, text: okText } : { ok: false, text: r.error ?? "" });
    router.refresh();
  }

  const columns = useMemo<ColumnDef<UserRow, unknown>[]>(
    () => [
      { id: "username", header: "用户名", accessorKey: "username", enableSorting: true },
      { id: "name", header: "姓名", accessorKey: "name", enableSorting: true },
      { id: "department", header: "部门", accessorKey: "departmentName" },
      {
        id: "roles",
        header: "角色",
        cell: ({ row }) => row.original.roles.map((r) => <span key={r.role} className="badge info">{t.roles[r.role as keyof typeof t.roles]}</span>),
      },
      {
        id: "status",
        header: "状态",
        enableSorting: true,
        cell: ({ row }) => (
          <>
            <span className={`badge ${row.original.status === "ACTIVE" ? "ok" : "danger"}`}>{t.status[row.original.status]}</span>
            {row.original.locked && <span className="badge danger">已锁定</span>}
            {row.original.mustChangePassword && <span className="badge warn">待改密</span>}
            {row.original.liveSessions > 0 && <span className="badge info">在线 {row.original.liveSessions}</span>}
          </>
        ),
      },
      { id: "createdAt", header: "创建时间", enableSorting: true, cell: ({ row }) => fmtTime(row.original.createdAt) },
      {
        id: "actions",
        header: t.common.actions,
        cell: ({ row }) => {
          const u = row.original;
          return (
            <div className="actions">
              {canManage && <button className="btn link" type="button" onClick={() => setDialog({ kind: "edit", row: u })}>{t.common.edit}</button>}
              {canManage && <button className="btn link" type="button" onClick={() => setDialog({ kind: "reset", row: u })}>重置密码</button>}
              {canManage && u.id !== selfId && (
                <button
                  className={`btn link${u.status === "ACTIVE" ? " danger" : ""}`}
                  type="button"
                  onClick={() => {
                    if (u.status === "ACTIVE" && !confirm(`确定停用用户 ${u.username}？其所有会话将立即结束。`)) return;
                    void run(setUserStatusAction({ id: u.id, status: u.status === "ACTIVE" ? "DISABLED" : "ACTIVE" }), u.status === "ACTIVE" ? `已停用 ${u.username}` : `已启用 ${u.username}`);
                  }}
                >
                  {u.status === "ACTIVE" ? t.common.disable : t.common.enable}
                </button>
              )}
              {canEndSessions && u.liveSessions > 0 && (
                <button className="btn link danger" type="button" onClick={() => void run(endUserSessionsAction({ id: u.id }), `已结束 ${u.username} 的会话`)}>
                  结束会话
                </button>
              )}
              {canEndSessions && u.locked && (
                <button className="btn link" type="button" onClick={() => void run(unlockUserAction({ username: u.username }), `已解锁 ${u.username}`)}>
                  解锁
                </button>
              )}
            </div>
          );
        },
      },
    ],
    [canManage, canEndSessions, selfId],
  );

  return (
    <>
      {msg && <div className={`alert ${msg.ok ? "ok" : "error"}`} role="status">{msg.text}</div>}
      {canManage && (
        <div className="toolbar">
          <button className="btn primary" type="button" onClick={() => setDialog({ kind: "create" })}>
            {t.common.create}用户
          </button>
        </div>
      )}
      <DataTable columns={columns} rows={data.rows} total={data.total} page={data.page} pageSize={data.pageSize} sort={sort} dir={dir} rowKey={(r) => r.id} testId="users-table" />
      {dialog?.kind === "create" && (
        <CreateUser departments={departments} onClose={() => setDialog(null)} onDone={(text) => { setDialog(null); setMsg({ ok: true, text }); router.refresh(); }} />
      )}
      {dialog?.kind === "edit" && (
        <EditUser row={dialog.row} departments={departments} onClose={() => setDialog(null)} onDone={(text) => { setDialog(null); setMsg({ ok: true, text }); router.refresh(); }} />
      )}
      {dialog?.kind === "reset" && (
        <ResetPassword row={dialog.row} onClose={() => setDialog(null)} onDone={(text) => { setDialog(null); setMsg({ ok: true, text }); router.refresh(); }} />
      )}
    </>
  );
}

function deptOptions(departments: Dept[]) {
  return [{ value: "", label: "请选择部门" }, ...departments.map((d) => ({ value: d.id, label: `${"　".repeat(d.depth)}${d.name}` }))];
}

type DoneProps = { onClose: () => void; onDone: (text: string) => void };

function CreateUser({ departments, onClose, onDone }: DoneProps & { departments: Dept[] }) {
  const [error, setError] = useState<string | null>(null);
  const form = useForm<z.input<typeof userCreateSchema>, unknown, z.output<typeof userCreateSchema>>({
    resolver: zodResolver(userCreateSchema),
    defaultValues: { username: "", name: "", departmentId: "", phone: "", email: "", password: "" },
  });
  const { register, formState: { errors, isSubmitting } } = form;
  const submit = form.handleSubmit(async (v) => {
    const r = await createUserAction(v);
    if (!r.ok) {
      setError(r.error);
      applyServerErrors(r.fieldErrors, form.setError);
      return;
    }
    onDone(`已创建用户 ${v.username}，首次登录须修改密码`);
  });
  return (
    <FormModal title="新增用户" error={error} busy={isSubmitting} submitLabel={t.common.save} busyLabel={t.common.saving} onSubmit={submit} onClose={onClose}>
      <div className="form">
        <TextField label="用户名" reg={register("username")} error={errors.username} required />
        <TextField label="姓名" reg={register("name")} error={errors.name} required />
        <SelectField label="所属部门" reg={register("departmentId")} error={errors.departmentId} required options={deptOptions(departments)} full />
        <TextField label="电话" reg={register("phone")} error={errors.phone} />
        <TextField label="邮箱" reg={register("email")} error={errors.email} />
        <TextField label="初始密码" type="password" reg={register("password")} error={errors.password} required autoComplete="new-password" full />
      </div>
    </FormModal>
  );
}

function EditUser({ row, departments, onClose, onDone }: DoneProps & { row: UserRow; departments: Dept[] }) {
  const [error, setError] = useState<string | null>(null);
  const form = useForm<z.input<typeof userUpdateSchema>, unknown, z.output<typeof userUpdateSchema>>({
    resolver: zodResolver(userUpdateSchema),
    defaultValues: { id: row.id, name: row.name, departmentId: row.departmentId, phone: row.phone, email: row.email },
  });
  const { register, formState: { errors, isSubmitting } } = form;
  const submit = form.handleSubmit(async (v) => {
    const r = await updateUserAction(v);
    if (!r.ok) {
      setError(r.error);
      applyServerErrors(r.fieldErrors, form.setError);
      return;
    }
    onDone(`已保存 ${row.username}`);
  });
  return (
    <FormModal title={`编辑用户 ${row.username}`} error={error} busy={isSubmitting} submitLabel={t.common.save} busyLabel={t.common.saving} onSubmit={submit} onClose={onClose}>
      <div className="form">
        <TextField label="姓名" reg={register("name")} error={errors.name} required />
        <SelectField label="所属部门" reg={register("departmentId")} error={errors.departmentId} required options={deptOptions(departments)} />
        <TextField label="电话" reg={register("phone")} error={errors.phone} />
        <TextField label="邮箱" reg={register("email")} error={errors.email} />
      </div>
    </FormModal>
  );
}

function ResetPassword({ row, onClose, onDone }: DoneProps & { row: UserRow }) {
  const [error, setError] = useState<string | null>(null);
  const form = useForm<z.input<typeof userResetPasswordSchema>, unknown, z.output<typeof userResetPasswordSchema>>({
    resolver: zodResolver(userResetPasswordSchema),
    defaultValues: { id: row.id, password: "" },
  });
  const { register, formState: { errors, isSubmitting } } = form;
  const submit = form.handleSubmit(async (v) => {
    const r = await resetPasswordAction(v);
    if (!r.ok) {
      setError(r.error);
      applyServerErrors(r.fieldErrors, form.setError);
      return;
    }
    onDone(`已重置 ${row.username} 的密码，其会话已结束，下次登录须修改密码`);
  });
  return (
    <FormModal title={`重置密码：${row.username}`} error={error} busy={isSubmitting} submitLabel={t.common.save} busyLabel={t.common.saving} onSubmit={submit} onClose={onClose}>
      <TextField label="新密码" type="password" reg={register("password")} error={errors.password} required autoComplete="new-password" />
    </FormModal>
  );
}
