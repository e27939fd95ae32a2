import { notFound } from "next/navigation";
import { z } from "zod";
import { pageActor } from "@/lib/auth/page";
import { AppError } from "@/lib/errors";
import { flat, pageQuery, type SearchParams } from "@/lib/pagination";
import { importableTypes, importView, listImports } from "@/lib/licenses/bulk/queries";
import { IMPORT_MAX_BYTES, IMPORT_MAX_ROWS } from "@/lib/licenses/bulk/schema";
import { UploadForm } from "./upload-form";
import { ImportPanel } from "./import-panel";
import { ImportsTable } from "./imports-table";

/** "YYYY-MM-DDTHH:mm" now in Asia/Shanghai, for the datetime-local default. */
function shanghaiLocalNow(): string {
  return new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 16);
}

/**
 * 存量证照导入 (L-09): upload a CSV or XLSX of existing licences for a type on the department's
 * issuance list → dry run with the rejected rows → confirm → a background run with its progress
 * (pause, resume, cancel). The department's imports below, newest first.
 */
export default async function LicenceImportPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const actor = await pageActor("licence.issue");
  const sp = flat(await searchParams);
  const q = pageQuery.parse(sp);
  const id = z.string().uuid().safeParse(sp.id).success ? sp.id! : null;
  if (sp.id && !id) notFound();
  const [types, data, view] = await Promise.all([
    importableTypes(actor),
    listImports(actor, q),
    id
      ? importView(actor, id).catch((e: unknown) => {
          if (e instanceof AppError && e.code === "NOT_FOUND") notFound();
          throw e;
        })
      : null,
  ]);
  return (
    <>
      <h1>存量证照导入</h1>
      <div className="card">
        <p className="muted" style={{ marginTop: 0 }}>
          将已发放的纸质证照批量转为电子证照：按证照类型下载导入模板，每行填写一份证照（持证主体、证照编号、业务办结时间和照面信息），上传 CSV 或 XLSX 文件。
          上传后先预检：逐行按签发规则检查，列出被拒绝的行和原因，不写入任何证照；确认后在后台分批签章入库，每批全部成功或全部不写入，可暂停、继续或取消。
          证照编号与本类型已有证照相同的行视为已导入，不会重复生成。文件不超过 {IMPORT_MAX_BYTES / 1048576} MB、{IMPORT_MAX_ROWS.toLocaleString("en-US")} 行。
        </p>
        <UploadForm types={types} defaultCompletedAt={shanghaiLocalNow()} />
      </div>
      {view && <ImportPanel key={view.id} view={view} />}
      <div className="card">
        <h2 style={{ marginTop: 0 }}>本部门的导入</h2>
        <ImportsTable data={data} selected={id} />
      </div>
    </>
  );
}
