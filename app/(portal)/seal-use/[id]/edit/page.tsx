import { notFound, redirect } from "next/navigation";
import { pageActor } from "@/lib/auth/page";
import { requestDetail, sealsForRequest } from "@/lib/seal-use/queries";
import { shanghaiDate } from "@/lib/calendar/working-days";
import { isUuid } from "@/app/api/seals/guard";
import { AppError } from "@/lib/errors";
import { RequestForm } from "../../request-form";

export default async function EditRequestPage({ params }: { params: Promise<{ id: string }> }) {
  const actor = await pageActor("seal.apply");
  const { id } = await params;
  if (!isUuid(id)) notFound();
  const d = await requestDetail(actor, id).catch((e: unknown) => {
    if (e instanceof AppError && e.code === "NOT_FOUND") notFound();
    throw e;
  });
  if (!d.can.edit) redirect(`/seal-use/${id}`);
  const seals = await sealsForRequest(actor);
  const current = seals.some((s) => s.id === d.seal.id) ? seals : [...seals, { id: d.seal.id, label: d.seal.name, useMode: d.seal.useMode, validEnd: null, hasFlow: true }];
  return (
    <>
      <h1>{d.request.status === "REJECTED" ? "修改并重新提交" : "编辑草稿"}：{d.request.number}</h1>
      <div className="card">
        <RequestForm
          seals={current}
          defaultValidUntil={shanghaiDate(new Date(d.request.validUntil))}
          existing={{
            id: d.request.id,
            version: d.request.version,
            sealId: d.seal.id,
            reason: d.request.reason,
            count: d.request.count,
            validUntil: shanghaiDate(new Date(d.request.validUntil)),
            remarks: d.request.remarks ?? "",
            documents: d.documents.filter((x) => !x.removedAt).map((x) => ({ id: x.id, filename: x.filename, size: x.size })),
          }}
        />
      </div>
    </>
  );
}
