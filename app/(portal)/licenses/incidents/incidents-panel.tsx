"use client";
import { useState } from "react";
import { useRouter } from "next/navigation";
import { useForm } from "react-hook-form";
import { zodResolver } from "@hookform/resolvers/zod";
import type { z } from "zod";
import { FormModal } from "@/components/ui/form-modal";
import { TextField, applyServerErrors } from "@/components/form/field";
import { fmtTime } from "@/components/ui/fmt";
import { incidentCreateInput } from "@/lib/licenses/incident-schema";
import { createIncidentAction, recoverIncidentAction } from "./actions";

type Row = { id: string; rev: number; title: string; description: string; startedAt: string; endedAt: string | null; completeDueAt: string | null; licences: number; late: number };

const nowLocal = () => new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 16);

export function IncidentsPanel({ rows }: { rows: Row[] }) {
  const [creating, setCreating] = useState(false);
  const [recovering, setRecovering] = useState<Row | null>(null);
  return (
    <>
      <div className="toolbar" style={{ marginBottom: 12 }}>
        <button className="btn primary" type="button" onClick={() => setCreating(true)}>登记应急事件</button>
      </div>
      <div className="table-scroll">
        <table className="grid">
          <thead>
            <tr>
              <th>事件</th>
              <th>开始时间</th>
              <th>恢复时间</th>
              <th>补办截止</th>
              <th>已补办证照</th>
              <th>操作</th>
            </tr>
          </thead>
          <tbody>
            {rows.length === 0 && (
              <tr>
                <td colSpan={6} className="muted">暂无应急事件</td>
              </tr>
            )}
            {rows.map((r) => (
              <tr key={r.id}>
                <td>
                  <strong>{r.title}</strong>
                  <div className="muted">{r.description}</div>
                </td>
                <td>{fmtTime(r.startedAt)}</td>
                <td>{r.endedAt ? fmtTime(r.endedAt) : <span className="badge warn">未恢复</span>}</td>
                <td>{r.completeDueAt ? fmtTime(r.completeDueAt) : "—"}</td>
                <td>
                  {r.licences} 份{r.late > 0 && <span className="badge danger">逾期 {r.late} 份</span>}
                </td>
                <td>{!r.endedAt && <button className="btn" type="button" onClick={() => setRecovering(r)}>登记恢复</button>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {creating && <CreateDialog onClose={() => setCreating(false)} />}
      {recovering && <RecoverDialog row={recovering} onClose={() => setRecovering(null)} />}
    </>
  );
}

function CreateDialog({ onClose }: { onClose: () => void }) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const form = useForm<z.input<typeof incidentCreateInput>>({ resolver: zodResolver(incidentCreateInput), defaultValues: { title: "", description: "", startedAt: nowLocal() } });
  const { register, formState: { errors, isSubmitting } } = form;
  const submit = form.handleSubmit(async (v) => {
    const r = await createIncidentAction(v);
    if (!r.ok) {
      setError(r.error);
      applyServerErrors(r.fieldErrors, form.setError);
      return;
    }
    onClose();
    router.refresh();
  });
  return (
    <FormModal title="登记应急事件" error={error} busy={isSubmitting} submitLabel="登记" onSubmit={submit} onClose={onClose}>
      <div className="form">
        <TextField label="事件名称" required full reg={register("title")} error={errors.title} />
        <label className="field full">
          <span>
            经过和影响范围<i className="req">*</i>
          </span>
          <textarea rows={4} {...register("description")} aria-invalid={!!errors.description} />
          <em className="err" style={{ fontStyle: "normal" }}>{errors.description?.message ?? ""}</em>
        </label>
        <TextField label="开始时间" required type="datetime-local" reg={register("startedAt")} error={errors.startedAt} />
      </div>
    </FormModal>
  );
}

function RecoverDialog({ row, onClose }: { row: Row; onClose: () => void }) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [endedAt, setEndedAt] = useState(nowLocal());
  const [busy, setBusy] = useState(false);
  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    setBusy(true);
    const r = await recoverIncidentAction({ id: row.id, rev: row.rev, endedAt });
    setBusy(false);
    if (!r.ok) {
      setError(r.fieldErrors?.endedAt ?? r.error);
      return;
    }
    onClose();
    router.refresh();
  };
  return (
    <FormModal title={`登记恢复：${row.title}`} error={error} busy={busy} submitLabel="登记恢复" onSubmit={(e?: unknown) => void submit(e as React.FormEvent)} onClose={onClose}>
      <p className="muted">恢复后须在 3 个工作日内完成补办（按法定节假日和调休计算）。</p>
      <label className="field">
        <span>
          恢复时间<i className="req">*</i>
        </span>
        <input type="datetime-local" value={endedAt} onChange={(e) => setEndedAt(e.target.value)} />
      </label>
    </FormModal>
  );
}
