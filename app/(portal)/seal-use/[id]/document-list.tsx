"use client";
// The request's documents with an inline preview (pdf.js) for approvers.
import { useState } from "react";
import { PdfPreview } from "@/components/pdf/pdf-preview";

type Doc = { id: string; filename: string; size: number; sm3: string; pages: number; removedAt: string | null };

export function DocumentList({ documents }: { documents: Doc[] }) {
  const [open, setOpen] = useState<string | null>(null);
  const live = documents.filter((d) => !d.removedAt);
  const removed = documents.filter((d) => d.removedAt);
  if (!documents.length) return <p className="muted">尚未上传文件。</p>;
  return (
    <>
      <table className="grid" data-testid="documents">
        <thead>
          <tr>
            <th>文件名</th>
            <th>页数</th>
            <th>大小</th>
            <th>SM3 摘要</th>
            <th>操作</th>
          </tr>
        </thead>
        <tbody>
          {live.map((d) => (
            <tr key={d.id}>
              <td>{d.filename}</td>
              <td>{d.pages}</td>
              <td>{d.size < 1048576 ? `${Math.ceil(d.size / 1024)} KB` : `${(d.size / 1048576).toFixed(1)} MB`}</td>
              <td className="mono" title={d.sm3}>{d.sm3.slice(0, 16)}…</td>
              <td className="actions">
                <button className="btn link" type="button" onClick={() => setOpen(open === d.id ? null : d.id)} aria-expanded={open === d.id}>
                  {open === d.id ? "收起预览" : "预览"}
                </button>
                <a className="btn link" href={`/api/seal-use/documents/${d.id}`} download>下载</a>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {removed.length > 0 && <p className="muted">已移除的文件（保留备查）：{removed.map((d) => d.filename).join("、")}</p>}
      {open && (
        <div style={{ marginTop: 12, maxHeight: 720, overflow: "auto", border: "1px solid var(--border)" }}>
          <PdfPreview src={`/api/seal-use/documents/${open}`} />
        </div>
      )}
    </>
  );
}
