import "server-only";
import { forbidden, redirect } from "next/navigation";
import { currentActor, type Actor } from "@/lib/auth/session";
import { hasPermission, type Permission } from "@/lib/auth/permissions";

/** For pages: the signed-in actor, or a redirect to sign-in, password change or the 403 page. */
export async function pageActor(perm?: Permission): Promise<Actor> {
  const actor = await currentActor();
  if (!actor) redirect("/login");
  if (actor.mustChangePassword) redirect("/change-password");
  if (perm && !hasPermission(actor, perm)) forbidden();
  return actor;
}
