import type { Metadata } from "next";
import { z } from "zod";
import { t } from "@/lib/i18n/zh-CN";
import { flat, type SearchParams } from "@/lib/pagination";
import { PublicShell } from "@/app/verify/public-shell";
import { ObjectionLookup } from "./lookup-form";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: `异议查询 - ${t.app.name}` };

// only the number may come in the address (from the receipt); the lookup code is always typed
const query = z.object({ number: z.string().trim().toUpperCase().regex(/^YY\d{14}$/).optional().catch(undefined) });

/** Public (O-01, O-03): a holder follows an objection with its number and lookup code. */
export default async function ObjectionLookupPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const { number } = query.parse(flat(await searchParams));
  return (
    <PublicShell title="证照异议查询">
      <div className="card">
        <p style={{ margin: 0, lineHeight: 1.8 }}>
          输入提交异议时获得的异议编号和查询码，查看办理进度、办理期限和结果。异议办结前可在此撤回。还没有提出异议？请到
          <a href="/objection">证照信息异议</a>
          页面提交。
        </p>
      </div>
      <ObjectionLookup initialNumber={number ?? ""} />
    </PublicShell>
  );
}
