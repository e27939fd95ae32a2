// 数据质量问题 (V-01): the rows behind the dashboard's data-quality figures, one tab per kind with
// its count, filtered by department (its subtree) within the supervisor's scope and the
// dashboard's region (?region=, passed through). The licence findings are those of the last
// rebuild of the summaries; the page says when that was.
import Link from "next/link";
import { notFound } from "next/navigation";
import { pageActor } from "@/lib/auth/page";
import { AppError } from "@/lib/errors";
import { flat, type SearchParams } from "@/lib/pagination";
import { dashboardFreshness, REFRESH_EVERY_MINUTES } from "@/lib/supervision/dashboard/refresh";
import { dashboardScope } from "@/lib/supervision/dashboard/figures";
import { QUALITY_KINDS, QUALITY_LABELS, qualityCounts, qualityQuery, qualityRows, qualityScope, type QualityKind } from "@/lib/supervision/quality";
import { QueryForm } from "@/components/ui/query-form";
import { DeptFilter } from "@/components/ui/dept-filter";
import { fmtTime } from "@/components/ui/fmt";
import { FindingsTable, SignaturesTable, StaleListsTable, TypesTable } from "./quality-tables";

async function load<T>(p: Promise<T>): Promise<T> {
  try {
    return await p;
  } catch (e) {
    // a region or department outside the supervisor's scope
    if (e instanceof AppError && e.code === "NOT_FOUND") notFound();
    throw e;
  }
}

const NOTES: Record<QualityKind, string> = {
  FACE_INVALID: "按旧版本发证、照面数据不符合该类型现行发布版本要求的在用证照。",
  EXPIRED_VALID: "有效期已过但状态仍为“有效”的证照（正常情况下由每日到期任务置为已过期）。",
  DUPLICATE_LIVE: "同一持证主体持有多张在用的同类证照，而该类型现行版本规定每个主体限一张。",
  NO_LIST: "已发布、未停用，但范围内没有任何有效发证清单条目的证照类型。",
  STALE_LIST: "有效条目在设定天数内没有任何变更的部门清单。",
  UNAPPROVED_SIGNATURE: "签章时用印申请尚未审批完成的签章记录，应始终为 0。",
};

export default async function QualityPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const actor = await pageActor("supervision.read");
  const q = qualityQuery.parse(flat(await searchParams));
  const [regionScope, scope] = await Promise.all([load(dashboardScope(actor, q.region)), load(qualityScope(actor, q))]);
  const [counts, rows, freshness] = await Promise.all([qualityCounts(scope), qualityRows(scope, q), dashboardFreshness()]);
  const minDepth = Math.min(...regionScope.depts.map((d) => d.path.split("/").filter(Boolean).length));
  const depts = regionScope.depts.map((d) => ({ id: d.id, name: d.name, depth: d.path.split("/").filter(Boolean).length - minDepth }));
  const tabHref = (kind: QualityKind) => `/supervision/quality?${new URLSearchParams([["kind", kind], ...(q.dept ? [["dept", q.dept]] : []), ...(q.region ? [["region", q.region]] : [])]).toString()}`;
  const findings = freshness.find((f) => f.name === "findings");
  const clean = rows.data.total === 0;
  return (
    <>
      <h1>数据质量问题</h1>
      <div className="card">
        <p className="muted" data-testid="quality-freshness">
          {findings?.refreshedAt
            ? `证照数据质量问题按 ${fmtTime(findings.refreshedAt.toISOString())} 的汇总计算（每 ${REFRESH_EVERY_MINUTES} 分钟更新）；清单和用印情况为实时数据。`
            : `证照数据质量问题尚未汇总（每 ${REFRESH_EVERY_MINUTES} 分钟更新）；清单和用印情况为实时数据。`}
          {regionScope.region && ` 区域：${regionScope.region.name}。`}
        </p>
        <nav className="toolbar" aria-label="问题类别" data-testid="quality-tabs">
          {QUALITY_KINDS.map((k) => (
            <Link key={k} className={`btn${q.kind === k ? " primary" : ""}`} href={tabHref(k)} aria-current={q.kind === k ? "page" : undefined} data-testid={`tab-${k}`}>
              {QUALITY_LABELS[k]}{" "}
              <span className={`badge ${counts[k] === 0 ? "ok" : k === "UNAPPROVED_SIGNATURE" ? "danger" : "warn"}`}>{counts[k]}</span>
            </Link>
          ))}
        </nav>
        <QueryForm resetHref={`/supervision/quality?kind=${q.kind}${q.region ? `&region=${q.region}` : ""}`}>
          <label>
            问题类别
            <select name="kind" defaultValue={q.kind}>
              {QUALITY_KINDS.map((k) => (
                <option key={k} value={k}>
                  {QUALITY_LABELS[k]}
                </option>
              ))}
            </select>
          </label>
          <DeptFilter label="部门（含下级）" value={q.dept} depts={depts} />
          {q.region && <input type="hidden" name="region" value={q.region} />}
        </QueryForm>
        <p className="muted">
          {NOTES[q.kind]}
          {rows.kind === "STALE_LIST" && ` 当前设定：${rows.staleDays} 天。`}
        </p>
        {clean && (
          <p data-testid="quality-clean">
            <span className="badge ok">没有发现问题</span>
          </p>
        )}
        {rows.kind === "NO_LIST" ? (
          <TypesTable data={rows.data} />
        ) : rows.kind === "STALE_LIST" ? (
          <StaleListsTable data={rows.data} />
        ) : rows.kind === "UNAPPROVED_SIGNATURE" ? (
          <SignaturesTable data={rows.data} />
        ) : (
          <FindingsTable data={rows.data} />
        )}
      </div>
    </>
  );
}
