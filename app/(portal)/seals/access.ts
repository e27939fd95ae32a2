// Who may look at the seal register, and under which permission (mirrors viewPermission in
// lib/seals/queries.ts, which is not exported): used for the page guard and the department filter.
import { hasPermission, type Permission, type Principal } from "@/lib/auth/permissions";

export const SEAL_VIEW_PERMISSIONS = ["seal.make", "supervision.read", "seal.custody", "seal.approve", "seal.apply"] as const satisfies readonly Permission[];

export function sealViewPermission(p: Principal): Permission | null {
  return SEAL_VIEW_PERMISSIONS.find((perm) => hasPermission(p, perm)) ?? null;
}
