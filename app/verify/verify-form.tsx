"use client";
import { useState } from "react";
import type { PublicReport } from "@/lib/seal-use/verify";
import type { LicenceUploadReport } from "@/lib/licenses/verify";
import { LicenceCard } from "./licence-card";

/** The route answers a licence file as a licence, anything else as a sealed document. */
type Answer = (PublicReport & { kind?: "seal" }) | LicenceUploadReport;

type Field = "pdf" | "sig";
type Busy = null | { phase: "upload"; percent: number } | { phase: "verify" };

const text = {
  pdfLabel: "已盖章的 PDF 文件",
  sigLabel: "签名文件 .sig / .ses（可选）",
  pdfRequired: "请选择已盖章的 PDF 文件",
  pdfExt: "请选择扩展名为 .pdf 的文件",
  sigExt: "签名文件的扩展名应为 .sig 或 .ses",
  empty: "所选文件为空",
  tooLarge: (limit: string) => `文件超过 ${limit}，无法验证`,
  network: "网络异常，验证未完成，请稍后重试",
  failed: "验证未完成，请稍后重试",
  submit: "验证",
  uploading: (p: number) => `正在上传 ${p}%…`,
  verifying: "正在验证签章…",
};

const fmtLimit = (bytes: number) => (bytes >= 1048576 ? `${bytes / 1048576} MB` : `${bytes / 1024} KB`);

/** Beijing time (UTC+8, no daylight saving). */
const beijing = (iso: string) => `${new Date(Date.parse(iso) + 8 * 3_600_000).toISOString().slice(0, 19).replace("T", " ")}（北京时间）`;

function checkFile(f: File | null, opts: { required: boolean; ext: string[]; extMessage: string; max: number }): string | null {
  if (!f) return opts.required ? text.pdfRequired : null;
  if (!opts.ext.some((x) => f.name.toLowerCase().endsWith(x))) return opts.extMessage;
  if (f.size === 0) return text.empty;
  if (f.size > opts.max) return text.tooLarge(fmtLimit(opts.max));
  return null;
}

/** POST with upload progress (fetch cannot report it). */
function send(form: FormData, onProgress: (percent: number) => void, onUploaded: () => void): Promise<{ status: number; body: unknown }> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", "/api/verify");
    xhr.responseType = "text";
    xhr.upload.onprogress = (e) => e.lengthComputable && onProgress(Math.min(100, Math.round((e.loaded / e.total) * 100)));
    xhr.upload.onload = onUploaded;
    xhr.onload = () => {
      let body: unknown = null;
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        body = null;
      }
      resolve({ status: xhr.status, body });
    };
    xhr.onerror = () => reject(new Error("network"));
    xhr.send(form);
  });
}

