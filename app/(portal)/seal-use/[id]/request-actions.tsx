"use client";
// What the viewer may do on a request (decided on the server; every action checks again):
// edit, submit, withdraw, approve or reject the active step, transfer it (转办), add an approver (加签).
import { useState } from "react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { FormModal } from "@/components/ui/form-modal";
import { addApproverAction, confirmAction, decideAction, submitRequestAction, transferAction, withdrawRequestAction } from "../actions";

type Can = { edit: boolean; submit: boolean; withdraw: boolean; decide: { stepId: string; stepName: string; kind: string } | null };
type Result = { ok: true } | { ok: false; code: string; error: string; fieldErrors?: Record<string, string> };
type Dialog = null | "approve" | "reject" | "withdraw" | "transfer" | "add";

const TRANSPORT_ERROR = "提交失败：网络异常，请重试";
/** FormModal's form submit: no page reload, then the action. */
const submitWith = (fn: () => void) => (e?: { preventDefault(): void }) => {
  e?.preventDefault();
  fn();
};

export function RequestActions({ requestId, can, candidates, draft }: { requestId: string; can: Can; candidates: { id: string; label: string }[]; draft: boolean }) {
  const router = useRouter();
  const [dialog, setDialog] = useState<Dialog>(null);
  const [msg, setMsg] = useState<{ ok: boolean; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const [comment, setComment] = useState("");
  const [userId, setUserId] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const custodian = can.decide?.kind === "CUSTODIAN";
  if (!can.edit && !can.submit && !can.withdraw && !can.decide && !msg) return null;

  const open = (d: Dialog) => {
    setDialog(d);
    setComment("");
    setUserId("");
    setError(null);
    setFieldErrors({});
  };
  const run = async (p: () => Promise<Result>, okText: string) => {
    setBusy(true);
    setError(null);
    setFieldErrors({});
    let r: Result;
    try {
      r = await p();
    } catch {
      r = { ok: false, code: "TRANSPORT", error: TRANSPORT_ERROR };
    }
    setBusy(false);
    if (r.ok) {
      setDialog(null);
      setMsg({ ok: true, text: okText });
      router.refresh();
    } else if (r.code === "CONFLICT" || r.code === "NOT_FOUND" || !dialog) {
      setDialog(null);
      setMsg({ ok: false, text: r.error });
      router.refresh();
    } else {
      setError(r.error);
      setFieldErrors(r.fieldErrors ?? {});
    }
  };
  const stepId = can.decide?.stepId ?? "";
  const decide = custodian ? confirmAction : decideAction;

  return (
    <div className="card" data-testid="request-actions">
      {msg && <div className={`alert ${msg.ok ? "ok" : "error"}`} role="status">{msg.text}</div>}
      {can.decide && <p style={{ marginTop: 0 }}>待您处理：<b>{can.decide.stepName}</b></p>}
      <div className="toolbar" style={{ marginBottom: 0, flexWrap: "wrap" }}>
        {can.decide && (
          <>
            <button className="btn primary" type="button" onClick={() => open("approve")}>{custodian ? "确认用印" : "同意"}</button>
            <button className="btn danger" type="button" onClick={() => open("reject")}>驳回</button>
            {!custodian && <button className="btn" type="button" onClick={() => open("transfer")}>转办</button>}
            {!custodian && <button className="btn" type="button" onClick={() => open("add")}>加签</button>}
          </>
        )}
        {can.edit && <Link className="btn" href={`/seal-use/${requestId}/edit`}>修改申请</Link>}
        {can.submit && (
          <button className="btn primary" type="button" disabled={busy} onClick={() => void run(() => submitRequestAction({ requestId }), "已提交审批")}>
            {busy ? "正在提交…" : "提交审批"}
          </button>
        )}
        {can.withdraw && <button className="btn" type="button" onClick={() => open("withdraw")}>{draft ? "作废草稿" : "撤回申请"}</button>}
      </div>

      {(dialog === "approve" || dialog === "reject") && (
        <FormModal
          title={dialog === "approve" ? (custodian ? "确认用印" : "同意用印") : "驳回申请"}
          error={error}
          busy={busy}
          danger={dialog === "reject"}
          submitLabel={dialog === "approve" ? "确定" : "驳回"}
          onClose={() => setDialog(null)}
          onSubmit={submitWith(() => void run(() => decide({ requestId, stepId, decision: dialog === "approve" ? "APPROVED" : "REJECTED", comment }), dialog === "approve" ? (custodian ? "已确认用印" : "已同意") : "已驳回，申请退回申请人"))}
        >
          <CommentField value={comment} onChange={setComment} label={dialog === "approve" ? "审批意见（可选）" : "驳回意见"} required={dialog === "reject"} error={fieldErrors.comment} />
        </FormModal>
      )}
      {dialog === "withdraw" && (
        <FormModal title={draft ? "作废草稿" : "撤回申请"} error={error} busy={busy} danger submitLabel={draft ? "作废" : "撤回"} onClose={() => setDialog(null)} onSubmit={submitWith(() => void run(() => withdrawRequestAction({ requestId, comment }), draft ? "草稿已作废" : "申请已撤回"))}>
          <CommentField value={comment} onChange={setComment} label="撤回说明（可选）" error={fieldErrors.comment} />
        </FormModal>
      )}
      {(dialog === "transfer" || dialog === "add") && (
        <FormModal
          title={dialog === "transfer" ? "转办给其他审批人" : "加签（增加一名审批人，须其同意后环节才通过）"}
          error={error}
          busy={busy}
          submitLabel="确定"
          onClose={() => setDialog(null)}
          onSubmit={submitWith(() =>
            void run(
              () => (dialog === "transfer" ? transferAction({ requestId, stepId, toUserId: userId, comment }) : addApproverAction({ requestId, stepId, userId, comment })),
              dialog === "transfer" ? "已转办" : "已加签",
            ),
          )}
        >
          <label className="field full">
            <span>{dialog === "transfer" ? "转办给" : "加签人"}<i className="req">*</i></span>
            <select value={userId} onChange={(e) => setUserId(e.target.value)} aria-invalid={!!(fieldErrors.toUserId ?? fieldErrors.userId)}>
              <option value="">请选择</option>
              {candidates.map((c) => (
                <option key={c.id} value={c.id}>{c.label}</option>
              ))}
            </select>
            <em className="err" role={fieldErrors.toUserId ?? fieldErrors.userId ? "alert" : undefined} style={{ fontStyle: "normal" }}>{fieldErrors.toUserId ?? fieldErrors.userId ?? ""}</em>
          </label>
          <CommentField value={comment} onChange={setComment} label="说明" required error={fieldErrors.comment} />
        </FormModal>
      )}
    </div>
  );
}

function CommentField({ value, onChange, label, required, error }: { value: string; onChange: (v: string) => void; label: string; required?: boolean; error?: string }) {
  return (
    <label className="field full">
      <span>
        {label}
        {required && <i className="req">*</i>}
      </span>
      <textarea rows={3} style={{ width: "100%" }} value={value} onChange={(e) => onChange(e.target.value)} aria-invalid={!!error} />
      <em className="err" role={error ? "alert" : undefined} style={{ fontStyle: "normal" }}>{error ?? ""}</em>
    </label>
  );
}
