// 发起抽查 (V-03): departments within the supervisor's scope only.
import { pageActor } from "@/lib/auth/page";
import { spotCheckDeptOptions } from "@/lib/supervision/spot-checks";
import { NewSpotCheckForm } from "./new-form";

export default async function NewSpotCheckPage() {
  const actor = await pageActor("supervision.manage");
  const depts = await spotCheckDeptOptions(actor);
  return (
    <>
      <h1>发起抽查</h1>
      <div className="card">
        <NewSpotCheckForm depts={depts} />
      </div>
    </>
  );
}
