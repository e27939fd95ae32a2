// 证照公示 (U-02): the public query of licences whose type's released version is marked 公示. Anyone
// may search, without signing in, by holder name (prefix, or contains when asked) or by licence
// number / identifier; every answer is bounded (a page of at most 100 rows, at most the first
// 1,000 matches, a statement timeout on the contains search) and masked: sensitive face fields per
// the type's flags (maskValue), natural persons' names, and anything that is the holder's code —
// a full holder code never reaches the page, whatever the type's flags say.
import "server-only";
import { isValidUscc } from "@/lib/validation/codes";
import { normaliseHolderCode } from "@/lib/licenses/holder-code";
import "@/lib/validation/zod-zh";
import { z } from "zod";
import { db, Prisma } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { faceFieldList, maskValue } from "@/lib/catalog/face-fields";
import { shanghaiDate } from "@/lib/calendar/working-days";
import { PAGE_SIZES } from "@/lib/pagination";
import { maskHolderCode, maskPersonName } from "@/lib/licenses/holder-code";
import { holderCodeHash } from "@/lib/licenses/holders";
import { IDENTIFIER_PREFIX } from "@/lib/licenses/identifier";
import { publicStatusLabel } from "@/lib/licenses/verify";

/** Matches counted and reachable by paging: past this the visitor narrows the search. */
export const NOTICE_MAX_MATCHES = 1000;
export const NOTICE_MIN_QUERY = 2;
const CONTAINS_TIMEOUT_MS = 3000;

/** The search as read from the URL: forgiving (CONVENTIONS 8), so a bad link shows the empty form. */
export const noticeQuery = z.object({
  q: z.string().trim().max(100).catch(""),
  mode: z.enum(["prefix", "contains"]).catch("prefix"),
  page: z.coerce.number().int().min(1).max(NOTICE_MAX_MATCHES).catch(1),
  pageSize: z.coerce
    .number()
    .int()
    .refine((v) => (PAGE_SIZES as readonly number[]).includes(v))
    .catch(20),
});
export type NoticeQuery = z.infer<typeof noticeQuery>;

export const noticeText = {
  tooShort: `请输入至少 ${NOTICE_MIN_QUERY} 个字的持证主体名称，或完整的证照编号、电子证照标识`,
  tooBroad: "查询范围过大，请输入更完整的名称，或改用「名称开头」查询",
} as const;

export type NoticeRow = {
  id: string;
  name: string;
  number: string;
  identifier: string;
  holderName: string;
  issuer: string;
  issuedOn: string;
  validFrom: string;
  validTo: string | null;
  status: string;
  statusLabel: string;
  /** face fields as the public may see them (images are not shown) */
  face: { label: string; value: string }[];
};

export type NoticeResult = { rows: NoticeRow[]; total: number; capped: boolean; page: number; pageSize: number };

/** Types whose released version is marked 公示, by name. */
export async function publicTypes(): Promise<{ id: string; name: string }[]> {
  const versions = await db().licenceTypeVersion.findMany({
    where: { status: "RELEASED", publicity: true, type: { retiredAt: null } },
    select: { typeId: true, number: true, name: true, type: { select: { releasedVersion: true } } },
  });
  return versions
    .filter((v) => v.type.releasedVersion === v.number)
    .map((v) => ({ id: v.typeId, name: v.name }))
    .sort((a, b) => a.name.localeCompare(b.name, "zh-CN") || a.id.localeCompare(b.id));
}

/** The highest code point: any name that starts with q sorts (bytewise) below q followed by it. */
const TOP = String.fromCodePoint(0x10ffff);

function matchSql(q: string, mode: NoticeQuery["mode"]): Prisma.Sql {
  // a unified social credit code is searched through its keyed hash (the code itself is never stored)
  const code = normaliseHolderCode(q);
  const byCode = isValidUscc(code) ? Prisma.sql` OR (l."holderCodeType" = '001' AND l."holderCodeHash" = ${holderCodeHash(code)})` : Prisma.empty;
  const exact = Prisma.sql`l."licenceNumber" = ${q} OR l."identifier" = ${q.toUpperCase()}${byCode}`;
  if (q.toUpperCase().startsWith(`${IDENTIFIER_PREFIX}.`)) return Prisma.sql`l."identifier" = ${q.toUpperCase()}`;
  // byte order (COLLATE "C") so the prefix range can use Licence_holderName_prefix
  const name =
    mode === "contains"
      ? Prisma.sql`strpos(l."holderName", ${q}) > 0`
      : Prisma.sql`(l."holderName" COLLATE "C" >= ${q} AND l."holderName" COLLATE "C" < ${q + TOP})`;
  return Prisma.sql`(${exact} OR ${name})`;
}

/** PostgreSQL cancelled the statement at statement_timeout (SQLSTATE 57014), as Prisma reports it. */
export function isStatementTimeout(e: unknown): boolean {
  return e instanceof Prisma.PrismaClientKnownRequestError && JSON.stringify(e.meta ?? {}).includes('"57014"');
}

/**
 * One page of the public notice for `q`, newest first (issue time, then id). Nothing is searched
 * for a query shorter than NOTICE_MIN_QUERY characters.
 */
