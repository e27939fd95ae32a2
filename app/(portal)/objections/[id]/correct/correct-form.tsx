"use client";
// The correction form: correctInput with the face replaced by the type's own face schema (the same
// check the licences service makes). The fields in question come first and may be filled with
// what the applicant asked for; the other fields keep the licence's values unless opened and edited.
import { useMemo, useState } from "react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useForm, type Resolver } from "react-hook-form";
import { zodResolver } from "@hookform/resolvers/zod";
import { TextField, applyServerErrors } from "@/components/form/field";
import { FaceInputs } from "@/components/licence/face-inputs";
import { faceSchema } from "@/lib/catalog/face-fields";
import { correctInput, type CorrectFormInput } from "@/lib/objections/schema";
import type { ChangeFormData } from "@/lib/licenses/detail";
import { correctAction } from "../../actions";

type Form = CorrectFormInput & Record<string, unknown>;

/** Field types whose form value is the plain text the applicant typed. */
const TEXTUAL = new Set(["TEXT", "NUMBER", "DATE", "ENUM", "PHONE", "ADDRESS", "USCC", "CITIZEN_ID"]);

export function CorrectForm({ id, rev, number, data, inQuestion }: { id: string; rev: number; number: string; data: ChangeFormData; inQuestion: { key: string; expected: string }[] }) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const keys = new Set(inQuestion.map((f) => f.key));
  const asked = data.fields.filter((f) => keys.has(f.key));
  const others = data.fields.filter((f) => !keys.has(f.key));
  const schema = useMemo(() => correctInput.extend({ face: faceSchema(data.fields) }), [data.fields]);
  const form = useForm<Form>({
    resolver: zodResolver(schema) as unknown as Resolver<Form>,
    defaultValues: { id, rev, reason: "", holderName: data.holderName, changeReason: "", face: data.face },
  });
  const {
    register,
    setValue,
    formState: { errors, isSubmitting },
  } = form;
  const faceErrors = (errors.face ?? {}) as Record<string, unknown>;
  const otherError = others.some((f) => faceErrors[f.key]);
  // what can be copied as is: plain values, not a masked one (a hidden field's expected value is masked)
  const fillable = inQuestion.filter((q) => {
    const f = data.fields.find((x) => x.key === q.key);
    if (!f || !TEXTUAL.has(f.type) || q.expected.includes("*")) return false;
    return f.type !== "ENUM" || (f.options ?? []).includes(q.expected);
  });

  const send = form.handleSubmit(async (v) => {
    setError(null);
    let r: Awaited<ReturnType<typeof correctAction>>;
    try {
      r = await correctAction({ ...v, id, rev });
    } catch {
      setError("提交失败：网络异常，请刷新页面查看结果");
      return;
    }
    if (!r.ok) {
      setError(r.error);
      applyServerErrors(r.fieldErrors, form.setError);
      return;
    }
    router.push(`/licenses/${r.data.licenceId}?done=change`);
  });

  return (
    <form onSubmit={send} noValidate data-testid="correct-form">
      {error && (
        <div className="alert error" role="alert">
          {error}
        </div>
      )}
      <fieldset disabled={isSubmitting} style={{ border: 0, padding: 0, margin: 0 }}>
        <h3>有异议的照面字段</h3>
        {fillable.length > 0 && (
          <div className="toolbar">
            <button type="button" className="btn" onClick={() => fillable.forEach((q) => setValue(`face.${q.key}` as never, q.expected as never, { shouldDirty: true }))}>
              填入申请方认为正确的内容
            </button>
          </div>
        )}
        {data.keptSensitive.some((k) => keys.has(k)) && <p className="muted">敏感字段的原值不在页面显示，不修改请留空。</p>}
        <FaceInputs fields={asked} register={register as never} errors={errors} />
        <details open={otherError} style={{ margin: "12px 0" }}>
          <summary>其他照面字段（保持原值，如需一并更正可修改）</summary>
          {others.length > 0 ? <FaceInputs fields={others} register={register as never} errors={errors} /> : <p className="muted">无</p>}
        </details>
        <div className="form">
          <TextField label="持证主体名称" required reg={register("holderName")} error={errors.holderName} />
        </div>
        <h3>办结</h3>
        <div className="form">
          <label className="field full">
            <span>
              更正说明（将告知申请方）<i className="req">*</i>
            </span>
            <textarea rows={3} {...register("reason")} aria-invalid={!!errors.reason} aria-label="更正说明" />
            <em className="err" role={errors.reason ? "alert" : undefined} style={{ fontStyle: "normal" }}>
              {errors.reason?.message ?? ""}
            </em>
          </label>
          <TextField label={`变更事项说明（记入证照生命周期，留空为“根据异议 ${number} 更正”）`} reg={register("changeReason")} error={errors.changeReason} full />
        </div>
        <div style={{ marginTop: 16, display: "flex", gap: 8 }}>
          <button type="submit" className="btn primary">
            {isSubmitting ? "正在签发新版本…" : "更正并签发新版本"}
          </button>
          <Link className="btn" href={`/objections/${id}`}>
            取消
          </Link>
        </div>
      </fieldset>
    </form>
  );
}
