import Link from "next/link";
import { notFound } from "next/navigation";
import { pageActor } from "@/lib/auth/page";
import { AppError } from "@/lib/errors";
import { flat, type SearchParams } from "@/lib/pagination";
import { DRY_RUN_TTL_MS, IMPORT_KIND_LABELS, IMPORT_KINDS, IMPORT_MAX_BYTES, IMPORT_MAX_ROWS, importView, recentImports, type ImportKind, type ImportView } from "@/lib/catalog/xlsx";
import { fmtTime } from "@/components/ui/fmt";
import { ImportForm } from "./import-form";
import { ConfirmImport } from "./confirm-import";

const EXPORT: Record<ImportKind, string> = { TYPES: "/api/catalog/export", ISSUANCE: "/api/lists/issuance/export", USE: "/api/lists/use/export" };
const BACK: Record<ImportKind, string> = { TYPES: "/catalog", ISSUANCE: "/lists/issuance", USE: "/lists/use" };
const OP_LABELS = { create: "新增", update: "修改", unchanged: "无变化" } as const;

/** XLSX import of types and lists: upload → dry run with a row-by-row report → confirm (all or nothing). */
export default async function ImportPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const actor = await pageActor("catalog.manage");
  const sp = flat(await searchParams);
  const view = sp.id
    ? await importView(actor, sp.id).catch((e: unknown) => {
        if (e instanceof AppError && e.code === "NOT_FOUND") notFound();
        throw e;
      })
    : null;
  const kind: ImportKind = view?.kind ?? ((IMPORT_KINDS as readonly string[]).includes(sp.kind ?? "") ? (sp.kind as ImportKind) : "TYPES");
  const recent = await recentImports(actor);
  return (
    <>
      <h1>导入{IMPORT_KIND_LABELS[kind]}</h1>
      <nav className="toolbar" aria-label="导入内容">
        {IMPORT_KINDS.map((k) => (
          <Link key={k} className={`btn${k === kind ? " primary" : ""}`} href={`/catalog/import?kind=${k}`} aria-current={k === kind ? "page" : undefined}>
            {IMPORT_KIND_LABELS[k]}
          </Link>
        ))}
        <Link className="btn link" href={BACK[kind]} style={{ marginLeft: "auto" }}>
          返回{IMPORT_KIND_LABELS[kind]}
        </Link>
      </nav>
      <div className="card">
        <p className="muted" style={{ marginTop: 0 }}>
          上传后先进行预检：逐行检查内容、引用的部门和证照类型及您的管辖范围，列出每个问题所在的行、列和原因；预检不会导入任何数据。
          预检无误后由您确认导入，全部行在同一事务中写入，任何一行失败则全部不导入。预检结果 {DRY_RUN_TTL_MS / 3_600_000} 小时内有效。
          内容与现有数据相同的行不做任何改动，因此导出的文件可直接修改后导入。
        </p>
        <div className="toolbar" style={{ alignItems: "center" }}>
          <a className="btn" href={`${EXPORT[kind]}?template=1`}>
            下载空白模板
          </a>
          <a className="btn" href={EXPORT[kind]}>
            导出现有{IMPORT_KIND_LABELS[kind]}
          </a>
          <span className="muted">
            XLSX 文件，不超过 {IMPORT_MAX_BYTES / 1048576} MB，每次最多 {IMPORT_MAX_ROWS[kind]} 行
          </span>
        </div>
        <ImportForm key={kind} kind={kind} />
      </div>
      {view && <Report view={view} />}
      {recent.length > 0 && (
        <div className="card">
          <h2 style={{ marginTop: 0 }}>我的最近导入</h2>
          <table className="grid" data-testid="recent-imports">
            <thead>
              <tr>
                <th>预检时间</th>
                <th>内容</th>
                <th>文件</th>
                <th>问题数</th>
                <th>状态</th>
                <th>操作</th>
              </tr>
            </thead>
            <tbody>
              {recent.map((r) => (
                <tr key={r.id}>
                  <td>{fmtTime(r.createdAt)}</td>
                  <td>{IMPORT_KIND_LABELS[r.kind]}</td>
                  <td>{r.fileName}</td>
                  <td>{r.errorCount}</td>
                  <td>{r.status === "COMMITTED" ? <span className="badge ok">已导入 {fmtTime(r.committedAt ?? "")}</span> : <span className="badge">仅预检</span>}</td>
                  <td>
                    <Link className="btn link" href={`/catalog/import?id=${r.id}`}>
                      查看
                    </Link>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}

function Report({ view }: { view: ImportView }) {
  const s = view.summary;
  const changes = s.create + s.update;
  const confirmable = view.status === "DRY_RUN" && !view.expired && s.errors === 0 && changes > 0;
  return (
    <div className="card" data-testid="import-report">
      <h2 style={{ marginTop: 0 }}>
        预检结果：{view.fileName} <span className="muted" style={{ fontSize: 13, fontWeight: "normal" }}>{fmtTime(view.createdAt)}</span>
      </h2>
      <div className="stats" style={{ marginBottom: 12 }}>
        <Stat label="数据行" value={s.total} />
        <Stat label="新增" value={s.create} />
        <Stat label="修改" value={s.update} />
        <Stat label="无变化" value={s.unchanged} />
        <Stat label="有问题的行" value={s.errorRows} danger={s.errorRows > 0} />
      </div>
      {view.status === "COMMITTED" && <div className="alert ok">已于 {fmtTime(view.committedAt ?? "")} 导入。</div>}
      {view.status === "DRY_RUN" && s.errors > 0 && (
        <div className="alert error" role="alert">
          发现 {s.errors} 个问题（{s.errorRows} 行），本次未导入任何数据。请按下表修改文件后重新上传。
        </div>
      )}
      {view.status === "DRY_RUN" && s.errors === 0 && changes === 0 && <div className="alert ok">文件内容与现有数据一致，无需导入。</div>}
      {view.status === "DRY_RUN" && view.expired && s.errors === 0 && changes > 0 && <div className="alert warn">预检结果已超过 1 小时，请重新上传文件预检。</div>}
      {confirmable && <ConfirmImport importId={view.id} changes={changes} />}
      {view.report.length > 0 && (
        <table className="grid" data-testid="import-errors">
          <thead>
            <tr>
              <th>工作表</th>
              <th>行</th>
              <th>列</th>
              <th>原因</th>
            </tr>
          </thead>
          <tbody>
            {view.report.slice(0, 1000).map((r, i) => (
              <tr key={i}>
                <td>{r.sheet}</td>
                <td>{r.row || "-"}</td>
                <td>{r.column || "-"}</td>
                <td>{r.message}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {view.plan.some((p) => p.op !== "unchanged") && (
        <details style={{ marginTop: 12 }} open={view.report.length === 0}>
          <summary>将写入的行（{changes}）</summary>
          <table className="grid" data-testid="import-plan">
            <thead>
              <tr>
                <th>行</th>
                <th>操作</th>
                <th>对象</th>
              </tr>
            </thead>
            <tbody>
              {view.plan
                .filter((p) => p.op !== "unchanged")
                .slice(0, 1000)
                .map((p) => (
                  <tr key={p.row}>
                    <td>{p.row}</td>
                    <td>
                      <span className={`badge ${p.op === "create" ? "ok" : "info"}`}>{OP_LABELS[p.op]}</span>
                    </td>
                    <td>{p.label}</td>
                  </tr>
                ))}
            </tbody>
          </table>
        </details>
      )}
    </div>
  );
}

function Stat({ label, value, danger }: { label: string; value: number; danger?: boolean }) {
  return (
    <div className="stat" style={{ border: "1px solid var(--border)" }}>
      <span className="muted">{label}</span>
      <b style={danger ? { color: "var(--danger)" } : undefined}>{value}</b>
    </div>
  );
}
