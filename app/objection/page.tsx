import type { Metadata } from "next";
import { t } from "@/lib/i18n/zh-CN";
import { prefilledIdentifier } from "@/lib/objections/schema";
import { PublicShell } from "@/app/verify/public-shell";
import { HolderObjectionForm } from "./holder-form";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: `证照信息异议 - ${t.app.name}` };

/**
 * Public (O-01): a holder objects to its licence's data without signing in. The verification card
 * links here with ?identifier=… to fill in the identifier (checked on the server; a bad value is ignored).
 */
export default async function ObjectionPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const identifier = prefilledIdentifier((await searchParams).identifier);
  return (
    <PublicShell title="证照信息异议">
      <div className="card">
        <p style={{ margin: 0, lineHeight: 1.8 }}>
          持证主体认为本人（本单位）电子证照的信息不准确、不完整或不及时的，可在此提出异议：填写电子证照标识和持证主体代码（统一社会信用代码或身份证号码），选择有异议的字段并说明正确的内容。发证部门自收到之日起 1 个工作日内进行异议标注，5 个工作日内办结并告知结果（法定节假日顺延）。提交后请保存异议编号和查询码，凭其在
          <a href="/objection/lookup">异议查询</a>
          页面查看办理进度和结果。
        </p>
      </div>
      <HolderObjectionForm initialIdentifier={identifier} />
    </PublicShell>
  );
}
