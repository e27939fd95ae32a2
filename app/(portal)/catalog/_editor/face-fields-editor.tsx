"use client";
// 照面信息: the ordered list of face fields. Each row: key, label, type, required, sensitive, and the
// limits its type allows (length for text and address, range and decimals for numbers, options for
// enumerations, earliest/latest for dates). Changing the type drops limits the new type cannot have.
import { useId, useState } from "react";
import { useFieldArray, useWatch } from "react-hook-form";
import { FIELD_TYPES, FIELD_TYPE_LABELS, MAX_ENUM_OPTIONS, MAX_FACE_FIELDS, type FieldType } from "@/lib/catalog/face-fields";
import { errStyle, messageOf, type FormBits } from "./types";

const LIMIT_KEYS = ["minLength", "maxLength", "min", "max", "decimals", "options", "minDate", "maxDate"] as const;
const num = { setValueAs: (v: unknown) => (v === "" || v === null || v === undefined ? undefined : typeof v === "number" ? v : Number(v)) };
const date = { setValueAs: (v: unknown) => (v === "" || v === null || v === undefined ? undefined : v) };
const small = { minWidth: 0, width: 86 } as const;
const row = { display: "flex", flexWrap: "wrap", gap: 6, alignItems: "center" } as const;

function refocus(...ids: string[]) {
  requestAnimationFrame(() => {
    for (const id of ids) {
      const el = document.getElementById(id) as HTMLButtonElement | null;
      if (el && !el.disabled) return el.focus();
    }
  });
}

