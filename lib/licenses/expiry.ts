// The daily licence job (L-08 expiry, L-10 reminders), run by pg-boss at 01:00 Asia/Shanghai and
// callable with any `now` (tests, catching up after an outage).
//
// 1. Valid or suspended licences whose last day of validity is before today (Asia/Shanghai) become
//    EXPIRED, in batches; each batch is one statement that updates the rows and writes their
//    EXPIRE events together, skipping rows an operator has locked (the next run takes them).
// 2. Valid licences ending within 30 days get one HolderNotification each ("EXPIRY_30D", unique
//    per licence and kind: a re-run creates nothing), channel SMS when the holder left a contact,
//    ready for an SMS gateway; in the same transaction the issuing department's issuer operators
//    get an in-app notification listing them.
// 3. One audit event `licence.expire` per run with the counts.
import "server-only";
import { db, withTx } from "@/lib/db";
import { appendAudit, type AuditActor } from "@/lib/audit/log";
import { shanghaiDate } from "@/lib/calendar/working-days";
import { chineseDate } from "@/lib/catalog/face-fields";
import { notify, type NewNotification } from "@/lib/notifications";

export const EXPIRY_REMINDER_KIND = "EXPIRY_30D";
export const EXPIRY_REMINDER_DAYS = 30;
const BATCH = 1000;
const JOB_NAME = "到期处理任务";
const SYSTEM: AuditActor = { id: null, name: JOB_NAME, role: "-", dept: "-", ip: null, userAgent: null };

function addDays(date: string, n: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
}
const asDate = (ymd: string) => new Date(`${ymd}T00:00:00Z`);

/** Expires up to `batch` past-due licences; returns how many. */
async function expireBatch(today: string, now: Date, batch: number): Promise<number> {
  return db().$executeRaw`
    WITH due AS (
      SELECT "id", "status" FROM "Licence"
      WHERE "status" IN ('VALID', 'SUSPENDED') AND "validTo" < ${today}::date
      ORDER BY "validTo", "id"
      LIMIT ${batch}
      FOR UPDATE SKIP LOCKED
    ), expired AS (
      UPDATE "Licence" l
      SET "status" = 'EXPIRED', "statusReason" = 'EXPIRED', "statusChangedAt" = ${now}, "rev" = l."rev" + 1, "updatedAt" = ${now}
      FROM due
      WHERE l."id" = due."id" AND l."status" IN ('VALID', 'SUSPENDED')
      RETURNING l."id", due."status" AS "fromStatus", l."validTo"
    )
    INSERT INTO "LicenceEvent" ("licenceId", "kind", "fromStatus", "toStatus", "reasonCode", "actorName", "at", "data")
    SELECT "id", 'EXPIRE', "fromStatus", 'EXPIRED', 'EXPIRED', ${JOB_NAME}, ${now}, jsonb_build_object('validTo', to_char("validTo", 'YYYY-MM-DD'))
    FROM expired`;
}

type Due = { id: string; name: string; licenceNumber: string; validTo: Date | null; holderId: string; issuerDeptId: string; holder: { contactMasked: string | null }; issuerDept: { name: string } };

function holderMessage(l: Due): string {
  return `【${l.issuerDept.name}】您的「${l.name}」（证照编号 ${l.licenceNumber}）将于 ${chineseDate(l.validTo!.toISOString().slice(0, 10))}到期，如需继续使用，请及时向发证部门申请延续。`;
}

/** Reminders for one batch of licences; returns [holder notifications created, in-app notifications created]. */
async function remindBatch(rows: Due[], today: string): Promise<[number, number]> {
  return withTx(async (tx) => {
    const created = await tx.holderNotification.createManyAndReturn({
      data: rows.map((l) => ({
        holderId: l.holderId,
        licenceId: l.id,
        kind: EXPIRY_REMINDER_KIND,
        channel: l.holder.contactMasked ? "SMS" : "NONE",
        contactMasked: l.holder.contactMasked,
        message: holderMessage(l),
        status: l.holder.contactMasked ? "PENDING" : "SKIPPED",
      })),
      skipDuplicates: true,
      select: { licenceId: true },
    });
    const fresh = new Set(created.map((c) => c.licenceId));
    const byDept = new Map<string, Due[]>();
    for (const l of rows) if (fresh.has(l.id)) byDept.set(l.issuerDeptId, [...(byDept.get(l.issuerDeptId) ?? []), l]);
    const notes: NewNotification[] = [];
    for (const [deptId, list] of byDept) {
      const operators = await tx.user.findMany({ where: { departmentId: deptId, status: "ACTIVE", roles: { some: { role: "ISSUER_OPERATOR" } } }, select: { id: true } });
      const sample = list.slice(0, 5).map((l) => `「${l.name}」${l.licenceNumber}（${l.holder.contactMasked ? "已短信提醒" : "无联系方式"}，至 ${l.validTo!.toISOString().slice(0, 10)}）`);
      for (const u of operators) {
        notes.push({
          userId: u.id,
          kind: "licence.expiry",
          title: `${list.length} 张证照将在 ${EXPIRY_REMINDER_DAYS} 天内到期`,
          body: `${sample.join("；")}${list.length > sample.length ? ` 等 ${list.length} 张` : ""}。请提醒持证主体及时办理延续。`.slice(0, 1000),
          link: list.length === 1 ? `/licenses/${list[0].id}` : "/licenses",
          dedupeKey: `licence.expiry:${deptId}:${today}:${list[0].id}:${u.id}`,
        });
      }
    }
    const notified = await notify(notes, tx);
    return [fresh.size, notified];
  });
}

export type ExpiryRun = { date: string; expired: number; reminders: number; notified: number };

export async function runLicenceExpiry(now = new Date(), batch = BATCH): Promise<ExpiryRun> {
  const today = shanghaiDate(now);
  let expired = 0;
  for (;;) {
    const n = await expireBatch(today, now, batch);
    expired += n;
    if (n < batch) break;
  }

  const horizon = addDays(today, EXPIRY_REMINDER_DAYS);
  let reminders = 0;
  let notified = 0;
  let after: string | undefined;
  for (;;) {
    const rows: Due[] = await db().licence.findMany({
      where: {
        status: "VALID",
        validTo: { gte: asDate(today), lte: asDate(horizon) },
        holderNotifications: { none: { kind: EXPIRY_REMINDER_KIND } },
        ...(after ? { id: { gt: after } } : {}),
      },
      orderBy: { id: "asc" },
      take: batch,
      select: { id: true, name: true, licenceNumber: true, validTo: true, holderId: true, issuerDeptId: true, holder: { select: { contactMasked: true } }, issuerDept: { select: { name: true } } },
    });
    if (!rows.length) break;
    after = rows[rows.length - 1].id;
    const [r, n] = await remindBatch(rows, today);
    reminders += r;
    notified += n;
    if (rows.length < batch) break;
  }

  // One record of the run. The per-licence record is the EXPIRE event written with each change.
  await withTx((tx) => appendAudit(tx, SYSTEM, { action: "licence.expire", count: expired, reminders, notified, date: today }, { type: "Licence", id: null }));
  return { date: today, expired, reminders, notified };
}
