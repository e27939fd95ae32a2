"use client";
// 申请加盖电子印章: the chosen report is filed as a seal-use request of the management department's
// seal (S-10); the applicant gives the reason and the validity, then follows the request to its page.
// The reason follows the chosen report until the applicant edits it.
import { useEffect, useState } from "react";
import { useRouter } from "next/navigation";
import { useForm } from "react-hook-form";
import { zodResolver } from "@hookform/resolvers/zod";
import { z } from "zod";
import { applyServerErrors } from "@/components/form/field";
import { requestFields } from "@/lib/seal-use/schema";
import { reportSealReason, type ReportKind, type ReportSubject } from "@/lib/supervision/reports/schema";
import { requestReportSealAction } from "./actions";

const fields = z.object({ reason: requestFields.shape.reason, validUntil: requestFields.shape.validUntil });
type Fields = z.infer<typeof fields>;

type Query = { kind: ReportKind; period: string; region?: string; subject: ReportSubject };

export function SealRequestPanel({
  query,
  subjectName,
  today,
  defaultValidUntil,
  onClose,
}: {
  query: Query;
  /** the chosen region or department, for the default reason (none: the whole scope) */
  subjectName: string | null;
  today: string;
  defaultValidUntil: string;
  onClose: () => void;
}) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const defaultReason = reportSealReason(query, subjectName);
  const form = useForm<Fields>({ resolver: zodResolver(fields), defaultValues: { reason: defaultReason, validUntil: defaultValidUntil } });
  const { register, setValue, getFieldState, formState: { errors, isSubmitting } } = form;
  useEffect(() => {
    if (!getFieldState("reason").isDirty) setValue("reason", defaultReason);
  }, [defaultReason, getFieldState, setValue]);
  const send = form.handleSubmit(
    async (v) => {
      setError(null);
      let r: Awaited<ReturnType<typeof requestReportSealAction>>;
      try {
        r = await requestReportSealAction({ ...query, ...v });
      } catch {
        setError("提交失败：网络异常，请重试");
        return;
      }
      if (!r.ok) {
        const fieldErrors = r.fieldErrors ?? {};
        applyServerErrors(fieldErrors, form.setError);
        // a refusal about a field is shown next to it only; anything else above the form
        if (!Object.keys(fieldErrors).some((k) => k in fields.shape)) setError(r.error);
        return;
      }
      router.push(`/seal-use/${r.data.id}`);
    },
    () => setError(null),
  );
  return (
    <form className="seal-request" onSubmit={(e) => { e.preventDefault(); void send(); }} noValidate data-testid="report-seal-request">
      <h2>申请加盖电子印章</h2>
      <p className="muted">
        将按上面所选的期间和范围生成报告 PDF，作为用印文件向本部门的电子印章提交用印申请（用印数 1），经审批、保管人确认后加盖，盖章后的报告在用印申请页下载，并记入用印登记。
      </p>
      {error && <div className="alert error" role="alert">{error}</div>}
      <fieldset disabled={isSubmitting} style={{ border: 0, padding: 0, margin: 0 }}>
        <div className="form">
          <label className="field full">
            <span>用印事由<i className="req">*</i></span>
            <textarea rows={2} style={{ width: "100%" }} {...register("reason")} aria-invalid={!!errors.reason} />
            <em className="err" role={errors.reason ? "alert" : undefined} style={{ fontStyle: "normal" }}>{errors.reason?.message ?? ""}</em>
          </label>
          <label className="field">
            <span>有效期至<i className="req">*</i></span>
            <input type="date" min={today} {...register("validUntil")} aria-invalid={!!errors.validUntil} />
            <em className="err" role={errors.validUntil ? "alert" : undefined} style={{ fontStyle: "normal" }}>{errors.validUntil?.message ?? ""}</em>
          </label>
        </div>
        <div className="toolbar">
          <button className="btn primary" type="submit">{isSubmitting ? "正在生成并提交…" : "提交用印申请"}</button>
          <button className="btn" type="button" onClick={onClose}>取消</button>
        </div>
      </fieldset>
    </form>
  );
}
