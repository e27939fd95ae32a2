"use client";
import { signOut } from "next-auth/react";
import { t } from "@/lib/i18n/zh-CN";

export function LogoutButton() {
  return (
    <button className="btn link" type="button" onClick={() => signOut({ callbackUrl: "/login" })}>
      {t.nav.logout}
    </button>
  );
}
