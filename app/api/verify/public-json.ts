// Shared by the public JSON routes of verification (U-06): a bounded JSON body, the refusal shape of
// /api/verify ({ code, error, field?/fieldErrors? }), uncached and unsniffed.
import "server-only";
import { AppError, ERROR_STATUS, errorId, type ErrorCode } from "@/lib/errors";
import { t } from "@/lib/i18n/zh-CN";

export const HEADERS = { "cache-control": "no-store", "x-content-type-options": "nosniff" } as const;
const MAX_BODY = 4096;

export function refuse(code: ErrorCode, error: string, fieldErrors?: Record<string, string>): Response {
  return Response.json({ code, error, ...(fieldErrors ? { fieldErrors } : {}) }, { status: ERROR_STATUS[code], headers: HEADERS });
}

/** The JSON body (at most 4 KB), or an AppError. */
export async function jsonBody(req: Request): Promise<unknown> {
  const declared = Number(req.headers.get("content-length") ?? "0");
  if (Number.isFinite(declared) && declared > MAX_BODY) throw new AppError("INVALID_INPUT", "提交内容过大");
  const text = await req.text();
  if (text.length > MAX_BODY) throw new AppError("INVALID_INPUT", "提交内容过大");
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new AppError("INVALID_INPUT", "提交内容不是有效的 JSON");
  }
}

/** Maps AppErrors to their refusal and anything else to "internal error (id)". */
export async function answer(fn: () => Promise<Response>): Promise<Response> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof AppError) return refuse(e.code, e.userMessage, e.fieldErrors);
    const id = errorId();
    console.error(`[certseal] internal error ${id}`, e);
    return refuse("INTERNAL", t.errors.internal(id));
  }
}

export function methodNotAllowed(): Response {
  return Response.json({ code: "METHOD_NOT_ALLOWED", error: "仅支持以 POST 方式提交" }, { status: 405, headers: { ...HEADERS, allow: "POST" } });
}
