// The pure core of the use-list check (L-03, U-01): a use by function is allowed only when the
// using department's use list has an active entry for the licence type that covers the matter,
// names the scenario and is in force at the time of use. The refusal says which condition failed,
// checked in that order, so an operator knows what to ask the catalog administrator for.
import { USE_SCENARIO_LABELS, type UseScenario } from "@/lib/catalog/dictionaries";

export type UseListEntry = {
  id: string;
  typeId: string;
  /** null: the entry covers every matter */
  matterCode: string | null;
  scenarios: readonly UseScenario[];
  /** a UseBasis code; recorded with the use, not a condition of it */
  basis: string;
  validFrom: Date;
  /** null: open-ended; otherwise the last instant the entry is in force (inclusive) */
  validTo: Date | null;
  status: "ACTIVE" | "DISABLED";
};

export type UseCheck = { typeId: string; matterCode: string | null; scenario: UseScenario; at: Date };
export type UseDecision = { allowed: boolean; reason: string; entryId?: string };

const inForce = (e: UseListEntry, at: Date) => e.validFrom.getTime() <= at.getTime() && (e.validTo === null || at.getTime() <= e.validTo.getTime());

export function canUseFromEntries(entries: readonly UseListEntry[], q: UseCheck): UseDecision {
  const ofType = entries.filter((e) => e.typeId === q.typeId);
  if (ofType.length === 0) return { allowed: false, reason: "用证清单中没有该证照类型" };

  // An entry for the exact matter is preferred over a catch-all one, so the log names it.
  const forMatter = ofType
    .filter((e) => e.matterCode === null || e.matterCode === q.matterCode)
    .sort((a, b) => Number(a.matterCode === null) - Number(b.matterCode === null));
  if (forMatter.length === 0) return { allowed: false, reason: "该事项不在用证清单中" };

  const forScenario = forMatter.filter((e) => e.scenarios.includes(q.scenario));
  if (forScenario.length === 0) return { allowed: false, reason: `用证清单未允许「${USE_SCENARIO_LABELS[q.scenario]}」场景` };

  const active = forScenario.filter((e) => e.status === "ACTIVE");
  if (active.length === 0) return { allowed: false, reason: "用证清单条目已停用", entryId: forScenario[0].id };

  const ok = active.find((e) => inForce(e, q.at));
  if (ok) return { allowed: true, reason: "用证清单允许", entryId: ok.id };

  const pending = active.find((e) => e.validFrom.getTime() > q.at.getTime());
  if (pending) return { allowed: false, reason: "用证清单条目尚未生效", entryId: pending.id };
  return { allowed: false, reason: "用证清单条目已过期", entryId: active[0].id };
}
