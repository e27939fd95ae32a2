"use client";
// What the viewer may do to the licence now (decided on the server from the transition table; every
// action checks again): the status transitions with their enumerated reasons, pledge and release,
// renewal, change (its own page), re-seal after a transfer, 亮证 and revoking printed QR codes.
import { useEffect, useState } from "react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useForm, type FieldValues, type Resolver, type UseFormReturn } from "react-hook-form";
import { zodResolver } from "@hookform/resolvers/zod";
import { FormModal } from "@/components/ui/form-modal";
import { Modal } from "@/components/ui/modal";
import { SelectField, TextField, applyServerErrors } from "@/components/form/field";
import { pledgeInput, releasePledgeInput, renewInput, transitionInput, type TransitionName } from "@/lib/licenses/lifecycle-schema";
import type { LifecycleOptions } from "@/lib/licenses/detail";
import { pledgeAction, releasePledgeAction, renewAction, transitionAction } from "./actions";
import { resealAction } from "../transfer/actions";
import { createShowCode, revokePrintedQr, type ShowCode } from "./show-code-action";

type Result<T = unknown> = { ok: true; data: T } | { ok: false; code: string; error: string; fieldErrors?: Record<string, string> };
type Dialog = null | { kind: "transition"; name: TransitionName } | { kind: "pledge" } | { kind: "release" } | { kind: "renew" } | { kind: "reseal" } | { kind: "revokeQr" };

const TRANSPORT_ERROR = "提交失败：网络异常，请刷新页面查看结果";
const DANGER: readonly TransitionName[] = ["revoke", "cancel", "annul"];

function nowLocal(): string {
  return new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 16);
}
function today(): string {
  return nowLocal().slice(0, 10);
}

export type LifecycleProps = {
  licenceId: string;
  rev: number;
  can: LifecycleOptions;
  showCode: boolean;
  revokeQr: boolean;
};

export function LifecycleActions(p: LifecycleProps) {
  const router = useRouter();
  const [dialog, setDialog] = useState<Dialog>(null);
  const [msg, setMsg] = useState<{ ok: boolean; text: string } | null>(null);
  const [code, setCode] = useState<ShowCode | null>(null);
  const [codeBusy, setCodeBusy] = useState(false);
  const c = p.can;
  const any = c.transitions.length > 0 || c.pledge || !!c.releasePledgeId || c.change || c.renew || c.reseal || p.showCode || p.revokeQr;
  if (!any && !msg) return null;

  /** The outcome of a dialog's action: closes it on success or on a conflict (the page changed). */
  const finish = (r: Result, okText: string, form?: UseFormReturn<FieldValues>, go?: string): string | null => {
    if (r.ok) {
      setDialog(null);
      setMsg({ ok: true, text: okText });
      if (go) router.push(go);
      else router.refresh();
      return null;
    }
    if (r.code === "CONFLICT" || r.code === "NOT_FOUND" || r.code === "FORBIDDEN") {
      setDialog(null);
      setMsg({ ok: false, text: r.error });
      router.refresh();
      return null;
    }
    if (form) applyServerErrors(r.fieldErrors, form.setError);
    return r.error;
  };

  const showCode = async () => {
    setCodeBusy(true);
    setMsg(null);
    let r: Result<ShowCode>;
    try {
      r = await createShowCode(p.licenceId);
    } catch {
      r = { ok: false, code: "TRANSPORT", error: TRANSPORT_ERROR };
    }
    setCodeBusy(false);
    if (r.ok) setCode(r.data);
    else setMsg({ ok: false, text: r.error });
  };

  return (
    <div className="card" data-testid="licence-actions">
      {msg && (
        <div className={`alert ${msg.ok ? "ok" : "error"}`} role="status">
          {msg.text}
        </div>
      )}
      <div className="toolbar" style={{ marginBottom: 0, flexWrap: "wrap" }}>
        {c.transitions.map((t) => (
          <button key={t.name} type="button" className={`btn${DANGER.includes(t.name) ? " danger" : ""}`} onClick={() => setDialog({ kind: "transition", name: t.name })}>
            {t.label}
          </button>
        ))}
        {c.pledge && (
          <button type="button" className="btn" onClick={() => setDialog({ kind: "pledge" })}>
            质押登记
          </button>
        )}
        {c.releasePledgeId && (
          <button type="button" className="btn" onClick={() => setDialog({ kind: "release" })}>
            解除质押
          </button>
        )}
        {c.change && (
          <Link className="btn" href={`/licenses/${p.licenceId}/change`}>
            变更
          </Link>
        )}
        {c.renew && (
          <button type="button" className="btn" onClick={() => setDialog({ kind: "renew" })}>
            延续
          </button>
        )}
        {c.reseal && (
          <button type="button" className="btn" onClick={() => setDialog({ kind: "reseal" })}>
            重新签章
          </button>
        )}
        {p.showCode && (
          <button type="button" className="btn primary" disabled={codeBusy} onClick={() => void showCode()}>
            {codeBusy ? "正在生成…" : "亮证码"}
          </button>
        )}
        {p.revokeQr && (
          <button type="button" className="btn" onClick={() => setDialog({ kind: "revokeQr" })}>
            作废已打印的二维码
          </button>
        )}
      </div>

      {dialog?.kind === "transition" && (
        <TransitionDialog
          licenceId={p.licenceId}
          rev={p.rev}
          option={c.transitions.find((t) => t.name === dialog.name)!}
          onClose={() => setDialog(null)}
          finish={finish}
        />
      )}
      {dialog?.kind === "pledge" && <PledgeDialog licenceId={p.licenceId} rev={p.rev} onClose={() => setDialog(null)} finish={finish} />}
      {dialog?.kind === "release" && c.releasePledgeId && <ReleaseDialog licenceId={p.licenceId} rev={p.rev} restrictionId={c.releasePledgeId} onClose={() => setDialog(null)} finish={finish} />}
      {dialog?.kind === "renew" && <RenewDialog licenceId={p.licenceId} rev={p.rev} onClose={() => setDialog(null)} finish={finish} />}
      {dialog?.kind === "reseal" && (
        <ConfirmDialog
          title="重新签章"
          text="以本部门绑定到该证照类型的电子印章重新签名。证照内容和电子证照标识不变，原发证部门仍予记录；已下载的旧文件在核验时会提示“不是当前签名”。"
          submitLabel="重新签章"
          onClose={() => setDialog(null)}
          run={async () => {
            const r = await resealAction({ licenceIds: [p.licenceId] });
            if (r.ok && r.data.failed.length) return finish({ ok: false, code: "CONFLICT", error: r.data.failed[0].reason }, "");
            return finish(r, r.ok ? `已以「${r.data.sealName ?? ""}」重新签章` : "");
          }}
        />
      )}
      {dialog?.kind === "revokeQr" && (
        <ConfirmDialog
          title="作废已打印的二维码"
          text="已下载或打印的证照文件上的二维码将全部失效（如纸质件遗失）；此后下载的文件带有新的二维码。"
          submitLabel="作废"
          danger
          onClose={() => setDialog(null)}
          run={async () => finish(await revokePrintedQr(p.licenceId), "已作废此前打印的二维码，请重新下载证照文件")}
        />
      )}
      {code && <ShowCodeDialog code={code} onClose={() => setCode(null)} />}
    </div>
  );
}

