"use client";
// Charts for the supervision pages (V-01): thin wrappers of recharts that take plain, serialisable
// data from a server component. Bars and lines over months (or any category), a second axis in
// percent for rates; "本期无数据" when every value is empty or zero.
import { Bar, CartesianGrid, ComposedChart, Legend, Line, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";

export type ChartSeries = {
  key: string;
  name: string;
  kind: "bar" | "line";
  color?: string;
  /** "right": the percent axis (0–100) */
  axis?: "left" | "right";
  /** bars with the same stack are drawn on top of each other */
  stack?: string;
};
export type ChartRow = Record<string, string | number | null>;

export const CHART_COLORS = ["#1677ff", "#13c2c2", "#faad14", "#eb2f96", "#722ed1", "#52c41a", "#fa541c", "#2f54eb"];

type Props = {
  data: ChartRow[];
  series: ChartSeries[];
  /** the category key (default "month") */
  xKey?: string;
  xLabel?: string;
  /** the left axis' label (counts) */
  yLabel?: string;
  /** the right axis' label (percent) */
  y2Label?: string;
  height?: number;
  title?: string;
};

function hasData(data: ChartRow[], series: ChartSeries[]) {
  return data.some((r) => series.some((s) => typeof r[s.key] === "number" && r[s.key] !== 0));
}

export function Empty({ height = 240 }: { height?: number }) {
  return (
    <div className="chart-empty" style={{ height }} role="note">
      本期无数据
    </div>
  );
}

/** Bars and lines over a category axis (bar, line and composed charts are this one). */
export function TrendChart({ data, series, xKey = "month", xLabel = "月份", yLabel = "数量", y2Label = "比率（%）", height = 260, title }: Props) {
  const right = series.some((s) => s.axis === "right");
  const left = series.some((s) => s.axis !== "right");
  return (
    <figure className="chart" aria-label={title}>
      {title && <figcaption>{title}</figcaption>}
      {!hasData(data, series) ? (
        <Empty height={height} />
      ) : (
        <ResponsiveContainer width="100%" height={height} initialDimension={{ width: 560, height }}>
          <ComposedChart data={data} margin={{ top: 8, right: right ? 8 : 16, bottom: 20, left: 8 }}>
            <CartesianGrid strokeDasharray="3 3" vertical={false} />
            <XAxis dataKey={xKey} tick={{ fontSize: 12 }} label={{ value: xLabel, position: "insideBottom", offset: -12, fontSize: 12 }} />
            {left && <YAxis yAxisId="left" allowDecimals={false} tick={{ fontSize: 12 }} label={{ value: yLabel, angle: -90, position: "insideLeft", fontSize: 12 }} />}
            {right && (
              <YAxis yAxisId="right" orientation="right" domain={[0, 100]} unit="%" tick={{ fontSize: 12 }} label={{ value: y2Label, angle: 90, position: "insideRight", fontSize: 12 }} />
            )}
            <Tooltip formatter={(v, name, item) => (series.find((s) => s.key === item.dataKey)?.axis === "right" && typeof v === "number" ? [`${v}%`, name] : [v, name])} />
            <Legend verticalAlign="top" height={28} />
            {series.map((s, i) =>
              s.kind === "bar" ? (
                <Bar key={s.key} yAxisId={s.axis ?? "left"} dataKey={s.key} name={s.name} fill={s.color ?? CHART_COLORS[i % CHART_COLORS.length]} stackId={s.stack} maxBarSize={36} />
              ) : (
                <Line key={s.key} yAxisId={s.axis ?? "left"} type="monotone" dataKey={s.key} name={s.name} stroke={s.color ?? CHART_COLORS[i % CHART_COLORS.length]} strokeWidth={2} dot={{ r: 3 }} connectNulls />
              ),
            )}
          </ComposedChart>
        </ResponsiveContainer>
      )}
    </figure>
  );
}

/** Bars only. */
export function BarTrend(props: Omit<Props, "series"> & { series: Omit<ChartSeries, "kind">[] }) {
  return <TrendChart {...props} series={props.series.map((s) => ({ ...s, kind: "bar" as const }))} />;
}

/** Lines only. */
export function LineTrend(props: Omit<Props, "series"> & { series: Omit<ChartSeries, "kind">[] }) {
  return <TrendChart {...props} series={props.series.map((s) => ({ ...s, kind: "line" as const }))} />;
}
