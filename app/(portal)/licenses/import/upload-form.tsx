"use client";
import { useState } from "react";
import { useRouter } from "next/navigation";
import { uploadImportAction } from "./actions";

type TypeOption = { id: string; name: string; typeCode: string; hasSeal: boolean };

const NETWORK_ERROR = "网络异常，请检查网络后重试";

/** Type (from the department's issuance list), default 业务办结时间, the file; then the dry run. */
export function UploadForm({ types, defaultCompletedAt }: { types: TypeOption[]; defaultCompletedAt: string }) {
  const router = useRouter();
  const [typeId, setTypeId] = useState(types[0]?.id ?? "");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const chosen = types.find((t) => t.id === typeId);

  async function submit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    setError(null);
    setFieldErrors({});
    setBusy(true);
    try {
      const r = await uploadImportAction(new FormData(e.currentTarget));
      if (!r.ok) {
        setError(r.error);
        setFieldErrors(r.fieldErrors ?? {});
        return;
      }
      router.push(`/licenses/import?id=${r.data.id}`);
    } catch {
      setError(NETWORK_ERROR);
    } finally {
      setBusy(false);
    }
  }

  if (types.length === 0)
    return <div className="alert warn">本部门的发证清单上没有可签发的证照类型，不能导入。请联系目录管理员维护发证清单。</div>;

  return (
    <form onSubmit={(e) => void submit(e)} noValidate data-testid="import-upload-form">
      {error && (
        <div className="alert error" role="alert">
          {error}
        </div>
      )}
      <fieldset disabled={busy} style={{ border: 0, padding: 0, margin: 0 }}>
        <div className="toolbar" style={{ alignItems: "flex-end", flexWrap: "wrap", gap: 12 }}>
          <label className="field" style={{ minWidth: 260 }}>
            <span>
              证照类型<i className="req">*</i>
            </span>
            <select name="typeId" value={typeId} onChange={(e) => setTypeId(e.target.value)} data-testid="import-type" aria-invalid={!!fieldErrors.typeId}>
              {types.map((t) => (
                <option key={t.id} value={t.id}>
                  {t.name}（{t.typeCode}）
                </option>
              ))}
            </select>
            <em className="err" style={{ fontStyle: "normal" }}>
              {fieldErrors.typeId ?? (chosen && !chosen.hasSeal ? "本部门尚无绑定到该类型的有效印章，导入时将无法签章" : "")}
            </em>
          </label>
          <label className="field">
            <span>
              默认业务办结时间<i className="req">*</i>
            </span>
            <input type="datetime-local" name="businessCompletedAt" defaultValue={defaultCompletedAt} data-testid="import-completed-at" aria-invalid={!!fieldErrors.businessCompletedAt} />
            <em className="err" style={{ fontStyle: "normal" }}>
              {fieldErrors.businessCompletedAt ?? "文件中该列留空的行使用此时间"}
            </em>
          </label>
          <label className="field">
            <span>
              文件（CSV 或 XLSX）<i className="req">*</i>
            </span>
            <input type="file" name="file" accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" data-testid="import-file" aria-invalid={!!fieldErrors.file} />
            <em className="err" role={fieldErrors.file ? "alert" : undefined} style={{ fontStyle: "normal" }}>
              {fieldErrors.file ?? ""}
            </em>
          </label>
          <div className="field">
            <span>&nbsp;</span>
            <div className="toolbar" style={{ margin: 0 }}>
              <button className="btn primary" type="submit" data-testid="import-upload">
                {busy ? "正在上传…" : "上传并预检"}
              </button>
              {typeId && (
                <a className="btn" href={`/api/licenses/import/template?typeId=${typeId}`} data-testid="import-template">
                  下载导入模板
                </a>
              )}
            </div>
            <em className="err">&nbsp;</em>
          </div>
        </div>
      </fieldset>
    </form>
  );
}
