// 下达整改通知 (V-02): for supervisors (supervision.manage), to a department in their scope.
// ?dept=<id>&category=<C>&evidence=objection:<id>,licence:<id> prefills the form (the dashboard's "issue an
// order about these overdue objections"); values that do not parse are dropped.
import { pageActor } from "@/lib/auth/page";
import { departmentWhere } from "@/lib/auth/permissions";
import { db } from "@/lib/db";
import { flat, type SearchParams } from "@/lib/pagination";
import { orderPrefill } from "@/lib/supervision/rectification-schema";
import { IssueOrderForm } from "./issue-form";

export default async function NewOrderPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const actor = await pageActor("supervision.manage");
  const sp = flat(await searchParams);
  const prefill = orderPrefill({ dept: sp.dept, evidence: sp.evidence, category: sp.category });
  const depts = await db().department.findMany({
    where: { AND: [departmentWhere(actor, "supervision.manage"), { status: "ACTIVE" }, { id: { not: actor.departmentId } }] },
    select: { id: true, name: true },
    orderBy: [{ path: "asc" }],
    take: 2000,
  });
  const deptId = depts.some((d) => d.id === prefill.deptId) ? prefill.deptId : "";
  return (
    <>
      <h1>下达整改通知</h1>
      <div className="card">
        <p className="muted" style={{ marginTop: 0 }}>
          依据《四川省电子证照管理办法》第二十条、《许昌市电子证照管理办法》第三十一条，对未按规定履行电子证照管理职责的部门责令限期整改。整改期限按工作日计算，下达后通知该部门的经办人员。
        </p>
        <IssueOrderForm depts={depts} defaults={{ deptId, category: prefill.category, evidence: deptId ? prefill.evidence.map((e) => ({ ...e, label: "" })) : [] }} />
      </div>
    </>
  );
}
