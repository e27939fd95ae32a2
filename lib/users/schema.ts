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

export const policySchema = z.object({
  lockoutThreshold: z.number().int().min(3, "至少 3 次").max(10, "不超过 10 次"),
  lockoutWindowMinutes: z.number().int().min(5).max(1440),
  lockoutMinutes: z.number().int().min(5, "至少 5 分钟").max(1440),
  ipThreshold: z.number().int().min(10).max(1000),
  idleTimeoutMinutes: z.number().int().min(5, "至少 5 分钟").max(30, "等保三级要求不超过 30 分钟"),
  absoluteLifetimeHours: z.number().int().min(1).max(24),
  passwordExpiryDays: z.number().int().min(30, "至少 30 天").max(180, "不超过 180 天"),
  passwordMinLength: z.number().int().min(10, "至少 10 位").max(64),
  passwordHistoryCount: z.number().int().min(5, "至少 5 次").max(24),
});

export type UserCreateInput = z.infer<typeof userCreateSchema>;
export type UserUpdateInput = z.infer<typeof userUpdateSchema>;
export type PolicyInput = z.infer<typeof policySchema>;
