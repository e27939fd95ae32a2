import "server-only";
import { db } from "@/lib/db";

export type SecurityPolicyValues = {
  lockoutThreshold: number;
  lockoutWindowMinutes: number;
  lockoutMinutes: number;
  ipThreshold: number;
  idleTimeoutMinutes: number;
  absoluteLifetimeHours: number;
  passwordExpiryDays: number;
  passwordMinLength: number;
  passwordHistoryCount: number;
};

export async function getPolicy(): Promise<SecurityPolicyValues> {
  const p = await db().securityPolicy.findUnique({ where: { id: 1 } });
  if (!p) throw new Error("SecurityPolicy row 1 is missing: run the migrations");
  return p;
}
