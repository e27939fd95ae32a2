// The browser side of the public JSON routes (/api/verify/licence, /api/verify/show).
import type { PublicLicenceView } from "@/lib/licenses/verify";

export type PostResult = { ok: true; view: PublicLicenceView } | { ok: false; code: string; error: string; fieldErrors?: Record<string, string> };

const NETWORK = "网络异常，核验未完成，请稍后重试";

export async function postJson(url: string, body: unknown): Promise<PostResult> {
  let res: Response;
  try {
    res = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body), credentials: "same-origin" });
  } catch {
    return { ok: false, code: "NETWORK", error: NETWORK };
  }
  let data: { view?: PublicLicenceView; code?: string; error?: string; fieldErrors?: Record<string, string> } = {};
  try {
    data = (await res.json()) as typeof data;
  } catch {
    data = {};
  }
  if (res.ok && data.view) return { ok: true, view: data.view };
  return { ok: false, code: data.code ?? "INTERNAL", error: data.error ?? NETWORK, fieldErrors: data.fieldErrors };
}
