"use client";
// The licence table (U-02 internal view): @tanstack/react-table in manual mode like components'
// DataTable, with a keyset pager (first / previous / next and a bounded total) in place of page
// numbers, since the list pages by cursor over a million rows. State lives in the URL.
import { useMemo } from "react";
import Link from "next/link";
import { flexRender, getCoreRowModel, useReactTable, type ColumnDef } from "@tanstack/react-table";
import { useUrlState } from "@/components/data-table/data-table";
import { PAGE_SIZES } from "@/lib/pagination";
import { t } from "@/lib/i18n/zh-CN";
import { COUNT_LIMIT, LICENCE_SORTS, type LicenceSort } from "@/lib/licenses/list-schema";
import type { LicencePage, LicenceRow } from "@/lib/licenses/queries";
import { LicenceStatusBadge, ObjectionBadge, RestrictionBadge, shanghaiDay } from "./badges";

const SORTABLE = new Set<string>(LICENCE_SORTS.map((s) => s.code));

export function LicenceTable({ data }: { data: LicencePage }) {
  const setUrl = useUrlState();
  const columns = useMemo<ColumnDef<LicenceRow, unknown>[]>(
    () => [
      {
        id: "licenceNumber",
        header: "证照编号",
        cell: ({ row }) => (
          <Link className="mono" href={`/licenses/${row.original.id}`} title={row.original.identifier}>
            {row.original.licenceNumber}
          </Link>
        ),
      },
      { id: "type", header: "证照类型", accessorKey: "typeName" },
      { id: "holder", header: "持证主体", cell: ({ row }) => <div style={{ maxWidth: 220 }}>{row.original.holderName}</div> },
      { id: "holderCode", header: "持证主体代码", cell: ({ row }) => <span className="mono">{row.original.holderCodeMasked}</span> },
      {
        id: "issuer",
        header: "发证部门",
        cell: ({ row }) => (
          <div style={{ maxWidth: 200 }}>
            {row.original.issuerName}
            {row.original.transferred && <div className="muted">已划转，现由{row.original.managingDeptName}管理</div>}
          </div>
        ),
      },
      { id: "issuedAt", header: "发证日期", cell: ({ row }) => <span style={{ whiteSpace: "nowrap" }}>{shanghaiDay(row.original.issuedAt)}</span> },
      { id: "validTo", header: "有效期至", cell: ({ row }) => <span style={{ whiteSpace: "nowrap" }}>{row.original.validTo ?? "长期"}</span> },
      {
        id: "status",
        header: "状态",
        cell: ({ row }) => (
          <span style={{ whiteSpace: "nowrap" }}>
            <LicenceStatusBadge status={row.original.status} />
            <ObjectionBadge open={row.original.openObjections} />
          </span>
        ),
      },
      { id: "restricted", header: "质押", cell: ({ row }) => <RestrictionBadge restricted={row.original.restricted} /> },
      {
        id: "actions",
        header: t.common.actions,
        cell: ({ row }) => (
          <Link className="btn link" href={`/licenses/${row.original.id}`}>
            详情
          </Link>
        ),
      },
    ],
    [],
  );
  const table = useReactTable({ data: data.rows, columns, getCoreRowModel: getCoreRowModel(), manualPagination: true, manualSorting: true, getRowId: (r) => r.id });
  const sortBy = (id: LicenceSort) => setUrl({ sort: id, dir: data.sort === id && data.dir === "desc" ? "asc" : "desc", after: undefined, before: undefined });
  return (
    <div>
      <div className="table-scroll">
        <table className="grid" data-testid="licence-table">
          <thead>
            {table.getHeaderGroups().map((hg) => (
              <tr key={hg.id}>
                {hg.headers.map((h) => {
                  const label = flexRender(h.column.columnDef.header, h.getContext());
                  if (!SORTABLE.has(h.column.id)) return <th key={h.id}>{label}</th>;
                  const mark = data.sort === h.column.id ? (data.dir === "desc" ? " ↓" : " ↑") : "";
                  return (
                    <th key={h.id} aria-sort={data.sort === h.column.id ? (data.dir === "desc" ? "descending" : "ascending") : undefined}>
                      <button type="button" onClick={() => sortBy(h.column.id as LicenceSort)}>
                        {label}
                        {mark}
                      </button>
                    </th>
                  );
                })}
              </tr>
            ))}
          </thead>
          <tbody>
            {data.rows.length === 0 && (
              <tr>
                <td colSpan={columns.length} className="muted" style={{ textAlign: "center" }}>
                  {t.common.empty}
                </td>
              </tr>
            )}
            {table.getRowModel().rows.map((r) => (
              <tr key={r.id}>
                {r.getVisibleCells().map((c) => (
                  <td key={c.id}>{flexRender(c.column.columnDef.cell, c.getContext())}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div className="pager" data-testid="licence-pager">
        <span>{data.totalCapped ? `超过 ${COUNT_LIMIT.toLocaleString("zh-CN")} 条` : t.common.total(data.total)}</span>
        <select value={data.pageSize} onChange={(e) => setUrl({ pageSize: e.target.value, after: undefined, before: undefined })} style={{ minWidth: 0 }} aria-label="每页条数">
          {PAGE_SIZES.map((s) => (
            <option key={s} value={s}>
              {s} 条/页
            </option>
          ))}
        </select>
        <button className="btn" type="button" disabled={!data.prev} onClick={() => setUrl({ after: undefined, before: undefined })}>
          首页
        </button>
        <button className="btn" type="button" disabled={!data.prev} onClick={() => setUrl({ before: data.prev ?? undefined, after: undefined })}>
          {t.common.prev}
        </button>
        <button className="btn" type="button" disabled={!data.next} onClick={() => setUrl({ after: data.next ?? undefined, before: undefined })}>
          {t.common.next}
        </button>
      </div>
    </div>
  );
}
