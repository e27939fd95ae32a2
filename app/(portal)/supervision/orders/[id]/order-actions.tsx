"use client";
// What the reader may do to the order now (decided on the server; every action checks again): the
// department's 反馈整改情况 with attachments, the supervisor's 验收办结 (warned when evidence
// objections are still open) or 退回. Each sends the
// order's rev; a stale page gets the service's Chinese conflict message.
import { useState } from "react";
import { useRouter } from "next/navigation";
import { useForm } from "react-hook-form";
import { zodResolver } from "@hookform/resolvers/zod";
import { FormModal } from "@/components/ui/form-modal";
import { ATTACHMENT_ACCEPT, closeInput, respondInput, returnOrderInput, type CloseInput, type ReturnOrderFormInput, type ReturnOrderInput } from "@/lib/supervision/rectification-schema";
import { placeErrors } from "../_ui/one-message";
import { closeOrderAction, respondOrderAction, returnOrderAction } from "../actions";

type Result = { ok: true; data: unknown } | { ok: false; code: string; error: string; fieldErrors?: Record<string, string> };
type Dialog = null | "respond" | "close" | "return";
type SetError = (name: never, e: { type: string; message: string }) => void;
type Finish = (r: Result, okText: string, setError: SetError, fields: readonly string[]) => string | null;

async function call(p: () => Promise<Result>): Promise<Result> {
  try {
    return await p();
  } catch {
    return { ok: false, code: "TRANSPORT", error: "提交失败：网络异常，请刷新页面查看结果" };
  }
}

export function OrderActions(p: { id: string; rev: number; number: string; can: { canRespond: boolean; canClose: boolean; canReturn: boolean }; openObjections: number }) {
  const router = useRouter();
  const [dialog, setDialog] = useState<Dialog>(null);
  const [msg, setMsg] = useState<{ ok: boolean; text: string } | null>(null);
  const c = p.can;
  const open = (d: Dialog) => {
    setMsg(null);
    setDialog(d);
  };
  if (!c.canRespond && !c.canClose && !c.canReturn && !msg) return null;
  const finish: Finish = (r, okText, setError, fields) => {
    if (r.ok) {
      setDialog(null);
      setMsg({ ok: true, text: okText });
      router.refresh();
      return null;
    }
    if (r.code === "CONFLICT" || r.code === "NOT_FOUND" || r.code === "FORBIDDEN") {
      setDialog(null);
      setMsg({ ok: false, text: r.error });
      router.refresh();
      return null;
    }
    return placeErrors(r, fields, setError);
  };
  return (
    <div className="card" data-testid="order-actions">
      {msg && (
        <div className={`alert ${msg.ok ? "ok" : "error"}`} role="status">
          {msg.text}
        </div>
      )}
      <div className="toolbar" style={{ marginBottom: 0 }}>
        {c.canRespond && (
          <button type="button" className="btn primary" onClick={() => open("respond")}>
            反馈整改情况
          </button>
        )}
        {c.canClose && (
          <button type="button" className="btn primary" onClick={() => open("close")}>
            验收办结
          </button>
        )}
        {c.canReturn && (
          <button type="button" className="btn" onClick={() => open("return")}>
            退回重新整改
          </button>
        )}
      </div>
      {dialog === "respond" && <RespondDialog id={p.id} rev={p.rev} onClose={() => setDialog(null)} finish={finish} />}
      {dialog === "close" && <CloseDialog id={p.id} rev={p.rev} openObjections={p.openObjections} onClose={() => setDialog(null)} finish={finish} />}
      {dialog === "return" && <ReturnDialog id={p.id} rev={p.rev} onClose={() => setDialog(null)} finish={finish} />}
    </div>
  );
}

function Err({ text }: { text?: string }) {
  return (
    <em className="err" role={text ? "alert" : undefined} style={{ fontStyle: "normal" }}>
      {text ?? ""}
    </em>
  );
}

