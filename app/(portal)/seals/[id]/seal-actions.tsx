"use client";
import { FormModal } from "@/components/ui/form-modal";
// The lifecycle actions on the detail page; which ones show is decided on the server (state and
// permission), and every action checks both again.
import { useRef, useState } from "react";
import { useRouter } from "next/navigation";
import { useForm, type FieldError, type UseFormRegisterReturn } from "react-hook-form";
import { zodResolver } from "@hookform/resolvers/zod";
import { z } from "zod";
import { TextField, SelectField, applyServerErrors } from "@/components/form/field";
import { t } from "@/lib/i18n/zh-CN";
import {
  sealCancelSchema,
  sealProduceSchema,
  sealProtectionChangeSchema,
  sealProtectionResetSchema,
  sealRejectSchema,
  sealReplaceSchema,
} from "@/lib/seals/schema";
import { CANCEL_REASONS, REPLACE_REASONS } from "@/lib/seals/kinds";
import {
  cancelSealAction,
  changeProtectionAction,
  produceSealAction,
  rejectSealAction,
  renewSealAction,
  holderRenewSealAction,
  replaceSealAction,
  resetProtectionAction,
  startReviewAction,
} from "../actions";
import { checkFiles, TRANSPORT_ERROR, UPLOAD_ACCEPT, UPLOAD_HINT } from "../upload-check";

export type SealActionFlags = {
  startReview: boolean;
  reject: boolean;
  produce: boolean;
  cancel: boolean;
  replace: boolean;
  renew: boolean;
  changeProtection: boolean;
  resetProtection: boolean;
};
/** renewAsHolder: the holder department renews (S-06) rather than the seal-making unit */
type SealInfo = { id: string; name: string; esId: string; distributed: boolean; validEnd: string; renewAsHolder?: boolean };
type Dialog = null | "reject" | "produce" | "cancel" | "replace" | "renew" | "changeProtection" | "resetProtection";
type Result = { ok: true } | { ok: false; code: string; error: string; fieldErrors?: Record<string, string> };
type ModalProps = { seal: SealInfo; onClose: () => void; onDone: (text: string, goto?: string) => void; onStale: (text: string) => void };

const mismatch = { path: ["confirm"], message: "两次输入的口令不一致" };
const MISSING_PASSWORD = "分散式印章须设置保护口令";

