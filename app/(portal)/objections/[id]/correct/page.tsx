// 更正 (O-03): the licence's face form (the type's released fields, the current values; sensitive
// ones blank = unchanged) with the fields in question first, and the reason told to the applicant.
// Submitting changes the licence (a new version, the old one annulled) and resolves the objection
// as corrected in the same transaction.
import Link from "next/link";
import { notFound } from "next/navigation";
import { z } from "zod";
import { pageActor } from "@/lib/auth/page";
import { AppError } from "@/lib/errors";
import { objectionDetail } from "@/lib/objections/queries";
import { CorrectForm } from "./correct-form";

export default async function CorrectObjectionPage({ params }: { params: Promise<{ id: string }> }) {
  const actor = await pageActor("licence.issue");
  const { id } = await params;
  if (!z.string().uuid().safeParse(id).success) notFound();
  const d = await objectionDetail(actor, id).catch((e: unknown) => {
    if (e instanceof AppError && (e.code === "NOT_FOUND" || e.code === "FORBIDDEN")) notFound();
    throw e;
  });
  if (!d.can.canCorrect || !d.correction)
    return (
      <>
        <h1>更正证照</h1>
        <div className="alert error" role="alert">
          {d.correctionBlocked ?? (d.status === "SUBMITTED" ? "请先进行异议标注，再更正" : `该异议${d.statusLabel}，不能更正`)}
        </div>
        <Link className="btn" href={`/objections/${d.id}`}>
          返回异议详情
        </Link>
      </>
    );
  const c = d.correction;
  return (
    <>
      <h1>更正证照</h1>
      <div className="card">
        <p className="muted" style={{ marginTop: 0 }}>
          根据异议 <span className="mono">{d.number}</span> 更正「{c.name}」（<span className="mono">{c.identifier}</span>，版本 {String(c.version).padStart(3, "0")}
          ）。提交后按证照类型现行的第 {c.typeVersion} 版签发新版本（版本号加 1、新的电子证照标识），原证照撤销（由新版本替代），异议以“已更正”办结并告知申请方。
        </p>
        <table className="grid" style={{ marginBottom: 16 }} data-testid="objection-fields">
          <thead>
            <tr>
              <th>有异议的字段</th>
              <th>证照现在的内容</th>
              <th>申请方认为正确的内容</th>
            </tr>
          </thead>
          <tbody>
            {d.fields.map((f) => (
              <tr key={f.key}>
                <td>{f.label}</td>
                <td style={{ whiteSpace: "pre-wrap" }}>{f.current}</td>
                <td style={{ whiteSpace: "pre-wrap" }}>{f.expected}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <CorrectForm id={d.id} rev={d.rev} number={d.number} data={c} inQuestion={d.fields.map((f) => ({ key: f.key, expected: f.expected }))} />
      </div>
    </>
  );
}
