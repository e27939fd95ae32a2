// Notices (通报, V-02): a supervisor publishes a notice about overdue rectification orders in its
// scope (supervision.manage over each order's department; each order ISSUED or RETURNED and past
// its stored due date). The body defaults to a list generated from the orders. A NOTICE event on
// every order, the audit event, all in one transaction; a published notice is never edited (the
// table's trigger). Every signed-in user reads the notices.
import "server-only";
import { db, withTx } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { appendAudit } from "@/lib/audit/log";
import { auditActorOf, type Actor } from "@/lib/auth/session";
import { can, requirePermission } from "@/lib/auth/permissions";
import { shanghaiDate } from "@/lib/calendar/working-days";
import { takeCounter } from "@/lib/licenses/counters";
import { cut } from "@/lib/text";
import { conflictOnLock, eventActor } from "@/lib/objections/common";
import { tellDepartment } from "@/lib/supervision/rectification";
import { publishNoticeInput, daysOverdue, OPEN_FOR_RESPONSE, type PublishNoticeFormInput } from "@/lib/supervision/rectification-schema";
import { pageQuery } from "@/lib/pagination";
import type { z } from "zod";

export const noticeFilter = pageQuery;
export const noticeLink = (id: string) => `/supervision/notices/${id}`;

type OrderForNotice = { number: string; title: string; dueAt: Date; dept: { name: string } };

/** The default body: one line per order (number, department, title, due date, days overdue). */
export function defaultNoticeBody(orders: OrderForNotice[], now: Date): string {
  const lines = orders.map((o, i) => `${i + 1}. ${o.number}　${o.dept.name}　${o.title}　整改期限 ${shanghaiDate(o.dueAt)}，已超期 ${daysOverdue(o.dueAt, now)} 天`);
  return cut(`下列单位未在规定期限内完成整改并反馈，现予通报，请相关单位立即整改：\n${lines.join("\n")}`, 8000);
}

async function newNoticeNumber(now: Date): Promise<string> {
  const day = shanghaiDate(now).replaceAll("-", "");
  const seq = await takeCounter(db(), `notice:${day}`);
  if (seq > 999n) throw new AppError("CONFLICT", "今日通报编号已用完，请明日再发布");
  return `TB${day}${seq.toString().padStart(3, "0")}`;
}

/** 发布通报: only overdue orders the publisher supervises. */
export async function publishNotice(actor: Actor, rawInput: PublishNoticeFormInput, opts: { now?: Date } = {}): Promise<{ id: string; number: string }> {
  requirePermission(actor, "supervision.manage");
  const r = publishNoticeInput.safeParse(rawInput);
  if (!r.success) {
    const fieldErrors: Record<string, string> = {};
    for (const i of r.error.issues) fieldErrors[i.path.join(".") || "_form"] ??= i.message;
    throw new AppError("INVALID_INPUT", "请按提示修改后再提交", fieldErrors);
  }
  const input = r.data;
  const now = opts.now ?? new Date();
  const ids = [...new Set(input.orderIds)];
  const number = await newNoticeNumber(now);
  return conflictOnLock(
    withTx(async (tx) => {
      // the orders locked in id order, so a response committing meanwhile is seen
      await tx.$queryRaw`SELECT 1 FROM "RectificationOrder" WHERE "id" = ANY(${ids}::uuid[]) ORDER BY "id" FOR SHARE`;
      const orders = await tx.rectificationOrder.findMany({ where: { id: { in: ids } }, include: { dept: { select: { id: true, name: true, path: true } } }, orderBy: [{ dueAt: "asc" }, { id: "asc" }] });
      if (orders.length !== ids.length || orders.some((o) => !can(actor, "supervision.manage", o.dept))) throw new AppError("NOT_FOUND", "整改通知不存在或不在您的管辖范围内", { orderIds: "整改通知不存在或不在您的管辖范围内" });
      const notOverdue = orders.filter((o) => !(OPEN_FOR_RESPONSE as readonly string[]).includes(o.status) || !(o.dueAt < now));
      if (notOverdue.length) {
        const msg = `只能通报超期未整改的整改通知：${notOverdue.map((o) => o.number).join("、")} 未超期或已反馈`;
        throw new AppError("CONFLICT", cut(msg, 500), { orderIds: cut(msg, 500) });
      }
      const body = input.body || defaultNoticeBody(orders, now);
      const n = await tx.supervisionNotice.create({
        data: { number, title: input.title, body, orderIds: orders.map((o) => o.id), publisherDeptId: actor.departmentId, publishedById: actor.userId, publishedByName: cut(actor.name, 100), publishedAt: now },
      });
      const who = eventActor(actor, now);
      await tx.rectificationEvent.createMany({ data: orders.map((o) => ({ orderId: o.id, kind: "NOTICE", note: cut(`通报 ${number}：${input.title}（已超期 ${daysOverdue(o.dueAt, now)} 天）`, 2000), ...who })) });
      for (const o of orders) await tellDepartment(tx, o, "supervision.notice", `通报：${cut(input.title, 80)}`, `整改通知 ${o.number} 超过整改期限未反馈，已被通报（${number}）。`, `notice:${number}`);
      await appendAudit(tx, auditActorOf(actor), { action: "supervision.notice", number, orders: orders.length, title: cut(input.title, 200), orderNumbers: cut(orders.map((o) => o.number).join(","), 1000) }, { type: "SupervisionNotice", id: n.id });
      return { id: n.id, number };
    }),
  );
}

