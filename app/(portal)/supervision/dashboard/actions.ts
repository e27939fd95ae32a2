"use server";
// Dashboard actions (V-01). Each is a public POST endpoint: authorised here and again in the
// service. Refreshing the summaries is open to every supervisor (it changes no figure, only how
// fresh it is) but limited to once a minute per user and audited; the ranking's settings are the
// provincial supervisor's (the service refuses a city supervisor).
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { action } from "@/lib/action";
import { withTx } from "@/lib/db";
import { appendAudit } from "@/lib/audit/log";
import { auditActorOf } from "@/lib/auth/session";
import { enforce, type RateLimitRule } from "@/lib/security/rate-limit";
import { refreshDashboard } from "@/lib/supervision/dashboard/refresh";
import { supervisionSettingInput } from "@/lib/supervision/dashboard/schema";
import { updateSupervisionSettings } from "@/lib/supervision/dashboard/settings";

const REFRESH_LIMIT: RateLimitRule = { bucket: "dashboard-refresh", limit: 1, windowSeconds: 60 };

/** 刷新统计: rebuilds every summary now (waiting for a running rebuild), audited with its time and rows. */
export const refreshDashboardAction = action({ permission: "supervision.read", schema: z.object({}).strict() }, async (actor) => {
  await enforce(REFRESH_LIMIT, actor.userId, auditActorOf(actor));
  const t0 = performance.now();
  // collapses with a rebuild already running: when it ends after this click, its figures are as fresh
  const r = await refreshDashboard({ wait: true, freshSince: new Date() });
  const ms = Math.round(performance.now() - t0);
  const rows = r.parts.reduce((a, p) => a + p.rows, 0);
  await withTx((tx) => appendAudit(tx, auditActorOf(actor), { action: "supervision.refresh", ms, rows }, { type: "StatRefresh", id: null }));
  revalidatePath("/supervision/dashboard");
  return { refreshedAt: r.refreshedAt.toISOString(), ms, rows };
});

/** 调整权重: the ranking's three weights (summing to 100) and the stale-list period. */
export const updateSettingsAction = action({ permission: "supervision.manage", schema: supervisionSettingInput }, async (actor, input) => {
  const s = await updateSupervisionSettings(actor, input);
  revalidatePath("/supervision/dashboard");
  revalidatePath("/supervision/dashboard/settings");
  return { weightTimeliness: s.weightTimeliness, weightCompleteness: s.weightCompleteness, weightObjections: s.weightObjections, listStaleDays: s.listStaleDays };
});
