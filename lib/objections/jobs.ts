// The objection sweep (O-05), run by pg-boss every 5 minutes (queue objection-sweep): a reminder
// to the issuing department once more than half of the working days to resolve have passed
// (lib/objections/half-time.ts), once per objection, and an escalation to the management
// department exactly once per missed deadline. Nothing here decides whether something is overdue
// for a page: that is always a query on the stored deadlines; the sweep only tells people. It is
// safe to run twice at once or after a restart: the reminder is claimed by a conditional update,
// the escalation by the unique (objectionId, kind) index with ON CONFLICT DO NOTHING, and only
// the rows actually claimed get an event and a notification (whose dedupe keys guard again).
import "server-only";
import { randomUUID } from "node:crypto";
import { withTx, type Tx } from "@/lib/db";
import { appendAudit } from "@/lib/audit/log";
import { notify, type NewNotification } from "@/lib/notifications";
import { cut } from "@/lib/text";
import { eventActor, managementOf, objectionLink, provincialManagement, SYSTEM, usersWith } from "@/lib/objections/common";
import { ESCALATION_KIND_LABELS } from "@/lib/objections/schema";
import { calendar } from "@/lib/calendar/store";
import { halfTimeAt } from "@/lib/objections/half-time";

type Claimed = { id: string; number: string; licenceId: string; issuerDeptId: string; routeStage: string | null; resolveDueAt: Date };

const fmt = (d: Date) => new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 16).replace("T", " ");

/** Open objections whose reminder is due are claimed at most this many per sweep. */
const REMIND_BATCH = 1000;

async function remind(tx: Tx, now: Date): Promise<number> {
  // open and not reminded yet: the objections of the last few working days (each is reminded
  // within its first ⌈N/2⌉+1 working days), oldest first
  const open = await tx.$queryRaw<{ id: string; receivedAt: Date; resolveDueAt: Date }[]>`
    SELECT "id", "receivedAt", "resolveDueAt" FROM "Objection"
    WHERE "status" IN ('SUBMITTED', 'MARKED') AND "remindedAt" IS NULL AND "receivedAt" <= ${now}
    ORDER BY "receivedAt", "id" LIMIT 20000`;
  if (!open.length) return 0;
  const cal = await calendar(tx);
  const due = open.filter((o) => halfTimeAt(cal, o.receivedAt, o.resolveDueAt) <= now).map((o) => o.id).slice(0, REMIND_BATCH);
  if (!due.length) return 0;
  const claimed = await tx.$queryRaw<Claimed[]>`
    UPDATE "Objection" SET "remindedAt" = ${now}
    WHERE "id" IN (
        -- locked in id order, so two sweeps at once wait for each other instead of deadlocking
        SELECT "id" FROM "Objection" WHERE "id" = ANY(${due}::uuid[]) AND "remindedAt" IS NULL ORDER BY "id" FOR UPDATE)
      AND "remindedAt" IS NULL
    RETURNING "id", "number", "licenceId", "issuerDeptId", "routeStage", "resolveDueAt"`;
  if (!claimed.length) return 0;
  const notes: NewNotification[] = [];
  const depts = new Map((await tx.department.findMany({ where: { id: { in: [...new Set(claimed.map((c) => c.issuerDeptId))] } }, select: { id: true, path: true, areaCode: true } })).map((d) => [d.id, d]));
  for (const o of claimed) {
    const dept = depts.get(o.issuerDeptId)!;
    // still with the province (O-06): the router is reminded, not the issuer who has not received it
    const province = o.routeStage === "AT_PROVINCE" ? await provincialManagement(tx, dept) : null;
    const users = province ? await usersWith(tx, province.id, "objection.route") : await usersWith(tx, o.issuerDeptId, "licence.issue");
    await tx.objectionEvent.create({ data: { objectionId: o.id, kind: "REMIND", note: `办结时限已过半（${fmt(o.resolveDueAt)} 前办结）`, data: { toDeptId: province?.id ?? o.issuerDeptId, users: users.length }, ...eventActor(null, now) } });
    for (const u of users)
      notes.push({ userId: u.id, kind: "objection.remind", title: `异议办结时限已过半：${o.number}`, body: `请于 ${fmt(o.resolveDueAt)} 前办结并告知申请方。`, link: objectionLink(o.id), dedupeKey: `objection:${o.id}:remind:${u.id}` });
  }
  await notify(notes, tx);
  return claimed.length;
}

