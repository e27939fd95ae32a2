// 排名权重与清单更新期限 (V-01): the provincial supervisor's settings for the ranking's formula and
// the stale-list finding; a city supervisor sees the formula on the dashboard but cannot change it.
import Link from "next/link";
import { forbidden } from "next/navigation";
import { pageActor } from "@/lib/auth/page";
import { supervisionSettings } from "@/lib/supervision/dashboard/figures";
import { rankingFormula } from "@/lib/supervision/dashboard/schema";
import { mayChangeSettings } from "@/lib/supervision/dashboard/settings";
import { SettingsForm } from "./settings-form";

export default async function DashboardSettingsPage() {
  const actor = await pageActor("supervision.manage");
  if (!mayChangeSettings(actor)) forbidden();
  const s = await supervisionSettings();
  const values = { weightTimeliness: s.weightTimeliness, weightCompleteness: s.weightCompleteness, weightObjections: s.weightObjections, listStaleDays: s.listStaleDays };
  return (
    <>
      <h1>排名权重设置</h1>
      <div className="card">
        <p className="muted">当前公式：{rankingFormula(values)}</p>
        <SettingsForm defaults={values} />
        <p>
          <Link href="/supervision/dashboard">返回监督看板</Link>
        </p>
      </div>
    </>
  );
}
