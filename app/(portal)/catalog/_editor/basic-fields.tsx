"use client";
// 基本信息: identity, holders, validity, legal basis and matters, sharing, issuing departments and
// their seals, the licence-number rule. Checks shown as the user types: the type code, the number
// rule's example, the validity label; holder code types follow the holder categories, seals follow
// the issuing departments.
import { useMemo, useRef } from "react";
import { useController, useFieldArray, useWatch } from "react-hook-form";
import { TextField, SelectField } from "@/components/form/field";
import {
  HOLDER_CATEGORIES,
  holderCodeTypesFor,
  LICENCE_CATEGORIES,
  SHARING_ATTRIBUTES,
  type HolderCategory,
} from "@/lib/catalog/dictionaries";
import { typeCodeIssue } from "@/lib/catalog/type-code";
import { previewNumberRule } from "@/lib/catalog/number-rule";
import { validityLabel, validityRuleSchema } from "@/lib/catalog/validity";
import type { TypeFormOptions } from "@/lib/catalog/queries";
import { CheckList, type CheckOption } from "./check-list";
import { errStyle, messageOf, plain, type FormBits } from "./types";

const radio = { minWidth: 0, width: "auto", margin: 0 } as const;
const legend = { fontSize: 13, color: "#606266", padding: 0, marginBottom: 4 } as const;
const NUMBER_HELP = "占位符：{area} 6 位行政区划 · {year} 4 位年份 · {year2} 2 位年份 · {month} 月份 · {type3} 类型代码后 3 位 · {dept} 部门简码 · {seq:n} n 位流水号（必须且只能一个）";

