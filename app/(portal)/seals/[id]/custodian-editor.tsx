"use client";
import { useState } from "react";
import { useRouter } from "next/navigation";
import { Modal } from "@/components/ui/modal";
import { setCustodiansAction } from "../actions";

type Candidate = { id: string; label: string; custodian: boolean };

/** P-03 / S-09: the holder department names the seal's administrator and custodians. */
export function CustodianEditor(props: { sealId: string; administratorId: string | null; custodianIds: string[]; candidates: Candidate[] }) {
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const [admin, setAdmin] = useState(props.administratorId ?? "");
  const [chosen, setChosen] = useState<Set<string>>(new Set(props.custodianIds));
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const eligible = props.candidates.filter((c) => c.custodian);
  return (
    <>
      <div className="toolbar" style={{ marginTop: 12, marginBottom: 0 }}>
        <button className="btn" type="button" onClick={() => setOpen(true)}>设置管理员与保管人</button>
      </div>
      {open && (
        <Modal title="设置印章管理员与保管人" onClose={() => setOpen(false)}>
          {error && <div className="alert error" role="alert">{error}</div>}
          <label className="field">
            <span>印章管理员</span>
            <select value={admin} onChange={(e) => setAdmin(e.target.value)} aria-label="印章管理员">
              <option value="">未指定</option>
              {props.candidates.map((c) => <option key={c.id} value={c.id}>{c.label}</option>)}
            </select>
          </label>
          <div className="field" style={{ marginTop: 12 }}>
            <span>保管人（须具有印章保管人角色）</span>
            {eligible.length === 0 && <span className="muted">本部门暂无具有印章保管人角色的用户，请联系安全管理员授权。</span>}
            <div className="checks">
              {eligible.map((c) => (
                <label key={c.id}>
                  <input
                    type="checkbox"
                    checked={chosen.has(c.id)}
                    onChange={(e) => {
                      const next = new Set(chosen);
                      if (e.target.checked) next.add(c.id);
                      else next.delete(c.id);
                      setChosen(next);
                    }}
                  />
                  {c.label}
                </label>
              ))}
            </div>
          </div>
          <div className="foot">
            <button className="btn" type="button" onClick={() => setOpen(false)}>取消</button>
            <button
              className="btn primary"
              type="button"
              disabled={busy}
              onClick={async () => {
                setBusy(true);
                setError(null);
                const r = await setCustodiansAction({ sealId: props.sealId, administratorId: admin || null, custodianIds: [...chosen] });
                setBusy(false);
                if (!r.ok) return setError(r.fieldErrors?.custodianIds ?? r.fieldErrors?.administratorId ?? r.error);
                setOpen(false);
                router.refresh();
              }}
            >
              保存
            </button>
          </div>
        </Modal>
      )}
    </>
  );
}
