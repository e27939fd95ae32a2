"use client";
// The licence type editor (L-01) with the type page's tabs: 基本信息, 照面信息 and 照面模板 are one
// form (react-hook-form with the server's zod schema); 版本 and 历史 come from the server. A
// released version is read-only: 编辑 makes the next version's draft on save.
import { useId, useMemo, useState } from "react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useForm, useWatch, type FieldErrors, type Resolver } from "react-hook-form";
import { zodResolver } from "@hookform/resolvers/zod";
import { applyServerErrors } from "@/components/form/field";
import { typeCreateSchema, typeUpdateSchema } from "@/lib/catalog/schema";
import { FACE_LAYOUTS } from "@/lib/catalog/dictionaries";
import type { TypeFormOptions } from "@/lib/catalog/queries";
import { t } from "@/lib/i18n/zh-CN";
import { createTypeAction, saveDraftAction } from "../actions";
import { BasicFields } from "./basic-fields";
import { FaceFieldsEditor } from "./face-fields-editor";
import { FacePreview } from "./face-preview";
import { TypeActions, type TypeCan } from "./type-actions";
import styles from "./editor.module.css";
import { errStyle, plain, type ContentIn, type FormOut, type FormValues, type TabKey } from "./types";

const NETWORK_ERROR = "网络异常，请检查网络后重试";
const FORM_TABS: { key: TabKey; label: string }[] = [
  { key: "basic", label: "基本信息" },
  { key: "face", label: "照面信息" },
  { key: "template", label: "照面模板" },
];

/** Tabs holding an error, in tab order. */
function errorTabs(e: FieldErrors<FormValues>): TabKey[] {
  const c = (e.content ?? {}) as Record<string, unknown>;
  const out: TabKey[] = [];
  if (e.typeCode || e.ownerDeptId || Object.keys(c).some((k) => k !== "faceFields" && k !== "faceLayout")) out.push("basic");
  if (c.faceFields) out.push("face");
  if (c.faceLayout) out.push("template");
  return out;
}

const LIMITS = { minLength: undefined, maxLength: undefined, min: undefined, max: undefined, decimals: undefined, options: undefined, minDate: undefined, maxDate: undefined };
/**
 * Every face field with all its optional limits present (undefined when unset): the limit inputs
 * register those keys on mount, and a key that appears counts as a change for isDirty.
 */
function withLimitKeys(c: ContentIn): ContentIn {
  return { ...c, faceFields: (c.faceFields ?? []).map((f) => ({ ...LIMITS, ...f })) };
}

export type EditorProps = {
  mode: "create" | "edit";
  typeId: string;
  rev: number;
  typeCode: string;
  ownerDeptId: string;
  ownerDeptName: string;
  content: ContentIn;
  options: TypeFormOptions;
  names: { depts: Record<string, string>; seals: Record<string, string> };
  /** new type, editable draft, released (read-only until 编辑), or read-only (under review, retired, no permission) */
  state: "new" | "draft" | "released" | "readonly";
  readonlyNote?: string;
  latestNumber: number;
  can: TypeCan;
  licenceCount: number;
  canPreview: boolean;
  initialTab: TabKey;
  extraTabs: { key: TabKey; label: string; content: React.ReactNode }[];
};

