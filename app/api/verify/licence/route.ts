// 凭标识 + 核验码查验 (U-06): public by design, rate-limited per IP, read-only (no CSRF check).
// An unknown identifier and a wrong code get the same answer (lib/licenses/verify.ts).
import { AppError } from "@/lib/errors";
import { t } from "@/lib/i18n/zh-CN";
import { fieldErrorsOf } from "@/lib/action";
import { lookupByVerifyCode } from "@/lib/licenses/verify";
import { lookupInput } from "@/app/verify/licence/schema";
import { publicLimit } from "@/app/verify/rate";
import { HEADERS, answer, jsonBody, methodNotAllowed, refuse } from "../public-json";

export const dynamic = "force-dynamic";

export async function POST(req: Request): Promise<Response> {
  return answer(async () => {
    const limited = await publicLimit();
    if (limited) throw new AppError("RATE_LIMITED", limited);
    const parsed = lookupInput.safeParse(await jsonBody(req));
    if (!parsed.success) return refuse("INVALID_INPUT", t.errors.invalidInput, fieldErrorsOf(parsed.error));
    const r = await lookupByVerifyCode(parsed.data.identifier, parsed.data.code);
    if (!r.ok) return refuse(r.fieldErrors ? "INVALID_INPUT" : "NOT_FOUND", r.error, r.fieldErrors);
    return Response.json({ view: r.view }, { headers: HEADERS });
  });
}

export const GET = methodNotAllowed;
export const PUT = methodNotAllowed;
export const PATCH = methodNotAllowed;
export const DELETE = methodNotAllowed;
