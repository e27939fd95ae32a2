// The licence table's filter (U-02 internal view, L-05): read forgivingly from the URL (a bad value
// is dropped, never an error page), sorts from a whitelist, keyset cursors instead of page numbers.
// Client-safe: the page's query form and table import the labels from here.
import "@/lib/validation/zod-zh";
import { z } from "zod";
import { PAGE_SIZES } from "@/lib/pagination";
import { AGGREGATION_MODES } from "@/lib/catalog/dictionaries";

export const LICENCE_STATUSES = [
  { code: "VALID", label: "有效", tone: "ok" },
  { code: "SUSPENDED", label: "暂扣/挂起", tone: "warn" },
  { code: "REVOKED", label: "吊销", tone: "danger" },
  { code: "CANCELLED", label: "注销", tone: "" },
  { code: "ANNULLED", label: "撤销/废止", tone: "danger" },
  { code: "EXPIRED", label: "已过期", tone: "" },
] as const;
export type LicenceStatusName = (typeof LICENCE_STATUSES)[number]["code"];
export const LICENCE_STATUS_LABELS = Object.fromEntries(LICENCE_STATUSES.map((s) => [s.code, s.label])) as Record<LicenceStatusName, string>;
const STATUS_CODES = LICENCE_STATUSES.map((s) => s.code) as [LicenceStatusName, ...LicenceStatusName[]];

/** 同步方式 (L-05) as the filter offers it: the issuance's synchronisation mode. */
export const LICENCE_SYNC_FILTERS = AGGREGATION_MODES.map((m) => ({ code: m.code, label: `${m.label}汇聚` }));
const SYNC_CODES = AGGREGATION_MODES.map((m) => m.code) as ["ONLINE", "OFFLINE", "BULK"];
/** 来源: converted in bulk (存量归集, origin BULK) or issued in the portal (new, changed, renewed). */
export const LICENCE_ORIGIN_FILTERS = [
  { code: "ISSUED", label: "平台签发" },
  { code: "BULK", label: "存量归集" },
] as const;

/** Sort keys of the table; each is paged by keyset on (key, id). */
export const LICENCE_SORTS = [
  { code: "issuedAt", label: "发证日期" },
  { code: "validTo", label: "有效期至" },
  { code: "licenceNumber", label: "证照编号" },
] as const;
export type LicenceSort = (typeof LICENCE_SORTS)[number]["code"];
const SORT_CODES = LICENCE_SORTS.map((s) => s.code) as [LicenceSort, ...LicenceSort[]];

/** Counting stops here: beyond it the page says "10,000+" (bounded counting, issue 6). */
export const COUNT_LIMIT = 10_000;
/** The export's cap: more rows than this need a narrower filter. */
export const EXPORT_MAX_ROWS = 50_000;
export const HOLDER_NAME_PREFIX_MAX = 50;

const isRealDate = (s: string) => {
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
};
const ymd = z.string().regex(/^\d{4}-\d{2}-\d{2}$/).refine(isRealDate).refine((s) => s >= "1900-01-01" && s <= "2999-12-31");
const loose = <T extends z.ZodType>(s: T) => s.optional().catch(undefined);

export const licenceFilter = z.object({
  type: loose(z.string().uuid()),
  status: loose(z.enum(STATUS_CODES)),
  /** issuer department; its subtree is included (the query form's DeptFilter names it "dept") */
  dept: loose(z.string().uuid()),
  /** keyed SM3 of a holder code (holderCodeHash), never the code itself */
  h: loose(z.string().regex(/^[0-9a-f]{64}$/)),
  /** holder name prefix */
  name: loose(z.string().trim().min(1).max(HOLDER_NAME_PREFIX_MAX)),
  issuedFrom: loose(ymd),
  issuedTo: loose(ymd),
  expiresFrom: loose(ymd),
  expiresTo: loose(ymd),
  /** 质押: "yes" restricted (pledged), "no" not restricted */
  restricted: loose(z.enum(["yes", "no"])),
  /** 异议中 (O-02): "1" only licences with a marked, unresolved objection */
  objection: loose(z.literal("1")),
  /** synchronisation mode (L-05) */
  sync: loose(z.enum(SYNC_CODES)),
  /** "1": synchronised after its due time (the dashboard's late issuances) */
  late: loose(z.literal("1")),
  /** BULK: converted existing licences; ISSUED: every other origin */
  origin: loose(z.enum(["BULK", "ISSUED"])),
  sort: z.enum(SORT_CODES).catch("issuedAt"),
  dir: z.enum(["asc", "desc"]).catch("desc"),
  pageSize: z.coerce.number().int().refine((v) => (PAGE_SIZES as readonly number[]).includes(v)).catch(20),
  /** keyset cursors (opaque): rows after the last one shown, or before the first one shown */
  after: loose(z.string().max(300)),
  before: loose(z.string().max(300)),
});
export type LicenceFilter = z.infer<typeof licenceFilter>;

/** The filter members that select rows (not paging): what an export repeats and the audit records. */
export const FILTER_KEYS = ["type", "status", "dept", "h", "name", "issuedFrom", "issuedTo", "expiresFrom", "expiresTo", "restricted", "objection", "sync", "late", "origin"] as const;
export type FilterKey = (typeof FILTER_KEYS)[number];

/** The holder-code search box: the code is turned into its keyed hash by a server action. */
export const holderCodeSearch = z.object({
  code: z
    .string({ error: "请输入持证主体代码" })
    .trim()
    .min(4, "持证主体代码至少 4 位")
    .max(40, "持证主体代码不超过 40 位")
    .regex(/^[0-9A-Za-z\-()（）\s]+$/, "持证主体代码只含字母、数字和括号"),
});
