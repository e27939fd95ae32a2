// Progress of a bulk conversion (L-09), polled about once a second by the import page while a
// dry run or a run is under way: status, rows done, created / skipped / failed, rows per second
// and the time left. Reads only.
import { importProgress } from "@/lib/licenses/bulk/queries";
import { errorResponse, importActor, isUuid, json, jsonError } from "../../guard";
import { t } from "@/lib/i18n/zh-CN";

export const dynamic = "force-dynamic";

export async function GET(_req: Request, { params }: { params: Promise<{ id: string }> }): Promise<Response> {
  try {
    const actor = await importActor();
    if (actor instanceof Response) return actor;
    const { id } = await params;
    if (!isUuid(id)) return jsonError("NOT_FOUND", t.errors.notFound);
    return json(await importProgress(actor, id));
  } catch (e) {
    return errorResponse(e);
  }
}
