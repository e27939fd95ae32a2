"use client";
// What the reader may do to the objection now (decided on the server; every action checks again):
// 异议标注, 办结 (数据无误 / 不予采纳), 更正 (its own page), 转办 and 反馈 (the province, O-06), 撤回.
// Each dialog sends the objection's rev; a stale page gets the service's Chinese conflict message.
import { useState } from "react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useForm, type FieldValues, type Resolver } from "react-hook-form";
import { zodResolver } from "@hookform/resolvers/zod";
import { FormModal } from "@/components/ui/form-modal";
import { applyServerErrors } from "@/components/form/field";
import { forwardInput, markInput, resolveInput, returnInput } from "@/lib/objections/schema";
import type { ObjectionDetail } from "@/lib/objections/queries";
import { forwardAction, markAction, resolveAction, returnAction, withdrawAction } from "../actions";

type Result = { ok: true; data: unknown } | { ok: false; code: string; error: string; fieldErrors?: Record<string, string> };
type Dialog = null | "mark" | "resolve" | "forward" | "return" | "withdraw";

const TRANSPORT_ERROR = "提交失败：网络异常，请刷新页面查看结果";

async function call(p: () => Promise<Result>): Promise<Result> {
  try {
    return await p();
  } catch {
    return { ok: false, code: "TRANSPORT", error: TRANSPORT_ERROR };
  }
}

export function ObjectionActions(p: { id: string; rev: number; number: string; can: ObjectionDetail["can"]; correctionBlocked: string | null }) {
  const router = useRouter();
  const [dialog, setDialog] = useState<Dialog>(null);
  const [msg, setMsg] = useState<{ ok: boolean; text: string } | null>(null);
  const c = p.can;
  const any = c.canMark || c.canResolve || c.canCorrect || c.canForward || c.canReturn || c.canWithdraw;
  if (!any && !msg) return null;

  /** Closes the dialog on success or on a conflict (the page is stale); else the error stays in it. */
  const finish = (r: Result, okText: string, setError?: (name: never, e: { type: string; message: string }) => void): string | null => {
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
    if (setError) applyServerErrors(r.fieldErrors, setError);
    return r.error;
  };

  return (
    <div className="card" data-testid="objection-actions">
      {msg && (
        <div className={`alert ${msg.ok ? "ok" : "error"}`} role="status">
          {msg.text}
        </div>
      )}
      <div className="toolbar" style={{ marginBottom: 0, flexWrap: "wrap" }}>
        {c.canForward && (
          <button type="button" className="btn primary" onClick={() => setDialog("forward")}>
            转办发证部门
          </button>
        )}
        {c.canMark && (
          <button type="button" className="btn primary" onClick={() => setDialog("mark")}>
            异议标注
          </button>
        )}
        {c.canCorrect && (
          <Link className="btn primary" href={`/objections/${p.id}/correct`}>
            更正证照
          </Link>
        )}
        {c.canResolve && (
          <button type="button" className="btn" onClick={() => setDialog("resolve")}>
            办结（不更正）
          </button>
        )}
        {c.canReturn && (
          <button type="button" className="btn primary" onClick={() => setDialog("return")}>
            反馈申请方
          </button>
        )}
        {c.canWithdraw && (
          <button type="button" className="btn danger" onClick={() => setDialog("withdraw")}>
            撤回异议
          </button>
        )}
      </div>
      {c.canResolve && p.correctionBlocked && (
        <p className="muted" style={{ marginBottom: 0 }}>
          不能更正：{p.correctionBlocked}
        </p>
      )}

      {dialog === "mark" && (
        <NoteDialog
          title="异议标注"
          intro="标注后，该证照在详情、列表、公开核验和接口结果中均显示“异议中”，直至异议办结。"
          submitLabel="标注"
          schema={markInput}
          defaults={{ id: p.id, rev: p.rev, note: "" }}
          noteLabel="标注说明（可选）"
          onClose={() => setDialog(null)}
          run={(v, setError) => call(() => markAction(v)).then((r) => finish(r, `已标注异议 ${p.number}：证照显示“异议中”`, setError))}
        />
      )}
      {dialog === "resolve" && <ResolveDialog id={p.id} rev={p.rev} onClose={() => setDialog(null)} finish={finish} />}
      {dialog === "forward" && (
        <NoteDialog
          title="转办发证部门"
          intro="跨区域异议由省级管理部门转至发证部门标注和办结，原办理期限不变。"
          submitLabel="转办"
          schema={forwardInput}
          defaults={{ id: p.id, rev: p.rev, note: "" }}
          noteLabel="转办说明（可选）"
          onClose={() => setDialog(null)}
          run={(v, setError) => call(() => forwardAction(v)).then((r) => finish(r, "已转办发证部门", setError))}
        />
      )}
      {dialog === "return" && (
        <NoteDialog
          title="反馈申请方"
          intro="将发证部门的办结结果反馈给提出异议的部门。"
          submitLabel="反馈"
          schema={returnInput}
          defaults={{ id: p.id, rev: p.rev, note: "" }}
          noteLabel="反馈说明（可选）"
          onClose={() => setDialog(null)}
          run={(v, setError) => call(() => returnAction(v)).then((r) => finish(r, "已反馈申请方", setError))}
        />
      )}
      {dialog === "withdraw" && <WithdrawDialog id={p.id} rev={p.rev} onClose={() => setDialog(null)} finish={finish} />}
    </div>
  );
}

