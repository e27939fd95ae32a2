// 抽查详情 (V-03): the sample per department with the source to compare against, result entry,
// figures, the seed, and the reproduction.
import Link from "next/link";
import { notFound } from "next/navigation";
import { pageActor } from "@/lib/auth/page";
import { AppError } from "@/lib/errors";
import { fmtTime } from "@/components/ui/fmt";
import { getSpotCheck, type SpotCheckDetail } from "@/lib/supervision/spot-checks";
import { SPOT_CHECK_KIND_LABELS, SPOT_CHECK_STATUS_LABELS, SPOT_RESULT_LABELS, type SpotCheckStatus } from "@/lib/supervision/spot-checks-schema";
import { pct } from "@/lib/supervision/spot-checks-schema";
import { CloseSpotCheck, RecordItem } from "./item-actions";

export default async function SpotCheckPage({ params }: { params: Promise<{ id: string }> }) {
  const actor = await pageActor("supervision.read");
  const { id } = await params;
  let c: SpotCheckDetail;
  try {
    c = await getSpotCheck(actor, id);
  } catch (e) {
    if (e instanceof AppError && e.code === "NOT_FOUND") notFound();
    throw e;
  }
  const unchecked = c.items.filter((i) => !i.result).length;
  return (
    <>
      <h1>抽查 {c.number}</h1>
      <div className="card">
        <p>
          抽查对象：{SPOT_CHECK_KIND_LABELS[c.kind]}　状态：{SPOT_CHECK_STATUS_LABELS[c.status as SpotCheckStatus] ?? c.status}　每部门抽取：{c.perDept}　发起：{c.createdByName}（{fmtTime(c.createdAt)}）
        </p>
        <p>
          抽样截止：{fmtTime(c.asOf)}　期间起始：{c.periodFrom ? fmtTime(c.periodFrom) : "不限"}
        </p>
        <p>
          随机种子：<code className="mono" data-testid="seed">{c.seed}</code>　<Link href={`/supervision/spot-checks/${c.id}/reproduce`}>按种子复现</Link>
        </p>
        {c.summary && <p>抽查结论：{c.summary}</p>}
        {c.canManage && <CloseSpotCheck id={c.id} rev={c.rev} unchecked={unchecked} />}
      </div>
      <div className="card">
        <h2>各部门情况</h2>
        <table className="grid" data-testid="figures">
          <thead>
            <tr><th>部门</th><th>抽取</th><th>已检查</th><th>合格</th><th>不合格</th><th>合格率</th></tr>
          </thead>
          <tbody>
            {c.figures.map((f) => (
              <tr key={f.deptId}><td>{f.deptName}</td><td>{f.sampled}</td><td>{f.checked}</td><td>{f.passed}</td><td>{f.failed}</td><td>{pct(f.passRate)}</td></tr>
            ))}
          </tbody>
        </table>
      </div>
      {c.depts.map((d) => {
        const items = c.items.filter((i) => i.deptId === d.id);
        return (
          <div className="card" key={d.id}>
            <h2>{d.name}</h2>
            {!items.length ? (
              <p className="muted">该部门在抽查期间内没有可抽取的记录。</p>
            ) : (
              <table className="grid">
                <thead>
                  <tr><th>序号</th><th>抽查对象（请与源数据核对）</th><th>结果</th><th>检查发现</th><th /></tr>
                </thead>
                <tbody>
                  {items.map((i) => (
                    <tr key={i.id}>
                      <td>{i.ordinal}</td>
                      <td>
                        {i.target.kind === "LICENCE" && (
                          <>
                            <Link href={i.target.href}>{i.target.name}</Link> {i.target.licenceNumber}
                            <div className="muted">持证主体：{i.target.holder}（{i.target.holderCode}）　状态：{i.target.status}　签发：{fmtTime(i.target.issuedAt)}</div>
                          </>
                        )}
                        {i.target.kind === "SEAL_USE" && (
                          <>
                            <Link href={i.target.href}>{i.target.sealName}</Link> {i.target.requestNumber}
                            <div className="muted">文件：{i.target.documentName}　盖章：{fmtTime(i.target.signedAt)}　经办：{i.target.operatorName}</div>
                          </>
                        )}
                        {i.target.kind === "MISSING" && <span className="muted">源记录不存在（{i.target.id}）</span>}
                      </td>
                      <td>{i.result ? SPOT_RESULT_LABELS[i.result] : "未检查"}</td>
                      <td style={{ maxWidth: 320, whiteSpace: "pre-wrap" }}>{i.findings ?? ""}</td>
                      <td>{c.canManage && <RecordItem itemId={i.id} rev={i.rev} result={i.result} findings={i.findings ?? ""} />}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </div>
        );
      })}
    </>
  );
}
