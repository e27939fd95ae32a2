// 访问日志 (A-01, V-01): each verification and use of a licence, as supervisors read them — the rows
// of the licences of their departments and the uses their departments made (provincial: all). The
// dashboard's use and verification figures link here (?kind=…&channel=…&dept=…&from=…&to=…).
// Read-only; keyset pages (first / previous / next) so a deep page costs what the first one does.
import Link from "next/link";
import { pageActor } from "@/lib/auth/page";
import { flat, PAGE_SIZES, type SearchParams } from "@/lib/pagination";
import { USE_SCENARIOS } from "@/lib/catalog/dictionaries";
import { t } from "@/lib/i18n/zh-CN";
import { QueryForm } from "@/components/ui/query-form";
import { fmtTime } from "@/components/ui/fmt";
import {
  ACCESS_CHANNEL_LABELS,
  ACCESS_CHANNELS,
  ACCESS_COUNT_LIMIT,
  ACCESS_KIND_LABELS,
  ACCESS_KINDS,
  accessLogDeptOptions,
  accessLogFilter,
  listAccessLog,
  type AccessLogFilter,
} from "@/lib/supervision/access-log-queries";

export const dynamic = "force-dynamic";

const FILTER_KEYS = ["kind", "channel", "scenario", "ok", "dept", "userDept", "region", "from", "to", "pageSize"] as const;

function href(f: AccessLogFilter, patch: { after?: string; before?: string }): string {
  const sp = new URLSearchParams();
  for (const k of FILTER_KEYS) {
    const v = f[k];
    if (v !== undefined && v !== "" && !(k === "pageSize" && v === 20)) sp.set(k, String(v));
  }
  if (patch.after) sp.set("after", patch.after);
  if (patch.before) sp.set("before", patch.before);
  const q = sp.toString();
  return `/supervision/access-log${q ? `?${q}` : ""}`;
}

export default async function AccessLogPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const actor = await pageActor("supervision.read");
  const f = accessLogFilter.parse(flat(await searchParams));
  const [data, depts] = await Promise.all([listAccessLog(actor, f), accessLogDeptOptions(actor)]);
  const deptOptions = depts.map((d) => (
    <option key={d.id} value={d.id}>
      {"　".repeat(d.depth)}
      {d.name}
    </option>
  ));
  return (
    <>
      <h1>访问日志</h1>
      <div className="card">
        <QueryForm resetHref="/supervision/access-log">
          <label>
            类别
            <select name="kind" defaultValue={f.kind ?? ""}>
              <option value="">{t.common.all}</option>
              {ACCESS_KINDS.map((k) => (
                <option key={k} value={k}>
                  {ACCESS_KIND_LABELS[k]}
                </option>
              ))}
            </select>
          </label>
          <label>
            渠道
            <select name="channel" defaultValue={f.channel ?? ""}>
              <option value="">{t.common.all}</option>
              {ACCESS_CHANNELS.map((c) => (
                <option key={c} value={c}>
                  {ACCESS_CHANNEL_LABELS[c]}
                </option>
              ))}
            </select>
          </label>
          <label>
            用证场景
            <select name="scenario" defaultValue={f.scenario ?? ""}>
              <option value="">{t.common.all}</option>
              {USE_SCENARIOS.map((s) => (
                <option key={s.code} value={s.code}>
                  {s.label}
                </option>
              ))}
            </select>
          </label>
          <label>
            结果
            <select name="ok" defaultValue={f.ok ?? ""}>
              <option value="">{t.common.all}</option>
              <option value="1">成功</option>
              <option value="0">失败</option>
            </select>
          </label>
          <label>
            证照所属部门
            <select name="dept" defaultValue={f.dept ?? ""}>
              <option value="">{t.common.all}</option>
              {deptOptions}
            </select>
          </label>
          <label>
            用证部门
            <select name="userDept" defaultValue={f.userDept ?? ""}>
              <option value="">{t.common.all}</option>
              {deptOptions}
            </select>
          </label>
          <label>
            区域
            <select name="region" defaultValue={f.region ?? ""}>
              <option value="">{t.common.all}</option>
              {deptOptions}
            </select>
          </label>
          <label>
            日期自
            <input type="date" name="from" defaultValue={f.from ?? ""} />
          </label>
          <label>
            至
            <input type="date" name="to" defaultValue={f.to ?? ""} />
          </label>
          <label>
            每页
            <select name="pageSize" defaultValue={String(f.pageSize)} style={{ minWidth: 0 }}>
              {PAGE_SIZES.map((s) => (
                <option key={s} value={s}>
                  {s} 条
                </option>
              ))}
            </select>
          </label>
        </QueryForm>
        <p className="muted" style={{ marginTop: 0 }}>
          记录公众扫码、亮证、凭标识和核验码、上传文件核验电子证照，以及其他部门在平台查看、下载证照（用证）。日志不可修改，保存一年；IP 地址只显示前三段。
        </p>
        <div className="table-scroll">
          <table className="grid" data-testid="access-log-table">
            <thead>
              <tr>
                <th>时间</th>
                <th>类别</th>
                <th>渠道</th>
                <th>用证场景</th>
                <th>电子证照</th>
                <th>证照所属部门</th>
                <th>用证部门</th>
                <th>结果</th>
                <th>失败原因</th>
                <th>IP</th>
              </tr>
            </thead>
            <tbody>
              {data.rows.length === 0 && (
                <tr>
                  <td colSpan={10} className="muted" style={{ textAlign: "center" }}>
                    {t.common.empty}
                  </td>
                </tr>
              )}
              {data.rows.map((r) => (
                <tr key={r.id} data-kind={r.kind} data-channel={r.channel}>
                  <td style={{ whiteSpace: "nowrap" }}>{fmtTime(r.at)}</td>
                  <td>{r.kindLabel}</td>
                  <td style={{ whiteSpace: "nowrap" }}>{r.channelLabel}</td>
                  <td>{r.scenarioLabel}</td>
                  <td className="mono">
                    {r.licence ? r.licence.link ? <Link href={`/licenses/${r.licence.id}`}>{r.licence.identifier}</Link> : r.licence.identifier : ""}
                  </td>
                  <td>{r.issuerDept ?? ""}</td>
                  <td>{r.userDept ?? ""}</td>
                  <td>
                    <span className={`badge ${r.ok ? "ok" : "danger"}`}>{r.ok ? "成功" : "失败"}</span>
                  </td>
                  <td>{r.failureLabel}</td>
                  <td className="mono">{r.ip}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <div className="pager" data-testid="access-log-pager">
          <span>{data.totalCapped ? `超过 ${ACCESS_COUNT_LIMIT.toLocaleString("zh-CN")} 条` : t.common.total(data.total)}</span>
          {data.prev ? (
            <>
              <Link className="btn" href={href(f, {})}>
                首页
              </Link>
              <Link className="btn" href={href(f, { before: data.prev })}>
                {t.common.prev}
              </Link>
            </>
          ) : (
            <>
              <span className="btn" aria-disabled="true">首页</span>
              <span className="btn" aria-disabled="true">{t.common.prev}</span>
            </>
          )}
          {data.next ? (
            <Link className="btn" href={href(f, { after: data.next })}>
              {t.common.next}
            </Link>
          ) : (
            <span className="btn" aria-disabled="true">{t.common.next}</span>
          )}
        </div>
      </div>
    </>
  );
}
