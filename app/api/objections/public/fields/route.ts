// The public objection form's field choice (O-01): the face field labels of the licence with this
// identifier, never a value, and only when the holder code matches it (one answer for either
// mistake). Read-only; rate-limited per IP because it confirms an identifier and code pair.
import { AppError } from "@/lib/errors";
import { t } from "@/lib/i18n/zh-CN";
import { fieldErrorsOf } from "@/lib/action";
import { publicObjectionFields } from "@/lib/objections/queries";
import { holderObjectionInput } from "@/lib/objections/schema";
import { OBJECTION_FIELDS_LIMIT, answer, jsonBody, limit, metaOf, methodNotAllowed, ok, refuse } from "../shared";

export const dynamic = "force-dynamic";

const input = holderObjectionInput.pick({ identifier: true, holderCode: true });
const MISMATCH = "证照标识或持证主体代码不正确";

export async function POST(req: Request): Promise<Response> {
  return answer(async () => {
    await limit(OBJECTION_FIELDS_LIMIT, metaOf(req));
    const parsed = input.safeParse(await jsonBody(req));
    if (!parsed.success) return refuse("INVALID_INPUT", t.errors.invalidInput, fieldErrorsOf(parsed.error));
    const r = await publicObjectionFields(parsed.data.identifier, parsed.data.holderCode);
    if (!r) throw new AppError("NOT_FOUND", MISMATCH, { holderCode: MISMATCH });
    return ok(r);
  });
}

export const GET = methodNotAllowed;
export const PUT = methodNotAllowed;
export const PATCH = methodNotAllowed;
export const DELETE = methodNotAllowed;
