// 凭标识 + 核验码查验 (U-06): public by design, rate-limited per IP, read-only (no CSRF check).
// An unknown identifier and a wrong code get the same answer (lib/licenses/verify.ts); the access
// log records which it was, never the code.
import { AppError } from "@/lib/errors";
import { t } from "@/lib/i18n/zh-CN";
import { fieldErrorsOf } from "@/lib/action";
import { tracedLookup } from "@/lib/licenses/verify";
import { failureOf, recordVerify, requestIp, type VerifyOutcome } from "@/lib/supervision/access-log-record";
import { lookupInput } from "@/app/verify/licence/schema";
import { publicLimit } from "@/app/verify/rate";
import { HEADERS, answer, jsonBody, methodNotAllowed, refuse } from "../public-json";

export const dynamic = "force-dynamic";

export async function POST(req: Request): Promise<Response> {
  let outcome: VerifyOutcome = { ok: false, failure: "ERROR" };
  try {
    return await answer(async () => {
      try {
        const limited = await publicLimit();
        if (limited) throw new AppError("RATE_LIMITED", limited);
        const parsed = lookupInput.safeParse(await jsonBody(req));
        if (!parsed.success) {
          outcome = { ok: false, failure: "INVALID" };
          return refuse("INVALID_INPUT", t.errors.invalidInput, fieldErrorsOf(parsed.error));
        }
        const { result: r, trace } = await tracedLookup(parsed.data.identifier, parsed.data.code);
        const licence = { licenceId: trace.licence?.id ?? null, issuerDeptId: trace.licence?.issuerDeptId ?? null };
        if (!r.ok) {
          outcome = { ok: false, failure: trace.reason === "FORMAT" ? "INVALID" : trace.reason === "BAD_CODE" ? "BAD_CODE" : "NOT_FOUND", ...licence };
          return refuse(r.fieldErrors ? "INVALID_INPUT" : "NOT_FOUND", r.error, r.fieldErrors);
        }
        outcome = { ok: true, licenceId: licence.licenceId!, issuerDeptId: licence.issuerDeptId };
        return Response.json({ view: r.view }, { headers: HEADERS });
      } catch (e) {
        outcome = { ok: false, failure: failureOf(e) };
        throw e;
      }
    });
  } finally {
    await recordVerify("CODE", await requestIp(), outcome);
  }
}

export const GET = methodNotAllowed;
export const PUT = methodNotAllowed;
export const PATCH = methodNotAllowed;
export const DELETE = methodNotAllowed;
