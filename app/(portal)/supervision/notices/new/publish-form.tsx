"use client";
import { useState } from "react";
import { useRouter } from "next/navigation";
import { useForm } from "react-hook-form";
import { zodResolver } from "@hookform/resolvers/zod";
import { placeErrors } from "../../orders/_ui/one-message";
import { TextField } from "@/components/form/field";
import { fmtTime } from "@/components/ui/fmt";
import { publishNoticeInput, type PublishNoticeFormInput, type PublishNoticeInput } from "@/lib/supervision/rectification-schema";
import { publishNoticeAction } from "../actions";

type Order = { id: string; number: string; dept: string; title: string; dueAt: string; overdueDays: number };

export function PublishNoticeForm({ orders }: { orders: Order[] }) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const form = useForm<PublishNoticeFormInput, unknown, PublishNoticeInput>({ resolver: zodResolver(publishNoticeInput), defaultValues: { orderIds: [], title: "关于整改超期情况的通报", body: "" } });
  const { register, formState } = form;
  const errs = formState.errors;
  const submit = form.handleSubmit(async (v) => {
    setError(null);
    try {
      const r = await publishNoticeAction(v);
      if (r.ok) {
        router.push(`/supervision/notices/${r.data.id}`);
        return;
      }
      setError(placeErrors(r, ["orderIds", "title", "body"], form.setError));
    } catch {
      setError("提交失败：网络异常，请刷新页面查看结果");
    }
  });
  return (
    <form onSubmit={submit} noValidate data-testid="publish-notice-form">
      {error && (
        <div className="alert error" role="alert">
          {error}
        </div>
      )}
      <fieldset disabled={formState.isSubmitting} style={{ border: 0, padding: 0, margin: 0 }}>
        <table className="grid">
          <thead>
            <tr>
              <th>选择</th>
              <th>通知编号</th>
              <th>部门</th>
              <th>标题</th>
              <th>整改期限</th>
              <th>超期</th>
            </tr>
          </thead>
          <tbody>
            {orders.map((o) => (
              <tr key={o.id}>
                <td>
                  <input type="checkbox" value={o.id} {...register("orderIds")} aria-label={`选择 ${o.number}`} />
                </td>
                <td className="mono">{o.number}</td>
                <td>{o.dept}</td>
                <td>{o.title}</td>
                <td style={{ whiteSpace: "nowrap" }}>{fmtTime(o.dueAt)}</td>
                <td>
                  <span className="badge danger">超期 {o.overdueDays} 天</span>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <em className="err" role={errs.orderIds ? "alert" : undefined} style={{ fontStyle: "normal" }}>
          {errs.orderIds?.message ?? ""}
        </em>
        <div className="form">
          <TextField label="通报标题" required full reg={register("title")} error={errs.title} />
          <label className="field full">
            <span>通报正文（留空则自动生成）</span>
            <textarea rows={6} {...register("body")} aria-invalid={!!errs.body} />
            <em className="err" role={errs.body ? "alert" : undefined} style={{ fontStyle: "normal" }}>
              {errs.body?.message ?? ""}
            </em>
          </label>
        </div>
        <div className="toolbar">
          <button type="submit" className="btn primary">
            {formState.isSubmitting ? "正在发布…" : "发布通报"}
          </button>
        </div>
      </fieldset>
    </form>
  );
}
