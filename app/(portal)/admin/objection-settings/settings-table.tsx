"use client";
import { useMemo, useState } from "react";
import { useRouter } from "next/navigation";
import type { ColumnDef } from "@tanstack/react-table";
import { useForm } from "react-hook-form";
import { zodResolver } from "@hookform/resolvers/zod";
import type { z } from "zod";
import { DataTable } from "@/components/data-table/data-table";
import { FormModal } from "@/components/ui/form-modal";
import { TextField, applyServerErrors } from "@/components/form/field";
import { fmtTime } from "@/components/ui/fmt";
import { objectionSettingInput } from "@/lib/calendar/schema";
import type { ObjectionSettingRow, SettingSource } from "@/lib/objections/settings";
import type { Paged } from "@/lib/pagination";
import { t } from "@/lib/i18n/zh-CN";
import { resetObjectionSettingAction, saveObjectionSettingAction } from "./actions";

/**
 * The statutory limits (Xi'an Art. 17, the strictest text: mark within 1 working day, resolve
 * within 5). Looser settings are allowed (a region may have its own rule) but shown as such.
 */
const STATUTORY = { markDays: 1, resolveDays: 5 } as const;
const LOOSER_TEXT = `宽于法定时限（标注 ${STATUTORY.markDays} 个工作日、办结 ${STATUTORY.resolveDays} 个工作日）`;
const looser = (v: { markDays: unknown; resolveDays: unknown }) =>
  (typeof v.markDays === "number" && v.markDays > STATUTORY.markDays) || (typeof v.resolveDays === "number" && v.resolveDays > STATUTORY.resolveDays);

const SOURCE: Record<SettingSource, { label: string; cls: string }> = {
  OWN: { label: "本区域设置", cls: "info" },
  PROVINCE: { label: "沿用全省设置", cls: "" },
  DEFAULT: { label: "系统默认", cls: "" },
};

export function SettingsTable({ data }: { data: Paged<ObjectionSettingRow> }) {
  const router = useRouter();
  const [editing, setEditing] = useState<ObjectionSettingRow | null>(null);
  const [msg, setMsg] = useState<{ ok: boolean; text: string } | null>(null);

  const columns = useMemo<ColumnDef<ObjectionSettingRow, unknown>[]>(() => {
    const reset = async (r: ObjectionSettingRow) => {
      if (r.rev === null || !confirm(`确认删除「${r.label}」（${r.areaCode}）的单独设置？之后该市沿用全省设置。`)) return;
      const res = await resetObjectionSettingAction({ areaCode: r.areaCode, rev: r.rev });
      setMsg(res.ok ? { ok: true, text: `${r.label} 已恢复为沿用全省设置` } : { ok: false, text: res.error });
      router.refresh();
    };
    return [
      {
        id: "region",
        header: "区域",
        cell: ({ row }) => (
          <>
            {row.original.province ? <b>{row.original.label}（全省默认）</b> : <span style={{ paddingLeft: 16 }}>{row.original.label}</span>}
            <div className="muted" style={{ fontSize: 12, paddingLeft: row.original.province ? 0 : 16 }}>
              区划代码 {row.original.areaCode} · {row.original.departments} 个部门
            </div>
          </>
        ),
      },
      {
        id: "markDays",
        header: "标注时限",
        cell: ({ row }) => <span className={row.original.markDays > STATUTORY.markDays ? "badge warn" : undefined}>{row.original.markDays} 个工作日</span>,
      },
      {
        id: "resolveDays",
        header: "办结时限",
        cell: ({ row }) => (
          <>
            <span className={row.original.resolveDays > STATUTORY.resolveDays ? "badge warn" : undefined}>{row.original.resolveDays} 个工作日</span>
            {looser(row.original) && (
              <div style={{ color: "var(--warn)", fontSize: 12 }} data-testid="looser-than-statutory">
                {LOOSER_TEXT}
              </div>
            )}
          </>
        ),
      },
      {
        id: "source",
        header: "来源",
        cell: ({ row }) => <span className={`badge ${SOURCE[row.original.source].cls}`}>{SOURCE[row.original.source].label}</span>,
      },
      {
        id: "updated",
        header: "最后修改",
        cell: ({ row }) => (row.original.updatedAt ? <span className="muted">{row.original.updatedBy ?? ""} {fmtTime(row.original.updatedAt)}</span> : <span className="muted">—</span>),
      },
      {
        id: "actions",
        header: t.common.actions,
        cell: ({ row }) =>
          row.original.editable ? (
            <div className="actions">
              <button className="btn link" type="button" onClick={() => setEditing(row.original)}>
                {row.original.source === "OWN" ? t.common.edit : "单独设置"}
              </button>
              {row.original.source === "OWN" && !row.original.province && (
                <button className="btn link danger" type="button" onClick={() => void reset(row.original)}>
                  恢复沿用全省
                </button>
              )}
            </div>
          ) : (
            <span className="muted">无权修改</span>
          ),
      },
    ];
  }, [router]);

  return (
    <>
      {msg && (
        <div className={`alert ${msg.ok ? "ok" : "error"}`} role="status">
          {msg.text}
        </div>
      )}
      <DataTable columns={columns} rows={data.rows} total={data.total} page={data.page} pageSize={data.pageSize} rowKey={(r) => r.areaCode} testId="objection-settings" />
      {editing && (
        <EditDialog
          row={editing}
          onClose={() => setEditing(null)}
          onDone={(text) => {
            setEditing(null);
            setMsg({ ok: true, text });
            router.refresh();
          }}
        />
      )}
    </>
  );
}

type Values = z.input<typeof objectionSettingInput>;

function EditDialog({ row, onClose, onDone }: { row: ObjectionSettingRow; onClose: () => void; onDone: (text: string) => void }) {
  const [error, setError] = useState<string | null>(null);
  const form = useForm<Values>({
    resolver: zodResolver(objectionSettingInput),
    defaultValues: { areaCode: row.areaCode, markDays: row.markDays, resolveDays: row.resolveDays, rev: row.rev },
  });
  const {
    register,
    formState: { errors, isSubmitting },
  } = form;
  const [markDays, resolveDays] = form.watch(["markDays", "resolveDays"]);
  const submit = form.handleSubmit(async (v) => {
    setError(null);
    const r = await saveObjectionSettingAction(v);
    if (r.ok) onDone(`已保存「${row.label}」的异议处理期限：标注 ${v.markDays} 个工作日，办结 ${v.resolveDays} 个工作日`);
    else {
      setError(r.error);
      applyServerErrors(r.fieldErrors, form.setError);
    }
  });
  return (
    <FormModal title={`异议处理期限：${row.label}（${row.areaCode}）`} error={error} busy={isSubmitting} submitLabel="保存" onSubmit={submit} onClose={onClose}>
      {!row.province && row.source !== "OWN" && <p className="muted" style={{ marginTop: 0 }}>该市目前沿用全省设置；保存后改为该市单独设置。</p>}
      <div className="form">
        <TextField label="标注时限（工作日）" required type="number" reg={register("markDays", { valueAsNumber: true })} error={errors.markDays} />
        <TextField label="办结时限（工作日）" required type="number" reg={register("resolveDays", { valueAsNumber: true })} error={errors.resolveDays} />
      </div>
      {looser({ markDays, resolveDays }) && (
        <div className="alert warn" role="status" data-testid="looser-than-statutory">
          {LOOSER_TEXT}。可以保存，但请确认本地区另有规定。
        </div>
      )}
      <p className="muted">只影响此后收到的异议；已收到的异议按收到时的期限办理。</p>
    </FormModal>
  );
}