export function TypeEditor(p: EditorProps) {
  const router = useRouter();
  const formId = useId();
  const [tab, setTabState] = useState<TabKey>(p.initialTab);
  const [editing, setEditing] = useState(p.state === "new" || p.state === "draft");
  const [error, setError] = useState<string | null>(null);
  const [conflict, setConflict] = useState(false);
  const [saved, setSaved] = useState(false);
  const resolver = useMemo(
    () => (p.mode === "create" ? zodResolver(typeCreateSchema) : zodResolver(typeUpdateSchema)) as unknown as Resolver<FormValues, unknown, FormOut>,
    [p.mode],
  );
  const form = useForm<FormValues, unknown, FormOut>({
    resolver,
    defaultValues: { typeCode: p.typeCode, ownerDeptId: p.ownerDeptId, typeId: p.typeId, rev: p.rev, content: withLimitKeys(p.content) },
  });
  const { control, register, setValue, reset, formState } = form;
  const { errors, isSubmitting, isDirty } = formState;
  const typeCode = useWatch({ control, name: "typeCode" });
  const bad = errorTabs(errors);
  const issuingInScope = useMemo(() => new Set(p.options.issuing.map((d) => d.id)), [p.options.issuing]);

  const setTab = (k: TabKey) => {
    setTabState(k);
    const q = new URLSearchParams(window.location.search);
    q.set("tab", k);
    q.delete("done");
    q.delete("v");
    window.history.replaceState(null, "", `?${q.toString()}`);
  };
  const showErrors = (e: FieldErrors<FormValues>) => {
    const tabs = errorTabs(e);
    if (tabs.length && !tabs.includes(tab)) setTab(tabs[0]);
  };

  const submit = form.handleSubmit(async (v) => {
    setError(null);
    setConflict(false);
    let r: { ok: true; next: string } | { ok: false; code: string; error: string; fieldErrors?: Record<string, string> };
    try {
      if (p.mode === "create") {
        const c = await createTypeAction({ typeCode: v.typeCode, ownerDeptId: v.ownerDeptId, content: v.content });
        r = c.ok ? { ok: true, next: `/catalog/${c.data.id}?done=created` } : c;
      } else {
        const u = await saveDraftAction({ typeId: p.typeId, rev: p.rev, content: v.content });
        r = u.ok ? { ok: true, next: `/catalog/${p.typeId}?tab=${tab}&done=saved&v=${u.data.version}` } : u;
      }
    } catch {
      setError(NETWORK_ERROR);
      return;
    }
    if (!r.ok) {
      setError(r.error);
      setConflict(r.code === "CONFLICT");
      applyServerErrors(r.fieldErrors, form.setError);
      // server keys are paths like content.faceFields.2.key: find their tab
      const keys = Object.keys(r.fieldErrors ?? {});
      const tabs: TabKey[] = [];
      if (keys.some((k) => !k.startsWith("content.faceFields") && !k.startsWith("content.faceLayout"))) tabs.push("basic");
      if (keys.some((k) => k.startsWith("content.faceFields"))) tabs.push("face");
      if (keys.some((k) => k.startsWith("content.faceLayout"))) tabs.push("template");
      if (tabs.length && !tabs.includes(tab)) setTab(tabs[0]);
      return;
    }
    setSaved(true);
    if (p.mode === "create") router.push(r.next);
    else router.replace(r.next, { scroll: false });
  }, showErrors);

  const locked = !editing || isSubmitting || saved;
  const nextVersion = p.latestNumber + 1;
  const tabs = [...FORM_TABS, ...p.extraTabs.map(({ key, label }) => ({ key, label }))];

  return (
    // the dialogs of TypeActions hold forms of their own, so the toolbar and the tabs stay outside this form
    <div data-testid="type-editor">
      {p.state === "released" && !editing && (
        <div className="alert warn" role="status">
          当前为已发布的第 {p.latestNumber} 版，内容只读。
          {p.can.edit && <>点击「编辑」修改：保存后将生成第 {nextVersion} 版草稿，已发布版本保持不变，审核发布前仍按第 {p.latestNumber} 版签发。</>}
        </div>
      )}
      {p.state === "released" && editing && (
        <div className="alert warn" role="status">
          正在编辑：保存后将生成第 {nextVersion} 版草稿，已发布的第 {p.latestNumber} 版保持不变。
        </div>
      )}
      {p.state === "readonly" && p.readonlyNote && (
        <div className="alert warn" role="status">
          {p.readonlyNote}
        </div>
      )}
      {error && (
        <div className="alert error" role="alert">
          {error}
          {conflict && (
            <>
              {" "}
              <a href={`/catalog/${p.typeId}`}>刷新页面</a>
            </>
          )}
        </div>
      )}

      <div className="toolbar" style={{ flexWrap: "wrap", alignItems: "center" }}>
        {editing && (
          <button className="btn primary" type="submit" form={formId} disabled={locked}>
            {isSubmitting || saved ? t.common.saving : p.state === "released" ? `保存为第 ${nextVersion} 版草稿` : "保存草稿"}
          </button>
        )}
        {p.state === "released" && p.can.edit && !editing && (
          <button className="btn primary" type="button" onClick={() => setEditing(true)} title={`保存后将生成第 ${nextVersion} 版草稿，已发布版本保持不变`}>
            编辑
          </button>
        )}
        {p.state === "released" && editing && (
          <button
            className="btn"
            type="button"
            disabled={isSubmitting || saved}
            onClick={() => {
              reset();
              setError(null);
              setEditing(false);
            }}
          >
            取消编辑
          </button>
        )}
        {p.mode === "edit" && <TypeActions typeId={p.typeId} can={p.can} dirty={isDirty} licenceCount={p.licenceCount} />}
        <Link className="btn" href="/catalog">
          返回列表
        </Link>
        {editing && isDirty && <span className="muted">有未保存的修改</span>}
      </div>

      <div role="tablist" aria-label="证照类型" style={{ display: "flex", gap: 2, borderBottom: "1px solid var(--border)", marginBottom: 16 }}>
        {tabs.map((x) => (
          <button
            key={x.key}
            type="button"
            role="tab"
            id={`tab-${x.key}`}
            aria-selected={tab === x.key}
            aria-controls={`panel-${x.key}`}
            onClick={() => setTab(x.key)}
            style={{
              border: "none",
              background: "none",
              padding: "8px 16px",
              cursor: "pointer",
              borderBottom: tab === x.key ? "2px solid var(--primary)" : "2px solid transparent",
              color: tab === x.key ? "var(--primary)" : "var(--text)",
              marginBottom: -1,
            }}
          >
            {x.label}
            {bad.includes(x.key) && (
              <span style={{ color: "var(--danger)", marginLeft: 4 }} aria-label="（有错误）">
                ●
              </span>
            )}
          </button>
        ))}
      </div>

      <form id={formId} onSubmit={submit} noValidate>
        <fieldset disabled={locked} style={plain} className={!editing ? styles.locked : undefined}>
          <div role="tabpanel" id="panel-basic" aria-labelledby="tab-basic" hidden={tab !== "basic"}>
            <BasicFields
              control={control}
              register={register}
              setValue={setValue}
              errors={errors}
              create={p.mode === "create"}
              fixedTypeCode={p.typeCode}
              ownerDeptName={p.ownerDeptName}
              options={p.options}
              names={p.names}
              initialIssuing={p.content.issuingDeptIds ?? []}
              initialSeals={p.content.sealIds ?? []}
            />
          </div>
          <div role="tabpanel" id="panel-face" aria-labelledby="tab-face" hidden={tab !== "face"}>
            <FaceFieldsEditor control={control} register={register} setValue={setValue} errors={errors} disabled={locked} />
            <p className="muted">在「照面模板」中选择版式并查看样例预览。</p>
          </div>
        </fieldset>
        <div role="tabpanel" id="panel-template" aria-labelledby="tab-template" hidden={tab !== "template"}>
          <div style={{ display: "grid", gridTemplateColumns: "minmax(220px, 280px) minmax(0, 1fr)", gap: 20, alignItems: "start" }}>
            <fieldset disabled={locked} style={plain} className={!editing ? styles.locked : undefined}>
              <legend style={{ fontSize: 13, color: "#606266", padding: 0, marginBottom: 8 }}>
                照面版式<i style={{ color: "var(--danger)", marginLeft: 2, fontStyle: "normal" }}>*</i>
              </legend>
              {FACE_LAYOUTS.map((l) => (
                <label key={l.code} style={{ display: "flex", gap: 10, alignItems: "center", border: "1px solid var(--border)", borderRadius: 4, padding: "10px 12px", marginBottom: 8, cursor: "pointer" }}>
                  <input type="radio" value={l.code} {...register("content.faceLayout")} style={{ minWidth: 0, margin: 0 }} />
                  <LayoutIcon code={l.code} />
                  <span>
                    {l.label}
                    <span className="muted" style={{ display: "block", fontSize: 12 }}>{LAYOUT_NOTES[l.code]}</span>
                  </span>
                </label>
              ))}
              {errors.content?.faceLayout?.message && <em role="alert" style={errStyle}>{errors.content.faceLayout.message}</em>}
            </fieldset>
            <div>
              {p.canPreview ? (
                <FacePreview control={control} typeCode={p.mode === "create" ? (typeCode ?? "") : p.typeCode} seals={p.options.seals} issuingInScope={issuingInScope} active={tab === "template"} />
              ) : (
                <p className="muted">样例预览供目录管理员使用。</p>
              )}
            </div>
          </div>
        </div>
      </form>
      {p.extraTabs.map((x) => (
        <div key={x.key} role="tabpanel" id={`panel-${x.key}`} aria-labelledby={`tab-${x.key}`} hidden={tab !== x.key}>
          {x.content}
        </div>
      ))}
    </div>
  );
}

const LAYOUT_NOTES: Record<string, string> = {
  PORTRAIT_CERT: "A4 竖版，适合许可证、资格证书",
  LANDSCAPE_LICENCE: "A4 横版，两栏，适合营业执照类",
  CARD: "卡片（85.6×54 mm），适合证件",
};

function LayoutIcon({ code }: { code: string }) {
  const size = code === "PORTRAIT_CERT" ? { w: 26, h: 36 } : code === "LANDSCAPE_LICENCE" ? { w: 40, h: 28 } : { w: 38, h: 24 };
  return (
    <span
      aria-hidden="true"
      style={{ display: "inline-block", width: size.w, height: size.h, border: "2px solid #9e1c21", borderRadius: code === "CARD" ? 4 : 1, boxShadow: "inset 0 0 0 2px #fff, inset 0 0 0 3px #9e1c21", flex: "none" }}
    />
  );
}