type Finish = (r: Result, okText: string, form?: UseFormReturn<FieldValues>, go?: string) => string | null;

/** A dialog whose form is validated by the server's schema; submit → action → finish. */
function useDialogForm<T extends FieldValues>(schema: Parameters<typeof zodResolver>[0], defaults: T) {
  const form = useForm<T>({ resolver: zodResolver(schema) as unknown as Resolver<T>, defaultValues: defaults as never });
  const [error, setError] = useState<string | null>(null);
  return { form, error, setError };
}

async function call(p: () => Promise<Result>): Promise<Result> {
  try {
    return await p();
  } catch {
    return { ok: false, code: "TRANSPORT", error: TRANSPORT_ERROR };
  }
}

function TextArea({ label, reg, error, required }: { label: string; reg: ReturnType<UseFormReturn<FieldValues>["register"]>; error?: { message?: string }; required?: boolean }) {
  return (
    <label className="field full">
      <span>
        {label}
        {required && <i className="req">*</i>}
      </span>
      <textarea rows={3} {...reg} aria-invalid={!!error?.message} aria-label={label} />
      <em className="err" role={error?.message ? "alert" : undefined} style={{ fontStyle: "normal" }}>
        {error?.message ?? ""}
      </em>
    </label>
  );
}

function TransitionDialog(p: { licenceId: string; rev: number; option: LifecycleOptions["transitions"][number]; onClose: () => void; finish: Finish }) {
  const { form, error, setError } = useDialogForm(transitionInput, { licenceId: p.licenceId, rev: p.rev, transition: p.option.name, reasonCode: "", reasonText: "" });
  const { register, formState } = form;
  const submit = form.handleSubmit(async (v) => {
    setError(p.finish(await call(() => transitionAction(v)), `已${p.option.label}`, form as never));
  });
  return (
    <FormModal title={`${p.option.label}证照`} error={error} busy={formState.isSubmitting} danger={DANGER.includes(p.option.name)} submitLabel={p.option.label} onClose={p.onClose} onSubmit={submit}>
      <div className="form" style={{ gridTemplateColumns: "1fr" }}>
        <SelectField label="原因" required reg={register("reasonCode")} error={formState.errors.reasonCode} options={[{ value: "", label: "请选择" }, ...p.option.reasons.map((r) => ({ value: r.code, label: r.label }))]} full />
        <TextArea label="说明（文书编号、具体情形）" required reg={register("reasonText")} error={formState.errors.reasonText} />
      </div>
      {DANGER.includes(p.option.name) && <p className="muted">该操作不可撤回：证照{p.option.label}后不能再恢复。</p>}
    </FormModal>
  );
}

