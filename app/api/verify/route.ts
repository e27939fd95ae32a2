// Public signature verification (S-13, U-06): no sign-in, rate-limited per IP, bounded in size, the
// PDF checked by magic bytes. Read-only, so no CSRF check; the uploads stay in memory for this call.
// A licence file (its signature protects "certseal:licence:<identifier>") is checked as a licence:
// signed original, unaltered, and the licence's status now; any other signature as a sealed document.
// The access log records each upload that is, or may be, a licence (channel UPLOAD): refusals
// of the input, files without a signature and licence files; a sealed document is no licence check.
import { AppError, ERROR_STATUS, errorId, type ErrorCode } from "@/lib/errors";
import { ipFrom } from "@/lib/http/request";
import { RATE_LIMITS, enforce } from "@/lib/security/rate-limit";
import { sniff } from "@/lib/uploads";
import { VERIFY_PDF_MAX_BYTES, VERIFY_SIG_MAX_BYTES, verifyUpload } from "@/lib/seal-use/verify";
import { verifyLicenceUpload } from "@/lib/licenses/verify";
import { t } from "@/lib/i18n/zh-CN";
import { readCapped } from "@/lib/http/request";
import { failureOf, licenceOfIdentifier, recordVerify, type VerifyOutcome } from "@/lib/supervision/access-log-record";

export const dynamic = "force-dynamic";

const HEADERS = { "cache-control": "no-store", "x-content-type-options": "nosniff" } as const;
/** Both files plus room for the multipart boundaries and part headers. */
const MAX_BODY = VERIFY_PDF_MAX_BYTES + VERIFY_SIG_MAX_BYTES + 64 * 1024;

const text = {
  tooLarge: "上传内容过大：PDF 文件不超过 20 MB，签名文件不超过 64 KB",
  incomplete: "上传内容不完整，请重新上传",
  notMultipart: "请以表单方式上传文件",
  pdfMissing: "请选择已盖章的 PDF 文件",
  pdfTooLarge: "PDF 文件不能超过 20 MB",
  notPdf: "所选文件不是 PDF 文件",
  sigTooLarge: "签名文件不能超过 64 KB",
  methodNotAllowed: "仅支持以 POST 方式提交验证",
};

function refuse(code: ErrorCode, error: string, field?: "pdf" | "sig"): Response {
  return Response.json({ code, error, ...(field ? { field } : {}) }, { status: ERROR_STATUS[code], headers: HEADERS });
}

const fileOf = (v: FormDataEntryValue | null): File | null => (v instanceof File && v.size > 0 ? v : null);

export async function POST(req: Request): Promise<Response> {
  const logged: { outcome: VerifyOutcome | null } = { outcome: { ok: false, failure: "INVALID" } };
  try {
    return await check(req, logged);
  } finally {
    if (logged.outcome) await recordVerify("UPLOAD", ipFrom(req.headers), logged.outcome);
  }
}

async function check(req: Request, logged: { outcome: VerifyOutcome | null }): Promise<Response> {
  const declared = Number(req.headers.get("content-length") ?? "0");
  if (Number.isFinite(declared) && declared > MAX_BODY) return refuse("INVALID_INPUT", text.tooLarge);
  const ip = ipFrom(req.headers);
  try {
    await enforce(RATE_LIMITS.publicVerify, ip ?? "unknown", { id: null, name: "匿名访客", role: "-", dept: "-", ip, userAgent: req.headers.get("user-agent")?.slice(0, 500) ?? null });

    const body = await readCapped(req, MAX_BODY);
    if (!body) return refuse("INVALID_INPUT", text.tooLarge);
    // Shorter than declared: the client broke off, or a layer in front (Next's proxy body limit) cut it.
    if (declared > 0 && body.byteLength < declared) return refuse("INVALID_INPUT", text.incomplete);
    let form: FormData;
    try {
      form = await new Response(new Uint8Array(body), { headers: { "content-type": req.headers.get("content-type") ?? "" } }).formData();
    } catch {
      return refuse("INVALID_INPUT", text.notMultipart);
    }
    const pdfFile = fileOf(form.get("pdf"));
    const sigFile = fileOf(form.get("sig"));
    if (!pdfFile) return refuse("INVALID_INPUT", text.pdfMissing, "pdf");
    if (pdfFile.size > VERIFY_PDF_MAX_BYTES) return refuse("INVALID_INPUT", text.pdfTooLarge, "pdf");
    if (sigFile && sigFile.size > VERIFY_SIG_MAX_BYTES) return refuse("INVALID_INPUT", text.sigTooLarge, "sig");
    const pdf = new Uint8Array(await pdfFile.arrayBuffer());
    if (sniff(pdf) !== "pdf") return refuse("INVALID_INPUT", text.notPdf, "pdf");
    const sig = sigFile ? new Uint8Array(await sigFile.arrayBuffer()) : undefined;

    // a licence PDF carries its own signature: it is checked as a licence even when a signature
    // file (its .ses, or anything else) comes with it
    logged.outcome = { ok: false, failure: "ERROR" };
    const licence = await verifyLicenceUpload(pdf);
    if (licence) {
      const l = licence.licence ? await licenceOfIdentifier(licence.licence.identifier) : null;
      const ids = { licenceId: l?.id ?? null, issuerDeptId: l?.issuerDeptId ?? null };
      if (licence.original && l) logged.outcome = { ok: true, licenceId: l.id, issuerDeptId: l.issuerDeptId };
      else logged.outcome = { ok: false, failure: !licence.found ? "NO_SIGNATURE" : licence.licence ? "ALTERED" : "NOT_FOUND", ...ids };
      return Response.json(licence, { headers: HEADERS });
    }
    logged.outcome = null;
    return Response.json({ kind: "seal", ...(await verifyUpload({ pdf, sig })) }, { headers: HEADERS });
  } catch (e) {
    if (logged.outcome) logged.outcome = { ok: false, failure: failureOf(e) };
    if (e instanceof AppError) return refuse(e.code, e.userMessage);
    const id = errorId();
    console.error(`[certseal] internal error ${id}`, e);
    return refuse("INTERNAL", t.errors.internal(id));
  }
}

function methodNotAllowed(): Response {
  return Response.json({ code: "METHOD_NOT_ALLOWED", error: text.methodNotAllowed }, { status: 405, headers: { ...HEADERS, allow: "POST" } });
}
export const GET = methodNotAllowed;
export const PUT = methodNotAllowed;
export const PATCH = methodNotAllowed;
export const DELETE = methodNotAllowed;
