"use client";
// The holder's objection form (O-01). After the identifier and the holder code, the licence's face
// field labels are fetched (never a value) to choose from; the rest is checked with the service's
// own schema before it is sent. On success the number and the lookup code are shown once.
import { useRef, useState } from "react";
import { EVIDENCE_LIMITS, holderObjectionInput } from "@/lib/objections/schema";
import { FieldsChooser, chooserErrors, chosenFields, type FieldOption } from "./_form/fields-chooser";
import { postPublic } from "./_form/post";
import s from "./_form/form.module.css";

const MB = 1024 * 1024;
type Values = { identifier: string; holderCode: string; applicantName: string; contact: string; description: string };
const EMPTY: Values = { identifier: "", holderCode: "", applicantName: "", contact: "", description: "" };

function Input(p: { name: keyof Values; label: string; values: Values; set: (v: Values) => void; errors: Record<string, string>; type?: string; placeholder?: string; full?: boolean; textarea?: boolean }) {
  const err = p.errors[p.name];
  const common = {
    name: p.name,
    value: p.values[p.name],
    "aria-invalid": !!err,
    "aria-label": p.label,
    placeholder: p.placeholder,
    autoComplete: "off",
    onChange: (e: React.ChangeEvent<HTMLInputElement | HTMLTextAreaElement>) => p.set({ ...p.values, [p.name]: e.target.value }),
  };
  return (
    <label className={`field${p.full ? " full" : ""}`}>
      <span>
        {p.label}
        <i className="req">*</i>
      </span>
      {p.textarea ? <textarea rows={4} maxLength={2000} {...common} /> : <input type={p.type ?? "text"} maxLength={200} {...common} />}
      <em className="err" role={err ? "alert" : undefined} style={{ fontStyle: "normal" }}>
        {err ?? ""}
      </em>
    </label>
  );
}

