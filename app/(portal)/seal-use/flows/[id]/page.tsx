import Link from "next/link";
import { forbidden, notFound } from "next/navigation";
import { z } from "zod";
import { pageActor } from "@/lib/auth/page";
import { AppError } from "@/lib/errors";
import { flowDetail, flowTargets } from "@/lib/seal-use/flows";
import type { ApproverRef } from "@/lib/seal-use/schema";
import { MODE_LABELS } from "@/lib/seal-use/labels";
import { SEAL_KIND_LABELS } from "@/lib/seals/kinds";
import { flat, type SearchParams } from "@/lib/pagination";
import { fmtTime } from "@/components/ui/fmt";
import { t } from "@/lib/i18n/zh-CN";
import { FlowEditor } from "../flow-editor";

const savedParam = z.object({ saved: z.coerce.number().int().min(1).optional().catch(undefined) });

async function load(id: string) {
  const actor = await pageActor("seal.flow");
  if (!z.string().uuid().safeParse(id).success) notFound();
  try {
    const d = await flowDetail(actor, id);
    return { d, targets: await flowTargets(actor, d.flow.holderDeptId) };
  } catch (e) {
    if (e instanceof AppError && e.code === "NOT_FOUND") notFound();
    if (e instanceof AppError && e.code === "FORBIDDEN") forbidden();
    throw e;
  }
}

function approverLabel(a: ApproverRef, names: Record<string, string>): string {
  if (a.type === "USER") return names[a.userId] ?? "（用户不存在）";
  return `${names[a.departmentId] ?? "（部门不存在）"}的${t.roles[a.role]}（角色）`;
}

export default async function FlowDetailPage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<SearchParams> }) {
  const { d, targets } = await load((await params).id);
  const { saved } = savedParam.parse(flat(await searchParams));
  const { flow, versions, names } = d;
  const current = versions.find((v) => v.number === flow.currentVersion) ?? versions[0];
  const target = flow.seal ? `指定印章：${flow.seal.name}（${flow.seal.esId ?? "未赋码"}）` : `部门默认：${SEAL_KIND_LABELS[flow.sealKind!]}`;
  return (
    <>
      <h1>
        {flow.name} <span className="badge info">第 {flow.currentVersion} 版</span>
      </h1>
      <p style={{ marginTop: -8 }}>
        <Link href="/seal-use/flows">返回流程列表</Link>
      </p>
      {saved && saved === flow.currentVersion && (
        <div className="alert ok" role="status">
          已保存为第 {saved} 版。
        </div>
      )}

      <div className="card">
        <h2>修改流程</h2>
        <p className="muted" style={{ marginTop: 0 }}>保存后生成第 {flow.currentVersion + 1} 版；已提交的用印申请仍按提交时的版本审批。</p>
        <FlowEditor
          key={flow.currentVersion}
          fixed={{ deptName: flow.holderDept.name, target, distributed: flow.seal?.useMode === "DISTRIBUTED" }}
          initial={{
            holderDeptId: flow.holderDeptId,
            sealKind: flow.sealKind,
            sealId: flow.sealId,
            name: flow.name,
            steps: current?.steps ?? [],
            note: "",
            baseVersion: flow.currentVersion,
          }}
          targets={targets}
          names={names}
        />
      </div>

      <div className="card">
        <h2>版本历史</h2>
        {versions.map((v) => (
          <section key={v.number} style={{ marginBottom: 16 }} aria-label={`第 ${v.number} 版`}>
            <h3 style={{ fontSize: 14, margin: "0 0 6px" }}>
              第 {v.number} 版 {v.number === flow.currentVersion && <span className="badge ok">当前</span>}
              <span className="muted" style={{ fontWeight: "normal", marginLeft: 8 }}>
                {v.createdByName} · {fmtTime(v.createdAt)}
              </span>
            </h3>
            {v.note && <p style={{ margin: "0 0 6px" }}>修改说明：{v.note}</p>}
            <table className="grid" data-testid={`flow-version-${v.number}`}>
              <thead>
                <tr>
                  <th style={{ width: 60 }}>步骤</th>
                  <th>环节名称</th>
                  <th>审批方式</th>
                  <th>审批人</th>
                </tr>
              </thead>
              <tbody>
                {v.steps.map((s, i) => (
                  <tr key={i}>
                    <td>{i + 1}</td>
                    <td>{s.name}</td>
                    <td>{MODE_LABELS[s.mode]}</td>
                    <td>
                      {s.approvers.map((a, j) => (
                        <div key={j}>{approverLabel(a, names)}</div>
                      ))}
                    </td>
                  </tr>
                ))}
                <tr>
                  <td className="muted">最后</td>
                  <td className="muted">保管人确认</td>
                  <td className="muted">或签</td>
                  <td className="muted">{flow.seal?.useMode === "DISTRIBUTED" ? "该印章为分散式用印，不追加此步" : "集中用印的印章自动追加，由该印章的保管人确认"}</td>
                </tr>
              </tbody>
            </table>
          </section>
        ))}
      </div>
    </>
  );
}
