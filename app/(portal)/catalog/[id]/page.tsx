import { forbidden, notFound } from "next/navigation";
import { z } from "zod";
import { pageActor } from "@/lib/auth/page";
import { hasPermission } from "@/lib/auth/permissions";
import { AppError } from "@/lib/errors";
import { canViewCatalog, typeDetail, typeFormOptions, type TypeDetail } from "@/lib/catalog/queries";
import { flat, type SearchParams } from "@/lib/pagination";
import { TypeEditor } from "../_editor/type-editor";
import { DiffView } from "../diff-view";
import { beijing, CHANGE_LABELS, VersionBadge } from "../labels";

const params = z.object({
  tab: z.enum(["basic", "face", "template", "versions", "history"]).catch("basic"),
  done: z.enum(["created", "saved", "submit", "release", "return", "retire"]).optional().catch(undefined),
  v: z.coerce.number().int().min(1).optional().catch(undefined),
});

const DONE: Record<string, (v?: number) => string> = {
  created: () => "已创建证照类型（草稿）。完善后可提交审核。",
  saved: (v) => `已保存${v ? `第 ${v} 版` : ""}草稿。`,
  submit: () => "已提交审核，等待管理部门的目录管理员审核发布。",
  release: () => "已发布，该版本即可用于签发证照。",
  return: () => "已退回修改，版本回到草稿。",
  retire: () => "已停用，不能再签发该类型的证照；历史版本和已签发的证照保留。",
};

function editorState(d: TypeDetail): { state: "draft" | "released" | "readonly"; note?: string } {
  if (d.type.retiredAt) return { state: "readonly", note: `该证照类型已于 ${beijing(d.type.retiredAt).slice(0, 10)} 停用，内容只读。` };
  if (d.latest.status === "UNDER_REVIEW")
    return { state: "readonly", note: `第 ${d.latest.number} 版正在审核中，审核发布或退回前不能修改。${d.can.review ? "请在上方发布或退回。" : ""}` };
  if (d.latest.status === "RELEASED") return { state: "released" };
  if (d.can.edit) return { state: "draft" };
  return { state: "readonly", note: "该证照类型由其他部门提出，您只能查看。" };
}

export default async function TypePage({ params: p, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<SearchParams> }) {
  const actor = await pageActor();
  if (!canViewCatalog(actor)) forbidden();
  const { id } = await p;
  if (!z.string().uuid().safeParse(id).success) notFound();
  const sp = params.parse(flat(await searchParams));
  const d = await typeDetail(actor, id).catch((e: unknown) => {
    if (e instanceof AppError && (e.code === "NOT_FOUND" || e.code === "FORBIDDEN")) notFound();
    throw e;
  });
  const manage = hasPermission(actor, "catalog.manage");
  const options = manage ? await typeFormOptions(actor) : { owners: [], issuing: [], seals: [] };
  const { state, note } = editorState(d);
  const retired = !!d.type.retiredAt;
  const done = sp.done ? DONE[sp.done](sp.v) : null;

  return (
    <>
      <h1>
        {d.type.name}{" "}
        <span className="mono" style={{ fontSize: 14, fontWeight: "normal" }}>
          {d.type.typeCode}
        </span>{" "}
        <VersionBadge status={retired ? "RETIRED" : d.latest.status} />
      </h1>
      {done && (
        <div className="alert ok" role="status">
          {done}
        </div>
      )}
      <div className="card">
        <dl className="kv" style={{ marginBottom: 12 }} data-testid="type-info">
          <dt>提出部门</dt>
          <dd>{d.type.ownerDeptName}</dd>
          <dt>版本</dt>
          <dd>
            最新第 {d.latest.number} 版（<VersionBadge status={retired ? "RETIRED" : d.latest.status} />）
            {d.type.releasedVersion ? `，当前发布第 ${d.type.releasedVersion} 版（用于签发）` : retired ? "" : "，尚未发布"}
          </dd>
          <dt>已签发证照</dt>
          <dd>{d.type.licenceCount} 张{d.type.licenceCount > 0 ? "（该类型只能停用，不能删除）" : ""}</dd>
          {d.latest.reviewComment && d.latest.status === "DRAFT" && (
            <>
              <dt>退回意见</dt>
              <dd style={{ whiteSpace: "pre-wrap", color: "var(--danger)" }}>{d.latest.reviewComment}</dd>
            </>
          )}
        </dl>
        <TypeEditor
          key={`${d.latest.number}:${d.latest.rev}`}
          mode="edit"
          typeId={d.type.id}
          rev={d.latest.rev}
          typeCode={d.type.typeCode}
          ownerDeptId={d.type.ownerDeptId}
          ownerDeptName={d.type.ownerDeptName}
          content={d.latest.content}
          options={options}
          names={{ depts: d.names.depts, seals: d.names.seals }}
          state={state}
          readonlyNote={note}
          latestNumber={d.latest.number}
          can={d.can}
          licenceCount={d.type.licenceCount}
          canPreview={manage}
          initialTab={sp.tab}
          extraTabs={[
            { key: "versions", label: `版本（${d.versions.length}）`, content: <Versions d={d} /> },
            { key: "history", label: "历史", content: <History d={d} /> },
          ]}
        />
      </div>
    </>
  );
}

