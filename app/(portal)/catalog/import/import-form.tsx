"use client";
import { useState } from "react";
import { useRouter } from "next/navigation";
import { dryRunImportAction } from "./actions";

/** Upload for the dry run; on success the page shows the stored report. */
export function ImportForm({ kind }: { kind: string }) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    setError(null);
    setBusy(true);
    const r = await dryRunImportAction(new FormData(e.currentTarget));
    setBusy(false);
    if (!r.ok) {
      setError(r.fieldErrors?.file ?? r.fieldErrors?.kind ?? r.error);
      return;
    }
    router.push(`/catalog/import?kind=${r.data.kind}&id=${r.data.importId}`);
  }

  return (
    <form onSubmit={(e) => void submit(e)} noValidate>
      {error && (
        <div className="alert error" role="alert">
          {error}
        </div>
      )}
      <fieldset disabled={busy} className="toolbar" style={{ border: 0, padding: 0, margin: 0, alignItems: "center" }}>
        <input type="hidden" name="kind" value={kind} />
        <input type="file" name="file" accept=".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" aria-label="XLSX 文件" data-testid="import-file" />
        <button className="btn primary" type="submit" data-testid="import-dry-run">
          {busy ? "正在预检…" : "上传并预检"}
        </button>
      </fieldset>
    </form>
  );
}
