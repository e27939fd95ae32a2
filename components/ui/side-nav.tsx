"use client";
import Link from "next/link";
import { usePathname } from "next/navigation";

export function SideNav({ items }: { items: { href: string; label: string; group: string }[] }) {
  const path = usePathname();
  let lastGroup = "";
  return (
    <nav aria-label="主菜单">
      {items.map((i) => {
        const header = i.group && i.group !== lastGroup ? <div className="group">{i.group}</div> : null;
        lastGroup = i.group || lastGroup;
        const active = i.href === "/" ? path === "/" : path.startsWith(i.href);
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