export function HolderObjectionForm({ initialIdentifier = "" }: { initialIdentifier?: string }) {
  const files = useRef<HTMLInputElement>(null);
  const [values, setValues] = useState<Values>({ ...EMPTY, identifier: initialIdentifier });
  const [licence, setLicence] = useState<{ name: string; fields: FieldOption[]; for: string } | null>(null);
  const [chosen, setChosen] = useState<Record<string, string>>({});
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<{ number: string; lookupCode: string } | null>(null);

  const key = `${values.identifier.trim()}\n${values.holderCode.trim()}`;
  const stale = licence !== null && licence.for !== key;

  const loadFields = async () => {
    setError(null);
    const parsed = holderObjectionInput.pick({ identifier: true, holderCode: true }).safeParse(values);
    if (!parsed.success) {
      const fe: Record<string, string> = {};
      for (const i of parsed.error.issues) fe[i.path.join(".")] ??= i.message;
      setErrors(fe);
      return;
    }
    setBusy(true);
    const r = await postPublic<{ name: string; fields: FieldOption[] }>("/api/objections/public/fields", parsed.data);
    setBusy(false);
    if (!r.ok) {
      setLicence(null);
      setErrors(r.fieldErrors ?? {});
      setError(r.error);
      return;
    }
    setErrors({});
    setChosen({});
    setLicence({ ...r.data, for: key });
  };

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    setError(null);
    if (!licence || stale) {
      await loadFields();
      return;
    }
    const list = chosenFields(licence.fields, chosen);
    const input = { ...values, fields: list };
    const parsed = holderObjectionInput.safeParse(input);
    const next: Record<string, string> = {};
    const fe: Record<string, string> = {};
    if (!parsed.success) for (const i of parsed.error.issues) fe[i.path.join(".")] ??= i.message;
    for (const [k, v] of Object.entries(fe)) if (!k.startsWith("fields")) next[k] = v;
    Object.assign(next, chooserErrors(fe, list));
    const picked = Array.from(files.current?.files ?? []);
    if (picked.length > EVIDENCE_LIMITS.maxFiles) next.evidence = `最多上传 ${EVIDENCE_LIMITS.maxFiles} 个文件`;
    else if (picked.some((f) => f.size > EVIDENCE_LIMITS.maxBytes)) next.evidence = `每个文件不超过 ${EVIDENCE_LIMITS.maxBytes / MB} MB`;
    setErrors(next);
    if (Object.keys(next).length) return;
    const fd = new FormData();
    for (const [k, v] of Object.entries(values)) fd.set(k, v);
    fd.set("fields", JSON.stringify(list));
    for (const f of picked) fd.append("evidence", f);
    setBusy(true);
    const r = await postPublic<{ number: string; lookupCode: string }>("/api/objections/public/submit", fd);
    setBusy(false);
    if (r.ok) {
      setDone(r.data);
      return;
    }
    setError(r.error);
    const sfe = r.fieldErrors ?? {};
    const mapped: Record<string, string> = chooserErrors(sfe, list);
    for (const [k, v] of Object.entries(sfe)) if (!k.startsWith("fields")) mapped[k] = v;
    setErrors(mapped);
  };

  if (done)
    return (
      <div className="card" data-testid="objection-receipt">
        <div className="alert ok" role="status">
          异议已提交。发证部门将在规定的工作日内进行异议标注和办结，结果将通过您留下的联系方式告知，也可随时在异议查询页面查看。
        </div>
        <dl className={`kv ${s.kv}`}>
          <dt>异议编号</dt>
          <dd className="mono" style={{ fontSize: 18, wordBreak: "break-all" }} data-testid="objection-number">
            {done.number}
          </dd>
          <dt>查询码</dt>
          <dd className="mono" style={{ fontSize: 18, wordBreak: "break-all" }} data-testid="objection-lookup-code">
            {done.lookupCode}
          </dd>
        </dl>
        <div className="alert warn" role="note" style={{ marginTop: 12 }}>
          请立即记录或截图保存异议编号和查询码：查询码只显示这一次，平台不保存其原文，遗失后无法找回。
        </div>
        <div className="toolbar" style={{ marginBottom: 0 }}>
          <a className="btn primary" href={`/objection/lookup?number=${encodeURIComponent(done.number)}`}>
            查询办理进度
          </a>
        </div>
      </div>
    );

  return (
    <div className="card">
      <form onSubmit={(e) => void submit(e)} noValidate data-testid="holder-objection-form">
        {error && (
          <div className="alert error" role="alert">
            {error}
          </div>
        )}
        <fieldset disabled={busy} style={{ border: 0, padding: 0, margin: 0, minWidth: 0 }}>
          <div className={`form ${s.cols}`}>
            <Input name="identifier" label="电子证照标识" values={values} set={setValues} errors={errors} placeholder="1.2.156.3005.2.…（印在证照上）" full />
            <Input name="holderCode" label="持证主体代码" values={values} set={setValues} errors={errors} type="password" placeholder="统一社会信用代码或身份证号码" />
            <div className={`field ${s.loadCell}`}>
              <span>&nbsp;</span>
              <button type="button" className={`btn${licence && !stale ? "" : " primary"} ${s.load}`} onClick={() => void loadFields()}>
                {busy && !licence ? "正在读取…" : "读取证照字段"}
              </button>
              <em className="err" />
            </div>
          </div>
          {licence && !stale && (
            <div style={{ display: "grid", gap: 12, marginTop: 8 }}>
              <p style={{ margin: 0 }}>
                证照：<b>{licence.name}</b>。请勾选有异议的字段，并填写您认为正确的内容。
              </p>
              <FieldsChooser options={licence.fields} value={chosen} onChange={setChosen} errors={errors} />
              <div className={`form ${s.cols}`}>
                <Input name="applicantName" label="姓名或名称" values={values} set={setValues} errors={errors} placeholder="提出异议的个人姓名或单位名称" />
                <Input name="contact" label="联系方式" values={values} set={setValues} errors={errors} placeholder="手机号码或电子邮箱，用于告知办理结果" />
                <Input name="description" label="异议说明" values={values} set={setValues} errors={errors} placeholder="哪里有误、依据是什么" full textarea />
                <label className="field full">
                  <span>证明材料（可选，最多 {EVIDENCE_LIMITS.maxFiles} 个 PDF、JPG 或 PNG 文件，每个不超过 {EVIDENCE_LIMITS.maxBytes / MB} MB）</span>
                  <input ref={files} type="file" name="evidence" multiple accept=".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png" aria-label="证明材料" aria-invalid={!!errors.evidence} />
                  <em className="err" role={errors.evidence ? "alert" : undefined} style={{ fontStyle: "normal" }}>
                    {errors.evidence ?? ""}
                  </em>
                </label>
              </div>
              <div>
                <button type="submit" className="btn primary" style={{ minWidth: 120, justifyContent: "center" }}>
                  {busy ? "正在提交…" : "提交异议"}
                </button>
              </div>
            </div>
          )}
          {stale && <p className="muted">证照标识或持证主体代码已修改，请重新读取证照字段。</p>}
        </fieldset>
      </form>
    </div>
  );
}