export async function searchPublicNotice(query: NoticeQuery, now = new Date()): Promise<NoticeResult> {
  const { q, mode, pageSize } = query;
  const empty: NoticeResult = { rows: [], total: 0, capped: false, page: 1, pageSize };
  if (Array.from(q).length < NOTICE_MIN_QUERY) return empty;
  const types = (await publicTypes()).map((t) => t.id);
  if (!types.length) return empty;
  const maxPage = Math.max(1, Math.ceil(NOTICE_MAX_MATCHES / pageSize));
  const page = Math.min(query.page, maxPage);
  const where = Prisma.sql`l."typeId" = ANY(${types}::uuid[]) AND ${matchSql(q, mode)}`;
  let found: { ids: string[]; total: number };
  try {
    found = await db().$transaction(async (tx) => {
      await tx.$queryRaw`SELECT set_config('statement_timeout', ${String(CONTAINS_TIMEOUT_MS)}, true)`;
      const counted = await tx.$queryRaw<{ n: bigint }[]>`SELECT count(*) AS n FROM (SELECT 1 FROM "Licence" l WHERE ${where} LIMIT ${NOTICE_MAX_MATCHES + 1}) s`;
      const rows = await tx.$queryRaw<{ id: string }[]>`
        SELECT l.id::text AS id FROM "Licence" l WHERE ${where}
        ORDER BY l."issuedAt" DESC, l.id DESC LIMIT ${pageSize} OFFSET ${(page - 1) * pageSize}`;
      return { ids: rows.map((r) => r.id), total: Number(counted[0].n) };
    });
  } catch (e) {
    if (isStatementTimeout(e)) throw new AppError("INVALID_INPUT", noticeText.tooBroad);
    throw e;
  }
  const rows = await noticeRows(found.ids, now);
  return { rows, total: Math.min(found.total, NOTICE_MAX_MATCHES), capped: found.total > NOTICE_MAX_MATCHES, page, pageSize };
}

const ymd = (d: Date) => d.toISOString().slice(0, 10);

async function noticeRows(ids: string[], now: Date): Promise<NoticeRow[]> {
  if (!ids.length) return [];
  const list = await db().licence.findMany({
    where: { id: { in: ids } },
    select: {
      id: true,
      name: true,
      licenceNumber: true,
      identifier: true,
      holderName: true,
      holderCodeHash: true,
      face: true,
      status: true,
      statusReason: true,
      openObjections: true,
      issuedAt: true,
      validFrom: true,
      validTo: true,
      issuerDept: { select: { name: true } },
      holder: { select: { category: true } },
      typeVersion: { select: { faceFields: true } },
    },
  });
  const byId = new Map(list.map((l) => [l.id, l]));
  const today = shanghaiDate(now);
  return ids.flatMap((id) => {
    const l = byId.get(id);
    if (!l) return [];
    const person = l.holder.category === "NATURAL_PERSON";
    const validTo = l.validTo ? ymd(l.validTo) : null;
    const status = l.status === "VALID" && validTo !== null && validTo < today ? "EXPIRED" : l.status;
    return [
      {
        id: l.id,
        name: l.name,
        number: l.licenceNumber,
        identifier: l.identifier,
        holderName: person ? maskPersonName(l.holderName) : l.holderName,
        issuer: l.issuerDept.name,
        issuedOn: shanghaiDate(l.issuedAt),
        validFrom: ymd(l.validFrom),
        validTo,
        status,
        // 异议中 (O-02) wherever the licence is shown while an objection is marked
        statusLabel: `${publicStatusLabel(status, l.statusReason)}${l.openObjections > 0 ? "（异议中）" : ""}`,
        face: publicFace(l.typeVersion.faceFields, l.face, { holderCodeHash: l.holderCodeHash, holderName: l.holderName, person }),
      },
    ];
  });
}

/**
 * The face as the public may see it: the type's masking (maskValue), citizen ID numbers always
 * masked, any value that is the holder's code masked (found through the keyed hash, since the
 * code itself is only stored encrypted), and a natural person's name masked wherever it appears.
 */
export function publicFace(fieldsJson: unknown, faceJson: unknown, holder: { holderCodeHash: string; holderName: string; person: boolean }): { label: string; value: string }[] {
  const parsed = faceFieldList.safeParse(fieldsJson);
  if (!parsed.success) return [];
  const data = (faceJson ?? {}) as Record<string, unknown>;
  const out: { label: string; value: string }[] = [];
  for (const f of parsed.data) {
    if (f.type === "IMAGE") continue;
    const raw = data[f.key];
    let value = maskValue(f.type === "CITIZEN_ID" ? { ...f, sensitive: true } : f, raw) ?? "";
    if (typeof raw === "string") {
      const s = raw.trim();
      if (s.length >= 4 && s.length <= 40 && holderCodeHash(s) === holder.holderCodeHash) value = maskHolderCode(s);
      else if (holder.person && s === holder.holderName.trim()) value = maskPersonName(s);
    }
    if (value !== "") out.push({ label: f.label, value });
  }
  return out;
}
