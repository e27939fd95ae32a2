// The dashboard's summaries (V-01), rebuilt by the `dashboard-refresh` job every 5 minutes and on
// a supervisor's request: the dashboard reads only these small tables (and a few small live
// tables), so it answers in milliseconds over millions of licences, objections and log rows; the
// page says when each summary was rebuilt. One rebuild at a time (a transaction-scoped advisory
// lock); readers see the previous summary until the new one commits.
//
// - StatLicenceMonth: licences per managing department, month issued (Asia/Shanghai), origin and
//   sync mode, with those synchronised by their due time (L-05: online at once, offline within 1
//   working day, bulk within 5; the due time is stored on the licence at issue).
// - StatObjectionMonth: the objection figures of `objectionFigures` per department and month.
// - StatAccessMonth: the access log per month, licence department, using department, kind,
//   channel and scenario, with failures.
// - LicenceFinding: data quality. FACE_INVALID — a licence issued under an older version of its
//   type whose face fails the current released version's schema (licences on the current version
//   passed it at issue); EXPIRED_VALID — still VALID after its end date; DUPLICATE_LIVE — more
//   than one live licence of a type whose current version allows one per holder (L-06).
import "server-only";
import { db, type Tx } from "@/lib/db";
import { calendar } from "@/lib/calendar";
import { shanghaiDate } from "@/lib/calendar/working-days";
import { faceFieldList, type FaceFieldDef } from "@/lib/catalog/face-fields";
import { parseFace, LIVE_STATUSES } from "@/lib/licenses/service";
import { emptyTally, tallyObjection, type ObjectionTally } from "@/lib/objections/tally";

export const NIL_UUID = "00000000-0000-0000-0000-000000000000";
export const SUMMARIES = ["licences", "objections", "access", "findings"] as const;
export type SummaryName = (typeof SUMMARIES)[number];
export const SUMMARY_LABELS: Record<SummaryName, string> = { licences: "证照汇聚", objections: "异议处理", access: "用证核验", findings: "数据质量" };
/** How often the job rebuilds them (the page shows it with each summary's time). */
export const REFRESH_EVERY_MINUTES = 5;

const LOCK_KEY = 8_020_001;
const FACE_BATCH = 2000;

async function timed(tx: Tx, name: SummaryName, fn: () => Promise<number>, at: Date): Promise<{ name: SummaryName; rows: number; ms: number }> {
  const t0 = performance.now();
  const rows = await fn();
  const ms = Math.round(performance.now() - t0);
  await tx.$executeRaw`
    INSERT INTO "StatRefresh" ("name", "refreshedAt", "durationMs", "rows") VALUES (${name}, ${at}, ${ms}, ${rows})
    ON CONFLICT ("name") DO UPDATE SET "refreshedAt" = EXCLUDED."refreshedAt", "durationMs" = EXCLUDED."durationMs", "rows" = EXCLUDED."rows"`;
  return { name, rows, ms };
}

async function licences(tx: Tx): Promise<number> {
  await tx.$executeRaw`DELETE FROM "StatLicenceMonth"`;
  return tx.$executeRaw`
    INSERT INTO "StatLicenceMonth" ("deptId", "month", "origin", "syncMode", "issued", "onTime", "live")
    SELECT "issuerDeptId", date_trunc('month', "issuedAt" AT TIME ZONE 'Asia/Shanghai')::date, "origin", "syncMode",
           count(*)::int, count(*) FILTER (WHERE "syncedAt" <= "syncDueAt")::int,
           count(*) FILTER (WHERE "status" = ANY(${[...LIVE_STATUSES]}::"LicenceStatus"[]))::int
    FROM "Licence"
    GROUP BY 1, 2, 3, 4`;
}

type ObjRow = { deptId: string; status: string; receivedAt: Date; markDueAt: Date; resolveDueAt: Date; markedAt: Date | null; resolvedAt: Date | null; withdrawnAt: Date | null };

