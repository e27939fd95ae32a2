"use client";
// A pie or donut of shares (V-01: uses by scenario, verifications by channel); plain data from the
// server; "本期无数据" when every slice is zero.
import { Cell, Legend, Pie, PieChart, ResponsiveContainer, Tooltip } from "recharts";
import { CHART_COLORS, Empty } from "./trend-chart";

export type Slice = { name: string; value: number };

export function DonutChart({ data, height = 240, title, donut = true }: { data: Slice[]; height?: number; title?: string; donut?: boolean }) {
  const total = data.reduce((a, s) => a + s.value, 0);
  return (
    <figure className="chart" aria-label={title}>
      {title && <figcaption>{title}</figcaption>}
      {total === 0 ? (
        <Empty height={height} />
      ) : (
        <ResponsiveContainer width="100%" height={height} initialDimension={{ width: 360, height }}>
          <PieChart>
            <Pie data={data.filter((s) => s.value > 0)} dataKey="value" nameKey="name" innerRadius={donut ? "50%" : 0} outerRadius="78%" paddingAngle={1} isAnimationActive={false}>
              {data
                .filter((s) => s.value > 0)
                .map((s, i) => (
                  <Cell key={s.name} fill={CHART_COLORS[i % CHART_COLORS.length]} />
                ))}
            </Pie>
            <Tooltip formatter={(v, name) => (typeof v === "number" ? [`${v}（${Math.round((v / total) * 1000) / 10}%）`, name] : [String(v), name])} />
            <Legend verticalAlign="bottom" height={28} />
          </PieChart>
        </ResponsiveContainer>
      )}
    </figure>
  );
}
