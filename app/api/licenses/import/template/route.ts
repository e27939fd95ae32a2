// The bulk-conversion template of a type (L-09): `?typeId=` a type the caller's department may
// issue now (released, on its issuance list); the columns the importer reads, an example row and a
// sheet explaining each column. Issuers only; another type reads as not found.
import { importTemplate } from "@/lib/licenses/bulk/queries";
import { t } from "@/lib/i18n/zh-CN";
import { errorResponse, importActor, isUuid, jsonError, xlsxResponse } from "../guard";

export const dynamic = "force-dynamic";

export async function GET(req: Request): Promise<Response> {
  try {
    const actor = await importActor();
    if (actor instanceof Response) return actor;
    const typeId = new URL(req.url).searchParams.get("typeId");
    if (!isUuid(typeId)) return jsonError("NOT_FOUND", t.errors.notFound);
    const tpl = await importTemplate(actor, typeId!);
    return xlsxResponse(tpl.bytes, "licence-import-template.xlsx", `${tpl.name}-存量导入模板.xlsx`);
  } catch (e) {
    return errorResponse(e);
  }
}
