"use client";
// What the viewer may do with a type besides saving (decided on the server; every action checks
// again): submit the draft for review, release or return it (management department's catalog
// administrators), retire the released type (with a reason).
import { useState } from "react";
import { useRouter } from "next/navigation";
import { FormModal } from "@/components/ui/form-modal";
import { retireTypesAction, reviewTypesAction, submitTypesAction } from "../actions";

type BatchResult = { done: string[]; failed: { id: string; error: string }[] };
type Outcome = { ok: true; data: BatchResult } | { ok: false; code: string; error: string; fieldErrors?: Record<string, string> };
type Dialog = null | "release" | "return" | "retire";
export type TypeCan = { edit: boolean; submit: boolean; review: boolean; retire: boolean };

export function TypeActions({ typeId, can, dirty, licenceCount }: { typeId: string; can: TypeCan; dirty: boolean; licenceCount: number }) {
  const router = useRouter();
  const [dialog, setDialog] = useState<Dialog>(null);
  const [busy, setBusy] = useState(false);
  const [text, setText] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [fieldError, setFieldError] = useState<string | null>(null);
  const [msg, setMsg] = useState<{ ok: false; text: string } | null>(null);
  if (!can.submit && !can.review && !can.retire && !msg) return null;

  async function run(done: "submit" | "release" | "return" | "retire", call: () => Promise<Outcome>) {
    setBusy(true);
    setError(null);
    setFieldError(null);
    let r: Outcome;
    try {
      r = await call();
    } catch {
      r = { ok: false, code: "NETWORK", error: "网络异常，请检查网络后重试" };
    }
    setBusy(false);
    if (!r.ok && dialog && r.code === "INVALID_INPUT") {
      setError(r.error);
      setFieldError(r.fieldErrors?.comment ?? r.fieldErrors?.reason ?? null);
      return;
    }
    setDialog(null);
    if (r.ok && !r.data.failed.length) {
      // the page says what happened (the editor starts afresh from the new state)
      router.replace(`/catalog/${typeId}?done=${done}`, { scroll: false });
      return;
    }
    setMsg({ ok: false, text: r.ok ? r.data.failed[0].error : r.error });
    router.refresh();
  }
  const open = (d: Dialog) => {
    setDialog(d);
    setText("");
    setError(null);
    setFieldError(null);
  };
  const typeIds = [typeId];

  return (
    <>
      {msg && (
        <div className="alert error" role="alert" style={{ flexBasis: "100%" }}>
          {msg.text}
        </div>
      )}
      {can.submit && (
        <button
          className="btn primary"
          type="button"
          disabled={busy || dirty}
          title={dirty ? "有未保存的修改，请先保存草稿" : undefined}
          onClick={() => void run("submit", () => submitTypesAction({ typeIds }))}
        >
          {busy ? "正在提交…" : "提交审核"}
        </button>
      )}
      {can.review && (
        <>
          <button className="btn primary" type="button" disabled={busy} onClick={() => open("release")}>
            发布
          </button>
          <button className="btn danger" type="button" disabled={busy} onClick={() => open("return")}>
            退回修改
          </button>
        </>
      )}
      {can.retire && (
        <button className="btn danger" type="button" disabled={busy} onClick={() => open("retire")}>
          停用
        </button>
      )}
      {(dialog === "release" || dialog === "return") && (
        <FormModal
          title={dialog === "release" ? "发布证照类型" : "退回修改"}
          error={error}
          busy={busy}
          danger={dialog === "return"}
          submitLabel={dialog === "release" ? "发布" : "退回"}
          onClose={() => setDialog(null)}
          onSubmit={(e?: { preventDefault(): void }) => {
            e?.preventDefault();
            void run(dialog === "release" ? "release" : "return", () =>
              reviewTypesAction({ typeIds, decision: dialog === "release" ? "RELEASE" : "RETURN", comment: text }),
            );
          }}
        >
          <TextArea label={dialog === "release" ? "审核意见（可选）" : "退回意见"} required={dialog === "return"} value={text} onChange={setText} error={fieldError} />
        </FormModal>
      )}
      {dialog === "retire" && (
        <FormModal
          title="停用证照类型"
          error={error}
          busy={busy}
          danger
          submitLabel="停用"
          onClose={() => setDialog(null)}
          onSubmit={(e?: { preventDefault(): void }) => {
            e?.preventDefault();
            void run("retire", () => retireTypesAction({ typeIds, reason: text }));
          }}
        >
          <p className="muted" style={{ marginTop: 0 }}>
            停用后不能再签发该类型的证照，未发布的草稿一并停用。{licenceCount > 0 ? `已签发的 ${licenceCount} 张证照` : "已签发的证照"}和全部历史版本永久保留，证照类型不会被删除。
          </p>
          <TextArea label="停用原因" required value={text} onChange={setText} error={fieldError} />
        </FormModal>
      )}
    </>
  );
}

function TextArea({ label, required, value, onChange, error }: { label: string; required?: boolean; value: string; onChange: (v: string) => void; error: string | null }) {
  return (
    <label className="field full">
      <span>
        {label}
        {required && <i className="req">*</i>}
      </span>
      <textarea rows={3} maxLength={500} style={{ width: "100%" }} value={value} onChange={(e) => onChange(e.target.value)} aria-invalid={!!error} />
      <em className="err" role={error ? "alert" : undefined} style={{ fontStyle: "normal" }}>
        {error ?? ""}
      </em>
    </label>
  );
}
