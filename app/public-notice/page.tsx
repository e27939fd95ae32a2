import type { Metadata } from "next";
import { AppError } from "@/lib/errors";
import { t } from "@/lib/i18n/zh-CN";
import { flat, type SearchParams } from "@/lib/pagination";
import { NOTICE_MAX_MATCHES, NOTICE_MIN_QUERY, noticeQuery, noticeText, publicTypes, searchPublicNotice, type NoticeResult } from "@/lib/licenses/public";
import { Notice, PublicShell } from "@/app/verify/public-shell";
import { PUBLIC_NOTICE_LIMIT, publicLimit } from "@/app/verify/rate";
import { NoticeTable } from "./notice-table";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: `电子证照公示 - ${t.app.name}` };

/** 证照公示 (U-02): public, read-only; searching is rate-limited per IP. */
export default async function PublicNoticePage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const query = noticeQuery.parse(flat(await searchParams));
  const types = await publicTypes();
  let result: NoticeResult | null = null;
  let error: string | null = null;
  if (query.q) {
    if (Array.from(query.q).length < NOTICE_MIN_QUERY) error = noticeText.tooShort;
    else {
      error = await publicLimit(PUBLIC_NOTICE_LIMIT);
      if (!error) {
        try {
          result = await searchPublicNotice(query);
        } catch (e) {
          if (!(e instanceof AppError)) throw e;
          error = e.userMessage;
        }
      }
    }
  }
  return (
    <PublicShell title="电子证照公示" width={1100}>
      <div className="card">
        <form method="get" action="/public-notice" style={{ display: "flex", gap: 12, flexWrap: "wrap", alignItems: "flex-end" }}>
          <label className="field" style={{ flex: "1 1 320px", margin: 0 }}>
            <span>持证主体名称 / 证照编号 / 电子证照标识</span>
            <input name="q" defaultValue={query.q} maxLength={100} placeholder={`至少 ${NOTICE_MIN_QUERY} 个字`} />
          </label>
          <label className="field" style={{ margin: 0 }}>
            <span>名称匹配</span>
            <select name="mode" defaultValue={query.mode}>
              <option value="prefix">名称开头</option>
              <option value="contains">名称包含</option>
            </select>
          </label>
          <button className="btn primary" type="submit">
            查询
          </button>
        </form>
        <p className="muted" style={{ marginBottom: 0, lineHeight: 1.8 }}>
          公示的证照类型：{types.length ? types.map((x) => x.name).join("、") : "暂无"}。个人姓名、身份证件号码等敏感信息按证照类型的规定脱敏显示。
        </p>
      </div>
      {error && <Notice tone="warn">{error}</Notice>}
      {result && (
        <div className="card">
          {result.capped && (
            <div className="alert warn" role="status">
              符合条件的证照超过 {NOTICE_MAX_MATCHES} 条，仅可翻阅前 {NOTICE_MAX_MATCHES} 条，请输入更完整的名称。
            </div>
          )}
          <NoticeTable rows={result.rows} total={result.total} page={result.page} pageSize={result.pageSize} />
        </div>
      )}
    </PublicShell>
  );
}
