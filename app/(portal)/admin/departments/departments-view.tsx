"use client";
import { useMemo, useState } from "react";
import { useRouter } from "next/navigation";
import { useForm, useFieldArray } from "react-hook-form";
import { zodResolver } from "@hookform/resolvers/zod";
import type { z } from "zod";
import type { DeptNode } from "@/lib/departments/queries";
import { departmentCreateSchema, departmentUpdateSchema } from "@/lib/departments/schema";
import { TextField, SelectField, applyServerErrors } from "@/components/form/field";
import { Modal } from "@/components/ui/modal";
import { FormModal } from "@/components/ui/form-modal";
import { t } from "@/lib/i18n/zh-CN";
import { createDepartmentAction, moveDepartmentAction, setDepartmentStatusAction, updateDepartmentAction } from "./actions";

type Props = { nodes: DeptNode[]; selectedId: string | null; manageable: string[] };
type Mode = null | { kind: "create"; parent: DeptNode | null } | { kind: "edit"; node: DeptNode } | { kind: "move"; node: DeptNode };

export function DepartmentsView({ nodes, selectedId, manageable }: Props) {
  const router = useRouter();
  const canManage = useMemo(() => new Set(manageable), [manageable]);
  const ids = useMemo(() => new Set(nodes.map((n) => n.id)), [nodes]);
  const children = useMemo(() => {
    const m = new Map<string | null, DeptNode[]>();
    for (const n of nodes) {
      const k = n.parentId && ids.has(n.parentId) ? n.parentId : null;
      m.set(k, [...(m.get(k) ?? []), n]);
    }
    return m;
  }, [nodes, ids]);
  const [collapsed, setCollapsed] = useState<Set<string>>(new Set());
  const [mode, setMode] = useState<Mode>(null);
  const [msg, setMsg] = useState<{ ok: boolean; text: string } | null>(null);
  const selected = nodes.find((n) => n.id === selectedId) ?? null;

  const finish = (text: string) => {
    setMode(null);
    setMsg({ ok: true, text });
    router.refresh();
  };

  const renderTree = (parent: string | null): React.ReactNode => {
    const list = children.get(parent);
    if (!list?.length) return null;
    return (
      <ul className={parent === null ? "tree" : undefined}>
        {list.map((n) => {
          const hasKids = !!children.get(n.id)?.length;
          const open = !collapsed.has(n.id);
          return (
            <li key={n.id}>
              <div className={`node${n.id === selectedId ? " sel" : ""}${n.status === "DISABLED" ? " disabled" : ""}`} onClick={() => router.push(`/admin/departments?id=${n.id}`)}>
                <button
                  type="button"
                  className="toggle"
                  aria-label={open ? "收起" : "展开"}
                  onClick={(e) => {
                    e.stopPropagation();
                    const next = new Set(collapsed);
                    if (open) next.add(n.id);
                    else next.delete(n.id);
                    setCollapsed(next);
                  }}
                >
                  {hasKids ? (open ? "▾" : "▸") : "·"}
                </button>
                <span>{n.name}</span>
                <span className="muted" style={{ fontSize: 12 }}>{n.areaCode}</span>
              </div>
              {open && renderTree(n.id)}
            </li>
          );
        })}
      </ul>
    );
  };

  return (
    <div className="split">
      <div className="card">
        <div className="toolbar">
          {canManage.size > 0 && (
            <button className="btn primary" type="button" onClick={() => setMode({ kind: "create", parent: selected })}>
              {selected ? "新增下级部门" : "新增部门"}
            </button>
          )}
        </div>
        <div data-testid="dept-tree">{renderTree(null)}</div>
      </div>
      <div className="card">
        {msg && <div className={`alert ${msg.ok ? "ok" : "error"}`} role="status">{msg.text}</div>}
        {!selected && <p className="muted">在左侧选择一个部门查看详情。</p>}
        {selected && (
          <>
            <h2>{selected.name}</h2>
            <dl className="kv">
              <dt>统一社会信用代码</dt><dd className="mono">{selected.uscc}</dd>
              <dt>行政区划代码</dt><dd>{selected.areaCode}</dd>
              <dt>层级 / 类别</dt><dd>{t.deptLevels[selected.level]} / {t.deptKinds[selected.kind]}</dd>
              <dt>证照体系职能</dt>
              <dd>
                {(["isIssuing", "isUsing", "isManagement", "isSealMaking"] as const).filter((k) => selected[k]).map((k) => (
                  <span key={k} className="badge info">{t.deptParts[k]}</span>
                ))}
              </dd>
              <dt>状态</dt><dd><span className={`badge ${selected.status === "ACTIVE" ? "ok" : "danger"}`}>{t.status[selected.status]}</span></dd>
              <dt>用户数</dt><dd>{selected.userCount}</dd>
              <dt>专人（P-03）</dt>
              <dd>{selected.staff.length === 0 ? <span className="muted">未登记</span> : selected.staff.map((s, i) => <div key={i}>{s.name} · {s.duty}{s.phone ? ` · ${s.phone}` : ""}</div>)}</dd>
            </dl>
            {canManage.has(selected.id) && (
              <div className="toolbar" style={{ marginTop: 16 }}>
                <button className="btn" type="button" onClick={() => setMode({ kind: "edit", node: selected })}>{t.common.edit}</button>
                <button className="btn" type="button" onClick={() => setMode({ kind: "move", node: selected })}>移动</button>
                <button
                  className={`btn${selected.status === "ACTIVE" ? " danger" : ""}`}
                  type="button"
                  onClick={async () => {
                    const r = await setDepartmentStatusAction({ id: selected.id, status: selected.status === "ACTIVE" ? "DISABLED" : "ACTIVE" });
                    if (r.ok) finish(selected.status === "ACTIVE" ? "部门已停用" : "部门已启用");
                    else setMsg({ ok: false, text: r.error });
                  }}
                >
                  {selected.status === "ACTIVE" ? t.common.disable : t.common.enable}
                </button>
              </div>
            )}
          </>
        )}
      </div>
      {mode?.kind === "create" && <DeptForm parent={mode.parent} onClose={() => setMode(null)} onDone={finish} />}
      {mode?.kind === "edit" && <DeptForm node={mode.node} onClose={() => setMode(null)} onDone={finish} />}
      {mode?.kind === "move" && (
        <MoveForm node={mode.node} targets={nodes.filter((n) => canManage.has(n.id) && n.status === "ACTIVE")} onClose={() => setMode(null)} onDone={finish} />
      )}
    </div>
  );
}

