"use client";
import { useMemo, useState } from "react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useForm } from "react-hook-form";
import { zodResolver } from "@hookform/resolvers/zod";
import type { ColumnDef } from "@tanstack/react-table";
import type { z } from "zod";
import { FormModal } from "@/components/ui/form-modal";
import { SelectField, TextField, applyServerErrors } from "@/components/form/field";
import { useEntrySchema } from "@/lib/catalog/schema";
import { USE_BASES, USE_BASIS_LABELS, USE_SCENARIO_LABELS, USE_SCENARIOS } from "@/lib/catalog/dictionaries";
import type { DeptOption, TypeOption, UseRow } from "@/lib/catalog/list-queries";
import type { Paged } from "@/lib/pagination";
import { t } from "@/lib/i18n/zh-CN";
import { SelectableTable } from "../selectable-table";
import { BatchBar, useRun, type Msg } from "../batch-bar";
import { beijing, period, todayBeijing } from "../format";
import { saveUseEntryAction } from "../actions";

type Props = {
  data: Paged<UseRow>;
  sort?: string;
  dir: "asc" | "desc";
  canManage: boolean;
  options: { depts: DeptOption[]; types: TypeOption[] };
  exportHref: string;
};

const label = <K extends string>(map: Record<K, string>, code: string) => map[code as K] ?? code;

export function UseTable({ data, sort, dir, canManage, options, exportHref }: Props) {
  const router = useRouter();
  const [dialog, setDialog] = useState<null | { row: UseRow | null }>(null);
  const [msg, setMsg] = useState<Msg>(null);
  const run = useRun(setMsg);

  const columns = useMemo<ColumnDef<UseRow, unknown>[]>(
    () => [
      { id: "dept", header: "用证部门", enableSorting: true, cell: ({ row }) => <span style={{ whiteSpace: "nowrap" }}>{row.original.deptName}</span> },
      {
        id: "type",
        header: "证照类型",
        enableSorting: true,
        cell: ({ row }) => (
          <>
            <div style={{ whiteSpace: "nowrap" }}>{row.original.typeName}</div>
            <div className="mono muted">{row.original.typeCode}</div>
          </>
        ),
      },
      {
        id: "matter",
        header: "服务事项",
        cell: ({ row }) =>
          row.original.matterCode || row.original.matterName ? (
            <>
              <div>{row.original.matterName || "-"}</div>
              <div className="mono muted">{row.original.matterCode}</div>
            </>
          ) : (
            <span className="muted">全部事项</span>
          ),
      },
      {
        id: "scenarios",
        header: "使用场景",
        cell: ({ row }) =>
          row.original.scenarios.map((s) => (
            <span key={s} className="badge info">
              {label(USE_SCENARIO_LABELS, s)}
            </span>
          )),
      },
      { id: "basis", header: "用证依据", cell: ({ row }) => label(USE_BASIS_LABELS, row.original.basis) },
      {
        id: "validFrom",
        header: "有效期",
        enableSorting: true,
        cell: ({ row }) => (
          <div style={{ whiteSpace: "nowrap", fontSize: 12 }} title={period(row.original.validFrom, row.original.validTo)}>
            <div>{row.original.validFrom} 起</div>
            <div className="muted">{row.original.validTo ? `${row.original.validTo} 止` : "长期"}</div>
          </div>
        ),
      },
      {
        id: "status",
        header: "状态",
        enableSorting: true,
        cell: ({ row }) => <span style={{ whiteSpace: "nowrap" }} className={`badge ${row.original.status === "ACTIVE" ? "ok" : "danger"}`}>{row.original.status === "ACTIVE" ? "启用" : "停用"}</span>,
      },
      {
        id: "updatedAt",
        header: "更新时间",
        enableSorting: true,
        cell: ({ row }) => (
          <div style={{ whiteSpace: "nowrap", fontSize: 12 }}>
            <div>{beijing(row.original.updatedAt).slice(0, 10)}</div>
            <div className="muted">{beijing(row.original.updatedAt).slice(11)}</div>
          </div>
        ),
      },
      {
        id: "actions",
        header: t.common.actions,
        cell: ({ row }) => (
          <div className="actions" style={{ flexWrap: "nowrap", whiteSpace: "nowrap" }}>
            {row.original.canManage && (
              <button className="btn link" type="button" onClick={() => setDialog({ row: row.original })}>
                {t.common.edit}
              </button>
            )}
            <Link className="btn link" href={`/lists/use?tab=history&entry=${row.original.id}`}>
              历史
            </Link>
          </div>
        ),
      },
    ],
    [],
  );

  return (
    <>
      {msg && (
        <div className={`alert ${msg.ok ? "ok" : "error"}`} role="status">
          {msg.text}
        </div>
      )}
      <SelectableTable
        columns={columns}
        rows={data.rows}
        total={data.total}
        page={data.page}
        pageSize={data.pageSize}
        sort={sort}
        dir={dir}
        rowKey={(r) => r.id}
        testId="use-table"
        toolbar={(selected, clear) => (
          <BatchBar
            list="USE"
            selected={selected}
            clear={clear}
            run={run}
            canManage={canManage}
            canCreate={canManage && options.depts.length > 0}
            onCreate={() => setDialog({ row: null })}
            exportHref={exportHref}
          />
        )}
      />
      {dialog && (
        <UseForm
          row={dialog.row}
          options={options}
          onClose={() => setDialog(null)}
          onDone={(text) => {
            setDialog(null);
            setMsg({ ok: true, text });
            router.refresh();
          }}
        />
      )}
    </>
  );
}

