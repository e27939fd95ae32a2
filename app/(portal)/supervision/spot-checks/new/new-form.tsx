"use client";
import { useState } from "react";
import { useRouter } from "next/navigation";
import { useForm } from "react-hook-form";
import { zodResolver } from "@hookform/resolvers/zod";
import { placeErrors } from "../../orders/_ui/one-message";
import { SelectField, TextField } from "@/components/form/field";
import { createSpotCheckInput, MAX_DEPTS, SPOT_CHECK_KINDS, SPOT_CHECK_KIND_LABELS, type CreateSpotCheckFormInput, type CreateSpotCheckInput } from "@/lib/supervision/spot-checks-schema";
import { createSpotCheckAction } from "../actions";

export function NewSpotCheckForm({ depts }: { depts: { id: string; name: string }[] }) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const form = useForm<CreateSpotCheckFormInput, unknown, CreateSpotCheckInput>({
    resolver: zodResolver(createSpotCheckInput),
    defaultValues: { kind: "LICENCE", deptIds: [], perDept: 10, periodFrom: "", seed: "" },
  });
  const e = form.formState.errors;
  const submit = form.handleSubmit(async (input) => {
    setError(null);
    let r;
    try {
      r = await createSpotCheckAction(input);
    } catch {
      setError("提交失败：网络异常，请刷新页面查看结果");
      return;
    }
    if (r.ok) {
      router.push(`/supervision/spot-checks/${r.data.id}`);
      return;
    }
    setError(placeErrors(r, ["kind", "deptIds", "perDept", "periodFrom", "seed"], form.setError));
  });
  return (
    <form onSubmit={submit} noValidate>
      {error && <div className="alert error" role="alert">{error}</div>}
      <fieldset disabled={form.formState.isSubmitting} style={{ border: 0, padding: 0, margin: 0 }}>
        <SelectField label="抽查对象" required reg={form.register("kind")} error={e.kind} options={SPOT_CHECK_KINDS.map((k) => ({ value: k, label: SPOT_CHECK_KIND_LABELS[k] }))} />
        <label className="field full">
          <span>
            被抽查部门（最多 {MAX_DEPTS} 个）<i className="req">*</i>
          </span>
          <select multiple size={Math.min(12, Math.max(4, depts.length))} {...form.register("deptIds")} aria-invalid={!!e.deptIds}>
            {depts.map((d) => (
              <option key={d.id} value={d.id}>
                {d.name}
              </option>
            ))}
          </select>
          <em className="err" role={e.deptIds?.message ? "alert" : undefined} style={{ fontStyle: "normal" }}>
            {e.deptIds?.message ?? ""}
          </em>
        </label>
        <TextField label="每个部门抽取数量（1–200）" required type="number" reg={form.register("perDept")} error={e.perDept} />
        <TextField label="抽查期间起始日期（不填为全部）" type="date" reg={form.register("periodFrom")} error={e.periodFrom} />
        <TextField label="随机种子（不填自动生成 32 字节；复现已有抽查时填写其种子）" reg={form.register("seed")} error={e.seed} placeholder="十六进制" full />
        <p className="muted">抽样截止时间为提交时刻；每个部门抽取 SM3(种子字节‖记录标识) 最小的 N 条，不足 N 条时全部抽取。</p>
        <div className="foot">
          <button className="btn primary" type="submit">
            {form.formState.isSubmitting ? "正在抽取…" : "抽取样本"}
          </button>
        </div>
      </fieldset>
    </form>
  );
}
