"use client";
import { useId, useRef, useState } from "react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useFieldArray, useForm, type Control, type FieldErrors, type UseFormRegister } from "react-hook-form";
import { zodResolver } from "@hookform/resolvers/zod";
import type { z } from "zod";
import { SelectField, TextField, applyServerErrors } from "@/components/form/field";
import { APPROVER_ROLES, MAX_FLOW_STEPS, MAX_STEP_APPROVERS, flowSaveSchema } from "@/lib/seal-use/schema";
import { MODE_LABELS } from "@/lib/seal-use/labels";
import { SEAL_KINDS, SEAL_KIND_LABELS } from "@/lib/seals/kinds";
import { t } from "@/lib/i18n/zh-CN";
import type { FlowTargets } from "@/lib/seal-use/flows";
import { flowTargetsAction, saveFlowAction } from "./actions";

type In = z.input<typeof flowSaveSchema>;
type Out = z.output<typeof flowSaveSchema>;
type Dept = { id: string; name: string; depth: number; disabled: boolean };

const NETWORK_ERROR = "网络异常，请检查网络后重试";
const plain = { border: 0, padding: 0, margin: 0, minWidth: 0 } as const;
const radio = { minWidth: 0, width: "auto", margin: 0 } as const;
const errStyle = { display: "block", color: "var(--danger)", fontSize: 12, fontStyle: "normal", marginTop: 2 } as const;
const row = { display: "flex", flexWrap: "wrap", gap: 8, alignItems: "center" } as const;

/** After an item moves or goes away, keep the keyboard where the user was (the next frame has re-rendered). */
function refocus(...ids: string[]) {
  requestAnimationFrame(() => {
    for (const id of ids) {
      const el = document.getElementById(id) as HTMLButtonElement | null;
      if (el && !el.disabled) return el.focus();
    }
  });
}

/** A field array's own error: on the array itself, or under `root` once it has registered items. */
function arrayError(e: unknown): string | undefined {
  const x = e as { message?: string; root?: { message?: string } } | undefined;
  return x?.message ?? x?.root?.message;
}

/** One approver's error: the server's on the whole reference, or the schema's on one of its fields. */
function approverError(e: unknown): string | undefined {
  const x = e as { message?: string; userId?: { message?: string }; role?: { message?: string }; departmentId?: { message?: string } } | undefined;
  return x?.message ?? x?.userId?.message ?? x?.departmentId?.message ?? x?.role?.message;
}

export type FlowEditorProps = {
  /** a new flow: the departments to choose from */
  departments?: Dept[];
  /** an existing flow: its target, shown read-only */
  fixed?: { deptName: string; target: string; distributed: boolean };
  initial: In;
  /** the choices for the initial department (null until one is chosen) */
  targets: FlowTargets | null;
  /** names of the approvers already in the flow, some of whom may no longer be offered */
  names: Record<string, string>;
};

