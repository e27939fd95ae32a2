"use client";
import { useState } from "react";
import { useRouter } from "next/navigation";
import { useForm, type FieldError } from "react-hook-form";
import { zodResolver } from "@hookform/resolvers/zod";
import type { z } from "zod";
import { TextField, applyServerErrors } from "@/components/form/field";
import { policySchema, type PolicyInput } from "@/lib/users/schema";
import { t } from "@/lib/i18n/zh-CN";
import { updatePolicyAction } from "./actions";

const FIELDS: { name: keyof PolicyInput; label: string }[] = [
  { name: "lockoutThreshold", label: "登录失败锁定阈值（次）" },
  { name: "lockoutWindowMinutes", label: "失败计数时间窗（分钟）" },
  { name: "lockoutMinutes", label: "锁定时长（分钟）" },
  { name: "ipThreshold", label: "同一地址失败阈值（次）" },
  { name: "idleTimeoutMinutes", label: "会话空闲超时（分钟）" },
  { name: "absoluteLifetimeHours", label: "会话最长时长（小时）" },
  { name: "passwordExpiryDays", label: "密码有效期（天）" },
  { name: "passwordMinLength", label: "密码最小长度" },
  { name: "passwordHistoryCount", label: "不得与最近几次密码相同" },
];

function range(name: keyof PolicyInput): string {
  const s = policySchema.shape[name];
  return `${s.minValue ?? ""}–${s.maxValue ?? ""}`;
}

// Some schema rules carry no Chinese message (and an empty box is NaN): show the allowed range instead.
function chinese(name: keyof PolicyInput, e: FieldError | undefined): FieldError | undefined {
  if (!e?.message || /[\u4e00-\u9fff]/.test(e.message)) return e;
  return { ...e, message: `请输入 ${range(name)} 之间的整数` };
}

export function PolicyForm({ values }: { values: PolicyInput }) {
  const router = useRouter();
  const [msg, setMsg] = useState<{ ok: boolean; text: string } | null>(null);
  const form = useForm<z.input<typeof policySchema>, unknown, z.output<typeof policySchema>>({
    resolver: zodResolver(policySchema),
    defaultValues: values,
  });
  const { register, formState: { errors, isSubmitting } } = form;
  const submit = form.handleSubmit(async (v) => {
    setMsg(null);
    const r = await updatePolicyAction(v);
    if (!r.ok) {
      setMsg({ ok: false, text: r.error });
      applyServerErrors(r.fieldErrors, form.setError);
      return;
    }
    form.reset(v);
    setMsg({ ok: true, text: "安全策略已保存" });
    router.refresh();
  });
  return (
    <form onSubmit={submit} noValidate>
      {msg && <div className={`alert ${msg.ok ? "ok" : "error"}`} role={msg.ok ? "status" : "alert"}>{msg.text}</div>}
      <fieldset disabled={isSubmitting} style={{ border: 0, padding: 0, margin: 0 }}>
        <div className="form">
          {FIELDS.map((f) => (
            <TextField
              key={f.name}
              label={f.label}
              type="number"
              reg={register(f.name, { valueAsNumber: true })}
              error={chinese(f.name, errors[f.name])}
              placeholder={range(f.name)}
              required
            />
          ))}
        </div>
        <div className="toolbar" style={{ marginTop: 16 }}>
          <button className="btn primary" type="submit">{isSubmitting ? t.common.saving : t.common.save}</button>
          <button className="btn" type="button" onClick={() => { form.reset(values); setMsg(null); }}>{t.common.reset}</button>
        </div>
      </fieldset>
    </form>
  );
}
