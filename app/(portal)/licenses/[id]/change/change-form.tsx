"use client";
// The change form: changeInput with the face replaced by the type's own face schema (the same
// check the server makes); hidden fields left blank keep their stored values.
import { useMemo, useState } from "react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useForm, type Resolver } from "react-hook-form";
import { zodResolver } from "@hookform/resolvers/zod";
import { TextField, applyServerErrors } from "@/components/form/field";
import { FaceInputs } from "@/components/licence/face-inputs";
import { faceSchema } from "@/lib/catalog/face-fields";
import { changeInput, type ChangeFormInput } from "@/lib/licenses/lifecycle-schema";
import type { ChangeFormData } from "@/lib/licenses/detail";
import { changeAction } from "../actions";

type Form = ChangeFormInput & Record<string, unknown>;

function nowLocal(): string {
  return new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 16);
}

export function ChangeForm({ data }: { data: ChangeFormData }) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const schema = useMemo(() => changeInput.extend({ face: faceSchema(data.fields) }), [data.fields]);
  const form = useForm<Form>({
    resolver: zodResolver(schema) as unknown as Resolver<Form>,
    defaultValues: { licenceId: data.licenceId, rev: data.rev, businessCompletedAt: nowLocal(), validFrom: "", holderName: data.holderName, face: data.face, reasonText: "" },
  });
  const {
    register,
    formState: { errors, isSubmitting },
  } = form;
  const kept = data.fields.filter((f) => data.keptSensitive.includes(f.key)).map((f) => f.label);

  const send = form.handleSubmit(async (v) => {
    setError(null);
    let r: Awaited<ReturnType<typeof changeAction>>;
    try {
      r = await changeAction({ ...v, licenceId: data.licenceId, rev: data.rev });
    } catch {
      setError("提交失败：网络异常，请刷新页面查看结果");
      return;
    }
    if (!r.ok) {
      setError(r.error);
      applyServerErrors(r.fieldErrors, form.setError);
      return;
    }
    router.push(`/licenses/${r.data.id}?done=change`);
  });

  return (
    <form onSubmit={send} noValidate>
      {error && (
        <div className="alert error" role="alert">
          {error}
        </div>
      )}
      <fieldset disabled={isSubmitting} style={{ border: 0, padding: 0, margin: 0 }}>
        <h3>持证主体</h3>
        <div className="form">
          <TextField label="持证主体名称" required reg={register("holderName")} error={errors.holderName} />
          <div className="field">
            <span>证件号码</span>
            <div className="mono" style={{ paddingTop: 6 }}>
              {data.holderCodeMasked}（不可变更）
            </div>
          </div>
        </div>
        <h3>照面信息</h3>
        {kept.length > 0 && <p className="muted">{kept.join("、")}：原值不在页面显示，不修改请留空。</p>}
        <FaceInputs fields={data.fields} register={register as never} errors={errors} />
        <h3>办理信息</h3>
        <div className="form">
          <TextField label="业务办结时间" required type="datetime-local" reg={register("businessCompletedAt")} error={errors.businessCompletedAt} />
          <TextField
            label={`有效期起始日期（留空则沿用 ${data.validFrom}${data.validTo ? ` 至 ${data.validTo}` : ""}）`}
            type="date"
            reg={register("validFrom")}
            error={errors.validFrom}
          />
          <label className="field full">
            <span>
              变更事项说明<i className="req">*</i>
            </span>
            <textarea rows={3} {...register("reasonText")} aria-invalid={!!errors.reasonText} aria-label="变更事项说明" />
            <em className="err" role={errors.reasonText ? "alert" : undefined} style={{ fontStyle: "normal" }}>
              {errors.reasonText?.message ?? ""}
            </em>
          </label>
        </div>
        <div style={{ marginTop: 16, display: "flex", gap: 8 }}>
          <button type="submit" className="btn primary">
            {isSubmitting ? "正在签发新版本…" : "变更并重新签章"}
          </button>
          <Link className="btn" href={`/licenses/${data.licenceId}`}>
            取消
          </Link>
        </div>
      </fieldset>
    </form>
  );
}
