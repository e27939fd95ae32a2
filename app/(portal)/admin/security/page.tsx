import { pageActor } from "@/lib/auth/page";
import { getPolicy } from "@/lib/security/policy";
import type { PolicyInput } from "@/lib/users/schema";
import { PolicyForm } from "./policy-form";
import { t } from "@/lib/i18n/zh-CN";

export default async function SecurityPolicyPage() {
  await pageActor("security.policy");
  const p = await getPolicy();
  // Only the policy fields go to the client (getPolicy returns the whole row).
  const values: PolicyInput = {
    lockoutThreshold: p.lockoutThreshold,
    lockoutWindowMinutes: p.lockoutWindowMinutes,
    lockoutMinutes: p.lockoutMinutes,
    ipThreshold: p.ipThreshold,
    idleTimeoutMinutes: p.idleTimeoutMinutes,
    absoluteLifetimeHours: p.absoluteLifetimeHours,
    passwordExpiryDays: p.passwordExpiryDays,
    passwordMinLength: p.passwordMinLength,
    passwordHistoryCount: p.passwordHistoryCount,
  };
  return (
    <>
      <h1>{t.nav.securityPolicy}</h1>
      <div className="card">
        <p className="muted" style={{ marginTop: 0 }}>修改后立即生效；每次修改都记入审计日志。</p>
        <PolicyForm values={values} />
      </div>
    </>
  );
}
