"use client";
// The main menu. On a narrow screen (a phone) it folds behind a 菜单 button at the top of the page
// and folds again once a page is chosen; on a wide one the button is hidden and the menu stays open.
import { useState } from "react";
import Link from "next/link";
import { usePathname, useSearchParams } from "next/navigation";

export function SideNav({ items }: { items: { href: string; label: string; group: string }[] }) {
  const path = usePathname();
  // a page reached from a menu's list (a request opened from 用印审批) names that menu: ?menu=<href>
  const from = useSearchParams().get("menu");
  // the page the menu was unfolded on: moving to another page folds it again
  const [openOn, setOpenOn] = useState<string | null>(null);
  const open = openOn === path;
  // the most specific item is active (/seals/review, not also /seals)
  const activeHref =
    items.find((i) => i.href === from)?.href ??
    items
      .filter((i) => (i.href === "/" ? path === "/" : path === i.href || path.startsWith(`${i.href}/`)))
      .sort((a, b) => b.href.length - a.href.length)[0]?.href;
  let lastGroup = "";
  return (
    <>
      <button type="button" className="nav-toggle" aria-expanded={open} aria-controls="main-menu" onClick={() => setOpenOn(open ? null : path)}>
        {open ? "收起菜单" : "菜单"}
      </button>
      <nav aria-label="主菜单" id="main-menu" data-open={open}>
        {items.map((i) => {
          const header = i.group && i.group !== lastGroup ? <div className="group">{i.group}</div> : null;
          lastGroup = i.group || lastGroup;
          const active = i.href === activeHref;
          return (
            <div key={i.href}>
              {header}
              <Link href={i.href} className={active ? "active" : undefined}>
                {i.label}
              </Link>
            </div>
          );
        })}
      </nav>
    </>
  );
}