type FormIn = z.input<typeof useEntrySchema>;
type FormOut = z.output<typeof useEntrySchema>;

function UseForm({ row, options, onClose, onDone }: { row: UseRow | null; options: Props["options"]; onClose: () => void; onDone: (text: string) => void }) {
  const [error, setError] = useState<string | null>(null);
  const form = useForm<FormIn, unknown, FormOut>({
    resolver: zodResolver(useEntrySchema),
    defaultValues: row
      ? {
          id: row.id,
          rev: row.rev,
          deptId: row.deptId,
          typeId: row.typeId,
          matterCode: row.matterCode,
          matterName: row.matterName,
          scenarios: row.scenarios as FormIn["scenarios"],
          basis: row.basis as FormIn["basis"],
          validFrom: row.validFrom,
          validTo: row.validTo,
        }
      : { id: null, rev: 0, deptId: options.depts.length === 1 ? options.depts[0].id : "", typeId: "", matterCode: "", matterName: "", scenarios: [], basis: "FUNCTION", validFrom: todayBeijing(), validTo: "" },
  });
  const { register, setValue, formState } = form;
  const { errors, isSubmitting } = formState;
  const typeId = form.watch("typeId");
  const type = options.types.find((x) => x.id === typeId) ?? null;

  // picking one of the type's matters fills code and name; "all matters" clears both
  const pickMatter = (code: string) => {
    const m = type?.matters.find((x) => x.code === code);
    setValue("matterCode", m?.code ?? "", { shouldValidate: true });
    setValue("matterName", m?.name ?? "", { shouldValidate: true });
  };

  const submit = form.handleSubmit(async (v) => {
    setError(null);
    const r = await saveUseEntryAction(v);
    if (!r.ok) {
      setError(r.error);
      applyServerErrors(r.fieldErrors, form.setError);
      return;
    }
    onDone(row ? `已保存「${row.deptName} · ${row.typeName}」` : "已加入用证清单");
  });

  return (
    <FormModal title={row ? "编辑用证清单条目" : "新增用证清单条目"} error={error} busy={isSubmitting} submitLabel={t.common.save} busyLabel={t.common.saving} onSubmit={submit} onClose={onClose}>
      <div className="form">
        {row ? (
          <>
            <Fixed label="用证部门" value={row.deptName} />
            <Fixed label="证照类型" value={`${row.typeName}（${row.typeCode}）`} />
          </>
        ) : (
          <>
            <SelectField
              label="用证部门"
              reg={register("deptId")}
              error={errors.deptId}
              required
              options={[{ value: "", label: "请选择用证部门" }, ...options.depts.map((d) => ({ value: d.id, label: `${"　".repeat(d.depth)}${d.name}` }))]}
            />
            <SelectField
              label="证照类型（已发布）"
              reg={register("typeId", { onChange: () => pickMatter("") })}
              error={errors.typeId}
              required
              options={[{ value: "", label: "请选择证照类型" }, ...options.types.map((x) => ({ value: x.id, label: `${x.name}（${x.typeCode}）` }))]}
            />
          </>
        )}
        {!row && type && type.matters.length > 0 && (
          <label className="field full">
            <span>从证照类型的关联事项中选择</span>
            <select defaultValue="" onChange={(e) => pickMatter(e.target.value)} aria-label="关联事项">
              <option value="">全部事项（不限事项）</option>
              {type.matters.map((m) => (
                <option key={m.code} value={m.code}>
                  {m.name}（{m.code}）
                </option>
              ))}
            </select>
          </label>
        )}
        <TextField label="服务事项编码（空为全部事项）" reg={register("matterCode")} error={errors.matterCode} />
        <TextField label="服务事项名称" reg={register("matterName")} error={errors.matterName} />
        <fieldset className="field full" style={{ border: 0, padding: 0, margin: 0 }}>
          <span>
            使用场景<i className="req">*</i>
          </span>
          <span className="checks">
            {USE_SCENARIOS.map((s) => (
              <label key={s.code}>
                <input type="checkbox" value={s.code} {...register("scenarios")} /> {s.label}
              </label>
            ))}
          </span>
          <em className="err" role={errors.scenarios?.message ? "alert" : undefined} style={{ fontStyle: "normal" }}>
            {errors.scenarios?.message ?? ""}
          </em>
        </fieldset>
        <SelectField label="用证依据" reg={register("basis")} error={errors.basis} required options={USE_BASES.map((b) => ({ value: b.code, label: b.label }))} />
        <span />
        <TextField label="生效日期" type="date" reg={register("validFrom")} error={errors.validFrom} required />
        <TextField label="失效日期（空为长期）" type="date" reg={register("validTo")} error={errors.validTo} />
      </div>
    </FormModal>
  );
}

function Fixed({ label: l, value }: { label: string; value: string }) {
  return (
    <div className="field">
      <span>{l}</span>
      <div style={{ padding: "6px 0" }}>{value}</div>
    </div>
  );
}
