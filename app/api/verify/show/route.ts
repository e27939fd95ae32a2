// 亮证 (U-03, U-06): the visitor's confirmation uses the one-use code up and answers the public
// view. Public by design (no sign-in), but it changes a row, so it requires a same-origin Origin
// (SECURITY.md: route handlers have no CSRF check of their own); rate-limited per IP. Each
// confirmation is one verification in the access log (A-01, channel SHOW).
import { z } from "zod";
import { AppError } from "@/lib/errors";
import { t } from "@/lib/i18n/zh-CN";
import { assertSameOrigin } from "@/lib/http/request";
import { consumeShowCode, parseToken, qrText } from "@/lib/licenses/qr";
import { publicLicenceView } from "@/lib/licenses/verify";
import { failureOf, issuerOfLicence, licenceOfShowCode, recordVerify, requestIp, type VerifyOutcome } from "@/lib/supervision/access-log-record";
import { publicLimit } from "@/app/verify/rate";
import { HEADERS, answer, jsonBody, methodNotAllowed } from "../public-json";

export const dynamic = "force-dynamic";

const showInput = z.object({ token: z.string().min(1).max(100) });
const FAILURES = { INVALID: "INVALID", EXPIRED: "EXPIRED_CODE", USED: "USED_CODE", REVOKED: "REVOKED_CODE", NOT_FOUND: "NOT_FOUND" } as const;

export async function POST(req: Request): Promise<Response> {
  let outcome: VerifyOutcome = { ok: false, failure: "ERROR" };
  try {
    return await answer(async () => {
      try {
        if (!(await assertSameOrigin())) throw new AppError("BAD_ORIGIN", t.errors.badOrigin);
        const limited = await publicLimit();
        if (limited) throw new AppError("RATE_LIMITED", limited);
        const body = showInput.safeParse(await jsonBody(req));
        const parsed = body.success ? parseToken(body.data.token) : ({ kind: "INVALID" } as const);
        if (parsed.kind !== "SHOW") throw new AppError("INVALID_INPUT", qrText.invalid);
        const r = await consumeShowCode(parsed.hash);
        if (!r.ok) {
          const l = r.reason === "INVALID" ? null : await licenceOfShowCode(parsed.hash);
          outcome = { ok: false, failure: FAILURES[r.reason], licenceId: l?.id ?? null, issuerDeptId: l?.issuerDeptId ?? null };
          throw new AppError(r.reason === "INVALID" ? "INVALID_INPUT" : "CONFLICT", r.message);
        }
        const view = await publicLicenceView(r.licenceId);
        if (!view) throw new AppError("NOT_FOUND", qrText.notFound);
        outcome = { ok: true, licenceId: r.licenceId, issuerDeptId: await issuerOfLicence(r.licenceId) };
        return Response.json({ view }, { headers: HEADERS });
      } catch (e) {
        if (outcome.ok || outcome.failure === "ERROR") outcome = { ok: false, failure: failureOf(e) };
        throw e;
      }
    });
  } finally {
    await recordVerify("SHOW", await requestIp(), outcome);
  }
}

export const GET = methodNotAllowed;
export const PUT = methodNotAllowed;
export const PATCH = methodNotAllowed;
export const DELETE = methodNotAllowed;
