import Link from "next/link";
import { z } from "zod";
import { pageActor } from "@/lib/auth/page";
import { listFlows } from "@/lib/seal-use/flows";
import { departmentOptions } from "@/lib/departments/queries";
import { flat, pageQuery, type SearchParams } from "@/lib/pagination";
import { QueryForm } from "@/components/ui/query-form";
import { DeptFilter } from "@/components/ui/dept-filter";
import { FlowsTable } from "./flows-table";

const flowFilter = pageQuery.extend({ dept: z.string().uuid().optional().catch(undefined) });

/** The department and everything under it, from the tree-ordered options (children follow their parent, deeper). */
function subtree(depts: { id: string; depth: number }[], id: string): Set<string> {
  const at = depts.findIndex((d) => d.id === id);
  if (at < 0) return new Set();
  const out = new Set([id]);
  for (let i = at + 1; i < depts.length && depts[i].depth > depts[at].depth; i++) out.add(depts[i].id);
  return out;
}

export default async function FlowsPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const actor = await pageActor("seal.flow");
  const f = flowFilter.parse(flat(await searchParams));
  const [all, depts] = await Promise.all([listFlows(actor), departmentOptions(actor, "seal.flow")]);
  const within = f.dept ? subtree(depts, f.dept) : null;
  const rows = within ? all.filter((r) => within.has(r.deptId)) : all;
  const page = Math.min(f.page, Math.max(1, Math.ceil(rows.length / f.pageSize)));
  const data = { rows: rows.slice((page - 1) * f.pageSize, page * f.pageSize), total: rows.length, page, pageSize: f.pageSize };
  return (
    <>
      <h1>用印审批流程</h1>
      <div className="card">
        <QueryForm resetHref="/seal-use/flows">
          <DeptFilter label="部门（含下级）" value={f.dept} depts={depts} />
        </QueryForm>
        <div className="toolbar">
          <Link className="btn primary" href="/seal-use/flows/new">新建流程</Link>
        </div>
        <p className="muted" style={{ marginTop: 0 }}>
          用印时先使用该印章的专用流程，没有专用流程的，使用其持有部门为该印章类型设置的默认流程；每次修改都保存为新版本，已提交的用印申请仍按提交时的版本审批。
        </p>
        <FlowsTable data={data} />
      </div>
    </>
  );
}
