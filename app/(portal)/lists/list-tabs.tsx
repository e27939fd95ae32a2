import Link from "next/link";

/** The two views of a list page: the entries and their change history. */
export function ListTabs({ basePath, tab, keep }: { basePath: string; tab: "list" | "history"; keep: string }) {
  return (
    <nav className="toolbar" aria-label="视图">
      <Link className={`btn${tab === "list" ? " primary" : ""}`} href={`${basePath}${keep}`} aria-current={tab === "list" ? "page" : undefined}>
        清单条目
      </Link>
      <Link className={`btn${tab === "history" ? " primary" : ""}`} href={`${basePath}?tab=history`} aria-current={tab === "history" ? "page" : undefined} data-testid="tab-history">
        变更历史
      </Link>
    </nav>
  );
}
