"use client";
// The type list: server-driven DataTable with row checkboxes, a batch toolbar (submit, release /
// return for reviewers, retire with a reason, export), per-row batch results and a column chooser
// remembered in localStorage.
import { useMemo, useState, useSyncExternalStore } from "react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import type { ColumnDef } from "@tanstack/react-table";
import { DataTable } from "@/components/data-table/data-table";
import { FormModal } from "@/components/ui/form-modal";
import type { TypeRow } from "@/lib/catalog/queries";
import type { Paged } from "@/lib/pagination";
import { HOLDER_CATEGORY_LABELS, LICENCE_CATEGORY_LABELS, SHARING_ATTRIBUTE_LABELS } from "@/lib/catalog/dictionaries";
import { t } from "@/lib/i18n/zh-CN";
import { retireTypesAction, reviewTypesAction, submitTypesAction } from "./actions";
import { beijing, label, VersionBadge } from "./labels";

type BatchResult = { done: string[]; failed: { id: string; error: string }[] };
type Outcome = { ok: true; data: BatchResult } | { ok: false; code: string; error: string; fieldErrors?: Record<string, string> };
type Dialog = null | "release" | "return" | "retire";

const NETWORK_ERROR = "网络异常，请检查网络后重试";
const COLUMNS_KEY = "certseal.catalog.hiddenColumns";
const COLUMNS_EVENT = "certseal:catalog-columns";
const DEFAULT_HIDDEN = JSON.stringify(["publicity", "issuingCount"]);

/** Optional columns, in display order, for the chooser. */
const OPTIONAL: { id: string; label: string }[] = [
  { id: "typeCode", label: "证照类型代码" },
  { id: "category", label: "证照类别" },
  { id: "ownerDept", label: "提出部门" },
  { id: "released", label: "发布版本" },
  { id: "latest", label: "最新版本" },
  { id: "holderCategories", label: "持证主体" },
  { id: "validity", label: "有效期限" },
  { id: "sharing", label: "共享属性" },
  { id: "publicity", label: "公示" },
  { id: "issuingCount", label: "发证部门数" },
  { id: "updatedAt", label: "更新时间" },
];

function subscribe(cb: () => void) {
  window.addEventListener("storage", cb);
  window.addEventListener(COLUMNS_EVENT, cb);
  return () => {
    window.removeEventListener("storage", cb);
    window.removeEventListener(COLUMNS_EVENT, cb);
  };
}
const readHidden = () => {
  try {
    return window.localStorage.getItem(COLUMNS_KEY) ?? DEFAULT_HIDDEN;
  } catch {
    return DEFAULT_HIDDEN;
  }
};

function useHiddenColumns(): [Set<string>, (id: string, hidden: boolean) => void, () => void] {
  const raw = useSyncExternalStore(subscribe, readHidden, () => DEFAULT_HIDDEN);
  const hidden = useMemo(() => {
    try {
      const v: unknown = JSON.parse(raw);
      return new Set(Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : []);
    } catch {
      return new Set<string>();
    }
  }, [raw]);
  const write = (next: string | null) => {
    try {
      if (next === null) window.localStorage.removeItem(COLUMNS_KEY);
      else window.localStorage.setItem(COLUMNS_KEY, next);
    } catch {
      // storage full or blocked: the choice lasts until the page reloads
    }
    window.dispatchEvent(new Event(COLUMNS_EVENT));
  };
  const toggle = (id: string, hide: boolean) => {
    const next = new Set(hidden);
    if (hide) next.add(id);
    else next.delete(id);
    write(JSON.stringify([...next]));
  };
  return [hidden, toggle, () => write(null)];
}

