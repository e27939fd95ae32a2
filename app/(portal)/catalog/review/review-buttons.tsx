"use client";
import { useState } from "react";
import { useRouter } from "next/navigation";
import { FormModal } from "@/components/ui/form-modal";
import { reviewTypesAction } from "../actions";

type Outcome = Awaited<ReturnType<typeof reviewTypesAction>>;

/** 发布 / 退回 one type under review, with the reviewer's comment (required to return). */
export function ReviewButtons({ typeId, name }: { typeId: string; name: string }) {
  const router = useRouter();
  const [dialog, setDialog] = useState<null | "RELEASE" | "RETURN">(null);
  const [comment, setComment] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [fieldError, setFieldError] = useState<string | null>(null);
  const [msg, setMsg] = useState<{ ok: false; text: string } | null>(null);

  async function decide(decision: "RELEASE" | "RETURN") {
    setBusy(true);
    setError(null);
    setFieldError(null);
    let r: Outcome;
    try {
      r = await reviewTypesAction({ typeIds: [typeId], decision, comment });
    } catch {
      r = { ok: false, code: "NETWORK", error: "网络异常，请检查网络后重试" };
    }
    setBusy(false);
    if (!r.ok && r.code === "INVALID_INPUT") {
      setError(r.error);
      setFieldError(r.fieldErrors?.comment ?? null);
      return;
    }
    setDialog(null);
    const failed = r.ok ? r.data.failed[0]?.error : r.error;
    if (!failed) {
      router.replace(`/catalog/review?done=${decision === "RELEASE" ? "release" : "return"}`, { scroll: false });
      return;
    }
    setMsg({ ok: false, text: failed });
    router.refresh();
  }

  return (
    <div className="actions" style={{ alignItems: "center" }}>
      {msg && <span className="badge danger" role="alert">{msg.text}</span>}
      <button className="btn primary" type="button" disabled={busy} onClick={() => { setDialog("RELEASE"); setComment(""); setError(null); setFieldError(null); }}>
        发布
      </button>
      <button className="btn danger" type="button" disabled={busy} onClick={() => { setDialog("RETURN"); setComment(""); setError(null); setFieldError(null); }}>
        退回
      </button>
      {dialog && (
        <FormModal
          title={`${dialog === "RELEASE" ? "发布" : "退回"}「${name}」`}
          error={error}
          busy={busy}
          danger={dialog === "RETURN"}
          submitLabel={dialog === "RELEASE" ? "发布" : "退回"}
          onClose={() => setDialog(null)}
          onSubmit={(e?: { preventDefault(): void }) => {
            e?.preventDefault();
            void decide(dialog);
          }}
        >
          <label className="field full">
            <span>
              {dialog === "RELEASE" ? "审核意见（可选）" : "退回意见"}
              {dialog === "RETURN" && <i className="req">*</i>}
            </span>
            <textarea rows={3} maxLength={500} style={{ width: "100%" }} value={comment} onChange={(e) => setComment(e.target.value)} aria-invalid={!!fieldError} />
            <em className="err" role={fieldError ? "alert" : undefined} style={{ fontStyle: "normal" }}>{fieldError ?? ""}</em>
          </label>
        </FormModal>
      )}
    </div>
  );
}
