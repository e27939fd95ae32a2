"use client";
// 签发证照 (L-05 … L-07): pick a type from the department's issuance list, find or enter the holder,
// fill the face generated from the type's fields, record 业务办结 and the synchronisation mode.
// The resolver is the server's schema: issueInput with the face replaced by faceSchema(fields).
import { useMemo, useState } from "react";
import { useRouter } from "next/navigation";
import { useForm, type Resolver } from "react-hook-form";
import { zodResolver } from "@hookform/resolvers/zod";
import { TextField, SelectField, applyServerErrors } from "@/components/form/field";
import { FaceInputs, emptyFace } from "@/components/licence/face-inputs";
import { faceSchema } from "@/lib/catalog/face-fields";
import { AGGREGATION_MODES, HOLDER_CATEGORIES, HOLDER_CATEGORY_LABELS, HOLDER_CODE_TYPE_LABELS } from "@/lib/catalog/dictionaries";
import { issueInput, type IssueFormInput } from "@/lib/licenses/schema";
import { holderCodeProblem } from "@/lib/licenses/holder-code";
import type { IssuableType } from "@/lib/licenses/issue-queries";
import { issueAction, lookupHolderAction } from "./actions";

type Incident = { id: string; title: string; endedAt: string; completeDueAt: string };
type Form = IssueFormInput & Record<string, unknown>;

function nowLocal(): string {
  return new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 16);
}

export function IssueForm({ types, incidents }: { types: IssuableType[]; incidents: Incident[] }) {
  const [typeId, setTypeId] = useState(types.length === 1 ? types[0].id : "");
  if (types.length === 0) return <p className="muted">本部门的发证清单上没有可签发的证照类型（类型须已发布，且清单条目有效）。</p>;
  // a new type is a new form: its resolver and face inputs come from that type's fields
  return <TypeForm key={typeId} types={types} typeId={typeId} onType={setTypeId} incidents={incidents} />;
}

