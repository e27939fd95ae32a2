// 按种子复现 (V-03): recomputes each department's sample from the stored seed, kind, departments,
// N, periodFrom and asOf and compares it with the stored items. A read: nothing is written.
import Link from "next/link";
import { notFound } from "next/navigation";
import { pageActor } from "@/lib/auth/page";
import { AppError } from "@/lib/errors";
import { getSpotCheck, reproduceSpotCheck, type Reproduction } from "@/lib/supervision/spot-checks";

export default async function ReproducePage({ params }: { params: Promise<{ id: string }> }) {
  const actor = await pageActor("supervision.read");
  const { id } = await params;
  let r: Reproduction;
  let number: string;
  let seed: string;
  try {
    const c = await getSpotCheck(actor, id);
    number = c.number;
    seed = c.seed;
    r = await reproduceSpotCheck(actor, id);
  } catch (e) {
    if (e instanceof AppError && e.code === "NOT_FOUND") notFound();
    throw e;
  }
  return (
    <>
      <h1>按种子复现：{number}</h1>
      <div className="card">
        <p>
          随机种子：<code className="mono">{seed}</code>
        </p>
        <div className={`alert ${r.matches ? "ok" : "error"}`} role="status" data-testid="reproduce-result">
          {r.matches ? "复现结果与保存的抽查样本完全一致。" : "复现结果与保存的抽查样本不一致，差异见下。"}
        </div>
        <table className="grid">
          <thead>
            <tr><th>部门</th><th>保存的样本</th><th>复现的样本</th><th>结论</th><th>差异</th></tr>
          </thead>
          <tbody>
            {r.depts.map((d) => (
              <tr key={d.deptId}>
                <td>{d.deptName}</td>
                <td>{d.stored.length}</td>
                <td>{d.recomputed.length}</td>
                <td>{d.same ? "一致" : "不一致"}</td>
                <td className="mono" style={{ fontSize: 12 }}>
                  {d.missing.map((x) => <div key={`m${x}`}>复现中缺少：{x}</div>)}
                  {d.extra.map((x) => <div key={`e${x}`}>复现中多出：{x}</div>)}
                  {d.same || d.missing.length || d.extra.length ? null : "顺序不同"}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <Link href={`/supervision/spot-checks/${id}`}>返回抽查</Link>
      </div>
    </>
  );
}
