"use server";
import { revalidatePath } from "next/cache";
import { action } from "@/lib/action";
import {
  unlockSchema,
  userCreateSchema,
  userIdSchema,
  userResetPasswordSchema,
  userStatusSchema,
  userUpdateSchema,
} from "@/lib/users/schema";
import { createUser, endUserSessions, resetPassword, setUserStatus, unlockAccount, updateUser } from "@/lib/users/service";

const done = <T,>(r: T) => {
  revalidatePath("/admin/users");
  return r;
};

export const createUserAction = action({ permission: "user.manage", schema: userCreateSchema }, async (a, i) => done(await createUser(a, i)));
export const updateUserAction = action({ permission: "user.manage", schema: userUpdateSchema }, async (a, i) => done(await updateUser(a, i)));
export const setUserStatusAction = action({ permission: "user.manage", schema: userStatusSchema }, async (a, i) => done(await setUserStatus(a, i)));
export const resetPasswordAction = action({ permission: "user.manage", schema: userResetPasswordSchema }, async (a, i) => done(await resetPassword(a, i)));
export const endUserSessionsAction = action({ permission: "session.manage", schema: userIdSchema }, async (a, i) => done(await endUserSessions(a, i)));
export const unlockUserAction = action({ permission: "session.manage", schema: unlockSchema }, async (a, i) => done(await unlockAccount(a, i)));
