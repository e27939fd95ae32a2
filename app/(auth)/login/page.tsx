import { redirect } from "next/navigation";
import { currentActor } from "@/lib/auth/session";
import { LoginForm } from "./login-form";
import { t } from "@/lib/i18n/zh-CN";

export const dynamic = "force-dynamic";

export default async function LoginPage({ searchParams }: { searchParams: Promise<Record<string, string | undefined>> }) {
  const sp = await searchParams;
  if (await currentActor()) redirect("/");
  const cb = sp.callbackUrl && sp.callbackUrl.startsWith("/") && !sp.callbackUrl.startsWith("//") ? sp.callbackUrl : "/";
  return (
    <div className="login-wrap">
      <div className="login-card">
        <h1>{t.app.name}</h1>
        <p className="sub">{t.login.title}</p>
        <LoginForm callbackUrl={cb} />
      </div>
    </div>
  );
}
