"use client";
// 提出异议 by a using department's operator (O-01): the licence's face fields as checkboxes, the
// value expected for each chosen one, what is wrong, and up to 5 evidence files (PDF/JPEG/PNG,
// 5 MB each; the server checks them by content). On success it shows the objection's number.
// Used in a modal on the licence page and inline on /objections/new.
import { useRef, useState } from "react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { Modal } from "@/components/ui/modal";
import { deptObjectionInput, EVIDENCE_LIMITS } from "@/lib/objections/schema";
import { FieldsChooser, chooserErrors, chosenFields, type FieldOption } from "@/app/objection/_form/fields-chooser";
import { submitObjectionAction } from "@/app/(portal)/objections/actions";

const TRANSPORT_ERROR = "提交失败：网络异常，请刷新页面查看结果";
const MB = 1024 * 1024;

export type DeptObjectionFormProps = { licence: { id: string; identifier: string; name: string }; fields: FieldOption[] };

export function DeptObjectionForm({ licence, fields, onCancel }: DeptObjectionFormProps & { onCancel?: () => void }) {
  const router = useRouter();
  const files = useRef<HTMLInputElement>(null);
  const [chosen, setChosen] = useState<Record<string, string>>({});
  const [description, setDescription] = useState("");
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<{ id: string; number: string } | null>(null);

  if (done)
    return (
      <div data-testid="objection-submitted">
        <div className="alert ok" role="status">
          异议已提交，异议编号 <b className="mono">{done.number}</b>。发证部门将在规定的工作日内标注和办结，结果会以站内消息告知。
        </div>
        <div className="toolbar" style={{ marginBottom: 0 }}>
          <Link className="btn primary" href={`/objections/${done.id}`}>
            查看异议
          </Link>
          {onCancel && (
            <button type="button" className="btn" onClick={onCancel}>
              关闭
            </button>
          )}
        </div>
      </div>
    );

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    setError(null);
    const list = chosenFields(fields, chosen);
    const parsed = deptObjectionInput.safeParse({ licenceId: licence.id, fields: list, description });
    const next: Record<string, string> = {};
    if (!parsed.success) {
      const flat: Record<string, string> = {};
      for (const i of parsed.error.issues) flat[i.path.join(".")] ??= i.message;
      Object.assign(next, chooserErrors(flat, list));
      if (flat.description) next.description = flat.description;
    }
    const picked = Array.from(files.current?.files ?? []);
    if (picked.length > EVIDENCE_LIMITS.maxFiles) next.evidence = `最多上传 ${EVIDENCE_LIMITS.maxFiles} 个文件`;
    else if (picked.some((f) => f.size > EVIDENCE_LIMITS.maxBytes)) next.evidence = `每个文件不超过 ${EVIDENCE_LIMITS.maxBytes / MB} MB`;
    setErrors(next);
    if (Object.keys(next).length) return;
    const fd = new FormData();
    fd.set("licenceId", licence.id);
    fd.set("fields", JSON.stringify(list));
    fd.set("description", description);
    for (const f of picked) fd.append("evidence", f);
    setBusy(true);
    let r: Awaited<ReturnType<typeof submitObjectionAction>>;
    try {
      r = await submitObjectionAction(fd);
    } catch {
      r = { ok: false, code: "TRANSPORT", error: TRANSPORT_ERROR };
    }
    setBusy(false);
    if (r.ok) {
      setDone(r.data);
      router.refresh();
      return;
    }
    setError(r.error);
    const fe = r.fieldErrors ?? {};
    setErrors({ ...chooserErrors(fe, list), ...(fe.description ? { description: fe.description } : {}), ...(fe.evidence ? { evidence: fe.evidence } : {}) });
  };

  return (
    <form onSubmit={(e) => void submit(e)} noValidate data-testid="objection-form">
      {error && (
        <div className="alert error" role="alert">
          {error}
        </div>
      )}
      <p className="muted" style={{ marginTop: 0 }}>
        对「{licence.name}」（<span className="mono">{licence.identifier}</span>）的准确性、完整性或时效性提出异议。发证部门须在收到后 1 个工作日内标注、5 个工作日内办结（以本地区的设置为准）。
      </p>
      <fieldset disabled={busy} style={{ border: 0, padding: 0, margin: 0, display: "grid", gap: 12 }}>
        <FieldsChooser options={fields} value={chosen} onChange={setChosen} errors={errors} />
        <label className="field full">
          <span>
            异议说明<i className="req">*</i>
          </span>
          <textarea rows={4} value={description} maxLength={2000} onChange={(e) => setDescription(e.target.value)} aria-label="异议说明" aria-invalid={!!errors.description} placeholder="哪里有误、依据是什么" />
          <em className="err" role={errors.description ? "alert" : undefined} style={{ fontStyle: "normal" }}>
            {errors.description ?? ""}
          </em>
        </label>
        <label className="field full">
          <span>证明材料（可选，最多 {EVIDENCE_LIMITS.maxFiles} 个 PDF、JPG 或 PNG 文件，每个不超过 {EVIDENCE_LIMITS.maxBytes / MB} MB）</span>
          <input ref={files} type="file" name="evidence" multiple accept=".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png" aria-invalid={!!errors.evidence} aria-label="证明材料" />
          <em className="err" role={errors.evidence ? "alert" : undefined} style={{ fontStyle: "normal" }}>
            {errors.evidence ?? ""}
          </em>
        </label>
        <div style={{ display: "flex", gap: 8, justifyContent: "flex-end" }}>
          {onCancel && (
            <button type="button" className="btn" onClick={onCancel}>
              取消
            </button>
          )}
          <button type="submit" className="btn primary">
            {busy ? "正在提交…" : "提交异议"}
          </button>
        </div>
      </fieldset>
    </form>
  );
}

/** The licence page's button and its modal. */
export function ObjectionButton(p: DeptObjectionFormProps) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button type="button" className="btn" onClick={() => setOpen(true)} data-testid="raise-objection">
        提出异议
      </button>
      {open && (
        <Modal title="提出异议" onClose={() => setOpen(false)}>
          <DeptObjectionForm {...p} onCancel={() => setOpen(false)} />
        </Modal>
      )}
    </>
  );
}