function Versions({ d }: { d: TypeDetail }) {
  return (
    <table className="grid" data-testid="versions">
      <thead>
        <tr>
          <th>版本</th>
          <th>状态</th>
          <th>创建</th>
          <th>提交审核</th>
          <th>审核</th>
          <th>审核意见</th>
          <th>发布</th>
          <th>停用</th>
        </tr>
      </thead>
      <tbody>
        {d.versions.map((v) => (
          <tr key={v.number} data-version={v.number}>
            <td style={{ whiteSpace: "nowrap" }}>
              第 {v.number} 版{v.number === d.type.releasedVersion && <span className="badge ok">签发用</span>}
            </td>
            <td>
              <VersionBadge status={v.status} />
            </td>
            <td>
              <Who name={v.createdBy} at={v.createdAt} />
            </td>
            <td>
              <Who name={v.submittedBy} at={v.submittedAt} />
            </td>
            <td>
              <Who name={v.reviewedBy} at={v.reviewedAt} />
            </td>
            <td style={{ whiteSpace: "pre-wrap", maxWidth: 260 }}>{v.reviewComment ?? ""}</td>
            <td>{v.releasedAt ? <Who name={v.reviewedBy} at={v.releasedAt} /> : <span className="muted">-</span>}</td>
            <td>{v.retiredAt ? beijing(v.retiredAt) : <span className="muted">-</span>}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Who({ name, at }: { name: string | null; at: string | null }) {
  if (!at) return <span className="muted">-</span>;
  return (
    <span style={{ whiteSpace: "nowrap" }}>
      {name ?? ""}
      <span className="muted" style={{ display: "block", fontSize: 12 }}>
        {beijing(at)}
      </span>
    </span>
  );
}

function History({ d }: { d: TypeDetail }) {
  const names = { depts: d.names.depts, seals: d.names.seals };
  return (
    <>
      <table className="grid" data-testid="history">
        <thead>
          <tr>
            <th style={{ width: 150 }}>时间</th>
            <th style={{ width: 100 }}>操作人</th>
            <th style={{ width: 110 }}>操作</th>
            <th>说明与变更内容</th>
          </tr>
        </thead>
        <tbody>
          {d.history.map((h) => (
            <tr key={h.id} data-change={h.action}>
              <td style={{ whiteSpace: "nowrap" }}>{beijing(h.at)}</td>
              <td>{h.actorName}</td>
              <td style={{ whiteSpace: "nowrap" }}>
                {CHANGE_LABELS[h.action] ?? h.action}
                <span className="muted" style={{ display: "block", fontSize: 12 }}>
                  第 {h.versionNumber} 版
                </span>
              </td>
              <td>
                {h.comment && <div style={{ whiteSpace: "pre-wrap", marginBottom: 4 }}>{h.comment}</div>}
                <DiffView diff={h.diff} names={names} compact />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {d.historyTruncated && <p className="muted">仅显示最近 500 条记录，完整记录见审计日志。</p>}
    </>
  );
}
