"use client";
// Result entry and closing (decided on the server; every action checks again). Each sends the
// revision it was shown; a stale page gets the service's Chinese conflict message.
import { useState } from "react";
import { useRouter } from "next/navigation";
import { useForm, type UseFormRegisterReturn } from "react-hook-form";
import { zodResolver } from "@hookform/resolvers/zod";
import { FormModal } from "@/components/ui/form-modal";
import { SelectField } from "@/components/form/field";
import { placeErrors } from "../../orders/_ui/one-message";
import {
  closeSpotCheckInput,
  recordItemInput,
  SPOT_RESULTS,
  SPOT_RESULT_LABELS,
  type CloseSpotCheckFormInput,
  type CloseSpotCheckInput,
  type RecordItemFormInput,
  type RecordItemInput,
  type SpotResult,
} from "@/lib/supervision/spot-checks-schema";
import { closeSpotCheckAction, recordSpotItemAction } from "../actions";

type Result = { ok: true; data: unknown } | { ok: false; code: string; error: string; fieldErrors?: Record<string, string> };
const TRANSPORT_ERROR = "提交失败：网络异常，请刷新页面查看结果";

async function call(p: () => Promise<Result>): Promise<Result> {
  try {
    return await p();
  } catch {
    return { ok: false, code: "TRANSPORT", error: TRANSPORT_ERROR };
  }
}

function Area(p: { label: string; reg: UseFormRegisterReturn; error?: string; rows: number }) {
  return (
    <label className="field full">
      <span>{p.label}</span>
      <textarea rows={p.rows} {...p.reg} aria-invalid={!!p.error} />
      <em className="err" role={p.error ? "alert" : undefined} style={{ fontStyle: "normal" }}>
        {p.error ?? ""}
      </em>
    </label>
  );
}

export function RecordItem(p: { itemId: string; rev: number; result: SpotResult | null; findings: string }) {
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const form = useForm<RecordItemFormInput, unknown, RecordItemInput>({
    resolver: zodResolver(recordItemInput),
    defaultValues: { itemId: p.itemId, rev: p.rev, result: p.result ?? "PASS", findings: p.findings },
  });
  const submit = form.handleSubmit(async (input) => {
    const r = await call(() => recordSpotItemAction(input));
    if (r.ok || r.code === "CONFLICT" || r.code === "NOT_FOUND") {
      setOpen(false);
      setNotice(r.ok ? null : r.error);
      router.refresh();
      return;
    }
    setError(placeErrors(r, ["result", "findings"], form.setError));
  });
  return (
    <>
      <button className="btn" type="button" onClick={() => { setNotice(null); setError(null); setOpen(true); }}>
        {p.result ? "修改结果" : "记录结果"}
      </button>
      {notice && <span className="err" role="status"> {notice}</span>}
      {open && (
        <FormModal title="记录检查结果" error={error} busy={form.formState.isSubmitting} submitLabel="保存" onSubmit={submit} onClose={() => setOpen(false)}>
          <SelectField label="检查结果" required reg={form.register("result")} error={form.formState.errors.result} options={SPOT_RESULTS.map((r) => ({ value: r, label: SPOT_RESULT_LABELS[r] }))} />
          <Area label="检查发现（不合格时必填）" reg={form.register("findings")} error={form.formState.errors.findings?.message} rows={5} />
        </FormModal>
      )}
    </>
  );
}

export function CloseSpotCheck(p: { id: string; rev: number; unchecked: number }) {
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const form = useForm<CloseSpotCheckFormInput, unknown, CloseSpotCheckInput>({
    resolver: zodResolver(closeSpotCheckInput),
    defaultValues: { id: p.id, rev: p.rev, summary: "" },
  });
  const submit = form.handleSubmit(async (input) => {
    const r = await call(() => closeSpotCheckAction(input));
    if (r.ok || r.code === "CONFLICT" || r.code === "NOT_FOUND") {
      setOpen(false);
      setNotice(r.ok ? null : r.error);
      router.refresh();
      return;
    }
    setError(placeErrors(r, ["summary"], form.setError));
  });
  return (
    <>
      <button className="btn primary" type="button" onClick={() => { setNotice(null); setError(null); setOpen(true); }}>
        完成抽查
      </button>
      {notice && <span className="err" role="status"> {notice}</span>}
      {open && (
        <FormModal title="完成抽查" error={error} busy={form.formState.isSubmitting} submitLabel="完成" onSubmit={submit} onClose={() => setOpen(false)}>
          {p.unchecked > 0 && <p className="alert error">还有 {p.unchecked} 项未记录结果，请在抽查结论中说明原因。</p>}
          <Area label="抽查结论" reg={form.register("summary")} error={form.formState.errors.summary?.message} rows={4} />
        </FormModal>
      )}
    </>
  );
}
