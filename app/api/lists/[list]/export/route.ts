// XLSX export of the issuance list (/api/lists/issuance/export) and the use list
// (/api/lists/use/export), L-02 / L-03: the entries with `ids=a,b,…` (the table's batch export)
// or those the list page shows for its filter; `template=1` gives the empty workbook. Viewers of
// the list (catalog.manage, licence.issue or licence.use, supervision.read, each in its scope);
// an id or department outside the scope: 404. Rate-limited per user, audited (catalog.export).
// The file imports back unchanged.
import { z } from "zod";
import { db, withTx } from "@/lib/db";
import { appendAudit } from "@/lib/audit/log";
import { auditActorOf, currentActor } from "@/lib/auth/session";
import { AppError, ERROR_STATUS, errorId, type ErrorCode } from "@/lib/errors";
import { t } from "@/lib/i18n/zh-CN";
import { RATE_LIMITS, enforce } from "@/lib/security/rate-limit";
import { issuanceListFilter, mayViewDept, mayViewList, useListFilter, type ListKind } from "@/lib/catalog/list-queries";
import { entriesForExport, exportWorkbook, type SheetData } from "@/lib/catalog/xlsx";
import { contentDisposition } from "@/lib/http/content-disposition";

export const dynamic = "force-dynamic";

const HEADERS = { "cache-control": "no-store", "x-content-type-options": "nosniff" } as const;
const SHANGHAI_MS = 8 * 3_600_000;
const LISTS: Record<string, { kind: ListKind; file: string; title: string }> = {
  issuance: { kind: "ISSUANCE", file: "issuance-list", title: "发证清单" },
  use: { kind: "USE", file: "use-list", title: "用证清单" },
};
const idList = z.array(z.string().uuid()).min(1).max(500);

function jsonError(code: ErrorCode, error: string): Response {
  return Response.json({ code, error }, { status: ERROR_STATUS[code], headers: HEADERS });
}

/** The list named by the route parameter, or (when called without one) by the path. */
async function listOf(req: Request, ctx?: { params: Promise<{ list: string }> }) {
  const name = ctx ? (await ctx.params).list : /\/api\/lists\/([^/]+)\/export\/?$/.exec(new URL(req.url).pathname)?.[1];
  return name && Object.hasOwn(LISTS, name) ? LISTS[name] : null;
}

export async function GET(req: Request, ctx?: { params: Promise<{ list: string }> }): Promise<Response> {
  try {
    const actor = await currentActor();
    if (!actor) return jsonError("UNAUTHENTICATED", t.errors.unauthenticated);
    if (actor.mustChangePassword) return jsonError("PASSWORD_CHANGE_REQUIRED", t.errors.passwordChangeRequired);
    const list = await listOf(req, ctx);
    if (!list) return jsonError("NOT_FOUND", t.errors.notFound);
    if (!mayViewList(actor, list.kind)) return jsonError("FORBIDDEN", t.errors.forbidden);
    await enforce(RATE_LIMITS.recordsExport, actor.userId, auditActorOf(actor));

    const sp = new URL(req.url).searchParams;
    const template = sp.get("template") === "1";
    let data: SheetData = { main: [] };
    if (!template) {
      const raw = Object.fromEntries(sp);
      const filter = list.kind === "ISSUANCE" ? issuanceListFilter.parse(raw) : useListFilter.parse(raw);
      // a department named in the filter must be in scope (else: not found, not an empty file)
      if (raw.dept) {
        const d = filter.dept ? await db().department.findUnique({ where: { id: filter.dept }, select: { id: true, path: true } }) : null;
        if (!d || !mayViewDept(actor, list.kind, d)) return jsonError("NOT_FOUND", t.errors.notFound);
      }
      const rawIds = sp.get("ids");
      const ids = rawIds === null ? undefined : idList.safeParse(rawIds.split(",").filter(Boolean));
      if (ids && !ids.success) return jsonError("NOT_FOUND", t.errors.notFound);
      data = await entriesForExport(actor, list.kind, { ids: ids?.data, filter });
      await withTx((tx) =>
        appendAudit(tx, auditActorOf(actor), { action: "catalog.export", kind: list.kind, rows: data.main.length }, { type: list.kind === "ISSUANCE" ? "IssuanceListEntry" : "UseListEntry", id: null }),
      );
    }
    const body = await exportWorkbook(list.kind, data);
    const day = new Date(Date.now() + SHANGHAI_MS).toISOString().slice(0, 10).replace(/-/g, "");
    const name = template ? [`${list.file}-template.xlsx`, `${list.title}导入模板.xlsx`] : [`${list.file}-${day}.xlsx`, `${list.title}-${day}.xlsx`];
    return new Response(new Uint8Array(body), {
      status: 200,
      headers: {
        ...HEADERS,
        "content-type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "content-length": String(body.byteLength),
        "content-disposition": contentDisposition(name[0], name[1]),
      },
    });
  } catch (e) {
    if (e instanceof AppError) return jsonError(e.code, e.userMessage);
    const id = errorId();
    console.error(`[certseal] internal error ${id}`, e);
    return jsonError("INTERNAL", t.errors.internal(id));
  }
}
