"use server";
import { action } from "@/lib/action";
import { changePasswordSchema } from "@/lib/users/schema";
import { changeOwnPassword } from "@/lib/users/service";

export const changePasswordAction = action(
  { permission: "authenticated", schema: changePasswordSchema, allowDuringPasswordChange: true },
  (actor, input) => changeOwnPassword(actor, input),
);