export function SealActions({ seal, can, renewHint }: { seal: SealInfo; can: SealActionFlags; renewHint: string | null }) {
  const router = useRouter();
  const [dialog, setDialog] = useState<Dialog>(null);
  const [msg, setMsg] = useState<{ ok: boolean; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const any = Object.values(can).some(Boolean);
  if (!any && !renewHint && !msg) return null;

  const onDone = (text: string, goto?: string) => {
    setDialog(null);
    setMsg({ ok: true, text });
    if (goto) router.push(goto);
    else router.refresh();
  };
  // Someone else acted first (or the seal left one's scope): close the dialog, say so, show the new state.
  const onStale = (text: string) => {
    setDialog(null);
    setMsg({ ok: false, text });
    router.refresh();
  };
  const props = { seal, onClose: () => setDialog(null), onDone, onStale };

  return (
    <div className="card" data-testid="seal-actions">
      {msg && <div className={`alert ${msg.ok ? "ok" : "error"}`} role="status">{msg.text}</div>}
      <div className="toolbar" style={{ marginBottom: 0, flexWrap: "wrap", alignItems: "center" }}>
        {can.startReview && (
          <button
            className="btn primary"
            type="button"
            disabled={busy}
            onClick={async () => {
              setBusy(true);
              const r = await startReviewAction({ sealId: seal.id });
              setBusy(false);
              setMsg(r.ok ? { ok: true, text: "已受理，申请进入审核" } : { ok: false, text: r.error });
              router.refresh();
            }}
          >
            受理
          </button>
        )}
        {can.produce && <button className="btn primary" type="button" onClick={() => setDialog("produce")}>制作印章</button>}
        {can.reject && <button className="btn danger" type="button" onClick={() => setDialog("reject")}>驳回</button>}
        {can.renew && <button className="btn primary" type="button" onClick={() => setDialog("renew")}>延期</button>}
        {can.replace && <button className="btn" type="button" onClick={() => setDialog("replace")}>更换</button>}
        {can.cancel && <button className="btn danger" type="button" onClick={() => setDialog("cancel")}>注销</button>}
        {can.changeProtection && <button className="btn" type="button" onClick={() => setDialog("changeProtection")}>修改保护口令</button>}
        {can.resetProtection && <button className="btn" type="button" onClick={() => setDialog("resetProtection")}>重置保护口令</button>}
        {renewHint && <span className="muted">{renewHint}</span>}
      </div>
      {dialog === "reject" && <RejectModal {...props} />}
      {dialog === "produce" && <ProduceModal {...props} />}
      {dialog === "cancel" && <CancelModal {...props} />}
      {dialog === "replace" && <ReplaceModal {...props} />}
      {dialog === "renew" && <RenewModal {...props} />}
      {dialog === "changeProtection" && <ChangeProtectionModal {...props} />}
      {dialog === "resetProtection" && <ResetProtectionModal {...props} />}
    </div>
  );
}

/** The shared frame of every dialog here: error line, disabled fieldset while submitting, buttons. */
function TextAreaField({ label, reg, error, required }: { label: string; reg: UseFormRegisterReturn; error?: FieldError; required?: boolean }) {
  return (
    <label className="field full">
      <span>
        {label}
        {required && <i className="req">*</i>}
      </span>
      <textarea rows={3} style={{ width: "100%" }} {...reg} aria-invalid={!!error} />
      <em className="err" role={error?.message ? "alert" : undefined} style={{ fontStyle: "normal" }}>
        {error?.message ?? ""}
      </em>
    </label>
  );
}

/**
 * Runs an action and reports a failure: field errors next to their fields and the message in the
 * dialog; a conflict (state changed under us) closes the dialog and reports on the page instead.
 */
function useRun(setError: (name: never, e: { type: string; message: string }) => void, onStale: (text: string) => void) {
  const [error, setMessage] = useState<string | null>(null);
  const run = async (p: () => Promise<Result>): Promise<boolean> => {
    setMessage(null);
    let r: Result;
    try {
      r = await p();
    } catch {
      setMessage(TRANSPORT_ERROR);
      return false;
    }
    if (r.ok) return true;
    if (r.code === "CONFLICT" || r.code === "NOT_FOUND") {
      onStale(r.error);
      return false;
    }
    setMessage(r.error);
    applyServerErrors(r.fieldErrors, setError);
    return false;
  };
  return { error, setMessage, run };
}

function RejectModal({ seal, onClose, onDone, onStale }: ModalProps) {
  const form = useForm<z.input<typeof sealRejectSchema>, unknown, z.output<typeof sealRejectSchema>>({ resolver: zodResolver(sealRejectSchema), defaultValues: { sealId: seal.id, reason: "" } });
  const { error, run } = useRun(form.setError, onStale);
  const submit = form.handleSubmit(async (v) => {
    if (await run(() => rejectSealAction(v))) onDone("已驳回申请，申请人可看到驳回理由");
  });
  return (
    <FormModal title={`驳回申请：${seal.name}`} error={error} busy={form.formState.isSubmitting} submitLabel="驳回" danger onSubmit={submit} onClose={onClose}>
      <TextAreaField label="驳回理由（申请人可见）" reg={form.register("reason")} error={form.formState.errors.reason} required />
    </FormModal>
  );
}

const produceForm = (distributed: boolean) =>
  sealProduceSchema
    .extend({ confirm: z.string() })
    .refine((v) => !distributed || v.protectionPassword !== "", { path: ["protectionPassword"], message: MISSING_PASSWORD })
    .refine((v) => v.protectionPassword === v.confirm, mismatch);

function ProduceModal({ seal, onClose, onDone, onStale }: ModalProps) {
  const [schema] = useState(() => produceForm(seal.distributed));
  const form = useForm<z.input<typeof schema>, unknown, z.output<typeof schema>>({
    resolver: zodResolver(schema),
    defaultValues: { sealId: seal.id, validYears: 2, protectionPassword: "", confirm: "" },
  });
  const { register, formState: { errors, isSubmitting } } = form;
  const { error, run } = useRun(form.setError, onStale);
  const submit = form.handleSubmit(async ({ confirm: _c, ...v }) => {
    if (await run(() => produceSealAction(v))) onDone("印章已制作，正在备案（24 小时内完成）");
  });
  return (
    <FormModal title={`制作印章：${seal.name}`} error={error} busy={isSubmitting} submitLabel="制作" onSubmit={submit} onClose={onClose}>
      <p className="muted" style={{ marginTop: 0 }}>将生成密钥对、签发印章证书、生成印模并由制作单位签名，随后自动备案。</p>
      <div className="form">
        <TextField label="有效期（年）" type="number" reg={register("validYears", { valueAsNumber: true })} error={errors.validYears} required />
        {seal.distributed && (
          <>
            <TextField label="保护口令（分散式）" type="password" reg={register("protectionPassword")} error={errors.protectionPassword} required autoComplete="new-password" full />
            <TextField label="确认保护口令" type="password" reg={register("confirm")} error={errors.confirm} required autoComplete="new-password" full />
          </>
        )}
      </div>
    </FormModal>
  );
}

function CancelModal({ seal, onClose, onDone, onStale }: ModalProps) {
  const form = useForm<z.input<typeof sealCancelSchema>, unknown, z.output<typeof sealCancelSchema>>({
    resolver: zodResolver(sealCancelSchema),
    defaultValues: { sealId: seal.id, reason: "" as never, text: "" },
  });
  const { register, formState: { errors, isSubmitting } } = form;
  const { error, run } = useRun(form.setError, onStale);
  const submit = form.handleSubmit(async (v) => {
    if (!confirm(`确定注销印章「${seal.name}」${seal.esId ? `（${seal.esId}）` : ""}？注销后不能恢复，也不能再签章。`)) return;
    if (await run(() => cancelSealAction(v))) onDone("印章已注销");
  });
  return (
    <FormModal title={`注销印章：${seal.name}`} error={error} busy={isSubmitting} submitLabel="注销" danger onSubmit={submit} onClose={onClose}>
      <div className="form">
        <SelectField
          label="注销原因"
          reg={register("reason")}
          error={errors.reason}
          required
          full
          options={[{ value: "", label: "请选择注销原因" }, ...Object.entries(CANCEL_REASONS).map(([value, label]) => ({ value, label }))]}
        />
        <TextAreaField label="补充说明" reg={register("text")} error={errors.text} />
      </div>
    </FormModal>
  );
}

const replaceForm = (distributed: boolean) =>
  sealReplaceSchema
    .extend({ confirm: z.string() })
    .refine((v) => !distributed || v.protectionPassword !== "", { path: ["protectionPassword"], message: MISSING_PASSWORD })
    .refine((v) => v.protectionPassword === v.confirm, mismatch);

function ReplaceModal({ seal, onClose, onDone, onStale }: ModalProps) {
  const [schema] = useState(() => replaceForm(seal.distributed));
  const form = useForm<z.input<typeof schema>, unknown, z.output<typeof schema>>({
    resolver: zodResolver(schema),
    defaultValues: { sealId: seal.id, reason: "" as never, text: "", protectionPassword: "", confirm: "" },
  });
  const { register, formState: { errors, isSubmitting } } = form;
  const { error, run } = useRun(form.setError, onStale);
  const submit = form.handleSubmit(async ({ confirm: _c, ...v }) => {
    if (!confirm(`确定更换印章「${seal.name}」？原印章将注销，并制作一枚新印章。`)) return;
    const successor: { id?: string } = {};
    const ok = await run(async () => {
      const r = await replaceSealAction(v);
      if (r.ok) successor.id = r.data.id;
      return r;
    });
    if (ok && successor.id) onDone("原印章已注销，新印章已制作并开始备案", `/seals/${successor.id}`);
  });
  return (
    <FormModal title={`更换印章：${seal.name}`} error={error} busy={isSubmitting} submitLabel="更换" onSubmit={submit} onClose={onClose}>
      <div className="form">
        <SelectField
          label="更换原因"
          reg={register("reason")}
          error={errors.reason}
          required
          full
          options={[{ value: "", label: "请选择更换原因" }, ...Object.entries(REPLACE_REASONS).map(([value, label]) => ({ value, label }))]}
        />
        <TextAreaField label="补充说明" reg={register("text")} error={errors.text} />
        {seal.distributed && (
          <>
            <TextField label="新印章保护口令" type="password" reg={register("protectionPassword")} error={errors.protectionPassword} required autoComplete="new-password" full />
            <TextField label="确认保护口令" type="password" reg={register("confirm")} error={errors.confirm} required autoComplete="new-password" full />
          </>
        )}
      </div>
    </FormModal>
  );
}

const renewSchema = sealProduceSchema.pick({ sealId: true, validYears: true });

function RenewModal({ seal, onClose, onDone, onStale }: ModalProps) {
  const form = useForm<z.input<typeof renewSchema>, unknown, z.output<typeof renewSchema>>({ resolver: zodResolver(renewSchema), defaultValues: { sealId: seal.id, validYears: 2 } });
  const { error, run } = useRun(form.setError, onStale);
  const submit = form.handleSubmit(async (v) => {
    if (await run(() => (seal.renewAsHolder ? holderRenewSealAction(v) : renewSealAction(v)))) onDone("已延期：签发了新证书，印模不变");
  });
  return (
    <FormModal title={`印章延期：${seal.name}`} error={error} busy={form.formState.isSubmitting} submitLabel="延期" onSubmit={submit} onClose={onClose}>
      <p className="muted" style={{ marginTop: 0 }}>延期将更新密钥和证书，印模保持不变；新有效期自当前到期日起算。</p>
      <TextField label="延长（年）" type="number" reg={form.register("validYears", { valueAsNumber: true })} error={form.formState.errors.validYears} required />
    </FormModal>
  );
}

function ChangeProtectionModal({ seal, onClose, onDone, onStale }: ModalProps) {
  const form = useForm<z.input<typeof sealProtectionChangeSchema>, unknown, z.output<typeof sealProtectionChangeSchema>>({
    resolver: zodResolver(sealProtectionChangeSchema),
    defaultValues: { sealId: seal.id, current: "", next: "", confirm: "" },
  });
  const { register, formState: { errors, isSubmitting } } = form;
  const { error, run } = useRun(form.setError, onStale);
  const submit = form.handleSubmit(async (v) => {
    if (await run(() => changeProtectionAction(v))) onDone("保护口令已修改");
  });
  return (
    <FormModal title={`修改保护口令：${seal.name}`} error={error} busy={isSubmitting} submitLabel={t.common.save} onSubmit={submit} onClose={onClose}>
      <TextField label="当前保护口令" type="password" reg={register("current")} error={errors.current} required autoComplete="current-password" />
      <TextField label="新保护口令" type="password" reg={register("next")} error={errors.next} required autoComplete="new-password" />
      <TextField label="确认新保护口令" type="password" reg={register("confirm")} error={errors.confirm} required autoComplete="new-password" />
    </FormModal>
  );
}

const resetForm = sealProtectionResetSchema.extend({ confirm: z.string() }).refine((v) => v.next === v.confirm, mismatch);

function ResetProtectionModal({ seal, onClose, onDone, onStale }: ModalProps) {
  const form = useForm<z.input<typeof resetForm>, unknown, z.output<typeof resetForm>>({ resolver: zodResolver(resetForm), defaultValues: { sealId: seal.id, next: "", confirm: "" } });
  const { register, formState: { errors, isSubmitting } } = form;
  const [files, setFiles] = useState<File[]>([]);
  const [filesError, setFilesError] = useState<string | null>(null);
  const fileInput = useRef<HTMLInputElement>(null);
  const { error, run } = useRun(form.setError, onStale);
  const submit = form.handleSubmit(
    async (v) => {
      const fe = checkFiles(files);
      setFilesError(fe);
      if (fe) return;
      const fd = new FormData();
      fd.set("sealId", v.sealId);
      fd.set("next", v.next);
      for (const f of files) fd.append("proof", f);
      const proof: { error?: string } = {};
      const ok = await run(async () => {
        const r = await resetProtectionAction(fd);
        if (!r.ok) proof.error = r.fieldErrors?.proof;
        return r;
      });
      setFilesError(proof.error ?? null);
      if (ok) onDone("保护口令已重置，证明材料已存档");
    },
    () => setFilesError(checkFiles(files)),
  );
  return (
    <FormModal title={`重置保护口令：${seal.name}`} error={error} busy={isSubmitting} submitLabel="重置" onSubmit={submit} onClose={onClose}>
      <p className="muted" style={{ marginTop: 0 }}>仅在持有人遗忘口令时，凭其书面申请等证明材料重置。</p>
      <TextField label="新保护口令" type="password" reg={register("next")} error={errors.next} required autoComplete="new-password" />
      <TextField label="确认新保护口令" type="password" reg={register("confirm")} error={errors.confirm} required autoComplete="new-password" />
      <label className="field">
        <span>
          证明材料<i className="req">*</i> <span className="muted">（{UPLOAD_HINT}）</span>
        </span>
        <input
          ref={fileInput}
          type="file"
          multiple
          accept={UPLOAD_ACCEPT}
          aria-invalid={!!filesError}
          onChange={(e) => {
            const list = Array.from(e.target.files ?? []);
            setFiles(list);
            setFilesError(list.length ? checkFiles(list) : null);
          }}
        />
        <em className="err" role={filesError ? "alert" : undefined} style={{ fontStyle: "normal" }}>
          {filesError ?? ""}
        </em>
      </label>
    </FormModal>
  );
}
