import { redirect } from "next/navigation";
import { currentActor } from "@/lib/auth/session";
import { ChangePasswordForm } from "./form";
import { t } from "@/lib/i18n/zh-CN";

export const dynamic = "force-dynamic";

export default async function ChangePasswordPage() {
  const actor = await currentActor();
  if (!actor) redirect("/login");
  return (
    <div className="login-wrap">
      <div className="login-card" style={{ width: 440 }}>
        <h1>{t.password.title}</h1>
        {actor.mustChangePassword === "FIRST" && <div className="alert warn">{t.password.mustChange}</div>}
        {actor.mustChangePassword === "EXPIRED" && <div className="alert warn">{t.password.expired}</div>}
        <p className="muted">
          {actor.name}（{actor.username}）· 密码至少 10 位，包含大写字母、小写字母、数字、符号中的至少三类，不含用户名，不与最近 5 次相同。
        </p>
        <ChangePasswordForm canLeave={!actor.mustChangePassword} />
      </div>
    </div>
  );
}
