// Who may look at the seal register, and under which permission (the department scope of the first
// one the actor has): the page guard, the department filter and lib/seals/queries.ts use this one list.
// seal.flow: the 印章管理员 who keeps the use-approval flows sees the seals they govern (read only).
import { hasPermission, type Permission, type Principal } from "@/lib/auth/permissions";

export const SEAL_VIEW_PERMISSIONS = ["seal.make", "supervision.read", "seal.custody", "seal.approve", "seal.apply", "seal.flow"] as const satisfies readonly Permission[];

export function sealViewPermission(p: Principal): Permission | null {
  return SEAL_VIEW_PERMISSIONS.find((perm) => hasPermission(p, perm)) ?? null;
}
