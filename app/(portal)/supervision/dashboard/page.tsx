// 监督看板 (V-01): what a provincial or city supervisor opens first. Every figure is a link to the
// filtered list behind it (lib/supervision/dashboard/links.ts); the figures come from the summaries
// rebuilt every 5 minutes, and the page says how fresh each one is.
import Link from "next/link";
import { notFound } from "next/navigation";
import { pageActor } from "@/lib/auth/page";
import { AppError } from "@/lib/errors";
import { departmentOptions } from "@/lib/departments/queries";
import type { SearchParams } from "@/lib/pagination";
import { USE_SCENARIO_LABELS } from "@/lib/catalog/dictionaries";
import { dashboard, FINDING_KINDS, FINDING_LABELS, type Dashboard } from "@/lib/supervision/dashboard/figures";
import { dashboardQuery, type DashboardQuery } from "@/lib/supervision/dashboard/schema";
import { shanghaiDate } from "@/lib/calendar/working-days";
import { mayChangeSettings } from "@/lib/supervision/dashboard/settings";
import { REFRESH_EVERY_MINUTES } from "@/lib/supervision/dashboard/refresh";
import { accessLink, cardLinks, completenessKind, licenceLinks, objectionLinks, qualityLink, settingsHref } from "@/lib/supervision/dashboard/links";
import { TrendChart } from "@/components/charts/trend-chart";
import { DonutChart } from "@/components/charts/donut-chart";
import { FigCard, NumLink, Section } from "./_ui/card";
import { RefreshButton } from "./_ui/refresh-button";
import { ACCESS_CHANNEL_LABELS, isStale, LIST_LABELS, numText, pctText, SYNC_LABELS, timeText } from "./_ui/labels";

const TOP = 10;
const scenarioLabel = (s: string) => (USE_SCENARIO_LABELS as Record<string, string>)[s] ?? s;
const channelLabel = (c: string) => (ACCESS_CHANNEL_LABELS as Record<string, string>)[c] ?? c;

export default async function DashboardPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const actor = await pageActor("supervision.read");
  const q = dashboardQuery(await searchParams);
  let data: Dashboard;
  try {
    data = await dashboard(actor, q);
  } catch (e) {
    if (e instanceof AppError && e.code === "NOT_FOUND") notFound();
    throw e;
  }
  const depts = await departmentOptions(actor, "supervision.read");
  // a city supervisor's lists are limited to its own subtree as the figures are (the objection
  // queue would otherwise also show routed objections its departments raised elsewhere)
  const lq: DashboardQuery = data.scopeAll || q.region ? q : { ...q, region: actor.departmentId };
  const now = new Date();
  const regionName = data.region?.name ?? "全部（本级范围）";
  return (
    <>
      <h1>监督看板</h1>
      <div className="card">
        <form className="query" method="get" role="search" data-testid="dashboard-query">
          <label>
            起始月份
            <input type="month" name="from" defaultValue={q.from} required />
          </label>
          <label>
            截止月份
            <input type="month" name="to" defaultValue={q.to} required />
          </label>
          <label>
            地区（含下级）
            <select name="region" defaultValue={q.region ?? ""}>
              <option value="">全部（本级范围）</option>
              {depts.map((d) => (
                <option key={d.id} value={d.id}>
                  {"　".repeat(d.depth)}
                  {d.name}
                </option>
              ))}
            </select>
          </label>
          <button className="btn primary" type="submit">查询</button>
          <a className="btn" href="/supervision/dashboard">重置</a>
        </form>
        <Freshness data={data} now={now} />
      </div>
      <p className="muted dash-period" data-testid="dashboard-period">
        统计期间 {q.from} 至 {q.to}，范围：{regionName}。点击任一数字查看对应明细。
      </p>
      <LicenceSection d={data} q={lq} />
      <QualitySection d={data} q={lq} />
      <ObjectionSection d={data} q={lq} />
      <SealSection d={data} q={lq} />
      <AccessSection d={data} q={lq} />
      <RankingSection d={data} q={lq} mayChange={mayChangeSettings(actor)} />
    </>
  );
}

