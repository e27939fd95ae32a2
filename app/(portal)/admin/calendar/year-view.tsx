"use client";
import { useMemo, useState } from "react";
import { useRouter } from "next/navigation";
import { useForm } from "react-hook-form";
import { zodResolver } from "@hookform/resolvers/zod";
import type { z } from "zod";
import { FormModal } from "@/components/ui/form-modal";
import { SelectField, TextField, applyServerErrors } from "@/components/form/field";
import { fmtTime } from "@/components/ui/fmt";
import { DAY_KIND_LABELS } from "@/lib/calendar/calendar";
import { daySetInput } from "@/lib/calendar/schema";
import { SOURCE_LABELS, WEEKDAY_LABELS } from "@/lib/calendar/labels";
import { dayOfWeek, isWeekend } from "@/lib/calendar/working-days";
import type { CalendarDayRow, CalendarYearView } from "@/lib/calendar/queries";
import { removeDayAction, setDayAction, setYearCoveredAction } from "./actions";
import s from "./calendar.module.css";

const HEAD = ["一", "二", "三", "四", "五", "六", "日"];
const pad = (n: number) => String(n).padStart(2, "0");
const daysIn = (year: number, month: number) => new Date(Date.UTC(year, month, 0)).getUTCDate();

/** Twelve month grids (Monday first) with holidays, adjusted working days, weekends and today; a click edits a day. */
export function YearView({ view }: { view: CalendarYearView }) {
  const router = useRouter();
  const byDate = useMemo(() => new Map(view.days.map((d) => [d.date, d])), [view.days]);
  const [editing, setEditing] = useState<string | null>(null);
  const [msg, setMsg] = useState<{ ok: boolean; text: string } | null>(null);
  const [busy, setBusy] = useState(false);

  const done = (text: string) => {
    setEditing(null);
    setMsg({ ok: true, text });
    router.refresh();
  };

  async function toggleCovered() {
    const covered = !view.covered;
    const q = covered
      ? `确认将 ${view.year} 年标记为「已导入国务院节假日安排」？之后该年度的期限按本页列出的安排计算，不再提示按周一至周五计算。`
      : `确认将 ${view.year} 年标记为「未导入」？该年度的期限仍按本页列出的日期计算，但会提示未导入节假日安排。`;
    if (!confirm(q)) return;
    setBusy(true);
    const r = await setYearCoveredAction({ year: view.year, covered });
    setBusy(false);
    if (r.ok) done(covered ? `${view.year} 年已标记为已导入` : `${view.year} 年已标记为未导入`);
    else setMsg({ ok: false, text: r.error });
  }

  return (
    <>
      {msg && (
        <div className={`alert ${msg.ok ? "ok" : "error"}`} role="status">
          {msg.text}
        </div>
      )}
      <div className={s.legend}>
        <span>
          <i className={`${s.swatch} ${s.holiday}`} /> 节假日（休）
        </span>
        <span>
          <i className={`${s.swatch} ${s.workday}`} /> 调休上班（班）
        </span>
        <span>
          <i className={`${s.swatch} ${s.weekend}`} /> 周末
        </span>
        <span>
          <i className={`${s.swatch} ${s.today}`} /> 今天
        </span>
        {view.canChange && <span className="muted">点击日期可设置或取消节假日、调休上班</span>}
        {view.canChange && (
          <button className="btn" type="button" disabled={busy} onClick={() => void toggleCovered()} style={{ marginLeft: "auto" }} data-testid="calendar-toggle-covered">
            {view.covered ? "标记为未导入" : "标记为已导入"}
          </button>
        )}
      </div>
      <div className={s.year} data-testid="calendar-year">
        {Array.from({ length: 12 }, (_, m) => (
          <Month key={m} year={view.year} month={m + 1} byDate={byDate} today={view.today} onPick={view.canChange ? setEditing : null} />
        ))}
      </div>
      <DayList days={view.days} year={view.year} onPick={view.canChange ? setEditing : null} />
      {editing && <DayModal date={editing} row={byDate.get(editing) ?? null} onClose={() => setEditing(null)} onDone={done} />}
    </>
  );
}

function Month({ year, month, byDate, today, onPick }: { year: number; month: number; byDate: Map<string, CalendarDayRow>; today: string; onPick: ((d: string) => void) | null }) {
  const first = `${year}-${pad(month)}-01`;
  const lead = (dayOfWeek(first) + 6) % 7; // Monday first
  const cells: React.ReactNode[] = [];
  for (let i = 0; i < lead; i++) cells.push(<span key={`b${i}`} className={s.blank} />);
  for (let d = 1; d <= daysIn(year, month); d++) {
    const date = `${year}-${pad(month)}-${pad(d)}`;
    const row = byDate.get(date);
    const cls = [s.day, row?.kind === "HOLIDAY" ? s.holiday : row?.kind === "WORKDAY" ? s.workday : isWeekend(date) ? s.weekend : "", date === today ? s.today : ""].filter(Boolean).join(" ");
    const title = `${date} ${WEEKDAY_LABELS[dayOfWeek(date)]}${row ? `：${row.name}（${DAY_KIND_LABELS[row.kind]}）` : isWeekend(date) ? "：周末" : ""}`;
    const inner = (
      <>
        {d}
        {row && <i className={s.mark}>{row.kind === "HOLIDAY" ? "休" : "班"}</i>}
      </>
    );
    cells.push(
      onPick ? (
        <button key={date} type="button" className={cls} title={title} aria-label={title} data-date={date} onClick={() => onPick(date)}>
          {inner}
        </button>
      ) : (
        <span key={date} className={cls} title={title} data-date={date}>
          {inner}
        </span>
      ),
    );
  }
  return (
    <section className={s.month} aria-label={`${year}年${month}月`}>
      <h3>{month} 月</h3>
      <div className={s.grid}>
        {HEAD.map((h) => (
          <span key={h} className={s.head}>
            {h}
          </span>
        ))}
        {cells}
      </div>
    </section>
  );
}

