"use client";
import { useState } from "react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { fmtTime } from "@/components/ui/fmt";
import { t } from "@/lib/i18n/zh-CN";
import { startReviewAction } from "../actions";
import { SealStatusBadge } from "../seal-badges";

export type ReviewRow = {
  id: string;
  name: string;
  kindLabel: string;
  holderDeptName: string;
  status: string;
  createdAt: string;
  materials: number;
  reviewer: string;
};

export function ReviewTable({ rows }: { rows: ReviewRow[] }) {
  const router = useRouter();
  const [busy, setBusy] = useState<string | null>(null);
  const [msg, setMsg] = useState<{ ok: boolean; text: string } | null>(null);

  async function accept(r: ReviewRow) {
    setBusy(r.id);
    const res = await startReviewAction({ sealId: r.id });
    setBusy(null);
    setMsg(res.ok ? { ok: true, text: `已受理「${r.name}」，请在详情页审核` } : { ok: false, text: res.error });
    router.refresh();
  }

  return (
    <>
      {msg && <div className={`alert ${msg.ok ? "ok" : "error"}`} role="status">{msg.text}</div>}
      <table className="grid" data-testid="seal-review-table">
        <thead>
          <tr>
            <th>印章名称</th>
            <th>类型</th>
            <th>申请部门</th>
            <th>证明材料</th>
            <th>申请时间</th>
            <th>状态</th>
            <th>{t.common.actions}</th>
          </tr>
        </thead>
        <tbody>
          {rows.length === 0 && (
            <tr>
              <td colSpan={7} className="muted" style={{ textAlign: "center" }}>
                暂无待审核的申请
              </td>
            </tr>
          )}
          {rows.map((r) => (
            <tr key={r.id}>
              <td>{r.name}</td>
              <td>{r.kindLabel}</td>
              <td>{r.holderDeptName}</td>
              <td>{r.materials} 个</td>
              <td>{fmtTime(r.createdAt)}</td>
              <td>
                <SealStatusBadge status={r.status} />
                {r.reviewer && <span className="muted" style={{ fontSize: 12 }}>受理人：{r.reviewer}</span>}
              </td>
              <td>
                <div className="actions">
                  {r.status === "APPLIED" && (
                    <button className="btn link" type="button" disabled={busy === r.id} onClick={() => void accept(r)}>
                      受理
                    </button>
                  )}
                  <Link className="btn link" href={`/seals/${r.id}`}>
                    {r.status === "UNDER_REVIEW" ? "审核" : "查看"}
                  </Link>
                </div>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