function RespondDialog(p: { id: string; rev: number; onClose: () => void; finish: Finish }) {
  const form = useForm<{ id: string; rev: number; measures: string; attachments?: FileList }>({ defaultValues: { id: p.id, rev: p.rev, measures: "" } });
  const [error, setError] = useState<string | null>(null);
  const { register, formState } = form;
  const submit = form.handleSubmit(async (v) => {
    const parsed = respondInput.safeParse({ id: v.id, rev: v.rev, measures: v.measures });
    if (!parsed.success) {
      for (const i of parsed.error.issues) form.setError(i.path.join(".") as "measures", { type: "zod", message: i.message });
      return;
    }
    const fd = new FormData();
    fd.set("id", p.id);
    fd.set("rev", String(p.rev));
    fd.set("measures", parsed.data.measures);
    for (const f of Array.from(v.attachments ?? [])) fd.append("attachments", f);
    setError(null);
    setError(p.finish(await call(() => respondOrderAction(fd)), "已反馈整改情况，等待验收", form.setError, ["measures", "attachments"]));
  });
  const errs = formState.errors as Record<string, { message?: string } | undefined>;
  return (
    <FormModal title="反馈整改情况" error={error} busy={formState.isSubmitting} submitLabel="提交反馈" onClose={p.onClose} onSubmit={submit}>
      <label className="field full">
        <span>
          整改措施和结果<i className="req">*</i>
        </span>
        <textarea rows={6} {...register("measures")} aria-invalid={!!errs.measures} />
        <Err text={errs.measures?.message} />
      </label>
      <label className="field full">
        <span>附件（PDF、JPEG、PNG、DOCX、XLSX，最多 5 个，每个不超过 10 MB）</span>
        <input type="file" multiple accept={ATTACHMENT_ACCEPT} {...register("attachments")} />
        <Err text={errs.attachments?.message} />
      </label>
    </FormModal>
  );
}

function CloseDialog(p: { id: string; rev: number; openObjections: number; onClose: () => void; finish: Finish }) {
  const form = useForm<CloseInput>({ resolver: zodResolver(closeInput), defaultValues: { id: p.id, rev: p.rev, note: "" } });
  const [error, setError] = useState<string | null>(null);
  const { register, formState } = form;
  const submit = form.handleSubmit(async (v) => setError(p.finish(await call(() => closeOrderAction(v)), "已验收办结", form.setError as unknown as SetError, ["note"])));
  return (
    <FormModal title="验收办结" error={error} busy={formState.isSubmitting} submitLabel="办结" onClose={p.onClose} onSubmit={submit}>
      {p.openObjections > 0 && (
        // a warning, not a block: the supervisor decides whether the order is done
        <div className="alert warn" role="note" data-testid="close-open-objections">
          依据中仍有 {p.openObjections} 件异议未办结，请核实整改是否到位后再办结。
        </div>
      )}
      <label className="field full">
        <span>
          验收意见<i className="req">*</i>
        </span>
        <textarea rows={3} {...register("note")} aria-invalid={!!formState.errors.note} />
        <Err text={formState.errors.note?.message} />
      </label>
    </FormModal>
  );
}

function ReturnDialog(p: { id: string; rev: number; onClose: () => void; finish: Finish }) {
  const form = useForm<ReturnOrderFormInput, unknown, ReturnOrderInput>({ resolver: zodResolver(returnOrderInput), defaultValues: { id: p.id, rev: p.rev, reason: "", extendDays: 0 } });
  const [error, setError] = useState<string | null>(null);
  const { register, formState } = form;
  const submit = form.handleSubmit(async (v) => setError(p.finish(await call(() => returnOrderAction(v)), "已退回，部门将重新整改", form.setError as unknown as SetError, ["reason", "extendDays"])));
  return (
    <FormModal title="退回重新整改" error={error} busy={formState.isSubmitting} submitLabel="退回" onClose={p.onClose} onSubmit={submit}>
      <label className="field full">
        <span>
          退回理由<i className="req">*</i>
        </span>
        <textarea rows={3} {...register("reason")} aria-invalid={!!formState.errors.reason} />
        <Err text={formState.errors.reason?.message} />
      </label>
      <label className="field full">
        <span>延长整改期限（工作日，0 为不延长）</span>
        <input type="number" min={0} max={90} {...register("extendDays")} aria-invalid={!!formState.errors.extendDays} />
        <Err text={formState.errors.extendDays?.message} />
      </label>
    </FormModal>
  );
}
