"use client";
// The ranking's three weights (summing to 100) and the stale-list period; the same zod schema as
// the action; the formula previewed as it will be shown; server errors next to their fields.
import { useState } from "react";
import { useRouter } from "next/navigation";
import { useForm } from "react-hook-form";
import { zodResolver } from "@hookform/resolvers/zod";
import type { z } from "zod";
import { applyServerErrors, TextField } from "@/components/form/field";
import { rankingFormula, supervisionSettingInput, type SupervisionSettingInput } from "@/lib/supervision/dashboard/schema";
import { updateSettingsAction } from "../actions";

type FormInput = z.input<typeof supervisionSettingInput>;

export function SettingsForm({ defaults }: { defaults: SupervisionSettingInput }) {
  const router = useRouter();
  const [msg, setMsg] = useState<{ ok: boolean; text: string } | null>(null);
  const form = useForm<FormInput, unknown, SupervisionSettingInput>({ resolver: zodResolver(supervisionSettingInput), defaultValues: defaults });
  const { register, formState, watch } = form;
  const errs = formState.errors;
  const w = watch();
  const n = (v: unknown) => (Number.isFinite(Number(v)) ? Number(v) : 0);
  const sum = n(w.weightTimeliness) + n(w.weightCompleteness) + n(w.weightObjections);
  const submit = form.handleSubmit(async (v) => {
    setMsg(null);
    try {
      const r = await updateSettingsAction(v);
      if (r.ok) {
        setMsg({ ok: true, text: "已保存，监督看板的排名按新公式计算" });
        router.refresh();
        return;
      }
      applyServerErrors(r.fieldErrors, form.setError);
      setMsg({ ok: false, text: r.error });
    } catch {
      setMsg({ ok: false, text: "保存失败：网络异常，请刷新页面查看结果" });
    }
  });
  return (
    <form onSubmit={submit} noValidate data-testid="ranking-settings-form">
      {msg && (
        <div className={`alert ${msg.ok ? "ok" : "error"}`} role={msg.ok ? "status" : "alert"}>
          {msg.text}
        </div>
      )}
      <fieldset disabled={formState.isSubmitting} style={{ border: 0, padding: 0, margin: 0 }}>
        <div className="form">
          <TextField label="汇聚及时率权重（%）" required type="number" reg={register("weightTimeliness")} error={errs.weightTimeliness} />
          <TextField label="数据完整率权重（%）" required type="number" reg={register("weightCompleteness")} error={errs.weightCompleteness} />
          <TextField label="异议按时办理率权重（%）" required type="number" reg={register("weightObjections")} error={errs.weightObjections} />
          <TextField label="清单未更新期限（天）" required type="number" reg={register("listStaleDays")} error={errs.listStaleDays} />
        </div>
        <p className={sum === 100 ? "muted" : "err"} style={sum === 100 ? undefined : { color: "var(--danger)", fontWeight: 600 }} role={sum === 100 ? undefined : "alert"} data-testid="weight-sum">
          三项权重之和：{sum}（须为 100）
        </p>
        <p className="muted">
          预览：{rankingFormula({ weightTimeliness: n(w.weightTimeliness), weightCompleteness: n(w.weightCompleteness), weightObjections: n(w.weightObjections) })}
        </p>
        <div className="toolbar">
          <button className="btn primary" type="submit">
            {formState.isSubmitting ? "正在保存…" : "保存"}
          </button>
        </div>
      </fieldset>
    </form>
  );
}
