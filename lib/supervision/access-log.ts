// The access log (A-01, V-01): one row per verification of a licence (public page, QR link,
// identifier + code, uploaded file, on-screen show code) and per use of a licence by a department
// in the portal, with its result. Writing it never fails the request it records: a lost row is
// logged to the console, not shown to the person verifying. Rows are never edited (a trigger);
// those older than a year may be purged.
import "server-only";
import { db } from "@/lib/db";

export type AccessKind = "VERIFY" | "USE";
export type AccessChannel = "QR" | "CODE" | "UPLOAD" | "SHOW" | "PORTAL" | "FILE";
export type AccessEntry = {
  kind: AccessKind;
  channel: AccessChannel;
  /** the use-list scenario for uses (VIEW | VERIFY | DATA | ANNOTATED_COPY) */
  scenario?: string | null;
  licenceId?: string | null;
  /** the licence's managing department */
  issuerDeptId?: string | null;
  userDeptId?: string | null;
  userId?: string | null;
  ok: boolean;
  /** a short code: NOT_FOUND | BAD_CODE | ALTERED | EXPIRED_CODE | INVALID | RATE_LIMITED | ERROR … */
  failure?: string | null;
  ip?: string | null;
  at?: Date;
};

export async function logAccess(e: AccessEntry): Promise<void> {
  try {
    await db().accessLog.create({
      data: {
        at: e.at ?? new Date(),
        kind: e.kind,
        channel: e.channel,
        scenario: e.scenario ?? null,
        licenceId: e.licenceId ?? null,
        issuerDeptId: e.issuerDeptId ?? null,
        userDeptId: e.userDeptId ?? null,
        userId: e.userId ?? null,
        ok: e.ok,
        failure: e.ok ? null : (e.failure ?? "ERROR").slice(0, 40),
        ip: e.ip?.slice(0, 64) ?? null,
      },
    });
  } catch (err) {
    console.error("access log not written:", (err as Error).message);
  }
}
