import { t } from "@/lib/i18n/zh-CN";

export type PasswordPolicy = { minLength: number; historyCount: number };

export const DEFAULT_PASSWORD_POLICY: PasswordPolicy = { minLength: 10, historyCount: 5 };

/** 等保 level-3 complexity: length, three of four character classes, no user name inside. */
export function checkPasswordStrength(password: string, username: string, policy = DEFAULT_PASSWORD_POLICY): string[] {
  const problems: string[] = [];
  if (password.length < policy.minLength) problems.push(t.password.tooShort(policy.minLength));
  if (password.length > 128) problems.push(t.password.tooLong);
  const classes = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^A-Za-z0-9]/].filter((r) => r.test(password)).length;
  if (classes < 3) problems.push(t.password.classes);
  if (username && password.toLowerCase().includes(username.toLowerCase())) problems.push(t.password.containsUsername);
  return problems;
}

export function passwordExpired(changedAt: Date, expiryDays: number, now = new Date()): boolean {
  if (expiryDays <= 0) return false;
  return now.getTime() - changedAt.getTime() > expiryDays * 86_400_000;
}
