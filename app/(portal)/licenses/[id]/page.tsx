// 证照详情 (L-08, U-02): face (sensitive values and the holder code masked), status and pledge, the
// signature check, downloads, the version chain and the lifecycle timeline; the actions this viewer
// may take. Loaded through the viewer's scope: anyone else gets "not found".
import Link from "next/link";
import { notFound } from "next/navigation";
import { z } from "zod";
import { pageActor } from "@/lib/auth/page";
import { AppError } from "@/lib/errors";
import { chineseDate } from "@/lib/catalog/face-fields";
import { licenceDetail } from "@/lib/licenses/detail";
import { checkStoredSignature, LICENCE_CHECK_TITLES } from "@/lib/licenses/verify";
import { LICENCE_STATUS_LABELS, type LicenceStatusName } from "@/lib/licenses/lifecycle-schema";
import { flat, type SearchParams } from "@/lib/pagination";
import { recordPortalUse } from "@/lib/supervision/access-log-record";
import { fmtTime } from "@/components/ui/fmt";
import { LicenceStatusBadge } from "./status-badge";
import { LifecycleActions } from "./lifecycle-actions";
import { ObjectionPanel } from "./objection-panel";

const DONE: Record<string, string> = {
  issued: "证照已签发并加盖电子印章。",
  change: "已变更：这是新版本的证照，原证照已撤销（由本版本替代）。",
  renew: "已延续：这是新版本的证照，原证照已撤销（由本版本替代）。",
};
const ORIGIN_LABELS: Record<string, string> = { ISSUE: "签发", BULK: "存量导入", CHANGE: "变更", RENEW: "延续" };
const SYNC_LABELS: Record<string, string> = { ONLINE: "实时汇聚", OFFLINE: "离线汇聚", BULK: "批量汇聚" };
const query = z.object({ issued: z.literal("1").optional().catch(undefined), done: z.enum(["change", "renew"]).optional().catch(undefined) });

const day = (s: string | null) => (s ? chineseDate(s) : "");
const statusText = (s: string | null) => (s ? (LICENCE_STATUS_LABELS[s as LicenceStatusName] ?? s) : "");

