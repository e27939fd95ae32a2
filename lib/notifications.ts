// In-app notifications (the header's count, /notifications). Kinds so far: seal renewal reminders
// (S-06); the seal-use issue adds approval reminders.
import "server-only";
import { z } from "zod";
import { db, type Tx } from "@/lib/db";
import type { Actor } from "@/lib/auth/session";
import { pageQuery } from "@/lib/pagination";

export const notificationFilter = pageQuery.extend({ unread: z.enum(["1"]).optional().catch(undefined) });

export async function unreadCount(actor: Actor): Promise<number> {
  return db().notification.count({ where: { userId: actor.userId, readAt: null } });
}

export async function listNotifications(actor: Actor, f: z.infer<typeof notificationFilter>) {
  const where = { userId: actor.userId, ...(f.unread ? { readAt: null } : {}) };
  const [total, rows] = await Promise.all([
    db().notification.count({ where }),
    db().notification.findMany({ where, orderBy: [{ createdAt: "desc" }, { id: "asc" }], skip: (f.page - 1) * f.pageSize, take: f.pageSize }),
  ]);
  return {
    total,
    page: f.page,
    pageSize: f.pageSize,
    rows: rows.map((n) => ({ id: n.id, kind: n.kind, title: n.title, body: n.body, link: n.link ?? "", createdAt: n.createdAt.toISOString(), read: !!n.readAt })),
  };
}

export const markReadSchema = z.object({ ids: z.union([z.literal("all"), z.array(z.string().uuid()).min(1).max(100)]) });

/** Marks the caller's own notifications read; other people's rows are never touched. */
export async function markRead(actor: Actor, input: z.infer<typeof markReadSchema>) {
  const r = await db().notification.updateMany({
    where: { userId: actor.userId, readAt: null, ...(input.ids === "all" ? {} : { id: { in: input.ids } }) },
    data: { readAt: new Date() },
  });
  return { marked: r.count };
}

export type NewNotification = { userId: string; kind: string; title: string; body: string; link?: string; dedupeKey: string };

/** Marks the user's unread notifications about one page read (they acted on it). */
export async function markLinkRead(userId: string, link: string): Promise<void> {
  await db().notification.updateMany({ where: { userId, link, readAt: null }, data: { readAt: new Date() } });
}

/** Creates notifications once per dedupe key (a re-run of a reminder job sends nothing twice). */
export async function notify(items: NewNotification[], tx?: Tx): Promise<number> {
  if (!items.length) return 0;
  const r = await (tx ?? db()).notification.createMany({ data: items, skipDuplicates: true });
  return r.count;
}
