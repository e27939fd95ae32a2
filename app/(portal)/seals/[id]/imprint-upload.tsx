"use client";
import { useState } from "react";
import { useRouter } from "next/navigation";
import { Modal } from "@/components/ui/modal";
import { uploadImprintAction } from "../actions";

/** S-03: use the filed imprint (PNG) instead of the generated standard picture. */
export function ImprintUpload({ sealId, hasImprint }: { sealId: string; hasImprint: boolean }) {
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  return (
    <div className="card">
      <span className="muted">{hasImprint ? "已上传备案印模，制作时将使用该印模。" : "默认按规范生成标准印模；如需使用已备案的实物印模，可上传其 PNG 扫描件。"}</span>{" "}
      <button className="btn" type="button" onClick={() => setOpen(true)}>{hasImprint ? "重新上传备案印模" : "上传备案印模"}</button>
      {open && (
        <Modal title="上传备案印模" onClose={() => setOpen(false)}>
          <form
            onSubmit={async (e) => {
              e.preventDefault();
              setBusy(true);
              setError(null);
              const fd = new FormData(e.currentTarget);
              fd.set("sealId", sealId);
              const r = await uploadImprintAction(fd);
              setBusy(false);
              if (!r.ok) {
                setError(r.error);
                setErrors(r.fieldErrors ?? {});
                return;
              }
              setOpen(false);
              router.refresh();
            }}
          >
            {error && <div className="alert error" role="alert">{error}</div>}
            <fieldset disabled={busy} style={{ border: 0, padding: 0, margin: 0 }}>
              <div className="form">
                <label className="field full">
                  <span>印模图片（PNG，不超过 2 MB）<i className="req">*</i></span>
                  <input type="file" name="imprint" accept="image/png" />
                  <em className="err" style={{ fontStyle: "normal" }}>{errors.imprint ?? ""}</em>
                </label>
                <label className="field">
                  <span>宽度（毫米）<i className="req">*</i></span>
                  <input type="number" name="widthMm" defaultValue={42} />
                  <em className="err" style={{ fontStyle: "normal" }}>{errors.widthMm ?? ""}</em>
                </label>
                <label className="field">
                  <span>高度（毫米）<i className="req">*</i></span>
                  <input type="number" name="heightMm" defaultValue={42} />
                  <em className="err" style={{ fontStyle: "normal" }}>{errors.heightMm ?? ""}</em>
                </label>
              </div>
              <div className="foot">
                <button className="btn" type="button" onClick={() => setOpen(false)}>取消</button>
                <button className="btn primary" type="submit">{busy ? "正在上传…" : "上传"}</button>
              </div>
            </fieldset>
          </form>
        </Modal>
      )}
    </div>
  );
}
