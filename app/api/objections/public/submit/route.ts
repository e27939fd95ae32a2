// A holder's objection from the public page (O-01): no sign-in, but it creates a row, so it
// requires a same-origin Origin (route handlers have no CSRF check of their own) and two limits per
// IP: requests (30 in 10 minutes), counted here before a byte of the body is read, so a flood costs
// one upsert per request and never 25 MB; and objections (5 in 10 minutes), counted by the service
// only when one is created, so a wrong file or holder code does not use up a try. The body is
// bounded before it is parsed: the fields as form values and up to 5 evidence files of 5 MB,
// checked by content. Answers the objection's number and the lookup code, shown once.
import { AppError } from "@/lib/errors";
import { t } from "@/lib/i18n/zh-CN";
import { assertSameOrigin } from "@/lib/http/request";
import { EVIDENCE_LIMITS } from "@/lib/objections/schema";
import { enforceRequestLimit, submitByHolder } from "@/lib/objections/service";
import { answer, metaOf, methodNotAllowed, ok } from "../shared";
import { readCapped } from "@/lib/http/request";

export const dynamic = "force-dynamic";

/** Every file at its limit plus room for the form values and multipart boundaries. */
const MAX_BODY = EVIDENCE_LIMITS.maxFiles * EVIDENCE_LIMITS.maxBytes + 64 * 1024;
const TOO_LARGE = `上传内容过大：最多 ${EVIDENCE_LIMITS.maxFiles} 个文件，每个不超过 ${EVIDENCE_LIMITS.maxBytes / 1048576} MB`;

const text = (fd: FormData, name: string) => {
  const v = fd.get(name);
  return typeof v === "string" ? v : undefined;
};

function fieldsOf(fd: FormData): unknown {
  const raw = text(fd, "fields");
  if (raw === undefined) return undefined;
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return undefined;
  }
}

export async function POST(req: Request): Promise<Response> {
  return answer(async () => {
    if (!(await assertSameOrigin())) throw new AppError("BAD_ORIGIN", t.errors.badOrigin);
    const meta = metaOf(req);
    // the request limit first: a refused caller costs one upsert, not up to 25 MB read and parsed
    await enforceRequestLimit(meta);
    const declared = Number(req.headers.get("content-length") ?? "0");
    if (Number.isFinite(declared) && declared > MAX_BODY) throw new AppError("INVALID_INPUT", TOO_LARGE, { evidence: TOO_LARGE });
    const type = req.headers.get("content-type") ?? "";
    if (!type.startsWith("multipart/form-data")) throw new AppError("INVALID_INPUT", "请以表单方式提交");
    const body = await readCapped(req, MAX_BODY);
    if (!body) throw new AppError("INVALID_INPUT", TOO_LARGE, { evidence: TOO_LARGE });
    let fd: FormData;
    try {
      fd = await new Response(new Uint8Array(body), { headers: { "content-type": type } }).formData();
    } catch {
      throw new AppError("INVALID_INPUT", "提交内容不完整，请重新提交");
    }
    const input = {
      identifier: text(fd, "identifier"),
      holderCode: text(fd, "holderCode"),
      applicantName: text(fd, "applicantName"),
      contact: text(fd, "contact"),
      fields: fieldsOf(fd),
      description: text(fd, "description"),
    };
    const files = fd.getAll("evidence").filter((f): f is File => typeof f !== "string" && f.size > 0);
    // the service parses the input with holderObjectionInput, checks the files and counts the
    // submission limit (checked first, counted only when the objection is created)
    const r = await submitByHolder(input as Parameters<typeof submitByHolder>[0], files, meta);
    return ok(r);
  });
}

export const GET = methodNotAllowed;
export const PUT = methodNotAllowed;
export const PATCH = methodNotAllowed;
export const DELETE = methodNotAllowed;
