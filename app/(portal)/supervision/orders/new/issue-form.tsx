"use client";
// The issue form (V-02): the department, category, title, description, evidence and the due date
// in working days. Evidence is given as users see it — an objection's number, a licence's
// identifier or number, a seal-use request's, spot check's or earlier order's number, or a link —
// or ticked in the picker, which lists the chosen department's overdue objections and data-quality
// findings. The server resolves every row to the record and checks it belongs to the department;
// a refusal shows next to its row, or once on top when it belongs to no field.
import { useEffect, useRef, useState } from "react";
import { useRouter } from "next/navigation";
import { useFieldArray, useForm, useWatch } from "react-hook-form";
import { zodResolver } from "@hookform/resolvers/zod";
import { SelectField, TextField } from "@/components/form/field";
import {
  CATEGORY_LABELS,
  EVIDENCE_KIND_LABELS,
  EVIDENCE_KINDS,
  EVIDENCE_REF_HINTS,
  issueOrderInput,
  RECTIFICATION_CATEGORIES,
  type IssueOrderFormInput,
  type IssueOrderInput,
  type RectificationCategory,
} from "@/lib/supervision/rectification-schema";
import { placeErrors } from "../_ui/one-message";
import { evidenceCandidatesAction, issueOrderAction } from "../actions";

type Candidate = { kind: "OBJECTION" | "LICENCE"; id: string; label: string; detail: string };
type Candidates = { objections: Candidate[]; findings: Candidate[]; more: { objections: boolean; findings: boolean } };
type Props = { depts: { id: string; name: string }[]; defaults: { deptId: string; category: RectificationCategory | ""; evidence: IssueOrderFormInput["evidence"] } };

const FIELDS = ["deptId", "category", "title", "description", "dueDays", "evidence"] as const;
const isUuid = (s: string) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(s);