export function FaceFieldsEditor({ control, register, setValue, errors, disabled }: FormBits & { disabled: boolean }) {
  const fields = useFieldArray({ control, name: "content.faceFields" });
  const values = useWatch({ control, name: "content.faceFields" });
  const uid = useId();
  const listError = messageOf(errors.content?.faceFields);

  const add = () => {
    const taken = new Set((values ?? []).map((f) => f.key));
    let n = (values?.length ?? 0) + 1;
    while (taken.has(`field${n}`)) n++;
    fields.append({ key: `field${n}`, label: "", type: "TEXT", required: false, sensitive: false });
  };

  return (
    <div>
      <p className="muted" style={{ marginTop: 0 }}>
        照面字段按顺序显示在证照上。字段键用于数据交换（以小写字母开头，只含字母、数字和下划线，保存后请勿随意更改）；敏感字段在列表和公示页面中脱敏显示。
      </p>
      <div style={{ overflowX: "auto" }}>
        <table className="grid" data-testid="face-fields">
          <thead>
            <tr>
              <th style={{ width: 40 }}>序号</th>
              <th>字段键</th>
              <th>字段名称</th>
              <th>类型</th>
              <th>必填</th>
              <th>敏感</th>
              <th>取值限制</th>
              <th>操作</th>
            </tr>
          </thead>
          <tbody>
            {fields.fields.length === 0 && (
              <tr>
                <td colSpan={8} className="muted" style={{ textAlign: "center" }}>
                  尚未定义照面字段
                </td>
              </tr>
            )}
            {fields.fields.map((f, i) => {
              const e = errors.content?.faceFields?.[i];
              const type = (values?.[i]?.type ?? f.type);
              const n = i + 1;
              return (
                <tr key={f.id} data-field-row={i}>
                  <td>{n}</td>
                  <td>
                    <input {...register(`content.faceFields.${i}.key`)} aria-label={`第 ${n} 个字段的字段键`} aria-invalid={!!e?.key} className="mono" style={{ minWidth: 0, width: 130 }} maxLength={40} />
                    {e?.key?.message && <em role="alert" style={errStyle}>{e.key.message}</em>}
                  </td>
                  <td>
                    <input {...register(`content.faceFields.${i}.label`)} aria-label={`第 ${n} 个字段的名称`} aria-invalid={!!e?.label} style={{ minWidth: 0, width: 150 }} maxLength={30} />
                    {e?.label?.message && <em role="alert" style={errStyle}>{e.label.message}</em>}
                  </td>
                  <td>
                    <select
                      {...register(`content.faceFields.${i}.type`, {
                        onChange: () => {
                          // limits of the old type are refused for the new one
                          for (const k of LIMIT_KEYS) setValue(`content.faceFields.${i}.${k}`, undefined);
                        },
                      })}
                      aria-label={`第 ${n} 个字段的类型`}
                      style={{ minWidth: 0, width: 140 }}
                    >
                      {FIELD_TYPES.map((t) => (
                        <option key={t} value={t}>{FIELD_TYPE_LABELS[t]}</option>
                      ))}
                    </select>
                    {e?.type?.message && <em role="alert" style={errStyle}>{e.type.message}</em>}
                  </td>
                  <td>
                    <input type="checkbox" {...register(`content.faceFields.${i}.required`)} aria-label={`第 ${n} 个字段必填`} />
                  </td>
                  <td>
                    <input type="checkbox" {...register(`content.faceFields.${i}.sensitive`)} aria-label={`第 ${n} 个字段为敏感信息`} />
                  </td>
                  <td style={{ minWidth: 230 }}>
                    <Limits i={i} type={type} bits={{ control, register, setValue, errors }} disabled={disabled} />
                  </td>
                  <td style={{ whiteSpace: "nowrap" }}>
                    <button
                      id={`${uid}-f${i}-up`}
                      className="btn link"
                      type="button"
                      disabled={i === 0}
                      aria-label={`上移第 ${n} 个字段`}
                      onClick={() => {
                        fields.move(i, i - 1);
                        refocus(`${uid}-f${i - 1}-up`, `${uid}-f${i - 1}-down`);
                      }}
                    >
                      上移
                    </button>
                    <button
                      id={`${uid}-f${i}-down`}
                      className="btn link"
                      type="button"
                      disabled={i === fields.fields.length - 1}
                      aria-label={`下移第 ${n} 个字段`}
                      onClick={() => {
                        fields.move(i, i + 1);
                        refocus(`${uid}-f${i + 1}-down`, `${uid}-f${i + 1}-up`);
                      }}
                    >
                      下移
                    </button>
                    <button
                      className="btn link danger"
                      type="button"
                      aria-label={`删除第 ${n} 个字段`}
                      onClick={() => {
                        fields.remove(i);
                        refocus(`${uid}-add`);
                      }}
                    >
                      删除
                    </button>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <div style={{ ...row, marginTop: 8 }}>
        <button id={`${uid}-add`} className="btn" type="button" disabled={fields.fields.length >= MAX_FACE_FIELDS} onClick={add}>
          ＋ 添加字段
        </button>
        <span className="muted">最多 {MAX_FACE_FIELDS} 个字段</span>
      </div>
      {listError && <em role="alert" style={errStyle}>{listError}</em>}
    </div>
  );
}

function Limits({ i, type, bits, disabled }: { i: number; type: FieldType; bits: FormBits; disabled: boolean }) {
  const { register, errors } = bits;
  const e = errors.content?.faceFields?.[i];
  const first = [e?.minLength, e?.maxLength, e?.min, e?.max, e?.decimals, e?.minDate, e?.maxDate].map(messageOf).find(Boolean);
  if (type === "TEXT" || type === "ADDRESS")
    return (
      <>
        <div style={row}>
          <input type="number" min={0} {...register(`content.faceFields.${i}.minLength`, num)} placeholder="最少字数" aria-label={`第 ${i + 1} 个字段的最小长度`} style={small} />
          <span>–</span>
          <input type="number" min={1} {...register(`content.faceFields.${i}.maxLength`, num)} placeholder={type === "ADDRESS" ? "默认 200" : "最多字数"} aria-label={`第 ${i + 1} 个字段的最大长度`} style={small} />
          <span className="muted">字</span>
        </div>
        {first && <em role="alert" style={errStyle}>{first}</em>}
      </>
    );
  if (type === "NUMBER")
    return (
      <>
        <div style={row}>
          <input type="number" step="any" {...register(`content.faceFields.${i}.min`, num)} placeholder="最小值" aria-label={`第 ${i + 1} 个字段的最小值`} style={small} />
          <span>–</span>
          <input type="number" step="any" {...register(`content.faceFields.${i}.max`, num)} placeholder="最大值" aria-label={`第 ${i + 1} 个字段的最大值`} style={small} />
          <input type="number" min={0} max={6} {...register(`content.faceFields.${i}.decimals`, num)} placeholder="小数位" aria-label={`第 ${i + 1} 个字段的小数位数`} style={{ ...small, width: 70 }} />
        </div>
        {first && <em role="alert" style={errStyle}>{first}</em>}
      </>
    );
  if (type === "DATE" || type === "DATE_RANGE")
    return (
      <>
        <div style={row}>
          <input type="date" {...register(`content.faceFields.${i}.minDate`, date)} aria-label={`第 ${i + 1} 个字段的最早日期`} style={{ minWidth: 0, width: 140 }} />
          <span>–</span>
          <input type="date" {...register(`content.faceFields.${i}.maxDate`, date)} aria-label={`第 ${i + 1} 个字段的最晚日期`} style={{ minWidth: 0, width: 140 }} />
        </div>
        {first && <em role="alert" style={errStyle}>{first}</em>}
      </>
    );
  if (type === "ENUM") return <EnumOptions i={i} bits={bits} disabled={disabled} />;
  return <span className="muted">{type === "IMAGE" ? "上传的图片（PNG/JPEG）" : "按类型自动校验"}</span>;
}

/** Options one per line; the form holds the trimmed, non-empty lines. */
function EnumOptions({ i, bits, disabled }: { i: number; bits: FormBits; disabled: boolean }) {
  const value = useWatch({ control: bits.control, name: `content.faceFields.${i}.options` });
  const [text, setText] = useState(() => (value ?? []).join("\n"));
  const e = bits.errors.content?.faceFields?.[i]?.options;
  const msg = messageOf(e) ?? (Array.isArray(e) ? e.map(messageOf).find(Boolean) : undefined);
  return (
    <>
      <textarea
        rows={Math.min(6, Math.max(2, text.split("\n").length))}
        value={text}
        disabled={disabled}
        placeholder={"每行一个选项"}
        aria-label={`第 ${i + 1} 个字段的选项（每行一个）`}
        aria-invalid={!!msg}
        style={{ width: "100%", minWidth: 200 }}
        onChange={(ev) => {
          setText(ev.target.value);
          const list = ev.target.value
            .split("\n")
            .map((s) => s.trim())
            .filter(Boolean);
          bits.setValue(`content.faceFields.${i}.options`, list.length ? list : undefined, { shouldDirty: true, shouldValidate: !!e });
        }}
      />
      <span className="muted" style={{ fontSize: 12 }}>
        {(value ?? []).length} 个选项（最多 {MAX_ENUM_OPTIONS} 个）
      </span>
      {msg && <em role="alert" style={errStyle}>{msg}</em>}
    </>
  );
}
