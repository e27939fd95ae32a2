import { redirect } from "next/navigation";
import { z } from "zod";
import { pageActor } from "@/lib/auth/page";
import { departmentOptions } from "@/lib/departments/queries";
import { flowTargets } from "@/lib/seal-use/flows";
import { SEAL_KINDS } from "@/lib/seals/kinds";
import { flat, type SearchParams } from "@/lib/pagination";
import { FlowEditor } from "../flow-editor";

/** Other pages may link here with the target chosen: ?dept=…&kind=… or ?dept=…&seal=… */
const preset = z.object({
  dept: z.string().uuid().optional().catch(undefined),
  kind: z.enum(SEAL_KINDS).optional().catch(undefined),
  seal: z.string().uuid().optional().catch(undefined),
});

export default async function NewFlowPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const actor = await pageActor("seal.flow");
  const q = preset.parse(flat(await searchParams));
  const depts = (await departmentOptions(actor, "seal.flow")).map((d) => ({ id: d.id, name: d.name, depth: d.depth, disabled: d.status !== "ACTIVE" }));
  const selectable = depts.filter((d) => !d.disabled);
  const deptId = selectable.find((d) => d.id === q.dept)?.id ?? (selectable.length === 1 ? selectable[0].id : "");
  const targets = deptId ? await flowTargets(actor, deptId) : null;
  const seal = q.seal ? targets?.seals.find((s) => s.id === q.seal) : undefined;
  // the target already has a flow: edit that one instead of failing on save
  const existing = seal?.flowId ?? (q.kind && !seal ? targets?.defaultFlows[q.kind] : undefined);
  if (existing) redirect(`/seal-use/flows/${existing}`);
  return (
    <>
      <h1>新建用印审批流程</h1>
      <div className="card">
        {selectable.length === 0 ? (
          <div className="alert warn">您没有可设置用印审批流程的部门。</div>
        ) : (
          <FlowEditor
            departments={depts}
            initial={{
              holderDeptId: deptId,
              sealKind: seal ? null : (q.kind ?? null),
              sealId: seal?.id ?? null,
              name: "",
              steps: [{ name: "", mode: "ANY", approvers: [] }],
              note: "",
              baseVersion: 0,
            }}
            targets={targets}
            names={{}}
          />
        )}
      </div>
    </>
  );
}
