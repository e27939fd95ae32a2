"use client";
// The face template's live preview: the server renders a sample licence from the form's current,
// unsaved values with the real face renderer (the same one issued licence files use), about 600 ms
// after the last change; an answer to an older request is dropped.
import { useEffect, useMemo, useRef, useState } from "react";
import { useWatch } from "react-hook-form";
import { PdfPreview } from "@/components/pdf/pdf-preview";
import type { SealOption } from "@/lib/catalog/queries";
import { previewFaceAction } from "../actions";
import type { FormBits } from "./types";

const DEBOUNCE_MS = 600;
/** A portrait page or a card is easier to take in when it is not stretched to the full width. */
const MAX_WIDTH: Record<string, number | undefined> = { PORTRAIT_CERT: 620, CARD: 680 };

function fromBase64(b64: string): Uint8Array {
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

export function FacePreview({
  control,
  typeCode,
  seals,
  issuingInScope,
  active,
}: {
  control: FormBits["control"];
  /** the type code (the form's while creating, the type's afterwards) */
  typeCode: string;
  /** seals the actor may preview with (active seals of issuing departments in scope) */
  seals: SealOption[];
  issuingInScope: Set<string>;
  /** the tab is shown: render only then */
  active: boolean;
}) {
  const [name, faceLayout, faceFields, numberRule, issuingDeptIds, sealIds] = useWatch({
    control,
    name: ["content.name", "content.faceLayout", "content.faceFields", "content.numberRule", "content.issuingDeptIds", "content.sealIds"],
  });
  const [masked, setMasked] = useState(false);
  const [pick, setPick] = useState<string>("");
  const usable = useMemo(() => (sealIds ?? []).map((id) => seals.find((s) => s.id === id)).filter((s): s is SealOption => !!s), [sealIds, seals]);
  const sealId = usable.some((s) => s.id === pick) ? pick : (usable.find((s) => s.hasPicture)?.id ?? usable[0]?.id ?? null);
  const input = useMemo(
    () => ({
      typeCode: (typeCode ?? "").trim().slice(0, 21),
      content: {
        name: String(name ?? "").slice(0, 100),
        faceLayout: faceLayout ?? "PORTRAIT_CERT",
        faceFields: faceFields ?? [],
        numberRule: String(numberRule ?? "").slice(0, 200),
        issuingDeptIds: (issuingDeptIds ?? []).filter((id) => issuingInScope.has(id)),
      },
      sealId,
      masked,
    }),
    [typeCode, name, faceLayout, faceFields, numberRule, issuingDeptIds, issuingInScope, sealId, masked],
  );
  const key = JSON.stringify(input);
  const [result, setResult] = useState<{ key: string; pdf: Uint8Array; skipped: number; numberError: string | null } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const seq = useRef(0);

  useEffect(() => {
    if (!active || result?.key === key) return;
    const mine = ++seq.current;
    const timer = setTimeout(() => {
      setPending(true);
      previewFaceAction(JSON.parse(key)).then(
        (r) => {
          if (mine !== seq.current) return;
          setPending(false);
          if (!r.ok) return setError(r.error);
          setError(null);
          setResult({ key, pdf: fromBase64(r.data.pdf), skipped: r.data.skipped, numberError: r.data.numberError });
        },
        () => {
          if (mine !== seq.current) return;
          setPending(false);
          setError("网络异常，预览未能更新");
        },
      );
    }, DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [key, active, result?.key]);

  const chosenWithoutPicture = usable.find((s) => s.id === sealId && !s.hasPicture);
  return (
    <div data-testid="face-preview">
      <div style={{ display: "flex", flexWrap: "wrap", gap: 12, alignItems: "center", marginBottom: 8 }}>
        <label style={{ display: "flex", gap: 6, alignItems: "center" }}>
          <input type="checkbox" checked={masked} onChange={(e) => setMasked(e.target.checked)} />
          敏感字段脱敏显示（列表、公示样式）
        </label>
        {usable.length > 1 && (
          <label style={{ display: "flex", gap: 6, alignItems: "center" }}>
            预览印章
            <select value={sealId ?? ""} onChange={(e) => setPick(e.target.value)} style={{ minWidth: 0 }}>
              {usable.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.name}·{s.kind}
                  {s.hasPicture ? "" : "（无印模）"}
                </option>
              ))}
            </select>
          </label>
        )}
        <span className="muted" role="status" aria-live="polite">
          {pending ? "正在生成预览…" : result ? "预览为样例数据，与填写同步更新" : ""}
        </span>
      </div>
      {(sealIds ?? []).length === 0 && <div className="alert warn">尚未选择签章印章，预览中不显示印章。</div>}
      {(sealIds ?? []).length > 0 && usable.length === 0 && <div className="alert warn">所选印章不在您的管辖范围内，预览中不显示印章。</div>}
      {chosenWithoutPicture && <div className="alert warn">印章「{chosenWithoutPicture.name}」尚无印模图片，预览中不显示印章。</div>}
      {result && result.skipped > 0 && <div className="alert warn">有 {result.skipped} 个照面字段定义不完整或字段键重复，未显示在预览中。</div>}
      {result?.numberError && <div className="alert warn">编号规则有误（{result.numberError}），预览中不显示证照编号。</div>}
      {error && (
        <div className="alert error" role="alert">
          预览失败：{error}
        </div>
      )}
      <div style={{ maxWidth: MAX_WIDTH[String(faceLayout)] }}>
        {result ? <PdfPreview data={result.pdf} /> : !error && <div className="muted" style={{ padding: 40, textAlign: "center" }}>正在生成预览…</div>}
      </div>
    </div>
  );
}