export function TypesTable(p: {
  data: Paged<TypeRow>;
  sort?: string;
  dir: "asc" | "desc";
  filter: Record<string, string>;
  can: { manage: boolean; review: boolean };
  toolbar: React.ReactNode;
}) {
  const router = useRouter();
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [results, setResults] = useState<Record<string, { ok: boolean; error?: string }>>({});
  const [summary, setSummary] = useState<{ tone: "ok" | "warn" | "error"; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const [dialog, setDialog] = useState<Dialog>(null);
  const [comment, setComment] = useState("");
  const [dialogError, setDialogError] = useState<string | null>(null);
  const [fieldError, setFieldError] = useState<string | null>(null);
  const [chooser, setChooser] = useState(false);
  const [hidden, toggleColumn, resetColumns] = useHiddenColumns();
  const rows = p.data.rows;
  // only rows on this page can be selected; a selection survives a refresh of the same page
  const pageIds = useMemo(() => new Set(rows.map((r) => r.id)), [rows]);
  const chosen = useMemo(() => [...selected].filter((id) => pageIds.has(id)), [selected, pageIds]);
  const nameOf = (id: string) => rows.find((r) => r.id === id)?.name ?? id;

  async function run(what: string, call: () => Promise<Outcome>) {
    setBusy(true);
    setDialogError(null);
    setFieldError(null);
    let r: Outcome;
    try {
      r = await call();
    } catch {
      r = { ok: false, code: "NETWORK", error: NETWORK_ERROR };
    }
    setBusy(false);
    if (!r.ok) {
      if (dialog && r.code === "INVALID_INPUT" && r.fieldErrors) {
        setDialogError(r.error);
        setFieldError(r.fieldErrors.comment ?? r.fieldErrors.reason ?? Object.values(r.fieldErrors)[0] ?? null);
        return;
      }
      setDialog(null);
      setSummary({ tone: "error", text: `${what}失败：${r.error}` });
      return;
    }
    setDialog(null);
    const { done, failed } = r.data;
    const next: Record<string, { ok: boolean; error?: string }> = {};
    for (const id of done) next[id] = { ok: true };
    for (const f of failed) next[f.id] = { ok: false, error: f.error };
    setResults(next);
    const reasons = failed.map((f) => (f.error.includes(nameOf(f.id)) ? f.error : `「${nameOf(f.id)}」${f.error}`));
    setSummary({
      tone: failed.length === 0 ? "ok" : done.length ? "warn" : "error",
      text: `${what}：成功 ${done.length} 项${failed.length ? `，失败 ${failed.length} 项：${reasons.join("；")}` : ""}`,
    });
    setSelected(new Set(failed.map((f) => f.id)));
    router.refresh();
  }

  const open = (d: Dialog) => {
    setDialog(d);
    setComment("");
    setDialogError(null);
    setFieldError(null);
  };

  const exportHref = useMemo(() => {
    // the export route takes the selection as one comma-separated `ids`, else the filter
    const q = new URLSearchParams(p.filter);
    if (chosen.length) q.set("ids", chosen.join(","));
    const s = q.toString();
    return `/api/catalog/export${s ? `?${s}` : ""}`;
  }, [p.filter, chosen]);

  const allOnPage = rows.length > 0 && rows.every((r) => selected.has(r.id));
  const columns = useMemo<ColumnDef<TypeRow, unknown>[]>(() => {
    const all: ColumnDef<TypeRow, unknown>[] = [
      {
        id: "select",
        header: () => (
          <input
            type="checkbox"
            aria-label="选择本页全部"
            checked={allOnPage}
            onChange={(e) => setSelected(e.target.checked ? new Set([...selected, ...rows.map((r) => r.id)]) : new Set([...selected].filter((id) => !pageIds.has(id))))}
          />
        ),
        cell: ({ row }) => (
          <input
            type="checkbox"
            aria-label={`选择「${row.original.name}」`}
            checked={selected.has(row.original.id)}
            onChange={(e) => {
              const next = new Set(selected);
              if (e.target.checked) next.add(row.original.id);
              else next.delete(row.original.id);
              setSelected(next);
            }}
          />
        ),
      },
      { id: "typeCode", header: "证照类型代码", enableSorting: true, cell: ({ row }) => <span className="mono">{row.original.typeCode}</span> },
      {
        id: "name",
        header: "名称",
        enableSorting: true,
        cell: ({ row }) => (
          <Link href={`/catalog/${row.original.id}`} style={{ display: "inline-block", minWidth: "7em" }}>
            {row.original.name}
          </Link>
        ),
      },
      { id: "category", header: "类别", enableSorting: true, cell: ({ row }) => label(LICENCE_CATEGORY_LABELS, row.original.category) },
      { id: "ownerDept", header: "提出部门", enableSorting: true, cell: ({ row }) => row.original.ownerDeptName },
      { id: "released", header: "发布版本", cell: ({ row }) => (row.original.releasedVersion ? `第 ${row.original.releasedVersion} 版` : <span className="muted">-</span>) },
      {
        id: "status",
        header: "最新版本",
        enableSorting: true,
        cell: ({ row }) => (
          <span style={{ whiteSpace: "nowrap" }}>
            第 {row.original.latestVersion} 版 <VersionBadge status={row.original.retired ? "RETIRED" : row.original.latestStatus} />
          </span>
        ),
      },
      { id: "holderCategories", header: "持证主体", cell: ({ row }) => row.original.holderCategories.map((c) => label(HOLDER_CATEGORY_LABELS, c)).join("、") },
      { id: "validity", header: "有效期限", cell: ({ row }) => row.original.validity },
      { id: "sharing", header: "共享属性", cell: ({ row }) => label(SHARING_ATTRIBUTE_LABELS, row.original.sharing) },
      { id: "publicity", header: "公示", cell: ({ row }) => (row.original.publicity ? t.common.yes : t.common.no) },
      { id: "issuingCount", header: "发证部门数", cell: ({ row }) => row.original.issuingCount },
      { id: "updatedAt", header: "更新时间", enableSorting: true, cell: ({ row }) => <span style={{ whiteSpace: "nowrap" }}>{beijing(row.original.updatedAt)}</span> },
    ];
    if (Object.keys(results).length)
      all.push({
        id: "result",
        header: "处理结果",
        cell: ({ row }) => {
          const r = results[row.original.id];
          if (!r) return null;
          return r.ok ? <span className="badge ok">成功</span> : <span className="badge danger" title={r.error}>失败：{r.error}</span>;
        },
      });
    all.push({
      id: "actions",
      header: t.common.actions,
      cell: ({ row }) => (
        <Link className="btn link" href={`/catalog/${row.original.id}`} style={{ whiteSpace: "nowrap" }}>
          {p.can.manage ? "查看/编辑" : "查看"}
        </Link>
      ),
    });
    // "latest" in the chooser is the status column
    return all.filter((c) => !hidden.has(c.id === "status" ? "latest" : c.id!));
  }, [rows, selected, allOnPage, pageIds, results, hidden, p.can.manage]);

  const n = chosen.length;
  const ids = chosen;
  return (
    <>
      {summary && (
        <div className={`alert ${summary.tone}`} role="status" data-testid="batch-summary">
          {summary.text}
        </div>
      )}
      <div className="toolbar" style={{ flexWrap: "wrap", alignItems: "center" }}>
        {p.toolbar}
        {p.can.manage && (
          <button className="btn" type="button" disabled={!n || busy} onClick={() => void run("提交审核", () => submitTypesAction({ typeIds: ids }))}>
            提交审核
          </button>
        )}
        {p.can.review && (
          <>
            <button className="btn" type="button" disabled={!n || busy} onClick={() => open("release")}>
              发布
            </button>
            <button className="btn" type="button" disabled={!n || busy} onClick={() => open("return")}>
              退回
            </button>
          </>
        )}
        {p.can.manage && (
          <button className="btn danger" type="button" disabled={!n || busy} onClick={() => open("retire")}>
            停用
          </button>
        )}
        <a className="btn" href={exportHref} data-testid="catalog-export">
          {n ? `导出所选（${n}）` : "导出 XLSX"}
        </a>
        <span className="muted">{n ? `已选 ${n} 项` : busy ? "正在处理…" : "勾选后可批量操作"}</span>
        <span style={{ flex: 1 }} />
        <div style={{ position: "relative" }}>
          <button className="btn" type="button" aria-expanded={chooser} onClick={() => setChooser(!chooser)}>
            列设置
          </button>
          {chooser && (
            <div
              role="group"
              aria-label="显示的列"
              style={{ position: "absolute", right: 0, top: "110%", zIndex: 20, background: "#fff", border: "1px solid var(--border)", borderRadius: 4, padding: "8px 12px", boxShadow: "0 2px 8px rgba(0,0,0,.12)", minWidth: 170 }}
            >
              {OPTIONAL.map((c) => (
                <label key={c.id} style={{ display: "flex", gap: 6, alignItems: "center", padding: "3px 0", whiteSpace: "nowrap" }}>
                  <input type="checkbox" checked={!hidden.has(c.id)} onChange={(e) => toggleColumn(c.id, !e.target.checked)} />
                  {c.label}
                </label>
              ))}
              <div style={{ display: "flex", justifyContent: "space-between", marginTop: 6 }}>
                <button className="btn link" type="button" onClick={resetColumns}>
                  恢复默认
                </button>
                <button className="btn link" type="button" onClick={() => setChooser(false)}>
                  关闭
                </button>
              </div>
            </div>
          )}
        </div>
      </div>
      <DataTable columns={columns} rows={rows} total={p.data.total} page={p.data.page} pageSize={p.data.pageSize} sort={p.sort} dir={p.dir} rowKey={(r) => r.id} testId="catalog-table" />

      {(dialog === "release" || dialog === "return") && (
        <FormModal
          title={dialog === "release" ? `发布所选 ${n} 个证照类型` : `退回所选 ${n} 个证照类型`}
          error={dialogError}
          busy={busy}
          danger={dialog === "return"}
          submitLabel={dialog === "release" ? "发布" : "退回"}
          onClose={() => setDialog(null)}
          onSubmit={(e?: { preventDefault(): void }) => {
            e?.preventDefault();
            void run(dialog === "release" ? "发布" : "退回", () => reviewTypesAction({ typeIds: ids, decision: dialog === "release" ? "RELEASE" : "RETURN", comment }));
          }}
        >
          <p className="muted" style={{ marginTop: 0 }}>
            {dialog === "release" ? "发布后新版本即可用于签发，原发布版本转为停用（已签发的证照仍保留其版本）。" : "退回后版本回到草稿，由提出部门修改后重新提交。"}
          </p>
          <Comment label={dialog === "release" ? "审核意见（可选）" : "退回意见"} required={dialog === "return"} value={comment} onChange={setComment} error={fieldError} />
        </FormModal>
      )}
      {dialog === "retire" && (
        <FormModal
          title={`停用所选 ${n} 个证照类型`}
          error={dialogError}
          busy={busy}
          danger
          submitLabel="停用"
          onClose={() => setDialog(null)}
          onSubmit={(e?: { preventDefault(): void }) => {
            e?.preventDefault();
            void run("停用", () => retireTypesAction({ typeIds: ids, reason: comment }));
          }}
        >
          <p className="muted" style={{ marginTop: 0 }}>停用后不能再签发该类型的证照；已签发的证照和历史版本永久保留，类型不会被删除。</p>
          <Comment label="停用原因" required value={comment} onChange={setComment} error={fieldError} />
        </FormModal>
      )}
    </>
  );
}

function Comment({ label: text, required, value, onChange, error }: { label: string; required?: boolean; value: string; onChange: (v: string) => void; error: string | null }) {
  return (
    <label className="field full">
      <span>
        {text}
        {required && <i className="req">*</i>}
      </span>
      <textarea rows={3} maxLength={500} style={{ width: "100%" }} value={value} onChange={(e) => onChange(e.target.value)} aria-invalid={!!error} />
      <em className="err" role={error ? "alert" : undefined} style={{ fontStyle: "normal" }}>
        {error ?? ""}
      </em>
    </label>
  );
}
