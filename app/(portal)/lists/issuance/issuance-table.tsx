"use client";
import { useMemo, useState } from "react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useFieldArray, useForm } from "react-hook-form";
import { zodResolver } from "@hookform/resolvers/zod";
import type { ColumnDef } from "@tanstack/react-table";
import type { z } from "zod";
import { FormModal } from "@/components/ui/form-modal";
import { SelectField, TextField, applyServerErrors } from "@/components/form/field";
import { issuanceEntrySchema } from "@/lib/catalog/schema";
import { AGGREGATION_MODE_LABELS, AGGREGATION_MODES, HOLDER_CATEGORIES, HOLDER_CATEGORY_LABELS } from "@/lib/catalog/dictionaries";
import type { DeptOption, IssuanceRow, TypeOption } from "@/lib/catalog/list-queries";
import type { Paged } from "@/lib/pagination";
import { t } from "@/lib/i18n/zh-CN";
import { SelectableTable } from "../selectable-table";
import { BatchBar, useRun, type Msg } from "../batch-bar";
import { beijing, period, todayBeijing } from "../format";
import { saveIssuanceEntryAction } from "../actions";

type Props = {
  data: Paged<IssuanceRow>;
  sort?: string;
  dir: "asc" | "desc";
  canManage: boolean;
  options: { depts: DeptOption[]; types: TypeOption[] };
  exportHref: string;
};

const label = <K extends string>(map: Record<K, string>, code: string) => map[code as K] ?? code;

