"use client";
// Signing (S-12): choose the document and where the seal goes on the page (default bottom right of
// the last page), optionally a riding seal across all pages; the server stamps, signs with the seal's
// key in the key store and archives the result. Only shown to those who may sign this request.
import { useEffect, useRef, useState } from "react";
import { useRouter } from "next/navigation";
import { PositionPicker, type StampPosition } from "@/components/pdf/position-picker";
import { holderSignAction, signAction } from "../actions";

type Doc = { id: string; filename: string; pages: number };
type Props = {
  requestId: string;
  sealId: string;
  documents: Doc[];
  stampWidthPt: number;
  stampHeightPt: number;
  allowed: boolean;
  reason: string | null;
  needsPassword: boolean;
  remaining: number;
};

export function SignPanel(p: Props) {
  const router = useRouter();
  const [docId, setDocId] = useState(p.documents[0]?.id ?? "");
  const [position, setPosition] = useState<StampPosition | null>(null);
  const [riding, setRiding] = useState(false);
  const [password, setPassword] = useState("");
  const [busy, setBusy] = useState(false);
  const [msg, setMsg] = useState<{ ok: boolean; text: string; signatureId?: string } | null>(null);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const doc = p.documents.find((d) => d.id === docId);
  // the result stays in sight: also after the refresh that follows signing, which shrinks the panel
  // (the last approved use signed: no picker any more) and would leave it above the screen
  const msgRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    msgRef.current?.scrollIntoView({ block: "nearest" });
  }, [msg, p.allowed, p.remaining]);

  if (!p.allowed)
    return (
      <div className="card" data-testid="sign-panel">
        <h2>盖章</h2>
        {msg && <div ref={msgRef} className={`alert ${msg.ok ? "ok" : "error"}`} role="status">{msg.text}{msg.signatureId && <SignedLinks id={msg.signatureId} />}</div>}
        <p className="muted" data-testid="sign-blocked">{p.reason}</p>
      </div>
    );

  const sign = async () => {
    if (!doc || !position) return;
    setBusy(true);
    setMsg(null);
    setFieldErrors({});
    const input = { requestId: p.requestId, documentId: doc.id, position, riding, protectionPassword: password };
    let r: Awaited<ReturnType<typeof signAction>>;
    try {
      r = await (p.needsPassword ? holderSignAction(input) : signAction(input));
    } catch {
      setBusy(false);
      setMsg({ ok: false, text: "签章请求失败：网络异常，请刷新后查看结果" });
      return;
    }
    setBusy(false);
    if (r.ok) {
      setMsg({ ok: true, text: `盖章完成：${doc.filename}（已用 ${r.data.usedCount} 次，剩余 ${r.data.remaining} 次）`, signatureId: r.data.signatureId });
      setPassword("");
      router.refresh();
    } else {
      setMsg({ ok: false, text: r.error });
      setFieldErrors(r.fieldErrors ?? {});
    }
  };

  return (
    <div className="card" data-testid="sign-panel">
      <h2>盖章（剩余 {p.remaining} 次）</h2>
      <fieldset disabled={busy} style={{ border: 0, padding: 0, margin: 0 }}>
        <div className="form">
          <label className="field">
            <span>文件<i className="req">*</i></span>
            <select value={docId} onChange={(e) => { setDocId(e.target.value); setPosition(null); }} aria-label="选择要盖章的文件">
              {p.documents.map((d) => (
                <option key={d.id} value={d.id}>{d.filename}（{d.pages} 页）</option>
              ))}
            </select>
            <em className="err" style={{ fontStyle: "normal" }}>{fieldErrors.documentId ?? ""}</em>
          </label>
          <div className="field">
            <span>骑缝章</span>
            <label style={{ display: "flex", flexDirection: "row", gap: 6, alignItems: "center", paddingTop: 6 }}>
              <input type="checkbox" checked={riding} disabled={(doc?.pages ?? 0) < 2} onChange={(e) => setRiding(e.target.checked)} />
              同时在所有页面右侧边缘加盖骑缝章{(doc?.pages ?? 0) < 2 && "（文件只有一页，不适用）"}
            </label>
          </div>
          {p.needsPassword && (
            <label className="field">
              <span>印章保护口令<i className="req">*</i></span>
              <input type="password" value={password} onChange={(e) => setPassword(e.target.value)} autoComplete="off" aria-invalid={!!fieldErrors.protectionPassword} />
              <em className="err" style={{ fontStyle: "normal" }}>{fieldErrors.protectionPassword ?? ""}</em>
            </label>
          )}
          <div className="field full">
            <span>盖章位置（点击页面或拖动印章；方向键微调）</span>
            {doc && (
              <PositionPicker
                key={doc.id}
                src={`/api/seal-use/documents/${doc.id}`}
                pictureSrc={`/api/seals/${p.sealId}/picture`}
                stampWidthPt={p.stampWidthPt}
                stampHeightPt={p.stampHeightPt}
                value={position}
                onChange={setPosition}
                riding={riding}
              />
            )}
            <em className="err" style={{ fontStyle: "normal" }}>{fieldErrors["position.page"] ?? fieldErrors.position ?? ""}</em>
          </div>
        </div>
        <div className="toolbar sticky-actions" style={{ justifyContent: "flex-end" }}>
          <button className="btn primary" type="button" disabled={!position || busy || (p.needsPassword && !password)} onClick={() => void sign()}>
            {busy ? "正在签章…" : "盖章"}
          </button>
        </div>
      </fieldset>
      {/* the result stands next to the button that asked for it */}
      {msg && (
        <div ref={msgRef} className={`alert ${msg.ok ? "ok" : "error"}`} role="status" style={{ marginTop: 12 }}>
          {msg.text}
          {msg.signatureId && <SignedLinks id={msg.signatureId} />}
        </div>
      )}
    </div>
  );
}

function SignedLinks({ id }: { id: string }) {
  return (
    <span style={{ marginLeft: 8 }}>
      <a className="btn link" href={`/api/seal-use/signatures/${id}/pdf`} download>下载签章 PDF</a>
      <a className="btn link" href={`/api/seal-use/signatures/${id}/sig`} download>下载 .sig</a>
    </span>
  );
}
