import { pageActor } from "@/lib/auth/page";
import { listLoginAttempts, loginLogFilter } from "@/lib/users/queries";
import { flat, type SearchParams } from "@/lib/pagination";
import { QueryForm } from "@/components/ui/query-form";
import { LoginLogTable } from "./login-log-table";
import { t } from "@/lib/i18n/zh-CN";

const RESULTS = Object.keys(t.loginResults) as (keyof typeof t.loginResults)[];

export default async function LoginLogPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const actor = await pageActor("loginlog.read");
  const f = loginLogFilter.parse(flat(await searchParams));
  const data = await listLoginAttempts(actor, f);
  return (
    <>
      <h1>{t.nav.loginLog}</h1>
      <div className="card">
        <QueryForm resetHref="/admin/login-log">
          <label>
            用户名/IP
            <input name="q" defaultValue={f.q ?? ""} placeholder="输入用户名或 IP 地址" />
          </label>
          <label>
            登录结果
            <select name="result" defaultValue={f.result ?? ""}>
              <option value="">{t.common.all}</option>
              {RESULTS.map((r) => (
                <option key={r} value={r}>{t.loginResults[r]}</option>
              ))}
            </select>
          </label>
        </QueryForm>
        <LoginLogTable data={data} dir={f.dir} />
      </div>
    </>
  );
}
