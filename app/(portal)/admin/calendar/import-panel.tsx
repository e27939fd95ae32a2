"use client";
import { useState } from "react";
import { useRouter } from "next/navigation";
import { DAY_KIND_LABELS } from "@/lib/calendar/calendar";
import { SOURCE_LABELS } from "@/lib/calendar/labels";
import { IMPORT_MAX_BYTES } from "@/lib/calendar/schema";
import type { ImportPreview } from "@/lib/calendar/service";
import { confirmImportAction, previewImportAction } from "./actions";

const EXAMPLE = `{ "holidays": { "2027-01-01": "元旦,New Year's Day,1", … }, "workdays": { "2027-02-20": "春节,Spring Festival,4", … } }`;

/** 导入国务院节假日安排: upload → preview of what changes in the year → confirm (all in one transaction). */
export function ImportPanel({ year }: { year: number }) {
  const router = useRouter();
  const [preview, setPreview] = useState<ImportPreview | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [msg, setMsg] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function upload(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    setError(null);
    setMsg(null);
    setPreview(null);
    setBusy(true);
    const r = await previewImportAction(new FormData(e.currentTarget));
    setBusy(false);
    if (r.ok) setPreview(r.data);
    else setError(r.fieldErrors?.file ?? r.fieldErrors?.year ?? r.error);
  }

  async function apply(p: ImportPreview) {
    const n = p.diff.added.length + p.diff.changed.length + p.diff.removed.length;
    if (!confirm(`确认导入 ${p.year} 年节假日安排？新增 ${p.diff.added.length}、修改 ${p.diff.changed.length}、删除 ${p.diff.removed.length}（共 ${n} 个日期），并将该年度标记为已导入。`)) return;
    setBusy(true);
    setError(null);
    const r = await confirmImportAction({ year: p.year, entries: p.entries, fingerprint: p.fingerprint, fileName: p.fileName, sm3: p.sm3, proof: p.proof });
    setBusy(false);
    if (r.ok) {
      setPreview(null);
      setMsg(`导入完成：新增 ${r.data.added}，修改 ${r.data.changed}，删除 ${r.data.removed}`);
      router.refresh();
    } else setError(r.error);
  }

  const changes = preview ? preview.diff.added.length + preview.diff.changed.length + preview.diff.removed.length : 0;
  const confirmable = !!preview && preview.problems.length === 0 && preview.entries.length > 0 && (changes > 0 || !preview.covered);
  return (
    <div className="card" data-testid="calendar-import">
      <h2 style={{ marginTop: 0 }}>导入 {year} 年国务院节假日安排</h2>
      <p className="muted" style={{ marginTop: 0 }}>
        支持 JSON（与 chinese-days 相同的格式 <code className="mono">{EXAMPLE}</code>，或 <code className="mono">[{`{ "date": "2027-01-01", "kind": "节假日", "name": "元旦" }`}]</code> 数组）和
        XLSX（列：日期、类型（节假日 / 调休上班）、名称；本页导出的文件可直接修改后导入）。上传后先预检，列出该年度将新增、修改、删除的日期，确认后才写入；
        导入后该年度的安排以文件为准，文件中其他年度的记录不导入。文件不超过 {IMPORT_MAX_BYTES / 1024 / 1024} MB。
      </p>
      {error && (
        <div className="alert error" role="alert">
          {error}
        </div>
      )}
      {msg && (
        <div className="alert ok" role="status">
          {msg}
        </div>
      )}
      <form onSubmit={(e) => void upload(e)} noValidate>
        <fieldset disabled={busy} className="toolbar" style={{ border: 0, padding: 0, margin: 0, alignItems: "center" }}>
          <input type="hidden" name="year" value={year} />
          <input type="file" name="file" accept=".json,.xlsx,application/json,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" aria-label="节假日安排文件" data-testid="calendar-import-file" />
          <button className="btn primary" type="submit" data-testid="calendar-import-preview">
            {busy && !preview ? "正在预检…" : "上传并预检"}
          </button>
        </fieldset>
      </form>
      {preview && (
        <div style={{ marginTop: 12 }} data-testid="calendar-import-report">
          <p>
            预检结果：{preview.fileName}（{preview.format}）——{preview.year} 年 {preview.entries.length} 条记录：新增 <b>{preview.diff.added.length}</b>，修改 <b>{preview.diff.changed.length}</b>，删除{" "}
            <b>{preview.diff.removed.length}</b>，无变化 {preview.diff.unchanged}
            {preview.otherYears > 0 && <span className="muted">；文件中另有 {preview.otherYears} 条其他年度的记录，不导入</span>}。
          </p>
          {preview.problems.length > 0 && (
            <>
              <div className="alert error" role="alert">
                发现 {preview.problems.length} 个问题，本次不能导入。请修改文件后重新上传。
              </div>
              <table className="grid">
                <thead>
                  <tr>
                    <th>位置</th>
                    <th>原因</th>
                  </tr>
                </thead>
                <tbody>
                  {preview.problems.map((p, i) => (
                    <tr key={i}>
                      <td>{p.where}</td>
                      <td>{p.message}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </>
          )}
          {preview.problems.length === 0 && changes === 0 && preview.covered && <div className="alert ok">文件内容与现有安排一致，无需导入。</div>}
          {preview.problems.length === 0 && changes > 0 && (
            <table className="grid" data-testid="calendar-import-diff">
              <thead>
                <tr>
                  <th>日期</th>
                  <th>变化</th>
                  <th>现有</th>
                  <th>导入后</th>
                </tr>
              </thead>
              <tbody>
                {[
                  ...preview.diff.added.map((a) => ({ date: a.date, op: "新增", cls: "ok", from: "—", to: `${a.name}（${DAY_KIND_LABELS[a.kind]}）` })),
                  ...preview.diff.changed.map((c) => ({ date: c.date, op: "修改", cls: "info", from: `${c.from.name}（${DAY_KIND_LABELS[c.from.kind]}，${SOURCE_LABELS[c.from.source] ?? c.from.source}）`, to: `${c.to.name}（${DAY_KIND_LABELS[c.to.kind]}）` })),
                  ...preview.diff.removed.map((r) => ({ date: r.date, op: "删除", cls: "danger", from: `${r.name}（${DAY_KIND_LABELS[r.kind]}，${SOURCE_LABELS[r.source] ?? r.source}）`, to: "按星期计算" })),
                ]
                  .sort((a, b) => (a.date < b.date ? -1 : 1))
                  .map((r) => (
                    <tr key={r.date}>
                      <td>{r.date}</td>
                      <td>
                        <span className={`badge ${r.cls}`}>{r.op}</span>
                      </td>
                      <td>{r.from}</td>
                      <td>{r.to}</td>
                    </tr>
                  ))}
              </tbody>
            </table>
          )}
          {confirmable && (
            <div className="toolbar" style={{ marginTop: 12 }}>
              <button className="btn primary" type="button" disabled={busy} onClick={() => void apply(preview)} data-testid="calendar-import-confirm">
                {busy ? "正在导入…" : changes > 0 ? "确认导入" : "确认并标记为已导入"}
              </button>
              <button className="btn" type="button" disabled={busy} onClick={() => setPreview(null)}>
                放弃
              </button>
            </div>
          )}
        </div>
      )}
    </div>
  );
}
