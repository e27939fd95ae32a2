import { pageActor } from "@/lib/auth/page";
import { sealsForRequest } from "@/lib/seal-use/queries";
import { shanghaiDate } from "@/lib/calendar/working-days";
import { RequestForm } from "../request-form";

export default async function NewRequestPage() {
  const actor = await pageActor("seal.apply");
  const seals = await sealsForRequest(actor);
  const week = shanghaiDate(new Date(Date.now() + 7 * 86_400_000));
  return (
    <>
      <h1>新建用印申请</h1>
      <div className="card">
        {seals.length === 0 ? <p className="muted">您所在部门没有已启用的电子印章。</p> : <RequestForm seals={seals} defaultValidUntil={week} />}
      </div>
    </>
  );
}