type Due = { id: string; number: string; kind: "MARK" | "RESOLVE"; dueAt: Date; issuerDeptId: string };

async function escalate(tx: Tx, now: Date): Promise<number> {
  // missed deadlines not escalated yet; the insert below decides who escalates (exactly once)
  const due = await tx.$queryRaw<Due[]>`
    SELECT o."id", o."number", k."kind", CASE k."kind" WHEN 'MARK' THEN o."markDueAt" ELSE o."resolveDueAt" END AS "dueAt", o."issuerDeptId"
    FROM "Objection" o
    CROSS JOIN (VALUES ('MARK'), ('RESOLVE')) AS k("kind")
    WHERE ((k."kind" = 'MARK' AND o."status" = 'SUBMITTED' AND o."markDueAt" < ${now})
        OR (k."kind" = 'RESOLVE' AND o."status" IN ('SUBMITTED', 'MARKED') AND o."resolveDueAt" < ${now}))
      AND NOT EXISTS (SELECT 1 FROM "ObjectionEscalation" e WHERE e."objectionId" = o."id" AND e."kind" = k."kind")
    ORDER BY o."receivedAt", o."id", k."kind"
    LIMIT 1000`;
  if (!due.length) return 0;
  const depts = new Map((await tx.department.findMany({ where: { id: { in: [...new Set(due.map((d) => d.issuerDeptId))] } }, select: { id: true, name: true, path: true, areaCode: true } })).map((d) => [d.id, d]));
  const management = new Map<string, Awaited<ReturnType<typeof managementOf>>>();
  let count = 0;
  const notes: NewNotification[] = [];
  for (const d of due) {
    const dept = depts.get(d.issuerDeptId)!;
    if (!management.has(dept.id)) management.set(dept.id, await managementOf(tx, dept));
    const to = management.get(dept.id) ?? null;
    const inserted = await tx.$queryRaw<{ id: string }[]>`
      INSERT INTO "ObjectionEscalation" ("id", "objectionId", "kind", "dueAt", "toDeptId", "createdAt")
      VALUES (${randomUUID()}::uuid, ${d.id}::uuid, ${d.kind}, ${d.dueAt}, ${to?.id ?? null}::uuid, ${now})
      ON CONFLICT ("objectionId", "kind") DO NOTHING
      RETURNING "id"`;
    if (!inserted.length) continue;
    count++;
    const what = ESCALATION_KIND_LABELS[d.kind];
    await tx.objectionEvent.create({
      data: { objectionId: d.id, kind: "ESCALATE", note: `${what}（时限 ${fmt(d.dueAt)}），已报「${to?.name ?? "管理部门"}」督办`, data: { kind: d.kind, dueAt: d.dueAt.toISOString(), toDeptId: to?.id ?? null }, ...eventActor(null, now) },
    });
    const users = to ? await usersWith(tx, to.id, "supervision.read") : [];
    for (const u of users)
      notes.push({
        userId: u.id,
        kind: "objection.escalate",
        title: cut(`异议${what}：${d.number}`, 200),
        body: cut(`「${dept.name}」未在时限（${fmt(d.dueAt)}）内${d.kind === "MARK" ? "标注" : "办结"}异议 ${d.number}，请督办。`, 1000),
        link: objectionLink(d.id),
        dedupeKey: `objection:${d.id}:escalate:${d.kind}:${u.id}`,
      });
  }
  await notify(notes, tx);
  return count;
}

/**
 * One sweep at `now` (injectable for tests): reminders, then escalations, in one transaction with
 * one `objection.escalate` audit event when it did something.
 */
export async function sweepObjections(now = new Date()): Promise<{ reminders: number; escalations: number }> {
  return withTx(async (tx) => {
    const reminders = await remind(tx, now);
    const escalations = await escalate(tx, now);
    if (reminders || escalations) await appendAudit(tx, SYSTEM, { action: "objection.escalate", count: escalations, reminders }, { type: "Objection", id: null });
    return { reminders, escalations };
  });
}

