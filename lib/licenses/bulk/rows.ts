// One row of a bulk-conversion file checked as issuing checks a licence (L-05, L-06, L-09): the
// holder (holderInput, then the type's categories and code types), the face by the type's own
// schema, the matter, the dates; then, a batch at a time, against the database: a licence number
// the type already has (the same holder: already imported, skipped; another holder: refused) and
// a live licence of the holder (the one-live rule).
import "server-only";
import type { FaceData } from "@/lib/catalog/face-fields";
import { db } from "@/lib/db";
import { maskHolderCode } from "@/lib/licenses/holder-code";
import { holderCodeHash, type HolderInput } from "@/lib/licenses/holders";
import { holderInput } from "@/lib/licenses/schema";
import { holderProblems, LIVE_STATUSES, parseFace, validityStartProblem, type IssueContext } from "@/lib/licenses/service";
import { shanghaiDate } from "@/lib/calendar/working-days";
import { categoryCode, codeTypeCode, completionInstant, FIXED_TITLE, faceValueOf, normaliseDate, type ColumnMap, type FixedKey } from "@/lib/licenses/bulk/columns";
import type { SourceRow } from "@/lib/licenses/bulk/source";

export type Problem = { column: string; reason: string };

export type ParsedRow = {
  n: number;
  index: number;
  holder: HolderInput;
  codeHash: string;
  face: FaceData;
  matter: { code: string; name: string } | null;
  licenceNumber: string | null;
  businessCompletedAt: Date;
  validFrom: string;
};

/** What the report shows of a row: never the full holder code. */
export type RowLabel = { name: string; codeMasked: string; number: string };

export type RowResult = { n: number; index: number; label: RowLabel; problems: Problem[]; parsed: ParsedRow | null };

const MAX_NUMBER = 40;
const CONTROL = /[\u0000-\u001f\u007f]/;
const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;
const EARLIEST = new Date("1949-10-01T00:00:00+08:00");

