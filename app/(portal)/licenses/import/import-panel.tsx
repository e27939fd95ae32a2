"use client";
// One import: the dry run's counts and rejected rows, the confirm button, and for a run its
// progress bar (rows per second, time left) polled from the progress route about once a second,
// with pause, resume and cancel.
import { useEffect, useRef, useState } from "react";
import { useRouter } from "next/navigation";
import type { ImportProgress, ImportView } from "@/lib/licenses/bulk/queries";
import { ACTIVE_STATUSES, IMPORT_STATUS_LABELS } from "@/lib/licenses/bulk/schema";
import { cancelImportAction, confirmImportAction, pauseImportAction, resumeImportAction } from "./actions";
import { beijing, StatusBadge } from "./status";

const NETWORK_ERROR = "网络异常，请检查网络后重试";
type Outcome = { ok: true; data: unknown } | { ok: false; error: string };

function duration(s: number): string {
  if (s < 60) return `${s} 秒`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} 分 ${s % 60} 秒`;
  return `${Math.floor(m / 60)} 小时 ${m % 60} 分`;
}

function Stat({ label, value, tone, testId }: { label: string; value: number | string; tone?: "danger" | "ok"; testId?: string }) {
  return (
    <div className="stat" style={{ border: "1px solid var(--border)" }}>
      <span className="muted">{label}</span>
      <b data-testid={testId} style={tone ? { color: tone === "danger" ? "var(--danger)" : "var(--ok)" } : undefined}>
        {typeof value === "number" ? value.toLocaleString("en-US") : value}
      </b>
    </div>
  );
}

function ProgressBar({ p }: { p: ImportProgress }) {
  const pct = p.totalRows ? Math.min(100, Math.floor((p.cursor / p.totalRows) * 100)) : 0;
  const color = p.status === "FAILED" ? "var(--danger)" : p.status === "DONE" ? "var(--ok)" : p.status === "PAUSED" || p.status === "CANCELLED" ? "var(--warn)" : "var(--primary)";
  return (
    <div style={{ margin: "12px 0" }}>
      <div
        role="progressbar"
        aria-label="导入进度"
        aria-valuemin={0}
        aria-valuemax={p.totalRows}
        aria-valuenow={p.cursor}
        data-testid="import-progress"
        style={{ height: 18, background: "#ebeef5", borderRadius: 9, overflow: "hidden" }}
      >
        <div style={{ width: `${pct}%`, height: "100%", background: color, transition: "width .5s" }} />
      </div>
      <div className="toolbar" style={{ marginTop: 6, gap: 16 }}>
        <span data-testid="import-progress-text">
          已处理 {p.cursor.toLocaleString("en-US")} / {p.totalRows.toLocaleString("en-US")} 行（{pct}%）
        </span>
        {p.status === "RUNNING" && (
          <span className="muted" data-testid="import-rate">
            {p.rate ? `${p.rate.toLocaleString("en-US")} 行/秒，预计剩余 ${duration(p.etaSeconds ?? 0)}` : "正在计算速度…"}
          </span>
        )}
      </div>
    </div>
  );
}

export function ImportPanel({ view }: { view: ImportView }) {
  const router = useRouter();
  const [progress, setProgress] = useState<ImportProgress>(view.progress);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const shown = useRef(view.status);
  const status = progress.status;
  const polling = ACTIVE_STATUSES.includes(status);

  useEffect(() => {
    setProgress(view.progress);
    shown.current = view.status;
  }, [view]);

  useEffect(() => {
    if (!polling) return;
    let stop = false;
    const tick = async () => {
      try {
        const res = await fetch(`/api/licenses/import/${view.id}/progress`, { cache: "no-store" });
        if (!res.ok || stop) return;
        const p = (await res.json()) as ImportProgress;
        setProgress(p);
        // a new phase (dry run finished, run finished or failed): the page reloads its data
        if (p.status !== shown.current) {
          shown.current = p.status;
          router.refresh();
        }
      } catch {
        // the next tick tries again
      }
    };
    const timer = setInterval(() => void tick(), 1000);
    return () => {
      stop = true;
      clearInterval(timer);
    };
  }, [polling, view.id, router]);

  async function act(what: string, call: () => Promise<Outcome>, confirmText?: string) {
    if (confirmText && !window.confirm(confirmText)) return;
    setBusy(true);
    setMessage(null);
    try {
      const r = await call();
      setMessage(r.ok ? { ok: true, text: `${what}成功` } : { ok: false, text: `${what}失败：${r.error}` });
    } catch {
      setMessage({ ok: false, text: NETWORK_ERROR });
    } finally {
      setBusy(false);
      router.refresh();
    }
  }

  const input = { importId: view.id };
  const newRows = view.validRows;
  const ran = !["VALIDATING", "VALIDATED"].includes(status) && !(status === "CANCELLED" && !view.startedAt) && !(status === "FAILED" && !view.startedAt);
  return (
    <div className="card" data-testid="import-panel">
      <h2 style={{ marginTop: 0, display: "flex", alignItems: "center", gap: 8, flexWrap: "wrap" }}>
        {view.fileName}
        <StatusBadge status={status} />
        <span className="muted" style={{ fontSize: 13, fontWeight: "normal" }}>
          {view.typeName} · {view.format} · {view.createdBy} 上传于 {beijing(view.createdAt)}
        </span>
      </h2>
      {message && (
        <div className={`alert ${message.ok ? "ok" : "error"}`} role="status">
          {message.text}
        </div>
      )}
      {status === "VALIDATING" && (
        <div className="alert info" data-testid="import-validating">
          正在预检…已检查 {progress.totalRows.toLocaleString("en-US")} 行
        </div>
      )}
      {status !== "VALIDATING" && (
        <div className="stats" style={{ marginBottom: 12 }} data-testid="import-stats">
          <Stat label="数据行" value={view.totalRows} testId="import-total" />
          <Stat label="可导入（新建）" value={newRows} testId="import-valid" />
          <Stat label="已导入过（跳过）" value={view.existingRows} testId="import-existing" />
          <Stat label="被拒绝的行" value={view.rejectedRows} tone={view.rejectedRows ? "danger" : undefined} testId="import-rejected" />
        </div>
      )}
      {status === "VALIDATED" && (
        <>
          {view.rejectedRows > 0 && (
            <div className="alert error" role="alert">
              预检发现 {view.rejectedRows.toLocaleString("en-US")} 行有问题，这些行不会导入。请下载被拒绝的行，修改后另行上传。
            </div>
          )}
          {newRows === 0 ? (
            <div className="alert ok">没有需要新建的证照（有问题的行和已导入过的行不会导入）。</div>
          ) : (
            <div className="toolbar" style={{ alignItems: "center" }}>
              <button
                className="btn primary"
                type="button"
                disabled={busy}
                data-testid="import-confirm"
                onClick={() => void act("确认导入", () => confirmImportAction(input), `确认导入 ${newRows.toLocaleString("en-US")} 份证照？将在后台分批签章入库。`)}
              >
                确认导入 {newRows.toLocaleString("en-US")} 份
              </button>
              <button className="btn" type="button" disabled={busy} onClick={() => void act("取消", () => cancelImportAction(input), "取消本次导入？")}>
                取消导入
              </button>
            </div>
          )}
        </>
      )}
      {ran && (
        <>
          <ProgressBar p={progress} />
          <div className="stats" style={{ marginBottom: 12 }}>
            <Stat label="已创建" value={progress.createdCount} tone="ok" testId="import-created" />
            <Stat label="已跳过（已存在）" value={progress.skippedCount} testId="import-skipped" />
            <Stat label="失败" value={progress.failedCount} tone={progress.failedCount ? "danger" : undefined} testId="import-failed" />
          </div>
          {status === "DONE" && (
            <div className="alert ok" role="status" data-testid="import-done">
              完成：新建 {progress.createdCount.toLocaleString("en-US")} 份电子证照，跳过 {progress.skippedCount.toLocaleString("en-US")} 行，失败 {progress.failedCount.toLocaleString("en-US")} 行
              {view.finishedAt ? `（${beijing(view.finishedAt)}）` : ""}。
            </div>
          )}
          {status === "PAUSED" && <div className="alert warn">已暂停：已提交的批次保留，继续后从第 {(progress.cursor + 1).toLocaleString("en-US")} 个数据行接着导入。</div>}
          {status === "CANCELLED" && <div className="alert warn">已取消：已创建的 {progress.createdCount.toLocaleString("en-US")} 份证照保留，其余行不再导入。</div>}
          <div className="toolbar">
            {(status === "QUEUED" || status === "RUNNING") && (
              <button className="btn" type="button" disabled={busy} data-testid="import-pause" onClick={() => void act("暂停", () => pauseImportAction(input))}>
                暂停
              </button>
            )}
            {(status === "PAUSED" || status === "FAILED") && (
              <button className="btn primary" type="button" disabled={busy} data-testid="import-resume" onClick={() => void act("继续", () => resumeImportAction(input))}>
                {status === "FAILED" ? "重试（从中断处继续）" : "继续"}
              </button>
            )}
            {["QUEUED", "RUNNING", "PAUSED", "FAILED"].includes(status) && (
              <button className="btn danger" type="button" disabled={busy} data-testid="import-cancel" onClick={() => void act("取消", () => cancelImportAction(input), "取消后剩余的行不再导入（已创建的证照保留），确定取消？")}>
                取消导入
              </button>
            )}
          </div>
        </>
      )}
      {(progress.error ?? view.error) && (
        <div className="alert error" role="alert" data-testid="import-error">
          {progress.error ?? view.error}
        </div>
      )}
      {view.hasReport && (
        <p>
          <a className="btn" href={`/api/licenses/import/${view.id}/report`} data-testid="import-report">
            下载被拒绝的行（XLSX）
          </a>
        </p>
      )}
      {view.problems.length > 0 && (
        <details open={status === "VALIDATED"}>
          <summary>
            被拒绝的行{view.rejectedRows > view.problems.length ? `（前 ${view.problems.length} 个问题，完整清单请下载）` : ""}
          </summary>
          <div className="table-scroll">
            <table className="grid" data-testid="import-problems">
              <thead>
                <tr>
                  <th>行</th>
                  <th>列</th>
                  <th>原因</th>
                </tr>
              </thead>
              <tbody>
                {view.problems.map((p, i) => (
                  <tr key={i}>
                    <td>{p.row}</td>
                    <td>{p.column}</td>
                    <td>{p.reason}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </details>
      )}
      {view.failures.length > 0 && (
        <details>
          <summary>导入时未通过的行（{view.failures.length}）</summary>
          <table className="grid">
            <thead>
              <tr>
                <th>行</th>
                <th>原因</th>
              </tr>
            </thead>
            <tbody>
              {view.failures.map((f, i) => (
                <tr key={i}>
                  <td>{f.row}</td>
                  <td>{f.reason}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </details>
      )}
      <p className="muted" style={{ fontSize: 12, marginBottom: 0 }}>
        状态：{IMPORT_STATUS_LABELS[status]}；文件 SM3 <span className="mono">{view.fileSm3}</span>
        {view.businessCompletedAt ? `；默认业务办结时间 ${beijing(view.businessCompletedAt).slice(0, 16)}` : ""}
      </p>
    </div>
  );
}