export function FlowEditor(p: FlowEditorProps) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [targets, setTargets] = useState<FlowTargets | null>(p.targets);
  const [loading, setLoading] = useState(false);
  const [dropped, setDropped] = useState(0);
  const [saved, setSaved] = useState(false);
  const [target, setTarget] = useState<"DEFAULT" | "SEAL">(p.initial.sealId ? "SEAL" : "DEFAULT");
  const latest = useRef(0);
  const uid = useId();
  const form = useForm<In, unknown, Out>({ resolver: zodResolver(flowSaveSchema), defaultValues: p.initial });
  const { register, control, watch, setValue, getValues, clearErrors, formState: { errors, isSubmitting } } = form;
  const steps = useFieldArray({ control, name: "steps" });
  const deptId = watch("holderDeptId");
  const sealKind = watch("sealKind");
  const sealId = watch("sealId");
  const selectedSeal = target === "SEAL" ? targets?.seals.find((s) => s.id === sealId) : undefined;
  const distributed = p.fixed ? p.fixed.distributed : selectedSeal?.useMode === "DISTRIBUTED";
  const taken = targets ? Object.keys(targets.defaultFlows).length + targets.seals.filter((s) => s.flowId).length : 0;

  async function loadTargets(id: string) {
    const mine = ++latest.current;
    setValue("sealId", null);
    setDropped(0);
    setTargets(null);
    if (!id) return;
    setLoading(true);
    let r: Awaited<ReturnType<typeof flowTargetsAction>>;
    try {
      r = await flowTargetsAction({ deptId: id });
    } catch {
      r = { ok: false, code: "NETWORK", error: NETWORK_ERROR };
    }
    if (mine !== latest.current) return;
    setLoading(false);
    if (!r.ok) return setError(r.error);
    setError(null);
    setTargets(r.data);
    // approvers picked for another department may not be able to act for this one
    const users = new Set(r.data.candidates.map((c) => c.id));
    const depts = new Set(r.data.roleDepts.map((d) => d.id));
    let removed = 0;
    const next = getValues("steps").map((s) => ({
      ...s,
      approvers: s.approvers.filter((a) => {
        const keep = a.type === "USER" ? !a.userId || users.has(a.userId) : !a.departmentId || depts.has(a.departmentId);
        if (!keep) removed++;
        return keep;
      }),
    }));
    if (removed) {
      steps.replace(next);
      setDropped(removed);
    }
  }

  function chooseTarget(v: "DEFAULT" | "SEAL") {
    setTarget(v);
    if (v === "DEFAULT") setValue("sealId", null);
    else setValue("sealKind", null);
    clearErrors(["sealKind", "sealId"]);
  }

  const submit = form.handleSubmit(async (v) => {
    setError(null);
    let r: Awaited<ReturnType<typeof saveFlowAction>>;
    try {
      r = await saveFlowAction(v);
    } catch {
      setError(NETWORK_ERROR);
      return;
    }
    if (!r.ok) {
      setError(r.error);
      applyServerErrors(r.fieldErrors, form.setError);
      return;
    }
    setSaved(true);
    router.push(`/seal-use/flows/${r.data.id}?saved=${r.data.version}`);
  });

  // the refinement reports a missing target on sealKind; say it next to the select in view
  const targetError = errors.sealKind ? { message: target === "DEFAULT" ? "请选择印章类型" : "请选择印章" } : undefined;

  return (
    <form onSubmit={submit} noValidate>
      {error && <div className="alert error" role="alert">{error}</div>}
      <fieldset disabled={isSubmitting || saved} style={plain}>
        <div className="form">
          {p.fixed ? (
            <dl className="kv full">
              <dt>部门</dt>
              <dd>{p.fixed.deptName}</dd>
              <dt>适用范围</dt>
              <dd>{p.fixed.target}</dd>
            </dl>
          ) : (
            <>
              <SelectField
                label="部门"
                reg={register("holderDeptId", { onChange: (e: React.ChangeEvent<HTMLSelectElement>) => void loadTargets(e.target.value) })}
                error={errors.holderDeptId}
                required
                full
                options={[
                  { value: "", label: "请选择部门" },
                  ...(p.departments ?? []).map((d) => ({ value: d.id, label: `${"　".repeat(d.depth)}${d.name}${d.disabled ? "（已停用）" : ""}`, disabled: d.disabled })),
                ]}
              />
              <fieldset className="full" style={plain}>
                <legend style={{ fontSize: 13, color: "#606266", padding: 0, marginBottom: 4 }}>
                  适用范围<i className="req" style={{ color: "var(--danger)", marginLeft: 2 }}>*</i>
                </legend>
                <div className="checks">
                  <label>
                    <input type="radio" name="flow-target" value="DEFAULT" style={radio} checked={target === "DEFAULT"} onChange={() => chooseTarget("DEFAULT")} />
                    部门默认（按印章类型）
                  </label>
                  <label>
                    <input type="radio" name="flow-target" value="SEAL" style={radio} checked={target === "SEAL"} onChange={() => chooseTarget("SEAL")} />
                    指定印章
                  </label>
                </div>
              </fieldset>
              {target === "DEFAULT" ? (
                <SelectField
                  label="印章类型"
                  reg={register("sealKind", { setValueAs: (v: string | null) => v || null })}
                  error={targetError}
                  required
                  options={[
                    { value: "", label: "请选择印章类型" },
                    ...SEAL_KINDS.map((k) => {
                      const has = !!targets?.defaultFlows[k];
                      return { value: k, label: `${SEAL_KIND_LABELS[k]}${has ? "（已有默认流程）" : ""}`, disabled: has && sealKind !== k };
                    }),
                  ]}
                />
              ) : (
                <SelectField
                  label="印章"
                  reg={register("sealId", { setValueAs: (v: string | null) => v || null })}
                  error={errors.sealId ?? targetError}
                  required
                  options={[
                    { value: "", label: !deptId ? "请先选择部门" : loading ? "正在加载…" : targets?.seals.length ? "请选择印章" : "该部门暂无有效或待备案的印章" },
                    ...(targets?.seals ?? []).map((s) => ({ value: s.id, label: `${s.label}${s.flowId ? "（已有专用流程）" : ""}`, disabled: !!s.flowId })),
                  ]}
                />
              )}
              {taken > 0 && (
                <p className="muted full" style={{ margin: 0 }}>
                  已设置流程的印章类型或印章不能重复新建，请在<Link href="/seal-use/flows">流程列表</Link>中打开原流程修改。
                </p>
              )}
            </>
          )}
          <TextField label="流程名称" reg={register("name")} error={errors.name} required full placeholder="如：合同专用章用印审批" />
        </div>

        <h2 style={{ marginTop: 20 }}>审批环节</h2>
        <p className="muted" style={{ marginTop: -4 }}>
          按顺序逐步审批。或签：任一审批人同意即通过；会签：全部审批人同意才通过。审批人可指定人员，也可指定某部门的“用印审批人”角色（提交申请时取当时具有该角色的人员）；申请人本人不参与审批。
        </p>
        {!deptId && <div className="alert warn">请先选择部门，再设置审批人。</div>}
        {dropped > 0 && (
          <div className="alert warn" role="status">
            已移除 {dropped} 名不能审批该部门印章的审批人，请重新指定。
          </div>
        )}
        <ol style={{ listStyle: "none", padding: 0, margin: 0 }}>
          {steps.fields.map((f, i) => (
            <li key={f.id} style={{ marginBottom: 12 }}>
              <StepEditor
                index={i}
                count={steps.fields.length}
                control={control}
                register={register}
                errors={errors}
                targets={targets}
                holderDeptId={deptId}
                names={p.names}
                uid={uid}
                onMove={(to) => {
                  steps.move(i, to);
                  const [same, other] = to < i ? ["up", "down"] : ["down", "up"];
                  refocus(`${uid}-s${to}-${same}`, `${uid}-s${to}-${other}`);
                }}
                onRemove={() => {
                  steps.remove(i);
                  refocus(`${uid}-add-step`);
                }}
              />
            </li>
          ))}
          <li style={{ border: "1px dashed var(--border)", borderRadius: 4, padding: "10px 14px", background: "#fafafa" }} aria-label="最后一步：保管人确认（固定，不可编辑）">
            <strong>最后：保管人确认</strong>
            <span className="muted">（集中用印的印章自动追加，由该印章的保管人确认用印，不可编辑）</span>
            {distributed && <div className="muted">所选印章为分散式用印，不追加此步。</div>}
          </li>
        </ol>
        <div style={{ ...row, marginTop: 8 }}>
          <button
            id={`${uid}-add-step`}
            className="btn"
            type="button"
            disabled={steps.fields.length >= MAX_FLOW_STEPS}
            onClick={() => steps.append({ name: "", mode: "ANY", approvers: [] })}
          >
            ＋ 添加审批环节
          </button>
          <span className="muted">最多 {MAX_FLOW_STEPS} 个环节</span>
        </div>
        {arrayError(errors.steps) && <em role="alert" style={errStyle}>{arrayError(errors.steps)}</em>}

        <label className="field" style={{ marginTop: 16 }}>
          <span>修改说明</span>
          <textarea
            rows={2}
            style={{ width: "100%" }}
            maxLength={200}
            placeholder={p.fixed ? "说明本次修改的内容和依据，记入版本历史" : "如：依据本单位印章管理办法设置"}
            {...register("note")}
            aria-invalid={!!errors.note}
          />
          <em className="err" role={errors.note?.message ? "alert" : undefined} style={{ fontStyle: "normal" }}>
            {errors.note?.message ?? ""}
          </em>
        </label>

        <div style={{ display: "flex", gap: 8, marginTop: 16 }}>
          <button className="btn primary" type="submit">
            {isSubmitting || saved ? t.common.saving : p.fixed ? `保存为第 ${p.initial.baseVersion + 1} 版` : "保存流程"}
          </button>
          <Link className="btn" href="/seal-use/flows">返回列表</Link>
        </div>
      </fieldset>
    </form>
  );
}