function PledgeDialog(p: { licenceId: string; rev: number; onClose: () => void; finish: Finish }) {
  const { form, error, setError } = useDialogForm(pledgeInput, { licenceId: p.licenceId, rev: p.rev, pledgee: "", startsOn: today(), endsOn: "", note: "" });
  const { register, formState } = form;
  const submit = form.handleSubmit(async (v) => {
    setError(p.finish(await call(() => pledgeAction(v)), "已登记质押", form as never));
  });
  return (
    <FormModal title="质押登记" error={error} busy={formState.isSubmitting} submitLabel="登记" onClose={p.onClose} onSubmit={submit}>
      <div className="form">
        <TextField label="质权人" required reg={register("pledgee")} error={formState.errors.pledgee} full />
        <TextField label="质押开始日期" required type="date" reg={register("startsOn")} error={formState.errors.startsOn} />
        <TextField label="质押结束日期" required type="date" reg={register("endsOn")} error={formState.errors.endsOn} />
        <TextArea label="备注（如质押合同编号）" reg={register("note")} error={formState.errors.note} />
      </div>
    </FormModal>
  );
}

function ReleaseDialog(p: { licenceId: string; rev: number; restrictionId: string; onClose: () => void; finish: Finish }) {
  const { form, error, setError } = useDialogForm(releasePledgeInput, { licenceId: p.licenceId, rev: p.rev, restrictionId: p.restrictionId, reasonText: "" });
  const { register, formState } = form;
  const submit = form.handleSubmit(async (v) => {
    setError(p.finish(await call(() => releasePledgeAction(v)), "已解除质押", form as never));
  });
  return (
    <FormModal title="解除质押" error={error} busy={formState.isSubmitting} submitLabel="解除" onClose={p.onClose} onSubmit={submit}>
      <TextArea label="说明（如主债权已清偿）" required reg={register("reasonText")} error={formState.errors.reasonText} />
    </FormModal>
  );
}

function RenewDialog(p: { licenceId: string; rev: number; onClose: () => void; finish: Finish }) {
  const { form, error, setError } = useDialogForm(renewInput, { licenceId: p.licenceId, rev: p.rev, businessCompletedAt: nowLocal(), reasonText: "" });
  const { register, formState } = form;
  const submit = form.handleSubmit(async (v) => {
    const r = await call(() => renewAction(v));
    setError(p.finish(r, "已延续，正在打开新版本", form as never, r.ok ? `/licenses/${(r.data as { id: string }).id}?done=renew` : undefined));
  });
  return (
    <FormModal title="延续证照" error={error} busy={formState.isSubmitting} busyLabel="正在签发新版本…" submitLabel="延续" onClose={p.onClose} onSubmit={submit}>
      <p className="muted" style={{ marginTop: 0 }}>
        以原照面签发新版本（版本号加 1、新的电子证照标识），有效期自原有效期届满次日（已过期的自今日）按证照类型的有效期限计算；原证照撤销（由新版本替代）。
      </p>
      <div className="form">
        <TextField label="业务办结时间" required type="datetime-local" reg={register("businessCompletedAt")} error={formState.errors.businessCompletedAt} />
        <TextArea label="说明（延续申请编号等）" required reg={register("reasonText")} error={formState.errors.reasonText} />
      </div>
    </FormModal>
  );
}

function ConfirmDialog(p: { title: string; text: string; submitLabel: string; danger?: boolean; onClose: () => void; run: () => Promise<string | null> }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const submit = (e?: { preventDefault(): void }) => {
    e?.preventDefault();
    setBusy(true);
    void p
      .run()
      .catch(() => TRANSPORT_ERROR)
      .then((err) => {
        setBusy(false);
        setError(err);
      });
  };
  return (
    <FormModal title={p.title} error={error} busy={busy} danger={p.danger} submitLabel={p.submitLabel} onClose={p.onClose} onSubmit={submit}>
      <p>{p.text}</p>
    </FormModal>
  );
}

function ShowCodeDialog({ code, onClose }: { code: ShowCode; onClose: () => void }) {
  const [left, setLeft] = useState(() => Math.max(0, Math.round((Date.parse(code.expiresAt) - Date.now()) / 1000)));
  useEffect(() => {
    const t = setInterval(() => setLeft(Math.max(0, Math.round((Date.parse(code.expiresAt) - Date.now()) / 1000))), 1000);
    return () => clearInterval(t);
  }, [code.expiresAt]);
  return (
    <Modal title="亮证码" onClose={onClose}>
      <div style={{ textAlign: "center" }} data-testid="show-code">
        {/* eslint-disable-next-line @next/next/no-img-element -- an inline SVG data URL, nothing to optimise */}
        <img src={code.qrDataUrl} alt="亮证二维码" width={220} height={220} style={{ opacity: left > 0 ? 1 : 0.2 }} />
        <p>{left > 0 ? `请出示给核验方扫描：${left} 秒内有效，只能使用一次。` : "亮证码已过期，请重新生成。"}</p>
        <p className="muted mono" style={{ wordBreak: "break-all", fontSize: 12 }}>{code.url}</p>
      </div>
      <div className="foot">
        <button className="btn" type="button" onClick={onClose}>
          关闭
        </button>
      </div>
    </Modal>
  );
}
