// Where each dashboard figure leads (V-01): the filtered list behind it. Pure functions of the
// dashboard's query (period and region) and ids, shared by the page, the report and the tests.
// The region (a department and its subtree) becomes the list's department filter where the list
// has a subtree filter (licences `dept`, seals `dept`, seal-use records `deptId`, the quality and
// access-log pages `region`); the objection list's `deptId` is one department, so region-wide
// objection links carry none and the list shows the supervisor's whole scope.
import { periodDates } from "@/lib/supervision/dashboard/schema";
import type { FindingKind } from "@/lib/supervision/dashboard/figures";

/** The dashboard query (`dashboardQuery`): months YYYY-MM and an optional region department id. */
export type LinkQuery = { from: string; to: string; region?: string };
type Params = Record<string, string | undefined | null>;

/** `path?k=v&…` with empty values left out, keys in the order given. */
export function href(path: string, params: Params = {}): string {
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== "") qs.set(k, v);
  const s = qs.toString();
  return s ? `${path}?${s}` : path;
}

/** The dashboard itself for a query (the form's GET target, the ranking's region links). */
export const dashboardHref = (q: LinkQuery) => href("/supervision/dashboard", { from: q.from, to: q.to, region: q.region });
export const settingsHref = () => "/supervision/dashboard/settings";

// ---------------------------------------------------------------------------------------------
// 证照汇聚 — the licence list (`dept` includes the subtree; issued dates are Asia/Shanghai days)

export type SyncMode = "ONLINE" | "OFFLINE" | "BULK";
const licences = (q: LinkQuery, extra: Params = {}, dept?: string) => {
  const d = periodDates(q);
  return href("/licenses", { dept: dept ?? q.region, issuedFrom: d.from, issuedTo: d.to, ...extra });
};
export const licenceLinks = {
  /** issued in the portal in the period */
  issued: (q: LinkQuery, dept?: string) => licences(q, { origin: "ISSUED" }, dept),
  /** converted in bulk (存量归集) in the period */
  aggregated: (q: LinkQuery, dept?: string) => licences(q, { origin: "BULK" }, dept),
  /** every licence of the period (the on-time share's denominator) */
  all: (q: LinkQuery, dept?: string) => licences(q, {}, dept),
  /** synchronised after their due time: the rows that pull the on-time share down */
  late: (q: LinkQuery, dept?: string) => licences(q, { late: "1" }, dept),
  /** one sync mode (实时 / 离线 / 批量) */
  sync: (q: LinkQuery, mode: SyncMode) => licences(q, { sync: mode }),
  syncLate: (q: LinkQuery, mode: SyncMode) => licences(q, { sync: mode, late: "1" }),
  /** a department's licences of the period */
  dept: (q: LinkQuery, deptId: string) => licences(q, {}, deptId),
};

// ---------------------------------------------------------------------------------------------
// 数据质量 — part B's quality page

export type QualityKind = "FACE_INVALID" | "EXPIRED_VALID" | "DUPLICATE_LIVE" | "NO_LIST" | "STALE_LIST" | "UNAPPROVED_SIGNATURE";
export const qualityLink = (q: LinkQuery, kind: QualityKind, dept?: string) => href("/supervision/quality", { kind, dept, region: q.region });

/**
 * Where a department's 数据完整率 leads: its licences with a finding are behind the rate, listed
 * by kind on the quality page, so the link opens the kind it has most of (FACE_INVALID when none).
 */
export function completenessKind(counts: Partial<Record<FindingKind, number>> | undefined): FindingKind {
  const kinds: FindingKind[] = ["FACE_INVALID", "EXPIRED_VALID", "DUPLICATE_LIVE"];
  return kinds.reduce((best, k) => ((counts?.[k] ?? 0) > (counts?.[best] ?? 0) ? k : best));
}

// ---------------------------------------------------------------------------------------------
// 异议处理 — the objection queue (`issuer`: the issuing department, exactly, as the figures count
// it; `region`: issuing departments in a subtree)

export const objectionLinks = {
  received: (q: LinkQuery, deptId?: string) => {
    const d = periodDates(q);
    return href("/objections", { issuer: deptId, region: deptId ? undefined : q.region, from: d.from, to: d.to });
  },
  /** received in the period and marked (or resolved) late: the rows behind an on-time rate */
  late: (q: LinkQuery, kind: "mark" | "resolve", deptId?: string) => {
    const d = periodDates(q);
    return href("/objections", { issuer: deptId, region: deptId ? undefined : q.region, from: d.from, to: d.to, late: kind });
  },
  /** received in the period and resolved: the rows the average working days to resolve is taken over */
  resolved: (q: LinkQuery, deptId?: string) => {
    const d = periodDates(q);
    return href("/objections", { issuer: deptId, region: deptId ? undefined : q.region, from: d.from, to: d.to, status: "RESOLVED" });
  },
  /** overdue now: not bound to the period (a deadline missed today may belong to any month) */
  overdue: (deptId?: string, region?: string) => href("/objections", { overdue: "1", issuer: deptId, region: deptId ? undefined : region }),
};

