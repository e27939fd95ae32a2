import { pageActor } from "@/lib/auth/page";
import { reviewQueue } from "@/lib/seals/queries";
import { sealKindLabel } from "@/lib/seals/kinds";
import { ReviewTable, type ReviewRow } from "./review-table";

export default async function SealReviewPage() {
  const actor = await pageActor("seal.make");
  const queue = await reviewQueue(actor);
  const rows: ReviewRow[] = queue.map((s) => ({
    id: s.id,
    name: s.name,
    kindLabel: sealKindLabel(s.kind, s.businessType),
    holderDeptName: s.holderDept.name,
    status: s.status,
    createdAt: s.createdAt.toISOString(),
    materials: s._count.materials,
    reviewer: !s.reviewerId ? "" : s.reviewerId === actor.userId ? "本人" : "其他审核员",
  }));
  return (
    <>
      <h1>制章审核</h1>
      <div className="card">
        <p className="muted" style={{ marginTop: 0 }}>
          待受理和审核中的电子印章申请（按申请时间先后）。受理后进入审核，在详情页制作或驳回。
        </p>
        <ReviewTable rows={rows} />
      </div>
    </>
  );
}
