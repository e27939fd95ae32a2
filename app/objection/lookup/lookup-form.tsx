"use client";
// The holder's lookup and withdrawal (O-01, O-03): the number and the lookup code give the status,
// the stored deadlines, the result (with the corrected licence's new identifier) and, before the
// objection is resolved, a withdraw button. The code stays in this page's memory only.
import { useState } from "react";
import { useForm } from "react-hook-form";
import { zodResolver } from "@hookform/resolvers/zod";
import { TextField, applyServerErrors } from "@/components/form/field";
import { fmtTime } from "@/components/ui/fmt";
import { lookupInput } from "@/lib/objections/schema";
import type { PublicObjection } from "@/lib/objections/queries";
import { postPublic } from "../_form/post";
import s from "../_form/form.module.css";

type Form = { number: string; lookupCode: string };

const TONE: Record<string, string> = { SUBMITTED: "warn", MARKED: "info", RESOLVED: "ok", WITHDRAWN: "" };

export function ObjectionLookup({ initialNumber }: { initialNumber: string }) {
  const [error, setError] = useState<string | null>(null);
  const [view, setView] = useState<PublicObjection | null>(null);
  const [asked, setAsked] = useState<Form | null>(null);
  const [confirm, setConfirm] = useState(false);
  const [busy, setBusy] = useState(false);
  const form = useForm<Form>({ resolver: zodResolver(lookupInput) as never, defaultValues: { number: initialNumber, lookupCode: "" } });
  const { register, handleSubmit, formState } = form;

  const onSubmit = handleSubmit(async (values) => {
    setError(null);
    setView(null);
    setConfirm(false);
    const r = await postPublic<PublicObjection>("/api/objections/public/lookup", values);
    if (r.ok) {
      setView(r.data);
      setAsked(values);
    } else {
      setError(r.error);
      applyServerErrors(r.fieldErrors, form.setError);
    }
  });

  const withdraw = async () => {
    if (!asked) return;
    setBusy(true);
    setError(null);
    const r = await postPublic<PublicObjection | null>("/api/objections/public/withdraw", asked);
    setBusy(false);
    setConfirm(false);
    if (r.ok && r.data) setView(r.data);
    else if (!r.ok) setError(r.error);
  };

  return (
    <>
      <div className="card">
        <form onSubmit={onSubmit} noValidate>
          {error && (
            <div className="alert error" role="alert">
              {error}
            </div>
          )}
          <fieldset disabled={formState.isSubmitting} style={{ border: 0, padding: 0, margin: 0, minWidth: 0 }}>
            <div className={`form ${s.cols}`}>
              <TextField label="异议编号" reg={register("number")} error={formState.errors.number} required placeholder="YY 开头的 16 位编号" autoComplete="off" />
              <TextField label="查询码" reg={register("lookupCode")} error={formState.errors.lookupCode} required placeholder="提交异议时显示的 8 位查询码" autoComplete="off" />
            </div>
            <button className="btn primary" type="submit" style={{ minWidth: 96, justifyContent: "center" }}>
              {formState.isSubmitting ? "正在查询…" : "查询"}
            </button>
          </fieldset>
        </form>
      </div>
      {view && (
        <div className="card" data-testid="objection-view" data-status={view.status}>
          <h2 style={{ marginTop: 0 }}>
            异议 <span className="mono">{view.number}</span>{" "}
            <span className={`badge ${TONE[view.status] ?? ""}`} data-testid="objection-status">
              {view.statusLabel}
              {view.outcomeLabel ? `：${view.outcomeLabel}` : ""}
            </span>
          </h2>
          <dl className={`kv ${s.kv}`}>
            <dt>证照</dt>
            <dd>
              {view.licence.name}
              {view.licence.underObjection && <span className="badge danger">异议中</span>}
            </dd>
            <dt>电子证照标识</dt>
            <dd className="mono" style={{ wordBreak: "break-all" }}>
              {view.licence.identifier}
            </dd>
            <dt>有异议的字段</dt>
            <dd>{view.fields.join("、")}</dd>
            <dt>收到时间</dt>
            <dd>{fmtTime(view.receivedAt)}</dd>
            <dt>标注期限</dt>
            <dd>
              {fmtTime(view.markDueAt)}
              {view.markedAt ? `（已于 ${fmtTime(view.markedAt)} 标注）` : ""}
            </dd>
            <dt>办结期限</dt>
            <dd>
              {fmtTime(view.resolveDueAt)}
              {view.resolvedAt ? `（已于 ${fmtTime(view.resolvedAt)} 办结）` : ""}
            </dd>
            {view.withdrawnAt && (
              <>
                <dt>撤回时间</dt>
                <dd>{fmtTime(view.withdrawnAt)}</dd>
              </>
            )}
            {view.outcome && (
              <>
                <dt>办理结果</dt>
                <dd data-testid="objection-result">
                  <b>{view.outcomeLabel}</b>
                  {view.resolution ? `：${view.resolution}` : ""}
                </dd>
              </>
            )}
            {view.correctedIdentifier && (
              <>
                <dt>更正后的证照标识</dt>
                <dd className="mono" style={{ wordBreak: "break-all" }} data-testid="corrected-identifier">
                  {view.correctedIdentifier}
                </dd>
              </>
            )}
          </dl>
          {view.status === "SUBMITTED" && <p className="muted">发证部门正在核查，将在标注期限前进行异议标注。</p>}
          {view.status === "MARKED" && <p className="muted">发证部门已进行异议标注，证照在核验时显示“异议中”，直至办结。</p>}
          {view.canWithdraw && (
            <div className="toolbar" style={{ marginTop: 12, marginBottom: 0, alignItems: "center" }}>
              {confirm ? (
                <>
                  <span>撤回后发证部门不再办理该异议，确定撤回？</span>
                  <button type="button" className="btn danger" disabled={busy} onClick={() => void withdraw()}>
                    {busy ? "正在撤回…" : "确定撤回"}
                  </button>
                  <button type="button" className="btn" disabled={busy} onClick={() => setConfirm(false)}>
                    取消
                  </button>
                </>
              ) : (
                <button type="button" className="btn danger" onClick={() => setConfirm(true)}>
                  撤回异议
                </button>
              )}
            </div>
          )}
        </div>
      )}
    </>
  );
}
