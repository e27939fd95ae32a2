import Link from "next/link";
import { pageActor } from "@/lib/auth/page";
import { unreadCount } from "@/lib/notifications";
import { NAV, navVisible } from "@/lib/nav";
import { ROLES } from "@/lib/auth/permissions";
import { t } from "@/lib/i18n/zh-CN";
import { SideNav } from "@/components/ui/side-nav";
import { LogoutButton } from "@/components/ui/logout-button";

export const dynamic = "force-dynamic";

export default async function PortalLayout({ children }: { children: React.ReactNode }) {
  const actor = await pageActor();
  const unread = await unreadCount(actor);
  const items = NAV.filter((n) => navVisible(actor, n.permission)).map(({ href, label, group }) => ({ href, label, group }));
  return (
    <div className="shell">
      <aside className="side">
        <div className="brand">{t.app.name}</div>
        <SideNav items={items} />
      </aside>
      <div className="main">
        <header className="topbar">
          <span className="muted">{actor.departmentName}</span>
          <div className="who">
            <span data-testid="current-user">
              {actor.name}（{actor.username}）
            </span>
            {[...actor.roles].sort((a, b) => ROLES.indexOf(a.role) - ROLES.indexOf(b.role)).map((r) => (
              <span key={r.role} className="badge info">{t.roles[r.role]}</span>
            ))}
            <Link href="/notifications" data-testid="notification-bell">
              消息{unread > 0 && <span className="badge danger">{unread}</span>}
            </Link>
            <a href="/change-password">{t.nav.changePassword}</a>
            <LogoutButton />
          </div>
        </header>
        <main className="content">{children}</main>
      </div>
    </div>
  );
}
