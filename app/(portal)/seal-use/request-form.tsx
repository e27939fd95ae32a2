"use client";
// New request and revision of a draft or rejected request: the fields with the shared zod schema,
// the PDFs to seal, and "save as draft" or "submit for approval".
import { useRef, useState } from "react";
import { useRouter } from "next/navigation";
import { useForm } from "react-hook-form";
import { zodResolver } from "@hookform/resolvers/zod";
import type { z } from "zod";
import { TextField, SelectField, applyServerErrors } from "@/components/form/field";
import { requestFields, DOCUMENT_MAX_BYTES, DOCUMENT_MAX_FILES } from "@/lib/seal-use/schema";
import { createRequestAction, updateRequestAction } from "./actions";

type In = z.input<typeof requestFields>;
type Out = z.output<typeof requestFields>;
type SealOption = { id: string; label: string; useMode: string; validEnd: string | null; hasFlow: boolean };
type Existing = { id: string; version: number; sealId: string; reason: string; count: number; validUntil: string; remarks: string; documents: { id: string; filename: string; size: number }[] };

const TRANSPORT_ERROR = "提交失败：网络异常或上传内容过大，请检查文件大小后重试";
const fmtSize = (n: number) => (n < 1048576 ? `${Math.ceil(n / 1024)} KB` : `${(n / 1048576).toFixed(1)} MB`);

function checkPdfs(list: File[], kept: number): string | null {
  if (list.length + kept > DOCUMENT_MAX_FILES) return `最多 ${DOCUMENT_MAX_FILES} 个文件`;
  for (const f of list) {
    if (!/\.pdf$/i.test(f.name)) return `文件 ${f.name} 不是 PDF`;
    if (f.size === 0) return `文件 ${f.name} 是空文件`;
    if (f.size > DOCUMENT_MAX_BYTES) return `文件 ${f.name} 超过 ${DOCUMENT_MAX_BYTES / 1048576} MB`;
  }
  return null;
}

