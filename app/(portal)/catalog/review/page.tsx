import Link from "next/link";
import { pageActor } from "@/lib/auth/page";
import { first, type SearchParams } from "@/lib/pagination";
import { reviewQueue } from "@/lib/catalog/queries";
import { DiffView } from "../diff-view";
import { beijing } from "../labels";
import { ReviewButtons } from "./review-buttons";

const DONE: Record<string, string> = { release: "已发布，该版本即可用于签发证照。", return: "已退回，版本回到草稿，由提出部门修改后重新提交。" };

export default async function ReviewPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const actor = await pageActor("catalog.manage");
  const done = first(await searchParams, "done");
  const q = await reviewQueue(actor);
  return (
    <>
      <h1>目录审核</h1>
      {done && DONE[done] && (
        <div className="alert ok" role="status">
          {DONE[done]}
        </div>
      )}
      {!q.reviewer ? (
        <div className="card">
          <p style={{ margin: 0 }}>
            证照类型由管理部门的目录管理员审核发布。您提出的证照类型提交审核后，可在<Link href="/catalog?state=UNDER_REVIEW">证照目录</Link>中查看审核状态。
          </p>
        </div>
      ) : q.rows.length === 0 ? (
        <div className="card">
          <p className="muted" style={{ margin: 0 }}>暂无待审核的证照类型。</p>
        </div>
      ) : (
        <>
          <p className="muted" style={{ marginTop: -8 }}>
            共 {q.rows.length} 项待审核{q.more ? "（仅显示最早提交的 200 项）" : ""}。下表列出与当前发布版本相比的变化；新类型列出全部内容。
          </p>
          {q.rows.map((r) => (
            <section key={r.typeId} className="card" data-testid="review-item" aria-label={r.name}>
              <div style={{ display: "flex", flexWrap: "wrap", gap: 12, alignItems: "baseline", justifyContent: "space-between" }}>
                <h2 style={{ margin: 0 }}>
                  <Link href={`/catalog/${r.typeId}`}>{r.name}</Link>{" "}
                  <span className="mono" style={{ fontWeight: "normal" }}>{r.typeCode}</span>{" "}
                  <span className="badge warn">第 {r.versionNumber} 版 审核中</span>
                  {r.releasedVersion ? <span className="badge">对比第 {r.releasedVersion} 版</span> : <span className="badge info">新类型</span>}
                </h2>
                <ReviewButtons typeId={r.typeId} name={r.name} />
              </div>
              <p className="muted" style={{ margin: "6px 0 10px" }}>
                {r.ownerDeptName} · 提交人 {r.submittedBy ?? "-"} · {beijing(r.submittedAt)}
              </p>
              <DiffView diff={r.diff} names={q.names} />
            </section>
          ))}
        </>
      )}
    </>
  );
}
