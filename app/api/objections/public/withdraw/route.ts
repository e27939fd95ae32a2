// The holder withdraws an objection before it is resolved (O-01), with its number and lookup code:
// it changes a row, so a same-origin Origin is required; the service limits it per IP and records
// the event and the audit. Answers the lookup view as it is now.
import { AppError } from "@/lib/errors";
import { t } from "@/lib/i18n/zh-CN";
import { fieldErrorsOf } from "@/lib/action";
import { assertSameOrigin } from "@/lib/http/request";
import { publicLookup } from "@/lib/objections/queries";
import { holderWithdrawInput } from "@/lib/objections/schema";
import { withdrawByHolder } from "@/lib/objections/service";
import { answer, jsonBody, metaOf, methodNotAllowed, ok, refuse } from "../shared";

export const dynamic = "force-dynamic";

export async function POST(req: Request): Promise<Response> {
  return answer(async () => {
    if (!(await assertSameOrigin())) throw new AppError("BAD_ORIGIN", t.errors.badOrigin);
    const parsed = holderWithdrawInput.safeParse(await jsonBody(req));
    if (!parsed.success) return refuse("INVALID_INPUT", t.errors.invalidInput, fieldErrorsOf(parsed.error));
    await withdrawByHolder(parsed.data, metaOf(req));
    return ok(await publicLookup(parsed.data.number, parsed.data.lookupCode));
  });
}

export const GET = methodNotAllowed;
export const PUT = methodNotAllowed;
export const PATCH = methodNotAllowed;
export const DELETE = methodNotAllowed;