export function RequestForm({ seals, existing, defaultValidUntil }: { seals: SealOption[]; existing?: Existing; defaultValidUntil: string }) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [files, setFiles] = useState<File[]>([]);
  const [keep, setKeep] = useState<string[]>(existing?.documents.map((d) => d.id) ?? []);
  const [filesError, setFilesError] = useState<string | null>(null);
  const fileInput = useRef<HTMLInputElement>(null);
  const form = useForm<In, unknown, Out>({
    resolver: zodResolver(requestFields),
    defaultValues: {
      sealId: existing?.sealId ?? (seals.length === 1 ? seals[0].id : ""),
      reason: existing?.reason ?? "",
      count: existing?.count ?? 1,
      validUntil: existing?.validUntil ?? defaultValidUntil,
      remarks: existing?.remarks ?? "",
      submit: false,
    },
  });
  const { register, watch, setValue, formState: { errors, isSubmitting } } = form;
  const seal = seals.find((s) => s.id === watch("sealId"));

  const send = form.handleSubmit(
    async (v) => {
      const fileErr = checkPdfs(files, keep.length) ?? (v.submit && files.length + keep.length === 0 ? "请至少上传一个需要用印的 PDF 文件" : null);
      setFilesError(fileErr);
      if (fileErr) return;
      setError(null);
      const fd = new FormData();
      fd.set("reason", v.reason);
      fd.set("count", String(v.count));
      fd.set("validUntil", v.validUntil);
      fd.set("remarks", v.remarks);
      fd.set("submit", v.submit ? "1" : "0");
      for (const f of files) fd.append("documents", f);
      let r: Awaited<ReturnType<typeof updateRequestAction>>;
      try {
        if (existing) {
          fd.set("requestId", existing.id);
          fd.set("baseVersion", String(existing.version));
          for (const id of keep) fd.append("keepDocumentIds", id);
          r = await updateRequestAction(fd);
        } else {
          fd.set("sealId", v.sealId);
          r = await createRequestAction(fd);
        }
      } catch {
        setError(TRANSPORT_ERROR);
        return;
      }
      if (!r.ok) {
        setError(r.error);
        const { documents, ...rest } = r.fieldErrors ?? {};
        setFilesError(documents ?? null);
        applyServerErrors(rest, form.setError);
        return;
      }
      router.push(`/seal-use/${r.data.id}`);
      router.refresh();
    },
    () => setFilesError(checkPdfs(files, keep.length)),
  );

  return (
    <form onSubmit={(e) => e.preventDefault()} noValidate data-testid="request-form">
      {error && <div className="alert error" role="alert">{error}</div>}
      <fieldset disabled={isSubmitting} style={{ border: 0, padding: 0, margin: 0 }}>
        <div className="form">
          {existing ? (
            <label className="field">
              <span>印章</span>
              <input value={seals.find((s) => s.id === existing.sealId)?.label ?? ""} readOnly />
            </label>
          ) : (
            <SelectField label="印章" reg={register("sealId")} error={errors.sealId} required options={[{ value: "", label: "请选择印章" }, ...seals.map((s) => ({ value: s.id, label: s.label }))]} />
          )}
          <TextField label="用印数（次）" type="number" reg={register("count")} error={errors.count} required />
          <TextField label="有效期至" type="date" reg={register("validUntil")} error={errors.validUntil} required />
          {seal && (
            <div className="field">
              <span>印章信息</span>
              <div className="muted" style={{ paddingTop: 6 }}>
                {seal.useMode === "CENTRALISED" ? "集中用印：审批通过后由保管人确认并盖章" : "分散用印：审批通过后由申请人凭保护口令盖章"}
                {seal.validEnd && `；印章有效期至 ${new Date(seal.validEnd).toLocaleDateString("zh-CN", { timeZone: "Asia/Shanghai" })}`}
                {!seal.hasFlow && <div className="err" role="alert">该印章尚未配置审批流程，只能保存草稿</div>}
              </div>
            </div>
          )}
        <label className="field full">
          <span>用印事由<i className="req">*</i></span>
          <textarea rows={3} style={{ width: "100%" }} {...register("reason")} aria-invalid={!!errors.reason} placeholder="例如：与某某公司签订技术服务合同" />
          <em className="err" role={errors.reason ? "alert" : undefined} style={{ fontStyle: "normal" }}>{errors.reason?.message ?? ""}</em>
        </label>
        <label className="field full">
          <span>备注</span>
          <textarea rows={2} style={{ width: "100%" }} {...register("remarks")} aria-invalid={!!errors.remarks} />
          <em className="err" style={{ fontStyle: "normal" }}>{errors.remarks?.message ?? ""}</em>
        </label>
        <div className="field full">
          <span>需要用印的文件（PDF，最多 {DOCUMENT_MAX_FILES} 个，每个不超过 {DOCUMENT_MAX_BYTES / 1048576} MB）<i className="req">*</i></span>
          {existing && existing.documents.length > 0 && (
            <ul style={{ listStyle: "none", padding: 0, margin: "4px 0" }}>
              {existing.documents.map((d) => (
                <li key={d.id}>
                  <label style={{ display: "inline-flex", gap: 6, alignItems: "center" }}>
                    <input type="checkbox" checked={keep.includes(d.id)} onChange={(e) => setKeep(e.target.checked ? [...keep, d.id] : keep.filter((k) => k !== d.id))} />
                    保留 {d.filename}（{fmtSize(d.size)}）
                  </label>
                </li>
              ))}
            </ul>
          )}
          <input
            ref={fileInput}
            type="file"
            name="documents"
            accept="application/pdf,.pdf"
            multiple
            aria-label="选择 PDF 文件"
            aria-invalid={!!filesError}
            onChange={(e) => {
              const list = Array.from(e.target.files ?? []);
              setFiles(list);
              setFilesError(checkPdfs(list, keep.length));
            }}
          />
          {files.length > 0 && <div className="muted">{files.map((f) => `${f.name}（${fmtSize(f.size)}）`).join("、")}</div>}
          <em className="err" role={filesError ? "alert" : undefined} style={{ fontStyle: "normal" }} data-testid="documents-error">{filesError ?? ""}</em>
        </div>
        </div>
        <div className="toolbar" style={{ justifyContent: "flex-end", marginTop: 16 }}>
          <button className="btn" type="button" onClick={() => { setValue("submit", false); void send(); }}>
            {isSubmitting && !watch("submit") ? "正在保存…" : "保存草稿"}
          </button>
          <button className="btn primary" type="button" onClick={() => { setValue("submit", true); void send(); }}>
            {isSubmitting && watch("submit") ? "正在提交…" : "提交审批"}
          </button>
        </div>
      </fieldset>
    </form>
  );
}