export default async function LicencePage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<SearchParams> }) {
  const actor = await pageActor();
  const { id } = await params;
  if (!z.string().uuid().safeParse(id).success) notFound();
  const d = await licenceDetail(actor, id).catch(async (e: unknown) => {
    if (e instanceof AppError && (e.code === "NOT_FOUND" || e.code === "FORBIDDEN")) {
      await recordPortalUse(actor, id, "PORTAL", "VIEW", false);
      notFound();
    }
    throw e;
  });
  // a use by another department (A-01, V-01); the issuer's and supervisors' own views are not recorded
  await recordPortalUse(actor, d.id, "PORTAL", "VIEW", true);
  const sp = query.parse(flat(await searchParams));
  const done = sp.done ? DONE[sp.done] : sp.issued ? DONE.issued : null;
  const check = await checkStoredSignature(d.id);
  const live = d.status === "VALID" || d.status === "SUSPENDED";
  const activePledge = d.pledges.find((x) => x.active);

  return (
    <>
      <h1>
        {d.name} <LicenceStatusBadge status={d.status} />
        {d.restricted && <span className="badge warn">质押中</span>}
        {d.openObjections > 0 && (
          <span className="badge danger" data-testid="objection-badge">
            异议中
          </span>
        )}
      </h1>
      <ObjectionPanel actor={actor} licenceId={d.id} openObjections={d.openObjections} />
      {done && (
        <div className="alert ok" role="status">
          {done}
        </div>
      )}
      {d.status !== "VALID" && d.statusReason && (
        <div className={`alert ${d.status === "SUSPENDED" ? "warn" : "error"}`} role="status" data-testid="status-note">
          {statusText(d.status)}
          {d.statusChangedAt ? `（${fmtTime(d.statusChangedAt)}）` : ""}：{d.statusReason}
        </div>
      )}
      {activePledge && (
        <div className="alert warn" role="status">
          质押中：质权人 {activePledge.pledgee}，{day(activePledge.startsOn)} 至 {day(activePledge.endsOn)}。
        </div>
      )}

      <LifecycleActions licenceId={d.id} rev={d.rev} can={d.can} showCode={d.mayDownload && live} revokeQr={d.asIssuer && d.status !== "ANNULLED" && d.status !== "REVOKED" && d.status !== "CANCELLED"} />

      <div className="card">
        <h2>基本信息</h2>
        <dl className="kv" data-testid="licence-info">
          <dt>电子证照标识</dt>
          <dd className="mono">{d.identifier}</dd>
          <dt>证照编号</dt>
          <dd className="mono">{d.licenceNumber}</dd>
          <dt>证照类型</dt>
          <dd>
            {d.name}（<span className="mono">{d.typeCode}</span>，目录第 {d.typeVersion} 版）
          </dd>
          <dt>版本</dt>
          <dd>
            {String(d.version).padStart(3, "0")}（{ORIGIN_LABELS[d.origin] ?? d.origin}）
          </dd>
          <dt>发证部门</dt>
          <dd>
            {d.issuer}（<span className="mono">{d.issuerCode}</span>，属地 {d.areaCode}）
          </dd>
          {d.originalIssuer && (
            <>
              <dt>原发证部门</dt>
              <dd>{d.originalIssuer}（部门撤并后由现发证部门承接）</dd>
            </>
          )}
          <dt>持证主体</dt>
          <dd>
            {d.holder.name}（{d.holder.category}）
          </dd>
          <dt>{d.holder.codeType}</dt>
          <dd className="mono" data-testid="holder-code">
            {d.holder.codeMasked}
          </dd>
          {d.holder.contactMasked && (
            <>
              <dt>联系电话</dt>
              <dd className="mono">{d.holder.contactMasked}</dd>
            </>
          )}
          {d.matter && (
            <>
              <dt>关联事项</dt>
              <dd>{d.matter}</dd>
            </>
          )}
          <dt>有效期</dt>
          <dd>
            {day(d.validFrom)} 至 {d.validTo ? day(d.validTo) : "长期"}
            {d.validity ? `（${d.validity}）` : ""}
          </dd>
          <dt>签发时间</dt>
          <dd>{fmtTime(d.issuedAt)}</dd>
          <dt>业务办结时间</dt>
          <dd>
            {fmtTime(d.businessCompletedAt)}（{SYNC_LABELS[d.syncMode] ?? d.syncMode}，汇聚于 {fmtTime(d.syncedAt)}
            {d.syncDelayDays > 0 ? `，迟延 ${d.syncDelayDays} 个工作日` : ""}）
          </dd>
          {d.incident && (
            <>
              <dt>应急补办</dt>
              <dd>
                {d.incident.title}
                {d.incident.completeDueAt ? `（补办截止 ${fmtTime(d.incident.completeDueAt)}）` : ""}
              </dd>
            </>
          )}
        </dl>
      </div>

      <div className="card">
        <h2>照面信息</h2>
        <dl className="kv" data-testid="licence-face">
          {d.face.map((f) => (
            <div key={f.key} style={{ display: "contents" }}>
              <dt>{f.label}</dt>
              <dd style={{ whiteSpace: "pre-wrap" }}>
                {f.value}
                {f.sensitive && f.value && <span className="muted">（已脱敏）</span>}
              </dd>
            </div>
          ))}
        </dl>
      </div>

      <div className="card" data-testid="signature">
        <h2>电子签章</h2>
        <dl className="kv" style={{ marginBottom: 12 }}>
          <dt>签章印章</dt>
          <dd>
            {d.seal ? `${d.seal.name}${d.seal.esId ? `（${d.seal.esId}）` : ""}` : "未签章"}
            {d.seal && !d.seal.ownDept && <span className="badge warn">原发证部门印章，待重新签章</span>}
          </dd>
          <dt>签章时间</dt>
          <dd>{d.signedAt ? fmtTime(d.signedAt) : ""}</dd>
          <dt>数据摘要（SM3）</dt>
          <dd className="mono" style={{ wordBreak: "break-all" }}>
            {d.canonicalSm3}
          </dd>
          <dt>核验码</dt>
          <dd className="mono" data-testid="verify-code">{d.verifyCode}</dd>
          <dt>扫码核验地址</dt>
          <dd className="mono" style={{ wordBreak: "break-all" }}>
            <a href={d.printedUrl} target="_blank" rel="noreferrer" data-testid="printed-url">
              {d.printedUrl}
            </a>
          </dd>
          <dt>验签结果</dt>
          <dd>
            <span className={`badge ${check.ok ? "ok" : "danger"}`} data-testid="signature-result">
              {check.ok ? "签名有效" : "签名无效"}
            </span>
          </dd>
        </dl>
        <table className="grid">
          <thead>
            <tr>
              <th>检查项</th>
              <th>结果</th>
              <th>说明</th>
            </tr>
          </thead>
          <tbody>
            {check.checks.map((c) => (
              <tr key={c.key}>
                <td>{LICENCE_CHECK_TITLES[c.key] ?? c.key}</td>
                <td>
                  <span className={`badge ${c.ok ? "ok" : "danger"}`}>{c.ok ? "通过" : "未通过"}</span>
                </td>
                <td>{c.message}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {d.mayDownload && (
          <div className="toolbar" style={{ marginTop: 12, marginBottom: 0 }}>
            <a className="btn" href={`/api/licenses/${d.id}/file`} download>
              下载证照文件（PDF）
            </a>
            <a className="btn" href={`/api/licenses/${d.id}/signature`} download>
              下载签名数据（.ses）
            </a>
            <Link className="btn link" href="/verify">
              去验证
            </Link>
          </div>
        )}
      </div>

      {d.pledges.length > 0 && (
        <div className="card" data-testid="pledges">
          <h2>质押记录</h2>
          <table className="grid">
            <thead>
              <tr>
                <th>质权人</th>
                <th>期限</th>
                <th>备注</th>
                <th>登记时间</th>
                <th>状态</th>
              </tr>
            </thead>
            <tbody>
              {d.pledges.map((x) => (
                <tr key={x.id}>
                  <td>{x.pledgee}</td>
                  <td>
                    {day(x.startsOn)} 至 {day(x.endsOn)}
                  </td>
                  <td>{x.note}</td>
                  <td>{fmtTime(x.createdAt)}</td>
                  <td>{x.active ? <span className="badge warn">质押中</span> : <span className="badge">已解除 {x.releasedAt ? fmtTime(x.releasedAt) : ""}</span>}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      <div className="card" data-testid="version-chain">
        <h2>版本</h2>
        <table className="grid">
          <thead>
            <tr>
              <th>版本</th>
              <th>电子证照标识</th>
              <th>来源</th>
              <th>签发时间</th>
              <th>状态</th>
            </tr>
          </thead>
          <tbody>
            {d.chain.map((v) => (
              <tr key={v.id} aria-current={v.current ? "true" : undefined} style={v.current ? { background: "#ecf5ff", fontWeight: 600 } : undefined}>
                <td>
                  {String(v.version).padStart(3, "0")}
                  {v.current && "（本证照）"}
                </td>
                <td className="mono">{v.current ? v.identifier : <Link href={`/licenses/${v.id}`}>{v.identifier}</Link>}</td>
                <td>{ORIGIN_LABELS[v.origin] ?? v.origin}</td>
                <td>{fmtTime(v.issuedAt)}</td>
                <td>
                  <LicenceStatusBadge status={v.status} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>

      <div className="card">
        <h2>生命周期记录</h2>
        <table className="grid" data-testid="timeline">
          <thead>
            <tr>
              <th>时间</th>
              <th>操作</th>
              <th>状态</th>
              <th>原因与说明</th>
              <th>操作人</th>
            </tr>
          </thead>
          <tbody>
            {d.timeline.map((e) => (
              <tr key={e.id} data-kind={e.kind}>
                <td>{fmtTime(e.at)}</td>
                <td>{e.label}</td>
                <td>{e.fromStatus || e.toStatus ? `${e.fromStatus ? `${statusText(e.fromStatus)} → ` : ""}${statusText(e.toStatus)}` : ""}</td>
                <td style={{ whiteSpace: "pre-wrap" }}>{[e.reason, e.text, e.note].filter(Boolean).join("\n")}</td>
                <td>
                  {e.actorName}
                  {e.deptName && <span className="muted">（{e.deptName}）</span>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
