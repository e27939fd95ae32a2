import "@/lib/validation/zod-zh";
import { z } from "zod";
import { ROLES } from "@/lib/auth/permissions";

const username = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z][a-z0-9_.-]{2,49}$/, "用户名为 3–50 位小写字母、数字或 _ . -，以字母开头");
const profile = {
  name: z.string().trim().min(2, "姓名至少 2 个字").max(50, "姓名不超过 50 个字"),
  departmentId: z.string().uuid("请选择所属部门"),
  phone: z.string().trim().max(30, "电话过长").regex(/^[0-9+\-() ]*$/, "电话只能包含数字和 - + ( )"),
  email: z.union([z.literal(""), z.string().trim().email("邮箱格式不正确").max(100)]),
};

export const userCreateSchema = z.object({ username, ...profile, password: z.string().min(1, "请输入初始密码").max(128) });
export const userUpdateSchema = z.object({ id: z.string().uuid(), ...profile });
export const userStatusSchema = z.object({ id: z.string().uuid(), status: z.enum(["ACTIVE", "DISABLED"]) });
export const userResetPasswordSchema = z.object({ id: z.string().uuid(), password: z.string().min(1, "请输入新密码").max(128) });
export const userIdSchema = z.object({ id: z.string().uuid() });
/** The online-users page names a session by its public handle (lib/auth/session-handle.ts). */
export const sessionHandleSchema = z.object({ handle: z.string().regex(/^[0-9a-f]{32}$/) });
export const unlockSchema = z.object({ username: z.string().trim().toLowerCase().min(1).max(100) });

export const roleGrantSchema = z.object({
  userId: z.string().uuid(),
  role: z.enum(ROLES, { message: "请选择角色" }),
  scope: z.enum(["OWN", "SUBTREE", "PROVINCE"], { message: "请选择范围" }),
});
export const roleRevokeSchema = z.object({ userId: z.string().uuid(), role: z.enum(ROLES) });

export const changePasswordSchema = z
  .object({
    current: z.string().min(1, "请输入当前密码").max(128),
    next: z.string().min(1, "请输入新密码").max(128),
    confirm: z.string().min(1, "请再次输入新密码").max(128),
  })
  .refine((v) => v.next === v.confirm, { path: ["confirm"], message: "两次输入的新密码不一致" });

/** A whole number field of the policy: every refusal in words a security administrator reads. */
const whole = (min: number, max: number, unit: string, maxMessage = `不超过 ${max} ${unit}`) =>
  z
    .number({ message: "请填写整数" })
    .int("请填写整数")
    .min(min, `至少 ${min} ${unit}`)
    .max(max, maxMessage);

export const policySchema = z.object({
  lockoutThreshold: whole(3, 10, "次"),
  lockoutWindowMinutes: whole(5, 1440, "分钟"),
  lockoutMinutes: whole(5, 1440, "分钟"),
  ipThreshold: whole(10, 1000, "次"),
  idleTimeoutMinutes: whole(5, 30, "分钟", "等保三级要求不超过 30 分钟"),
  absoluteLifetimeHours: whole(1, 24, "小时"),
  passwordExpiryDays: whole(30, 180, "天"),
  passwordMinLength: whole(10, 64, "位"),
  passwordHistoryCount: whole(5, 24, "次"),
});

export type UserCreateInput = z.infer<typeof userCreateSchema>;
export type UserUpdateInput = z.infer<typeof userUpdateSchema>;
export type PolicyInput = z.infer<typeof policySchema>;
