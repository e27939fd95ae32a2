import { pageActor } from "@/lib/auth/page";
import { flat, pageQuery, type SearchParams } from "@/lib/pagination";
import { DEFAULT_MARK_DAYS, DEFAULT_RESOLVE_DAYS, listObjectionSettings } from "@/lib/objections/settings";
import { SettingsTable } from "./settings-table";

/** 异议处理期限 (O-02, O-03): working days to mark and to resolve an objection, per province and city. */
export default async function ObjectionSettingsPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const actor = await pageActor("calendar.manage");
  const q = pageQuery.parse(flat(await searchParams));
  const all = await listObjectionSettings(actor);
  const pages = Math.max(1, Math.ceil(all.length / q.pageSize));
  const page = Math.min(q.page, pages);
  const rows = all.slice((page - 1) * q.pageSize, page * q.pageSize);
  return (
    <>
      <h1>异议处理期限</h1>
      <div className="card">
        <p className="muted" style={{ marginTop: 0 }}>
          收到异议后，发证部门须在规定的工作日内完成异议标注，并在规定的工作日内办结、告知申请人（收到当日不计入，期限为第 N 个工作日的 23:59:59，按节假日安排计算）。
          各市默认沿用全省设置；全省未设置时为标注 {DEFAULT_MARK_DAYS} 个工作日、办结 {DEFAULT_RESOLVE_DAYS} 个工作日。标注时限 1–30 个工作日，办结时限不短于标注时限、不超过 60
          个工作日。法定时限为标注 1 个工作日、办结 5 个工作日（以最严格的规定为准），宽于法定时限的设置可以保存，但会在表中标出。修改只影响此后收到的异议，已收到异议的期限不变。
        </p>
        <SettingsTable data={{ rows, total: all.length, page, pageSize: q.pageSize }} />
      </div>
    </>
  );
}