export function BasicFields(p: FormBits & {
  create: boolean;
  /** the type's code when editing (read-only), "" when creating */
  fixedTypeCode: string;
  ownerDeptName: string;
  options: TypeFormOptions;
  /** names of chosen departments and seals that are not among the options */
  names: { depts: Record<string, string>; seals: Record<string, string> };
  initialIssuing: string[];
  initialSeals: string[];
}) {
  const { control, register, setValue, errors } = p;
  const ce = errors.content;
  const [typeCode, holderCategories, validity, numberRule, sharing, issuingDeptIds, authorityCode] = useWatch({
    control,
    name: ["typeCode", "content.holderCategories", "content.validity", "content.numberRule", "content.sharing", "content.issuingDeptIds", "content.definingAuthorityCode"],
  });
  const code = (p.create ? (typeCode ?? "") : p.fixedTypeCode).trim();
  const codeIssue = code ? typeCodeIssue(code) : null;
  const autoAuthority = useRef<string>("");

  // ---- holders
  const holderCats = useController({ control, name: "content.holderCategories" });
  const codeTypes = useController({ control, name: "content.holderCodeTypes" });
  const allowedCodeTypes = useMemo(() => {
    const seen = new Map<string, CheckOption>();
    for (const c of (holderCategories ?? [])) for (const t of holderCodeTypesFor(c)) seen.set(t.code, { value: t.code, label: `${t.code} ${t.label}` });
    return [...seen.values()].sort((a, b) => a.value.localeCompare(b.value));
  }, [holderCategories]);

  // ---- issuing departments and seals
  const issuing = useController({ control, name: "content.issuingDeptIds" });
  const seals = useController({ control, name: "content.sealIds" });
  const issuingOptions = useMemo<CheckOption[]>(() => {
    const offered = p.options.issuing.map((d) => ({ value: d.id, label: d.name }));
    const extra = p.initialIssuing.filter((id) => !p.options.issuing.some((d) => d.id === id)).map((id) => ({ value: id, label: p.names.depts[id] ?? "（未知部门）", note: "不在您的管辖范围内" }));
    return [...offered, ...extra];
  }, [p.options.issuing, p.initialIssuing, p.names.depts]);
  const chosenDepts = useMemo(() => new Set(issuingDeptIds ?? []), [issuingDeptIds]);
  const sealOptions = useMemo<CheckOption[]>(() => {
    const deptName = (id: string) => p.options.issuing.find((d) => d.id === id)?.name ?? "";
    const offered = p.options.seals
      .filter((s) => chosenDepts.has(s.holderDeptId))
      .map((s) => ({ value: s.id, label: `${s.name}·${s.kind}`, note: `${s.esId ? `${s.esId}，` : ""}${deptName(s.holderDeptId)}${s.hasPicture ? "" : "，无印模"}` }));
    const extra = p.initialSeals.filter((id) => !p.options.seals.some((s) => s.id === id)).map((id) => ({ value: id, label: p.names.seals[id] ?? "（未知印章）", note: "不在您的管辖范围内" }));
    return [...offered, ...extra];
  }, [p.options.seals, p.options.issuing, chosenDepts, p.initialSeals, p.names.seals]);

  const setIssuing = (next: string[]) => {
    issuing.field.onChange(next);
    // a seal may sign only for a chosen issuing department
    const keep = new Set(next);
    const current = (seals.field.value ?? []);
    const filtered = current.filter((id) => {
      const s = p.options.seals.find((x) => x.id === id);
      return !s || keep.has(s.holderDeptId);
    });
    if (filtered.length !== current.length) seals.field.onChange(filtered);
  };
  const setHolderCats = (next: string[]) => {
    holderCats.field.onChange(next);
    const allowed = new Set(next.flatMap((c) => holderCodeTypesFor(c as HolderCategory).map((t) => t.code)));
    const current = (codeTypes.field.value ?? []) as string[];
    const filtered = current.filter((c) => allowed.has(c));
    if (filtered.length !== current.length) codeTypes.field.onChange(filtered);
  };

  // ---- matters
  const matters = useFieldArray({ control, name: "content.matters" });

  // ---- live checks
  const parsedValidity = validityRuleSchema.safeParse(validity);
  const area = p.options.issuing.find((d) => chosenDepts.has(d.id))?.areaCode;
  const number = previewNumberRule(String(numberRule ?? ""), { ...(code && !codeIssue ? { typeCode: code } : {}), ...(area ? { area } : {}) });

  return (
    <div className="form">
      {p.create ? (
        <>
          <label className="field">
            <span>
              证照类型代码<i className="req">*</i>
            </span>
            <input
              {...register("typeCode", {
                onChange: (e: React.ChangeEvent<HTMLInputElement>) => {
                  // keep the defining authority's code in step with the first 18 characters, unless typed by hand
                  const prefix = e.target.value.trim().toUpperCase().slice(0, 18);
                  const current = String(authorityCode ?? "");
                  if (prefix.length === 18 && (current === "" || current === autoAuthority.current)) {
                    autoAuthority.current = prefix;
                    setValue("content.definingAuthorityCode", prefix, { shouldDirty: true, shouldValidate: !!errors.content?.definingAuthorityCode });
                  }
                },
              })}
              className="mono"
              maxLength={21}
              placeholder="定义机构统一社会信用代码（18 位）+ 3 位序号"
              aria-invalid={!!errors.typeCode}
            />
            <em className="err" role={errors.typeCode ? "alert" : undefined} style={{ fontStyle: "normal", color: errors.typeCode || codeIssue ? undefined : "var(--ok)" }}>
              {errors.typeCode?.message ?? codeIssue ?? (code ? "代码格式正确" : "")}
            </em>
          </label>
          <SelectField
            label="提出部门"
            reg={register("ownerDeptId")}
            error={errors.ownerDeptId}
            required
            options={[{ value: "", label: "请选择部门" }, ...p.options.owners.map((d) => ({ value: d.id, label: `${"　".repeat(d.depth)}${d.name}` }))]}
          />
        </>
      ) : (
        <dl className="kv full" style={{ gridTemplateColumns: "120px 1fr" }}>
          <dt>证照类型代码</dt>
          <dd className="mono" style={{ fontSize: 13 }}>{p.fixedTypeCode}</dd>
          <dt>提出部门</dt>
          <dd>{p.ownerDeptName}</dd>
        </dl>
      )}
      <TextField label="证照类型名称" reg={register("content.name")} error={ce?.name} required placeholder="如：食品经营许可证" />
      <SelectField
        label="证照类别"
        reg={register("content.category")}
        error={ce?.category}
        required
        options={[{ value: "", label: "请选择" }, ...LICENCE_CATEGORIES.map((c) => ({ value: c.code, label: c.label }))]}
      />
      <TextField label="证照定义机构" reg={register("content.definingAuthority")} error={ce?.definingAuthority} required placeholder="如：国家市场监督管理总局" />
      <label className="field">
        <span>
          定义机构代码<i className="req">*</i>
        </span>
        <input
          {...register("content.definingAuthorityCode")}
          className="mono"
          maxLength={18}
          readOnly={!p.create}
          placeholder="18 位统一社会信用代码"
          aria-invalid={!!ce?.definingAuthorityCode}
          style={p.create ? undefined : { background: "#f5f7fa", color: "#606266" }}
        />
        <em className="err" role={ce?.definingAuthorityCode ? "alert" : undefined} style={{ fontStyle: "normal", color: ce?.definingAuthorityCode ? undefined : "var(--muted)" }}>
          {ce?.definingAuthorityCode?.message ?? (p.create ? "填写证照类型代码后自动带出" : "与证照类型代码前 18 位一致，不可修改")}
        </em>
      </label>

      <CheckList
        legend="持证主体类别"
        required
        options={HOLDER_CATEGORIES.map((c) => ({ value: c.code, label: c.label }))}
        value={(holderCats.field.value ?? [])}
        onChange={setHolderCats}
        error={messageOf(ce?.holderCategories)}
        testId="holder-categories"
      />
      <CheckList
        legend="持证主体代码类型（GB/T 36903）"
        required
        options={allowedCodeTypes}
        value={(codeTypes.field.value ?? [])}
        onChange={codeTypes.field.onChange}
        error={messageOf(ce?.holderCodeTypes)}
        empty="请先选择持证主体类别"
        testId="holder-code-types"
      />

      <fieldset className="full" style={plain}>
        <legend style={legend}>
          有效期限<i style={{ color: "var(--danger)", marginLeft: 2, fontStyle: "normal" }}>*</i>
        </legend>
        <div className="checks" style={{ alignItems: "center" }}>
          {(["YEARS", "MONTHS", "PERMANENT"] as const).map((k) => (
            <label key={k}>
              <input
                type="radio"
                style={radio}
                checked={validity?.kind === k}
                onChange={() => setValue("content.validity", k === "PERMANENT" ? { kind: k } : { kind: k, n: k === "YEARS" ? 5 : 12 }, { shouldDirty: true, shouldValidate: true })}
              />
              {k === "YEARS" ? "按年" : k === "MONTHS" ? "按月" : "长期有效"}
            </label>
          ))}
          {validity && validity.kind !== "PERMANENT" && (
            <label>
              <input type="number" min={1} style={{ minWidth: 0, width: 90 }} {...register("content.validity.n", { valueAsNumber: true })} aria-label={validity.kind === "YEARS" ? "年数" : "月数"} />
              {validity.kind === "YEARS" ? "年" : "个月"}
            </label>
          )}
          <span className="muted">{parsedValidity.success ? `证照上显示为：${validityLabel(parsedValidity.data)}` : ""}</span>
        </div>
        {messageOf((ce?.validity as { n?: unknown } | undefined)?.n) && <em role="alert" style={errStyle}>{messageOf((ce?.validity as { n?: unknown }).n)}</em>}
        {messageOf(ce?.validity) && <em role="alert" style={errStyle}>{messageOf(ce?.validity)}</em>}
      </fieldset>

      <label className="field full">
        <span>
          设定依据<i className="req">*</i>
        </span>
        <textarea rows={3} style={{ width: "100%" }} maxLength={2000} {...register("content.legalBasis")} placeholder="法律、法规、规章名称及条款" aria-invalid={!!ce?.legalBasis} />
        <em className="err" role={ce?.legalBasis ? "alert" : undefined} style={{ fontStyle: "normal" }}>{ce?.legalBasis?.message ?? ""}</em>
      </label>

      <fieldset className="full" style={plain} data-testid="matters">
        <legend style={legend}>关联事项</legend>
        {matters.fields.length === 0 && <p className="muted" style={{ margin: "0 0 6px" }}>尚未关联政务服务事项</p>}
        {matters.fields.map((m, i) => (
          <div key={m.id} style={{ marginBottom: 6 }}>
            <div style={{ display: "flex", gap: 8, alignItems: "center", flexWrap: "wrap" }}>
              <input {...register(`content.matters.${i}.name`)} placeholder="事项名称" aria-label={`第 ${i + 1} 个事项的名称`} style={{ width: 320 }} aria-invalid={!!ce?.matters?.[i]?.name} />
              <input {...register(`content.matters.${i}.code`)} placeholder="事项编码" className="mono" aria-label={`第 ${i + 1} 个事项的编码`} style={{ width: 220 }} aria-invalid={!!ce?.matters?.[i]?.code} />
              <button className="btn link danger" type="button" onClick={() => matters.remove(i)} aria-label={`删除第 ${i + 1} 个事项`}>
                删除
              </button>
            </div>
            {(ce?.matters?.[i]?.name?.message ?? ce?.matters?.[i]?.code?.message) && <em role="alert" style={errStyle}>{ce?.matters?.[i]?.name?.message ?? ce?.matters?.[i]?.code?.message}</em>}
          </div>
        ))}
        <button className="btn" type="button" disabled={matters.fields.length >= 50} onClick={() => matters.append({ name: "", code: "" })}>
          ＋ 添加事项
        </button>
        {messageOf(ce?.matters) && <em role="alert" style={errStyle}>{messageOf(ce?.matters)}</em>}
      </fieldset>

      <fieldset className="full" style={plain}>
        <legend style={legend}>
          共享属性<i style={{ color: "var(--danger)", marginLeft: 2, fontStyle: "normal" }}>*</i>
        </legend>
        <div className="checks">
          {SHARING_ATTRIBUTES.map((s) => (
            <label key={s.code}>
              <input type="radio" value={s.code} style={radio} {...register("content.sharing")} />
              {s.label}
            </label>
          ))}
          <label style={{ marginLeft: 24 }}>
            <input type="checkbox" {...register("content.publicity")} />
            社会公示
          </label>
        </div>
        {ce?.sharing?.message && <em role="alert" style={errStyle}>{ce.sharing.message}</em>}
      </fieldset>
      {sharing === "CONDITIONAL" && (
        <label className="field full">
          <span>
            共享条件<i className="req">*</i>
          </span>
          <textarea rows={2} style={{ width: "100%" }} maxLength={1000} {...register("content.sharingConditions")} placeholder="如：仅限办理相关政务服务事项时使用，须经持证人授权" aria-invalid={!!ce?.sharingConditions} />
          <em className="err" role={ce?.sharingConditions ? "alert" : undefined} style={{ fontStyle: "normal" }}>{ce?.sharingConditions?.message ?? ""}</em>
        </label>
      )}

      <CheckList
        legend="发证部门"
        required
        options={issuingOptions}
        value={(issuing.field.value ?? [])}
        onChange={setIssuing}
        error={messageOf(ce?.issuingDeptIds)}
        empty="您的管辖范围内没有启用的发证单位"
        filterable
        columns
        testId="issuing-depts"
      />
      <CheckList
        legend="签章印章（所选发证部门的有效印章）"
        options={sealOptions}
        value={(seals.field.value ?? [])}
        onChange={seals.field.onChange}
        error={messageOf(ce?.sealIds)}
        empty={chosenDepts.size ? "所选发证部门暂无有效印章" : "请先选择发证部门"}
        columns
        testId="seals"
      />

      <label className="field full">
        <span>
          证照编号规则<i className="req">*</i>
        </span>
        <input {...register("content.numberRule")} className="mono" maxLength={60} placeholder="{area}{year}{seq:6}" aria-invalid={!!ce?.numberRule} style={{ maxWidth: 480 }} />
        <em className="err" role={ce?.numberRule ? "alert" : undefined} style={{ fontStyle: "normal", color: ce?.numberRule || !number.ok ? undefined : "var(--ok)" }}>
          {ce?.numberRule?.message ?? (number.ok ? number.text : number.error)}
        </em>
        <span className="muted" style={{ fontSize: 12 }}>{NUMBER_HELP}</span>
      </label>
      <label className="full" style={{ display: "flex", gap: 6, alignItems: "center" }}>
        <input type="checkbox" {...register("content.allowMultiple")} />
        同一持证主体可同时持有多个有效的该类证照
      </label>
    </div>
  );
}