function DayList({ days, year, onPick }: { days: CalendarDayRow[]; year: number; onPick: ((d: string) => void) | null }) {
  return (
    <details className={s.list} open={days.length > 0 && days.length <= 60}>
      <summary>
        {year} 年列出的日期（{days.length}）
      </summary>
      {days.length === 0 ? (
        <p className="muted">该年度没有列出节假日或调休上班日。</p>
      ) : (
        <div className="table-scroll">
          <table className="grid" data-testid="calendar-days">
            <thead>
              <tr>
                <th>日期</th>
                <th>星期</th>
                <th>类型</th>
                <th>名称</th>
                <th>来源</th>
                <th>最后修改</th>
                {onPick && <th>操作</th>}
              </tr>
            </thead>
            <tbody>
              {days.map((d) => (
                <tr key={d.date}>
                  <td>{d.date}</td>
                  <td>{WEEKDAY_LABELS[dayOfWeek(d.date)]}</td>
                  <td>
                    <span className={`badge ${d.kind === "HOLIDAY" ? "danger" : "info"}`}>{DAY_KIND_LABELS[d.kind]}</span>
                  </td>
                  <td>{d.name}</td>
                  <td>{SOURCE_LABELS[d.source] ?? d.source}</td>
                  <td className="muted">
                    {d.updatedBy ? `${d.updatedBy} ` : ""}
                    {fmtTime(d.updatedAt)}
                  </td>
                  {onPick && (
                    <td>
                      <button className="btn link" type="button" onClick={() => onPick(d.date)}>
                        修改
                      </button>
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </details>
  );
}

type DayValues = z.input<typeof daySetInput>;

function DayModal({ date, row, onClose, onDone }: { date: string; row: CalendarDayRow | null; onClose: () => void; onDone: (text: string) => void }) {
  const [error, setError] = useState<string | null>(null);
  const [removing, setRemoving] = useState(false);
  const weekend = isWeekend(date);
  const form = useForm<DayValues>({
    resolver: zodResolver(daySetInput),
    defaultValues: { date, kind: row?.kind ?? (weekend ? "WORKDAY" : "HOLIDAY"), name: row?.name ?? "", seen: row?.updatedAt ?? null },
  });
  const {
    register,
    formState: { errors, isSubmitting },
  } = form;
  const submit = form.handleSubmit(async (v) => {
    setError(null);
    const r = await setDayAction(v);
    if (r.ok) onDone(r.data.changed ? `已保存 ${date}` : `${date} 没有变化`);
    else {
      setError(r.error);
      applyServerErrors(r.fieldErrors, form.setError);
    }
  });
  async function remove() {
    if (!row || !confirm(`确认取消 ${date} 的「${row.name}」（${DAY_KIND_LABELS[row.kind]}）？该日将按周一至周五计算。`)) return;
    setRemoving(true);
    setError(null);
    const r = await removeDayAction({ date, seen: row.updatedAt });
    setRemoving(false);
    if (r.ok) onDone(`已取消 ${date} 的设置`);
    else setError(r.error);
  }
  const now = row ? `${row.name}（${DAY_KIND_LABELS[row.kind]}，${SOURCE_LABELS[row.source] ?? row.source}）` : weekend ? "周末（休息）" : "工作日";
  return (
    <FormModal title={`设置 ${date} ${WEEKDAY_LABELS[dayOfWeek(date)]}`} error={error} busy={isSubmitting || removing} submitLabel="保存" onSubmit={submit} onClose={onClose}>
      <p className="muted" style={{ marginTop: 0 }}>
        当前：{now}
      </p>
      <div className="form">
        <SelectField
          label="类型"
          required
          reg={register("kind")}
          error={errors.kind}
          options={[
            { value: "HOLIDAY", label: "节假日（放假）" },
            { value: "WORKDAY", label: `调休上班${weekend ? "" : "（仅周六、周日）"}`, disabled: !weekend },
          ]}
        />
        <TextField label="名称" required reg={register("name")} error={errors.name} placeholder="如：春节、国庆节" />
      </div>
      {row && (
        <button className="btn link danger" type="button" onClick={() => void remove()} data-testid="calendar-remove-day">
          取消该日设置（恢复按星期计算）
        </button>
      )}
    </FormModal>
  );
}