export function VerifyForm({ pdfMaxBytes, sigMaxBytes }: { pdfMaxBytes: number; sigMaxBytes: number }) {
  const [files, setFiles] = useState<Record<Field, File | null>>({ pdf: null, sig: null });
  const [fieldErrors, setFieldErrors] = useState<Partial<Record<Field, string>>>({});
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState<Busy>(null);
  const [report, setReport] = useState<Answer | null>(null);

  const rules = {
    pdf: { required: true, ext: [".pdf"], extMessage: text.pdfExt, max: pdfMaxBytes },
    // a seal-use signature (.sig) or a licence's SES_Signature (.ses, offered on the licence page)
    sig: { required: false, ext: [".sig", ".ses"], extMessage: text.sigExt, max: sigMaxBytes },
  };

  function pick(field: Field, f: File | null) {
    setFiles((prev) => ({ ...prev, [field]: f }));
    setFieldErrors((prev) => ({ ...prev, [field]: checkFile(f, rules[field]) ?? undefined }));
    setError(null);
    setReport(null);
  }

  async function onSubmit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const errs = { pdf: checkFile(files.pdf, rules.pdf) ?? undefined, sig: checkFile(files.sig, rules.sig) ?? undefined };
    setFieldErrors(errs);
    setError(null);
    setReport(null);
    if (errs.pdf || errs.sig) return;
    const form = new FormData();
    form.set("pdf", files.pdf!);
    if (files.sig) form.set("sig", files.sig);
    setBusy({ phase: "upload", percent: 0 });
    try {
      const { status, body } = await send(
        form,
        (percent) => setBusy({ phase: "upload", percent }),
        () => setBusy({ phase: "verify" }),
      );
      if (status === 200 && body && typeof body === "object" && "checks" in body) setReport(body as Answer);
      else {
        const b = (body ?? {}) as { error?: string; field?: Field };
        const message = b.error ?? text.failed;
        if (b.field === "pdf" || b.field === "sig") setFieldErrors({ [b.field]: message });
        else setError(message);
      }
    } catch {
      setError(text.network);
    } finally {
      setBusy(null);
    }
  }

  return (
    <>
      <div className="card">
        <form onSubmit={onSubmit} noValidate>
          {error && (
            <div className="alert error" role="alert">
              {error}
            </div>
          )}
          <fieldset disabled={busy !== null} style={{ border: 0, padding: 0, margin: 0, display: "grid", gap: 14 }}>
            <label className="field">
              <span>
                {text.pdfLabel}
                <span className="req">*</span>
              </span>
              <input type="file" name="pdf" accept=".pdf,application/pdf" onChange={(e) => pick("pdf", e.currentTarget.files?.[0] ?? null)} aria-invalid={!!fieldErrors.pdf} />
              <span className="err" role={fieldErrors.pdf ? "alert" : undefined}>{fieldErrors.pdf}</span>
            </label>
            <label className="field">
              <span>{text.sigLabel}</span>
              <input type="file" name="sig" accept=".sig,.ses" onChange={(e) => pick("sig", e.currentTarget.files?.[0] ?? null)} aria-invalid={!!fieldErrors.sig} />
              <span className="err" role={fieldErrors.sig ? "alert" : undefined}>{fieldErrors.sig}</span>
            </label>
            <div style={{ display: "flex", alignItems: "center", gap: 12 }}>
              <button className="btn primary" type="submit" style={{ minWidth: 96, justifyContent: "center" }}>
                {text.submit}
              </button>
              {busy && (
                <span className="muted" aria-live="polite">
                  {busy.phase === "upload" ? text.uploading(busy.percent) : text.verifying}
                </span>
              )}
            </div>
            {busy?.phase === "upload" && (
              <div style={{ height: 4, background: "#ebeef5", borderRadius: 2, overflow: "hidden" }} aria-hidden>
                <div style={{ width: `${busy.percent}%`, height: "100%", background: "var(--primary)", transition: "width .2s" }} />
              </div>
            )}
          </fieldset>
        </form>
      </div>
      {report && (report.kind === "licence" ? <LicenceReport report={report} /> : <Report report={report} />)}
    </>
  );
}

