// 异议详情 (O-01 … O-06): status and both stored deadlines, the licence, the fields in question
// (the value when raised, the value now, the value expected), the description, the evidence, every
// step and escalation, and the actions this reader may take now. Out of scope reads as not found.
import Link from "next/link";
import { notFound } from "next/navigation";
import { z } from "zod";
import { pageActor } from "@/lib/auth/page";
import { hasPermission } from "@/lib/auth/permissions";
import { AppError } from "@/lib/errors";
import { objectionDetail } from "@/lib/objections/queries";
import { fmtTime } from "@/components/ui/fmt";
import { DeadlineCell, ObjectionStatusBadge } from "../_ui/badges";
import { ObjectionActions } from "./objection-actions";

const sizeText = (n: number) => (n >= 1048576 ? `${(n / 1048576).toFixed(1)} MB` : `${Math.max(1, Math.round(n / 1024))} KB`);

export default async function ObjectionPage({ params }: { params: Promise<{ id: string }> }) {
  const actor = await pageActor();
  const { id } = await params;
  if (!z.string().uuid().safeParse(id).success) notFound();
  const d = await objectionDetail(actor, id).catch((e: unknown) => {
    if (e instanceof AppError && (e.code === "NOT_FOUND" || e.code === "FORBIDDEN")) notFound();
    throw e;
  });
  // the licence page is for its issuing department and supervisors; others see the identifier only
  const licenceLink = hasPermission(actor, "licence.issue") || hasPermission(actor, "supervision.read");
  // the region of the deadline settings by name (objectionDetail gives it once the lookup exists)
  const regionName = d.regionName;

  return (
    <>
      <h1>
        异议 <span className="mono" style={{ fontSize: "inherit" }}>{d.number}</span>{" "}
        <span data-testid="objection-status">
          <ObjectionStatusBadge status={d.status} label={d.statusLabel} outcomeLabel={d.outcomeLabel} />
        </span>
        {d.routeStageLabel && <span className="badge info">跨区域：{d.routeStageLabel}</span>}
      </h1>
      {!d.calendarCovered && (
        <div className="alert warn" role="status" data-testid="calendar-warning">
          期限所在年度未导入节假日安排，按周一至周五计算
        </div>
      )}
      {(d.overdue.mark || d.overdue.resolve) && (
        <div className="alert error" role="status">
          {d.overdue.mark ? "已超过标注时限，尚未标注。" : ""}
          {d.overdue.resolve ? "已超过办结时限，尚未办结。" : ""}
        </div>
      )}

      <ObjectionActions id={d.id} rev={d.rev} number={d.number} can={d.can} correctionBlocked={d.correctionBlocked} />

      <div className="card">
        <h2>办理期限</h2>
        <dl className="kv" data-testid="objection-deadlines">
          <dt>收到时间</dt>
          <dd>{fmtTime(d.receivedAt)}</dd>
          <dt>标注时限</dt>
          <dd>
            <DeadlineCell dueAt={d.markDueAt} receivedAt={d.receivedAt} leftMs={d.markLeftMs} halfMs={d.markHalfMs} metAt={d.markedAt} doneText="已标注" testId="mark-deadline" />
          </dd>
          <dt>办结时限</dt>
          <dd>
            <DeadlineCell dueAt={d.resolveDueAt} receivedAt={d.receivedAt} leftMs={d.resolveLeftMs} halfMs={d.resolveHalfMs} metAt={d.resolvedAt} doneText="已办结" testId="resolve-deadline" />
          </dd>
          <dt>期限适用地区</dt>
          <dd>
            {regionName ?? <span className="mono">{d.regionCode}</span>}
            {regionName && <span className="muted mono">（{d.regionCode}）</span>}
          </dd>
          {d.markedAt && (
            <>
              <dt>异议标注</dt>
              <dd>
                {fmtTime(d.markedAt)} {d.markedBy ?? ""}
                {d.markNote ? `：${d.markNote}` : ""}
              </dd>
            </>
          )}
          {d.resolvedAt && (
            <>
              <dt>办结</dt>
              <dd data-testid="objection-result">
                {fmtTime(d.resolvedAt)} {d.resolvedBy ?? ""}：{d.outcomeLabel}
                {d.resolution ? `。${d.resolution}` : ""}
                {d.correctedLicence && (
                  <>
                    {"（新版本 "}
                    {licenceLink ? <Link href={`/licenses/${d.correctedLicence.id}`} className="mono">{d.correctedLicence.identifier}</Link> : <span className="mono">{d.correctedLicence.identifier}</span>}
                    {`，版本 ${String(d.correctedLicence.version).padStart(3, "0")}）`}
                  </>
                )}
              </dd>
            </>
          )}
          {d.withdrawnAt && (
            <>
              <dt>撤回</dt>
              <dd>{fmtTime(d.withdrawnAt)}</dd>
            </>
          )}
        </dl>
      </div>

      <div className="card">
        <h2>证照与提出方</h2>
        <dl className="kv" data-testid="objection-licence">
          <dt>证照</dt>
          <dd>
            {licenceLink ? <Link href={`/licenses/${d.licence.id}`}>{d.licence.name}</Link> : d.licence.name}（版本 {String(d.licence.version).padStart(3, "0")}，{d.licence.statusLabel}）
            {d.licence.underObjection && <span className="badge danger">异议中</span>}
          </dd>
          <dt>电子证照标识</dt>
          <dd className="mono" style={{ wordBreak: "break-all" }}>
            {d.licence.identifier}
          </dd>
          <dt>持证主体</dt>
          <dd>{d.licence.holderName}</dd>
          <dt>发证部门</dt>
          <dd>{d.issuerDept.name}</dd>
          <dt>提出方</dt>
          <dd>
            {d.sourceLabel}：{d.applicant.deptName ? `${d.applicant.deptName} ` : ""}
            {d.applicant.name}
            {d.applicant.contactMasked && <span className="mono">（联系方式 {d.applicant.contactMasked}）</span>}
          </dd>
        </dl>
      </div>

      <div className="card">
        <h2>异议内容</h2>
        <table className="grid" data-testid="objection-fields">
          <thead>
            <tr>
              <th>字段</th>
              <th>提出时的内容</th>
              <th>证照现在的内容</th>
              <th>申请方认为正确的内容</th>
            </tr>
          </thead>
          <tbody>
            {d.fields.map((f) => (
              <tr key={f.key}>
                <td>{f.label}</td>
                <td style={{ whiteSpace: "pre-wrap" }}>{f.submitted}</td>
                <td style={{ whiteSpace: "pre-wrap" }}>{f.current}</td>
                <td style={{ whiteSpace: "pre-wrap" }}>{f.expected}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <h3>异议说明</h3>
        <p style={{ whiteSpace: "pre-wrap" }} data-testid="objection-description">
          {d.description}
        </p>
        <h3>证明材料</h3>
        {d.evidence.length === 0 ? (
          <p className="muted">未提供证明材料</p>
        ) : (
          <ul data-testid="objection-evidence">
            {d.evidence.map((e) => (
              <li key={e.id}>
                <a href={`/api/objections/evidence/${e.id}`} download>
                  {e.fileName}
                </a>{" "}
                <span className="muted">
                  （{sizeText(e.size)}，SM3 <span className="mono">{e.sm3.slice(0, 16)}…</span>）
                </span>
              </li>
            ))}
          </ul>
        )}
      </div>

      {d.escalations.length > 0 && (
        <div className="card">
          <h2>超期督办</h2>
          <table className="grid" data-testid="objection-escalations">
            <thead>
              <tr>
                <th>类型</th>
                <th>时限</th>
                <th>督办部门</th>
                <th>督办时间</th>
              </tr>
            </thead>
            <tbody>
              {d.escalations.map((e) => (
                <tr key={e.kind}>
                  <td>
                    <span className="badge danger">{e.label}</span>
                  </td>
                  <td>{fmtTime(e.dueAt)}</td>
                  <td>{e.toDept ?? ""}</td>
                  <td>{fmtTime(e.createdAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      <div className="card">
        <h2>办理记录</h2>
        <table className="grid" data-testid="objection-timeline">
          <thead>
            <tr>
              <th>时间</th>
              <th>环节</th>
              <th>说明</th>
              <th>办理人</th>
            </tr>
          </thead>
          <tbody>
            {d.events.map((e) => (
              <tr key={e.id} data-kind={e.kind}>
                <td style={{ whiteSpace: "nowrap" }}>{fmtTime(e.at)}</td>
                <td>{e.label}</td>
                <td style={{ whiteSpace: "pre-wrap" }}>{e.note}</td>
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
