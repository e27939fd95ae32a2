"use client";
// The issue form (V-02): the department, category, title, description, evidence rows (an objection,
// a licence, an earlier order by id, or a link) and the due date in working days. The server checks
// again that every evidence row exists and belongs to the department.
import { useState } from "react";
import { useRouter } from "next/navigation";
import { useFieldArray, useForm } from "react-hook-form";
import { zodResolver } from "@hookform/resolvers/zod";
import { applyServerErrors, SelectField, TextField } from "@/components/form/field";
import { CATEGORY_LABELS, EVIDENCE_KIND_LABELS, EVIDENCE_KINDS, issueOrderInput, RECTIFICATION_CATEGORIES, type IssueOrderFormInput, type IssueOrderInput } from "@/lib/supervision/rectification-schema";
import { issueOrderAction } from "../actions";

type Props = { depts: { id: string; name: string }[]; defaults: { deptId: string; evidence: IssueOrderFormInput["evidence"] } };

export function IssueOrderForm({ depts, defaults }: Props) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const form = useForm<IssueOrderFormInput, unknown, IssueOrderInput>({
    resolver: zodResolver(issueOrderInput),
    defaultValues: { deptId: defaults.deptId, category: undefined, title: "", description: "", evidence: defaults.evidence ?? [], dueDays: 10 },
  });
  const { register, formState, control } = form;
  const evidence = useFieldArray({ control, name: "evidence" });
  const errs = formState.errors;
  const submit = form.handleSubmit(async (v) => {
    setError(null);
    try {
      const r = await issueOrderAction(v);
      if (r.ok) {
        router.push(`/supervision/orders/${r.data.id}`);
        return;
      }
      applyServerErrors(r.fieldErrors, form.setError);
      setError(r.error);
    } catch {
      setError("提交失败：网络异常，请刷新页面查看结果");
    }
  });
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
        {evidence.fields.length === 0 && <p className="muted">可添加超期异议、有误的电子证照或以往整改通知作为依据。</p>}
        {evidence.fields.map((f, i) => {
          const e = errs.evidence?.[i];
          return (
            <div key={f.id} className="form" style={{ alignItems: "end" }} data-testid="evidence-row">
              <SelectField label="类型" reg={register(`evidence.${i}.kind`)} error={e?.kind} options={EVIDENCE_KINDS.map((k) => ({ value: k, label: EVIDENCE_KIND_LABELS[k] }))} />
              <TextField label="编号（ID）或链接" reg={register(`evidence.${i}.id`)} error={e?.id} />
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
            添加依据
          </button>
          <button type="submit" className="btn primary">
            {formState.isSubmitting ? "正在下达…" : "下达整改通知"}
          </button>
        </div>
      </fieldset>
    </form>
  );
}
