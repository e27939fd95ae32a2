import Link from "next/link";
import { forbidden, notFound } from "next/navigation";
import { z } from "zod";
import { pageActor } from "@/lib/auth/page";
import { can } from "@/lib/auth/permissions";
import { AppError } from "@/lib/errors";
import { db } from "@/lib/db";
import { sealDetail } from "@/lib/seals/queries";
import { SEAL_TRANSITIONS } from "@/lib/seals/service";
import { CANCEL_REASONS, REPLACE_REASONS, renewalWindowOpens, sealKindLabel, USE_MODE_LABELS } from "@/lib/seals/kinds";
import { fmtTime } from "@/components/ui/fmt";
import { sealViewPermission } from "@/lib/seals/access";
import { SealStatusBadge, fmtDate, fmtSize } from "../seal-badges";
import { SealActions, type SealActionFlags } from "./seal-actions";
import { CustodianEditor } from "./custodian-editor";
import { ImprintUpload } from "./imprint-upload";
import { custodianCandidates } from "@/lib/seals/service";

const EVENT_LABELS: Record<string, string> = {
  apply: "提交申请",
  replaceOf: "由原印章更换生成",
  protectionChange: "修改保护口令",
  protectionReset: "重置保护口令",
  custodians: "设置管理员与保管人",
  imprint: "上传备案印模",
  ...Object.fromEntries(Object.entries(SEAL_TRANSITIONS).map(([k, v]) => [k, v.label])),
};
const PURPOSE_LABELS: Record<string, string> = { APPLY: "申请材料", RESET: "口令重置证明", IMPRINT: "备案印模" };
const FILING_LABELS: Record<string, [string, string]> = { PENDING: ["待备案", "info"], FILED: ["已备案", "ok"], FAILED: ["失败，等待重试", "danger"] };
const REASON_LABELS: Record<string, string> = { ...REPLACE_REASONS, ...CANCEL_REASONS };
const ACTIVE_OR_PRODUCED = ["ACTIVE", "PRODUCED"];

const from = (a: keyof typeof SEAL_TRANSITIONS, status: string) => (SEAL_TRANSITIONS[a].from as readonly string[]).includes(status);

async function load(id: string) {
  const actor = await pageActor();
  if (!sealViewPermission(actor)) forbidden();
  if (!z.string().uuid().safeParse(id).success) notFound();
  try {
    const s = await sealDetail(actor, id);
    if (!s) notFound();
    return { actor, s };
  } catch (e) {
    if (e instanceof AppError && e.code === "NOT_FOUND") notFound();
    if (e instanceof AppError && e.code === "FORBIDDEN") forbidden();
    throw e;
  }
}