type Finish = (r: Result, okText: string, setError?: (name: never, e: { type: string; message: string }) => void) => string | null;
type SetError = (name: never, e: { type: string; message: string }) => void;

function TextArea({ label, reg, error, required }: { label: string; reg: ReturnType<ReturnType<typeof useForm>["register"]>; error?: string; required?: boolean }) {
  return (
    <label className="field full">
      <span>
        {label}
        {required && <i className="req">*</i>}
      </span>
      <textarea rows={3} {...reg} aria-invalid={!!error} aria-label={label} />
      <em className="err" role={error ? "alert" : undefined} style={{ fontStyle: "normal" }}>
        {error ?? ""}
      </em>
    </label>
  );
}

function NoteDialog<T extends FieldValues>(p: {
  title: string;
  intro: string;
  submitLabel: string;
  schema: Parameters<typeof zodResolver>[0];
  defaults: T;
  noteLabel: string;
  onClose: () => void;
  run: (v: T, setError: SetError) => Promise<string | null>;
}) {
  const form = useForm<T>({ resolver: zodResolver(p.schema) as unknown as Resolver<T>, defaultValues: p.defaults as never });
  const [error, setError] = useState<string | null>(null);
  const { register, formState } = form;
  const submit = form.handleSubmit(async (v) => setError(await p.run(v, form.setError as unknown as SetError)));
  const noteError = (formState.errors as Record<string, { message?: string } | undefined>).note?.message;
  return (
    <FormModal title={p.title} error={error} busy={formState.isSubmitting} submitLabel={p.submitLabel} onClose={p.onClose} onSubmit={submit}>
      <p className="muted" style={{ marginTop: 0 }}>
        {p.intro}
      </p>
      <div className="form" style={{ gridTemplateColumns: "1fr" }}>
        <TextArea label={p.noteLabel} reg={register("note" as never)} error={noteError} />
      </div>
    </FormModal>
  );
}

function ResolveDialog(p: { id: string; rev: number; onClose: () => void; finish: Finish }) {
  const form = useForm<{ id: string; rev: number; outcome: "UPHELD" | "REJECTED"; reason: string }>({
    resolver: zodResolver(resolveInput) as never,
    defaultValues: { id: p.id, rev: p.rev, outcome: undefined, reason: "" },
  });
  const [error, setError] = useState<string | null>(null);
  const { register, formState } = form;
  const submit = form.handleSubmit(async (v) => setError(p.finish(await call(() => resolveAction(v)), "已办结，申请方将收到结果", form.setError as unknown as SetError)));
  return (
    <FormModal title="办结异议" error={error} busy={formState.isSubmitting} submitLabel="办结" onClose={p.onClose} onSubmit={submit}>
      <p className="muted" style={{ marginTop: 0 }}>
        证照数据确有错误的，请用“更正证照”签发新版本；以下两种结果不改变证照，办结后“异议中”标识解除。
      </p>
      <div className="field full" role="radiogroup" aria-label="办结结果">
        <span>
          办结结果<i className="req">*</i>
        </span>
        <div className="checks">
          <label>
            <input type="radio" value="UPHELD" {...register("outcome")} /> 数据无误（经核实证照信息正确）
          </label>
          <label>
            <input type="radio" value="REJECTED" {...register("outcome")} /> 不予采纳
          </label>
        </div>
        <em className="err" role={formState.errors.outcome ? "alert" : undefined} style={{ fontStyle: "normal" }}>
          {formState.errors.outcome?.message ?? ""}
        </em>
      </div>
      <TextArea label="办结理由（将告知申请方）" required reg={register("reason")} error={formState.errors.reason?.message} />
    </FormModal>
  );
}

function WithdrawDialog(p: { id: string; rev: number; onClose: () => void; finish: Finish }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const submit = (e?: { preventDefault(): void }) => {
    e?.preventDefault();
    setBusy(true);
    void call(() => withdrawAction({ id: p.id, rev: p.rev })).then((r) => {
      setBusy(false);
      setError(p.finish(r, "已撤回异议"));
    });
  };
  return (
    <FormModal title="撤回异议" error={error} busy={busy} danger submitLabel="撤回" onClose={p.onClose} onSubmit={submit}>
      <p>撤回后发证部门不再办理该异议；如仍有异议，需重新提出。</p>
    </FormModal>
  );
}
