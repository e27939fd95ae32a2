// 提出异议 for a using department's operator (O-01) starting from the licence's identifier (the
// licence page's button does the same for viewers of that page): the licence type must be on the
// department's use list, and the issuing department itself cannot raise one.
import Link from "next/link";
import { z } from "zod";
import { pageActor } from "@/lib/auth/page";
import { AppError } from "@/lib/errors";
import { licenceIdByIdentifier } from "@/lib/licenses/detail";
import { deptObjectionForm } from "@/lib/objections/queries";
import { flat, type SearchParams } from "@/lib/pagination";
import { QueryForm } from "@/components/ui/query-form";
import { DeptObjectionForm } from "../../licenses/[id]/objection-form";

const query = z.object({ identifier: z.string().trim().min(1).max(100).optional().catch(undefined) });

async function formFor(actor: Awaited<ReturnType<typeof pageActor>>, identifier: string) {
  const id = await licenceIdByIdentifier(identifier);
  if (!id) return { allowed: false as const, reason: "没有这个电子证照标识的证照，请核对后重新输入" };
  try {
    return await deptObjectionForm(actor, id);
  } catch (e) {
    if (e instanceof AppError) return { allowed: false as const, reason: e.userMessage };
    throw e;
  }
}

export default async function NewObjectionPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const actor = await pageActor("licence.use");
  const { identifier } = query.parse(flat(await searchParams));
  const form = identifier ? await formFor(actor, identifier) : null;
  return (
    <>
      <h1>提出异议</h1>
      <div className="card">
        <p className="muted" style={{ marginTop: 0 }}>
          用证过程中发现证照信息不准确、不完整或不及时的，输入电子证照标识后选择有异议的字段。仅能对本部门用证清单中的证照类型提出异议。
        </p>
        <QueryForm resetHref="/objections/new">
          <label style={{ minWidth: 420 }}>
            电子证照标识
            <input name="identifier" defaultValue={identifier ?? ""} maxLength={100} placeholder="1.2.156.3005.2.…" autoComplete="off" />
          </label>
        </QueryForm>
        {form && !form.allowed && (
          <div className="alert error" role="alert">
            {form.reason}
          </div>
        )}
      </div>
      {form?.allowed && (
        <div className="card">
          <DeptObjectionForm licence={form.licence} fields={form.fields} />
        </div>
      )}
      <Link className="btn" href="/objections">
        返回异议列表
      </Link>
    </>
  );
}