export default async function SealDetailPage({ params }: { params: Promise<{ id: string }> }) {
  const { actor, s } = await load((await params).id);
  const now = new Date();
  const target = { id: s.holderDept.id, path: s.holderDept.path };
  const maker = can(actor, "seal.make", target);
  const holder = can(actor, "seal.apply", target);
  const distributed = s.useMode === "DISTRIBUTED";
  const renewOpens = s.validEnd ? renewalWindowOpens(s.validEnd) : null;
  const inRenewWindow = s.status === "ACTIVE" && !!renewOpens && now >= renewOpens;
  const flags: SealActionFlags = {
    startReview: maker && from("startReview", s.status),
    reject: maker && from("reject", s.status),
    produce: maker && from("produce", s.status),
    cancel: maker && from("cancel", s.status),
    replace: maker && from("replace", s.status),
    renew: (maker || holder) && inRenewWindow,
    changeProtection: holder && distributed && s.hasProtection && ACTIVE_OR_PRODUCED.includes(s.status),
    resetProtection: maker && distributed && ACTIVE_OR_PRODUCED.includes(s.status),
  };
  const filingOverdue = s.status === "PRODUCED" && !!s.fileDueAt && s.fileDueAt < now;
  const expired = s.status === "ACTIVE" && !!s.validEnd && s.validEnd < now;
  const expiringSoon = s.status === "ACTIVE" && !expired && !!s.validEnd && s.validEnd.getTime() - now.getTime() <= 30 * 86_400_000;

  const personIds = [...new Set([s.administratorId, ...s.custodians.map((c) => c.userId)].filter((x): x is string => !!x))];
  const people = personIds.length ? await db().user.findMany({ where: { id: { in: personIds } }, select: { id: true, name: true, username: true } }) : [];
  const person = (id: string | null) => {
    const p = people.find((u) => u.id === id);
    return p ? `${p.name}（${p.username}）` : "";
  };
  const canEditCustodians = holder && !["CANCELLED", "REJECTED"].includes(s.status);
  const candidates = canEditCustodians ? await custodianCandidates(actor, s.id) : [];
  const api = `/api/seals/${s.id}`;
  const picture = s.pictureSvg ? `data:image/svg+xml;base64,${Buffer.from(s.pictureSvg, "utf8").toString("base64")}` : s.hasPng ? `${api}/picture` : null;

  return (
    <>
      <h1>
        {s.name} <SealStatusBadge status={s.status} filingOverdue={filingOverdue} expiringSoon={expiringSoon} expired={expired} />
      </h1>
      <p style={{ marginTop: -8 }}>
        <Link href="/seals">返回印章列表</Link>
        {maker && (
          <>
            {" · "}
            <Link href="/seals/review">制章审核</Link>
          </>
        )}
      </p>

      {s.status === "REJECTED" && <div className="alert error">申请已驳回：{s.rejectReason}</div>}
      {s.status === "CANCELLED" && (
        <div className="alert warn">
          印章已于 {fmtTime(s.cancelledAt?.toISOString() ?? "")} 注销（{REASON_LABELS[s.cancelReason ?? ""] ?? s.cancelReason}
          {s.cancelReasonText ? `：${s.cancelReasonText}` : ""}），不能再用于签章；注销前所签文件仍可验证为“签章时有效”。
        </div>
      )}
      {filingOverdue && <div className="alert error">制作数据未在 24 小时内完成备案（期限 {fmtTime(s.fileDueAt!.toISOString())}），系统仍在重试。</div>}
      {expired && <div className="alert error">印章已于 {fmtTime(s.validEnd!.toISOString())} 超过有效期，不能再签章{maker ? "；可办理延期" : "，请联系印章制作单位办理延期"}。</div>}
      {expiringSoon && (
        <div className="alert warn">
          印章将于 {fmtDate(s.validEnd!.toISOString())} 到期，{inRenewWindow ? "现可办理延期" : `${fmtDate(renewOpens!.toISOString())} 起可办理延期`}
          {maker ? "。" : "，请联系印章制作单位办理。"}
        </div>
      )}

      <SealActions
        seal={{ id: s.id, name: s.name, esId: s.esId ?? "", distributed, validEnd: s.validEnd?.toISOString() ?? "", renewAsHolder: !maker && holder }}
        can={flags}
        renewHint={maker && s.status === "ACTIVE" && !inRenewWindow && renewOpens ? `延期自 ${fmtDate(renewOpens.toISOString())} 起可办理` : null}
      />
      {maker && s.status === "UNDER_REVIEW" && <ImprintUpload sealId={s.id} hasImprint={!s.pictureSvg && s.hasPng} />}

      <div className="card">
        <h2>基本信息</h2>
        <div style={{ display: "flex", gap: 24, alignItems: "flex-start", flexWrap: "wrap" }}>
          <div style={{ width: 180, textAlign: "center" }}>
            {picture ? (
              <>
                {/* eslint-disable-next-line @next/next/no-img-element -- our own generated SVG as a data URI; next/image adds nothing here */}
                <img src={picture} alt={`${s.name} 印模`} width={170} height={s.pictureWidthMm && s.pictureHeightMm ? Math.round((170 * s.pictureHeightMm) / s.pictureWidthMm) : 170} data-testid="seal-picture" />
                <div className="muted" style={{ fontSize: 12 }}>
                  {s.pictureWidthMm} × {s.pictureHeightMm} mm
                </div>
              </>
            ) : (
              <div className="muted" style={{ border: "1px dashed var(--border)", borderRadius: 4, padding: "60px 0" }}>
                制作后生成印模
              </div>
            )}
          </div>
          <dl className="kv" style={{ flex: 1, minWidth: 320 }}>
            <dt>印章编码</dt>
            <dd>{s.esId ? <span className="mono">{s.esId}</span> : <span className="muted">制作时赋码</span>}</dd>
            <dt>印章名称</dt>
            <dd>{s.name}</dd>
            <dt>印章类型</dt>
            <dd>{sealKindLabel(s.kind, s.businessType, s.positionType)}</dd>
            <dt>持有部门</dt>
            <dd>
              {s.holderDept.name} <span className="mono muted">{s.holderDept.uscc}</span>
            </dd>
            {s.holderPersonName && (
              <>
                <dt>持有人</dt>
                <dd>{s.holderPersonName}</dd>
              </>
            )}
            <dt>实物印章备案号</dt>
            <dd className="mono">{s.physicalRef}</dd>
            <dt>申请事由</dt>
            <dd>{s.applyReason}</dd>
            <dt>申请时间</dt>
            <dd>{fmtTime(s.createdAt.toISOString())}</dd>
            {s.predecessor && (
              <>
                <dt>原印章</dt>
                <dd>
                  <Link href={`/seals/${s.predecessor.id}`}>{s.predecessor.name}</Link> <span className="mono">{s.predecessor.esId}</span>
                </dd>
              </>
            )}
            {s.successors.length > 0 && (
              <>
                <dt>更换后的印章</dt>
                <dd>
                  {s.successors.map((n) => (
                    <div key={n.id}>
                      <Link href={`/seals/${n.id}`}>{n.name}</Link> <span className="mono">{n.esId ?? ""}</span>
                    </div>
                  ))}
                </dd>
              </>
            )}
          </dl>
        </div>
      </div>

      <div className="card">
        <h2>使用模式与保管</h2>
        <dl className="kv">
          <dt>使用模式</dt>
          <dd>{USE_MODE_LABELS[s.useMode]}</dd>
          {distributed && (
            <>
              <dt>保护口令</dt>
              <dd>{s.hasProtection ? `已设置（${fmtTime(s.protectionSetAt?.toISOString() ?? "")}）` : <span className="muted">制作时设置</span>}</dd>
            </>
          )}
          <dt>印章管理员</dt>
          <dd>{person(s.administratorId) || <span className="muted">未指定</span>}</dd>
          <dt>保管人</dt>
          <dd>
            {s.custodians.length === 0 ? (
              <span className="muted">未指定</span>
            ) : (
              s.custodians.map((c) => (
                <div key={c.id}>
                  {person(c.userId) || <span className="muted">（用户不存在）</span>} <span className="muted">自 {fmtDate(c.addedAt.toISOString())}</span>
                </div>
              ))
            )}
          </dd>
        </dl>
        {canEditCustodians && (
          <CustodianEditor sealId={s.id} administratorId={s.administratorId} custodianIds={s.custodians.map((c) => c.userId)} candidates={candidates} />
        )}
      </div>

      <div className="card">
        <h2>有效期与数字证书</h2>
        {!s.certificate ? (
          <p className="muted">印章制作后签发证书。</p>
        ) : (
          <>
            <dl className="kv">
              <dt>有效期</dt>
              <dd>
                {fmtTime(s.validStart?.toISOString() ?? "")} 至 {fmtTime(s.validEnd?.toISOString() ?? "")}
              </dd>
              <dt>证书序列号</dt>
              <dd className="mono">{s.certificate.serial}</dd>
              <dt>证书主题</dt>
              <dd style={{ wordBreak: "break-all" }}>{s.certificate.subject}</dd>
              <dt>证书有效期</dt>
              <dd>
                {fmtTime(s.certificate.notBefore.toISOString())} 至 {fmtTime(s.certificate.notAfter.toISOString())}
              </dd>
              <dt>证书 SM3</dt>
              <dd className="mono" style={{ wordBreak: "break-all" }}>{s.certificate.sm3}</dd>
              {s.pictureSm3 && (
                <>
                  <dt>印模 SM3</dt>
                  <dd className="mono" style={{ wordBreak: "break-all" }}>{s.pictureSm3}</dd>
                </>
              )}
            </dl>
            <div className="toolbar" style={{ marginTop: 12 }}>
              <a className="btn" href={`${api}/certificate`} download>
                下载证书（.cer）
              </a>
              {s.hasSealStructure && (
                <a className="btn" href={`${api}/structure`} download>
                  下载印章数据（.esl）
                </a>
              )}
              {s.hasPng && (
                <a className="btn" href={`${api}/picture`} target="_blank" rel="noopener">
                  印模图片（PNG）
                </a>
              )}
            </div>
          </>
        )}
      </div>

      <div className="card">
        <h2>备案</h2>
        {!s.producedAt ? (
          <p className="muted">印章制作后 24 小时内备案。</p>
        ) : (
          <>
            <dl className="kv">
              <dt>制作时间</dt>
              <dd>{fmtTime(s.producedAt.toISOString())}</dd>
              <dt>备案期限</dt>
              <dd>
                {fmtTime(s.fileDueAt?.toISOString() ?? "")} {filingOverdue && <span className="badge danger">备案超时</span>}
              </dd>
              <dt>备案时间</dt>
              <dd>{s.filedAt ? fmtTime(s.filedAt.toISOString()) : <span className="muted">未备案</span>}</dd>
              <dt>备案号</dt>
              <dd className="mono">{s.filingNumber ?? <span className="muted">-</span>}</dd>
            </dl>
            {s.filings.length > 0 && (
              <table className="grid" style={{ marginTop: 12 }} data-testid="seal-filings">
                <thead>
                  <tr>
                    <th>提交时间</th>
                    <th>状态</th>
                    <th>尝试次数</th>
                    <th>下次重试</th>
                    <th>备案号</th>
                  </tr>
                </thead>
                <tbody>
                  {s.filings.map((f) => (
                    <tr key={f.id}>
                      <td>{fmtTime(f.createdAt.toISOString())}</td>
                      <td>
                        <span className={`badge ${FILING_LABELS[f.status]?.[1] ?? ""}`}>{FILING_LABELS[f.status]?.[0] ?? f.status}</span>
                      </td>
                      <td>{f.attempts}</td>
                      <td>{f.status === "FILED" ? "-" : fmtTime(f.nextTryAt?.toISOString() ?? "")}</td>
                      <td className="mono">{f.filingNumber ?? "-"}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </>
        )}
      </div>

      <div className="card">
        <h2>证明材料</h2>
        <table className="grid" data-testid="seal-materials">
          <thead>
            <tr>
              <th>用途</th>
              <th>文件名</th>
              <th>类型</th>
              <th>大小</th>
              <th>SM3</th>
              <th>上传时间</th>
              <th>操作</th>
            </tr>
          </thead>
          <tbody>
            {s.materials.length === 0 && (
              <tr>
                <td colSpan={7} className="muted" style={{ textAlign: "center" }}>
                  暂无材料
                </td>
              </tr>
            )}
            {s.materials.map((m) => (
              <tr key={m.id}>
                <td>{PURPOSE_LABELS[m.purpose] ?? m.purpose}</td>
                <td>{m.filename}</td>
                <td className="mono">{m.mime}</td>
                <td>{fmtSize(m.size)}</td>
                <td className="mono" title={m.sm3}>
                  {m.sm3.slice(0, 16)}…
                </td>
                <td>{fmtTime(m.createdAt.toISOString())}</td>
                <td>
                  <a className="btn link" href={`${api}/materials/${m.id}`} download>
                    下载
                  </a>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>

      <div className="card">
        <h2>生命周期</h2>
        <table className="grid" data-testid="seal-timeline">
          <thead>
            <tr>
              <th>时间</th>
              <th>事项</th>
              <th>状态变化</th>
              <th>操作人</th>
              <th>原因 / 说明</th>
            </tr>
          </thead>
          <tbody>
            {s.events.map((e) => (
              <tr key={String(e.id)}>
                <td style={{ whiteSpace: "nowrap" }}>{fmtTime(e.at.toISOString())}</td>
                <td>{EVENT_LABELS[e.action] ?? e.action}</td>
                <td>
                  {e.fromStatus && <SealStatusBadge status={e.fromStatus} />}
                  {e.fromStatus && e.toStatus && " → "}
                  {e.toStatus && <SealStatusBadge status={e.toStatus} />}
                </td>
                <td>{e.actorName}</td>
                <td>{e.reason ?? ""}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