// ---------------------------------------------------------------------------------------------
// 电子印章 and 用印

export const sealLinks = {
  active: (q: LinkQuery) => href("/seals", { status: "ACTIVE", valid: "1", dept: q.region }),
  /** the seal list's "30 天内到期" */
  expiring: (q: LinkQuery) => href("/seals", { expiring: "1", dept: q.region }),
  /** the seal list's "备案超时" (not filed within 24 hours) */
  filingOverdue: (q: LinkQuery) => href("/seals", { overdue: "1", dept: q.region }),
  cancelled: (q: LinkQuery) => {
    const d = periodDates(q);
    return href("/seals", { status: "CANCELLED", cancelledFrom: d.from, cancelledTo: d.to, dept: q.region });
  },
};

export const sealUseLinks = {
  /** submitted in the period */
  requests: (q: LinkQuery) => {
    const d = periodDates(q);
    return href("/seal-use", { submittedFrom: d.from, submittedTo: d.to, dept: q.region });
  },
  /** fully approved in the period */
  approvals: (q: LinkQuery) => {
    const d = periodDates(q);
    return href("/seal-use", { approvedFrom: d.from, approvedTo: d.to, dept: q.region });
  },
  /** the permanent use records (signatures) of the period */
  signatures: (q: LinkQuery) => {
    const d = periodDates(q);
    return href("/seal-use/records", { deptId: q.region, from: d.from, to: d.to });
  },
  unapproved: (q: LinkQuery) => qualityLink(q, "UNAPPROVED_SIGNATURE"),
};

// ---------------------------------------------------------------------------------------------
// 用证与核验 — part B's access-log page (`dept`: the licence's department, `userDept`: the using one)

export type AccessFilter = { kind?: "VERIFY" | "USE"; dept?: string; userDept?: string; failed?: boolean; channel?: string; scenario?: string };
export function accessLink(q: LinkQuery, f: AccessFilter = {}): string {
  const d = periodDates(q);
  return href("/supervision/access-log", {
    kind: f.kind,
    dept: f.dept,
    userDept: f.userDept,
    region: f.dept || f.userDept ? undefined : q.region,
    ok: f.failed ? "0" : undefined,
    channel: f.channel,
    scenario: f.scenario,
    from: d.from,
    to: d.to,
  });
}

// ---------------------------------------------------------------------------------------------

/** The href of every card, as the page shows them (the report and the tests use the same). */
export function cardLinks(q: LinkQuery) {
  return {
    "fig-licences-issued": licenceLinks.issued(q),
    "fig-licences-aggregated": licenceLinks.aggregated(q),
    "fig-licences-ontime": licenceLinks.late(q),
    "fig-sync-ONLINE": licenceLinks.sync(q, "ONLINE"),
    "fig-sync-OFFLINE": licenceLinks.sync(q, "OFFLINE"),
    "fig-sync-BULK": licenceLinks.sync(q, "BULK"),
    "fig-quality-FACE_INVALID": qualityLink(q, "FACE_INVALID"),
    "fig-quality-EXPIRED_VALID": qualityLink(q, "EXPIRED_VALID"),
    "fig-quality-DUPLICATE_LIVE": qualityLink(q, "DUPLICATE_LIVE"),
    "fig-quality-NO_LIST": qualityLink(q, "NO_LIST"),
    "fig-quality-STALE_LIST": qualityLink(q, "STALE_LIST"),
    "fig-objections-received": objectionLinks.received(q),
    "fig-objections-marked": objectionLinks.late(q, "mark"),
    "fig-objections-resolved": objectionLinks.late(q, "resolve"),
    "fig-objections-overdue": objectionLinks.overdue(undefined, q.region),
    "fig-objections-days": objectionLinks.resolved(q),
    "fig-seals-active": sealLinks.active(q),
    "fig-seals-expiring": sealLinks.expiring(q),
    "fig-seals-filing": sealLinks.filingOverdue(q),
    "fig-seals-cancelled": sealLinks.cancelled(q),
    "fig-sealuse-requests": sealUseLinks.requests(q),
    "fig-sealuse-approvals": sealUseLinks.approvals(q),
    "fig-sealuse-signatures": sealUseLinks.signatures(q),
    "fig-unapproved-signatures": sealUseLinks.unapproved(q),
    "fig-access-verify": accessLink(q, { kind: "VERIFY" }),
    "fig-access-verify-failed": accessLink(q, { kind: "VERIFY", failed: true }),
    "fig-access-use": accessLink(q, { kind: "USE" }),
    "fig-access-use-failed": accessLink(q, { kind: "USE", failed: true }),
  } as const;
}
export type CardId = keyof ReturnType<typeof cardLinks>;
