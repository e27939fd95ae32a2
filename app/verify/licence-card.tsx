// What anyone may see of a licence (U-06): type, issuer, masked holder, validity, status,
// restriction and objection. A plain component: used by server pages and the upload form alike;
// it receives only the public view (no full holder code ever reaches it).
import type { PublicLicenceView } from "@/lib/licenses/verify";

const TONE: Record<string, { bg: string; border: string; color: string }> = {
  VALID: { bg: "#f0f9eb", border: "#b7eb8f", color: "var(--ok)" },
  SUSPENDED: { bg: "#fdf6ec", border: "#f5dab1", color: "var(--warn)" },
};
const STOPPED = { bg: "#fef0f0", border: "#ffa39e", color: "var(--danger)" };

const dateText = (ymd: string) => {
  const [y, m, d] = ymd.split("-").map(Number);
  return `${y}年${m}月${d}日`;
};

export function LicenceCard({ view, headline }: { view: PublicLicenceView; headline?: string }) {
  const tone = TONE[view.status] ?? STOPPED;
  return (
    <div className="card" data-testid="licence-view" data-status={view.status}>
      <div role="status" style={{ background: tone.bg, border: `1px solid ${tone.border}`, borderRadius: 6, padding: "16px 20px", marginBottom: 16 }}>
        <div style={{ fontSize: 22, fontWeight: 700, color: tone.color }} data-testid="licence-status">
          {view.status === "VALID" ? "✓ " : view.status === "SUSPENDED" ? "! " : "✗ "}
          {headline ?? `证照状态：${view.statusLabel}`}
        </div>
        {headline && <div style={{ marginTop: 6 }}>证照状态：{view.statusLabel}</div>}
        {view.restriction && <div style={{ marginTop: 6, color: "var(--warn)" }}>限制：{view.restriction}</div>}
        {view.successor && (
          <div style={{ marginTop: 6, overflowWrap: "anywhere" }} data-testid="licence-successor">
            现行版本：<span className="mono" style={{ wordBreak: "break-all" }}>{view.successor.identifier}</span>（{view.successor.statusLabel}）
          </div>
        )}
        {view.underObjection && (
          <div style={{ marginTop: 6, color: "var(--warn)" }} data-testid="licence-objection">
            异议中：该证照的信息已被标注异议、正在核查，请以核查结果为准
          </div>
        )}
      </div>
      <dl className="kv">
        <dt>证照名称</dt>
        <dd>{view.name}</dd>
        <dt>证照编号</dt>
        <dd className="mono" style={{ overflowWrap: "anywhere" }}>
          {view.number}
        </dd>
        <dt>持证主体</dt>
        <dd>{view.holderName}</dd>
        <dt>{view.holderCodeType}</dt>
        <dd className="mono">{view.holderCode}</dd>
        <dt>发证机关</dt>
        <dd>
          {view.issuer}
          {view.originalIssuer && <span className="muted">（原发证机关：{view.originalIssuer}）</span>}
        </dd>
        <dt>发证日期</dt>
        <dd>{dateText(view.issuedOn)}</dd>
        <dt>有效期限</dt>
        <dd>
          {dateText(view.validFrom)} 至 {view.validTo ? dateText(view.validTo) : "长期"}
        </dd>
        <dt>电子证照标识</dt>
        <dd className="mono" style={{ wordBreak: "break-all" }}>
          {view.identifier}
        </dd>
      </dl>
      <p className="muted" style={{ marginTop: 12, fontSize: 13 }}>
        持证人对证照信息有异议？<a href={`/objection?identifier=${encodeURIComponent(view.identifier)}`}>提出异议</a>，或 <a href="/objection/lookup">查询异议处理结果</a>
      </p>
    </div>
  );
}