async function objections(tx: Tx, now: Date): Promise<number> {
  const cal = await calendar(tx);
  const rows = await tx.$queryRaw<ObjRow[]>`
    SELECT "issuerDeptId" AS "deptId", "status", "receivedAt", "markDueAt", "resolveDueAt", "markedAt", "resolvedAt", "withdrawnAt" FROM "Objection"`;
  type Acc = ObjectionTally & { deptId: string; month: string };
  const acc = new Map<string, Acc>();
  for (const o of rows) {
    const month = `${shanghaiDate(o.receivedAt).slice(0, 7)}-01`;
    const key = `${o.deptId}|${month}`;
    let a = acc.get(key);
    if (!a) acc.set(key, (a = { deptId: o.deptId, month, ...emptyTally() }));
    tallyObjection(a, o, cal, now);
  }
  await tx.$executeRaw`DELETE FROM "StatObjectionMonth"`;
  const all = [...acc.values()];
  for (let i = 0; i < all.length; i += 5000) {
    const part = all.slice(i, i + 5000);
    const col = <K extends keyof Acc>(k: K) => part.map((a) => a[k]);
    await tx.$executeRaw`
      INSERT INTO "StatObjectionMonth" ("deptId", "month", "received", "markCounted", "markedOnTime", "resolveCounted", "resolvedOnTime", "resolved", "resolveDays", "overdueNow")
      SELECT * FROM unnest(${col("deptId")}::uuid[], ${col("month")}::date[], ${col("received")}::int[], ${col("markCounted")}::int[], ${col("markedOnTime")}::int[],
                           ${col("resolveCounted")}::int[], ${col("resolvedOnTime")}::int[], ${col("resolved")}::int[], ${col("resolveDays")}::int[], ${col("overdueNow")}::int[])`;
  }
  return all.length;
}

async function access(tx: Tx): Promise<number> {
  await tx.$executeRaw`DELETE FROM "StatAccessMonth"`;
  return tx.$executeRaw`
    INSERT INTO "StatAccessMonth" ("month", "issuerDeptId", "userDeptId", "kind", "channel", "scenario", "total", "failed")
    SELECT date_trunc('month', "at" AT TIME ZONE 'Asia/Shanghai')::date, coalesce("issuerDeptId", ${NIL_UUID}::uuid), coalesce("userDeptId", ${NIL_UUID}::uuid),
           "kind", "channel", coalesce("scenario", ''), count(*)::int, count(*) FILTER (WHERE NOT "ok")::int
    FROM "AccessLog"
    GROUP BY 1, 2, 3, 4, 5, 6`;
}

async function findings(tx: Tx, now: Date): Promise<number> {
  await tx.$executeRaw`DELETE FROM "LicenceFinding"`;
  const today = shanghaiDate(now);
  let n = await tx.$executeRaw`
    INSERT INTO "LicenceFinding" ("licenceId", "kind", "deptId", "typeId", "detail", "foundAt")
    SELECT "id", 'EXPIRED_VALID', "issuerDeptId", "typeId", '有效期至 ' || to_char("validTo", 'YYYY-MM-DD') || '，仍为有效状态', ${now}
    FROM "Licence" WHERE "status" = 'VALID' AND "validTo" < ${today}::date`;
  n += await tx.$executeRaw`
    WITH cur AS (
      SELECT t."id" FROM "LicenceType" t JOIN "LicenceTypeVersion" v ON v."typeId" = t."id" AND v."number" = t."releasedVersion"
      WHERE NOT v."allowMultiple"),
    live AS (
      SELECT l."id", l."issuerDeptId", l."typeId", count(*) OVER (PARTITION BY l."typeId", l."holderCodeType", l."holderCodeHash") AS n
      FROM "Licence" l JOIN cur ON cur."id" = l."typeId"
      WHERE l."status" = ANY(${[...LIVE_STATUSES]}::"LicenceStatus"[]))
    INSERT INTO "LicenceFinding" ("licenceId", "kind", "deptId", "typeId", "detail", "foundAt")
    SELECT "id", 'DUPLICATE_LIVE', "issuerDeptId", "typeId", '同一持证主体有 ' || n || ' 张在用的同类证照（该类证照每个主体限一张）', ${now}
    FROM live WHERE n > 1`;
  // faces: only licences issued under a version other than the type's current one
  const current = await tx.$queryRaw<{ typeId: string; versionId: string; number: number; faceFields: unknown }[]>`
    SELECT t."id" AS "typeId", v."id" AS "versionId", v."number", v."faceFields"
    FROM "LicenceType" t JOIN "LicenceTypeVersion" v ON v."typeId" = t."id" AND v."number" = t."releasedVersion"`;
  for (const c of current) {
    const parsed = faceFieldList.safeParse(c.faceFields);
    if (!parsed.success) continue;
    const fields: FaceFieldDef[] = parsed.data;
    let after = NIL_UUID;
    for (;;) {
      const batch = await tx.$queryRaw<{ id: string; issuerDeptId: string; face: unknown }[]>`
        SELECT "id", "issuerDeptId", "face" FROM "Licence"
        WHERE "typeId" = ${c.typeId}::uuid AND "typeVersionId" <> ${c.versionId}::uuid AND "id" > ${after}::uuid
          AND "status" = ANY(${[...LIVE_STATUSES]}::"LicenceStatus"[])
        ORDER BY "id" LIMIT ${FACE_BATCH}`;
      if (!batch.length) break;
      after = batch[batch.length - 1].id;
      const bad = batch.flatMap((l) => {
        const r = parseFace(fields, l.face);
        if (r.ok) return [];
        const first = Object.entries(r.errors).slice(0, 3).map(([k, m]) => `${fields.find((f) => `face.${f.key}` === k)?.label ?? k.replace(/^face\./, "")}：${m}`);
        return [{ id: l.id, dept: l.issuerDeptId, detail: `不符合第 ${c.number} 版照面要求：${first.join("；")}`.slice(0, 500) }];
      });
      if (bad.length)
        n += await tx.$executeRaw`
          INSERT INTO "LicenceFinding" ("licenceId", "kind", "deptId", "typeId", "detail", "foundAt")
          SELECT id, 'FACE_INVALID', dept, ${c.typeId}::uuid, detail, ${now}
          FROM unnest(${bad.map((b) => b.id)}::uuid[], ${bad.map((b) => b.dept)}::uuid[], ${bad.map((b) => b.detail)}::text[]) AS x(id, dept, detail)`;
      if (batch.length < FACE_BATCH) break;
    }
  }
  return n;
}