/** Every signed-in user: the notices, newest first. */
export async function listNotices(_actor: Actor, f: z.infer<typeof noticeFilter>) {
  const total = await db().supervisionNotice.count();
  const rows = await db().supervisionNotice.findMany({ orderBy: [{ publishedAt: "desc" }, { id: "asc" }], skip: (f.page - 1) * f.pageSize, take: f.pageSize, select: { id: true, number: true, title: true, orderIds: true, publishedAt: true, publishedByName: true, publisherDeptId: true } });
  const depts = await db().department.findMany({ where: { id: { in: [...new Set(rows.map((r) => r.publisherDeptId))] } }, select: { id: true, name: true } });
  const name = new Map(depts.map((d) => [d.id, d.name]));
  return {
    total,
    page: f.page,
    pageSize: f.pageSize,
    rows: rows.map((r) => ({ id: r.id, number: r.number, title: r.title, orders: r.orderIds.length, publishedAt: r.publishedAt.toISOString(), publisher: name.get(r.publisherDeptId) ?? "", publishedByName: r.publishedByName })),
  };
}

export type NoticeDetail = NonNullable<Awaited<ReturnType<typeof noticeDetail>>>;

/** A notice with its orders (number, department, title, due date); the order links only for its readers. */
export async function noticeDetail(actor: Actor, id: string) {
  if (!/^[0-9a-f-]{36}$/i.test(id)) return null;
  const n = await db().supervisionNotice.findUnique({ where: { id } });
  if (!n) return null;
  const publisher = await db().department.findUnique({ where: { id: n.publisherDeptId }, select: { name: true } });
  const orders = await db().rectificationOrder.findMany({ where: { id: { in: n.orderIds } }, include: { dept: { select: { id: true, name: true, path: true } } }, orderBy: [{ dueAt: "asc" }, { id: "asc" }] });
  return {
    id: n.id,
    number: n.number,
    title: n.title,
    body: n.body,
    publishedAt: n.publishedAt.toISOString(),
    publishedByName: n.publishedByName,
    publisher: publisher?.name ?? "",
    orders: orders.map((o) => ({
      id: o.id,
      number: o.number,
      dept: o.dept.name,
      title: o.title,
      dueAt: o.dueAt.toISOString(),
      daysOverdue: daysOverdue(o.dueAt, n.publishedAt),
      readable: can(actor, "supervision.read", o.dept) || (can(actor, "rectification.respond") && o.deptId === actor.departmentId),
    })),
  };
}
