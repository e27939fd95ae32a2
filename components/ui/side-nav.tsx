"use client";
import Link from "next/link";
import { usePathname } from "next/navigation";

export function SideNav({ items }: { items: { href: string; label: string; group: string }[] }) {
  const path = usePathname();
  // the most specific item is active (/seals/review, not also /seals)
  const activeHref = items
    .filter((i) => (i.href === "/" ? path === "/" : path === i.href || path.startsWith(`${i.href}/`)))
    .sort((a, b) => b.href.length - a.href.length)[0]?.href;
  let lastGroup = "";
  return (
    <nav aria-label="主菜单">
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
  );
}