function realDate(s: string): boolean {
  if (!DATE_RE.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

const HOLDER_KEY: Record<string, FixedKey> = { category: "category", codeType: "codeType", code: "code", name: "name", contact: "contact" };

export type RowContext = Pick<IssueContext, "version" | "fields" | "validity">;

/** Checks one data row by itself (no database). `defaultCompletedAt` is the upload's 业务办结时间. */
export function parseRow(ctx: RowContext, map: ColumnMap, src: SourceRow, index: number, defaultCompletedAt: Date, now: Date): RowResult {
  const cell = (k: FixedKey) => {
    const i = map.fixed[k];
    return i === undefined ? "" : (src.cells[i] ?? "").trim();
  };
  const problems: Problem[] = [];
  const add = (column: string, reason: string) => {
    if (!problems.some((p) => p.column === column)) problems.push({ column, reason });
  };

  const categoryText = cell("category");
  const codeTypeText = cell("codeType");
  const category = categoryCode(categoryText);
  const codeType = codeTypeCode(codeTypeText);
  if (!categoryText) add(FIXED_TITLE.category, "请填写持证主体类别");
  else if (!category) add(FIXED_TITLE.category, `「${categoryText}」不是持证主体类别（自然人、法人、非法人组织）`);
  if (!codeTypeText) add(FIXED_TITLE.codeType, "请填写持证主体代码类型");
  else if (!codeType) add(FIXED_TITLE.codeType, `「${codeTypeText}」不是 GB/T 36903 的持证主体代码类型`);

  const raw = { category: category ?? "", codeType: codeType ?? "", code: cell("code"), name: cell("name"), contact: cell("contact") };
  const label: RowLabel = { name: raw.name.slice(0, 200), codeMasked: raw.code ? maskHolderCode(raw.code) : "", number: cell("number").slice(0, MAX_NUMBER) };
  let holder: HolderInput | null = null;
  const h = holderInput.safeParse(raw);
  if (h.success) {
    holder = h.data;
    for (const [k, reason] of Object.entries(holderProblems(ctx, h.data, ""))) add(FIXED_TITLE[HOLDER_KEY[k] ?? "code"], reason);
  } else {
    for (const i of h.error.issues) {
      const key = HOLDER_KEY[String(i.path[0])] ?? "code";
      // an unknown category or code type is already reported above in the file's own words
      if ((key === "category" && !category) || (key === "codeType" && !codeType)) continue;
      add(FIXED_TITLE[key], i.message);
    }
  }

  const values: Record<string, unknown> = {};
  for (const c of map.face) {
    const text = c.index === undefined ? "" : (src.cells[c.index] ?? "");
    if (c.field.type === "IMAGE") {
      if (text.trim()) add(c.header, "批量导入不能填写图片字段，请留空");
      continue;
    }
    values[c.field.key] = faceValueOf(c.field, text);
  }
  const face = parseFace(ctx.fields, values);
  if (!face.ok) {
    for (const [k, reason] of Object.entries(face.errors)) {
      const key = k.split(".")[1];
      add(map.face.find((c) => c.field.key === key)?.header ?? k, reason);
    }
  }

  const numberText = cell("number");
  if (numberText && (Array.from(numberText).length > MAX_NUMBER || CONTROL.test(numberText))) add(FIXED_TITLE.number, `证照编号不超过 ${MAX_NUMBER} 个字符，且不能含控制字符`);

  const matterText = cell("matter");
  const matter = matterText ? ctx.version.matters.find((m) => m.code === matterText || m.name === matterText) : undefined;
  if (matterText && !matter) add(FIXED_TITLE.matter, `「${matterText}」不是该证照类型的关联事项（可填：${ctx.version.matters.map((m) => m.code).join("、") || "无"}）`);

  const completedText = cell("completedAt");
  let completedAt = defaultCompletedAt;
  if (completedText) {
    const at = completionInstant(completedText);
    if (!at) add(FIXED_TITLE.completedAt, "业务办结时间应写作 YYYY-MM-DD HH:mm（或 YYYY-MM-DD）");
    else if (at.getTime() > now.getTime() + 5 * 60_000) add(FIXED_TITLE.completedAt, "业务办结时间不能晚于现在");
    else if (at < EARLIEST) add(FIXED_TITLE.completedAt, "业务办结时间过早，请核对");
    else completedAt = at;
  }

  const validFromText = cell("validFrom");
  let validFrom = shanghaiDate(completedAt);
  if (validFromText) {
    const d = normaliseDate(validFromText);
    if (!realDate(d)) add(FIXED_TITLE.validFrom, "有效期起始日期应为有效的 YYYY-MM-DD");
    else validFrom = d;
  }
  // as issuing: never a licence that has already expired (a paper licence past its term is not converted)
  if (realDate(validFrom)) {
    const p = validityStartProblem(ctx.validity, validFrom, now);
    if (p) add(FIXED_TITLE.validFrom, validFromText ? p : `${p}（起始日期取业务办结日期）`);
  }

  if (problems.length || !holder || !face.ok) return { n: src.n, index, label, problems, parsed: null };
  return {
    n: src.n,
    index,
    label,
    problems,
    parsed: {
      n: src.n,
      index,
      holder,
      codeHash: holderCodeHash(holder.code),
      face: face.face,
      matter: matter ? { code: matter.code, name: matter.name } : null,
      licenceNumber: numberText || null,
      businessCompletedAt: completedAt,
      validFrom,
    },
  };
}

export const holderKey = (codeType: string, codeHash: string) => `${codeType}:${codeHash}`;

export type BatchVerdict = { kind: "NEW" } | { kind: "EXISTING" } | { kind: "REFUSED"; problem: Problem };

/**
 * The database's side of the rules for a batch of rows that passed parseRow, in three queries:
 * licence numbers the type already has, live licences of these holders (one-live rule), and, for
 * rows without a number, licences an earlier upload of the same file already created for the
 * holder (so re-uploading a file creates nothing new even where numbers were generated).
 */
export async function checkBatch(ctx: Pick<IssueContext, "type" | "version">, rows: ParsedRow[], sameFileImportIds: readonly string[]): Promise<Map<number, BatchVerdict>> {
  const out = new Map<number, BatchVerdict>();
  if (!rows.length) return out;
  const numbers = [...new Set(rows.map((r) => r.licenceNumber).filter((n): n is string => !!n))];
  const hashes = [...new Set(rows.map((r) => r.codeHash))];
  const codeTypes = [...new Set(rows.map((r) => r.holder.codeType))];
  const [byNumber, live, earlier] = await Promise.all([
    numbers.length
      ? db().licence.findMany({ where: { typeId: ctx.type.id, licenceNumber: { in: numbers } }, select: { licenceNumber: true, holderCodeType: true, holderCodeHash: true } })
      : Promise.resolve([]),
    ctx.version.allowMultiple
      ? Promise.resolve([])
      : db().licence.findMany({
          // all three columns of the one-live index (typeId, holderCodeType, holderCodeHash), so each holder is one index probe
          where: { typeId: ctx.type.id, exclusive: true, status: { in: [...LIVE_STATUSES] }, holderCodeType: { in: codeTypes }, holderCodeHash: { in: hashes } },
          select: { holderCodeType: true, holderCodeHash: true, licenceNumber: true },
        }),
    sameFileImportIds.length && rows.some((r) => !r.licenceNumber)
      ? db().licence.findMany({ where: { typeId: ctx.type.id, importId: { in: [...sameFileImportIds] }, holderCodeHash: { in: hashes } }, select: { holderCodeType: true, holderCodeHash: true } })
      : Promise.resolve([]),
  ]);
  const numberMap = new Map(byNumber.map((l) => [l.licenceNumber, l]));
  const liveMap = new Map(live.map((l) => [holderKey(l.holderCodeType, l.holderCodeHash), l]));
  const earlierSet = new Set(earlier.map((l) => holderKey(l.holderCodeType, l.holderCodeHash)));
  for (const r of rows) {
    const key = holderKey(r.holder.codeType, r.codeHash);
    if (r.licenceNumber) {
      const same = numberMap.get(r.licenceNumber);
      if (same) {
        out.set(
          r.index,
          holderKey(same.holderCodeType, same.holderCodeHash) === key
            ? { kind: "EXISTING" }
            : { kind: "REFUSED", problem: { column: FIXED_TITLE.number, reason: `证照编号「${r.licenceNumber}」已被本类型的另一份证照使用` } },
        );
        continue;
      }
    } else if (earlierSet.has(key)) {
      out.set(r.index, { kind: "EXISTING" });
      continue;
    }
    const l = liveMap.get(key);
    if (l) {
      out.set(r.index, { kind: "REFUSED", problem: { column: FIXED_TITLE.code, reason: `该持证主体已有有效的「${ctx.type.name}」（${l.licenceNumber}），请办理变更或延续，或先注销原证` } });
      continue;
    }
    out.set(r.index, { kind: "NEW" });
  }
  return out;
}