function Freshness({ data, now }: { data: Dashboard; now: Date }) {
  return (
    <div className="dash-fresh" data-testid="freshness">
      {data.freshness.map((f) => {
        const stale = isStale(f.refreshedAt, now);
        return (
          <span key={f.name} className={stale ? "stale" : undefined} data-testid={`fresh-${f.name}`}>
            {f.label}：{f.refreshedAt ? `统计数据更新于 ${timeText(f.refreshedAt, now)}（每 ${REFRESH_EVERY_MINUTES} 分钟自动刷新）` : "尚未生成统计，请点击刷新"}
          </span>
        );
      })}
      <RefreshButton />
    </div>
  );
}

type P = { d: Dashboard; q: DashboardQuery };

function LicenceSection({ d, q }: P) {
  const l = d.licences;
  const links = cardLinks(q);
  return (
    <Section id="licences" title="证照汇聚" note="按发证（归集）月份统计；及时率：实时汇聚即时、离线 1 个工作日内、批量 5 个工作日内">
      <div className="dash-cards">
        <FigCard id="fig-licences-issued" label="新发证照" value={numText(l.issued)} href={links["fig-licences-issued"]} />
        <FigCard id="fig-licences-aggregated" label="存量归集" value={numText(l.aggregated)} href={links["fig-licences-aggregated"]} />
        <FigCard
          id="fig-licences-ontime"
          label="汇聚及时率"
          value={pctText(l.onTimePct)}
          href={links["fig-licences-ontime"]}
          sub={`按时 ${numText(l.onTime)} / ${numText(l.issued + l.aggregated)}，点击查看超时证照`}
          tone={l.onTimePct !== null && l.onTimePct < 90 ? "warn" : undefined}
        />
        {l.sync.map((s) => (
          <FigCard key={s.mode} id={`fig-sync-${s.mode}`} label={SYNC_LABELS[s.mode]} value={pctText(s.pct)} href={licenceLinks.sync(q, s.mode)} sub={`按时 ${numText(s.onTime)} / ${numText(s.total)}`} />
        ))}
      </div>
      <div className="dash-split">
        <TrendChart
          title="按月发证、归集与汇聚及时率"
          data={l.byMonth}
          yLabel="证照数"
          series={[
            { key: "issued", name: "新发证照", kind: "bar", stack: "n" },
            { key: "aggregated", name: "存量归集", kind: "bar", stack: "n" },
            { key: "onTimePct", name: "汇聚及时率", kind: "line", axis: "right", color: "#fa541c" },
          ]}
        />
        <div className="table-scroll">
          <table className="grid dash-table" data-testid="licence-depts">
            <thead>
              <tr><th>部门（前 {TOP}）</th><th>新发</th><th>归集</th><th>及时率</th></tr>
            </thead>
            <tbody>
              {l.byDept.length === 0 && (
                <tr><td colSpan={4} className="muted">本期无数据</td></tr>
              )}
              {l.byDept.slice(0, TOP).map((r) => (
                <tr key={r.deptId}>
                  <td><Link href={licenceLinks.dept(q, r.deptId)} prefetch={false}>{r.deptName}</Link></td>
                  <td><NumLink n={r.issued} href={licenceLinks.issued(q, r.deptId)} /></td>
                  <td><NumLink n={r.aggregated} href={licenceLinks.aggregated(q, r.deptId)} /></td>
                  <td><Link href={licenceLinks.late(q, r.deptId)} prefetch={false}>{pctText(r.onTimePct)}</Link></td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </div>
    </Section>
  );
}

function QualitySection({ d, q }: P) {
  const x = d.quality;
  const links = cardLinks(q);
  return (
    <Section id="quality" title="数据质量" note="当前状态（不按期间）">
      <div className="dash-cards">
        {FINDING_KINDS.map((k) => (
          <FigCard key={k} id={`fig-quality-${k}`} label={FINDING_LABELS[k]} value={numText(x.findings[k])} href={links[`fig-quality-${k}`]} tone={x.findings[k] > 0 ? "warn" : "ok"} />
        ))}
        <FigCard id="fig-quality-NO_LIST" label="无发证清单的证照类型" value={numText(x.typesWithoutList.length)} href={links["fig-quality-NO_LIST"]} tone={x.typesWithoutList.length > 0 ? "warn" : "ok"} />
        <FigCard
          id="fig-quality-STALE_LIST"
          label="长期未更新的清单"
          value={numText(x.staleLists.length)}
          href={links["fig-quality-STALE_LIST"]}
          sub={`超过 ${x.staleDays} 天未更新`}
          tone={x.staleLists.length > 0 ? "warn" : "ok"}
        />
      </div>
      {x.byDept.length > 0 && (
        <div className="table-scroll">
          <table className="grid dash-table" data-testid="quality-depts">
            <thead>
              <tr><th>部门（前 {TOP}）</th>{FINDING_KINDS.map((k) => <th key={k}>{FINDING_LABELS[k]}</th>)}</tr>
            </thead>
            <tbody>
              {x.byDept.slice(0, TOP).map((r) => (
                <tr key={r.deptId}>
                  <td>{r.deptName}</td>
                  {FINDING_KINDS.map((k) => (
                    <td key={k}><NumLink n={r.counts[k]} href={qualityLink(q, k, r.deptId)} tone="warn" /></td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {x.staleLists.length > 0 && (
        <details className="dash-details">
          <summary>超过 {x.staleDays} 天未更新的清单（{x.staleLists.length}）</summary>
          <ul>
            {x.staleLists.slice(0, TOP).map((s) => (
              <li key={`${s.deptId}-${s.list}`}>
                <Link href={qualityLink(q, "STALE_LIST", s.deptId)} prefetch={false}>{s.deptName}</Link> · {LIST_LABELS[s.list]} {s.entries} 项 · 最近更新 {s.lastChangedAt ? shanghaiDate(s.lastChangedAt) : "从未"}
              </li>
            ))}
          </ul>
        </details>
      )}
    </Section>
  );
}

function ObjectionSection({ d, q }: P) {
  const o = d.objections;
  const links = cardLinks(q);
  return (
    <Section id="objections" title="异议处理" note="标注时限默认 1 个工作日、办结时限默认 5 个工作日（各地区可另行设置）">
      <div className="dash-cards">
        <FigCard id="fig-objections-received" label="受理异议" value={numText(o.received)} href={links["fig-objections-received"]} />
        <FigCard id="fig-objections-marked" label="按时标注率" value={pctText(o.markedOnTimePct)} href={links["fig-objections-marked"]} />
        <FigCard id="fig-objections-resolved" label="按时办结率" value={pctText(o.resolvedOnTimePct)} href={links["fig-objections-resolved"]} />
        <FigCard id="fig-objections-overdue" label="当前超期" value={numText(o.overdueNow)} href={links["fig-objections-overdue"]} tone={o.overdueNow > 0 ? "danger" : "ok"} sub="点击查看超期异议" />
        <FigCard id="fig-objections-days" label="平均办结用时" value={o.avgWorkingDaysToResolve === null ? "—" : `${o.avgWorkingDaysToResolve} 个工作日`} href={links["fig-objections-days"]} />
      </div>
      <div className="dash-split">
        <TrendChart
          title="按月受理、办结与当前超期"
          data={o.byMonth}
          yLabel="异议数"
          series={[
            { key: "received", name: "受理", kind: "bar" },
            { key: "resolved", name: "办结", kind: "bar" },
            { key: "overdueNow", name: "当前超期", kind: "line", color: "#d4380d" },
          ]}
        />
        <div className="table-scroll">
          <table className="grid dash-table" data-testid="objection-depts">
            <thead>
              <tr><th>部门（前 {TOP}）</th><th>受理</th><th>按时标注</th><th>按时办结</th><th>当前超期</th></tr>
            </thead>
            <tbody>
              {o.byDept.length === 0 && (
                <tr><td colSpan={5} className="muted">本期无数据</td></tr>
              )}
              {o.byDept.slice(0, TOP).map((r) => (
                <tr key={r.deptId}>
                  <td>{r.deptName}</td>
                  <td><NumLink n={r.received} href={objectionLinks.received(q, r.deptId)} /></td>
                  <td>{pctText(r.markedOnTimePct)}</td>
                  <td>{pctText(r.resolvedOnTimePct)}</td>
                  <td><NumLink n={r.overdueNow} href={objectionLinks.overdue(r.deptId)} testId={`obj-overdue-${r.deptId}`} tone="danger" /></td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </div>
    </Section>
  );
}

function SealSection({ d, q }: P) {
  const s = d.seals;
  const u = d.sealUse;
  const links = cardLinks(q);
  const bad = u.unapprovedSignatures;
  return (
    <Section id="seals" title="电子印章与用印">
      <h3>电子印章</h3>
      <div className="dash-cards">
        <FigCard id="fig-seals-active" label="有效印章" value={numText(s.active)} href={links["fig-seals-active"]} />
        <FigCard id="fig-seals-expiring" label="30 天内到期" value={numText(s.expiring30)} href={links["fig-seals-expiring"]} tone={s.expiring30 > 0 ? "warn" : undefined} />
        <FigCard id="fig-seals-filing" label="备案超 24 小时" value={numText(s.filingOverdue)} href={links["fig-seals-filing"]} tone={s.filingOverdue > 0 ? "danger" : "ok"} />
        <FigCard id="fig-seals-cancelled" label="本期注销" value={numText(s.cancelled)} href={links["fig-seals-cancelled"]} />
      </div>
      <h3>用印</h3>
      <div className="dash-cards">
        <FigCard id="fig-sealuse-requests" label="用印申请" value={numText(u.requests)} href={links["fig-sealuse-requests"]} />
        <FigCard id="fig-sealuse-approvals" label="审批通过" value={numText(u.approvals)} href={links["fig-sealuse-approvals"]} />
        <FigCard id="fig-sealuse-signatures" label="签章次数" value={numText(u.signatures)} href={links["fig-sealuse-signatures"]} />
        <FigCard
          id="fig-unapproved-signatures"
          label="无完整审批的签章"
          value={bad === 0 ? "0 — 正常" : `${bad} — 异常`}
          href={links["fig-unapproved-signatures"]}
          tone={bad === 0 ? "ok" : "danger"}
          sub="应始终为 0（全部时间）"
        />
      </div>
      <TrendChart
        title="按月用印申请与签章"
        data={u.byMonth}
        yLabel="次数"
        series={[
          { key: "requests", name: "用印申请", kind: "bar" },
          { key: "signatures", name: "签章", kind: "bar" },
        ]}
      />
    </Section>
  );
}

function AccessSection({ d, q }: P) {
  const a = d.access;
  const links = cardLinks(q);
  return (
    <Section id="access" title="用证与核验" note="来自用证和核验日志">
      <div className="dash-cards">
        <FigCard id="fig-access-verify" label="核验次数" value={numText(a.verify.total)} href={links["fig-access-verify"]} />
        <FigCard id="fig-access-verify-failed" label="核验失败率" value={pctText(a.verify.failurePct)} href={links["fig-access-verify-failed"]} sub={`失败 ${numText(a.verify.failed)} 次`} tone={a.verify.failed > 0 ? "warn" : undefined} />
        <FigCard id="fig-access-use" label="用证次数" value={numText(a.use.total)} href={links["fig-access-use"]} />
        <FigCard id="fig-access-use-failed" label="用证失败率" value={pctText(a.use.failurePct)} href={links["fig-access-use-failed"]} sub={`失败 ${numText(a.use.failed)} 次`} tone={a.use.failed > 0 ? "warn" : undefined} />
      </div>
      <div className="dash-split">
        <TrendChart
          title="按月核验与用证"
          data={a.byMonth}
          yLabel="次数"
          series={[
            { key: "verify", name: "核验", kind: "bar" },
            { key: "use", name: "用证", kind: "bar" },
            { key: "failed", name: "失败", kind: "line", color: "#d4380d" },
          ]}
        />
        <DonutChart title="用证场景分布" data={a.byScenario.map((s) => ({ name: scenarioLabel(s.scenario), value: s.use }))} />
      </div>
      <div className="dash-split">
        <BreakdownTable
          testId="access-scenarios"
          head={["用证场景", "用证", "失败"]}
          rows={a.byScenario.map((x) => ({ key: x.scenario, label: scenarioLabel(x.scenario), n: x.use, failed: x.failed, link: { kind: "USE" as const, scenario: x.scenario } }))}
          q={q}
        />
        <BreakdownTable
          testId="access-channels"
          head={["核验渠道", "核验", "失败"]}
          rows={a.byChannel.map((x) => ({ key: x.channel, label: channelLabel(x.channel), n: x.total, failed: x.failed, link: { kind: "VERIFY" as const, channel: x.channel } }))}
          q={q}
        />
      </div>
      <div className="dash-split">
        <div className="table-scroll">
          <table className="grid dash-table" data-testid="access-depts">
            <thead>
              <tr><th>发证部门（前 {TOP}）</th><th>被核验</th><th>被使用</th><th>失败率</th></tr>
            </thead>
            <tbody>
              {a.byDept.length === 0 && (
                <tr><td colSpan={4} className="muted">本期无数据</td></tr>
              )}
              {a.byDept.slice(0, TOP).map((r) => (
                <tr key={r.deptId}>
                  <td>{r.deptName}</td>
                  <td><NumLink n={r.verify} href={accessLink(q, { kind: "VERIFY", dept: r.deptId })} /></td>
                  <td><NumLink n={r.use} href={accessLink(q, { kind: "USE", dept: r.deptId })} /></td>
                  <td>{r.failed > 0 ? <Link href={accessLink(q, { dept: r.deptId, failed: true })} prefetch={false}>{pctText(r.failurePct)}</Link> : pctText(r.failurePct)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <div className="table-scroll">
          <table className="grid dash-table" data-testid="access-user-depts">
            <thead>
              <tr><th>用证部门（前 {TOP}）</th><th>用证</th><th>失败</th></tr>
            </thead>
            <tbody>
              {a.byUserDept.length === 0 && (
                <tr><td colSpan={3} className="muted">本期无数据</td></tr>
              )}
              {a.byUserDept.slice(0, TOP).map((r) => (
                <tr key={r.deptId}>
                  <td>{r.deptName}</td>
                  <td><NumLink n={r.use} href={accessLink(q, { kind: "USE", userDept: r.deptId })} /></td>
                  <td><NumLink n={r.failed} href={accessLink(q, { kind: "USE", userDept: r.deptId, failed: true })} tone="warn" /></td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </div>
    </Section>
  );
}

/** A breakdown of the access log (by scenario, by channel): each number opens its rows. */
function BreakdownTable({ testId, head, rows, q }: { testId: string; head: [string, string, string]; rows: { key: string; label: string; n: number; failed: number; link: Parameters<typeof accessLink>[1] }[]; q: DashboardQuery }) {
  return (
    <div className="table-scroll">
      <table className="grid dash-table" data-testid={testId}>
        <thead>
          <tr>{head.map((h) => <th key={h}>{h}</th>)}</tr>
        </thead>
        <tbody>
          {rows.length === 0 && (
            <tr><td colSpan={3} className="muted">本期无数据</td></tr>
          )}
          {rows.map((r) => (
            <tr key={r.key}>
              <td>{r.label}</td>
              <td><NumLink n={r.n} href={accessLink(q, r.link)} /></td>
              <td><NumLink n={r.failed} href={accessLink(q, { ...r.link, failed: true })} tone="warn" /></td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function RankingSection({ d, q, mayChange }: P & { mayChange: boolean }) {
  const r = d.ranking;
  return (
    <Section id="ranking" title="部门排名">
      <p className="dash-formula" data-testid="ranking-formula">
        {r.formula}
        {mayChange && (
          <Link className="btn link" href={settingsHref()} data-testid="ranking-settings">
            调整权重
          </Link>
        )}
      </p>
      <div className="table-scroll">
        <table className="grid dash-table" data-testid="ranking">
          <thead>
            <tr><th>名次</th><th>部门</th><th>证照总量（当前）</th><th>汇聚及时率（本期）</th><th>数据完整率（当前）</th><th>异议按时办理率（本期）</th><th style={{ minWidth: 160 }}>综合得分</th></tr>
          </thead>
          <tbody>
            {r.rows.length === 0 && (
              <tr><td colSpan={7} className="muted">本期无数据</td></tr>
            )}
            {r.rows.map((x) => (
              <tr key={x.deptId}>
                <td>{x.rank ?? "—"}</td>
                <td><Link href={licenceLinks.dept(q, x.deptId)} prefetch={false}>{x.deptName}</Link></td>
                <td>{numText(x.licences)}</td>
                <td><Link href={licenceLinks.late(q, x.deptId)} prefetch={false}>{pctText(x.timeliness)}</Link></td>
                <td>{x.completeness === null ? "—" : <Link href={qualityLink(q, completenessKind(d.quality.byDept.find((b) => b.deptId === x.deptId)?.counts), x.deptId)} prefetch={false}>{pctText(x.completeness)}</Link>}</td>
                <td>{x.objections === null ? "—" : <Link href={objectionLinks.received(q, x.deptId)} prefetch={false}>{pctText(x.objections)}</Link>}</td>
                <td>
                  {x.score === null ? (
                    <span className="muted" title="本期没有签发证照，也没有到期的异议，不参与排名">本期无业务</span>
                  ) : (
                    <span className="dash-score">
                      <span className="dash-bar" style={{ width: `${Math.max(0, Math.min(100, x.score))}%` }} />
                      <b>{x.score}</b>
                    </span>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </Section>
  );
}