type CreateValues = z.input<typeof departmentCreateSchema>;

function DeptForm({ parent, node, onClose, onDone }: { parent?: DeptNode | null; node?: DeptNode; onClose: () => void; onDone: (t: string) => void }) {
  const [error, setError] = useState<string | null>(null);
  const schema = node ? departmentUpdateSchema : departmentCreateSchema;
  const defaults = node
    ? { id: node.id, name: node.name, uscc: node.uscc, areaCode: node.areaCode, level: node.level, kind: node.kind, isIssuing: node.isIssuing, isUsing: node.isUsing, isManagement: node.isManagement, isSealMaking: node.isSealMaking, sortOrder: node.sortOrder, staff: node.staff }
    : { parentId: parent?.id ?? null, name: "", uscc: "", areaCode: parent?.areaCode ?? "", level: parent ? (parent.level === "PROVINCE" ? "PROVINCE" : "COUNTY") : "PROVINCE", kind: "AGENCY", isIssuing: false, isUsing: false, isManagement: false, isSealMaking: false, sortOrder: 0, staff: [] };
  const form = useForm<CreateValues>({ resolver: zodResolver(schema as typeof departmentCreateSchema), defaultValues: defaults as CreateValues });
  const { register, control, formState: { errors, isSubmitting } } = form;
  const staff = useFieldArray({ control, name: "staff" });
  const submit = form.handleSubmit(async (v) => {
    const r = node ? await updateDepartmentAction(v) : await createDepartmentAction(v);
    if (!r.ok) {
      setError(r.error);
      applyServerErrors(r.fieldErrors, form.setError);
      return;
    }
    onDone(node ? `已保存 ${v.name}` : `已创建部门 ${v.name}`);
  });
  return (
    <FormModal title={node ? `编辑部门：${node.name}` : parent ? `新增下级部门（上级：${parent.name}）` : "新增部门"} error={error} busy={isSubmitting} submitLabel={t.common.save} busyLabel={t.common.saving} onSubmit={submit} onClose={onClose}>
      <div className="form">
        <TextField label="部门名称" reg={register("name")} error={errors.name} required full />
        <TextField label="统一社会信用代码" reg={register("uscc")} error={errors.uscc} required />
        <TextField label="行政区划代码" reg={register("areaCode")} error={errors.areaCode} required />
        <SelectField label="层级" reg={register("level")} error={errors.level} required options={(["PROVINCE", "CITY", "COUNTY"] as const).map((v) => ({ value: v, label: t.deptLevels[v] }))} />
        <SelectField label="类别" reg={register("kind")} error={errors.kind} required options={(["AGENCY", "INSTITUTION", "OTHER"] as const).map((v) => ({ value: v, label: t.deptKinds[v] }))} />
        <div className="field full">
          <span>证照体系职能</span>
          <div className="checks">
            {(["isIssuing", "isUsing", "isManagement", "isSealMaking"] as const).map((k) => (
              <label key={k}><input type="checkbox" {...register(k)} />{t.deptParts[k]}</label>
            ))}
          </div>
        </div>
        <TextField label="排序" type="number" reg={register("sortOrder", { valueAsNumber: true })} error={errors.sortOrder} />
        <div className="field full">
          <span>证照工作专人（P-03）</span>
          {staff.fields.map((f, i) => (
            <div key={f.id} style={{ display: "grid", gridTemplateColumns: "1fr 1.5fr 1fr auto", gap: 8, marginBottom: 6 }}>
              <input placeholder="姓名" aria-label={`专人${i + 1}姓名`} {...register(`staff.${i}.name`)} style={{ minWidth: 0 }} />
              <input placeholder="职责" aria-label={`专人${i + 1}职责`} {...register(`staff.${i}.duty`)} style={{ minWidth: 0 }} />
              <input placeholder="电话" aria-label={`专人${i + 1}电话`} {...register(`staff.${i}.phone`)} style={{ minWidth: 0 }} />
              <button className="btn link danger" type="button" onClick={() => staff.remove(i)}>删除</button>
              {errors.staff?.[i] && <em className="err" style={{ gridColumn: "1 / -1", fontStyle: "normal", color: "var(--danger)", fontSize: 12 }}>{errors.staff[i]?.name?.message ?? errors.staff[i]?.duty?.message ?? errors.staff[i]?.phone?.message}</em>}
            </div>
          ))}
          <div><button className="btn" type="button" onClick={() => staff.append({ name: "", duty: "", phone: "" })}>添加专人</button></div>
        </div>
      </div>
    </FormModal>
  );
}

function MoveForm({ node, targets, onClose, onDone }: { node: DeptNode; targets: DeptNode[]; onClose: () => void; onDone: (t: string) => void }) {
  const [parentId, setParentId] = useState("");
  const [error, setError] = useState<string | null>(null);
  return (
    <Modal title={`移动部门：${node.name}`} onClose={onClose}>
      {error && <div className="alert error" role="alert">{error}</div>}
      <label className="field">
        <span>新的上级部门</span>
        <select value={parentId} onChange={(e) => setParentId(e.target.value)}>
          <option value="">请选择</option>
          {targets.filter((d) => d.id !== node.id).map((d) => <option key={d.id} value={d.id}>{d.name}</option>)}
        </select>
      </label>
      <div className="foot">
        <button className="btn" type="button" onClick={onClose}>{t.common.cancel}</button>
        <button
          className="btn primary"
          type="button"
          onClick={async () => {
            const r = await moveDepartmentAction({ id: node.id, parentId });
            if (r.ok) onDone("部门已移动");
            else setError(r.fieldErrors?.parentId ?? r.error);
          }}
        >
          {t.common.confirm}
        </button>
      </div>
    </Modal>
  );
}