function StepEditor(p: {
  index: number;
  count: number;
  /** prefix for element ids, so focus can follow a moved or removed item */
  uid: string;
  control: Control<In, unknown, Out>;
  register: UseFormRegister<In>;
  errors: FieldErrors<In>;
  targets: FlowTargets | null;
  holderDeptId: string;
  names: Record<string, string>;
  onMove: (to: number) => void;
  onRemove: () => void;
}) {
  const { index: i, register, uid } = p;
  const approvers = useFieldArray({ control: p.control, name: `steps.${i}.approvers` });
  const e = p.errors.steps?.[i];
  const n = i + 1;
  const candidates = p.targets?.candidates ?? [];
  const roleDepts = p.targets?.roleDepts ?? [];
  const full = approvers.fields.length >= MAX_STEP_APPROVERS;
  const defaultRoleDept = roleDepts.some((d) => d.id === p.holderDeptId) ? p.holderDeptId : "";
  const listError = arrayError(e?.approvers);
  return (
    <fieldset style={{ border: "1px solid var(--border)", borderRadius: 4, padding: "10px 14px 8px", margin: 0, minWidth: 0 }}>
      <legend style={{ padding: "0 6px", fontWeight: 600 }}>第 {n} 步</legend>
      <div style={{ ...row, justifyContent: "flex-end", marginTop: -6 }}>
        <button id={`${uid}-s${i}-up`} className="btn link" type="button" disabled={i === 0} onClick={() => p.onMove(i - 1)} aria-label={`上移第 ${n} 步`}>上移</button>
        <button id={`${uid}-s${i}-down`} className="btn link" type="button" disabled={i === p.count - 1} onClick={() => p.onMove(i + 1)} aria-label={`下移第 ${n} 步`}>下移</button>
        <button className="btn link danger" type="button" disabled={p.count === 1} onClick={p.onRemove} aria-label={`删除第 ${n} 步`}>删除</button>
      </div>
      <div className="form">
        <TextField label="环节名称" reg={register(`steps.${i}.name`)} error={e?.name} required placeholder="如：部门负责人审批" />
        <SelectField
          label="审批方式"
          reg={register(`steps.${i}.mode`)}
          error={e?.mode}
          required
          options={(["ANY", "ALL"] as const).map((m) => ({ value: m, label: MODE_LABELS[m] }))}
        />
      </div>
      <fieldset style={plain}>
        <legend style={{ fontSize: 13, color: "#606266", padding: 0, marginBottom: 4 }}>
          审批人<i style={{ color: "var(--danger)", marginLeft: 2, fontStyle: "normal" }}>*</i>
        </legend>
        {approvers.fields.length === 0 && <p className="muted" style={{ margin: "0 0 6px" }}>尚未添加审批人</p>}
        <ul style={{ listStyle: "none", padding: 0, margin: 0 }}>
          {approvers.fields.map((a, j) => {
            const who = `第 ${n} 步第 ${j + 1} 位审批人`;
            const msg = approverError(e?.approvers?.[j]);
            return (
              <li key={a.id} style={{ marginBottom: 6 }}>
                <div style={row}>
                  <span className="badge" style={{ minWidth: 64, textAlign: "center" }}>{a.type === "USER" ? "指定人员" : "角色"}</span>
                  {a.type === "USER" ? (
                    <select {...register(`steps.${i}.approvers.${j}.userId`)} aria-label={`${who}（指定人员）`} aria-invalid={!!msg} style={{ minWidth: 320 }}>
                      <option value="">{candidates.length ? "请选择审批人" : "暂无可选的用印审批人"}</option>
                      {a.userId && !candidates.some((c) => c.id === a.userId) && <option value={a.userId}>{`${p.names[a.userId] ?? "未知用户"}（当前不能审批）`}</option>}
                      {candidates.map((c) => (
                        <option key={c.id} value={c.id}>{c.label}</option>
                      ))}
                    </select>
                  ) : (
                    <>
                      <select {...register(`steps.${i}.approvers.${j}.departmentId`)} aria-label={`${who}（角色所在部门）`} aria-invalid={!!msg} style={{ minWidth: 220 }}>
                        <option value="">请选择部门</option>
                        {a.departmentId && !roleDepts.some((d) => d.id === a.departmentId) && <option value={a.departmentId}>{`${p.names[a.departmentId] ?? "未知部门"}（当前不可选）`}</option>}
                        {roleDepts.map((d) => (
                          <option key={d.id} value={d.id}>{d.name}</option>
                        ))}
                      </select>
                      <span>的</span>
                      <select {...register(`steps.${i}.approvers.${j}.role`)} aria-label={`${who}（角色）`} style={{ minWidth: 140 }}>
                        {APPROVER_ROLES.map((r) => (
                          <option key={r} value={r}>{t.roles[r]}</option>
                        ))}
                      </select>
                    </>
                  )}
                  <button
                    className="btn link danger"
                    type="button"
                    aria-label={`移除${who}`}
                    onClick={() => {
                      approvers.remove(j);
                      refocus(`${uid}-s${i}-add-user`);
                    }}
                  >
                    移除
                  </button>
                </div>
                {msg && <em role="alert" style={errStyle}>{msg}</em>}
              </li>
            );
          })}
        </ul>
        <div style={row}>
          <button id={`${uid}-s${i}-add-user`} className="btn" type="button" disabled={!p.targets || full} onClick={() => approvers.append({ type: "USER", userId: "" })}>
            ＋ 指定人员
          </button>
          <button className="btn" type="button" disabled={!p.targets || full} onClick={() => approvers.append({ type: "ROLE", role: "SEAL_APPROVER", departmentId: defaultRoleDept })}>
            ＋ 角色
          </button>
          {full && <span className="muted">每个环节最多 {MAX_STEP_APPROVERS} 名审批人</span>}
        </div>
        {listError && <em role="alert" style={errStyle}>{listError}</em>}
      </fieldset>
    </fieldset>
  );
}