export function IssuanceTable({ data, sort, dir, canManage, options, exportHref }: Props) {
  const router = useRouter();
  const [dialog, setDialog] = useState<null | { row: IssuanceRow | null }>(null);
  const [msg, setMsg] = useState<Msg>(null);
  const run = useRun(setMsg);

  const columns = useMemo<ColumnDef<IssuanceRow, unknown>[]>(
    () => [
      // names and codes wrap (the list fits a 1366 px screen): a department or type name over two lines, the 21-character code broken anywhere
      { id: "dept", header: "发证部门", enableSorting: true, cell: ({ row }) => <div style={{ minWidth: 84, maxWidth: 160 }}>{row.original.deptName}</div> },
      {
        id: "type",
        header: "证照类型",
        enableSorting: true,
        cell: ({ row }) => (
          <>
            <div style={{ minWidth: 96, maxWidth: 180 }}>{row.original.typeName}</div>
            <div className="mono muted" style={{ fontSize: 11, maxWidth: 120, overflowWrap: "anywhere" }}>
              {row.original.typeCode}
            </div>
          </>
        ),
      },
      {
        id: "legalBasis",
        header: "设定依据",
        cell: ({ row }) => (
          <div style={{ width: 140, overflow: "hidden", textOverflow: "ellipsis", whiteSpace: "nowrap" }} title={row.original.legalBasis}>
            {row.original.legalBasis}
          </div>
        ),
      },
      {
        id: "matters",
        header: "关联事项",
        cell: ({ row }) => (
          <div style={{ fontSize: 12, minWidth: 96, maxWidth: 220 }}>
            {row.original.matters.map((m) => (
              <div key={m.code} title={m.code}>
                {m.name}
              </div>
            ))}
          </div>
        ),
      },
      { id: "holderCategory", header: "持证主体类别", cell: ({ row }) => <span style={{ whiteSpace: "nowrap" }}>{label(HOLDER_CATEGORY_LABELS, row.original.holderCategory)}</span> },
      { id: "aggregation", header: "汇聚方式", cell: ({ row }) => label(AGGREGATION_MODE_LABELS, row.original.aggregation) },
      { id: "publicity", header: "社会公示", cell: ({ row }) => (row.original.publicity ? t.common.yes : t.common.no) },
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
            <Link className="btn link" href={`/lists/issuance?tab=history&entry=${row.original.id}`}>
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
        testId="issuance-table"
        toolbar={(selected, clear) => (
          <BatchBar
            list="ISSUANCE"
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
        <IssuanceForm
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

type FormIn = z.input<typeof issuanceEntrySchema>;
type FormOut = z.output<typeof issuanceEntrySchema>;

function IssuanceForm({ row, options, onClose, onDone }: { row: IssuanceRow | null; options: Props["options"]; onClose: () => void; onDone: (text: string) => void }) {
  const [error, setError] = useState<string | null>(null);
  const form = useForm<FormIn, unknown, FormOut>({
    resolver: zodResolver(issuanceEntrySchema),
    defaultValues: row
      ? {
          id: row.id,
          rev: row.rev,
          deptId: row.deptId,
          typeId: row.typeId,
          legalBasis: row.legalBasis,
          matters: row.matters,
          holderCategory: row.holderCategory as FormIn["holderCategory"],
          aggregation: row.aggregation as FormIn["aggregation"],
          publicity: row.publicity,
          validFrom: row.validFrom,
          validTo: row.validTo,
        }
      : { id: null, rev: 0, deptId: options.depts.length === 1 ? options.depts[0].id : "", typeId: "", legalBasis: "", matters: [], publicity: false, validFrom: todayBeijing(), validTo: "" },
  });
  const { register, control, setValue, formState } = form;
  const { errors, isSubmitting } = formState;
  const matters = useFieldArray({ control, name: "matters" });
  const [typeHint, setTypeHint] = useState<TypeOption | null>(null);

  // a type's released version says what its list entries usually say
  const prefill = (typeId: string) => {
    const type = options.types.find((x) => x.id === typeId) ?? null;
    setTypeHint(type);
    if (!type) return;
    setValue("legalBasis", type.legalBasis, { shouldValidate: true });
    matters.replace(type.matters);
    if (type.holderCategories[0]) setValue("holderCategory", type.holderCategories[0] as FormIn["holderCategory"], { shouldValidate: true });
    setValue("publicity", type.publicity);
  };
  const deptId = form.watch("deptId");
  const notIssuer = typeHint && deptId && !typeHint.issuingDeptIds.includes(deptId);

  const submit = form.handleSubmit(async (v) => {
    setError(null);
    const r = await saveIssuanceEntryAction(v);
    if (!r.ok) {
      setError(r.error);
      applyServerErrors(r.fieldErrors, form.setError);
      return;
    }
    onDone(row ? `已保存「${row.deptName} · ${row.typeName}」` : "已加入发证清单");
  });

  return (
    <FormModal title={row ? "编辑发证清单条目" : "新增发证清单条目"} error={error} busy={isSubmitting} submitLabel={t.common.save} busyLabel={t.common.saving} onSubmit={submit} onClose={onClose}>
      <div className="form">
        {row ? (
          <>
            <Fixed label="发证部门" value={row.deptName} />
            <Fixed label="证照类型" value={`${row.typeName}（${row.typeCode}）`} />
          </>
        ) : (
          <>
            <SelectField
              label="发证部门"
              reg={register("deptId")}
              error={errors.deptId}
              required
              options={[{ value: "", label: "请选择发证部门" }, ...options.depts.map((d) => ({ value: d.id, label: `${"　".repeat(d.depth)}${d.name}` }))]}
            />
            <SelectField
              label="证照类型（已发布）"
              reg={register("typeId", { onChange: (e: React.ChangeEvent<HTMLSelectElement>) => prefill(e.target.value) })}
              error={errors.typeId}
              required
              options={[{ value: "", label: "请选择证照类型" }, ...options.types.map((x) => ({ value: x.id, label: `${x.name}（${x.typeCode}）` }))]}
            />
          </>
        )}
        {notIssuer && (
          <div className="alert warn full" role="note">
            该部门不在此证照类型登记的发证部门中，请确认后再保存。
          </div>
        )}
        <label className="field full">
          <span>
            设定依据<i className="req">*</i>
          </span>
          <textarea rows={3} {...register("legalBasis")} aria-invalid={!!errors.legalBasis} />
          <em className="err" style={{ fontStyle: "normal" }}>
            {errors.legalBasis?.message ?? ""}
          </em>
        </label>
        <fieldset className="field full" style={{ border: 0, padding: 0, margin: 0 }}>
          <span>关联事项</span>
          {matters.fields.map((m, i) => (
            <div key={m.id} style={{ display: "grid", gridTemplateColumns: "1fr 180px auto", gap: 8, alignItems: "start" }}>
              <TextField label={`事项名称 ${i + 1}`} reg={register(`matters.${i}.name`)} error={errors.matters?.[i]?.name} />
              <TextField label="事项编码" reg={register(`matters.${i}.code`)} error={errors.matters?.[i]?.code} />
              <button className="btn link danger" type="button" style={{ marginTop: 22 }} onClick={() => matters.remove(i)}>
                删除
              </button>
            </div>
          ))}
          <div>
            <button className="btn" type="button" onClick={() => matters.append({ name: "", code: "" })}>
              添加事项
            </button>
          </div>
          <em className="err" style={{ fontStyle: "normal" }}>
            {errors.matters?.message ?? errors.matters?.root?.message ?? ""}
          </em>
        </fieldset>
        <SelectField
          label="持证主体类别"
          reg={register("holderCategory")}
          error={errors.holderCategory}
          required
          options={[{ value: "", label: "请选择" }, ...HOLDER_CATEGORIES.map((h) => ({ value: h.code, label: h.label }))]}
        />
        <SelectField
          label="汇聚方式"
          reg={register("aggregation")}
          error={errors.aggregation}
          required
          options={[{ value: "", label: "请选择" }, ...AGGREGATION_MODES.map((m) => ({ value: m.code, label: `${m.label}` }))]}
        />
        <TextField label="生效日期" type="date" reg={register("validFrom")} error={errors.validFrom} required />
        <TextField label="失效日期（空为长期）" type="date" reg={register("validTo")} error={errors.validTo} />
        <label className="field">
          <span>社会公示</span>
          <span className="checks">
            <label>
              <input type="checkbox" {...register("publicity")} /> 须向社会公示
            </label>
          </span>
        </label>
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
