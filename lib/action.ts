// The one way to write a server action: origin check, session, permission, zod parse, one
// service call, then { ok: true, data } | { ok: false, error, fieldErrors }.
import "server-only";
import { z } from "zod";
import { AppError, errorId } from "@/lib/errors";
import { currentActor, type Actor } from "@/lib/auth/session";
import { hasPermission, type Permission } from "@/lib/auth/permissions";
import { assertSameOrigin } from "@/lib/http/request";
import { t } from "@/lib/i18n/zh-CN";

export type ActionResult<T> =
  | { ok: true; data: T }
  | { ok: false; code: string; error: string; fieldErrors?: Record<string, string> };

export type ActionOptions<S extends z.ZodType> = {
  /** "authenticated": any signed-in user (self-service such as changing one's own password). */
  permission: Permission | "authenticated";
  schema: S;
  /** allowed while the user still has to change the password */
  allowDuringPasswordChange?: boolean;
};

export function fieldErrorsOf(error: z.ZodError): Record<string, string> {
  const out: Record<string, string> = {};
  for (const issue of error.issues) {
    const key = issue.path.join(".") || "_form";
    out[key] ??= issue.message;
  }
  return out;
}

export function failure(e: unknown): { ok: false; code: string; error: string; fieldErrors?: Record<string, string> } {
  if (e instanceof AppError) return { ok: false, code: e.code, error: e.userMessage, fieldErrors: e.fieldErrors };
  const id = errorId();
  console.error(`[certseal] internal error ${id}`, e);
  return { ok: false, code: "INTERNAL", error: t.errors.internal(id) };
}

export async function authorize(permission: Permission | "authenticated", allowDuringPasswordChange = false): Promise<Actor> {
  if (!(await assertSameOrigin())) throw new AppError("BAD_ORIGIN", t.errors.badOrigin);
  const actor = await currentActor();
  if (!actor) throw new AppError("UNAUTHENTICATED", t.errors.unauthenticated);
  if (actor.mustChangePassword && !allowDuringPasswordChange)
    throw new AppError("PASSWORD_CHANGE_REQUIRED", t.errors.passwordChangeRequired);
  if (permission !== "authenticated" && !hasPermission(actor, permission)) throw new AppError("FORBIDDEN", t.errors.forbidden);
  return actor;
}

export function action<S extends z.ZodType, R>(
  opts: ActionOptions<S>,
  fn: (actor: Actor, input: z.infer<S>) => Promise<R>,
): (input: unknown) => Promise<ActionResult<R>> {
  return async (input: unknown) => {
    try {
      const actor = await authorize(opts.permission, opts.allowDuringPasswordChange);
      const parsed = opts.schema.safeParse(input);
      if (!parsed.success)
        return { ok: false, code: "INVALID_INPUT", error: t.errors.invalidInput, fieldErrors: fieldErrorsOf(parsed.error) };
      return { ok: true, data: await fn(actor, parsed.data) };
    } catch (e) {
      return failure(e);
    }
  };
}
