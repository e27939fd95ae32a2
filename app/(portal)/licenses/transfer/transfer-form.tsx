"use client";
// The transfer form: original department (with its licence count), the issuing department that
// takes over, and the basis (the reorganisation document). Validated by the server's schema.
import { useState } from "react";
import { useRouter } from "next/navigation";
import { useForm, type Resolver } from "react-hook-form";
import { zodResolver } from "@hookform/resolvers/zod";
import { SelectField, applyServerErrors } from "@/components/form/field";
import { transferInput, type TransferInput } from "@/lib/licenses/lifecycle-schema";
import type { TransferOverview } from "@/lib/licenses/transfer";
import { transferAction } from "./actions";

export function TransferForm({ departments }: { departments: TransferOverview["departments"] }) {
  const router = useRouter();
  const [msg, setMsg] = useState<{ ok: boolean; text: string } | null>(null);
  const form = useForm<TransferInput>({ resolver: zodResolver(transferInput) as unknown as Resolver<TransferInput>, defaultValues: { fromDeptId: "", toDeptId: "", reason: "" } });
  const {
    register,
    formState: { errors, isSubmitting },
  } = form;
  const indent = (d: { depth: number; name: string }) => `${"　".repeat(d.depth)}${d.name}`;
  const from = departments.filter((d) => d.licences > 0);
  const to = departments.filter((d) => d.isIssuing && d.active);

  const send = form.handleSubmit(async (v) => {
    setMsg(null);
    const name = (id: string) => departments.find((d) => d.id === id)?.name ?? "";
    if (!window.confirm(`确定将「${name(v.fromDeptId)}」的证照划转给「${name(v.toDeptId)}」？划转后原部门不能再办理这些证照。`)) return;
    let r: Awaited<ReturnType<typeof transferAction>>;
    try {
      r = await transferAction(v);
    } catch {
      setMsg({ ok: false, text: "提交失败：网络异常，请刷新页面查看结果" });
      return;
    }
    if (!r.ok) {
      setMsg({ ok: false, text: r.error });
      applyServerErrors(r.fieldErrors, form.setError);
      return;
    }
    setMsg({ ok: true, text: `已划转 ${r.data.count} 张证照。承接部门的发证人员可在本页重新签章。` });
    form.reset();
    router.refresh();
  });

  return (
    <form onSubmit={send} noValidate data-testid="transfer-form">
      {msg && (
        <div className={`alert ${msg.ok ? "ok" : "error"}`} role="status">
          {msg.text}
        </div>
      )}
      <fieldset disabled={isSubmitting} style={{ border: 0, padding: 0, margin: 0 }}>
        <div className="form">
          <SelectField
            label="原部门（被撤并）"
            required
            reg={register("fromDeptId")}
            error={errors.fromDeptId}
            options={[{ value: "", label: from.length ? "请选择" : "（管辖范围内没有可划转的证照）" }, ...from.map((d) => ({ value: d.id, label: `${indent(d)}（${d.licences} 张）` }))]}
          />
          <SelectField
            label="承接部门（须为发证部门）"
            required
            reg={register("toDeptId")}
            error={errors.toDeptId}
            options={[{ value: "", label: "请选择" }, ...to.map((d) => ({ value: d.id, label: indent(d) }))]}
          />
          <label className="field full">
            <span>
              划转依据<i className="req">*</i>
            </span>
            <textarea rows={3} {...register("reason")} placeholder="如：××〔2026〕×号 机构改革方案" aria-invalid={!!errors.reason} aria-label="划转依据" />
            <em className="err" role={errors.reason ? "alert" : undefined} style={{ fontStyle: "normal" }}>
              {errors.reason?.message ?? ""}
            </em>
          </label>
        </div>
        <div style={{ marginTop: 12 }}>
          <button type="submit" className="btn primary">
            {isSubmitting ? "正在划转…" : "划转证照"}
          </button>
        </div>
      </fieldset>
    </form>
  );
}
