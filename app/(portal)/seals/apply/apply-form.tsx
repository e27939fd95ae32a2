"use client";
import { useRef, useState } from "react";
import { useRouter } from "next/navigation";
import { useForm } from "react-hook-form";
import { zodResolver } from "@hookform/resolvers/zod";
import type { z } from "zod";
import { TextField, SelectField, applyServerErrors } from "@/components/form/field";
import { sealApplySchema } from "@/lib/seals/schema";
import { BUSINESS_TYPES, BUSINESS_TYPE_LABELS, POSITION_TYPES, POSITION_TYPE_LABELS, SEAL_KINDS, SEAL_KIND_LABELS, USE_MODE_LABELS } from "@/lib/seals/kinds";
import { applySealAction } from "../actions";
import { fmtSize } from "../seal-badges";
import { checkFiles, TRANSPORT_ERROR, UPLOAD_ACCEPT, UPLOAD_HINT } from "../upload-check";

type Dept = { id: string; name: string; depth: number; disabled: boolean };
type In = z.input<typeof sealApplySchema>;
type Out = z.output<typeof sealApplySchema>;

export function ApplyForm({ departments }: { departments: Dept[] }) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [files, setFiles] = useState<File[]>([]);
  const [filesError, setFilesError] = useState<string | null>(null);
  const fileInput = useRef<HTMLInputElement>(null);
  const selectable = departments.filter((d) => !d.disabled);
  const form = useForm<In, unknown, Out>({
    resolver: zodResolver(sealApplySchema),
    defaultValues: {
      holderDeptId: selectable.length === 1 ? selectable[0].id : "",
      kind: "LEGAL_NAME",
      businessType: null,
      positionType: null,
      name: "",
      holderPersonName: "",
      useMode: "CENTRALISED",
      physicalRef: "",
      applyReason: "",
    },
  });
  const { register, watch, formState: { errors, isSubmitting } } = form;
  const kind = watch("kind");
  const nameSeal = kind === "POSITION" || kind === "PERSONAL";

  const submit = form.handleSubmit(
    async (v) => {
      const fileErr = checkFiles(files);
      setFilesError(fileErr);
      if (fileErr) return;
      setError(null);
      const fd = new FormData();
      fd.set("holderDeptId", v.holderDeptId);
      fd.set("kind", v.kind);
      fd.set("businessType", v.kind === "BUSINESS" ? (v.businessType ?? "") : "");
      fd.set("positionType", v.kind === "POSITION" ? (v.positionType ?? "") : "");
      fd.set("name", v.name);
      fd.set("holderPersonName", nameSeal ? v.holderPersonName : "");
      fd.set("useMode", v.useMode);
      fd.set("physicalRef", v.physicalRef);
      fd.set("applyReason", v.applyReason);
      for (const f of files) fd.append("materials", f);
      let r: Awaited<ReturnType<typeof applySealAction>>;
      try {
        r = await applySealAction(fd);
      } catch {
        setError(TRANSPORT_ERROR);
        return;
      }
      if (!r.ok) {
        setError(r.error);
        const { materials, ...rest } = r.fieldErrors ?? {};
        setFilesError(materials ?? null);
        applyServerErrors(rest, form.setError);
        return;
      }
      router.push(`/seals/${r.data.id}`);
    },
    () => setFilesError(checkFiles(files)),
  );

  return (
    <form onSubmit={submit} noValidate>
      {error && <div className="alert error" role="alert">{error}</div>}
      <fieldset disabled={isSubmitting} style={{ border: 0, padding: 0, margin: 0 }}>
        <div className="form">
          <SelectField
            label="持有部门"
            reg={register("holderDeptId")}
            error={errors.holderDeptId}
            required
            full
            options={[
              { value: "", label: "请选择部门" },
              ...departments.map((d) => ({ value: d.id, label: `${"　".repeat(d.depth)}${d.name}${d.disabled ? "（已停用）" : ""}`, disabled: d.disabled })),
            ]}
          />
          <SelectField label="印章类型" reg={register("kind")} error={errors.kind} required options={SEAL_KINDS.map((k) => ({ value: k, label: SEAL_KIND_LABELS[k] }))} />
          {kind === "BUSINESS" && (
            <SelectField
              label="业务类型"
              reg={register("businessType", { setValueAs: (v: string | null) => v || null })}
              error={errors.businessType}
              required
              options={[{ value: "", label: "请选择业务类型" }, ...BUSINESS_TYPES.map((b) => ({ value: b, label: BUSINESS_TYPE_LABELS[b] }))]}
            />
          )}
          {kind === "POSITION" && (
            <SelectField
              label="职务"
              reg={register("positionType", { setValueAs: (v: string | null) => v || null })}
              error={errors.positionType}
              required
              options={[{ value: "", label: "请选择职务" }, ...POSITION_TYPES.map((p) => ({ value: p, label: POSITION_TYPE_LABELS[p] }))]}
            />
          )}
          <TextField label="印章名称" reg={register("name")} error={errors.name} required placeholder="与实物印章印文一致" />
          {nameSeal && <TextField label="持有人姓名" reg={register("holderPersonName")} error={errors.holderPersonName} required />}
          <SelectField label="使用模式" reg={register("useMode")} error={errors.useMode} required options={(["CENTRALISED", "DISTRIBUTED"] as const).map((m) => ({ value: m, label: USE_MODE_LABELS[m] }))} />
          <TextField label="实物印章备案号" reg={register("physicalRef")} error={errors.physicalRef} required placeholder="字母、数字和 -" />
          <label className="field full">
            <span>
              申请事由<i className="req">*</i>
            </span>
            <textarea rows={3} style={{ width: "100%" }} {...register("applyReason")} aria-invalid={!!errors.applyReason} />
            <em className="err" role={errors.applyReason?.message ? "alert" : undefined} style={{ fontStyle: "normal" }}>
              {errors.applyReason?.message ?? ""}
            </em>
          </label>
          <label className="field full">
            <span>
              证明材料<i className="req">*</i>
              <span className="muted">（{UPLOAD_HINT}）</span>
            </span>
            <input
              ref={fileInput}
              type="file"
              name="materials"
              multiple
              accept={UPLOAD_ACCEPT}
              aria-invalid={!!filesError}
              onChange={(e) => {
                const list = Array.from(e.target.files ?? []);
                setFiles(list);
                setFilesError(list.length ? checkFiles(list) : null);
              }}
            />
            {files.length > 0 && (
              <ul style={{ margin: "4px 0 0", paddingLeft: 18 }}>
                {files.map((f) => (
                  <li key={`${f.name}-${f.size}`}>
                    {f.name} <span className="muted">{fmtSize(f.size)}</span>
                  </li>
                ))}
              </ul>
            )}
            <em className="err" role={filesError ? "alert" : undefined} style={{ fontStyle: "normal" }}>
              {filesError ?? ""}
            </em>
          </label>
        </div>
        <div className="foot" style={{ display: "flex", gap: 8, marginTop: 16 }}>
          <button className="btn primary" type="submit">{isSubmitting ? "正在提交…" : "提交申请"}</button>
          <button
            className="btn"
            type="button"
            onClick={() => {
              form.reset();
              setFiles([]);
              setFilesError(null);
              setError(null);
              if (fileInput.current) fileInput.current.value = "";
            }}
          >
            重置
          </button>
        </div>
      </fieldset>
    </form>
  );
}
