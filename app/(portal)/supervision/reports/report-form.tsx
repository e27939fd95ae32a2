"use client";
// The report chooser: kind, period and region; the two download links follow the choice, and a
// seal applicant of the management department can file the chosen report for sealing.
import { useState } from "react";
import { SealRequestPanel } from "./seal-request-panel";
import { reportHref, REPORT_KIND_LABELS, REPORT_KINDS, REPORT_SUBJECT_LABELS, type ReportKind, type ReportSubject } from "@/lib/supervision/reports/schema";

type Region = { id: string; name: string; depth: number; isManagement: boolean };

const FIRST_YEAR = 2020;

export function ReportForm({
  regions,
  defaultMonth,
  maxMonth,
  currentYear,
  canApplySeal,
  today,
  defaultValidUntil,
}: {
  regions: Region[];
  defaultMonth: string;
  maxMonth: string;
  currentYear: number;
  /** holds seal.apply: may file the report as a seal-use request */
  canApplySeal: boolean;
  /** YYYY-MM-DD in Asia/Shanghai: the earliest validity of a seal-use request */
  today: string;
  defaultValidUntil: string;
}) {
  const [kind, setKind] = useState<ReportKind>("monthly");
  const [month, setMonth] = useState(defaultMonth);
  const [year, setYear] = useState(String(currentYear));
  const [region, setRegion] = useState("");
  const [subject, setSubject] = useState<ReportSubject>("region");
  const period = kind === "monthly" ? month : year;
  const valid = kind === "monthly" ? /^\d{4}-(0[1-9]|1[0-2])$/.test(month) : /^\d{4}$/.test(year);
  const href = (format: "xlsx" | "pdf") => reportHref({ kind, period, format, region: region || undefined, subject: region ? subject : "region" });
  const [busy, setBusy] = useState<"xlsx" | "pdf" | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [sealing, setSealing] = useState(false);
  // Fetch first so a refusal (no seal, out of scope, too many exports) shows its message here
  // instead of being saved as a file; without JavaScript the plain link still downloads.
  async function download(e: React.MouseEvent<HTMLAnchorElement>, format: "xlsx" | "pdf") {
    e.preventDefault();
    if (!valid || busy) return;
    setBusy(format);
    setError(null);
    try {
      const res = await fetch(href(format));
      if (!res.ok) {
        const body = (await res.json().catch(() => null)) as { error?: string } | null;
        setError(body?.error ?? `导出失败（HTTP ${res.status}）`);
        return;
      }
      const name = /filename\*=UTF-8''([^;]+)/.exec(res.headers.get("content-disposition") ?? "")?.[1];
      const url = URL.createObjectURL(await res.blob());
      const a = document.createElement("a");
      a.href = url;
      a.download = name ? decodeURIComponent(name) : `监督报告.${format}`;
      document.body.appendChild(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch {
      setError("网络错误，导出失败，请重试");
    } finally {
      setBusy(null);
    }
  }
  const years = Array.from({ length: Math.max(1, currentYear - FIRST_YEAR + 1) }, (_, i) => String(currentYear - i));
  return (
    <div className="report-form">
      <div className="query">
        <label>
          报告类型
          <select value={kind} onChange={(e) => setKind(e.target.value as ReportKind)} data-testid="report-kind">
            {REPORT_KINDS.map((k) => (
              <option key={k} value={k}>
                {REPORT_KIND_LABELS[k]}
              </option>
            ))}
          </select>
        </label>
        {kind === "monthly" ? (
          <label>
            月份
            <input type="month" value={month} max={maxMonth} onChange={(e) => setMonth(e.target.value)} data-testid="report-month" />
          </label>
        ) : (
          <label>
            年度
            <select value={year} onChange={(e) => setYear(e.target.value)} data-testid="report-year">
              {years.map((y) => (
                <option key={y} value={y}>
                  {y}年
                </option>
              ))}
            </select>
          </label>
        )}
        <label>
          地区 / 部门
          <select value={region} onChange={(e) => setRegion(e.target.value)} data-testid="report-region">
            <option value="">我的监督范围（全部）</option>
            {regions.map((r) => (
              <option key={r.id} value={r.id}>
                {`${"\u3000".repeat(Math.min(r.depth, 6))}${r.name}${r.isManagement ? "（管理部门）" : ""}`}
              </option>
            ))}
          </select>
        </label>
        {region && (
          <label>
            报告对象
            <select value={subject} onChange={(e) => setSubject(e.target.value as ReportSubject)} data-testid="report-subject">
              {(Object.keys(REPORT_SUBJECT_LABELS) as ReportSubject[]).map((s) => (
                <option key={s} value={s}>
                  {REPORT_SUBJECT_LABELS[s]}
                </option>
              ))}
            </select>
          </label>
        )}
      </div>
      <div className="toolbar">
        <a className={`btn primary${valid ? "" : " disabled"}`} href={valid ? href("xlsx") : undefined} aria-disabled={!valid} onClick={(e) => void download(e, "xlsx")} data-testid="report-xlsx" download>
          {busy === "xlsx" ? "正在生成…" : "下载 XLSX"}
        </a>
        <a className={`btn${valid ? "" : " disabled"}`} href={valid ? href("pdf") : undefined} aria-disabled={!valid} onClick={(e) => void download(e, "pdf")} data-testid="report-pdf" download>
          {busy === "pdf" ? "正在生成…" : "下载 PDF（未盖章）"}
        </a>
        {canApplySeal && (
          <button className="btn" type="button" disabled={!valid || sealing} onClick={() => setSealing(true)} data-testid="report-seal">
            申请加盖电子印章
          </button>
        )}
      </div>
      {!valid && <p className="alert error">请选择报告期间</p>}
      {sealing && valid && (
        <SealRequestPanel
          query={{ kind, period, region: region || undefined, subject: region ? subject : "region" }}
          subjectName={regions.find((r) => r.id === region)?.name ?? null}
          today={today}
          defaultValidUntil={defaultValidUntil}
          onClose={() => setSealing(false)}
        />
      )}
      {error && (
        <p className="alert error" role="alert" data-testid="report-error">
          {error}
        </p>
      )}
    </div>
  );
}
