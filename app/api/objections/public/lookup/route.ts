// The holder's lookup (O-01, O-03): the objection's number and lookup code → its status, the
// stored deadlines and the result. Read-only; rate-limited per IP (number + code guesses); one
// answer whether the number or the code is wrong.
import { AppError } from "@/lib/errors";
import { t } from "@/lib/i18n/zh-CN";
import { fieldErrorsOf } from "@/lib/action";
import { publicLookup } from "@/lib/objections/queries";
import { lookupInput } from "@/lib/objections/schema";
import { OBJECTION_LOOKUP_LIMIT } from "@/lib/objections/service";
import { answer, jsonBody, limit, metaOf, methodNotAllowed, ok, refuse } from "../shared";

export const dynamic = "force-dynamic";

const MISMATCH = "异议编号或查询码不正确";

export async function POST(req: Request): Promise<Response> {
  return answer(async () => {
    await limit(OBJECTION_LOOKUP_LIMIT, metaOf(req));
    const parsed = lookupInput.safeParse(await jsonBody(req));
    if (!parsed.success) return refuse("INVALID_INPUT", t.errors.invalidInput, fieldErrorsOf(parsed.error));
    const view = await publicLookup(parsed.data.number, parsed.data.lookupCode);
    if (!view) throw new AppError("NOT_FOUND", MISMATCH);
    return ok(view);
  });
}

export const GET = methodNotAllowed;
export const PUT = methodNotAllowed;
export const PATCH = methodNotAllowed;
export const DELETE = methodNotAllowed;