function TypeForm({ types, typeId, onType, incidents }: { types: IssuableType[]; typeId: string; onType: (id: string) => void; incidents: Incident[] }) {
  const router = useRouter();
  const type = types.find((t) => t.id === typeId);
  const [error, setError] = useState<string | null>(null);
  const [holderHint, setHolderHint] = useState<string | null>(null);
  // issueInput for the form, faceSchema(fields) for the face: the same two schemas the server applies
  const resolver = useMemo<Resolver<Form>>(() => {
    const base = zodResolver(issueInput) as unknown as Resolver<Form>;
    const face = type ? faceSchema(type.fields) : null;
    return async (values, ctx, opts) => {
      const r = await base(values, ctx, opts);
      const errors: Record<string, unknown> = { ...r.errors };
      const f = face?.safeParse(values.face);
      if (f && !f.success) {
        const faceErrors: Record<string, unknown> = {};
        for (const i of f.error.issues) {
          const [key, sub] = i.path.map(String);
          if (!key) continue;
          if (sub) faceErrors[key] = { ...(faceErrors[key] as object), [sub]: { type: "validate", message: i.message } };
          else faceErrors[key] ??= { type: "validate", message: i.message };
        }
        errors.face = faceErrors;
      } else delete errors.face;
      return Object.keys(errors).length ? { values: {}, errors: errors as never } : { values, errors: {} };
    };
  }, [type]);
  const form = useForm<Form>({
    resolver,
    defaultValues: {
      typeId,
      holder: { category: (type?.holderCategories[0] ?? "LEGAL_PERSON") as "LEGAL_PERSON", codeType: type?.holderCodeTypes[0] ?? "001", code: "", name: "", contact: "" },
      matterCode: type?.matters[0]?.code ?? "",
      businessCompletedAt: nowLocal(),
      validFrom: "",
      syncMode: (type?.aggregation as "ONLINE") ?? "ONLINE",
      incidentId: "",
      face: type ? emptyFace(type.fields) : {},
    },
  });
  const { register, formState: { errors, isSubmitting } } = form;

  const lookup = async () => {
    const { codeType, code } = form.getValues().holder;
    setHolderHint(null);
    if (!code || holderCodeProblem(codeType, code)) return;
    const r = await lookupHolderAction({ codeType, code });
    if (r.ok && r.data) {
      form.setValue("holder.name", r.data.name);
      setHolderHint(`已找到持证主体：${r.data.name}（${r.data.codeMasked}）`);
    } else setHolderHint(r.ok ? "未找到该持证主体，签发时将新建" : null);
  };

  const send = form.handleSubmit(async (v) => {
    setError(null);
    let r: Awaited<ReturnType<typeof issueAction>>;
    try {
      r = await issueAction({ ...v, typeId });
    } catch {
      setError("提交失败：网络异常，请重试");
      return;
    }
    if (!r.ok) {
      setError(r.error);
      applyServerErrors(r.fieldErrors, form.setError);
      return;
    }
    router.push(`/licenses/${r.data.id}?issued=1`);
  });

  return (
    <form onSubmit={send} noValidate>
      {error && <div className="alert error" role="alert">{error}</div>}
      <div className="form">
        <label className="field">
          <span>
            证照类型<i className="req">*</i>
          </span>
          <select value={typeId} onChange={(e) => onType(e.target.value)} aria-label="证照类型">
            <option value="">请选择</option>
            {types.map((t) => (
              <option key={t.id} value={t.id}>
                {t.name}（{t.typeCode}，第 {t.version} 版）
              </option>
            ))}
          </select>
          <em className="err" style={{ fontStyle: "normal" }}>{errors.typeId?.message ?? (type && !type.hasSeal ? "本部门没有绑定到该类型的有效印章，不能签发" : "")}</em>
        </label>
        <div className="field">
          <span>有效期限</span>
          <div className="muted" style={{ paddingTop: 6 }}>{type ? type.validity : "—"}</div>
        </div>
      </div>
      {type && (
        <>
          <h3>持证主体</h3>
          <div className="form">
            <SelectField
              label="主体类别"
              required
              reg={register("holder.category")}
              error={errors.holder?.category}
              options={HOLDER_CATEGORIES.filter((c) => type.holderCategories.includes(c.code)).map((c) => ({ value: c.code, label: HOLDER_CATEGORY_LABELS[c.code] }))}
            />
            <SelectField
              label="证件类型"
              required
              reg={register("holder.codeType")}
              error={errors.holder?.codeType}
              options={type.holderCodeTypes.map((c) => ({ value: c, label: `${c} ${HOLDER_CODE_TYPE_LABELS[c as keyof typeof HOLDER_CODE_TYPE_LABELS] ?? ""}` }))}
            />
            <TextField label="证件号码" required reg={register("holder.code", { onBlur: () => void lookup() })} error={errors.holder?.code} autoComplete="off" />
            <TextField label="持证主体名称" required reg={register("holder.name")} error={errors.holder?.name} />
            <TextField label="联系电话（到期提醒）" reg={register("holder.contact")} error={errors.holder?.contact} placeholder="手机号或固定电话，可不填" />
            {holderHint && <p className="muted" style={{ alignSelf: "center" }}>{holderHint}</p>}
          </div>
          <h3>照面信息</h3>
          <FaceInputs fields={type.fields} register={register as never} errors={errors} />
          <h3>办理信息</h3>
          <div className="form">
            <SelectField
              label="关联事项"
              reg={register("matterCode")}
              error={errors.matterCode}
              options={[{ value: "", label: "（不关联）" }, ...type.matters.map((m) => ({ value: m.code, label: `${m.name}（${m.code}）` }))]}
            />
            <TextField label="业务办结时间" required type="datetime-local" reg={register("businessCompletedAt")} error={errors.businessCompletedAt} />
            <TextField label="有效期起始日期（默认为办结日）" type="date" reg={register("validFrom")} error={errors.validFrom} />
            <SelectField label="汇聚方式" required reg={register("syncMode")} error={errors.syncMode} options={AGGREGATION_MODES.map((m) => ({ value: m.code, label: m.label }))} />
            {incidents.length > 0 && (
              <SelectField
                label="应急补办"
                reg={register("incidentId")}
                error={errors.incidentId}
                options={[{ value: "", label: "（非应急补办）" }, ...incidents.map((i) => ({ value: i.id, label: `${i.title}（恢复后 3 个工作日内补办）` }))]}
              />
            )}
          </div>
          <div style={{ marginTop: 16, display: "flex", gap: 8 }}>
            <button type="submit" className="btn primary" disabled={isSubmitting || !type.hasSeal}>
              {isSubmitting ? "签发中…" : "签发并加盖电子印章"}
            </button>
          </div>
        </>
      )}
    </form>
  );
}