export function IssueOrderForm({ depts, defaults }: Props) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const form = useForm<IssueOrderFormInput, unknown, IssueOrderInput>({
    resolver: zodResolver(issueOrderInput),
    defaultValues: { deptId: defaults.deptId, category: defaults.category || undefined, title: "", description: "", evidence: defaults.evidence ?? [], dueDays: 10 },
  });
  const { register, formState, control } = form;
  const evidence = useFieldArray({ control, name: "evidence" });
  const rows = useWatch({ control, name: "evidence" }) ?? [];
  const deptId = useWatch({ control, name: "deptId" });
  const errs = formState.errors;

  const [candidates, setCandidates] = useState<Candidates | null>(null);
  const [pickerError, setPickerError] = useState<string | null>(null);
  const firstDept = useRef(defaults.deptId);
  useEffect(() => {
    let live = true;
    setCandidates(null);
    setPickerError(null);
    if (!deptId) return;
    // a department chosen by hand: the rows picked for the previous one no longer apply
    if (deptId !== firstDept.current) {
      firstDept.current = "";
      const stale = form.getValues("evidence")?.flatMap((e, i) => (isUuid(e.id) ? [i] : [])) ?? [];
      if (stale.length) evidence.remove(stale);
    }
    evidenceCandidatesAction({ deptId })
      .then((r) => {
        if (!live) return;
        if (r.ok) setCandidates(r.data);
        else setPickerError(r.error);
      })
      .catch(() => live && setPickerError("候选依据加载失败，请刷新页面重试"));
    return () => {
      live = false;
    };
  }, [deptId]);

  const known = new Map([...(candidates?.objections ?? []), ...(candidates?.findings ?? [])].map((c) => [`${c.kind}:${c.id}`, c]));
  const indexOf = (c: Candidate) => rows.findIndex((e) => e.kind === c.kind && e.id === c.id);
  const toggle = (c: Candidate) => {
    const i = indexOf(c);
    if (i >= 0) evidence.remove(i);
    else evidence.append({ kind: c.kind, id: c.id, label: c.label });
  };

  const submit = form.handleSubmit(async (v) => {
    setError(null);
    try {
      const r = await issueOrderAction(v);
      if (r.ok) {
        router.push(`/supervision/orders/${r.data.id}`);
        return;
      }
      setError(placeErrors(r, FIELDS, form.setError));
    } catch {
      setError("提交失败：网络异常，请刷新页面查看结果");
    }
  });

  const pickList = (title: string, list: Candidate[], more: boolean, empty: string, testId: string) => (
    <div data-testid={testId}>
      <strong>{title}</strong>
      {list.length === 0 ? (
        <p className="muted" style={{ margin: "4px 0" }}>
          {empty}
        </p>
      ) : (
        <ul>
          {list.map((c) => (
            <li key={`${c.kind}:${c.id}`}>
              {/* a fixed checkbox column and wrapping text: long licence identifiers must not squeeze the box */}
              <label className="pick-row">
                <input type="checkbox" checked={indexOf(c) >= 0} onChange={() => toggle(c)} />
                <span className="pick-text">
                  <span>{c.label}</span>
                  <span className="muted">{c.detail}</span>
                </span>
              </label>
            </li>
          ))}
        </ul>
      )}
      {more && <p className="muted">仅列出前 100 条，其余可按编号添加。</p>}
    </div>
  );

  return (
    <form onSubmit={submit} noValidate data-testid="issue-order-form">
      {error && (
        <div className="alert error" role="alert">
          {error}
        </div>
      )}
      <fieldset disabled={formState.isSubmitting} style={{ border: 0, padding: 0, margin: 0 }}>
        <div className="form">
          <SelectField label="被责令整改部门" required reg={register("deptId")} error={errs.deptId} options={[{ value: "", label: "请选择" }, ...depts.map((d) => ({ value: d.id, label: d.name }))]} />
          <SelectField label="问题类别" required reg={register("category")} error={errs.category} options={[{ value: "", label: "请选择" }, ...RECTIFICATION_CATEGORIES.map((c) => ({ value: c, label: CATEGORY_LABELS[c] }))]} />
          <TextField label="标题" required full reg={register("title")} error={errs.title} />
          <label className="field full">
            <span>
              问题说明和整改要求<i className="req">*</i>
            </span>
            <textarea rows={5} {...register("description")} aria-invalid={!!errs.description} />
            <em className="err" role={errs.description ? "alert" : undefined} style={{ fontStyle: "normal" }}>
              {errs.description?.message ?? ""}
            </em>
          </label>
          <TextField label="整改期限（工作日，1–90）" required type="number" reg={register("dueDays")} error={errs.dueDays} />
        </div>

        <h3>依据</h3>
        {!deptId && <p className="muted">选择部门后，可勾选该部门的超期异议和数据质量问题，或按编号添加。</p>}
        {deptId && pickerError && <p className="err">{pickerError}</p>}
        {deptId && !candidates && !pickerError && <p className="muted">正在加载该部门的超期异议和数据质量问题…</p>}
        {candidates && (
          <div className="evidence-picker" data-testid="evidence-picker">
            {pickList("超期异议", candidates.objections, candidates.more.objections, "该部门目前没有超期异议。", "picker-objections")}
            {pickList("数据质量问题", candidates.findings, candidates.more.findings, "该部门目前没有数据质量问题。", "picker-findings")}
          </div>
        )}

        {evidence.fields.map((f, i) => {
          const e = errs.evidence?.[i];
          const row = rows[i] ?? form.getValues(`evidence.${i}`);
          const kind = row.kind ?? "OBJECTION";
          if (isUuid(row.id ?? "")) {
            // picked (or passed in by the dashboard's link): shown by what it is, not by its id
            const c = known.get(`${kind}:${row.id}`);
            return (
              <div key={f.id} data-testid="evidence-row">
                <div className="evidence-picked">
                  <span className="badge">{EVIDENCE_KIND_LABELS[kind]}</span>
                  <span className="grow">{row.label || c?.label || `已选${EVIDENCE_KIND_LABELS[kind]}（提交时核对）`}</span>
                  <button type="button" className="btn" onClick={() => evidence.remove(i)}>
                    删除
                  </button>
                </div>
                {e?.id?.message && (
                  <em className="err" role="alert" style={{ fontStyle: "normal" }}>
                    {e.id.message}
                  </em>
                )}
              </div>
            );
          }
          return (
            <div key={f.id} className="evidence-row" data-testid="evidence-row">
              <SelectField label="类型" reg={register(`evidence.${i}.kind`)} error={e?.kind} options={EVIDENCE_KINDS.map((k) => ({ value: k, label: EVIDENCE_KIND_LABELS[k] }))} />
              <TextField label="编号或链接" reg={register(`evidence.${i}.id`)} error={e?.id} placeholder={EVIDENCE_REF_HINTS[kind]} />
              <TextField label="说明（可选）" reg={register(`evidence.${i}.label`)} error={e?.label} />
              <button type="button" className="btn" onClick={() => evidence.remove(i)}>
                删除
              </button>
            </div>
          );
        })}
        {errs.evidence?.message && (
          <p className="err" role="alert">
            {errs.evidence.message}
          </p>
        )}
        <div className="toolbar">
          <button type="button" className="btn" onClick={() => evidence.append({ kind: "OBJECTION", id: "", label: "" })}>
            按编号添加依据
          </button>
          <button type="submit" className="btn primary">
            {formState.isSubmitting ? "正在下达…" : "下达整改通知"}
          </button>
        </div>
      </fieldset>
    </form>
  );
}
