// S-06: from 30 days before the end of its validity, the holder of a seal is reminded that it may
// be renewed. Runs daily as a pg-boss job; the dedupe key makes a re-run (or a second worker) harmless.
import "server-only";
import { db } from "@/lib/db";
import { notify, type NewNotification } from "@/lib/notifications";
import { renewalWindowOpens } from "@/lib/seals/kinds";

export async function sendRenewalReminders(now = new Date()): Promise<number> {
  const horizon = new Date(now.getTime() + 30 * 86_400_000);
  const seals = await db().seal.findMany({
    where: { status: "ACTIVE", validEnd: { gte: now, lte: horizon } },
    select: { id: true, name: true, esId: true, validEnd: true, holderDeptId: true, administratorId: true, custodians: { select: { userId: true } } },
  });
  const items: NewNotification[] = [];
  for (const s of seals) {
    const applicants = await db().user.findMany({
      where: { departmentId: s.holderDeptId, status: "ACTIVE", roles: { some: { role: "SEAL_APPLICANT" } } },
      select: { id: true },
    });
    const recipients = new Set([...applicants.map((u) => u.id), ...s.custodians.map((c) => c.userId), ...(s.administratorId ? [s.administratorId] : [])]);
    const end = s.validEnd!.toISOString().slice(0, 10);
    for (const userId of recipients) {
      items.push({
        userId,
        kind: "seal.renewal",
        title: `电子印章「${s.name}」将于 ${end} 到期`,
        body: `印章 ${s.esId ?? ""} 自 ${renewalWindowOpens(s.validEnd!).toISOString().slice(0, 10)} 起可以申请延期（延期后印模不变、更换证书）。请及时联系印章制作单位办理。`,
        link: `/seals/${s.id}`,
        dedupeKey: `seal.renewal:${s.id}:${end}:${userId}`,
      });
    }
  }
  return notify(items);
}
