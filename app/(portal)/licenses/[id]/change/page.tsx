// 变更 (L-08): the face form of the type's current released version, filled with the licence's
// values except the hidden ones (sensitive fields, the holder's own code), which stay as they are
// when left blank. Submitting issues a new version; the old one is annulled.
import Link from "next/link";
import { notFound } from "next/navigation";
import { z } from "zod";
import { pageActor } from "@/lib/auth/page";
import { AppError } from "@/lib/errors";
import { changeFormData } from "@/lib/licenses/detail";
import { ChangeForm } from "./change-form";

export default async function ChangeLicencePage({ params }: { params: Promise<{ id: string }> }) {
  const actor = await pageActor("licence.issue");
  const { id } = await params;
  if (!z.string().uuid().safeParse(id).success) notFound();
  let data;
  try {
    data = await changeFormData(actor, id);
  } catch (e) {
    if (e instanceof AppError && e.code === "NOT_FOUND") notFound();
    if (e instanceof AppError && e.code === "CONFLICT")
      return (
        <>
          <h1>变更证照</h1>
          <div className="alert error" role="alert">
            {e.userMessage}
          </div>
          <Link className="btn" href={`/licenses/${id}`}>
            返回证照详情
          </Link>
        </>
      );
    throw e;
  }
  return (
    <>
      <h1>变更证照</h1>
      <div className="card">
        <p className="muted" style={{ marginTop: 0 }}>
          {data.name}（<span className="mono">{data.identifier}</span>，版本 {String(data.version).padStart(3, "0")}）。变更将按证照类型现行的第 {data.typeVersion} 版签发新版本（版本号加 1、新的电子证照标识），原证照撤销（由新版本替代）。
        </p>
        <ChangeForm data={data} />
      </div>
    </>
  );
}