function Report({ report }: { report: PublicReport }) {
  const tone = report.valid ? { bg: "#f0f9eb", border: "#b7eb8f", color: "var(--ok)" } : { bg: "#fef0f0", border: "#ffa39e", color: "var(--danger)" };
  const headline = report.valid ? "签章有效" : report.found ? "签章无效" : "未找到电子签章";
  return (
    <div className="card" data-testid="verify-report">
      <div role="status" style={{ background: tone.bg, border: `1px solid ${tone.border}`, borderRadius: 6, padding: "16px 20px", marginBottom: 16 }}>
        <div style={{ fontSize: 22, fontWeight: 700, color: tone.color }}>
          {report.valid ? "✓ " : "✗ "}
          {headline}
        </div>
        <div style={{ marginTop: 6 }}>{report.summary.replace(/^签章(有效|无效)：/, "")}</div>
      </div>
      {report.seal && (
        <dl className="kv" style={{ marginBottom: 16 }}>
          <dt>印章名称</dt>
          <dd>{report.seal.name}</dd>
          <dt>印章编码</dt>
          <dd className="mono">{report.seal.esId}</dd>
          <dt>持有单位</dt>
          <dd>{report.seal.holderDept || <span className="muted">未知</span>}</dd>
          {report.signedAt && (
            <>
              <dt>签章时间</dt>
              <dd>{beijing(report.signedAt)}</dd>
            </>
          )}
        </dl>
      )}
      {report.checks.length > 0 && (
        <>
          <h2>验证项目</h2>
          <ul style={{ listStyle: "none", padding: 0, margin: 0, display: "grid", gap: 10 }}>
            {report.checks.map((c) => {
              // The seal's status now is reported, but does not decide validity (a later cancellation
              // leaves earlier signatures valid): shown as a notice, not a failure.
              const notice = !c.ok && c.key === "sealStatusNow";
              const mark = c.ok ? "✓" : notice ? "!" : "✗";
              const color = c.ok ? "var(--ok)" : notice ? "var(--warn)" : "var(--danger)";
              return (
                <li key={c.key} style={{ display: "grid", gridTemplateColumns: "24px 1fr", gap: 8 }} data-check={c.key} data-ok={c.ok}>
                  <span style={{ color, fontWeight: 700, fontSize: 16, lineHeight: "20px" }} aria-label={c.ok ? "通过" : notice ? "提示" : "未通过"}>
                    {mark}
                  </span>
                  <div>
                    <div style={{ fontWeight: 600 }}>{c.title}</div>
                    <div className={c.ok ? "muted" : undefined} style={c.ok ? undefined : { color }}>
                      {c.message}
                    </div>
                  </div>
                </li>
              );
            })}
          </ul>
        </>
      )}
    </div>
  );
}

function LicenceReport({ report }: { report: LicenceUploadReport }) {
  const tone = report.original ? { bg: "#f0f9eb", border: "#b7eb8f", color: "var(--ok)" } : { bg: "#fef0f0", border: "#ffa39e", color: "var(--danger)" };
  const headline = report.original ? "电子证照原件，未被篡改" : report.found ? "不是有效的电子证照原件" : "未找到电子签章";
  return (
    <>
      <div className="card" data-testid="verify-report" data-kind="licence" data-original={report.original}>
        <div role="status" style={{ background: tone.bg, border: `1px solid ${tone.border}`, borderRadius: 6, padding: "16px 20px", marginBottom: report.checks.length ? 16 : 0 }}>
          <div style={{ fontSize: 22, fontWeight: 700, color: tone.color }}>
            {report.original ? "✓ " : "✗ "}
            {headline}
          </div>
          <div style={{ marginTop: 6 }}>{report.summary}</div>
          {report.signedAt && <div className="muted" style={{ marginTop: 6 }}>签章时间：{beijing(report.signedAt)}</div>}
        </div>
        {report.checks.length > 0 && (
          <>
            <h2>验证项目</h2>
            <ul style={{ listStyle: "none", padding: 0, margin: 0, display: "grid", gap: 10 }}>
              {report.checks.map((c) => {
                // The seal's status today is reported, but does not decide whether the file is an original.
                const notice = !c.ok && c.key === "sealStatusNow";
                const color = c.ok ? "var(--ok)" : notice ? "var(--warn)" : "var(--danger)";
                return (
                  <li key={c.key} style={{ display: "grid", gridTemplateColumns: "24px 1fr", gap: 8 }} data-check={c.key} data-ok={c.ok}>
                    <span style={{ color, fontWeight: 700, fontSize: 16, lineHeight: "20px" }} aria-label={c.ok ? "通过" : notice ? "提示" : "未通过"}>
                      {c.ok ? "✓" : notice ? "!" : "✗"}
                    </span>
                    <div>
                      <div style={{ fontWeight: 600 }}>{c.title}</div>
                      <div className={c.ok ? "muted" : undefined} style={c.ok ? undefined : { color }}>
                        {c.message}
                      </div>
                    </div>
                  </li>
                );
              })}
            </ul>
          </>
        )}
      </div>
      {report.licence && <LicenceCard view={report.licence} />}
    </>
  );
}
