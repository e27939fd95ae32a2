// 通报 (V-02): the notices about overdue rectification orders, for every signed-in user, newest first.
import Link from "next/link";
import { pageActor } from "@/lib/auth/page";
import { hasPermission } from "@/lib/auth/permissions";
import { flat, type SearchParams } from "@/lib/pagination";
import { listNotices, noticeFilter } from "@/lib/supervision/notices";
import { NoticesTable } from "./notices-table";

export default async function NoticesPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const actor = await pageActor();
  const f = noticeFilter.parse(flat(await searchParams));
  const data = await listNotices(actor, f);
  return (
    <>
      <h1>通报</h1>
      <div className="card">
        {hasPermission(actor, "supervision.manage") && (
          <div className="toolbar">
            <Link className="btn primary" href="/supervision/notices/new">
              发布通报
            </Link>
          </div>
        )}
        <NoticesTable data={data} />
      </div>
    </>
  );
}