export type RefreshResult = { refreshedAt: Date; parts: { name: SummaryName; rows: number; ms: number }[]; skipped: boolean };

/**
 * Rebuilds every summary in one transaction. When another rebuild holds the lock, waits for it
 * (`wait`) or returns at once with `skipped` (the job: the running one will do).
 */
export async function refreshDashboard(opts: { now?: Date; wait?: boolean; freshSince?: Date } = {}): Promise<RefreshResult> {
  return db().$transaction(
    async (tx) => {
      if (opts.wait === false) {
        const [{ got }] = await tx.$queryRaw<{ got: boolean }[]>`SELECT pg_try_advisory_xact_lock(${LOCK_KEY}) AS got`;
        if (!got) return { refreshedAt: opts.now ?? new Date(), parts: [], skipped: true };
      } else await tx.$executeRaw`SELECT pg_advisory_xact_lock(${LOCK_KEY})`;
      // the rebuild's time is when it got the lock: what it reads is at least that fresh
      const now = opts.now ?? new Date();
      // a rebuild that started after the caller asked (another supervisor's click, the job) will do:
      // many clicks at once make one rebuild, not a queue of them
      if (opts.freshSince) {
        const rows = await tx.statRefresh.findMany({ select: { refreshedAt: true } });
        if (rows.length === SUMMARIES.length && rows.every((r) => r.refreshedAt >= opts.freshSince!)) return { refreshedAt: rows[0].refreshedAt, parts: [], skipped: true };
      }
      const parts = [
        await timed(tx, "licences", () => licences(tx), now),
        await timed(tx, "objections", () => objections(tx, now), now),
        await timed(tx, "access", () => access(tx), now),
        await timed(tx, "findings", () => findings(tx, now), now),
      ];
      return { refreshedAt: now, parts, skipped: false };
    },
    { maxWait: 60_000, timeout: 15 * 60_000 },
  );
}

/** When each summary was rebuilt (null: never). */
export async function dashboardFreshness(): Promise<{ name: SummaryName; label: string; refreshedAt: Date | null; durationMs: number | null }[]> {
  const rows = await db().statRefresh.findMany();
  return SUMMARIES.map((name) => {
    const r = rows.find((x) => x.name === name);
    return { name, label: SUMMARY_LABELS[name], refreshedAt: r?.refreshedAt ?? null, durationMs: r?.durationMs ?? null };
  });
}
